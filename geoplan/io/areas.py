"""Import of area systems (grunnkretser, delområder, …) and of the municipal boundary.

Every geometry is checked before anything is stored (the problems are
``geoplan.io.problems`` codes, rows are spreadsheet rows: feature 1 is row 2, column
``geometry``):

- a missing or empty geometry (``missing_polygon``), one that is not a polygon
  (``not_a_polygon``), or one with an infinite or NaN coordinate (``not_finite``) is refused;
- heights are dropped (a polygon with Z = 0 is read as 2D);
- the CRS is the given one (``--crs``, which wins), else the file's.  A file without a CRS is
  read as EPSG:4326 when every coordinate is a plausible longitude/latitude, and refused
  (``no_crs``) otherwise.  A GeoJSON without a ``crs`` member is EPSG:4326 by its
  specification, so UTM numbers in it are refused the same way rather than turned into
  infinities;
- a polygon with a corner outside mainland Norway's extent (``geoplan.crs.NORWAY_BBOX``, after
  transformation to longitude/latitude) is refused (``area_outside_norway``);
- a self-intersecting polygon is repaired with ``shapely.make_valid``, keeping only its
  polygonal parts, with the warning ``repaired_geometry`` naming the area; when nothing
  polygonal is left, or the area is 0, it is refused (``zero_area``);
- two areas of one system that overlap are refused (``overlap``, at the later one's row,
  naming both).  Slivers from digitising are ignored: an overlap counts when it is larger than
  :data:`OVERLAP_M2` (1 m²) *and* larger than :data:`OVERLAP_SHARE` (0.1 %) of the smaller area;
- after a successful check, the units of the register that fall outside every area are counted
  into the warning ``gap_units`` (disposed units are not counted).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

import geopandas as gpd
import numpy as np
import shapely
from sqlalchemy import Engine
from sqlalchemy.orm import Session

from geoplan import crs as crs_mod
from geoplan.io import values
from geoplan.io.columns import AREA_COLUMNS
from geoplan.io.crs_option import given_epsg
from geoplan.io.errors import ImportRefused
from geoplan.io.files import RawTable, read_table
from geoplan.io.problems import Problem, excel_row, problem, warning
from geoplan.io.rows import Field, parse_table, within_lengths
from geoplan.storage import repo
from geoplan.storage.models import Area

AREA_FIELDS = within_lengths([
    Field("code", values.text, True, "area id"),
    Field("name", values.text),
    Field("population", values.integer),
    Field("dwellings", values.integer),
], Area.__table__)

GEOMETRY = "geometry"  # the column problems about a feature's geometry name
OVERLAP_M2 = 1.0  # an overlap counts when larger than this (m²) …
OVERLAP_SHARE = 0.001  # … and larger than this share of the smaller of the two areas
POLYGONAL = ("Polygon", "MultiPolygon")


@dataclass
class AreaImport:
    """What an area or boundary import stored: ``rows`` (areas, or the boundary's polygons)
    and ``warnings`` (:class:`~geoplan.io.problems.Problem` with ``warning=True``:
    ``repaired_geometry``, ``gap_units``)."""

    rows: int
    warnings: list[Problem] = field(default_factory=list)


def system_name(filename: str) -> str:
    """Derive an area system name from a file name: "grunnkretser_3420.geojson" → "grunnkretser"."""
    stem = Path(filename).stem.lower()
    return re.sub(r"[_\-\s]*\d+$", "", stem) or "areas"


def negative_counts(records: list[dict], mapping: dict[str, str]) -> list[Problem]:
    """A ``negative`` problem for each negative population or dwelling count."""
    return [problem("negative", excel_row(i), mapping[fld], value=rec[fld])
            for fld in ("population", "dwellings") if fld in mapping
            for i, rec in enumerate(records) if rec.get(fld) is not None and rec[fld] < 0]


def duplicate_codes(records: list[dict], column: str) -> list[Problem]:
    """A ``duplicate_id`` problem for each row whose code an earlier row has."""
    seen: dict[str, int] = {}
    out = []
    for i, rec in enumerate(records):
        code = rec.get("code")
        if code is None:
            continue
        if code in seen:
            out.append(problem("duplicate_id", excel_row(i), column, value=code,
                               first_row=seen[code]))
        else:
            seen[code] = excel_row(i)
    return out


def area_label(rec: dict) -> str:
    """How a problem names an area: "34200101 (Sentrum nord)", or its code alone."""
    code, name = rec.get("code"), rec.get("name")
    return f"{code} ({name})" if name and name != code else str(code)


def source_epsg(given: int | None, file_epsg: int | None, geoms: np.ndarray) -> int | None:
    """The CRS to read ``geoms`` in: the given one, else the file's; EPSG:4326 for a file
    without one when every coordinate is a plausible longitude/latitude; None (refuse:
    ``no_crs``) when the file has none, or says EPSG:4326, and the numbers are not lon/lat."""
    if given is not None:
        return given
    if file_epsg not in (None, crs_mod.DISPLAY_EPSG):
        return file_epsg
    xy = shapely.get_coordinates(geoms)
    return crs_mod.DISPLAY_EPSG if crs_mod.is_lonlat(xy[:, 0], xy[:, 1]) else None


def _polygonal(geom) -> shapely.Geometry | None:
    """The polygonal parts of ``geom`` (a Polygon or MultiPolygon), None when it has none."""
    parts = [p for p in shapely.get_parts(geom) if p.geom_type in POLYGONAL]
    parts = [q for p in parts for q in shapely.get_parts(p)]  # flatten MultiPolygons
    if not parts:
        return None
    return parts[0] if len(parts) == 1 else shapely.MultiPolygon(parts)


def _transform(geoms: np.ndarray, src: int, dst: int) -> np.ndarray:
    if src == dst:
        return geoms
    return shapely.transform(
        geoms, lambda xy: np.column_stack(crs_mod.transform(xy[:, 0], xy[:, 1], src, dst)))


def check_geometries(
    geoms: np.ndarray, src: int, records: list[dict],
) -> tuple[np.ndarray, list[Problem], list[Problem]]:
    """Check and repair the geometries (in ``src``); return them in EPSG:25833, the problems
    and the warnings.  See the module's docstring for the rules."""
    problems: list[Problem] = []
    warnings: list[Problem] = []
    out = np.full(len(geoms), None, dtype=object)
    ok = np.zeros(len(geoms), dtype=bool)
    for i, g in enumerate(geoms):
        row = excel_row(i)
        if g is None or g.is_empty:
            problems.append(problem("missing_polygon", row, GEOMETRY))
        elif g.geom_type not in POLYGONAL:
            problems.append(problem("not_a_polygon", row, GEOMETRY, geom_type=g.geom_type))
        elif not np.isfinite(shapely.get_coordinates(g)).all():
            problems.append(problem("not_finite", row, GEOMETRY))
        else:
            ok[i] = True
    idx = np.flatnonzero(ok)
    work = _transform(geoms[idx], src, crs_mod.WORK_EPSG)
    lonlat = _transform(geoms[idx], src, crs_mod.DISPLAY_EPSG)
    x0, y0, x1, y1 = crs_mod.NORWAY_BBOX
    for k, i in enumerate(idx.tolist()):
        row = excel_row(i)
        b = shapely.bounds(lonlat[k])
        finite = np.isfinite(shapely.get_coordinates(work[k])).all() and np.isfinite(b).all()
        if not (finite and b[0] >= x0 and b[1] >= y0 and b[2] <= x1 and b[3] <= y1):
            problems.append(problem("area_outside_norway", row, GEOMETRY))
            continue
        g = work[k]
        if not g.is_valid:
            g = _polygonal(shapely.make_valid(g))
            if g is not None and g.area > 0:
                warnings.append(warning("repaired_geometry", row, GEOMETRY,
                                        area=area_label(records[i])))
        if g is None or not g.area > 0:
            problems.append(problem("zero_area", row, GEOMETRY))
            continue
        out[i] = g
    return out, problems, warnings


def overlaps(geoms: np.ndarray, records: list[dict]) -> list[Problem]:
    """An ``overlap`` problem for each pair of areas overlapping by more than a sliver (at the
    later row, ``share`` = the overlap's share of the smaller area, rounded to 0.1 %)."""
    tree = shapely.STRtree(geoms)
    left, right = tree.query(geoms, predicate="intersects")
    pair = left < right
    left, right = left[pair], right[pair]  # every pair once, the earlier row left
    if not len(left):
        return []
    shared = shapely.area(shapely.intersection(geoms[left], geoms[right]))
    smaller = np.minimum(shapely.area(geoms[left]), shapely.area(geoms[right]))
    bad = (shared > OVERLAP_M2) & (shared > OVERLAP_SHARE * smaller)
    found = sorted(zip(right[bad].tolist(), left[bad].tolist(), (shared / smaller)[bad].tolist(),
                       strict=True))
    return [problem("overlap", excel_row(j), GEOMETRY, area=area_label(records[j]),
                    other=area_label(records[i]), share=round(share, 3))
            for j, i, share in found]


def gap_units(engine, geoms: np.ndarray) -> int:
    """The register's units (not disposed) that fall outside every one of ``geoms``."""
    units = repo.load_units(engine)
    if "disposed" in units:
        units = units[units["disposed"].isna()]
    if not len(units):
        return 0
    points = shapely.points(units["x"].to_numpy(float), units["y"].to_numpy(float))
    inside = shapely.STRtree(geoms).query(points, predicate="intersects")[0]
    return int(len(points) - len(np.unique(inside)))


def parse_areas(
    raw: RawTable, epsg: int | None = None, check_overlaps: bool = True,
) -> tuple[gpd.GeoDataFrame, list[Problem]]:
    """Validate a raw area table: return it as a GeoDataFrame in EPSG:25833, and the warnings.

    Columns: ``code``, ``name``, ``population``, ``dwellings``, ``indicators`` (the file's other
    all-numeric columns as a dict per row, or None) and ``geometry`` (Polygon or MultiPolygon).
    ``epsg`` (the given CRS) wins over the file's.  :class:`ImportRefused` with every problem
    found; the overlaps are checked (unless ``check_overlaps`` is False: the boundary) once
    every geometry is good.
    """
    if raw.geometry is None:
        raise ImportRefused.one(raw.filename, "no_polygons")
    if not len(raw.geometry):
        raise ImportRefused.one(raw.filename, "no_polygons")
    mapping, unknown, records, problems = parse_table(raw, AREA_COLUMNS, AREA_FIELDS)
    problems += negative_counts(records, mapping) + duplicate_codes(records, mapping["code"])
    geoms = shapely.force_2d(np.asarray(raw.geometry.to_numpy(), dtype=object))
    src = source_epsg(epsg, raw.epsg, geoms)
    if src is None:
        raise ImportRefused(raw.filename, [problem("no_crs"), *problems])
    geoms, found, warnings = check_geometries(geoms, src, records)
    problems += found
    if problems:
        raise ImportRefused(raw.filename, problems)
    if check_overlaps and (found := overlaps(geoms, records)):
        raise ImportRefused(raw.filename, found)
    gdf = gpd.GeoDataFrame(records, geometry=list(geoms), crs=crs_mod.WORK_EPSG)
    extra = [c for c in unknown if c in raw.frame.columns]
    numeric = raw.frame[extra].apply(lambda s: s.map(_maybe_number))
    keep = [c for c in extra if numeric[c].notna().all()]
    gdf["indicators"] = numeric[keep].to_dict("records") if keep else None
    return gdf, warnings


def _maybe_number(value: object) -> float | None:
    try:
        number = values.number(value)
    except (ValueError, TypeError):
        return None
    return number if number is not None and np.isfinite(number) else None


def _gap_warning(engine, geoms: np.ndarray) -> list[Problem]:
    n = gap_units(engine, geoms)
    return [warning("gap_units", count=n)] if n else []


def import_areas(
    engine: Engine, path: str | Path, system: str | None = None, crs: str | int | None = None,
    filename: str | None = None, sheet: str | None = None,
) -> AreaImport:
    """Import an area file as area system ``system``, replacing that system's areas.

    ``crs`` (a given CRS) wins over the file's.  Returns the areas stored and the warnings;
    :class:`ImportRefused` (nothing stored) on any problem.
    """
    name = filename or Path(path).name
    given = given_epsg(crs, name)
    raw = read_table(path, filename, sheet)
    gdf, warnings = parse_areas(raw, given)
    warnings += _gap_warning(engine, gdf.geometry.to_numpy())
    with Session(engine) as s, s.begin():
        n = repo.replace_areas(s, system or system_name(raw.filename), gdf, raw.filename)
    return AreaImport(n, warnings)


def import_boundary(
    engine: Engine, path: str | Path, number: str | None = None, name: str | None = None,
    synthetic: bool = False, filename: str | None = None, crs: str | int | None = None,
    sheet: str | None = None,
) -> AreaImport:
    """Import the municipal boundary (the union of the file's polygons); return the polygons
    and the warnings (repairs, and the units outside the boundary).

    ``number`` and ``name`` default to the first row's area id and name; ``crs`` (a given CRS)
    wins over the file's.
    """
    given = given_epsg(crs, filename or Path(path).name)
    raw = read_table(path, filename, sheet)
    gdf, warnings = parse_areas(raw, given, check_overlaps=False)
    first = gdf.iloc[0]
    boundary = shapely.union_all(gdf.geometry.to_numpy())
    warnings += _gap_warning(engine, np.array([boundary], dtype=object))
    with Session(engine) as s, s.begin():
        repo.log_import(s, "boundary", raw.filename, len(gdf))
        repo.set_municipality(
            s, number or str(first["code"]),
            name or str(first.get("name") or first["code"]),
            boundary, synthetic,
        )
    return AreaImport(len(gdf), warnings)
