"""The unit fields of the register, defined once: one :class:`UnitField` row per field.

Ground floor.  The importer (header aliases and parsers), the stored register's columns, the
export, the display table, the map popup and the database model all read :data:`UNIT_FIELDS`:
``geoplan.storage.models.Unit`` builds one column per stored row.
"""

from __future__ import annotations

from dataclasses import dataclass

from geoplan.vocab import STATUS, TARGET_GROUP, TENURE, Vocabulary

# What a field holds.  TEXT, CODE and POSTAL_CODE are strings; CODE is a code of a vocabulary.
TEXT, INT, FLOAT, MONEY, BOOL, DATE, CODE, POSTAL_CODE = (
    "text", "int", "float", "money", "bool", "date", "code", "postal_code")
KINDS = (TEXT, INT, FLOAT, MONEY, BOOL, DATE, CODE, POSTAL_CODE)


@dataclass(frozen=True)
class UnitField:
    """One field of a unit.

    Attributes
    ----------
    name : the register's column (and the export's header).
    kind : one of :data:`KINDS`.
    length : the database length of a text field (None: unlimited or not text).
    required : an import must have a column and a value for it.
    vocabulary : for a CODE field, the vocabulary's name (see :func:`vocabularies`).
    table, popup : position in the display table / the map popup (None: not shown there).
    aliases : spreadsheet headers that mean this field (normalised, see ``io.columns.header_key``).
    stored : a column of the register; False for import-only fields (address, lon, lat).
    locates : names the unit's address or exact place; hidden when addresses may not be shown.
    minimum : the smallest value a number may have (None: any); an import refuses less.
    """

    name: str
    kind: str
    length: int | None = None
    required: bool = False
    vocabulary: str | None = None
    table: int | None = None
    popup: int | None = None
    aliases: tuple[str, ...] = ()
    stored: bool = True
    locates: bool = False
    minimum: float | None = None

    @property
    def label(self) -> str:
        """The field's name in import messages: "unit type" for ``unit_type``."""
        return self.name.replace("_", " ")


