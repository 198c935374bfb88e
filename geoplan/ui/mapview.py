"""The folium map of the register: coloured, clustered unit markers, areas, legend and basemaps.

No Streamlit here: the app, the CLI and notebooks all call :func:`build_map`.

Every text that reaches the page is escaped in Python (``html.escape``) before it is embedded, and
the embedded JSON has ``</`` escaped, so a unit whose address is ``<img src=x onerror=...>`` or
``</script>`` shows as text.  The browser-side callback only passes those pre-escaped strings to
Leaflet; it never builds HTML from raw values.
"""

from __future__ import annotations

import datetime as dt
import html
import json
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

import folium
import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from branca.element import MacroElement
from folium.plugins import FastMarkerCluster
from folium.template import Template
from folium.utilities import get_obj_in_upper_tree

from geoplan.crs import DISPLAY_EPSG, to_display
from geoplan.missing import is_blank
from geoplan.ui import folium_render
from geoplan.ui.format import date_text, num
from geoplan.ui.i18n import t
from geoplan.ui.map_assets import LOCAL_ASSETS
from geoplan.ui.unit_table import address, lonlat
from geoplan.unit_fields import BOOL, FLOAT, INT, MONEY, UnitField, shown_in, vocabularies
from geoplan.vocab import Vocabulary

folium_render.install()  # rendered text is never read again as a template (data stay data)


@dataclass(frozen=True)
class Basemap:
    """A background tile layer: the i18n key of its name, URL template and attribution."""

    name_key: str
    url: str
    attribution: str
    max_zoom: int


KARTVERKET_TOPO = Basemap(
    "basemap_topo",
    "https://cache.kartverket.no/v1/wmts/1.0.0/topo/default/webmercator/{z}/{y}/{x}.png",
    '<a href="https://www.kartverket.no/">© Kartverket</a>',
    18,
)
OSM = Basemap(
    "basemap_osm",
    "https://tile.openstreetmap.org/{z}/{x}/{y}.png",
    '<a href="https://www.openstreetmap.org/copyright">© OpenStreetMap contributors</a>',
    19,
)
BASEMAPS: tuple[Basemap, ...] = (KARTVERKET_TOPO, OSM)  # the first one is shown on opening

NORWAY_CENTER = (64.5, 12.0)
FALLBACK_COLOR = "#777777"
_COLOR = re.compile(r"#[0-9a-fA-F]{3}(?:[0-9a-fA-F]{3})?(?:[0-9a-fA-F]{2})?")

# Built once in the browser from the columnar data ``d`` (see :func:`marker_data`): one circle
# marker per unit, its popup and tooltip made only when they are opened.  Every string in ``d``
# was escaped in Python, so the callback only joins escaped pieces; it never builds HTML from a
# raw value.
MARKER_SCRIPT = """function (d) {
    function text(column, i) { var k = column[2][i]; return k < 0 ? "" : column[1][k]; }
    function popup(layer) {
        var i = layer.options.row, head = ["<b>" + d.id[i] + "</b>"], rows = "";
        for (var h = 0; h < d.head.length; h++) {
            var line = text(d.head[h], i); if (line) { head.push(line); }
        }
        for (var r = 0; r < d.rows.length; r++) {
            var value = text(d.rows[r], i);
            if (value) { rows += "<tr><th>" + d.rows[r][0] + "</th><td>" + value + "</td></tr>"; }
        }
        return "<div class='geoplan-unit'>" + head.join("<br>") + "<table>" + rows
            + "</table></div>";
    }
    function tooltip(layer) {
        var i = layer.options.row;
        return (d.tip >= 0 && text(d.head[d.tip], i)) || d.id[i];
    }
    var markers = new Array(d.lat.length);
    for (var i = 0; i < d.lat.length; i++) {
        markers[i] = L.circleMarker([d.lat[i], d.lon[i]], {
            row: i, radius: 7, weight: 1, color: "#222222", opacity: 0.9,
            fillColor: d.colors[d.fill[i]], fillOpacity: 0.85
        });
    }
    return {markers: markers, popup: popup, tooltip: tooltip};
}"""


