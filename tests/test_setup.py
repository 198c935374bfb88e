"""Starting on your own municipality: init, reset (with its backup), the empty state, and the
demo that never merges into another municipality (service and ``geoplan`` CLI)."""

from __future__ import annotations

import zipfile
from pathlib import Path

import geopandas as gpd
import pytest
import shapely
from typer.testing import CliRunner

from geoplan import service
from geoplan.cli import app
from geoplan.roles import Actor
from geoplan.storage import repo
from geoplan.storage.db import get_engine, make_engine
from geoplan.testing.paths import BOUNDARY, REALDATA, TEST_DATA
from geoplan.ui.setup_text import setup_refusal_text

REGISTER = TEST_DATA / "boliger_ok_cp1252.csv"
NATIONAL = REALDATA / "norway-municipalities-2024.geojson"
ELVERUM = REALDATA / "elverum-3420-boundary.geojson"
# A tiny two-municipality file: the test square (9999) and a square beside it (9998).
OTHER = shapely.box(316_000, 6_750_000, 320_000, 6_758_000)


def boundary_file(folder: Path, rows: list[tuple[str, str, object]], name: str) -> Path:
    """A GeoJSON (EPSG:4326) with one feature per (kommunenummer, kommunenavn, polygon)."""
    frame = gpd.GeoDataFrame({"kommunenummer": [r[0] for r in rows],
                              "kommunenavn": [r[1] for r in rows]},
                             geometry=[r[2] for r in rows], crs=25833).to_crs(4326)
    path = folder / name
    frame.to_file(path, driver="GeoJSON")
    return path


@pytest.fixture
def square(tmp_path) -> Path:
    return boundary_file(tmp_path, [("9999", "Testkommune", BOUNDARY)], "grense.geojson")


@pytest.fixture
def two(tmp_path) -> Path:
    return boundary_file(tmp_path, [("9998", "Nabokommune", OTHER),
                                    ("9999", "Testkommune", BOUNDARY)], "kommuner.geojson")


def actions(engine) -> list[str]:
    return repo.audit_rows(engine)["action"].tolist()


# ---------------------------------------------------------------- the service


def test_a_new_database_is_empty(engine):
    state = service.setup_state(engine)
    assert state.empty and state.units == 0 and state.number is None


def test_init_sets_up_an_empty_database_from_its_boundary(engine, admin, square):
    summary = service.init_municipality(engine, admin, "9999", "Testkommune", square)
    assert summary.kind == "boundary" and summary.rows == 1
    state = service.setup_state(engine)
    assert (state.number, state.name, state.synthetic, state.units) == ("9999", "Testkommune",
                                                                        False, 0)
    assert not state.empty
    muni = service.municipality(engine)
    # the square, read back from EPSG:4326: 6 km x 8 km within a square metre
    assert muni.boundary.area == pytest.approx(48e6, abs=1.0)
    row = repo.audit_rows(engine).iloc[-1]
    assert (row["action"], row["object"], row["after"]["kind"]) == ("import", "grense.geojson",
                                                                    "boundary")
    # then the register: the units inside the boundary are imported
    service.import_file(engine, admin, "units", REGISTER, crs="EPSG:25833")
    assert service.setup_state(engine).units > 0


def test_init_picks_its_municipality_from_a_file_of_several(engine, admin, two):
    service.init_municipality(engine, admin, "9999", "Testkommune", two)
    muni = service.municipality(engine)
    assert muni.number == "9999"
    assert muni.boundary.area == pytest.approx(BOUNDARY.area, abs=1.0)  # not the neighbour's
    assert muni.boundary.centroid.distance(BOUNDARY.centroid) < 1.0


def test_init_refuses_a_number_not_in_the_file(engine, admin, two):
    with pytest.raises(service.SetupRefused) as refused:
        service.init_municipality(engine, admin, "3420", "Elverum", two)
    assert (refused.value.code, refused.value.detail) == ("number_not_in_file",
                                                          {"number": "3420"})
    assert service.setup_state(engine).empty