UNIT_FIELDS: tuple[UnitField, ...] = (
    UnitField("unit_id", TEXT, 60, required=True, table=1, aliases=(
        "boligid", "bolig id", "bolignr", "bolig nr", "bolignummer", "bolignummer", "unit id",
        "unitid", "unit", "unit no", "objektnr", "objektnummer", "id")),
    UnitField("address", TEXT, table=2, stored=False, locates=True, aliases=(
        "adresse", "address", "gateadresse", "boligadresse", "street address")),
    UnitField("street", TEXT, 200, locates=True, aliases=(
        "gatenavn", "gate", "adressenavn", "vegnavn", "veinavn", "street", "street name")),
    UnitField("house_number", TEXT, 20, locates=True, aliases=(
        "husnr", "husnummer", "nummer", "house number", "number", "nr")),
    UnitField("letter", TEXT, 5, locates=True, aliases=("bokstav", "husbokstav", "letter")),
    UnitField("postal_code", POSTAL_CODE, 4, table=3, aliases=(
        "postnr", "postnummer", "post nr", "postal code", "postcode", "zip")),
    UnitField("place", TEXT, 100, table=4, aliases=("poststed", "sted", "place", "city", "town")),
    UnitField("gnr", INT, table=17, locates=True, minimum=0, aliases=("gnr", "gardsnummer", "gardsnr")),
    UnitField("bnr", INT, table=18, locates=True, minimum=0, aliases=("bnr", "bruksnummer", "bruksnr")),
    UnitField("fnr", INT, table=19, locates=True, minimum=0, aliases=("fnr", "festenummer", "festenr")),
    UnitField("snr", INT, table=20, locates=True, minimum=0, aliases=(
        "snr", "seksjonsnummer", "seksjonsnr")),
    UnitField("building_id", TEXT, 40, table=15, popup=11, locates=True, aliases=(
        "bygningsnr", "bygningsnummer", "bygning id", "bygg id", "bygningsid", "building id",
        "building")),
    UnitField("housing_company", TEXT, 200, table=16, popup=12, aliases=(
        "borettslag sameie", "borettslag", "sameie", "housing company",
        "borettslag eller sameie")),
    UnitField("x", FLOAT, locates=True, aliases=(
        "ost", "east", "easting", "x", "ost koordinat", "koordinat ost", "utm ost")),
    UnitField("y", FLOAT, locates=True, aliases=(
        "nord", "north", "northing", "y", "nord koordinat", "koordinat nord", "utm nord")),
    UnitField("lon", FLOAT, table=24, stored=False, locates=True, aliases=(
        "lon", "lng", "long", "longitude", "lengdegrad")),
    UnitField("lat", FLOAT, table=25, stored=False, locates=True, aliases=(
        "lat", "latitude", "breddegrad")),
    UnitField("unit_type", CODE, 40, required=True, vocabulary="unit_type", table=5, popup=1,
              aliases=("boligtype", "type", "unit type", "boligkategori", "kategori")),
    UnitField("tenure", CODE, 20, required=True, vocabulary="tenure", table=6, popup=2,
              aliases=("eierform", "disposisjonsform", "disposisjon", "tenure")),
    UnitField("rooms", INT, table=9, popup=5, minimum=0, aliases=(
        "antall rom", "rom", "ant rom", "rooms", "number of rooms")),
    UnitField("floor_area", FLOAT, table=10, popup=6, minimum=0, aliases=(
        "areal", "bra", "bruksareal", "p rom", "prom", "floor area", "area", "m2")),
    UnitField("floor", INT, table=11, popup=7, minimum=0, aliases=("etasje", "etg", "floor", "storey")),
    UnitField("universal_design", BOOL, table=12, popup=8, aliases=(
        "universelt utformet", "uu", "universal design", "universally designed")),
    UnitField("wheelchair", BOOL, table=13, popup=9, aliases=(
        "rullestoltilpasset", "rullestoltilgjengelig", "rullestol", "wheelchair",
        "wheelchair access", "wheelchair accessible")),
    UnitField("monthly_rent", MONEY, table=14, popup=10, minimum=0, aliases=(
        "husleie", "maanedsleie", "manedsleie", "leie", "husleie per maned", "monthly rent",
        "rent")),
    UnitField("purchase_price", MONEY, minimum=0, aliases=(
        "kjopesum", "kjopspris", "anskaffelseskost", "purchase price")),
    UnitField("target_group", CODE, 40, vocabulary="target_group", table=8, popup=4, aliases=(
        "malgruppe", "brukergruppe", "target group")),
    UnitField("status", CODE, 20, vocabulary="status", table=7, popup=3, aliases=(
        "status", "utleiestatus")),
    UnitField("acquired", DATE, table=21, popup=13, aliases=(
        "anskaffet", "anskaffelsesdato", "kjopt", "kjopsdato", "ervervet", "acquired",
        "acquisition date")),
    UnitField("disposed", DATE, table=22, popup=14, aliases=(
        "avhendet", "avhendingsdato", "solgt", "salgsdato", "disposed", "sold")),
    UnitField("contract_end", DATE, table=23, popup=15, aliases=(
        "kontraktslutt", "kontrakt slutt", "kontraktsutlop", "utlop kontrakt", "contract end",
        "lease end")),
)
FIELD_BY_NAME: dict[str, UnitField] = {f.name: f for f in UNIT_FIELDS}

# The register's columns, in order (the stored rows).
REGISTER_FIELDS: tuple[str, ...] = tuple(f.name for f in UNIT_FIELDS if f.stored)


def shown_in(where: str) -> tuple[UnitField, ...]:
    """Return the fields shown in ``"table"`` or ``"popup"``, in their order there."""
    rows = [f for f in UNIT_FIELDS if getattr(f, where) is not None]
    return tuple(sorted(rows, key=lambda f: getattr(f, where)))


def vocabularies(types: Vocabulary) -> dict[str, Vocabulary]:
    """Return the vocabulary of each CODE field by field name; ``types`` are the unit types."""
    named = {"unit_type": types, "tenure": TENURE, "status": STATUS, "target_group": TARGET_GROUP}
    return {f.name: named[f.vocabulary] for f in UNIT_FIELDS if f.kind == CODE}
