"""CRS round trips on a known point and the guessing rules."""

from __future__ import annotations

import numpy as np
import pytest
import shapely

from geoplan import crs

# Elverum church (approx.): lon 11.5623, lat 60.8819; EPSG:25833 reference computed with PROJ.
LON, LAT = 11.5623, 60.8819
E33, N33 = 313438.172, 6754524.568


def test_known_point_to_utm33_and_back():
    x, y = crs.to_work(np.array([LON]), np.array([LAT]), 4326)
    assert (x[0], y[0]) == pytest.approx((E33, N33), abs=0.01)
    lon, lat = crs.to_display(x, y)
    assert (lon[0], lat[0]) == pytest.approx((LON, LAT), abs=1e-9)


@pytest.mark.parametrize("epsg", [25832, 25835])
def test_round_trip_through_other_utm_zones(epsg):
    x, y = crs.transform([E33], [N33], 25833, epsg)
    assert abs(x[0] - E33) > 1000  # really a different zone
    back = crs.to_work(x, y, epsg)
    assert (back[0][0], back[1][0]) == pytest.approx((E33, N33), abs=0.001)


def test_parse_and_reject():
    assert crs.parse_epsg("EPSG:25832") == 25832
    assert crs.parse_epsg("25835") == 25835
    assert crs.parse_epsg(None) is None
    with pytest.raises(ValueError, match="EPSG:3857 is not accepted"):
        crs.parse_epsg("EPSG:3857")
    assert crs.epsg_in_text("Øst (EPSG:25833)") == 25833
    assert crs.epsg_in_text("Øst") is None


def test_guess_uses_ranges_and_boundary():
    assert crs.guess_epsg([11.5], [60.9]) == 4326
    assert crs.guess_epsg([E33], [N33]) == 25833
    boundary = shapely.box(E33 - 500, N33 - 500, E33 + 500, N33 + 500)
    x32, y32 = crs.transform([E33], [N33], 25833, 25832)
    assert crs.guess_epsg(x32, y32, boundary) == 25832
    x35, y35 = crs.transform([E33], [N33], 25833, 25835)
    assert crs.guess_epsg(x35, y35, boundary) == 25835


def test_in_norway():
    assert crs.in_norway([LON, 18.95, 2.35], [LAT, 69.65, 48.85]).tolist() == [True, True, False]


# ---------------------------------------------------------------- typed points (issue 8)

ELVERUM = shapely.box(E33 - 3000, N33 - 3000, E33 + 3000, N33 + 3000)


def test_typed_latitude_longitude_as_typed_and_swapped():
    point = crs.read_typed_point(LAT, LON, ELVERUM)
    assert (point.x, point.y, point.note, point.epsg) == pytest.approx((E33, N33, None, 4326),
                                                                       abs=0.01)
    swapped = crs.read_typed_point(LON, LAT, ELVERUM)
    assert swapped.note == "swapped" and (swapped.x, swapped.y) == pytest.approx((E33, N33),
                                                                                 abs=0.01)


@pytest.mark.parametrize("epsg", [25832, 25833, 25835])
def test_utm_typed_into_latitude_longitude_is_converted_with_a_note(epsg):
    east, north = crs.transform([E33], [N33], 25833, epsg)
    point = crs.read_typed_point(north[0], east[0], ELVERUM)
    assert (point.note, point.epsg) == ("utm", epsg)
    assert (point.x, point.y) == pytest.approx((E33, N33), abs=0.01)
    other = crs.read_typed_point(east[0], north[0], ELVERUM)
    assert (other.note, other.epsg) == ("utm_swapped", epsg)


def test_a_point_outside_the_boundary_is_read_not_moved_inside():
    oslo = crs.read_typed_point(59.91, 10.75, ELVERUM)  # evaluated, then found outside
    assert oslo.note is None and not ELVERUM.contains(shapely.Point(oslo.x, oslo.y))
    # swapped Oslo: no reading is in Elverum; the one in Norway wins
    swapped = crs.read_typed_point(10.75, 59.91, ELVERUM)
    assert swapped.note == "swapped" and (swapped.x, swapped.y) == pytest.approx((oslo.x, oslo.y))
    # without a boundary, mainland Norway is the reference
    assert crs.read_typed_point(N33, E33).note == "utm"


@pytest.mark.parametrize("lat,lon,code", [(float("nan"), 11.0, "not_a_number"),
                                          (None, 11.0, "not_a_number"),
                                          (60.0, float("inf"), "not_a_number"),
                                          (1000.0, 5.0, "not_coordinates"),
                                          (1e12, 1e12, "not_coordinates")])
def test_numbers_that_are_no_coordinates_are_refused_with_a_code(lat, lon, code):
    with pytest.raises(crs.CoordinateError) as info:
        crs.read_typed_point(lat, lon, ELVERUM)
    assert info.value.code == code and isinstance(info.value, ValueError)
    assert "must be finite" not in str(info.value)
