"""Folium layers for the purchase pages: the tested candidate, ranked candidates, where to buy, a plan.

The layers are passed to :func:`geoplan.ui.mapview.build_map` as ``overlays``.  As in
:mod:`geoplan.ui.mapview`, every text is escaped in Python before it reaches the page (folium does
not escape popups or tooltips) and point rows are embedded as script-safe JSON.  Points are drawn
in their own pane above the register's clustered units so the candidate is never hidden.
"""

from __future__ import annotations

import html
from collections.abc import Iterable
from dataclasses import dataclass

import folium
import geopandas as gpd
import numpy as np
import pandas as pd
from branca.element import MacroElement
from folium.template import Template
from folium.utilities import get_obj_in_upper_tree

from geoplan.crs import DISPLAY_EPSG
from geoplan.missing import is_blank
from geoplan.ui.format import num, pct
from geoplan.ui.i18n import t
from geoplan.ui.mapview import (
    AreaShapes,
    LayerLegend,
    area_geojson,
    safe_color,
    script_json,
    tooltip_table,
)
from geoplan.ui.purchase_view import (
    WHERE_COLORS,
    WHERE_OPACITY,
    group_labels,
    on_white,
    reason_texts,
    verdict_badge,
    verdict_label,
    verdict_text,
)
from geoplan.ui.unit_table import lonlat
from geoplan.ui.wording import group_counts

VERDICT_COLORS: dict[str, str] = {"green": "#1a9850", "amber": "#f39c12", "red": "#d73027"}
CLASS_COLORS: dict[str, str] = WHERE_COLORS  # where to buy: BuPu, see purchase_view.WHERE_COLORS
NEUTRAL_COLOR = "#9e9e9e"
TOP_PANE = "geoplanTop"
FOCUS_M = 600.0  # half-width of the view around a focused candidate, in metres
FOCUS_ZOOM = 15  # about FOCUS_M either side of the centre in a 560 px wide map at 60° N

# row = [lat, lon, fill, popup html or "", tooltip html, radius, weight, stroke colour]
POINT_CALLBACK = """function (row) {
    var marker = L.circleMarker(new L.LatLng(row[0], row[1]), {
        pane: PANE, radius: row[5], weight: row[6], color: row[7], opacity: 1,
        fillColor: row[2], fillOpacity: 0.9
    });
    if (row[3]) { marker.bindPopup(row[3], {maxWidth: 380}); }
    if (row[4]) { marker.bindTooltip(row[4]); }
    return marker;
}""".replace("PANE", script_json(TOP_PANE))


@dataclass(frozen=True)
class PointStyle:
    """How a point is drawn: radius and outline width in pixels, outline colour."""

    radius: int
    weight: int
    stroke: str


CANDIDATE_STYLE = PointStyle(11, 3, "#000000")
RANKED_STYLE = PointStyle(7, 1, "#222222")
CHOSEN_STYLE = PointStyle(10, 4, "#1f3bb3")
OTHER_STYLE = PointStyle(5, 1, "#555555")


class PointLayer(folium.map.Layer):
    """Circle markers from pre-escaped rows (see POINT_CALLBACK), drawn in the top pane."""

    _template = Template(
        """
        {% macro script(this, kwargs) %}
            if (!{{ this._parent.get_name() }}.getPane({{ this.pane|tojson }})) {
                {{ this._parent.get_name() }}.createPane({{ this.pane|tojson }}).style.zIndex = 650;
            }
            var {{ this.get_name() }} = L.featureGroup();
            (function(){
                {{ this.callback }}
                var data = {{ this.data_json }};
                for (var i = 0; i < data.length; i++) {
                    callback(data[i]).addTo({{ this.get_name() }});
                }
            })();
        {% endmacro %}"""
    )

    def __init__(self, rows: list[list], name: str, show: bool = True):
        super().__init__(name=name, overlay=True, control=True, show=show)
        self._name = "PointLayer"
        self.pane = TOP_PANE
        self.callback = f"var callback = {POINT_CALLBACK};"
        self.data_json = script_json(rows)


