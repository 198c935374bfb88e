"""Coordinate reference systems: compute in EPSG:25833, display in EPSG:4326."""

from __future__ import annotations

import re
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
    """Parse ``EPSG:25833``, ``25833``, a WKT/PROJ string or a pyproj CRS into an accepted code.

    A 3D CRS is read as its 2D part (EPSG:4979, WGS 84 with ellipsoidal heights, is 4326) and a
    compound CRS as its horizontal part (EPSG:5973, ETRS89 / UTM 33N + NN2000 height, is
    25833): heights are dropped where geometries are read.  ``ValueError`` (plain English, for
    the log; importers turn it into the problem ``crs_not_accepted``) for a value that is no
    CRS or a CRS outside :data:`ACCEPTED_EPSG`.
    """
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, CRS):
        code = _horizontal_epsg(value)
    else:
        text = str(value).strip().upper().removeprefix("EPSG:").strip()
        if re.fullmatch(r"\d{1,6}(\.0*)?", text):  # 25833, or 25833.0 from a spreadsheet
            code = int(float(text))
        else:
            try:
                code = _horizontal_epsg(CRS.from_user_input(str(value).strip()))
            except Exception:  # pyproj's CRSError is a RuntimeError: any failure is "no CRS"
                raise ValueError(f"{str(value)[:40]!r} is not a coordinate system") from None
    if code is not None and code not in ACCEPTED_EPSG:
        try:
            code = _horizontal_epsg(CRS.from_epsg(code))
        except Exception:
            raise ValueError(f"EPSG:{code} is not a coordinate system") from None
    if code not in ACCEPTED_EPSG:
        raise ValueError(
            f"EPSG:{code} is not accepted; use one of "
            + ", ".join(f"EPSG:{c}" for c in ACCEPTED_EPSG)
        )
    return code


def _horizontal_epsg(crs: CRS) -> int | None:
    """The EPSG code of ``crs``'s horizontal part: a compound CRS's first, a 3D CRS's 2D."""
    if crs.is_compound and crs.sub_crs_list:
        crs = crs.sub_crs_list[0]
    if len(crs.axis_info) > 2:
        crs = crs.to_2d()
    return crs.to_epsg()


def is_accepted(value: str | int | CRS | None) -> bool:
    """True when :func:`parse_epsg` accepts ``value`` (a 3D or compound form of an accepted CRS
    too)."""
    try:
        return parse_epsg(value) is not None
    except ValueError:
        return False


def epsg_in_text(text: str) -> int | None:
    """Return the EPSG code named in a header such as "Øst (EPSG:25833)", else None.

    Any code is returned, accepted or not ("Øst (EPSG:3857)" gives 3857): the caller refuses a
    named code that :func:`parse_epsg` does not accept rather than guess another.
    """
    m = re.search(r"epsg\s*[:\s]?\s*(\d{4,6})", str(text), re.IGNORECASE)
    return int(m.group(1)) if m else None


def is_lonlat(x: np.ndarray, y: np.ndarray) -> bool:
    """True when every finite coordinate is a plausible longitude/latitude (|x| ≤ 180,
    |y| ≤ 90) and there is at least one."""
    x = np.asarray(x, dtype=float)
    y = np.asarray(y, dtype=float)
    ok = np.isfinite(x) & np.isfinite(y)
    return bool(ok.any() and np.all(np.abs(x[ok]) <= 180) and np.all(np.abs(y[ok]) <= 90))


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
    if is_lonlat(x, y):
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

    Codes: ``not_a_number`` (a field is empty, infinite or not a number), ``not_two_numbers``
    (one typed field does not hold exactly two numbers) and ``not_coordinates`` (the numbers are
    neither latitude/longitude nor UTM coordinates in Norway, either way round).
    The message is plain English for logs and the command line; pages word the code themselves.
    """

    MESSAGES = {
        "not_a_number": "latitude and longitude must both be numbers",
        "not_two_numbers": "{a!r} does not hold exactly two numbers",
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


_NUMBER_TEXT = re.compile(r"[-+]?\d+(?:[.,]\d+)?")


def numbers_in_text(text: object) -> tuple[float, float]:
    """The two numbers of one typed coordinate field, in the order typed.

    Reads "60.88, 11.56", "60,88 11,56" (decimal commas), "60,88;11,56", "60.88,11.56",
    "N 60.88 Ø 11.56", "313440 6754520" and "313440,6754520" (two whole numbers with a comma
    between).  Letters, degree signs and an "EPSG:…" note are ignored.  Raises
    :class:`CoordinateError` ``not_two_numbers`` unless exactly two numbers are found.
    """
    s = re.sub(r"epsg\s*:?\s*\d+", " ", str(text or ""), flags=re.IGNORECASE)
    s = re.sub(r"[^\d.,;+\-\s]", " ", s)
    if "." not in s and re.fullmatch(r"\s*[-+]?\d+\s*,\s*[-+]?\d+\s*", s):
        parts = s.split(",")  # "313440,6754520": two whole numbers, not one decimal number
    else:
        parts = _NUMBER_TEXT.findall(s)
    if len(parts) != 2:
        raise CoordinateError("not_two_numbers", text)
    a, b = (float(p.strip().replace(",", ".")) for p in parts)
    return a, b


def read_point_text(text: object, boundary=None) -> TypedPoint:
    """Read a point typed into one field, latitude first ("60.88, 11.56") or east first
    ("313440 6754520"), and say which was understood.

    The two numbers (:func:`numbers_in_text`) are read by :func:`read_typed_point` as
    (latitude, longitude): ``note`` None is latitude/longitude, ``"swapped"`` longitude/latitude,
    ``"utm_swapped"`` east/north and ``"utm"`` north/east, in ``epsg`` (25833 unless the numbers
    only fit 25832 or 25835 inside ``boundary``).
    """
    a, b = numbers_in_text(text)
    return read_typed_point(a, b, boundary)
