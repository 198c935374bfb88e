"""The geoplan command line: exit codes, messages, and an unchanged database on refusal."""

from __future__ import annotations

import json
import subprocess
import sys

import geopandas as gpd
from typer.testing import CliRunner

from geoplan.cli import app
from geoplan.storage import repo
from geoplan.storage.db import get_engine
from geoplan.testing.paths import BOUNDARY, TEST_DATA

runner = CliRunner()


def _boundary_file(tmp_path):
    path = tmp_path / "kommune.geojson"
    gpd.GeoDataFrame({"kommunenummer": ["9999"], "kommunenavn": ["Testkommune"]},
                     geometry=[BOUNDARY], crs=25833).to_file(path)
    return path


def test_import_refused_then_corrected(db_url, tmp_path, monkeypatch):
    monkeypatch.delenv("GEOPLAN_LANG", raising=False)  # bokmål by default
    ok = runner.invoke(app, ["import", "boundary", str(_boundary_file(tmp_path))])
    assert ok.exit_code == 0, ok.output
    refused = runner.invoke(app, ["import", "units", str(TEST_DATA / "boliger_feil_cp1252.csv"),
                                  "--crs", "EPSG:25833"])
    assert refused.exit_code == 1
    lines = refused.output.splitlines()
    assert lines[0] == "boliger_feil_cp1252.csv ble avvist, ingenting ble importert (7 feil)"
    assert lines[1] == "  rad 3 (T-2), kolonne «Øst»: «abc» er ikke et tall"
    assert len(lines) == 8  # the head and one line per problem, each naming its row
    assert all(line.startswith("  rad ") for line in lines[1:])
    monkeypatch.setenv("GEOPLAN_LANG", "en")
    refused = runner.invoke(app, ["import", "units", str(TEST_DATA / "boliger_feil_cp1252.csv"),
                                  "--crs", "EPSG:25833"])
    assert refused.exit_code == 1
    assert "refused, nothing was imported (7 problems)" in refused.output
    assert "  row 3 (T-2), column “Øst”: “abc” is not a number\n" in refused.output
    assert len(repo.load_units(get_engine())) == 0
    good = runner.invoke(app, ["import", "units", str(TEST_DATA / "boliger_ok_cp1252.csv"),
                               "--crs", "EPSG:25833"])
    assert good.exit_code == 0, good.output
    assert "3 rows: 3 new, 0 updated, 0 unchanged" in good.output
    assert len(repo.load_units(get_engine())) == 3


def test_bad_crs_option_and_missing_file(db_url, tmp_path, monkeypatch):
    monkeypatch.delenv("GEOPLAN_LANG", raising=False)
    res = runner.invoke(app, ["import", "units", str(TEST_DATA / "boliger_ok_cp1252.csv"),
                              "--crs", "EPSG:3857"])
    assert res.exit_code == 1
    assert "koordinatsystemet «EPSG:3857» støttes ikke" in res.output
    res = runner.invoke(app, ["import", "units", str(tmp_path / "finnes_ikke.csv")])
    assert res.exit_code == 1 and "  filen kan ikke leses (" in res.output
    monkeypatch.setenv("GEOPLAN_LANG", "en")
    res = runner.invoke(app, ["import", "units", str(TEST_DATA / "boliger_ok_cp1252.csv"),
                              "--crs", "EPSG:3857"])
    assert res.exit_code == 1
    assert "the coordinate system “EPSG:3857” is not accepted" in res.output
    assert len(repo.load_units(get_engine())) == 0


def test_areas_export_and_types(db_url, tmp_path):
    path = tmp_path / "grunnkretser.geojson"
    gpd.GeoDataFrame({"kode": ["1"], "navn": ["Alt"]}, geometry=[BOUNDARY],
                     crs=25833).to_file(path)
    res = runner.invoke(app, ["import", "areas", str(path), "--system", "grunnkrets"])
    assert res.exit_code == 0 and "imported 1 areas into system 'grunnkrets'" in res.output
    out = tmp_path / "ut.gpkg"
    res = runner.invoke(app, ["export", "areas", str(out), "--system", "grunnkrets"])
    assert res.exit_code == 0 and out.exists()
    res = runner.invoke(app, ["export", "areas", str(tmp_path / "x.gpkg"), "--system", "nope"])
    assert res.exit_code == 1 and "no areas in system 'nope'" in res.output
    res = runner.invoke(app, ["types", "add", "student", "--nb", "Studentbolig",
                              "--en", "Student housing", "--alias", "hybel"])
    assert res.exit_code == 0
    assert repo.unit_types(get_engine()).code("Hybel") == "student"


def test_dispose_keeps_history(db_url, tmp_path):
    runner.invoke(app, ["import", "units", str(TEST_DATA / "boliger_ok_cp1252.csv")])
    res = runner.invoke(app, ["units", "dispose", "T-1", "--date", "2026-06-30"])
    assert res.exit_code == 0, res.output
    units = repo.load_units(get_engine()).set_index("unit_id")
    assert str(units.loc["T-1", "disposed"]) == "2026-06-30" and len(units) == 3
    res = runner.invoke(app, ["units", "history", "T-1"])
    assert "disposed: None → '2026-06-30'" in res.output
    assert runner.invoke(app, ["units", "dispose", "NOPE", "--date", "2026-01-01"]).exit_code == 1


