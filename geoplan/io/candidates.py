"""Reading candidate files: flats for sale (and planned sales) to test or plan with."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
from sqlalchemy import Engine

from geoplan.address import address_line
from geoplan.io import values
from geoplan.io.addresses import search_addresses
from geoplan.io.columns import UNIT_COLUMNS
from geoplan.io.crs_option import given_epsg
from geoplan.io.demand import staffing
from geoplan.io.errors import ImportRefused
from geoplan.io.files import read_table
from geoplan.io.problems import Problem, detail_text, excel_row, problem
from geoplan.io.rows import Field, parse_table
from geoplan.io.units import locate, unit_parsers
from geoplan.storage import repo
from geoplan.vocab import Term, Vocabulary

ACTION = Vocabulary((
    Term("buy", "Kjøp", "Buy", ("kjop", "kjøp", "kjøpe", "buy", "purchase")),
    Term("sell", "Salg", "Sell", ("salg", "selge", "avhending", "leie til eie", "sell", "sale",
                                  "dispose")),
))
# The fields a candidate shares with a unit: their headers and parsers are the unit's.
_SHARED = ("unit_id", "address", "street", "house_number", "letter", "postal_code", "place",
           "building_id", "housing_company", "x", "y", "lon", "lat", "unit_type", "rooms",
           "floor_area", "floor", "universal_design")
CANDIDATE_COLUMNS: dict[str, tuple[str, ...]] = {k: UNIT_COLUMNS[k] for k in _SHARED} | {
    "price": ("pris", "prisantydning", "totalpris", "kjopesum", "price", "asking price"),
    "lift": ("heis", "lift", "elevator"),
    "staffed": ("bemannet", "bemanning", "staffed", "staffing"),
    "action": ("handling", "kjop salg", "action"),
}


def candidate_fields(types: Vocabulary) -> list[Field]:
    """The candidate schema, with the configured unit types (no field is required)."""
    parsers = unit_parsers(types)
    return [Field(k, parsers[k]) for k in _SHARED] + [
        Field("price", values.money), Field("lift", values.boolean),
        Field("staffed", staffing), Field("action", values.choice(ACTION, "action")),
    ]


def _geocode(engine: Engine, records: list[dict], column: str, problems: list[Problem]) -> None:
    for i, rec in enumerate(records):
        text = " ".join(str(rec[k]) for k in ("address", "street", "house_number", "letter",
                                              "postal_code") if rec.get(k))
        hits = search_addresses(engine, text, limit=1) if text.strip() else pd.DataFrame()
        if hits.empty:
            problems.append(problem("address_not_found", excel_row(i), column,
                                    value=detail_text(text.strip())))
            rec["x"] = rec["y"] = np.nan
        else:
            rec["x"], rec["y"] = float(hits.x[0]), float(hits.y[0])


def read_candidates(
    engine: Engine, path: str | Path, crs: str | int | None = None, filename: str | None = None,
    sheet: str | None = None,
) -> pd.DataFrame:
    """Read a candidate file (EPSG:25833); refuse it whole on any bad row.

    Without coordinate columns, each row's address is looked up in the address register.
    Columns: the file's fields of :data:`CANDIDATE_COLUMNS` (``floor_area`` as ``area_m2``,
    without ``lon``/``lat``), ``x``, ``y``, ``address`` and ``label`` (the address, else the unit
    id); ``attrs["warnings"]`` lists the warnings (:class:`geoplan.io.problems.Problem`).  The
    service completes the frame with ``geoplan.analytics.purchase.candidates_frame``.
    """
    raw = read_table(path, filename, sheet)
    epsg = given_epsg(crs, raw.filename)
    mapping, _, records, problems = parse_table(
        raw, CANDIDATE_COLUMNS, candidate_fields(repo.unit_types(engine)))
    warnings: list[Problem] = []
    has_xy = raw.geometry is not None or {"x", "y"} <= set(mapping) or {"lon", "lat"} <= set(
        mapping)
    if has_xy:
        muni = repo.municipality(engine)
        wx, wy, _ = locate(raw, mapping, records, problems, warnings, epsg,
                           muni.boundary if muni else None, muni.name if muni else None)
        for rec, x, y in zip(records, wx, wy, strict=True):
            rec["x"], rec["y"] = x, y
    elif "address" in mapping or "street" in mapping:
        _geocode(engine, records, mapping.get("address") or mapping["street"], problems)
    else:
        problems.append(problem("no_location_columns"))
    if problems:
        raise ImportRefused(raw.filename, problems)
    frame = pd.DataFrame(records)
    if "address" not in frame or frame["address"].isna().all():
        frame["address"] = [address_line(r.get("street"), r.get("house_number"), r.get("letter"))
                            or None for r in records]
    frame["label"] = frame["address"].fillna(frame.get("unit_id"))
    frame["area_m2"] = frame.get("floor_area")
    frame = frame.drop(columns=[c for c in ("lon", "lat", "floor_area") if c in frame])
    frame.attrs["warnings"] = warnings
    return frame