@pytest.mark.parametrize("number", ["34", "34200", "34a0", "", " "])
def test_init_refuses_a_bad_kommunenummer(engine, admin, square, number):
    with pytest.raises(service.SetupRefused) as refused:
        service.init_municipality(engine, admin, number, "X", square)
    assert refused.value.code == "bad_number"
    assert service.setup_state(engine).empty


def test_a_three_digit_number_gets_its_leading_zero(engine, admin, tmp_path):
    path = boundary_file(tmp_path, [("0301", "Oslo", BOUNDARY)], "oslo.geojson")
    service.init_municipality(engine, admin, "301", "Oslo", path)
    assert service.municipality(engine).number == "0301"


def test_init_refuses_over_an_existing_municipality(engine, admin, square, tmp_path):
    service.init_municipality(engine, admin, "9999", "Testkommune", square)
    other = boundary_file(tmp_path, [("9998", "Nabokommune", OTHER)], "nabo.geojson")
    trail = len(repo.audit_rows(engine))
    with pytest.raises(service.SetupRefused) as refused:
        service.init_municipality(engine, admin, "9998", "Nabokommune", other)
    assert refused.value.code == "not_empty"
    assert refused.value.detail == {"number": "9999", "name": "Testkommune", "units": 0}
    assert service.municipality(engine).number == "9999"
    assert len(repo.audit_rows(engine)) == trail
    assert setup_refusal_text(refused.value, "nb") == (
        "Databasen har allerede kommunen Testkommune (kommunenr. 9999) med 0 boliger; den må "
        "tømmes først.")


def test_init_refuses_over_units_without_a_municipality(engine, admin, square):
    from geoplan.testing.data import seed_database, unit_record

    seed_database(engine, [unit_record("T-1", 11.56, 60.88)])
    with pytest.raises(service.SetupRefused) as refused:
        service.init_municipality(engine, admin, "9999", "Testkommune", square)
    assert refused.value.detail["units"] == 1
    assert setup_refusal_text(refused.value, "en") == (
        "The database already holds 1 unit; it must be emptied first.")


def test_init_is_for_planners_and_admins(engine, square):
    viewer = Actor("v@kommune.no", "viewer")
    with pytest.raises(service.AccessDenied):
        service.init_municipality(engine, viewer, "9999", "Testkommune", square)
    assert actions(engine) == ["refused"]
    service.init_municipality(engine, Actor("p@kommune.no", "planner"), "9999", "T", square)
    assert service.municipality(engine).name == "T"


@pytest.mark.skipif(not ELVERUM.exists(), reason="../shared/realdata is absent")
@pytest.mark.parametrize("path", [ELVERUM, NATIONAL], ids=["elverum", "national"])
def test_init_with_kartverkets_boundary(engine, admin, path):
    service.init_municipality(engine, admin, "3420", "Elverum", path)
    muni = service.municipality(engine)
    assert (muni.number, muni.name) == ("3420", "Elverum")
    # the same polygon as geopandas reads from the Elverum file (the national file's feature)
    reference = gpd.read_file(ELVERUM).to_crs(25833).geometry.union_all()
    assert muni.boundary.area == pytest.approx(reference.area, rel=1e-9)
    assert muni.boundary.symmetric_difference(reference).area < 1.0