def test_installed_console_script_uses_the_database_url(db_url, tmp_path, monkeypatch):
    """The real `geoplan` entry point, as a subprocess, honours GEOPLAN_DATABASE_URL."""
    monkeypatch.delenv("GEOPLAN_LANG", raising=False)
    exe = [sys.executable, "-m", "geoplan.cli"]
    out = subprocess.run([*exe, "import", "units", str(TEST_DATA / "boliger_ok_cp1252.csv")],
                         capture_output=True, text=True, check=False)
    assert out.returncode == 0, out.stderr
    # the CRS is guessed with a warning, in bokmål unless GEOPLAN_LANG says otherwise
    assert "tolket som EPSG:25833 ut fra tallene" in out.stderr
    info = subprocess.run([*exe, "info"], capture_output=True, text=True, check=True)
    assert "units: 3 in the register" in info.stdout


def test_dispose_before_acquisition_and_policy_values_are_refused(db_url):
    runner.invoke(app, ["import", "units", str(TEST_DATA / "boliger_ok_cp1252.csv")])
    res = runner.invoke(app, ["units", "dispose", "T-1", "--date", "01.01.1990"])
    assert res.exit_code == 1 and "acquired 01.03.2015" in res.output
    assert runner.invoke(app, ["units", "dispose", "T-1", "--date", "30.06.2026"]).exit_code == 0
    res = runner.invoke(app, ["policy", "set", "max_area_share=8"])
    assert res.exit_code == 1 and "fraction from 0 to 1" in res.output
    res = runner.invoke(app, ["policy", "set", "max_per_building=2.7"])
    assert res.exit_code == 1 and "whole number" in res.output
    assert repo.policy(get_engine()).max_area_share == 0.10


def test_address_register_without_epsg_column_uses_crs(db_url, tmp_path, monkeypatch):
    monkeypatch.delenv("GEOPLAN_LANG", raising=False)
    path = tmp_path / "adresser.csv"
    path.write_text("adressenavn;nummer;postnummer;poststed;Nord;Øst\n"
                    "Storgata;12;2406;ELVERUM;6754520;313440\n", encoding="utf-8")
    res = runner.invoke(app, ["import", "addresses", str(path), "--crs", "EPSG:25833"])
    assert res.exit_code == 0, res.output
    res = runner.invoke(app, ["import", "addresses", str(path)])
    assert res.exit_code == 1
    assert "filen sier ikke hvilket koordinatsystem den bruker" in res.output


def test_policy_show_and_set_loop_over_every_field(db_url):
    from geoplan.policy import POLICY_FIELDS

    res = runner.invoke(app, ["policy", "show"])
    assert res.exit_code == 0, res.output
    assert res.output.splitlines() == [f"{f.name} = {f.default:g}" for f in POLICY_FIELDS]
    res = runner.invoke(app, ["policy", "set", "max_area_share=0.08", "annual_budget=5000000"])
    assert res.exit_code == 0, res.output
    assert "max_area_share = 0.08" in res.output and "annual_budget = 5e+06" in res.output
    assert "max_within_250m" in runner.invoke(app, ["policy", "set", "--help"]).output
    assert runner.invoke(app, ["policy", "set", "nonsense"]).exit_code == 1
    res = runner.invoke(app, ["types", "list"])
    assert res.exit_code == 0 and "care\tOmsorgsbolig" in res.output


def test_demo_command_leaves_a_database_with_data(db_url):
    runner.invoke(app, ["import", "units", str(TEST_DATA / "boliger_ok_cp1252.csv")])
    res = runner.invoke(app, ["demo"])  # never merged into another register
    assert res.exit_code == 1
    assert "Databasen har allerede 3 boliger" in res.output and "geoplan reset" in res.output
    assert len(repo.load_units(get_engine())) == 3


def test_policy_nan_and_an_unknown_crs_are_clear_refusals(db_url):
    res = runner.invoke(app, ["policy", "set", "max_area_share=nan"])
    assert res.exit_code == 1 and "Traceback" not in res.output
    assert repo.policy(get_engine()).max_area_share == 0.10
    res = runner.invoke(app, ["import", "units", str(TEST_DATA / "boliger_ok_cp1252.csv"),
                              "--crs", "EPSG:3857"])
    assert res.exit_code == 1 and "Traceback" not in res.output
    assert "koordinatsystemet «EPSG:3857» støttes ikke" in res.output
    res = runner.invoke(app, ["import", "units", str(TEST_DATA / "boliger_ok_cp1252.csv"),
                              "--crs", "tull"])
    assert res.exit_code == 1 and "«tull» støttes ikke" in res.output


def test_bench_names_compare_only_on_request(monkeypatch):
    """`geoplan bench --only compare` runs benchmarks/bench_compare.py with --against and
    --rounds (and nothing else does); an unknown name or zero rounds is refused."""
    import sys
    import types

    calls: list[dict] = []
    fake = types.ModuleType("benchmarks.bench_compare")
    fake.run = lambda **options: calls.append(options) or {"rounds": options.get("rounds")}
    monkeypatch.setitem(sys.modules, "benchmarks.bench_compare", fake)
    result = runner.invoke(app, ["bench", "--only", "compare", "--against", "abc123",
                                 "--rounds", "2", "--json"])
    assert result.exit_code == 0, result.output
    assert calls == [{"against": "abc123", "rounds": 2}]
    assert json.loads(result.output) == {"compare": {"rounds": 2}}
    result = runner.invoke(app, ["bench", "--only", "compare"])
    assert result.exit_code == 0 and calls[-1] == {"against": "HEAD"}  # its own ROUNDS
    result = runner.invoke(app, ["bench", "--only", "nope"])
    assert result.exit_code != 0 and "unknown benchmark(s): nope" in result.output
    assert runner.invoke(app, ["bench", "--only", "compare", "--rounds", "0"]).exit_code != 0
