"""The public instance without a browser: the service refuses, the dashboard shows aggregates.

``GEOPLAN_PUBLIC=1`` switches the public mode on (:mod:`geoplan.service.access`): every name of
``geoplan.service`` outside ``PUBLIC_NAMES`` refuses with ``PublicModeError``, and ``dashboard``
only computes the public version.  The browser side is ``tests/test_public_browser.py``.
"""

from __future__ import annotations

import ast
import dataclasses
import datetime as dt
import html
import importlib.util
import json
import re
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest
from streamlit.testing.v1.element_tree import Block

from geoplan import service
from geoplan.storage.db import make_engine
from geoplan.testing.data import XSS_ADDRESS
from geoplan.ui import dashboard_view
from geoplan.ui.dashboard_map import FEATURE_PROPERTIES, dashboard_map, feature_frame
from geoplan.ui.i18n import t
from streamlit_app import loaders, shell

ROOT = Path(__file__).resolve().parent.parent
APP = str(ROOT / "app.py")

# Functions that return unit-level data or change something: each must refuse in public mode.
UNIT_LEVEL_OR_WRITING = (
    "units", "evaluate_point", "evaluate_sale", "rank", "rank_file", "where", "plan",
    "plan_file", "baseline", "import_file", "import_bytes", "set_policy", "add_unit_type",
    "dispose_unit", "unit_history", "export_units", "export_bytes", "export_areas",
    "concentration_result", "proximity", "flagged", "trend", "save_scenario", "load_scenario",
    "delete_scenario", "record_purchase", "save_plan", "scenario_outcome", "compare_scenarios",
    "load_demo", "ensure_demo", "building_at_address", "search_addresses", "read_candidates",
    "read_candidate_bytes", "areas", "policy",
)


@pytest.fixture
def public(monkeypatch):
    """The public mode, as ``GEOPLAN_PUBLIC=1 streamlit run app.py`` sets it."""
    monkeypatch.setenv("GEOPLAN_PUBLIC", "1")


@pytest.fixture
def internal(monkeypatch):
    monkeypatch.delenv("GEOPLAN_PUBLIC", raising=False)


# ---------------------------------------------------------------- the guard in the service


@pytest.mark.parametrize(("value", "expected"), [
    ("1", True), ("true", True), ("YES", True), (" True ", True),
    ("", False), ("0", False), ("no", False), ("false", False), ("public", False),
])
def test_public_mode_reads_the_environment(monkeypatch, value, expected):
    monkeypatch.setenv("GEOPLAN_PUBLIC", value)
    assert service.public_mode() is expected


def test_public_mode_is_off_without_the_variable(internal):
    assert service.public_mode() is False


@pytest.mark.parametrize("name", UNIT_LEVEL_OR_WRITING)
def test_unit_level_and_writing_functions_refuse_in_public_mode(public, name):
    assert name in service.__all__
    with pytest.raises(service.PublicModeError) as refused:
        getattr(service, name)
    assert isinstance(refused.value, PermissionError) and refused.value.name == name


def test_from_import_refuses_too(public):
    with pytest.raises(PermissionError):
        from geoplan.service import units  # noqa: F401


def test_a_name_used_before_the_switch_is_checked_again(internal, monkeypatch):
    assert callable(service.units)  # resolved (and usable) in the internal app
    monkeypatch.setenv("GEOPLAN_PUBLIC", "1")
    with pytest.raises(service.PublicModeError):
        service.units  # noqa: B018 - the lookup itself must refuse: it was not cached


def test_exactly_the_public_names_resolve_in_public_mode(public):
    assert service.PUBLIC_NAMES <= set(service.__all__)
    refused = set()
    for name in service.__all__:
        try:
            getattr(service, name)
        except service.PublicModeError:
            refused.add(name)
    assert refused == set(service.__all__) - service.PUBLIC_NAMES
    assert set(UNIT_LEVEL_OR_WRITING) <= refused


def test_public_dashboard_works_and_the_internal_one_refuses(public, demo_engine):
    d = service.dashboard(demo_engine)
    assert d.public is True and d.rounding_base == 5
    assert service.dashboard(demo_engine, public=True).headline == d.headline
    with pytest.raises(service.PublicModeError):
        service.dashboard(demo_engine, public=False)
    json.dumps(d.as_dict(), allow_nan=False)


def test_internal_dashboard_still_works_outside_public_mode(internal, demo_engine):
    assert service.dashboard(demo_engine, public=False).public is False


def test_pages_cli_and_ui_use_only_the_door():
    """Nothing above the service imports a submodule of it: the guard cannot be walked around."""
    offenders = []
    for folder in ("streamlit_app", "geoplan/ui", "geoplan/cli"):
        for path in sorted((ROOT / folder).rglob("*.py")):
            for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
                names = ([node.module] if isinstance(node, ast.ImportFrom) and node.module
                         else [a.name for a in node.names] if isinstance(node, ast.Import)
                         else [])
                offenders += [f"{path.relative_to(ROOT)}: {n}" for n in names
                              if n.startswith("geoplan.service.")]
    assert offenders == []


def test_the_public_app_loads_no_demo_into_an_empty_database(public, engine):
    assert loaders.load_demo(engine) is False
    assert service.area_systems(engine) == []


# ---------------------------------------------------------------- the dashboard's map


@pytest.fixture(scope="module")
def demo_dashboards(demo_template):
    """(public, internal) dashboards of the demo on one date."""
    engine = make_engine(f"sqlite:///{demo_template}")
    on = dt.date(2026, 6, 30)
    try:
        return (service.dashboard(engine, on=on, public=True),
                service.dashboard(engine, on=on, public=False))
    finally:
        engine.dispose()


