"""Folium layers of the concentration analysis: a classed choropleth, Gi* hot spots and flags.

One legend per concept: the choropleth's classes (YlOrRd fills), the clusters (outlines in
magenta and blue, colours the choropleth does not use; grey dotted for areas not tested) and
the flags (purple).  The cluster legend says in plain words what a marked area means.

No Streamlit here.  Each function returns toggleable ``folium.FeatureGroup`` layers whose
legend (a :class:`~geoplan.ui.mapview.LayerLegend`) is shown while the layer is on, and
:func:`concentration_map` puts them on :func:`~geoplan.ui.mapview.build_map`.

Folium's ``GeoJsonTooltip`` does not escape what it shows, so every text from the data (area
names, unit ids, flag reasons) is passed through ``html.escape`` here first.  The flag tooltips
name a unit only when the caller passes ``show_address=True``.
"""

from __future__ import annotations

import html
import warnings
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING

import folium
import geopandas as gpd
import numpy as np
import pandas as pd

from geoplan import service
from geoplan.crs import DISPLAY_EPSG
from geoplan.policy import Policy
from geoplan.ui.concentration_tables import area_flag_texts, unit_flag_texts
from geoplan.ui.format import cap_pct, num, pct
from geoplan.ui.i18n import t
from geoplan.ui.mapview import LayerLegend, area_names, build_map, script_json
from geoplan.ui.unit_table import lonlat
from geoplan.vocab import DEFAULT_UNIT_TYPES, Vocabulary

if TYPE_CHECKING:
    from geoplan.service import Concentration

INDICATORS: tuple[str, ...] = ("share", "per_1000", "lq", "units")
SCHEMES: tuple[str, ...] = ("quantiles", "natural_breaks")

# ColorBrewer YlOrRd, 9 classes; fewer classes take evenly spaced colours from it.
YLORRD = ("#ffffcc", "#ffeda0", "#fed976", "#feb24c", "#fd8d3c", "#fc4e2a", "#e31a1c",
          "#bd0026", "#800026")
UNKNOWN_COLOR = "#bdbdbd"
# Clusters are outlines in colours YlOrRd does not have (ColorBrewer PiYG magenta, RdBu blue);
# areas left out of the test (too few dwellings, no neighbours) are grey and dotted.
HOT_COLOR = "#c51b7d"
COLD_COLOR = "#2166ac"
UNTESTED_COLOR = "#636363"
CLUSTER_STYLES: dict[str, dict[str, object]] = {
    "high": {"color": HOT_COLOR, "weight": 4, "dashArray": None},
    "low": {"color": COLD_COLOR, "weight": 4, "dashArray": "8 6"},
    "too_few": {"color": UNTESTED_COLOR, "weight": 1, "dashArray": "2 4"},
    "no_neighbours": {"color": UNTESTED_COLOR, "weight": 1, "dashArray": "2 4"},
}
FLAG_COLOR = "#6a00a8"
NATURAL_BREAKS_SEED = 3420  # NaturalBreaks is k-means from NumPy's global generator

_DECIMALS = {"per_1000": 1, "lq": 2, "units": 0}


def indicator_text(indicator: str, value: float, lang: str = "nb") -> str:
    """Format a value of ``indicator`` for people ("14,0 %", "65,7", "ukjent" for NaN)."""
    if indicator == "share":
        return pct(value, lang)
    return num(value, lang, _DECIMALS[indicator])


def indicator_label(indicator: str, lang: str = "nb") -> str:
    """Return the display name of an indicator of :data:`INDICATORS`."""
    return t(f"indicator.{indicator}", lang)


@contextmanager
def _seeded(seed: int) -> Iterator[None]:
    state = np.random.get_state()
    np.random.seed(seed)
    try:
        yield
    finally:
        np.random.set_state(state)


