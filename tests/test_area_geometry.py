"""Geometry checks of the area, boundary and grid importers, and the CRS edge cases (issue 12).

Every bad file is under ``tests/data/bad/``, one case per file, named after what it tries.  The
polygons are boxes in EPSG:25833 around the test municipality (310–316 km east, 6750–6758 km
north), so every area below is a product of two round numbers.
"""

from __future__ import annotations

import numpy as np
import pytest
import shapely

from geoplan import crs, service
from geoplan.io import problems as P
from geoplan.io.addresses import import_addresses
from geoplan.io.areas import (
    OVERLAP_M2,
    OVERLAP_SHARE,
    AreaImport,
    check_geometries,
    import_areas,
    import_boundary,
)
from geoplan.io.crs_option import given_epsg, header_epsg
from geoplan.io.errors import ImportRefused
from geoplan.io.files import read_table
from geoplan.io.grid import import_grid
from geoplan.io.units import import_units
from geoplan.storage import repo
from geoplan.testing.paths import TEST_DATA
from geoplan.ui.import_text import PROBLEMS, problem_text

BAD = TEST_DATA / "bad"
GOOD = BAD / "areas_gap.geojson"  # one good area (314–316 km east), stored before each refusal


def refused(engine, name: str, **kw) -> list[tuple]:
    """Import ``name`` over a stored system and return its problems as (code, row, column,
    details); assert that the stored system is unchanged."""
    import_areas(engine, GOOD, "grunnkrets")
    before = repo.load_areas(engine, "grunnkrets")
    with pytest.raises(ImportRefused) as info:
        import_areas(engine, BAD / name, "grunnkrets", **kw)
    after = repo.load_areas(engine, "grunnkrets")
    assert after.code.tolist() == before.code.tolist() == ["O1"]
    assert after.geometry.iloc[0].equals(before.geometry.iloc[0])
    return [(p.code, p.row, p.column, p.details) for p in info.value.problems]


# ---------------------------------------------------------------- refusals


def test_overlapping_areas_are_refused_with_the_pair_named(engine):
    # A1 spans 310–313.5 km, B1 313–316 km: 0.5 km x 8 km = 4 km² of B1's 24 km² (1/6).
    # C1 overlaps B1 by a 0.1 m x 1 km sliver (100 m², 0.01 % of C1's 1 km²): ignored.
    assert refused(engine, "areas_overlap.geojson") == [
        ("overlap", 3, "geometry", {"area": "B1 (Øst)", "other": "A1 (Vest)", "share": 0.167}),
    ]
    assert 100 > OVERLAP_M2 and 100 / 1_000_100 < OVERLAP_SHARE  # why C1 passes


def test_zero_area_polygon_is_refused_not_stored_as_a_line(engine):
    assert refused(engine, "areas_zero_area.geojson") == [("zero_area", 3, "geometry", {})]


def test_utm_numbers_without_a_crs_are_refused_not_stored_as_infinity(engine):
    assert refused(engine, "areas_utm_without_crs.geojson") == [("no_crs", None, None, {})]
    # the same file with the CRS given imports: 3 km x 8 km
    result = import_areas(engine, BAD / "areas_utm_without_crs.geojson", "vest",
                          crs="EPSG:25833")
    assert result == AreaImport(1, [])
    assert repo.load_areas(engine, "vest").geometry.area.tolist() == pytest.approx([24e6])


def test_area_outside_norway_is_refused_and_lon_lat_without_crs_is_read(engine):
    # feature 1 (Elverum, lon/lat, no crs member) is read as EPSG:4326; feature 2 is Copenhagen
    assert refused(engine, "areas_outside_norway.geojson") == [
        ("area_outside_norway", 3, "geometry", {})]


def test_missing_empty_and_point_geometries_are_refused(engine):
    assert refused(engine, "areas_empty_geometry.geojson") == [
        ("missing_polygon", 3, "geometry", {}),
        ("missing_polygon", 4, "geometry", {}),
        ("not_a_polygon", 5, "geometry", {"geom_type": "Point"}),
    ]


def test_infinite_coordinate_is_refused(engine):
    assert refused(engine, "areas_infinite.gpkg") == [("not_finite", 3, "geometry", {})]


