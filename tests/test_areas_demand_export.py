"""Area, boundary and demand import; export round trips; real Kartverket boundaries."""

from __future__ import annotations

import datetime as dt

import geopandas as gpd
import pandas as pd
import pytest
import shapely

from geoplan.io.areas import import_areas, import_boundary
from geoplan.io.demand import import_demand
from geoplan.io.errors import ImportRefused
from geoplan.io.units import import_units
from geoplan.service import export_areas, export_bytes, export_units
from geoplan.storage import repo
from geoplan.testing.paths import REALDATA, TEST_DATA

SQUARES = gpd.GeoDataFrame(
    {"grunnkretsnummer": ["34200101", "34200102"], "grunnkretsnavn": ["Sentrum nord", "Vestad"],
     "befolkning": [1200, 800], "boliger": [600, 350], "andel_leie": ["0,25", "0,1"]},
    geometry=[shapely.box(310_000, 6_750_000, 313_000, 6_758_000),
              shapely.box(313_000, 6_750_000, 316_000, 6_758_000)],
    crs=25833,
)


def test_area_file_imports_as_named_system_with_indicators(engine, tmp_path):
    path = tmp_path / "grunnkretser.gpkg"
    SQUARES.to_crs(25832).to_file(path)
    assert import_areas(engine, path, "grunnkrets").rows == 2
    assert repo.area_systems(engine) == ["grunnkrets"]
    areas = repo.load_areas(engine, "grunnkrets")
    assert areas.code.tolist() == ["34200101", "34200102"]
    assert areas.name.tolist() == ["Sentrum nord", "Vestad"]
    assert areas.population.tolist() == [1200, 800] and areas.dwellings.tolist() == [600, 350]
    assert areas.indicators[0] == {"andel_leie": 0.25}
    assert areas.geometry.area.tolist() == pytest.approx([24e6, 24e6], rel=1e-6)
    # a second system coexists; re-importing replaces only its own system
    import_areas(engine, path, "delområde")
    import_areas(engine, path, "grunnkrets")
    assert repo.area_systems(engine) == ["delområde", "grunnkrets"]
    assert len(repo.load_areas(engine, "grunnkrets")) == 2


def test_bad_area_file_is_refused_and_keeps_old_areas(engine, tmp_path):
    good = tmp_path / "ok.geojson"
    SQUARES.to_file(good)
    import_areas(engine, good, "grunnkrets")
    bad = SQUARES.astype({"befolkning": object})
    bad.loc[1, "grunnkretsnummer"] = "34200101"
    bad.loc[0, "befolkning"] = "mange"
    path = tmp_path / "bad.geojson"
    bad.to_file(path)
    with pytest.raises(ImportRefused) as info:
        import_areas(engine, path, "grunnkrets")
    assert [(p.code, p.row, p.column, p.details) for p in info.value.problems] == [
        ("not_whole", 2, "befolkning", {"value": "mange"}),
        ("duplicate_id", 3, "grunnkretsnummer", {"value": "34200101", "first_row": 2}),
    ]
    assert repo.load_areas(engine, "grunnkrets").name.tolist() == ["Sentrum nord", "Vestad"]


def test_boundary_refuses_units_outside(engine, tmp_path):
    path = tmp_path / "kommune.geojson"
    gpd.GeoDataFrame({"kommunenummer": ["9999"], "kommunenavn": ["Testkommune"]},
                     geometry=[shapely.box(310_000, 6_750_000, 316_000, 6_758_000)],
                     crs=25833).to_file(path)
    import_boundary(engine, path)
    muni = repo.municipality(engine)
    assert (muni.number, muni.name) == ("9999", "Testkommune")
    with pytest.raises(ImportRefused) as info:
        import_units(engine, TEST_DATA / "boliger_feil_cp1252.csv")
    outside = [(p.code, p.row, p.details) for p in info.value.problems
               if p.code.startswith("outside")]
    assert outside == [
        ("outside_norway", 7, {"x": "900000", "y": "5000000", "epsg": 25833}),
        ("outside_boundary", 8, {"place": "Testkommune", "x": "262000", "y": "6650000",
                                 "epsg": 25833})]


def test_demand_snapshot_good_and_bad(engine, tmp_path):
    good = tmp_path / "ettersporsel.csv"
    good.write_bytes(
        "Dato;Målgruppe;Antall husstander;Antall rom;Universelt utformet;Bemanning;Ønsket område\r\n"
        "01.10.2026;Flyktninger til bosetting;12;3;Nei;Ubemannet;\r\n"
        "01.10.2026;Bostedsløse med rusproblemer;9;1;Nei;Bemannet;Sentrum nord\r\n"
        .encode("cp1252"))
    assert import_demand(engine, good) == 2
    demand = repo.load_demand(engine)
    assert demand.households.sum() == 21
    row = demand.set_index("target_group").loc["homeless_substance"]
    assert bool(row.staffed) is True and row.preferred_area == "Sentrum nord"
    assert row.snapshot_date == dt.date(2026, 10, 1)
    bad = tmp_path / "feil.csv"
    bad.write_text("Dato;Målgruppe;Antall husstander\n01.10.2026;Pensjonister;-3\n",
                   encoding="utf-8")
    with pytest.raises(ImportRefused) as info:
        import_demand(engine, bad)
    assert [(p.code, p.row, p.column, p.details.get("value")) for p in info.value.problems] == [
        ("negative", 2, "Antall husstander", "-3"),
        ("unknown_code", 2, "Målgruppe", "Pensjonister")]
    assert repo.load_demand(engine).households.sum() == 21
    personal = tmp_path / "personer.csv"
    personal.write_text("Dato;Målgruppe;Antall husstander;Navn\n", encoding="utf-8")
    with pytest.raises(ImportRefused) as info:
        import_demand(engine, personal)
    assert [(p.code, p.column) for p in info.value.problems] == [("personal_header", "Navn")]


