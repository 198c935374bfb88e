"""Words for an import's summary (:class:`geoplan.service.ImportSummary`), in bokmål or English.

The summary is numbers and codes; this module makes the one line the import page shows after a
successful import (and the unit count line ``geoplan import units`` prints), and the words for
every problem an importer can find (:data:`PROBLEMS`, one entry per code of
``geoplan.io.problems.CODES``): "rad 3, kolonne «Øst»: «abc» er ikke et tall".

The texts are plain (no Markdown): a page shows them in a table or escapes them.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from geoplan.ui.i18n import area_system_label, has, t
from geoplan.ui.wording import fill, plural
from geoplan.vocab import DEFAULT_UNIT_TYPES, STATUS, TARGET_GROUP, TENURE

if TYPE_CHECKING:
    from geoplan.service import ImportSummary, Problem

# word -> ((bokmål one, bokmål many), (English one, English many))
WORDS: dict[str, tuple[tuple[str, str], tuple[str, str]]] = {
    "row": (("rad", "rader"), ("row", "rows")),
    "feature": (("objekt", "objekter"), ("feature", "features")),  # a spatial file's row
    "unit": (("bolig", "boliger"), ("unit", "units")),
    "problem": (("feil", "feil"), ("problem", "problems")),
    "new": (("ny", "nye"), ("new", "new")),
    "area": (("område", "områder"), ("area", "areas")),
    "demand_row": (("behovsrad", "behovsrader"), ("demand row", "demand rows")),
    "cell": (("rute", "ruter"), ("cell", "cells")),
    "address": (("adresse", "adresser"), ("address", "addresses")),
    "service": (("tjenestepunkt", "tjenestepunkter"), ("service point", "service points")),
    "flow_row": (("rad med strømmer", "rader med strømmer"), ("flow row", "flow rows")),
}

# kind -> (bokmål, English): the summary's fields fill them, and each word of COUNTED, in the
# number of the summary's field it names (``{row}`` follows ``rows``, ``{new}`` ``created``).
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
    values |= {w: word(w, getattr(summary, c), lang) for w, c in COUNTED.items()}
    return template.format(**values)



# problem code -> (bokmål, English).  The placeholders are the problem's details (see
# geoplan.io.problems.CODES); {field} is worded by field_label, {value} is quoted and cut.
PROBLEMS: dict[str, tuple[str, str]] = {
    # --- reading the file ---
    "unreadable": ("filen kan ikke leses ({reason})", "the file cannot be read ({reason})"),
    "unsupported_type": ("filtypen «{suffix}» støttes ikke (bruk CSV, XLSX, GeoJSON, GPKG eller "
                         "zippet SHP)",
                         "the file type “{suffix}” is not supported (use CSV, XLSX, GeoJSON, "
                         "GPKG or zipped SHP)"),
    "empty_file": ("filen er tom", "the file is empty"),
    "several_sheets": ("filen har flere ark ({names}); velg hvilket ark som skal leses",
                       "the file has several sheets ({names}); choose the sheet to read"),
    "several_layers": ("filen har flere lag ({names}); velg hvilket lag som skal leses",
                       "the file has several layers ({names}); choose the layer to read"),
    "unknown_sheet": ("filen har ikke arket «{name}» (arkene er {names})",
                      "the file has no sheet “{name}” (its sheets are {names})"),
    "unknown_layer": ("filen har ikke laget «{name}» (lagene er {names})",
                      "the file has no layer “{name}” (its layers are {names})"),
    "duplicate_header": ("overskriften «{header}» står i flere kolonner",
                         "the header “{header}” is used by several columns"),
    "too_many_fields": ("raden har {fields} felt, men overskriftsraden bare {expected}",
                        "the row has {fields} fields but the header only {expected}"),
    # --- columns ---
    "missing_column": ("mangler kolonne for {field} (for eksempel {examples})",
                       "missing column for {field} (for example {examples})"),
    "ambiguous_columns": ("kolonnene {headers} betyr alle {field}; behold én",
                          "the columns {headers} all mean {field}; keep one"),
    "unused_column": ("kolonnen brukes ikke", "the column is not used"),
    # --- personal data ---
    "personal_header": ("kolonnen ser ut til å ha personopplysninger ({kind}), som GeoPlan ikke "
                        "lagrer; fjern den og importer igjen",
                        "the column looks like personal data ({kind}), which GeoPlan does not "
                        "store; remove it and import again"),
    "personal_content": ("{count:verdi|verdier} ser ut som {kind} ({rows_word} {rows}); GeoPlan "
                         "lagrer ikke personopplysninger",
                         "{count:value looks|values look} like {kind} ({rows_word} {rows}); "
                         "GeoPlan does not store personal data"),
    "fnr_ambiguous": ("«fnr» ser ut som fødselsnummer, ikke festenummer ({rows_word} {rows}); "
                      "fjern kolonnen eller kall den «Festenummer»",
                      "“fnr” looks like a birth number, not a festenummer ({rows_word} {rows}); "
                      "remove the column or name it “Festenummer”"),
    # --- values ---
    "missing_value": ("mangler verdi", "missing value"),
    "not_a_number": ("{value} er ikke et tall", "{value} is not a number"),
    "not_whole": ("{value} er ikke et helt tall", "{value} is not a whole number"),
    "not_a_date": ("{value} er ikke en dato (bruk dd.mm.åååå)",
                   "{value} is not a date (use dd.mm.yyyy or yyyy-mm-dd)"),
    "not_yes_no": ("{value} er ikke ja/nei", "{value} is not yes/no"),
    "not_postal_code": ("{value} er ikke et postnummer (fire sifre)",
                        "{value} is not a postal code (four digits)"),
    "not_staffing": ("{value} er ikke et bemanningsbehov (Bemannet/Ubemannet)",
                     "{value} is not a staffing need (Staffed/Unstaffed)"),
    "unknown_code": ("{value} er ikke en kjent verdi for {field} (kjente: {known})",
                     "{value} is not a known {field} (known: {known})"),
    "too_long": ("{value} er lengre enn {limit} tegn", "{value} is longer than {limit} characters"),
    "negative": ("{value} er negativt", "{value} is negative"),
    "too_large": ("{value} er for stort (høyst {limit})", "{value} is too large (at most {limit})"),
    "date_too_early": ("{value} er før {limit}", "{value} is before {limit}"),
    "date_in_future": ("{value} er etter {limit}, mer enn ett år fram i tid",
                       "{value} is after {limit}, more than a year ahead"),
    "two_digit_year": ("{value} har tosifret årstall; skriv året med fire sifre",
                       "{value} has a two-digit year; write the year with four digits"),
    "excel_error": ("cellen har Excel-feilen {value}", "the cell holds the Excel error {value}"),
    "control_character": ("verdien har kontrolltegn (usynlige tegn)",
                          "the value has control characters (invisible characters)"),
    # --- rows ---
    "duplicate_id": ("{value} står også i rad {first_row}", "{value} is also in row {first_row}"),
    "dispose_before_acquired": ("boligen mangler i filen, men kan ikke avhendes {disposed}: den "
                                "ble anskaffet {acquired}",
                                "the unit is missing from the file but cannot be disposed of on "
                                "{disposed}: it was acquired on {acquired}"),
    "dispose_date_missing": ("velg datoen boligene som mangler i filen skal avhendes",
                             "choose the date on which the units missing from the file are "
                             "disposed of"),
    "disposed_before_acquired": ("avhendet {disposed} er før anskaffet {acquired}",
                                 "disposed {disposed} is before acquired {acquired}"),
    # --- coordinates and CRS ---
    "missing_point": ("mangler punkt", "missing point"),
    "not_a_point": ("{geom_type} er ikke et punkt", "{geom_type} is not a point"),
    "missing_coordinates": ("mangler koordinatkolonner: bruk «Øst» og «Nord» (UTM) eller «lat» "
                            "og «lon»",
                            "missing coordinate columns: give “Øst” and “Nord” (UTM) or “lat” "
                            "and “lon”"),
    "missing_coordinate": ("mangler koordinat", "missing coordinate"),
    "outside_norway": ("punktet ({x}, {y}) i EPSG:{epsg} ligger utenfor Norge",
                       "the point ({x}, {y}) in EPSG:{epsg} lies outside Norway"),
    "outside_boundary": ("punktet ({x}, {y}) i EPSG:{epsg} ligger utenfor {place}",
                         "the point ({x}, {y}) in EPSG:{epsg} lies outside {place}"),
    "crs_conflict": ("filen sier EPSG:{file_epsg}; brukte EPSG:{epsg} som valgt",
                     "the file says EPSG:{file_epsg}; used EPSG:{epsg} as chosen"),
    "crs_guessed": ("filen sier ikke hvilket koordinatsystem den bruker; tolket som EPSG:{epsg} "
                    "ut fra tallene. Velg koordinatsystem om det er feil",
                    "the file does not say its coordinate system; read as EPSG:{epsg} from the "
                    "numbers. Choose the coordinate system if this is wrong"),
    "crs_not_accepted": ("koordinatsystemet {value} støttes ikke (bruk EPSG:25832, 25833, 25835 "
                         "eller 4326)",
                         "the coordinate system {value} is not accepted (use EPSG:25832, "
                         "25833, 25835 or 4326)"),
    "no_crs": ("filen sier ikke hvilket koordinatsystem den bruker, og tallene er ikke lengde- "
               "og breddegrad; velg koordinatsystem",
               "the file does not say its coordinate system, and the numbers are not "
               "longitude and latitude; choose the coordinate system"),
    # --- areas, boundary and grid ---
    "no_polygons": ("filen har ingen polygoner (bruk GeoJSON, GPKG eller SHP)",
                    "the file has no polygons (use GeoJSON, GPKG or SHP)"),
    "missing_polygon": ("mangler polygon", "missing polygon"),
    "not_a_polygon": ("{geom_type} er ikke et polygon", "{geom_type} is not a polygon"),
    "zero_area": ("polygonet har ikke noe areal", "the polygon has no area"),
    "not_finite": ("polygonet har ugyldige koordinater (uendelig eller tom)",
                   "the polygon has invalid coordinates (infinite or empty)"),
    "area_outside_norway": ("polygonet ligger utenfor Norge", "the polygon lies outside Norway"),
    "repaired_geometry": ("omrisset til {area} krysset seg selv og ble reparert",
                          "the outline of {area} crossed itself and was repaired"),
    "overlap": ("{area} og {other} overlapper ({share:pct} av det minste)",
                "{area} and {other} overlap ({share:pct} of the smaller)"),
    "gap_units": ("{count:kommunal bolig ligger|kommunale boliger ligger} utenfor alle områdene",
                  "{count:municipal unit lies|municipal units lie} outside every area"),
    "grid_id_invalid": ("{value} er ikke en SSB-rute-ID på {size} m",
                        "{value} is not an SSB {size} m cell id"),
    "no_boundary": ("alle rutene i kommunen krever kommunegrensen; importer den først",
                    "every cell of the municipality needs the municipal boundary; import it "
                    "first"),
    # --- demand, flows, addresses, service points, candidates ---
    "address_not_found": ("fant ikke adressen {value} i adresseregisteret",
                          "the address {value} is not in the address register"),
    "no_location_columns": ("filen har verken koordinater (Øst/Nord eller lat/lon) eller en "
                            "adressekolonne",
                            "the file has no coordinates (Øst/Nord or lat/lon) and no address "
                            "column"),
    "not_a_year": ("{value} er ikke et årstall ({first}–{last})",
                   "{value} is not a year ({first}–{last})"),
    "duplicate_year_group": ("{year} og {group} står allerede i rad {first_row}",
                             "{year} and {group} are already in row {first_row}"),
    "no_flow_columns": ("ingen kolonne med strømmer (for eksempel {examples})",
                        "no column of flows (for example {examples})"),
    # --- the database ---
    "database_busy": ("en annen import pågår; prøv igjen om litt",
                      "another import is running; try again shortly"),
}

# kinds of personal data (personal_header, personal_content): (bokmål, English)
PERSONAL_KINDS: dict[str, tuple[str, str]] = {
    "name": ("navn", "names"),
    "birth_number": ("fødselsnummer eller D-nummer", "birth numbers or D-numbers"),
    "birth_date": ("fødselsdato", "dates of birth"),
    "phone": ("telefonnummer", "phone numbers"),
    "email": ("e-postadresser", "e-mail addresses"),
    "case": ("saksopplysninger", "case details"),
    "person": ("beboer eller pårørende", "residents or relatives"),
    "other": ("personopplysninger", "personal data"),
}

# import fields that are not unit fields: (bokmål, English)
FIELDS: dict[str, tuple[str, str]] = {
    "code": ("område-ID", "area id"), "name": ("navn", "name"),
    "population": ("befolkning", "population"), "dwellings": ("boliger", "dwellings"),
    "snapshot_date": ("dato", "date"), "target_group": ("målgruppe", "target group"),
    "households": ("husstander", "households"), "rooms_needed": ("rom", "rooms"),
    "preferred_area": ("ønsket område", "preferred area"), "year": ("år", "year"),
    "inflow": ("nye søknader", "new applications"), "allocations": ("tildelinger", "allocations"),
    "withdrawals": ("frafall", "withdrawals"), "relets": ("gjenutleie", "re-lets"),
    "ssb_id": ("SSB-rute-ID", "SSB cell id"), "label": ("navn", "label"),
    "price": ("pris", "price"), "kind": ("type", "kind"), "action": ("handling", "action"),
}

# the vocabulary whose labels name a coded field's known values (unit types: the defaults)
KNOWN_VOCABULARIES = {"unit_type": DEFAULT_UNIT_TYPES, "tenure": TENURE, "status": STATUS,
                      "target_group": TARGET_GROUP}

SPATIAL_SUFFIXES = (".geojson", ".json", ".gpkg", ".zip", ".shp")


def field_label(name: str, lang: str) -> str:
    """An import field's name in words: a unit field's label, or :data:`FIELDS`."""
    if name in FIELDS:
        return FIELDS[name][lang == "en"]
    return t(name, lang) if has(name) else name.replace("_", " ")


def quoted(value: object, lang: str, limit: int = 40) -> str:
    """A value from the file in quotes, cut to ``limit`` characters: «abc» / “abc”."""
    s = str(value)
    s = s if len(s) <= limit else s[: limit - 1] + "…"
    return f"«{s}»" if lang != "en" else f"“{s}”"


def is_spatial(filename: str) -> bool:
    """Whether a file's rows are features (GeoJSON, GPKG, SHP): "objekt 1", not "rad 2"."""
    return filename.lower().endswith(SPATIAL_SUFFIXES)