@pytest.mark.filterwarnings("ignore:invalid value:RuntimeWarning")  # shapely, on the NaN
def test_non_finite_and_outside_by_hand():
    inf = shapely.Polygon([(313_000, 6_750_000), (np.inf, 6_750_000), (313_000, 6_751_000)])
    nan = shapely.Polygon([(313_000, 6_750_000), (314_000, np.nan), (313_000, 6_751_000)])
    ok = shapely.box(313_000, 6_750_000, 314_000, 6_751_000)
    far = shapely.box(313_000, 0, 314_000, 1000)  # UTM 33 at the equator
    geoms = np.array([ok, inf, nan, far], dtype=object)
    recs = [{"code": c} for c in "abcd"]
    out, problems, warnings = check_geometries(geoms, 25833, recs)
    assert [(p.code, p.row) for p in problems] == [("not_finite", 3), ("not_finite", 4),
                                                  ("area_outside_norway", 5)]
    assert warnings == [] and out[0].area == 1e6 and out[1] is None


@pytest.mark.parametrize("given", ["EPSG:99999", "foo", "EPSG:3857", "nan"])
def test_unknown_or_unaccepted_crs_is_a_problem_not_a_traceback(engine, given):
    assert refused(engine, "areas_utm_without_crs.geojson", crs=given) == [
        ("crs_not_accepted", None, None, {"value": given})]
    with pytest.raises(ImportRefused) as info:
        import_addresses(engine, BAD / "addresses_crs_3857.csv", crs=given)
    assert P.codes(info.value.problems) == ["crs_not_accepted"]


def test_address_row_in_an_unaccepted_crs_is_refused(engine):
    with pytest.raises(ImportRefused) as info:
        import_addresses(engine, BAD / "addresses_crs_3857.csv")
    assert [(p.code, p.row, p.column, p.details) for p in info.value.problems] == [
        ("crs_not_accepted", 3, "EPSG-kode", {"value": "EPSG:3857"})]


# ---------------------------------------------------------------- repairs and warnings


def test_self_intersecting_polygons_are_repaired_with_a_warning(engine):
    result = import_areas(engine, BAD / "areas_self_intersecting.geojson", "grunnkrets")
    assert result.rows == 2
    assert [(p.code, p.row, p.details, p.warning) for p in result.warnings] == [
        ("repaired_geometry", 2, {"area": "K1 (Sløyfe)"}, True),
        ("repaired_geometry", 3, {"area": "K2 (Pigg)"}, True),
    ]
    stored = repo.load_areas(engine, "grunnkrets").set_index("code").geometry
    # the bow tie is two triangles of 2 km x 1 km / 2 = 1 km² each; the spike (a line) is dropped
    assert stored["K1"].area == pytest.approx(2e6)
    assert len(shapely.get_parts(stored["K1"])) == 2
    assert stored["K2"].area == pytest.approx(1e6)
    assert stored["K2"].equals(shapely.box(313_000, 6_750_000, 314_000, 6_751_000))
    assert all(g.is_valid for g in stored)
    assert problem_text(result.warnings[0], "nb", "x.geojson") == (
        "objekt 1, kolonne «geometry»: omrisset til K1 (Sløyfe) krysset seg selv og ble reparert")


def test_z_zero_in_a_3d_crs_is_read_as_2d(engine):
    result = import_areas(engine, BAD / "areas_z_zero.geojson", "flat")
    assert result == AreaImport(1, [])
    geom = repo.load_areas(engine, "flat").geometry.iloc[0]
    assert not geom.has_z
    x, y = crs.to_work([11.55, 11.57], [60.87, 60.89], 4326)
    assert geom.bounds == pytest.approx((x[0], y[0], x[1], y[1]), abs=300)  # a lon/lat box


def test_gap_units_warning_counts_current_units_outside_every_area(bounded):
    # T-1 and T-2 lie at 313.44 km east, T-3 at 312.1 km (disposed 2020): the one area spans
    # 314–316 km, so two current units fall outside every area
    import_units(bounded, TEST_DATA / "boliger_ok_cp1252.csv", crs="EPSG:25833")
    result = import_areas(bounded, GOOD, "grunnkrets")
    assert [(p.code, p.details, p.warning) for p in result.warnings] == [
        ("gap_units", {"count": 2}, True)]
    assert problem_text(result.warnings[0], "en") == "2 municipal units lie outside every area"
    # the boundary warns the same way: 310–313 km east leaves T-1 and T-2 outside
    boundary = import_boundary(bounded, BAD / "areas_utm_without_crs.geojson", crs="EPSG:25833")
    assert [(p.code, p.details) for p in boundary.warnings] == [("gap_units", {"count": 2})]


def test_the_service_summary_carries_the_warnings(engine, admin):
    summary = service.import_file(engine, admin, "areas", BAD / "areas_self_intersecting.geojson",
                                  system="grunnkrets")
    assert summary.rows == 2
    assert [(p.code, p.row) for p in summary.warnings] == [("repaired_geometry", 2),
                                                           ("repaired_geometry", 3)]


