"""User-interface strings in Norwegian bokmål (the default) and English.

Every text a page or the map shows goes through :func:`t`.  Vocabulary labels (unit types, tenures,
statuses, target groups) live in :mod:`geoplan.vocab`; this module holds everything else.
"""

from __future__ import annotations

LANGS: dict[str, str] = {"nb": "Norsk bokmål", "en": "English"}
DEFAULT_LANG = "nb"

# key: (bokmål, English)
STRINGS: dict[str, tuple[str, str]] = {
    # app shell
    "app_title": ("GeoPlan – kommunale boliger", "GeoPlan – municipal housing"),
    "language": ("Språk", "Language"),
    "starting": ("Åpner boligregisteret …", "Opening the register …"),
    "synthetic_note": (
        "Demodata for {name}: boligene er syntetiske og viser ingen virkelige adresser.",
        "Demo data for {name}: the units are synthetic and show no real addresses.",
    ),
    "municipality": ("{name} · kommunenr. {number}", "{name} · municipality no. {number}"),
    "no_units": (
        "Registeret har ingen boliger ennå. Importer en boligliste for å komme i gang.",
        "The register has no units yet. Import a list of units to get started.",
    ),
    # pages
    "page_map": ("Kart", "Map"),
    "page_concentration": ("Konsentrasjon", "Concentration"),
    "page_purchase": ("Kjøpstest", "Purchase test"),
    "page_plan": ("Kjøpsplan", "Purchase plan"),
    "page_import": ("Import", "Import"),
    # map page
    "map_title": ("Kart over kommunalt disponerte boliger", "Map of municipal rental units"),
    "filters": ("Filtre", "Filters"),
    "filter_type": ("Boligtype", "Unit type"),
    "filter_tenure": ("Eierform", "Tenure"),
    "filter_status": ("Status", "Status"),
    "filter_target_group": ("Målgruppe", "Target group"),
    "all": ("Alle", "All"),
    "area_system": ("Områdeinndeling", "Area system"),
    "no_areas": ("Ingen", "None"),
    "showing": ("Viser {shown} av {total} boliger", "Showing {shown} of {total} units"),
    "table": ("Boliger", "Units"),
    "download_csv": ("Last ned CSV", "Download CSV"),
    "download_xlsx": ("Last ned Excel", "Download Excel"),
    "file_stem": ("boliger", "units"),
    # map layers and legend
    "layer_units": ("Boliger", "Units"),
    "layer_areas": ("Områder", "Areas"),
    "basemap_osm": ("OpenStreetMap", "OpenStreetMap"),
    "basemap_topo": ("Kartverket topografisk", "Kartverket topographic"),
    "legend_title": ("Boligtype", "Unit type"),
    "area_name": ("Område", "Area"),
    # unit fields (popup and table)
    "unit_id": ("Bolig-ID", "Unit ID"),
    "address": ("Adresse", "Address"),
    "postal_code": ("Postnr.", "Postal code"),
    "place": ("Poststed", "Place"),
    "unit_type": ("Boligtype", "Unit type"),
    "tenure": ("Eierform", "Tenure"),
    "status": ("Status", "Status"),
    "target_group": ("Målgruppe", "Target group"),
    "rooms": ("Rom", "Rooms"),
    "floor_area": ("m²", "m²"),
    "floor": ("Etasje", "Floor"),
    "universal_design": ("Universelt utformet", "Universal design"),
    "wheelchair": ("Rullestoltilpasset", "Wheelchair accessible"),
    "monthly_rent": ("Husleie (kr/mnd)", "Rent (NOK/month)"),
    "building_id": ("Bygningsnr.", "Building no."),
    "housing_company": ("Borettslag/sameie", "Housing company"),
    "gnr": ("Gnr.", "Farm no."),
    "bnr": ("Bnr.", "Holding no."),
    "fnr": ("Fnr.", "Leasehold no."),
    "snr": ("Snr.", "Section no."),
    "acquired": ("Anskaffet", "Acquired"),
    "disposed": ("Avhendet", "Disposed"),
    "contract_end": ("Kontrakt utløper", "Contract ends"),
    "lon": ("Lengdegrad", "Longitude"),
    "lat": ("Breddegrad", "Latitude"),
    "yes": ("Ja", "Yes"),
    "no": ("Nei", "No"),
    # area systems
    "system.grunnkrets": ("Grunnkretser", "Basic statistical units"),
    "system.delområde": ("Delområder", "Sub-areas"),
    "system.levekarssone": ("Levekårssoner", "Living-conditions zones"),
    "system.ssb250m": ("SSB-rutenett 250 m", "SSB grid 250 m"),
    "system.ssb1km": ("SSB-rutenett 1 km", "SSB grid 1 km"),
    "system.kommune": ("Kommuner", "Municipalities"),
    # --- concentration page ---
    # --- purchase pages ---
    # --- import page ---
}


def has(key: str) -> bool:
    """Return whether ``key`` is a known UI string."""
    return key in STRINGS


def t(key: str, lang: str = DEFAULT_LANG, /, **fmt: object) -> str:
    """Return the UI string ``key`` in ``lang`` (bokmål when unknown), formatted with ``fmt``."""
    pair = STRINGS.get(key)
    if pair is None:
        return key
    text = pair[1] if lang == "en" else pair[0]
    return text.format(**fmt) if fmt else text


def area_system_label(system: str, lang: str = DEFAULT_LANG) -> str:
    """Return the display name of an area system, or the system's own name when not translated."""
    key = f"system.{system}"
    return t(key, lang) if has(key) else system
