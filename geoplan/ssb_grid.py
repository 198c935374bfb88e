"""SSB's national statistical grid (250 m and 1 km cells) in EPSG:25833.

SSB names a cell by its lower-left corner: ``id = (x + 2 000 000) * 10 000 000 + y``, with
``x``/``y`` the corner's EPSG:25833 coordinates, multiples of the cell size.
"""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import shapely

from geoplan.crs import WORK_EPSG

SIZES = {250: "ssb250m", 1000: "ssb1km"}
_OFFSET, _FACTOR = 2_000_000, 10_000_000


def ssb_id(x: np.ndarray, y: np.ndarray, size: int) -> np.ndarray:
    """Return the SSB id of the cell containing each point."""
    xl = np.floor(np.asarray(x, float) / size).astype(np.int64) * size
    yl = np.floor(np.asarray(y, float) / size).astype(np.int64) * size
    return (xl + _OFFSET) * _FACTOR + yl


def corner(ids: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Return the lower-left corner of each SSB cell id."""
    ids = np.asarray(ids, dtype=np.int64)
    return ids // _FACTOR - _OFFSET, ids % _FACTOR


def cells(ids: np.ndarray, size: int) -> gpd.GeoDataFrame:
    """Return the square cells of the given SSB ids."""
    ids = np.unique(np.asarray(ids, dtype=np.int64))
    x, y = corner(ids)
    geom = shapely.box(x, y, x + size, y + size)
    return gpd.GeoDataFrame({"code": ids.astype(str)}, geometry=geom, crs=WORK_EPSG)


def covering_ids(boundary, size: int) -> np.ndarray:
    """Return the ids of every cell of ``size`` that intersects ``boundary``."""
    x0, y0, x1, y1 = boundary.bounds
    xs = np.arange(np.floor(x0 / size) * size, x1, size)
    ys = np.arange(np.floor(y0 / size) * size, y1, size)
    gx, gy = np.meshgrid(xs, ys)
    boxes = shapely.box(gx.ravel(), gy.ravel(), gx.ravel() + size, gy.ravel() + size)
    shapely.prepare(boundary)
    hit = shapely.intersects(boundary, boxes)
    return ssb_id(gx.ravel()[hit], gy.ravel()[hit], size)