def classify(values: np.ndarray | pd.Series, scheme: str = "quantiles",
             k: int = 5) -> tuple[np.ndarray, np.ndarray]:
    """Return (upper bound of each class, class of each value, -1 for NaN) by ``scheme``.

    Fewer classes than ``k`` are made when there are fewer distinct values.  Natural breaks are
    seeded, so the same values always give the same classes.
    """
    if scheme not in SCHEMES:
        raise ValueError(f"unknown classification '{scheme}'; known: {', '.join(SCHEMES)}")
    y = np.asarray(values, dtype=float)
    known = np.isfinite(y)
    classes = np.full(len(y), -1, dtype=int)
    if not known.any():
        return np.empty(0), classes
    k = max(1, min(k, len(np.unique(y[known]))))
    if scheme == "quantiles":
        bins = quantile_bins(y[known], k)
        classes[known] = np.searchsorted(bins, y[known], side="left")
        return bins, classes
    # Imported here, for natural breaks only: importing mapclassify compiles a numba function
    # (FisherJenks, unused) and takes seconds; the quantiles above need no import.
    import mapclassify

    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)
        with _seeded(NATURAL_BREAKS_SEED):
            result = mapclassify.NaturalBreaks(y[known], k=k)
    classes[known] = result.yb
    return np.asarray(result.bins, dtype=float), classes


def quantile_bins(values: np.ndarray, k: int) -> np.ndarray:
    """Return the upper bounds of ``k`` quantile classes of ``values`` (no NaN), as
    ``mapclassify.Quantiles`` computes them: the percentiles at 100/k, 200/k, … 100 (linear
    interpolation), repeated bounds merged, so ties may give fewer classes."""
    step = 100.0 / k
    p = np.arange(step, 100 + step, step)
    p[-1] = min(p[-1], 100.0)
    ordered = np.sort(np.asarray(values, dtype=float))
    bounds = []
    for share in p:  # scipy's scoreatpercentile ("fraction"), to the last bit
        idx = share / 100.0 * (len(ordered) - 1)
        i = int(idx)
        if i == idx:
            bounds.append(ordered[i])
        else:
            weights = np.array([i + 1 - idx, idx - i])
            bounds.append(np.add.reduce(ordered[i:i + 2] * weights) / weights.sum())
    return np.unique(np.array(bounds, dtype=float))


def class_colors(n: int) -> list[str]:
    """Return ``n`` colours from light to dark (YlOrRd)."""
    if n <= 0:
        return []
    return [YLORRD[int(i)] for i in np.linspace(1, len(YLORRD) - 1, n).round()]


def class_labels(bins: np.ndarray, low: float, fmt: Callable[[float], str]) -> list[str]:
    """Return "from – to" for each class, the first starting at the lowest value ``low``."""
    lows = [low, *bins[:-1]]
    return [f"{fmt(a)} – {fmt(b)}" for a, b in zip(lows, bins, strict=True)]


def _tooltip(fields: list[str], labels: list[str]) -> folium.GeoJsonTooltip:
    return folium.GeoJsonTooltip(fields=fields, aliases=[html.escape(s) for s in labels],
                                 sticky=True)


def _shown(areas: gpd.GeoDataFrame, columns: dict[str, list[str]]) -> gpd.GeoDataFrame:
    """The areas in display coordinates with only the given (already escaped) columns."""
    shown = areas.to_crs(DISPLAY_EPSG)
    return gpd.GeoDataFrame(columns, geometry=shown.geometry.to_numpy(), crs=DISPLAY_EPSG)


