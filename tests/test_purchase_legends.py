"""Every purchase map has a legend (issue 13): where to buy, the ranked candidates, the plan.

The folium HTML is rendered and read; one test opens it in headless Chromium (the vendored
Leaflet, no network) and checks that the legends are on the map.  The where-to-buy palette is
blue/purple (ColorBrewer BuPu), never the marker clusters' green/yellow/orange.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pandas as pd
import pytest

from geoplan.service import Reason
from geoplan.testing.data import hand_made_units, square_areas, to_xy, units_frame
from geoplan.ui import purchase_map as pmap
from geoplan.ui import purchase_view as view
from geoplan.ui.mapview import build_map
from geoplan.vocab import DEFAULT_UNIT_TYPES

ROOT = Path(__file__).resolve().parent.parent
# Leaflet.markercluster's default icons (MarkerCluster.Default.css): small, medium, large
CLUSTER_ICON_COLOURS = ("rgba(181, 226, 140", "rgba(241, 211, 87", "rgba(253, 156, 115",
                        "rgba(110, 204, 57", "rgba(240, 194, 12", "rgba(241, 128, 23")


@pytest.fixture(scope="module")
def areas():
    return square_areas(names=["Sentrum", "Nord"])


def where_table(areas) -> pd.DataFrame:
    return pd.DataFrame({
        "code": areas["code"], "name": areas["name"], "units": [3.0, 9.0],
        "dwellings": [100.0, 90.0], "headroom": [7.0, 0.0], "demand_fit": [0.62, 0.1],
        "groups": [["families"], []], "class": ["green", "red"],
    })


def ranked() -> pd.DataFrame:
    x, y = to_xy(11.56, 60.88)
    return pd.DataFrame({
        "rank": [1, 2, 3], "label": ["A", "B", "C"], "x": [x, x + 100, x + 200], "y": [y] * 3,
        "verdict": ["green", "amber", "green"], "demand_fit": [(), (), ()],
        "reasons": [[Reason("no_demand", "amber")]] * 3,
    })


def render(*overlays, areas=None, units=None, asset_base=None) -> str:
    units = units if units is not None else units_frame(hand_made_units()).iloc[0:0]
    return build_map(units, areas, DEFAULT_UNIT_TYPES, "nb", overlays=list(overlays),
                     asset_base=asset_base).get_root().render()


def legends(html: str) -> list[str]:
    """The legends' HTML as embedded in the page's script (script-safe JSON strings)."""
    return [json.loads(s) for s in re.findall(r'innerHTML = ("<h4>.*?");', html)]


def test_where_to_buy_has_a_legend_in_blue_and_purple(areas):
    html = render(pmap.where_layer(areas, where_table(areas), "nb"), areas=areas)
    (legend,) = legends(html)
    assert legend.startswith("<h4>Hvor kjøpe</h4>")
    assert "Plass og godt behov (1)" in legend and "Ikke plass (1)" in legend
    assert view.on_white(pmap.CLASS_COLORS["green"], view.WHERE_OPACITY) in legend
    english = legends(build_map(areas.iloc[0:0], areas, DEFAULT_UNIT_TYPES, "en", overlays=[
        pmap.where_layer(areas, where_table(areas), "en")]).get_root().render())
    assert "<h4>Where to buy</h4>" in english[0] and "No room (1)" in english[0]


def test_the_where_palette_is_not_the_cluster_icons_or_the_verdicts():
    palette = [view.WHERE_COLORS[c] for c in ("green", "amber", "red")]
    assert palette == ["#8856a7", "#9ebcda", "#e0ecf4"]  # ColorBrewer BuPu, 3 classes
    css = (ROOT / "static/vendor/leaflet.markercluster-1.1.0/MarkerCluster.Default.css").read_text()
    cluster = [tuple(int(v) for v in m) for m in re.findall(r"rgba\((\d+), (\d+), (\d+)", css)]
    assert len(cluster) == 6
    for colour in palette + list(pmap.VERDICT_COLORS.values()):
        rgb = tuple(int(colour[i:i + 2], 16) for i in (1, 3, 5))
        if colour in palette:  # blue/purple: blue is the largest channel, unlike every cluster icon
            assert rgb[2] >= max(rgb[:2])
            assert all(c[2] < max(c[:2]) for c in cluster)
    # the table's cells have the colours the areas have on the map
    cells = view.class_colours("nb")["Vurdering"]
    assert cells["Plass og godt behov"] == view.on_white("#8856a7", 0.45) == "#c9b3d7"


def test_ranked_candidates_have_a_legend_of_verdicts():
    (legend,) = legends(render(pmap.ranked_layer(ranked(), "nb")))
    assert legend.startswith("<h4>Rangerte kandidater</h4>")
    assert "Grønt (2)" in legend and "Gult (1)" in legend and "Rødt" not in legend
    assert pmap.VERDICT_COLORS["green"] in legend


def test_the_plan_has_a_legend_of_chosen_and_other_candidates():
    x, y = to_xy(11.56, 60.88)
    cands = pd.DataFrame({"label": ["A", "B", "C"], "x": [x, x + 50, x + 100], "y": [y] * 3})
    chosen = cands.iloc[[1]].assign(verdict="green", target_group="youth")
    (legend,) = legends(render(*pmap.plan_layers(cands, chosen, "nb")))
    assert legend.startswith("<h4>Valgt i planen</h4>")
    assert "Grønt (1)" in legend and "Andre kandidater (2)" in legend


@pytest.mark.browser
def test_the_legends_are_drawn_on_the_map(chromium_browser, tmp_path, areas):
    from geoplan.testing.server import new_page

    vendor = (ROOT / "static" / "vendor").as_uri()
    x, y = to_xy(11.56, 60.88)
    cands = pd.DataFrame({"label": ["A", "B"], "x": [x, x + 50], "y": [y] * 2})
    html = render(pmap.where_layer(areas, where_table(areas), "nb"),
                  pmap.ranked_layer(ranked(), "nb"),
                  *pmap.plan_layers(cands, cands.iloc[[0]].assign(verdict="amber"), "nb"),
                  areas=areas, units=units_frame(hand_made_units()), asset_base=vendor)
    path = tmp_path / "map.html"
    path.write_text(html, encoding="utf-8")
    page = new_page(chromium_browser)
    try:
        page.goto(path.as_uri())
        page.locator(".geoplan-legend").first.wait_for(timeout=10_000)
        titles = page.locator(".geoplan-legend h4").all_inner_texts()
        assert {"Hvor kjøpe", "Rangerte kandidater", "Valgt i planen"} <= set(titles)
        # the where-to-buy areas (AreaShapes): one filled path per area, a tooltip on hover
        fills = page.evaluate("""() => [...document.querySelectorAll('path.leaflet-interactive')]
            .map(p => p.getAttribute('fill'))""")
        assert fills.count(pmap.CLASS_COLORS["green"]) == 1
        assert fills.count(pmap.CLASS_COLORS["red"]) == 1
        green = page.locator(f'path.leaflet-interactive[fill="{pmap.CLASS_COLORS["green"]}"]')
        green.hover(force=True)
        tip = page.locator(".leaflet-tooltip").first
        tip.wait_for(timeout=5_000)
        assert "Sentrum" in tip.inner_text() and "Plass og godt behov" in tip.inner_text()
    finally:
        page.close()