def shown_row(row: int, spatial: bool) -> int:
    """The row as the user counts it: the spreadsheet row, or a spatial file's feature number
    (feature 1 is spreadsheet row 2)."""
    return row - 1 if spatial else row


def where(p: Problem, lang: str, filename: str = "") -> str:
    """Where a problem is: "rad 3 (EL-0002), kolonne «Øst»" ('' for the whole file).

    A spatial file's rows are its features: "objekt 2" for spreadsheet row 3.
    """
    parts = []
    if p.row is not None:
        spatial = is_spatial(filename)
        parts.append(f"{word('feature' if spatial else 'row', 1, lang)} "
                     f"{shown_row(p.row, spatial)}" + (f" ({p.unit_id})" if p.unit_id else ""))
    if p.column is not None:
        parts.append(f"{'column' if lang == 'en' else 'kolonne'} {quoted(p.column, lang)}")
    return ", ".join(parts)


def problem_body(p: Problem, lang: str, filename: str = "") -> str:
    """What is wrong, without where: "«abc» er ikke et tall".

    A spatial file's rows are its features ("objekt 1" for spreadsheet row 2).
    """
    template = PROBLEMS[p.code][lang == "en"]
    spatial = is_spatial(filename)
    values: dict[str, object] = {k: f"{v:%d.%m.%Y}" if isinstance(v, dt.date) else v
                                 for k, v in p.detail}
    if "rows" in values:
        rows = [shown_row(int(r), spatial) for r in str(values["rows"]).split(", ")
                if r.strip().isdigit()]
        values["rows"] = ", ".join(map(str, rows))
        values["rows_word"] = word("feature" if spatial else "row", len(rows), lang)
    if "value" in values:
        values["value"] = quoted(values["value"], lang)
    if "field" in values:
        label = field_label(str(values["field"]), lang)
        values["field"] = label if label[:2].isupper() else label[:1].lower() + label[1:]
    if "kind" in values and values["kind"] in PERSONAL_KINDS:
        values["kind"] = PERSONAL_KINDS[str(values["kind"])][lang == "en"]
    if "known" in values:
        vocab = KNOWN_VOCABULARIES.get(str(p.details.get("field")))
        codes = values["known"]
        codes = codes if isinstance(codes, tuple | list) else str(codes).split(", ")
        values["known"] = ", ".join(vocab.label(c, lang) if vocab else str(c) for c in codes)
    if "group" in values:
        values["group"] = TARGET_GROUP.label(str(values["group"]), lang)
    return fill(template, lang, **values)


