"""SSB grid ids, grid import, the stored policy, and the concentration commands of the CLI.

The flags and the yearly trend are tested in ``test_concentration.py``, beside their fixtures.
"""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest
import shapely
from typer.testing import CliRunner

from geoplan import service
from geoplan import ssb_grid as grid
from geoplan.cli import app
from geoplan.io.errors import ImportRefused
from geoplan.io.grid import import_grid
from geoplan.io.units import import_units
from geoplan.policy import Policy, PolicyError
from geoplan.storage import repo
from geoplan.testing.paths import TEST_DATA as DATA
from geoplan.ui.wording import policy_refusal


def test_ssb_ids_by_hand():
    # SSB: id = (x_ll + 2,000,000) * 10,000,000 + y_ll
    assert grid.ssb_id([313_440.5], [6_754_520.2], 250).tolist() == [23_132_506_754_500]
    assert grid.ssb_id([313_440.5], [6_754_520.2], 1000).tolist() == [23_130_006_754_000]
    x, y = grid.corner(np.array([23_132_506_754_500]))
    assert (x[0], y[0]) == (313_250, 6_754_500)
    cell = grid.cells(np.array([23_132_506_754_500]), 250).geometry[0]
    assert cell.bounds == (313_250, 6_754_500, 313_500, 6_754_750)


def test_covering_ids():
    ids = grid.covering_ids(shapely.box(100, 100, 1900, 900), 1000)
    assert sorted(grid.corner(ids)[0].tolist()) == [0, 1000]


def test_grid_import_good_and_bad(bounded, tmp_path):
    import_units(bounded, DATA / "boliger_ok_cp1252.csv")
    good = tmp_path / "rutenett.csv"
    good.write_text("ssbid_250m;befolkning;boliger\n23132506754500;40;18\n"
                    "23132506754750;10;4\n", encoding="utf-8")
    assert import_grid(bounded, good, 250) == 3  # + the cell holding T-3 (Vestadvegen)
    cells = repo.load_areas(bounded, "ssb250m").set_index("code")
    assert cells.loc["23132506754500", "dwellings"] == 18
    assert cells.loc["23120006754750", "dwellings"] == 0  # T-3's cell, not in the statistics
    bad = tmp_path / "feil.csv"
    bad.write_text("ssbid_250m;befolkning;boliger\n23132506754510;40;18\nabc;1;1\n",
                   encoding="utf-8")
    with pytest.raises(ImportRefused) as info:
        import_grid(bounded, bad, 250)
    assert [(p.code, p.row, p.column, p.details) for p in info.value.problems] == [
        ("grid_id_invalid", 2, "ssbid_250m", {"value": "23132506754510", "size": 250}),
        ("grid_id_invalid", 3, "ssbid_250m", {"value": "abc", "size": 250}),
    ]
    assert len(repo.load_areas(bounded, "ssb250m")) == 3


def test_policy_is_stored_and_validated(engine, admin):
    assert repo.policy(engine) == Policy(0.10, 2, 12)
    assert service.set_policy(engine, admin, max_area_share=0.08).max_area_share == 0.08
    assert isinstance(repo.policy(engine).max_per_building, int)
    with pytest.raises(PolicyError, match="unknown policy field") as err:
        service.set_policy(engine, admin, max_share=1)
    assert err.value.problems == [("max_share", "unknown")]
    with pytest.raises(PolicyError, match="zero or more") as err:
        service.set_policy(engine, admin, max_per_building=-1)
    assert policy_refusal(err.value.problems, "nb") == (
        "Takene ble ikke lagret: Flest kommunale boliger i samme bygning/borettslag: "
        "må være null eller mer")
    with pytest.raises(PolicyError) as err:
        service.set_policy(engine, admin, max_area_share=1.5, max_within_250m=2.5, annual_budget="x")
    assert err.value.problems == [("max_area_share", "above_maximum"),
                                  ("max_within_250m", "not_whole"),
                                  ("annual_budget", "not_a_number")]
    assert repo.policy(engine).max_area_share == 0.08  # nothing stored from a refused change