def test_boundary_with_unknown_crs_is_refused_and_keeps_the_old_one(bounded):
    with pytest.raises(ImportRefused) as info:
        import_boundary(bounded, BAD / "areas_utm_without_crs.geojson")
    assert P.codes(info.value.problems) == ["no_crs"]
    with pytest.raises(ImportRefused) as info:
        import_boundary(bounded, BAD / "areas_utm_without_crs.geojson", crs="EPSG:3857")
    assert P.codes(info.value.problems) == ["crs_not_accepted"]
    assert repo.municipality(bounded).name == "Testkommune"


# ---------------------------------------------------------------- the SSB grid


def test_duplicate_grid_ids_are_refused(bounded):
    with pytest.raises(ImportRefused) as info:
        import_grid(bounded, BAD / "grid_duplicate_ids.csv", 250)
    assert [(p.code, p.row, p.column, p.details) for p in info.value.problems] == [
        ("duplicate_id", 4, "ssbid_250m", {"value": "23132506754500", "first_row": 2})]
    assert repo.area_systems(bounded) == []


def test_invalid_grid_ids_and_negative_counts_are_refused(bounded):
    with pytest.raises(ImportRefused) as info:
        import_grid(bounded, BAD / "grid_invalid_ids.csv", 250)
    got = [(p.code, p.row, p.column, p.details.get("value")) for p in info.value.problems]
    assert got == [
        ("grid_id_invalid", 2, "ssbid_250m", "23132506754510"),  # 10 m off the 250 m grid
        ("grid_id_invalid", 3, "ssbid_250m", "abc"),
        ("grid_id_invalid", 4, "ssbid_250m", "99999999999999999999"),  # too long, no overflow
        ("negative", 5, "befolkning", -3),
    ]
    assert repo.area_systems(bounded) == []


# ---------------------------------------------------------------- CRS


@pytest.mark.parametrize("value,code", [("EPSG:4979", 4326), (4979, 4326),
                                        ("urn:ogc:def:crs:EPSG::4979", 4326),
                                        ("EPSG:5973", 25833), ("EPSG:5972", 25832),
                                        ("25833.0", 25833), (" EPSG:25835 ", 25835)])
def test_3d_and_compound_crs_map_to_their_horizontal_part(value, code):
    assert crs.parse_epsg(value) == code
    assert given_epsg(value, "x.csv") == code


@pytest.mark.parametrize("value", ["EPSG:3857", "EPSG:99999", "foo", "nan", "inf", "EPSG:4937"])
def test_unknown_crs_raises_value_error_in_the_ground_floor(value):
    with pytest.raises(ValueError):
        crs.parse_epsg(value)
    assert not crs.is_accepted(value)
    with pytest.raises(ImportRefused) as info:
        given_epsg(value, "x.csv")
    assert [(p.code, p.details) for p in info.value.problems] == [
        ("crs_not_accepted", {"value": value})]


def test_a_named_epsg_code_in_a_header_is_never_guessed_as_another():
    assert crs.epsg_in_text("Øst (EPSG:3857)") == 3857
    assert crs.epsg_in_text("Nord (epsg 25832)") == 25832
    assert crs.epsg_in_text("Øst") is None
    headers = read_table(BAD / "units_crs_3857_header.csv").frame.columns
    codes, problems = header_epsg(headers)
    assert codes == set()
    assert [(p.code, p.column, p.details) for p in problems] == [
        ("crs_not_accepted", "Øst (EPSG:3857)", {"value": "EPSG:3857"}),
        ("crs_not_accepted", "Nord (EPSG:3857)", {"value": "EPSG:3857"})]
    assert header_epsg(["Øst (EPSG:25832)", "Nord (EPSG:25832)", "Bolignr"]) == ({25832}, [])


def test_is_lonlat():
    assert crs.is_lonlat([11.5, 12.0], [60.9, 61.0])
    assert not crs.is_lonlat([313_000], [6_754_000])
    assert not crs.is_lonlat([np.inf], [60.0])  # no finite coordinate


def test_every_area_code_has_words():
    for code in ("no_polygons", "missing_polygon", "not_a_polygon", "zero_area", "not_finite",
                 "area_outside_norway", "repaired_geometry", "overlap", "gap_units",
                 "grid_id_invalid", "no_boundary", "no_crs", "crs_not_accepted"):
        assert code in P.CODES and code in PROBLEMS
