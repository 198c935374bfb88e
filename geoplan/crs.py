"""Coordinate reference systems: compute in EPSG:25833, display in EPSG:4326."""

from __future__ import annotations

from functools import lru_cache
from typing import NamedTuple

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


class CoordinateError(ValueError):
    """Typed coordinates that no reading places anywhere; ``code`` says why.

    Codes: ``not_a_number`` (a field is empty, infinite or not a number) and ``not_coordinates``
    (the numbers are neither latitude/longitude nor UTM coordinates in Norway, either way round).
    The message is plain English for logs and the command line; pages word the code themselves.
    """

    MESSAGES = {
        "not_a_number": "latitude and longitude must both be numbers",
        "not_coordinates": "{a} and {b} are neither latitude/longitude nor UTM east/north "
                           "(EPSG:25832, 25833 or 25835) of a place in Norway",
    }

    def __init__(self, code: str, a: object = None, b: object = None):
        self.code, self.a, self.b = code, a, b
        super().__init__(self.MESSAGES[code].format(a=a, b=b))


class TypedPoint(NamedTuple):
    """A typed point read into EPSG:25833: ``x``, ``y``, how it was read and from which system.

    ``note`` is None (latitude and longitude as typed), ``"swapped"`` (latitude and longitude
    were the other way round), ``"utm"`` (UTM north in the latitude field, east in the longitude
    field) or ``"utm_swapped"`` (UTM east in the latitude field, north in the longitude field);
    ``epsg`` is the system the numbers were read in (4326, 25832, 25833 or 25835).
    """

    x: float
    y: float
    note: str | None
    epsg: int


def read_typed_point(lat: float | None, lon: float | None, boundary=None) -> TypedPoint:
    """Read a point typed into latitude/longitude fields, detecting the usual mistakes.

    The readings are tried in this order: latitude/longitude as typed, swapped, then UTM north/
    east in EPSG:25833, 25832 and 25835 (north in the latitude field, then the other way round).
    The first reading that falls inside ``boundary`` (a shapely geometry in EPSG:25833; without
    one, mainland Norway's extent) wins.  When none does, the first reading in that order that
    lands in Norway wins, else the numbers as typed when they are a latitude and a longitude; the
    caller then finds the point outside the municipality.  :class:`CoordinateError` when a field
    is not a number, or the numbers are neither a latitude/longitude nor UTM in Norway.
    """
    try:
        a, b = float(lat), float(lon)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        raise CoordinateError("not_a_number", lat, lon) from None
    if not (np.isfinite(a) and np.isfinite(b)):
        raise CoordinateError("not_a_number", lat, lon)
    readings = [(DISPLAY_EPSG, b, a, None), (DISPLAY_EPSG, a, b, "swapped")]
    readings += [(code, b, a, "utm") for code in (WORK_EPSG, 25832, 25835)]
    readings += [(code, a, b, "utm_swapped") for code in (WORK_EPSG, 25832, 25835)]
    found = []
    for code, east, north, note in readings:
        if code == DISPLAY_EPSG and not (abs(north) <= 90 and abs(east) <= 180):
            continue
        lon_, lat_ = transform([east], [north], code, DISPLAY_EPSG)
        if code != DISPLAY_EPSG and not in_norway(lon_, lat_)[0]:
            continue
        x, y = to_work([east], [north], code)
        point = TypedPoint(float(x[0]), float(y[0]), note, code)
        if not (np.isfinite(point.x) and np.isfinite(point.y)):
            continue
        in_country = bool(in_norway(lon_, lat_)[0])
        if in_country if boundary is None else _covers(boundary, point):
            return point
        found.append((not in_country, point))
    if not found:
        raise CoordinateError("not_coordinates", lat, lon)
    return min(found, key=lambda f: f[0])[1]  # the first in Norway, else as typed


def _covers(boundary, point: TypedPoint) -> bool:
    import shapely

    return bool(shapely.intersects_xy(boundary, point.x, point.y))