def test_cli_indices_json_and_concentration_file(db_url, tmp_path):
    runner = CliRunner()
    assert runner.invoke(app, ["demo"]).exit_code == 0
    res = runner.invoke(app, ["indices", "--json"])
    assert res.exit_code == 0, res.output
    data = json.loads(res.output)
    assert set(data) == {"date", "dissimilarity", "isolation", "exposure", "gini", "theil",
                         "spatial_dissimilarity", "n_units_active", "n_units_in_indices",
                         "excluded", "n_units_undated", "n_dwellings", "n_areas",
                         "units_over_dwellings"}
    assert data["n_areas"] == 27 and data["n_units_active"] == data["n_units_in_indices"] == 420
    assert data["excluded"] == {"outside_areas": 0, "unknown_dwellings": 0}
    assert data["n_units_undated"] == 0 and data["units_over_dwellings"] == []
    assert 0 < data["dissimilarity"] < 1
    out = tmp_path / "konsentrasjon.csv"
    res = runner.invoke(app, ["concentration", "--system", "grunnkrets", "--date", "2020-01-01",
                              str(out)])
    assert res.exit_code == 0, res.output
    assert "215 av 215 aktive kommunale boliger per 01.01.2020" in res.output
    assert "Alle aktive boliger per 01.01.2020 har anskaffelsesdato." in res.output
    table = pd.read_csv(out, sep=";")
    assert len(table) == 27 and {"share", "lq", "per_1000", "cluster", "flag", "dwellings_reported",
                                 "units_over_dwellings", "data_problem"} <= set(table)
    assert runner.invoke(app, ["indices", "--date", "01.01.2020"]).exit_code == 1
    out = tmp_path / "naboer.csv"
    res = runner.invoke(app, ["proximity", str(out), "--radius", "100", "--radius", "1000"])
    assert res.exit_code == 0, res.output
    prox = pd.read_csv(out, sep=";")
    assert list(prox.columns) == ["unit_id", "within_100m", "within_1000m", "same_building",
                                  "same_address"]
    assert len(prox) == 420 and (prox.within_1000m >= prox.within_100m).all()
    assert prox.within_100m.min() >= 1  # each unit counts itself
    assert runner.invoke(app, ["concentration", str(tmp_path / "x.pdf")]).exit_code == 1


def test_grid_for_the_whole_municipality(bounded, engine_factory, tmp_path):
    stats = tmp_path / "rutenett.csv"
    stats.write_text("ssbid_1000m;befolkning;boliger\n23130006754000;40;18\n", encoding="utf-8")
    # the test boundary spans 310–316 km east and 6750–6758 km north: 6 x 8 one-km cells
    assert import_grid(bounded, stats, 1000, all_cells=True) == 48
    cells = repo.load_areas(bounded, "ssb1km").set_index("code")
    assert cells["dwellings"].sum() == 18 and (cells["dwellings"] == 0).sum() == 47
    with pytest.raises(ImportRefused) as info:
        import_grid(engine_factory(), stats, 1000, all_cells=True)
    assert [p.code for p in info.value.problems] == ["no_boundary"]


@pytest.mark.parametrize("value", [float("nan"), float("inf"), float("-inf"), "nan", "inf"])
def test_policy_refuses_nan_and_infinity(engine, admin, value):
    """NaN or infinity is never a cap or a budget: refused with a code, nothing stored."""
    with pytest.raises(PolicyError) as err:
        service.set_policy(engine, admin, max_area_share=value, annual_budget=value)
    assert err.value.problems == [("max_area_share", "not_a_number"),
                                  ("annual_budget", "not_a_number")]
    assert repo.policy(engine) == Policy(0.10, 2, 12)