# More units than MAX_MARKERS are counted per grid cell on the server (see :func:`cell_data`):
# one circle per cell, sized by its count, clustered with the cluster icons showing the sum of
# the units (not of the cells).  ``d.tip`` and ``d.types`` are escaped; counts are numbers.
MAX_MARKERS = 20_000
MAX_CELLS = 5_000  # 20,000 cells took Chromium 1.5 s to cluster; 5,000 take a third of that
FIRST_CELL_M = 250.0
CELL_SCRIPT = """function (d) {
    function popup(layer) {
        var i = layer.options.row, mix = d.mix[i], rows = "";
        for (var k = 0; k < mix.length; k += 2) {
            rows += "<tr><th>" + d.types[mix[k]] + "</th><td>" + mix[k + 1] + "</td></tr>";
        }
        return "<div class='geoplan-unit'><b>" + tooltip(layer) + "</b><table>" + rows
            + "</table></div>";
    }
    function tooltip(layer) { return d.tip.replace("{n}", String(d.n[layer.options.row])); }
    var markers = new Array(d.lat.length);
    for (var i = 0; i < d.lat.length; i++) {
        markers[i] = L.circleMarker([d.lat[i], d.lon[i]], {
            row: i, n: d.n[i], radius: Math.min(18, 4 + 2 * Math.log2(d.n[i])), weight: 1,
            color: "#222222", opacity: 0.9, fillColor: d.colors[d.fill[i]], fillOpacity: 0.8
        });
    }
    return {markers: markers, popup: popup, tooltip: tooltip};
}"""
CELL_ICON = """function (cluster) {
    var n = 0, children = cluster.getAllChildMarkers();
    for (var i = 0; i < children.length; i++) { n += children[i].options.n; }
    var size = n < 10 ? "small" : n < 100 ? "medium" : "large";
    return L.divIcon({html: "<div><span>" + n + "</span></div>",
                      className: "marker-cluster marker-cluster-" + size,
                      iconSize: L.point(40, 40)});
}"""

def script_json(value: object) -> str:
    """Return ``value`` as JSON that is safe inside an HTML ``<script>`` element."""
    text = json.dumps(value, ensure_ascii=False, separators=(",", ":"))
    return text.replace("</", "<\\/").replace("<!--", "<\\!--")


def safe_color(value: object) -> str:
    """Return ``value`` when it is a hex colour such as ``#1f77b4``, else a neutral grey."""
    return value if isinstance(value, str) and _COLOR.fullmatch(value) else FALLBACK_COLOR


# ---------------------------------------------------------------- map elements


class UnitMarkers(FastMarkerCluster):
    """The units as one clustered layer, made in the browser from :func:`marker_data`.

    The data travel once, as columns embedded as script-safe JSON (see :func:`script_json`).
    ``script`` is called with them and returns ``{markers, popup, tooltip}``: the circle markers,
    and the two functions that make a marker's popup and tooltip from the columns when they are
    opened.  The popup and tooltip are bound once, to the cluster group, which hands them the
    marker under the pointer (cluster icons fire ``cluster…`` events instead, so they open
    neither); bound to each of 10,000 markers they cost 20,000 objects and about 50 ms of the
    frame's task.  As a marker's own would, they close when their marker leaves the map, and
    the tooltip marks only its marker as described by it (``aria-describedby``).

    The markers are added in one ``addLayers`` call (not chunked: Leaflet.markercluster 1.1
    fails when the map is fitted while chunks are still loading), once the cluster is on the
    map (before, markercluster 1.1 looks for each new marker in the list of those waiting,
    which is quadratic: 48 ms of the frame's 0.47 s for 10,000 units, in a Chromium profile).
    """

    _template = Template(
        """
        {% macro script(this, kwargs) %}
            var {{ this.get_name() }} = (function(){
                var made = ({{ this.script }})({{ this.data_json }});
                var options = {{ this.options|tojavascript }};
                {%- if this.icon %}
                options.iconCreateFunction = {{ this.icon }};
                {%- endif %}
                var cluster = L.markerClusterGroup(options);
                var map = {{ this._parent.get_name() }};
                cluster.bindPopup(made.popup, {maxWidth: 360}).bindTooltip(made.tooltip);
                // As a marker's own tooltip would: only the hovered marker is described by it
                // (Leaflet's group version marks every marker drawn, walking all of them).
                cluster.openTooltip = function (latlng) {
                    var tip = this._tooltip, source = tip && tip._source;
                    if (tip && tip._prepareOpen(latlng)) {
                        tip.openOn(this._map);
                        var el = source && source.getElement && source.getElement();
                        if (el) { el.setAttribute("aria-describedby", tip._container.id); }
                    }
                    return this;
                };
                // A marker's own popup and tooltip closed when it left the map (clustered on
                // zooming out, or folded back from a spider); the group's do so too.
                map.on("layerremove", function (e) {
                    if (cluster.isPopupOpen() && cluster.getPopup()._source === e.layer) {
                        cluster.closePopup();
                    }
                    if (cluster.isTooltipOpen() && cluster.getTooltip()._source === e.layer) {
                        cluster.closeTooltip();
                    }
                });
                cluster.addTo(map);
                cluster.addLayers(made.markers);
                return cluster;
            })();
        {% endmacro %}"""
    )

    def __init__(self, data: dict, name: str, script: str = MARKER_SCRIPT,
                 icon: str | None = None, **options: object):
        super().__init__([], name=name, **options)
        self.script, self.icon = script, icon
        self.data_json = script_json(data)


