"""Column-name matching for messy spreadsheets: Norwegian or English, any case, units in brackets."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Mapping

from geoplan.io.problems import Problem, problem
from geoplan.unit_fields import UNIT_FIELDS

_ASCII = str.maketrans({"æ": "ae", "ø": "o", "å": "a", "é": "e", "ü": "u", "ö": "o", "ä": "a"})


def header_key(header: object) -> str:
    """Normalise a header for matching: "Areal (m²)" → "areal", "Øst" → "ost"."""
    s = unicodedata.normalize("NFC", str(header)).lower().strip()
    s = re.sub(r"[\(\[\{].*?[\)\]\}]", " ", s)  # units in brackets
    s = s.translate(_ASCII)
    s = re.sub(r"[^a-z0-9]+", " ", s)
    return re.sub(r"\s+", " ", s).strip()


# The unit register's headers come from the one definition of the unit fields.
UNIT_COLUMNS: dict[str, tuple[str, ...]] = {f.name: f.aliases for f in UNIT_FIELDS}

AREA_COLUMNS: dict[str, tuple[str, ...]] = {
    "code": ("grunnkretsnummer", "delomradenummer", "levekarssonenummer", "sonenummer",
             "kommunenummer", "ssbid 250m", "ssbid 1000m", "ssbid", "ruteid", "kode", "code",
             "nummer", "omradenummer", "id"),
    "name": ("grunnkretsnavn", "delomradenavn", "levekarssonenavn", "sonenavn", "kommunenavn",
             "omradenavn", "navn", "name"),
    "population": ("befolkning", "folkemengde", "innbyggere", "antall personer", "population",
                   "pop"),
    "dwellings": ("boliger", "antall boliger", "boligbestand", "dwellings", "number of dwellings"),
}

DEMAND_COLUMNS: dict[str, tuple[str, ...]] = {
    "snapshot_date": ("dato", "date", "snapshot date", "per dato"),
    "target_group": ("malgruppe", "brukergruppe", "target group"),
    "households": ("antall husstander", "husstander", "ventende", "antall ventende",
                   "households", "households waiting", "antall", "count"),
    "rooms_needed": ("antall rom", "rom", "behov rom", "rooms", "rooms needed"),
    "universal_design": ("universelt utformet", "uu", "behov uu", "universal design"),
    "staffed": ("bemanning", "bemannet", "staffing", "staffed"),
    "preferred_area": ("onsket omrade", "omrade", "preferred area", "area"),
}

# Flows per target group and year (geoplan.io.flows): counts only, no persons or cases.
FLOW_COLUMNS: dict[str, tuple[str, ...]] = {
    "year": ("ar", "aar", "arstall", "year"),
    "target_group": ("malgruppe", "brukergruppe", "target group"),
    "inflow": ("nye soknader", "innvilgede soknader", "soknader", "tilgang", "inflow",
               "new applications", "applications"),
    "allocations": ("tildelinger", "tildelt", "tildeling", "allocations", "housed"),
    "withdrawals": ("frafall", "avgang", "withdrawals", "withdrawn"),
    "relets": ("gjenutleie", "gjenutleid", "gjenutleier", "re lets", "relets", "re let"),
}

# Personal-data headers are defined once, in geoplan.io.personal (PERSONAL_HEADERS,
# header_kind, find_personal).


def match_columns(
    headers: Iterable[object], schema: Mapping[str, tuple[str, ...]]
) -> tuple[dict[str, str], list[str], list[Problem]]:
    """Map schema fields to headers.

    Returns ``(field → header, unknown headers, problems)``.  Aliases earlier in a field's list
    win; two headers claiming the same alias rank are an ``ambiguous_columns`` problem.
    """
    headers = [str(h) for h in headers]
    keys = {h: header_key(h) for h in headers}
    mapping: dict[str, str] = {}
    problems: list[Problem] = []
    used: set[str] = set()
    for fld, aliases in schema.items():
        for alias in aliases:
            hits = [h for h in headers if keys[h] == alias and h not in used]
            if len(hits) > 1:
                problems.append(problem("ambiguous_columns", field=fld,
                                        headers=", ".join(f"'{h}'" for h in hits)))
            if hits:
                mapping[fld] = hits[0]
                used.add(hits[0])
                break
    unknown = [h for h in headers if h not in used]
    return mapping, unknown, problems
