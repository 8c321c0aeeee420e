"""PDF rendering for agendas, single items, minutes and the printable package.

Every function here returns bytes; views only wrap them in a response and the
``print_meeting`` command writes them to files. Two editions come from the same
data: the members' edition shows closed items in full, the public edition shows
a closed item only by its number and "Lukket punkt" and never a closed
attachment.
"""

import atexit
import copy
import io
import logging
import mimetypes
import os
from datetime import datetime
from enum import StrEnum
from functools import lru_cache
from pathlib import Path
from urllib.parse import unquote, urlsplit
from urllib.request import url2pathname

from django.conf import settings
from django.contrib.staticfiles import finders
from django.core.exceptions import SuspiciousFileOperation
from django.db.models import Prefetch, Q
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from committees.models import Administration, Committee, Meeting, Membership
from core.templatetags.dk import date_text

from .models import AgendaItem, AgendaVersion, Attachment, Correction
from .pdfpackage import Package, open_pdf
from .recommendations import BLOCKS_PREFETCH, attach_earlier_decisions
from .selectors import user_can_see_closed
from .versions import SnapshotItem, agenda_changes, agenda_snapshot

logger = logging.getLogger(__name__)

PDF_STYLESHEET = settings.BASE_DIR / "static" / "css" / "pdf.css"
PDF_VARIANT = "pdf/ua-1"  # tagged PDF with document title and language: readable by screen readers


class Edition(StrEnum):
    MEMBERS = "members"
    PUBLIC = "public"


def edition_allowed(*, user, meeting: Meeting, edition: Edition) -> bool:
    """The members' edition follows the closed-item rule: members, secretaries, admins."""
    return edition == Edition.PUBLIC or user_can_see_closed(user, meeting.committee_id)


@lru_cache(maxsize=1)
def _font_config():
    # One FontConfiguration per process, as WeasyPrint's performance advice says.
    from weasyprint.text.fonts import FontConfiguration

    return FontConfiguration()


atexit.register(_font_config.cache_clear)  # release fontconfig before interpreter teardown


def _static_roots() -> list[Path]:
    """The folders the app's static files come from (what the staticfiles finders search)."""
    roots = []
    for finder in finders.get_finders():
        for storage in getattr(finder, "storages", {}).values():
            location = getattr(storage, "location", None)
            if location:
                roots.append(Path(location).resolve())
    if settings.STATIC_ROOT:
        roots.append(Path(settings.STATIC_ROOT).resolve())
    return roots


def static_file_for(url: str) -> Path | None:
    """The static file ``url`` names, or None when it names anything else.

    Accepted: ``file://`` URLs of a file inside a static folder (the stylesheets and
    fonts, found relative to ``base_url``), and ``/static/...`` paths, looked up through
    the staticfiles finders. ``..`` and symbolic links out of the folders are refused.
    """
    parts = urlsplit(url)
    if parts.scheme != "file" or parts.netloc not in ("", "localhost"):
        return None
    path = url2pathname(unquote(parts.path))
    static_url = settings.STATIC_URL if settings.STATIC_URL.startswith("/") else "/static/"
    if path.startswith(static_url):
        try:
            found = finders.find(path[len(static_url) :])
        except SuspiciousFileOperation:
            return None
        if not found or isinstance(found, list):
            return None
        path = found
    resolved = Path(os.path.realpath(path))
    if not resolved.is_file():
        return None
    if any(resolved.is_relative_to(root) for root in _static_roots()):
        return resolved
    return None


def _url_fetcher_class():
    from weasyprint.urls import URLFetcher, URLFetcherResponse

    class StaticOnlyURLFetcher(URLFetcher):
        """Lets WeasyPrint read the app's own static files and ``data:`` URLs, nothing else.

        Text in a PDF comes from users (item texts, plan names). Markup that reached the
        renderer must not make it read files of the server (``file:///etc/passwd``) or
        call other machines (``http://127.0.0.1:…``): those are refused, the rest of the
        document renders.
        """

        def fetch(self, url, headers=None):
            if url.lower().startswith("data:"):
                return super().fetch(url, headers)
            path = static_file_for(url)
            if path is None:
                raise ValueError(f"The PDF renderer fetches only the app's static files: {url}")
            content_type = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
            return URLFetcherResponse(
                path.as_uri(), path.read_bytes(), {"Content-Type": content_type}, 200
            )

    return StaticOnlyURLFetcher


@lru_cache(maxsize=1)
def url_fetcher():
    """The one fetcher of this process (like the FontConfiguration)."""
    return _url_fetcher_class()(fail_on_errors=False)