# Areas drawn from prepared GeoJSON (see :func:`area_geojson`): ``base`` is every area's style,
# ``properties.style`` an area's own (its fill), ``hover`` the style under the pointer, and
# ``properties.tip`` a tooltip of pre-escaped HTML; one tooltip and one pair of hover handlers
# serve the whole layer (not one per area: 14,000 for the national register).
AREA_SCRIPT = """function (d, base, hover) {
    function own(f) { var s = {}, k; for (k in base) { s[k] = base[k]; }
        var o = f.properties.style || {}; for (k in o) { s[k] = o[k]; } return s; }
    var shapes = L.geoJSON(d, {style: own});
    shapes.bindTooltip(function (area) { return area.feature.properties.tip || ""; },
                       {sticky: true});
    shapes.on("mouseover", function (e) { e.layer.setStyle(hover); });
    shapes.on("mouseout", function (e) { e.layer.setStyle(own(e.layer.feature)); });
    return shapes;
}"""


class AreaShapes(folium.map.Layer):
    """Areas (polygons) as one Leaflet GeoJSON layer made from prepared text.

    folium's ``GeoJson`` walks every feature in Python on each page run (style and highlight
    functions, bounds, JSON twice): about 5 s for the national register's 14,000 areas, on
    every verdict of the purchase page.  Here the GeoJSON text is made once, vectorised
    (:func:`area_geojson`), and embedded as it is; styles and tooltips are set in the browser.
    """

    _template = Template(
        """
        {% macro script(this, kwargs) %}
            var {{ this.get_name() }} = ({{ this.script }})({{ this.data }},
                {{ this.base_json }}, {{ this.hover_json }});
        {% endmacro %}"""
    )

    def __init__(self, data: str, name: str, base: dict, hover: dict, show: bool = True):
        super().__init__(name=name, overlay=True, control=True, show=show)
        self._name = "AreaShapes"
        self.script, self.data = AREA_SCRIPT, data
        self.base_json, self.hover_json = script_json(base), script_json(hover)


def tooltip_table(rows: Iterable[tuple[str, str]]) -> str:
    """A tooltip's HTML: one row per (label, value), both already escaped."""
    body = "".join(f"<tr><th>{label}</th><td>{value}</td></tr>" for label, value in rows)
    return f"<table class='geoplan-tip'>{body}</table>"


def area_geojson(geometries: Sequence, tips: Sequence[str],
                 styles: Sequence[dict] | None = None, grid: float = 1e-6) -> str:
    """A FeatureCollection (script-safe JSON text) of ``geometries`` (EPSG:4326), each with its
    tooltip HTML ``tips[i]`` (already escaped) and its own style ``styles[i]``; coordinates are
    rounded to ``grid`` degrees (1e-6: about 0.1 m)."""
    rounded = shapely.set_precision(np.asarray(geometries, dtype=object), grid, mode="pointwise")
    shapes = shapely.to_geojson(rounded)
    styles = styles if styles is not None else [None] * len(tips)
    features = [
        f'{{"type":"Feature","geometry":{g},"properties":'
        f'{script_json({"tip": tip, "style": style} if style else {"tip": tip})}}}'
        for g, tip, style in zip(shapes, tips, styles, strict=True) if g is not None
    ]
    return '{"type":"FeatureCollection","features":[' + ",".join(features) + "]}"


