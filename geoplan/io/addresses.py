"""Import of Kartverket's open address register (semicolon CSV) and the address search."""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np
import pandas as pd
from sqlalchemy import Engine, delete, func, select
from sqlalchemy.orm import Session

from geoplan import crs as crs_mod
from geoplan.address import address_line
from geoplan.io import values
from geoplan.io.errors import ImportRefused
from geoplan.io.files import read_table
from geoplan.io.rows import Field, parse_table
from geoplan.storage import repo
from geoplan.storage.models import Address
from geoplan.vocab import fold

ADDRESS_COLUMNS: dict[str, tuple[str, ...]] = {
    "street": ("adressenavn", "gatenavn", "street"),
    "number": ("nummer", "husnummer", "number"),
    "letter": ("bokstav", "letter"),
    "postal_code": ("postnummer", "postnr", "postal code"),
    "place": ("poststed", "place"),
    "epsg": ("epsg kode", "epsg", "crs"),
    "y": ("nord", "north", "y"),
    "x": ("ost", "east", "x"),
}
ADDRESS_FIELDS = [
    Field("street", values.text, True, "street name (adressenavn)"),
    Field("number", values.text), Field("letter", values.text),
    Field("postal_code", values.postal_code), Field("place", values.text),
    Field("epsg", values.integer),
    Field("y", values.number, True, "northing (Nord)"),
    Field("x", values.number, True, "easting (Øst)"),
]


def search_key(text: str) -> str:
    """Normalise an address for search: "Storgata 12 B, 2406" → "storgata 12b 2406"."""
    s = fold(re.sub(r"[,;.]", " ", str(text)))
    s = re.sub(r"(\d+)\s+([a-zæøå])\b", r"\1\2", s)
    return re.sub(r"\s+", " ", s).strip()


def import_addresses(
    engine: Engine, path: str | Path, crs: str | int | None = None, filename: str | None = None
) -> int:
    """Import an address register file, replacing the stored register; refuse bad rows."""
    raw = read_table(path, filename)
    _, _, records, problems = parse_table(raw, ADDRESS_COLUMNS, ADDRESS_FIELDS)
    given = crs_mod.parse_epsg(crs)
    frame = pd.DataFrame(records).reindex(columns=[f.name for f in ADDRESS_FIELDS])
    if frame["epsg"].isna().any():
        if given is None:
            problems.append("no EPSG-kode column or value: give --crs")
        frame["epsg"] = frame["epsg"].fillna(given or 0)
    bad = ~frame["epsg"].isin(crs_mod.ACCEPTED_EPSG)
    problems += [f"row {i + 1}: EPSG:{int(c)} is not accepted"
                 for i, c in zip(np.flatnonzero(bad), frame["epsg"][bad], strict=True)
                 if c]
    if problems:
        raise ImportRefused(raw.filename, problems)
    x = np.full(len(frame), np.nan)
    y = np.full(len(frame), np.nan)
    for code, part in frame.groupby("epsg"):
        px, py = crs_mod.to_work(part["x"], part["y"], int(code))
        x[part.index], y[part.index] = px, py
    frame["x"], frame["y"] = x, y
    frame["search_key"] = [
        search_key(f"{r.street} {r.number or ''} {r.letter or ''} {r.postal_code or ''} "
                   f"{r.place or ''}") for r in frame.itertuples()]
    rows = frame.drop(columns=["epsg"]).to_dict("records")
    with Session(engine) as s, s.begin():
        s.execute(delete(Address))
        s.execute(Address.__table__.insert(), rows)
        repo.log_import(s, "addresses", raw.filename, len(rows))
    return len(rows)


def search_addresses(engine: Engine, query: str, limit: int = 10) -> pd.DataFrame:
    """Find addresses whose text contains every word of ``query``, shortest first."""
    words = search_key(query).split()
    cols = ["street", "number", "letter", "postal_code", "place", "x", "y"]
    if not words:
        return pd.DataFrame(columns=[*cols, "text"])
    stmt = select(*(getattr(Address, c) for c in cols))
    for w in words:
        stmt = stmt.where(Address.search_key.contains(w, autoescape=True))
    stmt = stmt.order_by(func.length(Address.search_key), Address.search_key).limit(limit)
    with engine.connect() as conn:
        out = pd.DataFrame(conn.execute(stmt).all(), columns=cols)
    out["text"] = [address_line(r.street, r.number, r.letter, r.postal_code, r.place)
                   for r in out.itertuples()]
    return out