@lru_cache(maxsize=1)
def _stylesheet():
    from weasyprint import CSS

    return CSS(filename=str(PDF_STYLESHEET), font_config=_font_config(), url_fetcher=url_fetcher())


def _document(html: str):
    from weasyprint import HTML

    return HTML(string=html, base_url=str(PDF_STYLESHEET.parent), url_fetcher=url_fetcher()).render(
        stylesheets=[_stylesheet()], font_config=_font_config(), pdf_variant=PDF_VARIANT
    )


def html_to_pdf(html: str) -> bytes:
    return _document(html).write_pdf(pdf_variant=PDF_VARIANT)


# -- data ------------------------------------------------------------------------------------


def _agenda_items(meeting: Meeting, edition: Edition) -> list[AgendaItem]:
    items = list(
        meeting.agenda_items.filter(number__isnull=False)
        .select_related("case", "recommending_administration", "decided_by", "decision")
        .prefetch_related(
            "recommendation_points",
            BLOCKS_PREFETCH,
            "decision__votes",
            Prefetch("attachments", queryset=Attachment.objects.order_by("position")),
            # the minutes print each item's corrections with who made them
            Prefetch("corrections", queryset=Correction.objects.select_related("corrected_by")),
        )
        .order_by("number")
    )
    attach_earlier_decisions(items)  # the items sent on: their earlier decisions at once
    for item in items:
        _mark(item, edition)
    return items


def _mark(item: AgendaItem, edition: Edition) -> None:
    members = edition == Edition.MEMBERS
    item.content_visible = members or not item.is_closed
    item.visible_attachments = [
        a for a in item.attachments.all() if members or not (a.is_closed or item.is_closed)
    ]


def _members(meeting: Meeting) -> list[Membership]:
    day = timezone.localtime(meeting.starts_at).date()
    return list(
        Membership.objects.filter(committee_id=meeting.committee_id, start_date__lte=day)
        .filter(Q(end_date__isnull=True) | Q(end_date__gte=day))
        .exclude(role=Membership.Role.SECRETARY)
        .select_related("person")
        .order_by("role", "person__name")
    )


def holds_closed_content(items, edition: Edition) -> bool:
    """Whether the edition prints closed content: a closed item or a closed attachment in
    full. Only then is the document confidential; a members' edition of an agenda without
    any is the public one, and says nothing else."""
    if edition != Edition.MEMBERS:
        return False
    return any(
        item.is_closed or any(a.is_closed for a in getattr(item, "visible_attachments", []))
        for item in items
    )


def document_language() -> str:
    """The language a PDF is written in (its ``<html lang>`` and ``/Lang``): the
    interface's, also in the background worker (which renders in the language the PDF
    was asked for in), else the site's."""
    return translation.get_language() or settings.LANGUAGE_CODE


def _context(meeting: Meeting, edition: Edition, title: str, **extra) -> dict:
    items = extra.get("items")
    if items is None:
        items = [extra["item"]] if extra.get("item") is not None else []
    return {
        "meeting": meeting,
        "committee": meeting.committee,
        "edition": edition.value,
        "document_title": title,
        "show_decisions": meeting.status in (Meeting.Status.HELD, Meeting.Status.MINUTES_APPROVED),
        "confidential": holds_closed_content(items, edition),
        # <html lang>: render_to_string without a request has no LANGUAGE_CODE of its own
        "LANGUAGE_CODE": document_language(),
        **extra,
    }


def live_version_label(meeting: Meeting, items) -> str:
    """What the agenda as it stands now prints as its version: the last published
    version's label, saying so when the agenda has changed since; "Not published" before
    the first publication."""
    last = meeting.agenda_versions.order_by("-number").first()
    if last is None:
        return _("Not published")
    if agenda_changes(last.snapshot, agenda_snapshot(meeting, items)):
        return _("%(version)s, with changes not yet published") % {"version": last.label()}
    return last.label()


def _date(meeting: Meeting) -> str:
    return date_text(meeting.starts_at, "j. F Y")


def agenda_title(meeting: Meeting) -> str:
    return _("Agenda – %(committee)s %(date)s") % {
        "committee": meeting.committee.name,
        "date": _date(meeting),
    }


def version_title(version: AgendaVersion) -> str:
    meeting = version_meeting(version)
    return _("Agenda – %(committee)s %(date)s – %(version)s") % {
        "committee": meeting.committee.name,
        "date": _date(meeting),
        "version": version.label(),
    }


def minutes_title(meeting: Meeting) -> str:
    return _("Minutes – %(committee)s %(date)s") % {
        "committee": meeting.committee.name,
        "date": _date(meeting),
    }


