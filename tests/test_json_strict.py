"""Every ``--json`` output parses with a strict parser (no NaN, no Infinity) on the demo.

``geoplan bench`` is left out for speed.  The plan is also run on a candidate file with a flat
without a price and one without rooms, so that missing numbers are
in the output (as null).
"""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from geoplan import service
from geoplan.cli import app
from geoplan.demo.load import demo_files

pytestmark = pytest.mark.skipif(not demo_files()["candidates"].exists(),
                                reason="the demo's data files are not there")


def _refuse(constant: str):
    raise ValueError(f"not strict JSON: {constant}")


def strict(text: str) -> object:
    """Parse one JSON document, refusing NaN, Infinity and -Infinity."""
    return json.loads(text, parse_constant=_refuse)


@pytest.fixture(scope="module")
def runner(demo_module_url):
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("GEOPLAN_DATABASE_URL", demo_module_url)
        service.reset_engines()
        yield CliRunner()
    service.reset_engines()


def test_the_strict_parser_refuses_nan():
    with pytest.raises(ValueError, match="NaN"):
        strict('{"a": NaN}')
    assert strict('{"a": null}') == {"a": None}


def _json(runner, args: list[str]) -> object:
    res = runner.invoke(app, [*args, "--json"])
    assert res.exit_code == 0, res.output
    return strict(res.output)


def test_evaluate(runner):
    # a point without price and with no building: before/after numbers present or null
    data = _json(runner, ["evaluate", "--lon", "11.5623", "--lat", "60.8819"])
    assert data["price"] is None and data["verdict"] in {"green", "amber", "red"}
    far = _json(runner, ["evaluate", "--lon", "10.0", "--lat", "60.0", "--rooms", "2"])
    assert far["after"]["area_share"] is None  # outside every area: unknown, not NaN


def test_plan_on_the_demo(runner):
    data = _json(runner, ["plan", str(demo_files()["candidates"]), "--budget", "20000000"])
    assert data["status"] in {"optimal", "targets_missed"}
    assert sum(data["served"].values()) == len(data["chosen"])


def test_plan_with_missing_numbers(runner, tmp_path):
    path = tmp_path / "kandidater.csv"
    path.write_text(
        "Adresse;Postnr;Øst;Nord;Pris (kr);Antall rom\n"
        "Storgata 12;2406;313495,1;6754982,2;;3\n"         # no price
        "Sætervegen 29;2411;314158,4;6756918,7;2720000;\n",  # no rooms
        encoding="utf-8")
    data = _json(runner, ["plan", str(path), "--budget", "0", "--target", "elderly=1"])
    assert data["status"] == "targets_missed"
    assert [c["label"] for c in data["unpriced"]] == ["Storgata 12"]
    assert data["unpriced"][0]["price"] is None
    assert data["share_unknown"] == []  # the demo's areas cover the municipality
    assert data["chosen"] == [] and data["cost"] == 0


def test_indices(runner):
    data = _json(runner, ["indices"])
    assert data


def test_scenario_compare(runner, tmp_path):
    cands = str(demo_files()["candidates"])
    assert runner.invoke(app, ["plan", cands, "--budget", "5000000", "--save", "A"]).exit_code == 0
    assert runner.invoke(app, ["scenario", "save", "B", cands]).exit_code == 0
    data = _json(runner, ["scenario", "compare", "A", "B"])
    assert set(data) == {"outcome", "made_with"}
    assert data["made_with"]["A"]["budget"] == 5e6 and data["made_with"]["B"]["budget"] is None
    assert set(data["outcome"]) == {"today", "A", "B"}
