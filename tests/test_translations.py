"""The Danish catalogue is complete: no string the UI shows falls back to English."""

import re
from pathlib import Path

PO = Path(__file__).resolve().parent.parent / "locale" / "da" / "LC_MESSAGES" / "django.po"


def entries():
    text = PO.read_text(encoding="utf-8")
    for block in text.split("\n\n"):
        if block.startswith("#~") or 'msgid ""\nmsgstr ""\n"Project' in block:
            continue
        if "msgid " in block:
            yield block


def test_no_fuzzy_translations():
    fuzzy = [b.split("msgid ", 1)[1].splitlines()[0] for b in entries() if "#, fuzzy" in b]
    assert fuzzy == []


def test_no_untranslated_strings():
    empty = []
    for block in entries():
        header = block.split("msgid ", 1)[1].splitlines()[0]
        single_empty = re.search(r'^msgstr ""$', block, flags=re.M) and not re.search(
            r'^msgstr ""\n"', block, flags=re.M
        )
        plural_empty = 'msgstr[0] ""\n' in block + "\n" and 'msgstr[0] ""\n"' not in block
        if (single_empty or plural_empty) and header != '""':
            empty.append(header)
    assert empty == []


def test_compiled_catalogue_matches_the_po_file():
    """Every simple entry of the .po file is in the committed .mo with the same Danish."""
    import gettext

    catalogue = gettext.GNUTranslations(PO.with_suffix(".mo").open("rb"))
    checked = 0
    for block in entries():
        match = re.search(r'^msgid "(.+)"\nmsgstr "(.+)"$', block, flags=re.M)
        if not match or "msgctxt" in block or "msgid_plural" in block:
            continue
        msgid, msgstr = (
            part.encode().decode("unicode_escape").encode("latin-1").decode()
            for part in match.groups()
        )
        assert catalogue.gettext(msgid) == msgstr, msgid
        checked += 1
    assert checked > 500