class Styles(MacroElement):
    """The CSS of the legend and the popups, added once to the page's header."""

    _template = Template(
        """
        {% macro header(this, kwargs) %}
            <style>
            .geoplan-legend {background: rgba(255,255,255,0.92); padding: 6px 10px;
                border-radius: 4px; box-shadow: 0 1px 4px rgba(0,0,0,0.3);
                font: 12px/1.4 sans-serif; max-width: 260px;}
            .geoplan-legend h4 {font-size: 12px; font-weight: 600; margin: 0 0 4px 0;}
            .geoplan-legend i {display: inline-block; width: 12px; height: 12px;
                border-radius: 50%; border: 1px solid #222; margin-right: 6px;
                vertical-align: middle;}
            .geoplan-legend i.square {border-radius: 2px;}
            .geoplan-unit {font: 13px/1.35 sans-serif;}
            .geoplan-unit table {margin-top: 4px; border-collapse: collapse;}
            .geoplan-unit th, .geoplan-tip th {text-align: left; padding: 0 8px 0 0;
                font-weight: 600;}
            .geoplan-unit td {padding: 0;}
            </style>
        {% endmacro %}"""
    )


# The legend control: a div with pre-escaped HTML; ``attach`` decides when it is on the map.
_LEGEND_JS = """
        {%% macro script(this, kwargs) %%}
            var {{ this.get_name() }} = L.control({position: {{ this.position|tojson }}});
            {{ this.get_name() }}.onAdd = function () {
                var div = L.DomUtil.create("div", "geoplan-legend");
                div.innerHTML = {{ this.html_json }};
                L.DomEvent.disableClickPropagation(div);
                return div;
            };
%s
        {%% endmacro %%}"""


class Legend(MacroElement):
    """A Leaflet control in a corner of the map; ``items`` are (colour, label, count)."""

    _template = Template(
        _LEGEND_JS % "            {{ this.get_name() }}.addTo({{ this._parent.get_name() }});"
    )

    def __init__(self, title: str, items: Iterable[tuple[str, str, int]],
                 position: str = "bottomleft", square: bool = False):
        super().__init__()
        self._name = "Legend"
        self.position = position
        swatch = ' class="square"' if square else ""
        rows = "".join(
            f'<div><i{swatch} style="background:{safe_color(color)}"></i>{html.escape(label)} '
            f"({count})</div>"
            for color, label, count in items
        )
        self.html = f"<h4>{html.escape(title)}</h4>{rows}"
        self.html_json = script_json(self.html)


class LayerLegend(Legend):
    """A :class:`Legend` added to a layer (e.g. a FeatureGroup): shown while the layer is on."""

    _template = Template(_LEGEND_JS % """            (function (legend, layer, map) {
                layer.on("add", function () { legend.addTo(map); });
                layer.on("remove", function () { legend.remove(); });
                if (map.hasLayer(layer)) { legend.addTo(map); }
            })({{ this.get_name() }}, {{ this._parent.get_name() }}, {{ this.map_name }});""")

    def render(self, **kwargs) -> None:
        """Find the map above the layer, then render."""
        self.map_name = get_obj_in_upper_tree(self, folium.Map).get_name()
        super().render(**kwargs)


# ---------------------------------------------------------------- popup content


def _format(field: UnitField, value: object, lang: str) -> str:
    """A popup value in the language's conventions: 9 850 and 54,5 and 01.03.2015 in bokmål."""
    if field.kind == BOOL:
        return t("yes" if bool(value) else "no", lang)
    if field.kind == MONEY:
        return num(float(value), lang, 0)
    if field.kind == FLOAT:
        return num(float(value), lang, 0 if float(value).is_integer() else 1)
    if field.kind == INT and isinstance(value, float):
        return str(int(value))
    if isinstance(value, pd.Timestamp):
        return date_text(value.date(), lang)
    if isinstance(value, dt.date):
        return date_text(value, lang)
    return str(value)


