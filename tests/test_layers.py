"""The concentration map layers, trend charts and page tables, on four hand-made areas.

The four squares have 500 dwellings each and 10, 30, 50 and 70 municipal units, so shares of
2, 6, 10 and 14 %.  The fourth is called ``<b>x</b>`` and is over the 10 % cap.
"""

from __future__ import annotations

import datetime as dt
import html

import mapclassify
import numpy as np
import pandas as pd
import pytest
from jinja2.utils import htmlsafe_json_dumps

from geoplan import service
from geoplan.analytics.concentration import analyse
from geoplan.analytics.reasons import Reason
from geoplan.analytics.thresholds import area_flags
from geoplan.policy import Policy
from geoplan.testing.data import XSS_ADDRESS, hand_made_units, square_areas, units_frame
from geoplan.ui.charts import area_share_figure, indices_figure, units_figure
from geoplan.ui.concentration_tables import (
    area_display_table,
    change_table,
    flagged_areas_table,
    flagged_units_table,
    indices_table,
    units_proximity_table,
)
from geoplan.ui.layers import (
    CLUSTER_STYLES,
    COLD_COLOR,
    FLAG_COLOR,
    HOT_COLOR,
    INDICATORS,
    UNKNOWN_COLOR,
    UNTESTED_COLOR,
    YLORRD,
    choropleth_layer,
    class_labels,
    classify,
    concentration_map,
    flag_layers,
    hotspot_layer,
    indicator_text,
)
from geoplan.ui.wording import trend_text
from geoplan.vocab import DEFAULT_UNIT_TYPES

NAMES = ["Sentrum", "Leiret", "Vestad", "<b>x</b>"]
UNITS = [10, 30, 50, 70]
SHARES = [0.02, 0.06, 0.10, 0.14]
UNIT_REASON = f"{XSS_ADDRESS}: 3 kommunale boliger i samme bygning/borettslag (tak 2)"


def in_folium_json(text: str) -> str:
    """Return ``text`` as folium embeds it in JSON (Jinja's ``tojson``), without the quotes."""
    return str(htmlsafe_json_dumps(text))[1:-1]


def render(layer) -> str:
    """Return the HTML page of a map holding ``layer`` (or a list of layers)."""
    import folium

    m = folium.Map()
    for item in layer if isinstance(layer, list) else [layer]:
        item.add_to(m)
    return m.get_root().render()


@pytest.fixture
def areas():
    frame = square_areas(names=NAMES)
    frame["units"] = UNITS
    frame["share"] = frame["units"] / frame["dwellings"]
    frame["per_1000"] = 1000 * frame["units"] / frame["population"]
    frame["lq"] = frame["share"] / (sum(UNITS) / frame["dwellings"].sum())
    frame["z"] = [-2.5, 0.1, 0.4, 2.3125]
    frame["p"] = [0.01, 0.4, 0.3, 0.004]
    frame["cluster"] = ["low", "ns", "ns", "high"]
    frame["flag"] = area_flags(frame, Policy())
    return frame


@pytest.fixture
def units():
    frame = units_frame(hand_made_units())
    frame["flag"] = [(Reason("building", unit_id="H1", count=3, cap=2),), (), (), (), (), ()]
    frame["area"] = ["01", "01", "02", "02", "03", "04"]
    frame["same_building"] = [3, 1, 1, 1, 1, 1]
    frame["same_address"] = [1, 1, 1, 1, 1, 1]
    frame["within_250m"] = [6, 5, 4, 3, 2, 1]
    return frame


# ---------------------------------------------------------------- choropleth


def test_quantile_legend_shows_the_class_ranges(areas):
    page = render(choropleth_layer(areas, "share", "quantiles", k=5, lang="nb"))
    # By hand: the quartiles of 2, 6, 10, 14 % are 5, 8 and 11 % (linear interpolation).
    assert "2,0 % – 5,0 % (1)" in page
    expected = mapclassify.Quantiles(np.array(SHARES), k=4).bins
    assert np.allclose(expected, [0.05, 0.08, 0.11, 0.14])
    for label in class_labels(expected, 0.02, lambda v: indicator_text("share", v, "nb")):
        assert f"{label} (1)" in page
    assert "5,0 % – 8,0 % (1)" in page and "11,0 % – 14,0 % (1)" in page
    assert "Andel kommunale boliger" in page  # the legend title and layer name