def test_map_features_carry_published_counts_only(demo_dashboards):
    public, internal = demo_dashboards
    features = feature_frame(public, "nb")
    assert list(features.columns) == [*FEATURE_PROPERTIES, "geometry"]
    counts = [u for u in features["units"] if u is not None]
    assert all(u == 0 or (u >= public.min_count and u % 5 == 0) for u in counts)
    true = internal.areas.set_index("code")["units"]
    suppressed = public.areas.loc[public.areas["suppressed"], "code"]
    assert len(suppressed) > 0  # the demo has small areas (else this test proves nothing)
    assert features["units"].isna().sum() == len(suppressed)
    for code in suppressed:
        n = int(true[code])
        assert 0 < n < public.min_count
        row = features[public.areas["code"].to_numpy() == code].iloc[0]
        assert row["units"] is None and row["count_text"] == "færre enn 5"
        assert str(n) not in row["count_text"] + row["share_text"]


def test_map_geojson_has_no_other_area_figures(demo_dashboards):
    public, _ = demo_dashboards
    rendered = dashboard_map(public, "en").get_root().render()
    props = re.findall(r'"properties":\s*(\{[^{}]*\})', rendered)
    assert len(props) == len(public.areas)
    for text in props:
        assert set(json.loads(text)) == set(FEATURE_PROPERTIES)
    assert all(f'"{key}"' not in rendered for key in ("dwellings", "population", "code"))


def test_map_tooltip_legend_and_date_escape_names(demo_dashboards):
    public, _ = demo_dashboards
    areas = public.areas.copy()
    areas.loc[0, "name"] = XSS_ADDRESS
    d = dataclasses.replace(public, areas=areas, system="<b>sys</b>")
    rendered = dashboard_map(d, "nb").get_root().render()
    assert XSS_ADDRESS not in rendered and "<b>sys</b>" not in rendered
    assert json.dumps(html.escape(XSS_ADDRESS))[1:-1] in rendered.replace("\\u0026", "&")


def test_map_has_no_tiles_by_default_and_a_scale_bar(demo_dashboards):
    public, _ = demo_dashboards
    rendered = dashboard_map(public, "nb").get_root().render()
    assert "L.tileLayer" not in rendered and "cache.kartverket.no" not in rendered
    assert "L.control.scale" in rendered
    assert "L.tileLayer" in dashboard_map(public, "nb", basemap=True).get_root().render()


def test_page_html_escapes_every_value(demo_dashboards):
    public, _ = demo_dashboards
    block = dashboard_view.rows_html(XSS_ADDRESS, [(XSS_ADDRESS, "<i>5</i>")])
    assert "<img" not in block and "<i>" not in block and "&lt;img" in block
    tiles = dashboard_view.headline_html(public, "nb")
    assert tiles.count('class="dash-value"') == 4 and "420" in tiles
    assert html.escape(dashboard_view.trend_line(public, "nb")) in tiles


# ---------------------------------------------------------------- the pages (AppTest)


@pytest.fixture
def app_on_demo(demo_copy, app_uses):
    return app_uses(demo_copy)


def _markdown(at: AppTest) -> str:
    return "\n".join(m.value for m in at.markdown)


def test_public_app_serves_the_dashboard_and_nothing_else(public, app_on_demo):
    assert [p.url_path for p in shell.pages(True)] == ["dashbord"]
    at = AppTest.from_file(APP, default_timeout=120)
    at.run()
    assert not at.exception, [e.message for e in at.exception]
    text = _markdown(at)
    d = service.dashboard(make_engine(app_on_demo))
    assert dashboard_view.headline_html(d, "nb") in text
    assert html.escape(dashboard_view.title(d, "nb")) in text
    # the sidebar holds the language choice and nothing else; no downloads, no forms
    assert [type(e).__name__ for e in at.sidebar if not isinstance(e, Block)] == ["Selectbox"]
    assert len(at.get("download_button")) == 0 and len(at.get("file_uploader")) == 0
    assert len(at.button) == 0 and len(at.text_input) == 0 and len(at.number_input) == 0
    at.sidebar.selectbox(key="lang").select("en").run()
    assert not at.exception
    assert dashboard_view.headline_html(d, "en") in _markdown(at)


def test_public_app_on_an_empty_database_says_so(public, tmp_path, app_uses):
    app_uses(f"sqlite:///{tmp_path}/empty.sqlite")
    at = AppTest.from_file(APP, default_timeout=60)
    at.run()
    assert not at.exception, [e.message for e in at.exception]
    assert [i.value for i in at.info] == [t("dash.no_data", "nb")]


def test_internal_presentation_shows_the_public_figures(internal, app_on_demo):
    assert "presentasjon" in [p.url_path for p in shell.pages(False)]
    at = AppTest.from_file(APP, default_timeout=120)
    at.run()
    at.switch_page(shell.DASHBOARD).run()
    assert not at.exception, [e.message for e in at.exception]
    text = _markdown(at)
    public = service.dashboard(make_engine(app_on_demo), public=True)
    assert dashboard_view.headline_html(public, "nb") in text
    assert dashboard_view.waiting_html(public, "nb") in text
    assert html.escape(t("dash.presentation_note", "nb")) in text
    if importlib.util.find_spec("geoplan.ui.report") is not None:  # the meeting papers (h9c)
        assert len(at.get("download_button")) == 1