def test_reset_empties_all_but_users_and_audit_after_a_backup(demo_engine, admin, tmp_path,
                                                                engine_factory):
    service.add_user(demo_engine, admin, "kari@kommune.no", "planner")
    service.set_policy(demo_engine, admin, max_area_share=0.05)
    before = service.backup(demo_engine, admin, tmp_path / "before.zip").rows
    trail = len(repo.audit_rows(demo_engine))
    summary = service.reset_database(demo_engine, admin, tmp_path / "kept")
    assert Path(summary.backup).parent == tmp_path / "kept"
    assert Path(summary.backup).name.startswith("geoplan-before-reset-")
    assert zipfile.is_zipfile(summary.backup)
    assert summary.deleted["units"] == before["units"] == 455
    assert "users" not in summary.deleted and "audit" not in summary.deleted
    state = service.setup_state(demo_engine)
    assert state.empty
    assert service.user_role(demo_engine, "kari@kommune.no") == "planner"
    assert service.policy(demo_engine).max_area_share == pytest.approx(0.10)  # back to default
    assert len(service.unit_types(demo_engine).labels()) == 8  # a new database's types
    after = service.backup(demo_engine, admin, tmp_path / "after.zip").rows
    assert {t for t, n in after.items() if n} == {"users", "audit", "policy", "unit_types"}
    trail_after = repo.audit_rows(demo_engine)
    assert len(trail_after) == trail + 1
    row = trail_after.iloc[-1]
    assert row["action"] == "reset" and row["after"] == {"backup": summary.backup}
    assert row["counts"]["units"] == 455
    assert service.verify_audit(demo_engine).ok
    # the backup is restorable: the demo comes back whole
    target = engine_factory()
    restored = service.restore(target, admin, summary.backup)
    assert restored.rows["units"] == 455 and restored.rows["users"] == before["users"]
    assert service.setup_state(target).number == "3420"


def test_reset_is_for_admins_only(demo_engine, tmp_path):
    planner = Actor("p@kommune.no", "planner")
    with pytest.raises(service.AccessDenied):
        service.reset_database(demo_engine, planner, tmp_path / "kopier")
    assert service.setup_state(demo_engine).units == 455
    assert not (tmp_path / "kopier").exists()  # no backup either


def test_the_backup_goes_beside_an_sqlite_file(engine, tmp_path):
    assert service.backup_folder(engine) == tmp_path.resolve() / "backups"


def test_the_demo_never_merges_into_another_municipality(engine, admin, square):
    service.init_municipality(engine, admin, "9999", "Testkommune", square)
    for load in (service.load_demo, service.ensure_demo):
        with pytest.raises(service.SetupRefused) as refused:
            load(engine, admin)
        assert refused.value.code == "other_municipality"
    assert service.setup_state(engine).units == 0
    assert setup_refusal_text(refused.value, "en") == (
        "The database already holds Testkommune (municipality no. 9999); the demo is not "
        "loaded into it.")


def test_the_demo_loads_into_an_empty_database_and_over_itself(demo_engine, admin):
    assert service.ensure_demo(demo_engine, admin) is False
    assert service.load_demo(demo_engine, admin)["units"] == 455


# ---------------------------------------------------------------- the command line


def cli(*args: str, input: str | None = None):
    return CliRunner().invoke(app, list(args), input=input)


def test_cli_init_then_refuses_a_second_init(db_url, square, monkeypatch):
    monkeypatch.setenv("GEOPLAN_LANG", "en")
    out = cli("init", "--kommunenummer", "9999", "--name", "Testkommune", "--boundary",
              str(square))
    assert out.exit_code == 0, out.output
    assert "Set up Testkommune (municipality no. 9999) from grense.geojson" in out.output
    out = cli("init", "--kommunenummer", "9999", "--name", "Testkommune", "--boundary",
              str(square))
    assert out.exit_code == 1
    assert "already holds Testkommune" in out.output and "geoplan reset" in out.output
    out = cli("demo")
    assert out.exit_code == 1 and "the demo is not loaded into it" in out.output


def test_cli_words_are_bokmal_by_default(db_url, square, monkeypatch):
    monkeypatch.delenv("GEOPLAN_LANG", raising=False)
    out = cli("init", "--kommunenummer", "99x9", "--name", "T", "--boundary", str(square))
    assert out.exit_code == 1
    assert "«99x9» er ikke et kommunenummer" in out.output


