"""Import of SSB grid statistics as an area system of 250 m or 1 km cells."""

from __future__ import annotations

from pathlib import Path

import numpy as np
from sqlalchemy import Engine
from sqlalchemy.orm import Session

from geoplan import ssb_grid as grid
from geoplan.io import values
from geoplan.io.areas import AREA_FIELDS
from geoplan.io.columns import AREA_COLUMNS
from geoplan.io.errors import ImportRefused
from geoplan.io.files import read_table
from geoplan.io.rows import parse_table
from geoplan.storage import repo


def _check_id(size: int):
    def parse(value: object) -> str:
        code = values.integer(value)
        x, y = grid.corner(np.array([code]))
        if code <= 0 or x[0] % size or y[0] % size or not (0 < y[0] < 10_000_000):
            raise ValueError(f"'{value}' is not an SSB {size} m grid id")
        return str(code)
    return parse


def import_grid(
    engine: Engine, path: str | Path, size: int, system: str | None = None,
    filename: str | None = None, all_cells: bool = False,
) -> int:
    """Import grid statistics (id, population, dwellings) and store their cells as areas.

    Cells holding a unit of the register but absent from the statistics are added with zero
    population and dwellings, as SSB publishes inhabited cells only.  With ``all_cells``, every
    cell that touches the municipal boundary is generated too.
    """
    if size not in grid.SIZES:
        raise ValueError(f"grid size must be one of {sorted(grid.SIZES)} m")
    raw = read_table(path, filename)
    fields = [f if f.name != "code" else type(f)("code", _check_id(size), True, "SSB grid id")
              for f in AREA_FIELDS if f.name != "name"]
    _, _, records, problems = parse_table(raw, AREA_COLUMNS, fields)
    if problems:
        raise ImportRefused(raw.filename, problems)
    stats = {r["code"]: r for r in records}
    units = repo.load_units(engine)
    unit_ids = grid.ssb_id(units["x"].to_numpy(), units["y"].to_numpy(), size).astype(str)
    wanted = set(stats) | set(unit_ids)
    boundary = repo.boundary(engine)
    if all_cells:
        if boundary is None:
            raise ValueError("all cells need the municipal boundary: import it first")
        wanted |= set(grid.covering_ids(boundary, size).astype(str))
    ids = np.array(sorted(wanted), dtype=np.int64)
    gdf = grid.cells(ids, size)
    gdf["name"] = gdf["code"]
    gdf["population"] = [(stats.get(c) or {}).get("population") or 0 for c in gdf["code"]]
    gdf["dwellings"] = [(stats.get(c) or {}).get("dwellings") or 0 for c in gdf["code"]]
    with Session(engine) as s, s.begin():
        return repo.replace_areas(s, system or grid.SIZES[size], gdf, raw.filename)