class Points(MacroElement):
    """Circle markers from pre-escaped rows (see POINT_CALLBACK) added to the parent layer.

    For a ``folium.FeatureGroup`` that streamlit-folium adds to a map already drawn
    (``st_folium(..., feature_group_to_add=group)``): a new candidate then redraws that group
    only, not the map with its units and areas (issue 14).
    """

    _template = Template(
        """
        {% macro script(this, kwargs) %}
            if (!{{ this.map_name }}.getPane({{ this.pane|tojson }})) {
                {{ this.map_name }}.createPane({{ this.pane|tojson }}).style.zIndex = 650;
            }
            (function(){
                {{ this.callback }}
                var data = {{ this.data_json }};
                for (var i = 0; i < data.length; i++) {
                    callback(data[i]).addTo({{ this._parent.get_name() }});
                }
            })();
        {% endmacro %}"""
    )

    def __init__(self, rows: list[list]):
        super().__init__()
        self._name = "Points"
        self.pane = TOP_PANE
        self.callback = f"var callback = {POINT_CALLBACK};"
        self.data_json = script_json(rows)
        self.map_name = "map"

    def render(self, **kwargs) -> None:
        """Find the map above the layer, then render."""
        self.map_name = get_obj_in_upper_tree(self, folium.Map).get_name()
        super().render(**kwargs)


def point_row(lon: float, lat: float, color: str, popup: str, tooltip: str,
              style: PointStyle) -> list:
    """One row for :class:`PointLayer`; ``popup`` and ``tooltip`` must already be escaped."""
    return [round(float(lat), 6), round(float(lon), 6), safe_color(color), popup, tooltip,
            style.radius, style.weight, safe_color(style.stroke)]


def reasons_popup(label: object, verdict: str, reasons: Iterable[str], lang: str = "nb") -> str:
    """The escaped popup of an evaluated candidate: its label, verdict and every reason (words)."""
    items = "".join(f"<li>{html.escape(str(r))}</li>" for r in reasons)
    head = html.escape(str(label)) if not is_blank(label) else ""
    return (f"<div class='geoplan-unit'><b>{head}</b><br>{html.escape(verdict_text(verdict, lang))}"
            f"<ul style='margin:4px 0 0 16px;padding:0'>{items}</ul></div>")


def candidate_row(evaluation: dict, label: object, lang: str = "nb") -> list:
    """The point row of an evaluated candidate (``evaluate_point``'s dict), coloured by its
    verdict, with its reasons as the (escaped) popup."""
    lon, lat = lonlat(pd.DataFrame({"x": [evaluation["x"]], "y": [evaluation["y"]]}))
    verdict = evaluation["verdict"]
    tooltip = html.escape(f"{label} – {verdict_text(verdict, lang)}" if not is_blank(label)
                          else verdict_text(verdict, lang))
    return point_row(lon[0], lat[0], VERDICT_COLORS.get(verdict, NEUTRAL_COLOR),
                     reasons_popup(label, verdict, reason_texts(evaluation, lang), lang), tooltip,
                     CANDIDATE_STYLE)


def candidate_group(evaluation: dict | None, label: object,
                    lang: str = "nb") -> folium.FeatureGroup:
    """The candidate as a group for ``st_folium(feature_group_to_add=...)``; empty without one
    (so the previous candidate is taken off the map)."""
    group = folium.FeatureGroup(name=t("purchase.layer_candidate", lang))
    if evaluation is not None:
        Points([candidate_row(evaluation, label, lang)]).add_to(group)
    return group


def focus_view(x: float, y: float) -> tuple[tuple[float, float], int]:
    """The centre (lat, lon) and zoom that show an EPSG:25833 point with about
    :data:`FOCUS_M` around it; st_folium moves a drawn map there without drawing it again."""
    lon, lat = lonlat(pd.DataFrame({"x": [x], "y": [y]}))
    return (round(float(lat[0]), 6), round(float(lon[0]), 6)), FOCUS_ZOOM


def candidate_layer(evaluation: dict, label: object, lang: str = "nb") -> PointLayer:
    """The evaluated candidate (``evaluate_point``'s dict) coloured by its verdict."""
    return PointLayer([candidate_row(evaluation, label, lang)], t("purchase.layer_candidate", lang))