def test_cli_reset_asks_first(db_url, square, tmp_path, monkeypatch):
    monkeypatch.setenv("GEOPLAN_LANG", "en")
    assert cli("init", "--kommunenummer", "9999", "--name", "T", "--boundary",
               str(square)).exit_code == 0
    folder = tmp_path / "kopier"
    out = cli("reset", "--backup-dir", str(folder), input="n\n")
    assert out.exit_code == 1 and "Aborted; nothing was changed." in out.output
    assert service.setup_state(get_engine(db_url)).number == "9999" and not folder.exists()
    out = cli("reset", "--backup-dir", str(folder), input="y\n")
    assert out.exit_code == 0, out.output
    assert "Empty the database?" in out.output and "Emptied the database" in out.output
    assert service.setup_state(get_engine(db_url)).empty
    assert len(list(folder.glob("geoplan-before-reset-*.zip"))) == 1
    out = cli("reset", "--yes", "--backup-dir", str(folder))
    assert out.exit_code == 0 and "Empty the database?" not in out.output
    assert len(list(folder.glob("*.zip"))) == 2
    trail = repo.audit_rows(get_engine(db_url))
    assert trail["action"].tolist().count("reset") == 2


def test_cli_demo_then_reset_then_init(db_url, square, tmp_path, monkeypatch):
    monkeypatch.setenv("GEOPLAN_LANG", "en")
    out = cli("demo")
    assert out.exit_code == 0 and "Loaded the Elverum demo (synthetic data)" in out.output
    out = cli("demo")
    assert out.exit_code == 0 and "already holds the demo" in out.output
    assert cli("reset", "--yes", "--backup-dir", str(tmp_path / "b")).exit_code == 0
    out = cli("init", "--kommunenummer", "9999", "--name", "T", "--boundary", str(square))
    assert out.exit_code == 0, out.output
    engine = make_engine(db_url)
    assert service.setup_state(engine).units == 0
    engine.dispose()


def test_init_takes_a_crs_for_a_boundary_without_one(engine, admin, tmp_path):
    """A boundary file in UTM without a CRS (and without a name column) is refused as it is,
    and set up when the CRS is chosen, as the first-run page offers."""
    import json

    ring = [[310_000, 6_750_000], [316_000, 6_750_000], [316_000, 6_758_000],
            [310_000, 6_758_000], [310_000, 6_750_000]]
    path = tmp_path / "grense.geojson"
    path.write_text(json.dumps({"type": "FeatureCollection", "features": [{
        "type": "Feature", "properties": {"kode": "9999"},
        "geometry": {"type": "Polygon", "coordinates": [ring]}}]}), encoding="utf-8")
    with pytest.raises(service.ImportRefused) as info:
        service.init_municipality(engine, admin, "9999", "Testkommune", path)
    assert [p.code for p in info.value.problems] == ["no_crs"]
    service.init_municipality(engine, admin, "9999", "Testkommune", path, crs="EPSG:25833")
    muni = service.municipality(engine)
    assert (muni.number, muni.name) == ("9999", "Testkommune")
    assert muni.boundary.area == pytest.approx(6_000 * 8_000)


def test_a_boundary_without_a_name_column_is_named_by_its_code(engine, admin, tmp_path):
    import json

    ring = [[11.0, 60.8], [11.1, 60.8], [11.1, 60.9], [11.0, 60.9], [11.0, 60.8]]
    path = tmp_path / "grense.geojson"
    path.write_text(json.dumps({"type": "FeatureCollection", "features": [{
        "type": "Feature", "properties": {"kode": "3420"},
        "geometry": {"type": "Polygon", "coordinates": [ring]}}]}), encoding="utf-8")
    service.import_file(engine, admin, "boundary", path)
    assert (service.municipality(engine).number, service.municipality(engine).name) == (
        "3420", "3420")