def choropleth_layer(
    areas: gpd.GeoDataFrame, column: str = "share", scheme: str = "quantiles", k: int = 5,
    lang: str = "nb", show: bool = True,
) -> folium.FeatureGroup:
    """Return the areas coloured by ``column`` in ``k`` classes, with a legend of the ranges.

    ``areas`` is :attr:`Concentration.areas` (EPSG:25833); areas with an unknown value are grey.
    """
    values = areas[column].to_numpy(float)
    bins, classes = classify(values, scheme, k)
    colors = class_colors(len(bins))
    fill = [colors[c] if c >= 0 else UNKNOWN_COLOR for c in classes]
    label = indicator_label(column, lang)
    group = folium.FeatureGroup(name=label, show=show)
    if len(areas):
        data = _shown(areas, {
            "name": area_names(areas),
            "value": [html.escape(indicator_text(column, v, lang)) for v in values],
            "units": [num(v, lang, 0) for v in areas["units"]],
            "dwellings": [num(v, lang, 0) for v in areas["dwellings"].to_numpy(float)],
            "fill": fill,
        })
        folium.GeoJson(
            data,
            style_function=lambda f: {"fillColor": f["properties"]["fill"], "color": "#555555",
                                      "weight": 1, "fillOpacity": 0.7},
            highlight_function=lambda _f: {"weight": 3},
            tooltip=_tooltip(["name", "value", "units", "dwellings"],
                             [t("area_name", lang), label, t("municipal_units", lang),
                              t("dwellings", lang)]),
        ).add_to(group)
    counts = np.bincount(classes[classes >= 0], minlength=len(bins))
    low = float(np.nanmin(values)) if len(bins) else np.nan
    items = list(zip(colors, class_labels(bins, low, lambda v: indicator_text(column, v, lang)),
                     counts.tolist(), strict=True))
    unknown = int((classes < 0).sum())
    if unknown:
        items.append((UNKNOWN_COLOR, t("unknown_value", lang), unknown))
    LayerLegend(label, items, position="bottomright", square=True).add_to(group)
    return group


class NotedLegend(LayerLegend):
    """A :class:`LayerLegend` with a short explanation in plain words under its items."""

    def __init__(self, title: str, items: list[tuple[str, str, int]], note: str, **options):
        super().__init__(title, items, **options)
        self.html += f'<div style="margin-top:4px;color:#333">{html.escape(note)}</div>'
        self.html_json = script_json(self.html)


def hotspot_note(lang: str, permutations: int, alpha: float, correction: str,
                 min_dwellings: int) -> str:
    """Return what a marked cluster means, in plain words, for the legend."""
    return t(f"hotspot_note.{correction}", lang, permutations=num(permutations, lang, 0),
             alpha=cap_pct(alpha, lang), min=num(min_dwellings, lang, 0))


def hotspot_layer(
    areas: gpd.GeoDataFrame, lang: str = "nb", permutations: int = 999, alpha: float = 0.05,
    show: bool = True, correction: str | None = None, min_dwellings: int | None = None,
) -> folium.FeatureGroup:
    """Return the clusters as outlines, with a legend that says what they mean.

    ``areas`` is :attr:`Concentration.areas` (``z``, ``p``, ``cluster``); ``permutations``,
    ``alpha``, ``correction`` and ``min_dwellings`` are the result's (by default the
    service's correction and the policy's default minimum).  Hot spots are solid magenta, cold
    spots dashed blue, areas left out of the test (``too_few``,
    ``no_neighbours``) dotted grey; areas with no clear cluster are not drawn.  The tooltip
    names the area, its cluster, what that means, and z and p with their meaning in the label.
    """
    correction = correction or service.DEFAULT_CORRECTION
    if min_dwellings is None:
        min_dwellings = Policy().min_hotspot_dwellings
    group = folium.FeatureGroup(name=t("layer_hotspots", lang), show=show)
    codes = areas["cluster"]
    shown = areas[codes.isin(list(CLUSTER_STYLES))]
    if len(shown):
        data = _shown(shown, {
            "name": area_names(shown),
            "cluster": [html.escape(t(f"cluster.{c}", lang)) for c in shown["cluster"]],
            "meaning": [html.escape(t(f"cluster_meaning.{c}", lang,
                                      min=num(min_dwellings, lang, 0)))
                        for c in shown["cluster"]],
            "z": [num(v, lang, 2) for v in shown["z"].to_numpy(float)],
            "p": [num(v, lang, 3) for v in shown["p"].to_numpy(float)],
            "code": shown["cluster"].tolist(),
        })
        folium.GeoJson(
            data,
            style_function=lambda f: CLUSTER_STYLES[f["properties"]["code"]] | {"fillOpacity": 0},
            highlight_function=lambda _f: {"weight": 6},
            tooltip=_tooltip(["name", "cluster", "meaning", "z", "p"],
                             [t("area_name", lang), t("cluster", lang),
                              t("hotspot_meaning", lang), t("hotspot_z", lang),
                              t(f"hotspot_p.{correction}", lang)]),
        ).add_to(group)
    items = [(HOT_COLOR, t("cluster.high", lang), int((codes == "high").sum())),
             (COLD_COLOR, t("cluster.low", lang), int((codes == "low").sum()))]
    items += [(UNTESTED_COLOR, t(f"cluster.{c}", lang), int((codes == c).sum()))
              for c in ("too_few", "no_neighbours") if (codes == c).any()]
    NotedLegend(t("hotspot_legend", lang), items,
                hotspot_note(lang, permutations, alpha, correction, min_dwellings),
                position="bottomright", square=True).add_to(group)
    return group