# The popup's rows in order: the unit fields shown in the popup, by their position there.
POPUP_ROWS: tuple[UnitField, ...] = shown_in("popup")
POPUP_FIELDS: tuple[str, ...] = tuple(f.name for f in POPUP_ROWS)


def _column(values: Iterable[object], text: Callable[[object], str]) -> list:
    """Return ``[distinct escaped texts, each unit's index into them (-1: blank)]``.

    Each distinct value is worded once (``text``), so a column of 10,000 units with a few
    distinct values costs a few calls and a list of small integers.
    """
    values = values.tolist() if isinstance(values, pd.Series) else list(values)
    codes, uniques = pd.factorize(pd.Series(values, dtype=object), use_na_sentinel=True)
    words, keep = [], np.full(len(uniques) + 1, -1, dtype=np.int64)
    for k, value in enumerate(uniques):
        if not is_blank(value):
            word = html.escape(text(value))
            if word:
                keep[k] = len(words)
                words.append(word)
    return [words, keep[codes].tolist()]  # codes == -1 picks keep[-1] == -1


def marker_data(units: gpd.GeoDataFrame, types: Vocabulary, lang: str = "nb",
                show_address: bool = True) -> dict:
    """Return the units' marker data as columns, every string escaped (see MARKER_SCRIPT).

    Units without finite coordinates are left out.  Keys: ``lat``, ``lon`` (6 decimals);
    ``fill`` (index into ``colors``, one validated colour per unit type, grey for unknown types);
    ``id`` (escaped unit ids); ``head`` (the popup's lines under the id, as ``["", texts,
    index]``: the address when ``show_address``, then postal code and place); ``rows`` (the
    popup's table, one ``[escaped label, texts, index]`` per field of :data:`POPUP_ROWS`, without
    the fields that locate the unit when addresses may not be shown); ``tip`` (the index in ``head`` of the
    tooltip's address, -1 for none: the tooltip is then the unit id).
    """
    lon, lat = lonlat(units)
    ok = np.isfinite(lon) & np.isfinite(lat)
    shown = units[ok] if len(units) else units
    colors = {code: safe_color(c) for code, c in types.colors().items()}
    palette = [*colors.values(), FALLBACK_COLOR]
    slot = {code: i for i, code in enumerate(colors)}
    vocabs = vocabularies(types)
    place = [" ".join(str(p) for p in parts if not is_blank(p))
             for parts in zip(shown["postal_code"].tolist(), shown["place"].tolist(), strict=True)]
    head = [["", *_column(place, str)]]
    if show_address:
        head.insert(0, ["", *_column(address(shown), str)])
    rows = []
    for field in POPUP_ROWS:
        if field.locates and not show_address:
            continue
        if field.name in vocabs:
            words = _column(shown[field.name], lambda v, f=field: vocabs[f.name].label(v, lang))
        else:
            words = _column(shown[field.name], lambda v, f=field: _format(f, v, lang))
        rows.append([html.escape(t(field.name, lang)), *words])
    return {
        "lat": np.round(lat[ok], 6).tolist(), "lon": np.round(lon[ok], 6).tolist(),
        "colors": palette,
        "fill": [slot.get(c, len(palette) - 1) for c in shown["unit_type"].tolist()],
        "id": [html.escape(str(u)) for u in shown["unit_id"].tolist()],
        "head": head, "rows": rows, "tip": 0 if show_address else -1,
    }