def ranked_tooltip(rank: int, label: object, verdict: str, fit: Iterable[tuple[str, int]],
                   lang: str = "nb") -> str:
    """The escaped tooltip of a ranked candidate: rank, label, verdict and the groups it fits
    with their households waiting (context: one flat houses one household)."""
    groups = group_counts(fit, lang) or t("purchase.ranked_no_group", lang)
    return html.escape(t("purchase.ranked_tooltip", lang, rank=int(rank), label=label,
                         verdict=verdict_badge(verdict, lang), groups=groups))


def ranked_layer(ranked: pd.DataFrame, lang: str = "nb") -> PointLayer:
    """Ranked candidates (``rank`` output) coloured by verdict, with escaped tooltips and popups."""
    lon, lat = lonlat(ranked)
    rows = [
        point_row(x, y, VERDICT_COLORS.get(r["verdict"], NEUTRAL_COLOR),
                  reasons_popup(r["label"], r["verdict"], reason_texts(r, lang), lang),
                  ranked_tooltip(r["rank"], r["label"], r["verdict"], r["demand_fit"], lang),
                  RANKED_STYLE)
        for x, y, r in zip(lon, lat, ranked.to_dict("records"), strict=True)
        if np.isfinite(x) and np.isfinite(y)
    ]
    layer = PointLayer(rows, t("purchase.layer_ranked", lang))
    verdict_legend(ranked["verdict"], t("purchase.layer_ranked", lang), lang).add_to(layer)
    return layer


def where_frame(areas: gpd.GeoDataFrame, table: pd.DataFrame, lang: str = "nb") -> gpd.GeoDataFrame:
    """The areas (EPSG:4326) with their where-to-buy fill colour and escaped tooltip fields."""
    by_code = table.set_index("code")
    rows = by_code.reindex(areas["code"])
    cls = rows["class"].fillna("unknown").to_numpy()
    names = [n if not is_blank(n) else c for n, c in zip(areas["name"], areas["code"], strict=True)]
    headroom = [num(h, lang, 0) for h in rows["headroom"].to_numpy(float)]
    fit = [pct(f, lang, 0) for f in rows["demand_fit"].to_numpy(float)]
    groups = [group_labels(g, lang) if isinstance(g, list | tuple) else "" for g in rows["groups"]]
    return gpd.GeoDataFrame({
        "class": cls,
        "fill": [CLASS_COLORS.get(c, NEUTRAL_COLOR) for c in cls],
        "name": [html.escape(str(n)) for n in names],
        "verdict": [html.escape(t(f"purchase.class.{c}", lang)) for c in cls],
        "headroom": [html.escape(h) for h in headroom],
        "demand_fit": [html.escape(f) for f in fit],
        "groups": [html.escape(g) for g in groups],
    }, geometry=areas.to_crs(DISPLAY_EPSG).geometry.values, crs=DISPLAY_EPSG)


# What every where-to-buy area shares; each is filled with its class colour (where_style).
WHERE_STYLE = {"color": "#444444", "weight": 1, "fillOpacity": WHERE_OPACITY}


def where_style(feature: dict) -> dict:
    """The Leaflet style of a where-to-buy area: filled with its class colour."""
    return {**WHERE_STYLE, "fillColor": safe_color(feature["properties"]["fill"])}


@dataclass(frozen=True)
class WhereShapes:
    """What the where-to-buy layer draws: the areas as GeoJSON text (escaped tooltips and each
    area's fill inside, :func:`~geoplan.ui.mapview.area_geojson`) and how many areas each class
    has.  Plain data, so a page can cache it per data version and language."""

    geojson: str
    counts: dict[str, int]


def where_shapes(areas: gpd.GeoDataFrame, table: pd.DataFrame, lang: str = "nb") -> WhereShapes:
    """The where-to-buy areas of ``table`` (:func:`geoplan.service.where`) ready to draw."""
    fields = ["name", "verdict", "headroom", "demand_fit", "groups"]
    aliases = [html.escape(t(k, lang)) for k in (
        "area_name", "purchase.col.class", "purchase.col.headroom", "purchase.col.demand_fit",
        "purchase.col.groups")]
    frame = where_frame(areas, table, lang)
    columns = [frame[f].tolist() for f in fields]  # escaped in where_frame
    tips = [tooltip_table(zip(aliases, values, strict=True)) for values in zip(*columns, strict=True)]
    styles = [{"fillColor": where_style({"properties": {"fill": f}})["fillColor"]}
              for f in frame["fill"]]
    counts = frame["class"].value_counts()
    return WhereShapes(area_geojson(frame.geometry.values, tips, styles),
                       {str(c): int(n) for c, n in counts.items()})