def test_natural_breaks_are_mapclassify_s_and_stable(areas):
    bins, classes = classify(areas["share"], "natural_breaks", k=3)
    again, _ = classify(areas["share"], "natural_breaks", k=3)
    assert np.array_equal(bins, again)
    assert len(bins) == 3 and bins[-1] == pytest.approx(0.14)
    assert classes.tolist() == sorted(classes.tolist())
    page = render(choropleth_layer(areas, "lq", "natural_breaks", k=4, lang="en"))
    lq = areas["lq"].to_numpy()
    expected = mapclassify.NaturalBreaks(lq, k=4).bins  # one value per class: no randomness
    for label in class_labels(expected, lq.min(), lambda v: indicator_text("lq", v, "en")):
        assert f"{label} (1)" in page
    assert "0.25 – 0.75 (1)" in page  # LQ: shares 2 % and 6 % over the overall 8 %


def test_unknown_values_are_grey_and_counted(areas):
    areas.loc[1, ["dwellings", "share"]] = np.nan
    page = render(choropleth_layer(areas, "share", lang="nb"))
    assert "Ukjent (1)" in page and UNKNOWN_COLOR in page
    assert in_folium_json("ukjent") in page  # the tooltip of the area without dwellings


def test_area_names_are_escaped_in_tooltips(areas):
    page = render(choropleth_layer(areas, "units", lang="nb"))
    assert in_folium_json("&lt;b&gt;x&lt;/b&gt;") in page
    assert "<b>x</b>" not in page and in_folium_json("<b>x</b>") not in page
    assert in_folium_json(html.escape("Kommunale boliger")) in page
    assert "Antall kommunale boliger" in page


def test_indicator_texts():
    assert indicator_text("share", 0.14) == "14,0 %"
    assert indicator_text("per_1000", 65.66, "en") == "65.7"
    assert indicator_text("lq", float("nan")) == "ukjent"
    assert indicator_text("units", 1234) == "1\u00a0234"
    assert INDICATORS == ("share", "per_1000", "lq", "units")


# ---------------------------------------------------------------- hot spots and flags


def test_hotspot_layer_says_what_a_cluster_means(areas):
    areas.loc[1, ["z", "p", "cluster"]] = [np.nan, np.nan, "too_few"]
    page = render(hotspot_layer(areas, "nb", permutations=999, alpha=0.05, min_dwellings=50))
    assert "Gi*" not in page and "permutasjoner" not in page and "p ≤" not in page
    assert "Klynger: nabolag med uvanlig høy eller lav andel kommunale boliger" in page
    assert "Av de merkede områdene ventes høyst 5 % å være falske alarmer." in page
    assert "Områder med færre enn 50 boliger er ikke testet." in page
    assert "Klynge med høy andel (hot spot) (1)" in page
    assert "Klynge med lav andel (cold spot) (1)" in page
    assert "For få boliger til å teste (1)" in page
    assert "Ingen naboer" not in page  # no such area, no legend row
    assert in_folium_json("2,31") in page and in_folium_json("0,004") in page
    assert in_folium_json("p-verdi, korrigert for at alle områder testes") in page
    assert in_folium_json("Området og naboene har samlet en høyere andel kommunale boliger "
                          "enn kommunen ellers, mer enn tilfeldigheter kan forklare.") in page
    assert in_folium_json("Færre enn 50 boliger: én kommunal bolig flytter andelen") in page
    assert in_folium_json("Vestad") not in page  # no clear cluster: not drawn
    assert HOT_COLOR in page and COLD_COLOR in page and UNTESTED_COLOR in page
    english = render(hotspot_layer(areas, "en", permutations=99, alpha=0.1,
                                   correction="none", min_dwellings=20))
    assert "occurs in under 10 % of 99 random spreads of the same shares" in english
    assert "Areas with fewer than 20 dwellings are not tested." in english
    assert in_folium_json("p-value (each area on its own)") in english


def test_cluster_palette_differs_from_the_share_colours():
    assert not {HOT_COLOR, COLD_COLOR, UNTESTED_COLOR} & set(YLORRD)
    assert len({HOT_COLOR, COLD_COLOR, UNTESTED_COLOR, FLAG_COLOR, UNKNOWN_COLOR}) == 5
    assert CLUSTER_STYLES["high"]["color"] == HOT_COLOR
    assert CLUSTER_STYLES["low"]["dashArray"]  # cold spots dashed, also without colour vision
    assert set(CLUSTER_STYLES) == set(service.CLUSTER_CODES) - {"ns"}