def cell_data(units: gpd.GeoDataFrame, types: Vocabulary, lang: str = "nb",
              limit: int = MAX_CELLS) -> dict:
    """Return the units counted per square grid cell (EPSG:25833), for maps of many units.

    The cell is 250 m and doubles until there are at most ``limit`` cells.  Keys: ``lat``,
    ``lon`` (the mean place of the cell's units); ``n`` (units in the cell); ``fill`` (index into
    ``colors``: the cell's most common unit type); ``mix`` (per cell, flat pairs of an index into
    ``types`` and a count, most common first); ``types`` (escaped unit type names); ``tip``
    (the escaped tooltip with ``{n}`` for the count); ``size`` (the cell's side in metres).
    No cell names a unit or an address.
    """
    x, y = units["x"].to_numpy(float), units["y"].to_numpy(float)
    ok = np.isfinite(x) & np.isfinite(y)
    x, y, kinds = x[ok], y[ok], units["unit_type"].to_numpy(object)[ok]
    size = FIRST_CELL_M
    while True:
        # one integer per cell, in the order of (column, row): a 1-D unique is 10 times as fast
        # as np.unique(axis=0) on the pairs (0.65 s → 0.07 s for the national register)
        col, row = np.floor(x / size).astype(np.int64), np.floor(y / size).astype(np.int64)
        if len(col):
            col, row = col - col.min(), row - row.min()
        keys = col * (int(row.max()) + 1 if len(row) else 1) + row
        _cells, cell, counts = np.unique(keys, return_inverse=True, return_counts=True)
        cell = cell.ravel()
        if len(counts) <= limit or not len(counts):
            break
        size *= 2
    lon, lat = to_display(np.bincount(cell, x) / counts, np.bincount(cell, y) / counts)
    codes, present = pd.factorize(pd.Series(kinds, dtype=object))
    per_type = np.zeros((len(counts), max(len(present), 1)), dtype=np.int64)
    np.add.at(per_type, (cell, codes), 1)
    colors = {code: safe_color(c) for code, c in types.colors().items()}
    palette = [colors.get(code, FALLBACK_COLOR) for code in present] or [FALLBACK_COLOR]
    order = np.argsort(-per_type, axis=1, kind="stable")
    mix = [[int(v) for k in row if per_type[i, k] for v in (k, per_type[i, k])]
           for i, row in enumerate(order)]
    return {
        "lat": np.round(np.asarray(lat), 6).tolist(), "lon": np.round(np.asarray(lon), 6).tolist(),
        "n": counts.tolist(), "fill": order[:, 0].tolist() if len(counts) else [],
        "colors": palette, "mix": mix,
        "types": [html.escape(types.label(code, lang)) for code in present],
        "tip": html.escape(t("map_cell_units", lang, n="{n}", size=num(size, lang, 0))),
        "size": size,
    }


def marker_layer(units: gpd.GeoDataFrame, types: Vocabulary, lang: str = "nb",
                 show_address: bool = True, max_markers: int = MAX_MARKERS) -> dict:
    """Return the data of the unit layer: ``{"cells": False, "data": marker_data(...)}``, or
    counts per grid cell (``{"cells": True, "data": cell_data(...)}``) for more than
    ``max_markers`` units; ``{}`` without units.  Plain data (lists, numbers, escaped strings),
    so a cache can keep it; it depends on the arguments only, never on who asks.
    """
    if not len(units):
        return {}
    if len(units) > max_markers:
        return {"cells": True, "data": cell_data(units, types, lang, min(max_markers, MAX_CELLS))}
    return {"cells": False, "data": marker_data(units, types, lang, show_address)}


def legend_items(units: gpd.GeoDataFrame, types: Vocabulary, lang: str = "nb") -> list:
    """Return (colour, label, count) for each unit type present, in the vocabulary's order."""
    counts = units["unit_type"].value_counts()
    order = [c for c in types.terms if c in counts.index]
    order += sorted(c for c in counts.index if c not in types.terms)
    colors = types.colors()
    return [(safe_color(colors.get(c)), types.label(c, lang), int(counts[c])) for c in order]


# ---------------------------------------------------------------- the map


def use_local_assets(m: folium.Map, base_url: str) -> folium.Map:
    """Load Leaflet and markercluster from ``base_url`` (see LOCAL_ASSETS) instead of CDNs."""
    base = base_url.rstrip("/")

    def local(links: Sequence[tuple[str, str]]) -> list[tuple[str, str]]:
        return [(name, f"{base}/{LOCAL_ASSETS[name]}") for name, _ in links
                if name in LOCAL_ASSETS]

    stack: list = [m]
    while stack:
        element = stack.pop()
        if isinstance(element, folium.elements.JSCSSMixin):
            element.default_js = local(element.default_js)
            element.default_css = local(element.default_css)
        stack.extend(element._children.values())
    return m


def area_names(areas: pd.DataFrame) -> list[str]:
    """Return each area's name (its code when it has none), HTML-escaped for tooltips."""
    return [html.escape(str(n if not is_blank(n) else c))
            for n, c in zip(areas["name"], areas["code"], strict=True)]


