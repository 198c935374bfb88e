"""Import of a service point layer (schools, kindergartens, shops, bus stops)."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import Engine, delete
from sqlalchemy.orm import Session

from geoplan.io import values
from geoplan.io.errors import ImportRefused
from geoplan.io.files import read_table
from geoplan.io.rows import Field, parse_table
from geoplan.io.units import locate
from geoplan.storage import repo
from geoplan.storage.models import Service
from geoplan.vocab import Term, Vocabulary, fold

SERVICE_COLUMNS = {
    "name": ("navn", "name", "tjeneste"),
    "category": ("kategori", "type", "category"),
    "x": ("ost", "east", "x"), "y": ("nord", "north", "y"),
    "lon": ("lon", "longitude"), "lat": ("lat", "latitude"),
}
CATEGORY = Vocabulary((
    Term("skole", "Skole", "School", ("barneskole", "ungdomsskole", "grunnskole", "school",
                                      "primary school", "secondary school")),
    Term("barnehage", "Barnehage", "Kindergarten", ("kindergarten", "nursery")),
    Term("helsestasjon", "Helsestasjon", "Health centre",
         ("helse", "legekontor", "health", "health centre", "clinic")),
    Term("dagligvare", "Dagligvare", "Grocery", ("butikk", "matbutikk", "shop", "grocery",
                                                 "supermarket")),
    Term("kollektiv", "Kollektiv", "Public transport",
         ("buss", "busstopp", "bussholdeplass", "holdeplass", "stopp", "bus", "bus stop",
          "stop", "tog", "stasjon", "train")),
))


def category(value: object) -> str:
    """A known category's code (school → skole …); other categories are kept as written."""
    return CATEGORY.code(value) or fold(value)


SERVICE_FIELDS = [
    Field("name", values.text), Field("category", category, True, "category"),
    Field("x", values.number), Field("y", values.number),
    Field("lon", values.number), Field("lat", values.number),
]


def import_services(engine: Engine, path: str | Path, filename: str | None = None,
                    sheet: str | None = None) -> int:
    """Import service points, replacing the stored layer; refuse the file on any bad row."""
    raw = read_table(path, filename, sheet)
    mapping, _, records, problems = parse_table(raw, SERVICE_COLUMNS, SERVICE_FIELDS)
    x, y, _ = locate(raw, mapping, records, problems, [])
    if problems:
        raise ImportRefused(raw.filename, problems)
    rows = [{"name": r.get("name"), "category": r["category"], "x": float(px), "y": float(py)}
            for r, px, py in zip(records, x, y, strict=True)]
    with Session(engine) as s, s.begin():
        s.execute(delete(Service))
        if rows:
            s.execute(Service.__table__.insert(), rows)
        repo.log_import(s, "services", raw.filename, len(rows))
    return len(rows)