def flag_layers(
    areas: gpd.GeoDataFrame, units: gpd.GeoDataFrame, lang: str = "nb", show: bool = True,
    show_address: bool = True,
) -> list[folium.FeatureGroup]:
    """Return the areas over the share cap (thick outline) and the units over a cap (rings).

    ``areas`` and ``units`` are :attr:`Concentration.areas` and :attr:`Concentration.units`.
    The unit tooltips name the unit (id and address) only when ``show_address``.
    """
    area_group = folium.FeatureGroup(name=t("areas_over_cap", lang), show=show)
    flagged = service.flagged(areas)
    if len(flagged):
        data = _shown(flagged, {"name": area_names(flagged),
                                "flag": [html.escape(f) for f in area_flag_texts(flagged, lang)]})
        folium.GeoJson(
            data,
            style_function=lambda _f: {"color": FLAG_COLOR, "weight": 5, "fillOpacity": 0},
            tooltip=_tooltip(["name", "flag"], [t("area_name", lang), t("flag_reason", lang)]),
        ).add_to(area_group)
    unit_group = folium.FeatureGroup(name=t("units_over_cap", lang), show=show)
    marked = service.flagged(units)
    if len(marked):
        lon, lat = lonlat(marked)
        columns = {"flag": [html.escape(f) for f in unit_flag_texts(marked, lang, show_address)]}
        fields, labels = ["flag"], [t("flag_reason", lang)]
        if show_address:
            columns["unit"] = [html.escape(str(u)) for u in marked["unit_id"]]
            fields, labels = ["unit", *fields], [t("unit_id", lang), *labels]
        data = gpd.GeoDataFrame(columns, geometry=gpd.points_from_xy(lon, lat), crs=DISPLAY_EPSG)
        folium.GeoJson(
            data,
            marker=folium.CircleMarker(radius=10, color=FLAG_COLOR, weight=3, fill=False),
            tooltip=_tooltip(fields, labels),
        ).add_to(unit_group)
    LayerLegend(t("legend_flags", lang),
                [(FLAG_COLOR, t("areas_over_cap", lang), len(flagged)),
                 (FLAG_COLOR, t("units_over_cap", lang), len(marked))],
                position="bottomright", square=True).add_to(area_group)
    return [area_group, unit_group]


def concentration_map(
    result: Concentration, indicator: str = "share", scheme: str = "quantiles",
    types: Vocabulary = DEFAULT_UNIT_TYPES, lang: str = "nb", asset_base: str | None = None,
    k: int = 5, show_address: bool = True,
) -> folium.Map:
    """Return the map of a concentration result: units, choropleth, hot spots and flags.

    Without ``show_address`` the unit markers (whose popups name each unit) are left out and the
    flag rings carry only the reasons.
    """
    if indicator not in INDICATORS:
        raise ValueError(f"unknown indicator '{indicator}'; known: {', '.join(INDICATORS)}")
    overlays = [
        choropleth_layer(result.areas, indicator, scheme, k, lang),
        hotspot_layer(result.areas, lang, result.permutations, result.alpha,
                      correction=result.correction,
                      min_dwellings=result.policy.min_hotspot_dwellings),
        *flag_layers(result.areas, result.units, lang, show_address=show_address),
    ]
    units = result.units if show_address else result.units.iloc[:0]
    return build_map(units, result.areas, types, lang, asset_base=asset_base, overlays=overlays)
