"""Words for an import's summary (:class:`geoplan.service.ImportSummary`), in bokmål or English.

The summary is numbers and codes; this module makes the one line the import page shows after a
successful import (and the unit count line ``geoplan import units`` prints).  The refusal's
problems stay as the importer wrote them.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from geoplan.ui.i18n import area_system_label
from geoplan.ui.wording import plural

if TYPE_CHECKING:
    from geoplan.service import ImportSummary

# word -> ((bokmål one, bokmål many), (English one, English many))
WORDS: dict[str, tuple[tuple[str, str], tuple[str, str]]] = {
    "row": (("rad", "rader"), ("row", "rows")),
    "new": (("ny", "nye"), ("new", "new")),
    "area": (("område", "områder"), ("area", "areas")),
    "demand_row": (("behovsrad", "behovsrader"), ("demand row", "demand rows")),
    "cell": (("rute", "ruter"), ("cell", "cells")),
    "address": (("adresse", "adresser"), ("address", "addresses")),
    "service": (("tjenestepunkt", "tjenestepunkter"), ("service point", "service points")),
    "flow_row": (("rad med strømmer", "rader med strømmer"), ("flow row", "flow rows")),
}

# kind -> (bokmål, English): the summary's fields fill them, and each word of WORDS, in the
# number of the summary's field COUNTED names (``{row}`` follows ``rows``, ``{new}`` ``created``).
TEXTS: dict[str, tuple[str, str]] = {
    "units": ("{rows} {row}: {created} {new}, {updated} endret, {unchanged} uendret",
              "{rows} {row}: {created} {new}, {updated} updated, {unchanged} unchanged"),
    "areas": ("{rows} {area} i områdeinndelingen «{system}»",
              "{rows} {area} in the area system “{system}”"),
    "boundary": ("kommunegrensen fra {filename}", "the municipal boundary from {filename}"),
    "demand": ("{rows} {demand_row}", "{rows} {demand_row}"),
    "grid": ("{rows} SSB-{cell} på {size} m i «{system}»",
             "{rows} SSB {size} m {cell} in “{system}”"),
    "addresses": ("{rows} {address}", "{rows} {address}"),
    "services": ("{rows} {service}", "{rows} {service}"),
    "flows": ("{rows} {flow_row}", "{rows} {flow_row}"),
}
COUNTED = {"row": "rows", "new": "created", "area": "rows", "demand_row": "rows",
           "cell": "rows", "address": "rows", "service": "rows",
           "flow_row": "rows"}


def word(key: str, n: int, lang: str) -> str:
    """Return :data:`WORDS` ``key`` for ``n`` things in ``lang`` ("1 rad", "2 rader")."""
    one, many = WORDS[key][1 if lang == "en" else 0]
    return plural(n, one, many)


def import_summary(summary: ImportSummary, lang: str) -> str:
    """Return the one-line summary of a successful import, e.g. "3 rows: 3 new, 0 updated, …"."""
    template = TEXTS[summary.kind][1 if lang == "en" else 0]
    values = {k: getattr(summary, k) for k in ("rows", "created", "updated", "unchanged",
                                                "filename", "size")}
    values["system"] = area_system_label(summary.system, lang) if summary.system else ""
    values |= {w: word(w, getattr(summary, COUNTED[w]), lang) for w in WORDS}
    return template.format(**values)