def problem_text(p: Problem, lang: str, filename: str = "") -> str:
    """One problem as a line: "rad 3, kolonne «Øst»: «abc» er ikke et tall"."""
    place = where(p, lang, filename)
    body = problem_body(p, lang, filename)
    return f"{place}: {body}" if place else body


def problem_rows(problems: list[Problem], lang: str, filename: str = "") -> list[dict[str, object]]:
    """The problems as rows of a table: row, unit id, column, problem (for a page or a file)."""
    spatial = is_spatial(filename)
    en = lang == "en"
    row_head = word("feature" if spatial else "row", 1, lang).capitalize()
    return [{row_head: shown_row(p.row, spatial) if p.row is not None else None,
             ("Unit id" if en else "Bolig-ID"): p.unit_id or "",
             ("Column" if en else "Kolonne"): p.column or "",
             ("Problem" if en else "Problem"): problem_body(p, lang, filename)} for p in problems]


def problem_count(n: int, lang: str) -> str:
    """How many problems: "1 feil", "5 feil"; "1 problem", "5 problems"."""
    return f"{n} {word('problem', n, lang)}"


def units_count(n: int, lang: str) -> str:
    """How many units: "1 bolig", "5 boliger"; "1 unit", "5 units"."""
    return f"{n} {word('unit', n, lang)}"


def refusal_head(filename: str, n: int, lang: str) -> str:
    """The head of a refusal: "boliger.csv ble avvist, ingenting ble importert (3 feil)"."""
    if lang == "en":
        return f"{filename} was refused, nothing was imported ({problem_count(n, lang)})"
    return f"{filename} ble avvist, ingenting ble importert ({problem_count(n, lang)})"


def refusal_text(exc, lang: str) -> str:
    """A refusal (:class:`geoplan.service.ImportRefused`) as lines: the head, then each problem."""
    lines = [refusal_head(exc.filename, len(exc.problems), lang)]
    lines += [f"  {problem_text(p, lang, exc.filename)}" for p in exc.problems]
    return "\n".join(lines)