def test_location_quotient_is_explained(areas):
    page = render(choropleth_layer(areas, "lq", lang="nb"))
    assert "Lokaliseringskvotient (områdets andel delt på kommunens)" in page
    assert "(LQ)" not in page


def test_flag_layers_show_escaped_reasons(areas, units):
    page = render(flag_layers(areas, units, "nb"))
    reason = "&lt;b&gt;x&lt;/b&gt;: 14,0 % kommunale boliger (tak 10 %)"
    assert in_folium_json(reason) in page
    assert in_folium_json(html.escape(UNIT_REASON)) in page
    assert XSS_ADDRESS not in page and "<b>x</b>" not in page
    assert "Områder over taket (1)" in page and "Boliger over et tak (1)" in page
    assert "new L.CircleMarker(latlng" in page


def test_flag_layers_without_addresses_name_no_unit(areas, units):
    page = render(flag_layers(areas, units, "nb", show_address=False))
    assert in_folium_json("3 kommunale boliger i samme bygning/borettslag (tak 2)") in page
    assert html.escape(XSS_ADDRESS) not in page and XSS_ADDRESS not in page
    assert in_folium_json("H1") not in page and in_folium_json("Bolig-ID") not in page
    assert "Boliger over et tak (1)" in page


def test_concentration_map_has_every_layer():
    units = units_frame(hand_made_units())
    result = analyse(units, square_areas(size_m=400, names=NAMES), dt.date(2024, 6, 1),
                     permutations=99)
    page = concentration_map(result, "per_1000", "quantiles", DEFAULT_UNIT_TYPES, "en",
                             asset_base="/app/static/vendor").get_root().render()
    for name in ("Municipal units per 1,000 residents", "Clusters of high and low shares",
                 "Areas over the cap", "Units over a cap", "Units"):
        assert in_folium_json(name) in page or name in page
    assert "seldom occurs when the same shares are spread at random (99 trials)" in page
    assert "Gi*" not in page
    # one legend per concept: unit types, the indicator's classes, the clusters, the flags
    assert page.count('L.DomUtil.create("div", "geoplan-legend")') == 4
    assert "L.control.layers" in page and "L.markerClusterGroup" in page
    assert "cdn.jsdelivr" not in page
    with pytest.raises(ValueError):
        concentration_map(result, "nonsense")
    public = concentration_map(result, "share", lang="en", show_address=False,
                               asset_base="/app/static/vendor").get_root().render()
    assert XSS_ADDRESS not in public and html.escape(XSS_ADDRESS) not in public
    assert not any(in_folium_json(u["unit_id"]) in public for u in hand_made_units())


# ---------------------------------------------------------------- trend


def yearly(values: list[float], start: int = 2019) -> pd.DataFrame:
    years = list(range(start, start + len(values)))
    return pd.DataFrame({
        "year": years, "date": [dt.date(y, 12, 31) for y in years],
        "units": [10 * (i + 1) for i in range(len(values))],
        "share": [0.01 * (i + 1) for i in range(len(values))],
        "areas_over_cap": [0] * len(values), "dissimilarity": values,
        "isolation": values, "exposure": values, "gini": values, "theil": values,
        "spatial_dissimilarity": values,
    })


FALLING = [0.30, 0.25, 0.24, 0.22, 0.21, 0.20, 0.19]


def trend_sentence(frame: pd.DataFrame, lang: str = "nb", index: str = "dissimilarity") -> str:
    """The trend in words, as the page makes it: the service's statement, worded by the ui."""
    return trend_text(service.trend_statement(frame, index), lang)


def test_trend_sentence_falling_rising_flat():
    assert trend_sentence(yearly(FALLING)) == "D har falt fra 0,25 til 0,19 siden 2020."
    assert trend_sentence(yearly(FALLING), "en") == "D has fallen from 0.25 to 0.19 since 2020."
    rising = yearly(FALLING[::-1])
    assert trend_sentence(rising) == "D har steget fra 0,20 til 0,30 siden 2020."
    assert trend_sentence(rising, "en", index="gini") == "Gini has risen from 0.20 to 0.30 since 2020."
    assert trend_sentence(yearly([0.2, 0.2, 0.205])) == (
        "D er omtrent uendret siden 2019 (0,20 da, 0,20 nå).")


