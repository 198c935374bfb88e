"""Column-name matching for messy spreadsheets: Norwegian or English, any case, units in brackets."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Mapping

_ASCII = str.maketrans({"æ": "ae", "ø": "o", "å": "a", "é": "e", "ü": "u", "ö": "o", "ä": "a"})


def header_key(header: object) -> str:
    """Normalise a header for matching: "Areal (m²)" → "areal", "Øst" → "ost"."""
    s = unicodedata.normalize("NFC", str(header)).lower().strip()
    s = re.sub(r"[\(\[\{].*?[\)\]\}]", " ", s)  # units in brackets
    s = s.translate(_ASCII)
    s = re.sub(r"[^a-z0-9]+", " ", s)
    return re.sub(r"\s+", " ", s).strip()


UNIT_COLUMNS: dict[str, tuple[str, ...]] = {
    "unit_id": ("boligid", "bolig id", "bolignr", "bolig nr", "bolignummer", "bolignummer",
                "unit id", "unitid", "unit", "unit no", "objektnr", "objektnummer", "id"),
    "address": ("adresse", "address", "gateadresse", "boligadresse", "street address"),
    "street": ("gatenavn", "gate", "adressenavn", "vegnavn", "veinavn", "street", "street name"),
    "house_number": ("husnr", "husnummer", "nummer", "house number", "number", "nr"),
    "letter": ("bokstav", "husbokstav", "letter"),
    "postal_code": ("postnr", "postnummer", "post nr", "postal code", "postcode", "zip"),
    "place": ("poststed", "sted", "place", "city", "town"),
    "gnr": ("gnr", "gardsnummer", "gardsnr"),
    "bnr": ("bnr", "bruksnummer", "bruksnr"),
    "fnr": ("fnr", "festenummer", "festenr"),
    "snr": ("snr", "seksjonsnummer", "seksjonsnr"),
    "building_id": ("bygningsnr", "bygningsnummer", "bygning id", "bygg id", "bygningsid",
                    "building id", "building"),
    "housing_company": ("borettslag sameie", "borettslag", "sameie", "housing company",
                        "borettslag eller sameie"),
    "x": ("ost", "east", "easting", "x", "ost koordinat", "koordinat ost", "utm ost"),
    "y": ("nord", "north", "northing", "y", "nord koordinat", "koordinat nord", "utm nord"),
    "lon": ("lon", "lng", "long", "longitude", "lengdegrad"),
    "lat": ("lat", "latitude", "breddegrad"),
    "unit_type": ("boligtype", "type", "unit type", "boligkategori", "kategori"),
    "tenure": ("eierform", "disposisjonsform", "disposisjon", "tenure"),
    "rooms": ("antall rom", "rom", "ant rom", "rooms", "number of rooms"),
    "floor_area": ("areal", "bra", "bruksareal", "p rom", "prom", "floor area", "area", "m2"),
    "floor": ("etasje", "etg", "floor", "storey"),
    "universal_design": ("universelt utformet", "uu", "universal design",
                         "universally designed"),
    "wheelchair": ("rullestoltilpasset", "rullestoltilgjengelig", "rullestol", "wheelchair",
                   "wheelchair access", "wheelchair accessible"),
    "monthly_rent": ("husleie", "maanedsleie", "manedsleie", "leie", "husleie per maned",
                     "monthly rent", "rent"),
    "purchase_price": ("kjopesum", "kjopspris", "anskaffelseskost", "purchase price"),
    "target_group": ("malgruppe", "brukergruppe", "target group"),
    "status": ("status", "utleiestatus"),
    "acquired": ("anskaffet", "anskaffelsesdato", "kjopt", "kjopsdato", "ervervet",
                 "acquired", "acquisition date"),
    "disposed": ("avhendet", "avhendingsdato", "solgt", "salgsdato", "disposed", "sold"),
    "contract_end": ("kontraktslutt", "kontrakt slutt", "kontraktsutlop", "utlop kontrakt",
                     "contract end", "lease end"),
}

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

# Headers that mean personal data. GeoPlan holds units and aggregates only.
PERSONAL_COLUMNS: frozenset[str] = frozenset({
    "navn", "name", "fornavn", "etternavn", "fullt navn", "leietaker", "leietakers navn",
    "leietakernavn", "beboer", "beboers navn", "tenant", "tenant name", "tenants", "occupant",
    "fodselsnummer", "fodselsnr", "fodselsdato", "personnummer", "personnr", "birth number",
    "date of birth", "national id", "ssn", "d nummer", "saksnummer", "saksnr", "sak", "case",
    "case number", "case id", "case details", "saksbehandler", "telefon", "tlf", "mobil",
    "phone", "epost", "e post", "email", "e mail", "diagnose", "vedtak",
})
_PERSONAL_PARTS = ("leietaker", "fodselsn", "personn", "tenant", "beboer", "saksnr", "saksnummer")


def personal_columns(headers: Iterable[object]) -> list[str]:
    """Return the headers that look like personal data (names, birth numbers, case details)."""
    found = []
    for h in headers:
        key = header_key(h)
        if key in PERSONAL_COLUMNS or any(p in key for p in _PERSONAL_PARTS):
            found.append(str(h))
    return found


def match_columns(
    headers: Iterable[object], schema: Mapping[str, tuple[str, ...]]
) -> tuple[dict[str, str], list[str], list[str]]:
    """Map schema fields to headers.

    Returns ``(field → header, unknown headers, problems)``.  Aliases earlier in a field's list
    win; two headers claiming the same alias rank are reported as a problem.
    """
    headers = [str(h) for h in headers]
    keys = {h: header_key(h) for h in headers}
    mapping: dict[str, str] = {}
    problems: list[str] = []
    used: set[str] = set()
    for fld, aliases in schema.items():
        for alias in aliases:
            hits = [h for h in headers if keys[h] == alias and h not in used]
            if len(hits) > 1:
                problems.append(
                    "columns " + ", ".join(f"'{h}'" for h in hits) + f" all mean {fld}"
                )
            if hits:
                mapping[fld] = hits[0]
                used.add(hits[0])
                break
    unknown = [h for h in headers if h not in used]
    return mapping, unknown, problems
