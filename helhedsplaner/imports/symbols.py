"""The sources' own symbols for figures they do not publish, as each source defines them.

A cell that is neither a number nor one of its source's symbols is refused with its line:
a symbol is never guessed, and a missing figure is never read as 0. Each symbol says what
is stored: no value (``value`` None, the symbol kept on the row) or a number (Danmarks
Statistik's "-", nil, is the figure 0).

The lists are data: a municipality whose source uses other symbols adds them here (and
to docs/importing-data.md, which cites where each list comes from).
"""

from dataclasses import dataclass
from decimal import Decimal

from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class Symbol:
    text: str
    meaning: str
    value: Decimal | None = None  # what is stored; None: no value


@dataclass(frozen=True)
class Source:
    key: str
    label: str
    symbols: tuple[Symbol, ...] = ()
    # An empty cell: no figure, left out (never 0); else it is refused as a missing value.
    empty_is_missing: bool = False

    def symbol(self, text: str) -> Symbol | None:
        return next((symbol for symbol in self.symbols if symbol.text == text), None)


# Danmarks Statistik's explanation of symbols (tegnforklaring) for Statistikbanken tables.
STATISTIKBANKEN = Source(
    "statistikbanken",
    _("Statistikbanken (Danmarks Statistik)"),
    (
        Symbol("..", _("confidential or too uncertain to publish (no value)")),
        Symbol(".", _("not available or cannot occur (no value)")),
        Symbol("-", _("nil: the figure is 0"), Decimal(0)),
    ),
)
# Copenhagen's open data ("Socioøkonomiske data for København", opendata.dk) leaves a cell
# empty where there is no figure; an empty cell is skipped (nothing stored), never read as 0.
OPENDATA = Source("opendata", _("opendata.dk, one column per indicator"), empty_is_missing=True)
# The app's own format (område;indikator;år;værdi): numbers only.
OWN = Source("own", _("The app's own format"))

SOURCES = {source.key: source for source in (STATISTIKBANKEN, OPENDATA, OWN)}


def source_for(header: list[str]) -> Source:
    """The source a file comes from, by its header: Statistikbanken's API CSV names its
    value column INDHOLD and its time TID; a file with one column per indicator is a
    wide (opendata) file; anything else is the app's own format."""
    names = {cell.strip().casefold() for cell in header}
    if {"indhold", "tid"} <= names:
        return STATISTIKBANKEN
    long_names = {"indikator", "indicator"}
    if not names & long_names and len(header) > 2:
        return OPENDATA
    return OWN