def package_title(meeting: Meeting) -> str:
    return _("Agenda with attachments – %(committee)s %(date)s") % {
        "committee": meeting.committee.name,
        "date": _date(meeting),
    }


def public_label() -> str:
    return _("public edition")


def item_title(item: AgendaItem) -> str:
    return _("Item %(number)s – %(committee)s %(date)s") % {
        "number": item.number,
        "committee": item.meeting.committee.name,
        "date": _date(item.meeting),
    }


# -- renderers -------------------------------------------------------------------------------


def meeting_agenda_html(*, meeting: Meeting, edition: Edition) -> str:
    items = _agenda_items(meeting, edition)
    context = _context(
        meeting,
        edition,
        agenda_title(meeting),
        items=items,
        members=_members(meeting),
        version_label=live_version_label(meeting, items),
    )
    return render_to_string("cases/pdf/agenda.html", context)


def _version_items(version: AgendaVersion, edition: Edition) -> list[SnapshotItem]:
    """The items of the version's snapshot, marked for the edition like live ones."""
    data = version.snapshot.get("items", [])
    administration_ids = {d.get("recommending_administration") for d in data}
    committee_ids = {d.get("decided_by") for d in data}
    for d in data:
        for admins, committees, addressees, _numbers in d.get("recommendation") or ():
            administration_ids.update(admins)
            committee_ids.update(committees, addressees)
    names = {
        "administrations": dict(
            Administration.objects.filter(pk__in=administration_ids - {None}).values_list(
                "pk", "name"
            )
        ),
        "committees": dict(
            Committee.objects.filter(pk__in=committee_ids - {None}).values_list("pk", "name")
        ),
        "meeting_committee": version.meeting.committee,
    }
    items = [SnapshotItem(d, names) for d in data if d.get("number") is not None]
    for item in items:
        _mark(item, edition)
    return items


def version_printable(version: AgendaVersion) -> bool:
    """Whether the version kept what it published (versions published before the agenda's
    content was kept with them have no items to print)."""
    return bool(version.snapshot.get("items"))


def version_meeting(version: AgendaVersion) -> Meeting:
    """The meeting as the version published it: its time and place from the snapshot."""
    meeting = copy.copy(version.meeting)
    published = version.snapshot.get("meeting", {})
    if published.get("starts_at"):
        meeting.starts_at = datetime.fromisoformat(published["starts_at"])
    if "location" in published:
        meeting.location = published["location"]
    return meeting


def version_agenda_html(*, version: AgendaVersion, edition: Edition) -> str:
    """The agenda as ``version`` published it (its snapshot, not today's items), with no
    decisions: what the readers were sent."""
    meeting = version_meeting(version)
    items = _version_items(version, edition)
    context = _context(
        meeting,
        edition,
        version_title(version),
        items=items,
        members=_members(meeting),
        version_label=version.label(),
        version=version,
        show_decisions=False,
    )
    return render_to_string("cases/pdf/agenda.html", context)


def meeting_agenda_pdf(*, meeting: Meeting, edition: Edition) -> bytes:
    return html_to_pdf(meeting_agenda_html(meeting=meeting, edition=edition))


def agenda_item_pdf(*, item: AgendaItem, edition: Edition) -> bytes:
    _mark(item, edition)
    context = _context(item.meeting, edition, item_title(item), item=item)
    return html_to_pdf(render_to_string("cases/pdf/item.html", context))


def meeting_minutes_html(*, meeting: Meeting, edition: Edition) -> str:
    items = _agenda_items(meeting, edition)
    absent = [absence.person for absence in _absences(meeting)]
    context = _context(meeting, edition, minutes_title(meeting), items=items, absent=absent)
    return render_to_string("cases/pdf/minutes.html", context)


def meeting_minutes_pdf(*, meeting: Meeting, edition: Edition) -> bytes:
    return html_to_pdf(meeting_minutes_html(meeting=meeting, edition=edition))


def _absences(meeting: Meeting) -> list:
    manager = getattr(meeting, "absences", None)
    return list(manager.select_related("person")) if manager is not None else []


def package_parts(*, meeting: Meeting, edition: Edition) -> tuple[str, list[AgendaItem]]:
    """What the package is made of: the agenda's HTML and its items (each with the
    attachments the edition shows, ``visible_attachments``)."""
    items = _agenda_items(meeting, edition)
    html = render_to_string(
        "cases/pdf/agenda.html",
        _context(
            meeting,
            edition,
            agenda_title(meeting),
            items=items,
            members=_members(meeting),
            version_label=live_version_label(meeting, items),
        ),
    )
    return html, items