def _areas_layer(areas: gpd.GeoDataFrame, name: str, lang: str) -> AreaShapes:
    shown = areas.to_crs(DISPLAY_EPSG)
    alias = html.escape(t("area_name", lang))
    tips = [tooltip_table([(alias, n)]) for n in area_names(shown)]
    return AreaShapes(
        area_geojson(shown.geometry.values, tips),
        name=html.escape(name),  # the layer control writes names as HTML; system names are free text
        base={"color": "#444444", "weight": 1.5, "fillColor": "#888888", "fillOpacity": 0.05},
        hover={"weight": 3, "fillOpacity": 0.15},
    )


def _bounds(units: gpd.GeoDataFrame, areas: gpd.GeoDataFrame | None) -> list | None:
    if len(units):
        lon, lat = lonlat(units)
        ok = np.isfinite(lon) & np.isfinite(lat)
        if ok.any():
            return [[float(lat[ok].min()), float(lon[ok].min())],
                    [float(lat[ok].max()), float(lon[ok].max())]]
    if areas is not None and len(areas):
        x0, y0, x1, y1 = areas.to_crs(DISPLAY_EPSG).total_bounds
        return [[float(y0), float(x0)], [float(y1), float(x1)]]
    return None


def build_map(
    units: gpd.GeoDataFrame,
    areas: gpd.GeoDataFrame | None,
    types: Vocabulary,
    lang: str = "nb",
    area_label: str | None = None,
    asset_base: str | None = None,
    overlays: Sequence[folium.map.Layer] = (),
    show_address: bool = True,
    max_markers: int = MAX_MARKERS,
    markers: dict | None = None,
) -> folium.Map:
    """Return a folium map of ``units`` (EPSG:25833) over ``areas`` with legend and basemaps.

    ``asset_base`` is a URL under which the files of LOCAL_ASSETS are served (the app uses
    Streamlit's static serving); without it folium's CDN links are used.  ``overlays`` are
    further layers (see :mod:`geoplan.ui.purchase_map`), drawn above the areas and listed in
    the layer control.  Without ``show_address`` the unit markers name no address.  More
    than ``max_markers`` units are drawn as counts per grid cell (:func:`cell_data`), which name
    no unit: a national register stays a page of about a megabyte.  ``markers`` is
    :func:`marker_layer` of the same arguments when the caller has it already (the app caches
    it per data version).
    """
    m = folium.Map(location=NORWAY_CENTER, zoom_start=5, tiles=None, control_scale=True)
    # Fitted before any layer is added: the clusters and areas are then made for the final view
    # only, not first for all of Norway and again after a zoom (about 50 ms of the frame's task
    # for 10,000 units).
    bounds = _bounds(units, areas)
    if bounds is not None:
        m.fit_bounds(bounds, padding=(20, 20), max_zoom=16)
    for i, basemap in enumerate(BASEMAPS):
        folium.TileLayer(
            basemap.url, attr=basemap.attribution, name=t(basemap.name_key, lang),
            max_zoom=basemap.max_zoom, overlay=False, control=True, show=i == 0,
        ).add_to(m)
    if areas is not None and len(areas):
        _areas_layer(areas, area_label or t("layer_areas", lang), lang).add_to(m)
    for layer in overlays:
        layer.add_to(m)
    layer = markers if markers is not None else marker_layer(
        units, types, lang, show_address, max_markers)
    if layer.get("cells"):
        cells = layer["data"]
        UnitMarkers(
            cells, name=t("layer_cells", lang, size=num(cells["size"], lang, 0)), script=CELL_SCRIPT,
            icon=CELL_ICON, showCoverageOnHover=False, maxClusterRadius=50,
        ).add_to(m)
    elif layer:
        UnitMarkers(layer["data"], name=t("layer_units", lang), showCoverageOnHover=False,
                    maxClusterRadius=50).add_to(m)
    if len(units):
        Legend(t("legend_title", lang), legend_items(units, types, lang)).add_to(m)
    Styles().add_to(m)
    folium.LayerControl(collapsed=True).add_to(m)
    if asset_base:
        use_local_assets(m, asset_base)
    return m