def test_trend_sentence_skips_unknown_years():
    frame = yearly([np.nan, 0.30, 0.20])
    assert trend_sentence(frame, "en") == "D has fallen from 0.30 to 0.20 since 2020."
    assert trend_sentence(yearly([np.nan, 0.2])) == (
        "For få år med data til å si om konsentrasjonen faller.")


def test_charts_have_translated_axes():
    frame = yearly(FALLING)
    fig = indices_figure(frame, "en")
    assert fig.layout.xaxis.title.text == "Year" and fig.layout.yaxis.title.text == "Index value"
    assert [tr.name for tr in fig.data][0] == "Dissimilarity (D)" and len(fig.data) == 5
    assert indices_figure(frame, "nb").layout.xaxis.title.text == "År"
    fig = units_figure(frame, "nb")
    assert fig.layout.yaxis.title.text == "Kommunale boliger"
    assert fig.layout.yaxis2.title.text == "Andel av alle boliger (%)"
    assert fig.layout.separators == ", "


def test_area_share_figure_shows_the_top_areas(areas):
    by_area = pd.DataFrame({2023: [0.01, 0.05, 0.02, 0.09], 2024: SHARES},
                           index=areas["code"])
    names = dict(zip(areas["code"], areas["name"], strict=True))
    fig = area_share_figure(by_area, names, "nb", top=2)
    assert [tr.name for tr in fig.data] == ["&lt;b&gt;x&lt;/b&gt;", "Vestad"]
    assert list(fig.data[0].y) == pytest.approx([9.0, 14.0])


# ---------------------------------------------------------------- tables


def test_tables(areas):
    flagged = flagged_areas_table(areas, "nb")
    assert flagged["Merknad"].tolist() == ["<b>x</b>: 14,0 % kommunale boliger (tak 10 %)"]
    table = area_display_table(areas, DEFAULT_UNIT_TYPES, "en")
    assert table["Area"].tolist() == ["<b>x</b>", "Vestad", "Leiret", "Sentrum"]
    assert table["Share (%)"].tolist() == [14.0, 10.0, 6.0, 2.0]
    assert table["Cluster"].iloc[0] == "High-share cluster (hot spot)"
    indices = indices_table({"dissimilarity": 0.25, "gini": float("nan")}, "nb")
    assert indices.shape == (2, 3)
    assert indices.iloc[0].tolist()[:2] == ["Ulikhetsindeks (D)", "0,250"]
    assert indices.iloc[1, 2].startswith("Kan ikke beregnes")


def test_unit_tables_name_units_only_with_addresses(areas, units):
    table = flagged_units_table(units, areas, "nb")
    assert table["Bolig-ID"].tolist() == ["H1"] and table["Merknad"].tolist() == [UNIT_REASON]
    assert table["Område"].tolist() == ["Sentrum"]
    public = flagged_units_table(units, areas, "nb", show_address=False)
    assert public["Merknad"].tolist() == [UNIT_REASON.removeprefix(f"{XSS_ADDRESS}: ")]
    assert "Bolig-ID" not in public and "Adresse" not in public
    every = units_proximity_table(units, areas, "en", show_address=False)
    assert len(every) == 6 and not {"Unit ID", "Address"} & set(every.columns)
    assert "Unit ID" in units_proximity_table(units, areas, "en")


def test_change_table():
    table = change_table(yearly(FALLING), 2020, 2025, "nb").set_index("Indikator")
    assert table.loc["Ulikhetsindeks (D)"].tolist() == ["0,250", "0,190", "-0,060"]
    assert table.loc["Kommunale boliger"].tolist() == ["20", "70", "+50"]
    assert table.loc["Andel av alle boliger", "Endring"] == "+5,0 prosentpoeng"


@pytest.mark.parametrize("k", [1, 2, 3, 4, 5, 7, 9])
def test_quantiles_equal_mapclassify_s(k):
    """Quantile classes are computed without importing mapclassify (its import compiles numba
    code for seconds, issue 14); bounds and classes equal mapclassify.Quantiles'."""
    rng = np.random.default_rng(k)
    for values in (rng.lognormal(0, 1, 500), rng.integers(0, 6, 300).astype(float),
                   np.array([0.02, 0.06, 0.10, 0.14]), np.arange(1000, dtype=float)):
        k_used = max(1, min(k, len(np.unique(values))))
        expected = mapclassify.Quantiles(values, k=k_used)
        bins, classes = classify(values, "quantiles", k)
        assert np.array_equal(bins, expected.bins)
        assert classes.tolist() == expected.yb.tolist()
