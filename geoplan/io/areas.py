"""Import of area systems (grunnkretser, delområder, …) and of the municipal boundary."""

from __future__ import annotations

import re
from pathlib import Path

import geopandas as gpd
import shapely
from sqlalchemy import Engine
from sqlalchemy.orm import Session

from geoplan import crs as crs_mod
from geoplan.io import values
from geoplan.io.columns import AREA_COLUMNS
from geoplan.io.errors import ImportRefused
from geoplan.io.files import RawTable, read_table
from geoplan.io.rows import Field, parse_table, within_lengths
from geoplan.storage import repo
from geoplan.storage.models import Area

AREA_FIELDS = within_lengths([
    Field("code", values.text, True, "area id"),
    Field("name", values.text),
    Field("population", values.integer),
    Field("dwellings", values.integer),
], Area.__table__)


def system_name(filename: str) -> str:
    """Derive an area system name from a file name: "grunnkretser_3420.geojson" → "grunnkretser"."""
    stem = Path(filename).stem.lower()
    return re.sub(r"[_\-\s]*\d+$", "", stem) or "areas"


def parse_areas(raw: RawTable, epsg: int | None = None) -> gpd.GeoDataFrame:
    """Validate a raw area table and return it as a GeoDataFrame in EPSG:25833."""
    if raw.geometry is None:
        raise ImportRefused(raw.filename, ["the file has no polygons (use GeoJSON, GPKG or SHP)"])
    mapping, unknown, records, problems = parse_table(raw, AREA_COLUMNS, AREA_FIELDS)
    for fld in ("population", "dwellings"):
        for i, rec in enumerate(records):
            if rec.get(fld) is not None and rec[fld] < 0:
                problems.append(f"row {i + 1}, column '{mapping[fld]}': negative count")
    src = epsg or raw.epsg  # an explicit --crs wins over the file's
    if src is None:
        raise ImportRefused(raw.filename, ["the file has no CRS; give --crs"])
    geoms = raw.geometry.to_numpy()
    seen: dict[str, int] = {}
    for i, g in enumerate(geoms):
        row = i + 1
        if g is None or g.is_empty:
            problems.append(f"row {row}, column 'geometry': missing polygon")
        elif g.geom_type not in {"Polygon", "MultiPolygon"}:
            problems.append(f"row {row}, column 'geometry': {g.geom_type} is not a polygon")
        code = records[i].get("code")
        if code in seen:
            problems.append(
                f"row {row}, column '{mapping['code']}': duplicate area id '{code}' "
                f"(also in row {seen[code]})"
            )
        elif code is not None:
            seen[code] = row
    if problems:
        raise ImportRefused(raw.filename, problems)
    gdf = gpd.GeoDataFrame(records, geometry=list(geoms), crs=src).to_crs(crs_mod.WORK_EPSG)
    gdf["geometry"] = shapely.make_valid(gdf.geometry.to_numpy())
    extra = [c for c in unknown if c in raw.frame.columns]
    numeric = raw.frame[extra].apply(lambda s: s.map(_maybe_number))
    keep = [c for c in extra if numeric[c].notna().all()]
    gdf["indicators"] = numeric[keep].to_dict("records") if keep else None
    return gdf


def _maybe_number(value: object) -> float | None:
    try:
        return values.number(value)
    except (ValueError, TypeError):
        return None


def import_areas(
    engine: Engine, path: str | Path, system: str | None = None, crs: str | int | None = None,
    filename: str | None = None,
) -> int:
    """Import an area file as area system ``system``, replacing that system's areas."""
    raw = read_table(path, filename)
    gdf = parse_areas(raw, crs_mod.parse_epsg(crs))
    with Session(engine) as s, s.begin():
        return repo.replace_areas(s, system or system_name(raw.filename), gdf, raw.filename)


def import_boundary(
    engine: Engine, path: str | Path, number: str | None = None, name: str | None = None,
    synthetic: bool = False, filename: str | None = None,
) -> int:
    """Import the municipal boundary (the union of the file's polygons); return the polygons.

    ``number`` and ``name`` default to the first row's area id and name.
    """
    raw = read_table(path, filename)
    gdf = parse_areas(raw)
    first = gdf.iloc[0]
    with Session(engine) as s, s.begin():
        repo.log_import(s, "boundary", raw.filename, len(gdf))
        repo.set_municipality(
            s, number or str(first["code"]), name or str(first["name"] or first["code"]),
            shapely.union_all(gdf.geometry.to_numpy()), synthetic,
        )
    return len(gdf)