def where_layer(areas: gpd.GeoDataFrame, table: pd.DataFrame, lang: str = "nb",
                show: bool = True) -> AreaShapes:
    """The where-to-buy layer: areas filled green/amber/red/grey by class, with escaped tooltips."""
    return shapes_layer(where_shapes(areas, table, lang), lang, show)


def shapes_layer(shapes: WhereShapes, lang: str = "nb", show: bool = True) -> AreaShapes:
    """The where-to-buy layer of prepared :class:`WhereShapes`, with its legend."""
    layer = AreaShapes(
        shapes.geojson, name=t("purchase.layer_where", lang), base=WHERE_STYLE,
        hover={"weight": 3, "fillOpacity": 0.6}, show=show,
    )
    LayerLegend(t("purchase.layer_where", lang),
                [(on_map(WHERE_COLORS[c]), t(f"purchase.class.{c}", lang), shapes.counts[c])
                 for c in WHERE_COLORS if c in shapes.counts],
                position="bottomright", square=True).add_to(layer)
    return layer


def on_map(colour: str) -> str:
    """A where-to-buy colour as its area looks on the map (at WHERE_OPACITY), for the legend."""
    return on_white(colour, WHERE_OPACITY)


def verdict_legend(verdicts: Iterable[str], title: str, lang: str = "nb",
                   extra: Iterable[tuple[str, str, int]] = ()) -> LayerLegend:
    """A legend of points coloured by verdict: (colour, "Grønt", count) per verdict present."""
    counts = pd.Series(list(verdicts), dtype=object).value_counts()
    items = [(VERDICT_COLORS[v], verdict_label(v, lang), int(counts[v]))
             for v in VERDICT_COLORS if v in counts.index]
    return LayerLegend(title, [*items, *extra], position="bottomright")


def plan_layers(candidates: pd.DataFrame, chosen: pd.DataFrame, lang: str = "nb") -> list[PointLayer]:
    """The candidates not chosen (small, grey) and the chosen set highlighted, with escaped tooltips."""
    picked = set(chosen["label"].astype(str)) if len(chosen) else set()
    others = candidates[~candidates["label"].astype(str).isin(picked)]
    layers = []
    for frame, style, color, key in ((others, OTHER_STYLE, NEUTRAL_COLOR, "purchase.layer_others"),
                                     (chosen, CHOSEN_STYLE, None, "purchase.layer_chosen")):
        lon, lat = lonlat(frame)
        records = frame.to_dict("records")
        rows = [point_row(x, y, color or VERDICT_COLORS.get(rec.get("verdict"), NEUTRAL_COLOR), "",
                          html.escape(str(rec.get("label") or "")), style)
                for x, y, rec in zip(lon, lat, records, strict=True)
                if np.isfinite(x) and np.isfinite(y)]
        layers.append(PointLayer(rows, t(key, lang)))
    verdicts = chosen["verdict"] if "verdict" in chosen else pd.Series([], dtype=object)
    extra = [(NEUTRAL_COLOR, t("purchase.layer_others", lang), len(others))] if len(others) else []
    verdict_legend(verdicts, t("purchase.layer_chosen", lang), lang, extra).add_to(layers[1])
    return layers


def focus(m: folium.Map, x: float, y: float, half_width_m: float = FOCUS_M) -> folium.Map:
    """Fit the map's view to a square around an EPSG:25833 point (after any earlier fit)."""
    lon, lat = lonlat(pd.DataFrame({"x": [x - half_width_m, x + half_width_m],
                                    "y": [y - half_width_m, y + half_width_m]}))
    m.fit_bounds([[float(lat[0]), float(lon[0])], [float(lat[1]), float(lon[1])]])
    return m