@pytest.mark.parametrize("suffix", [".csv", ".xlsx", ".geojson", ".gpkg"])
def test_units_export_round_trips(bounded, tmp_path, suffix, engine_factory):
    import_units(bounded, TEST_DATA / "boliger_ok_cp1252.csv", crs="EPSG:25833")
    out = export_units(bounded, tmp_path / f"units{suffix}")
    fresh = engine_factory()
    result = import_units(fresh, out)
    assert result.warnings == [] or all("not used" in w for w in result.warnings)
    cols = ["unit_id", "street", "house_number", "letter", "postal_code", "unit_type", "tenure",
            "rooms", "floor_area", "universal_design", "monthly_rent", "target_group", "status",
            "acquired", "disposed", "contract_end"]
    a = pd.DataFrame(repo.load_units(bounded))
    b = pd.DataFrame(repo.load_units(fresh))
    pd.testing.assert_frame_equal(a[cols], b[cols], check_dtype=False)
    assert b.x.tolist() == pytest.approx(a.x.tolist(), abs=0.01)
    assert b.y.tolist() == pytest.approx(a.y.tolist(), abs=0.01)


@pytest.mark.parametrize("suffix", [".csv", ".xlsx", ".geojson", ".gpkg"])
def test_areas_export(engine, tmp_path, suffix):
    path = tmp_path / "in.geojson"
    SQUARES.to_file(path)
    import_areas(engine, path, "grunnkrets")
    out = export_areas(engine, tmp_path / f"areas{suffix}", "grunnkrets")
    if suffix == ".csv":
        table = pd.read_csv(out, sep=";", dtype={"code": str})
    elif suffix == ".xlsx":
        table = pd.read_excel(out, dtype={"code": str})
    else:
        table = gpd.read_file(out)
        assert table.crs.to_epsg() == (4326 if suffix == ".geojson" else 25833)
    assert table.code.tolist() == ["34200101", "34200102"]
    assert table.dwellings.tolist() == [600, 350]
    with pytest.raises(ValueError, match="cannot export to '.pdf'"):
        export_areas(engine, tmp_path / "x.pdf", "grunnkrets")


def test_all_357_norwegian_municipalities_import_as_an_area_system(engine):
    path = REALDATA / "norway-municipalities-2024.geojson"
    if not path.exists():
        pytest.skip("../shared/realdata is absent")
    result = import_areas(engine, path, "kommune")
    assert result.rows == 357
    # the simplified outlines of 32 coastal municipalities cross themselves: repaired, warned
    assert {p.code for p in result.warnings} == {"repaired_geometry"}
    assert len(result.warnings) == 32
    areas = repo.load_areas(engine, "kommune").set_index("code")
    assert areas.loc["3420", "name"] == "Elverum"
    assert areas.loc["0301", "name"] == "Oslo"
    # Elverum is about 1,229 km² (Kartverket, simplified outline)
    assert areas.loc["3420"].geometry.area / 1e6 == pytest.approx(1229, rel=0.02)


def test_real_elverum_boundary_as_municipality(engine):
    path = REALDATA / "elverum-3420-boundary.geojson"
    if not path.exists():
        pytest.skip("../shared/realdata is absent")
    import_boundary(engine, path)
    assert repo.municipality(engine).number == "3420"
    result = import_units(engine, TEST_DATA / "boliger_ok_cp1252.csv")
    assert len(result.created) == 3


def test_export_bytes_for_the_page(bounded, tmp_path):
    import_units(bounded, TEST_DATA / "boliger_ok_cp1252.csv", crs="EPSG:25833")
    data = export_bytes(bounded, ".csv")
    header = data.decode("utf-8-sig").splitlines()[0].split(";")
    assert header[:3] == ["unit_id", "street", "house_number"]
    assert "x (EPSG:25833)" in header and "lon" in header and "geometry" not in header
    path = tmp_path / "in.geojson"
    SQUARES.to_file(path)
    import_areas(bounded, path, "grunnkrets")
    assert export_bytes(bounded, ".gpkg", "grunnkrets").startswith(b"SQLite format 3")
    with pytest.raises(ValueError, match="no areas in system 'nope'"):
        export_bytes(bounded, ".csv", "nope")
