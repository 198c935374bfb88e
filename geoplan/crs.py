"""Coordinate reference systems: compute in EPSG:25833, display in EPSG:4326."""

from __future__ import annotations

from functools import lru_cache

import numpy as np
from pyproj import CRS, Transformer

WORK_EPSG = 25833
DISPLAY_EPSG = 4326
ACCEPTED_EPSG = (25832, 25833, 25835, 4326)
UTM_EPSG = (25832, 25833, 25835)

# Mainland Norway's extent in EPSG:4326 (lon_min, lat_min, lon_max, lat_max), with a small margin.
NORWAY_BBOX = (4.0, 57.8, 31.5, 71.3)


def parse_epsg(value: str | int | CRS | None) -> int | None:
    """Parse ``EPSG:25833``, ``25833`` or a pyproj CRS into an accepted EPSG code."""
    if value is None or value == "":
        return None
    if isinstance(value, CRS):
        code = (value.to_2d() if value.is_compound else value).to_epsg()
    else:
        text = str(value).strip().upper().removeprefix("EPSG:")
        try:
            code = int(float(text))
        except ValueError:
            code = CRS.from_user_input(str(value)).to_epsg()
    if code not in ACCEPTED_EPSG:
        raise ValueError(
            f"EPSG:{code} is not accepted; use one of "
            + ", ".join(f"EPSG:{c}" for c in ACCEPTED_EPSG)
        )
    return code


def epsg_in_text(text: str) -> int | None:
    """Return an accepted EPSG code named in a header such as "Øst (EPSG:25833)", else None."""
    import re

    m = re.search(r"epsg\s*:?\s*(\d{4,5})", str(text), re.IGNORECASE)
    code = int(m.group(1)) if m else None
    return code if code in ACCEPTED_EPSG else None


@lru_cache(maxsize=32)
def transformer(src: int, dst: int) -> Transformer:
    """Return a cached always-xy transformer between two EPSG codes."""
    return Transformer.from_crs(src, dst, always_xy=True)


def transform(x: np.ndarray, y: np.ndarray, src: int, dst: int) -> tuple[np.ndarray, np.ndarray]:
    """Transform coordinate arrays from ``src`` to ``dst`` (x = easting/longitude)."""
    x = np.asarray(x, dtype=float)
    y = np.asarray(y, dtype=float)
    if src == dst:
        return x, y
    return transformer(src, dst).transform(x, y)


def to_work(x: np.ndarray, y: np.ndarray, src: int) -> tuple[np.ndarray, np.ndarray]:
    """Transform coordinates in ``src`` to EPSG:25833."""
    return transform(x, y, src, WORK_EPSG)


def to_display(x: np.ndarray, y: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Transform EPSG:25833 coordinates to longitude/latitude."""
    return transform(x, y, WORK_EPSG, DISPLAY_EPSG)


def in_norway(lon: np.ndarray, lat: np.ndarray) -> np.ndarray:
    """Return a mask of points inside mainland Norway's extent."""
    lon = np.asarray(lon, dtype=float)
    lat = np.asarray(lat, dtype=float)
    x0, y0, x1, y1 = NORWAY_BBOX
    return (lon >= x0) & (lon <= x1) & (lat >= y0) & (lat <= y1)


def guess_epsg(x: np.ndarray, y: np.ndarray, boundary=None) -> int:
    """Guess the CRS of coordinates from their ranges (and a municipal boundary when given).

    Values within ±180/±90 are taken as longitude/latitude.  Otherwise the UTM zone that puts the
    most points inside ``boundary`` (a shapely geometry in EPSG:25833) wins; without a boundary,
    EPSG:25833 (the national standard) is assumed.
    """
    x = np.asarray(x, dtype=float)
    y = np.asarray(y, dtype=float)
    ok = np.isfinite(x) & np.isfinite(y)
    x, y = x[ok], y[ok]
    if len(x) and np.all(np.abs(x) <= 180) and np.all(np.abs(y) <= 90):
        return 4326
    if boundary is None or not len(x):
        return WORK_EPSG
    import shapely

    best, best_hits = WORK_EPSG, -1
    for code in (WORK_EPSG, 25832, 25835):
        wx, wy = to_work(x, y, code)
        hits = int(shapely.contains_xy(boundary, wx, wy).sum())
        if hits > best_hits:
            best, best_hits = code, hits
    return best
