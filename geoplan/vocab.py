"""Controlled vocabularies: unit types, tenures, statuses and target groups, in bokmål and English.

Each term has a stable code (stored in the database), labels in both languages and the aliases that
real municipal spreadsheets use.  Unit types are configurable: the defaults below seed the
``unit_types`` table, and a municipality can add its own (``geoplan types add``).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field


@dataclass(frozen=True)
class Term:
    """One entry of a vocabulary: code, labels and spreadsheet aliases."""

    code: str
    nb: str
    en: str
    aliases: tuple[str, ...] = field(default_factory=tuple)
    color: str = "#777777"

    def label(self, lang: str = "nb") -> str:
        """Return the label in ``lang`` ("nb" or "en")."""
        return self.en if lang == "en" else self.nb


UNIT_TYPES: tuple[Term, ...] = (
    Term("ordinary", "Ordinær utleiebolig", "Ordinary rental",
         ("ordinær", "ordinaer", "utleiebolig", "kommunal utleiebolig", "ordinary", "rental"),
         "#1f77b4"),
    Term("transitional", "Gjennomgangsbolig", "Temporary/transitional",
         ("gjennomgang", "midlertidig bolig", "temporary", "transitional"), "#ff7f0e"),
    Term("care", "Omsorgsbolig", "Care home",
         ("omsorg", "care", "care home", "omsorgsleilighet"), "#2ca02c"),
    Term("staffed_shared", "Bofellesskap", "Staffed shared housing",
         ("bofellesskap med bemanning", "samlokalisert bolig", "shared housing",
          "staffed shared housing", "staffed"), "#d62728"),
    Term("substance_mental", "Rus/psykiatri-bolig", "Substance use/mental health",
         ("rus", "psykiatri", "rus/psykiatri", "rus og psykiatri", "rusbolig",
          "substance use", "mental health", "substance use/mental health"), "#9467bd"),
    Term("refugee", "Flyktningbolig", "Refugee housing",
         ("flyktning", "bosetting", "refugee", "refugee housing"), "#8c564b"),
    Term("youth", "Ungdomsbolig", "Youth housing",
         ("ungdom", "startbolig ungdom", "youth", "youth housing"), "#e377c2"),
    Term("emergency", "Akuttbolig", "Emergency housing",
         ("akutt", "nødbolig", "krisebolig", "emergency", "emergency housing"), "#17becf"),
)

TENURES: tuple[Term, ...] = (
    Term("owned", "Eid", "Owned", ("eid", "eiet", "eie", "kommunalt eid", "selveid", "owned", "own")),
    Term("leased", "Innleid", "Leased-in for subletting",
         ("innleid", "innleie", "leid", "framleie", "fremleie", "leased", "leased-in", "lease")),
    Term("nomination", "Tildelingsrett", "Nomination right",
         ("tildelingsrett", "tildeling", "disposisjonsrett", "nomination", "nomination right")),
)

STATUSES: tuple[Term, ...] = (
    Term("occupied", "Utleid", "Occupied", ("utleid", "bebodd", "i bruk", "occupied", "let")),
    Term("vacant", "Ledig", "Vacant", ("ledig", "tom", "vacant", "empty")),
    Term("repair", "Under rehabilitering", "Under repair",
         ("rehabilitering", "under reparasjon", "reparasjon", "oppussing", "repair", "under repair")),
    Term("reserved", "Reservert", "Reserved", ("reservert", "holdt av", "reserved")),
)

TARGET_GROUPS: tuple[Term, ...] = (
    Term("homeless_substance", "Bostedsløse med rusproblemer", "Homeless with substance problems",
         ("bostedsløse", "bostedsløs", "rus", "bostedsløse rus", "homeless", "homeless substance")),
    Term("mental_health", "Psykisk helse", "Mental health",
         ("psykisk helse", "psykiatri", "mental health")),
    Term("refugees", "Flyktninger til bosetting", "Refugees to settle",
         ("flyktninger", "flyktning", "bosetting", "refugees", "refugee")),
    Term("youth", "Unge 18–25 år", "Young people 18–25",
         ("unge", "ungdom", "unge 18-25", "18-25", "youth", "young people")),
    Term("families", "Barnefamilier", "Families with children",
         ("barnefamilie", "barnefamilier", "familier", "families", "families with children")),
    Term("elderly", "Eldre", "The elderly", ("eldre", "elderly", "seniors")),
    Term("disabilities", "Personer med funksjonsnedsettelse", "People with disabilities",
         ("funksjonsnedsettelse", "funksjonshemmede", "utviklingshemmede", "disabilities",
          "disability", "people with disabilities")),
)

YES = frozenset({"ja", "j", "yes", "y", "true", "sann", "1", "x"})
NO = frozenset({"nei", "n", "no", "false", "usann", "0", ""})


def fold(text: object) -> str:
    """Normalise a free-text label for matching: lower case, trimmed, single spaces, no dashes."""
    s = unicodedata.normalize("NFC", str(text)).strip().lower()
    s = re.sub(r"[–—_\-]+", " ", s)
    return re.sub(r"\s+", " ", s)


class Vocabulary:
    """A lookup from any alias, code or label to a term's code."""

    def __init__(self, terms: Iterable[Term]):
        self.terms: dict[str, Term] = {t.code: t for t in terms}
        self._lookup: dict[str, str] = {}
        for t in self.terms.values():
            for key in (t.code, t.nb, t.en, *t.aliases):
                self._lookup.setdefault(fold(key), t.code)

    def code(self, value: object) -> str | None:
        """Return the code for ``value``, or None when it is not recognised."""
        return self._lookup.get(fold(value))

    def label(self, code: str, lang: str = "nb") -> str:
        """Return the label of ``code`` in ``lang``, or the code itself when unknown."""
        term = self.terms.get(code)
        return term.label(lang) if term else code

    def labels(self, lang: str = "nb") -> dict[str, str]:
        """Return ``{code: label}`` for every term."""
        return {c: t.label(lang) for c, t in self.terms.items()}

    def colors(self) -> Mapping[str, str]:
        """Return ``{code: colour}`` for every term."""
        return {c: t.color for c, t in self.terms.items()}


TENURE = Vocabulary(TENURES)
STATUS = Vocabulary(STATUSES)
TARGET_GROUP = Vocabulary(TARGET_GROUPS)
DEFAULT_UNIT_TYPES = Vocabulary(UNIT_TYPES)


def parse_bool(value: object) -> bool | None:
    """Parse Ja/Nei, yes/no, 1/0 and friends; None when not a yes/no value."""
    if value is None or (isinstance(value, float) and value != value):
        return False
    if isinstance(value, bool):
        return value
    s = fold(value)
    if s in YES:
        return True
    if s in NO:
        return False
    return None