def meeting_package_pdf(*, meeting: Meeting, edition: Edition, parts=None, progress=None) -> bytes:
    """The agenda followed by every PDF attachment the edition may show, in one file.

    The outline (bookmarks) has one entry per item, with its attachments under it.
    Attachments that are not PDFs are listed on a closing page with a note. ``parts``:
    :func:`package_parts`, if read already; ``progress(done, total)`` is called as the
    agenda and then each attachment are added.

    The package is tagged like every other PDF made here (:data:`PDF_VARIANT`): the
    agenda's structure tree is the package's, and each attachment that carries its own
    tags keeps them, as a ``/Part`` of the package's tree titled like its bookmark (see
    :class:`cases.pdfpackage.Package`). An attachment that carries no tags (a scan, most
    exports of old office programs) is appended as it is: its content is not tagged, so a
    screen reader reads it as untagged content, but the outline still leads to it; the package then
    no longer claims PDF/UA conformance in its metadata.
    """
    html, items = parts or package_parts(meeting=meeting, edition=edition)
    total = 1 + sum(len(item.visible_attachments) for item in items)
    done = 0
    document = _document(html)
    item_pages = _item_pages(document, items)
    package = Package(document.write_pdf(pdf_variant=PDF_VARIANT))
    outline = [(_("Agenda"), 0, [])]
    done += 1
    if progress:
        progress(done, total)

    not_included = []
    try:
        for item in items:
            label = f"{item.number}. {item.title if item.content_visible else _('Closed item')}"
            children = []
            outline.append((label, item_pages.get(item.number, 0), children))
            for attachment in item.visible_attachments:
                attachment_label = _("Attachment %(number)s: %(title)s") % {
                    "number": attachment.position,
                    "title": attachment.title,
                }
                try:
                    source = _attachment_pdf(attachment)
                except DamagedPdf:
                    # Left out, with a page in its place that says which one and why.
                    note = _damaged_note_pdf(meeting, edition, item, attachment)
                    source = open_pdf(note)
                done += 1
                if progress:
                    progress(done, total)
                if source is None:
                    not_included.append((item, attachment))
                    continue
                first_page = package.append(source, attachment_label)
                children.append((attachment_label, first_page, []))

        if not_included:
            note = render_to_string(
                "cases/pdf/package_note.html",
                _context(meeting, edition, agenda_title(meeting), not_included=not_included),
            )
            title = _("Attachments not included")
            first_page = package.append(open_pdf(html_to_pdf(note)), title)
            outline.append((title, first_page, []))

        return package.finish(
            outline=outline,
            title=agenda_title(meeting),
            author=meeting.committee.name,
            language=document_language(),
        )
    finally:
        package.close()


def _item_pages(document, items) -> dict[int, int]:
    """Item number -> 0-based page index, read from the rendered document's anchors."""
    pages = {}
    wanted = {f"item-{item.number}": item.number for item in items}
    for index, page in enumerate(document.pages):
        for anchor in page.anchors:
            if anchor in wanted and wanted[anchor] not in pages:
                pages[wanted[anchor]] = index
    return pages


class DamagedPdf(Exception):
    """An attachment that says it is a PDF but cannot be read or copied."""


def _attachment_pdf(attachment: Attachment):
    """A PDF attachment opened with pikepdf, None if it is not a PDF; :class:`DamagedPdf`
    if damaged.

    qpdf repairs what it can (a broken cross-reference table), but a damaged file can
    still fail when it is read or only later when its objects are written. So the
    attachment is written out whole first and the package gets that clean copy: one
    bad file cannot break the package halfway through.
    """
    import pikepdf

    if not attachment.file:
        return None
    with attachment.file.open("rb") as handle:
        content = handle.read()
    if not content.startswith(b"%PDF-"):
        return None
    try:
        with pikepdf.open(io.BytesIO(content)) as scratch:
            if not len(scratch.pages):
                raise DamagedPdf("no pages")
            clean = io.BytesIO()
            scratch.save(clean)
        source = pikepdf.open(io.BytesIO(clean.getvalue()))
        len(source.pages)
    except DamagedPdf:
        raise
    except Exception as error:  # noqa: BLE001 - any failure of qpdf on this file
        logger.warning("Attachment %s left out of the package: %r", attachment.pk, error)
        raise DamagedPdf(str(error)) from error
    return source


def _damaged_note_pdf(meeting: Meeting, edition: Edition, item, attachment: Attachment) -> bytes:
    note = render_to_string(
        "cases/pdf/package_damaged.html",
        _context(meeting, edition, agenda_title(meeting), item=item, attachment=attachment),
    )
    return html_to_pdf(note)
