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
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import folium
import geopandas as gpd
import numpy as np
import pandas as pd
from branca.element import MacroElement
from folium.plugins import FastMarkerCluster
from folium.template import Template
from folium.utilities import get_obj_in_upper_tree

from geoplan.crs import DISPLAY_EPSG
from geoplan.missing import is_blank
from geoplan.ui.i18n import t
from geoplan.ui.unit_table import address, lonlat
from geoplan.unit_fields import BOOL, FLOAT, INT, MONEY, UnitField, shown_in, vocabularies
from geoplan.vocab import Vocabulary


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

# Folium's CDN assets that the map needs, mapped to the files vendored under static/vendor/.
# Assets not listed (jQuery, Bootstrap, Font Awesome, awesome-markers) are dropped when local.
LOCAL_ASSETS: dict[str, str] = {
    "leaflet": "leaflet-1.9.3/leaflet.js",
    "leaflet_css": "leaflet-1.9.3/leaflet.css",
    "markerclusterjs": "leaflet.markercluster-1.1.0/leaflet.markercluster.js",
    "markerclustercss": "leaflet.markercluster-1.1.0/MarkerCluster.css",
    "markerclusterdefaultcss": "leaflet.markercluster-1.1.0/MarkerCluster.Default.css",
}

NORWAY_CENTER = (64.5, 12.0)
FALLBACK_COLOR = "#777777"
_COLOR = re.compile(r"#[0-9a-fA-F]{3}(?:[0-9a-fA-F]{3})?(?:[0-9a-fA-F]{2})?")

# Built once per marker in the browser; row = [lat, lon, colour, popup html, tooltip html].
MARKER_CALLBACK = """function (row) {
    var marker = L.circleMarker(new L.LatLng(row[0], row[1]), {
        radius: 7, weight: 1, color: "#222222", opacity: 0.9,
        fillColor: row[2], fillOpacity: 0.85
    });
    marker.bindPopup(row[3], {maxWidth: 360});
    marker.bindTooltip(row[4]);
    return marker;
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
    """A FastMarkerCluster whose rows are embedded as script-safe JSON (see :func:`script_json`)."""

    _template = Template(
        """
        {% macro script(this, kwargs) %}
            var {{ this.get_name() }} = (function(){
                {{ this.callback }}
                var data = {{ this.data_json }};
                var cluster = L.markerClusterGroup({{ this.options|tojavascript }});
                for (var i = 0; i < data.length; i++) {
                    callback(data[i]).addTo(cluster);
                }
                cluster.addTo({{ this._parent.get_name() }});
                return cluster;
            })();
        {% endmacro %}"""
    )

    def __init__(self, rows: list[list[object]], name: str, **options: object):
        super().__init__([], callback=MARKER_CALLBACK, name=name, **options)
        self.data_json = script_json(rows)


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
            .geoplan-unit th {text-align: left; padding: 0 8px 0 0; font-weight: 600;}
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


def _number(value: float, decimals: int = 0) -> str:
    text = f"{value:,.{decimals}f}".replace(",", "\u00a0")
    return text.replace(".", ",")


def _format(field: UnitField, value: object, lang: str) -> str:
    if field.kind == BOOL:
        return t("yes" if bool(value) else "no", lang)
    if field.kind == MONEY:
        return _number(float(value))
    if field.kind == FLOAT:
        return _number(float(value), 0 if float(value).is_integer() else 1)
    if field.kind == INT and isinstance(value, float):
        return str(int(value))
    if isinstance(value, dt.date | pd.Timestamp):
        return value.strftime("%Y-%m-%d")
    return str(value)


# The popup's rows in order: the unit fields shown in the popup, by their position there.
POPUP_ROWS: tuple[UnitField, ...] = shown_in("popup")
POPUP_FIELDS: tuple[str, ...] = tuple(f.name for f in POPUP_ROWS)


def popup_html(rec: dict, types: Vocabulary, lang: str = "nb", show_address: bool = True) -> str:
    """Return the escaped HTML of one unit's popup (``rec`` holds the register's fields).

    Without ``show_address`` the popup names no address and no field that locates the unit.
    """
    vocabs = vocabularies(types)
    place = " ".join(p for p in (rec.get("postal_code"), rec.get("place")) if not is_blank(p))
    head = [f"<b>{html.escape(str(rec['unit_id']))}</b>"]
    for line in (rec.get("address") if show_address else None, place):
        if not is_blank(line):
            head.append(html.escape(str(line)))
    rows = []
    for field in POPUP_ROWS:
        value = rec.get(field.name)
        if is_blank(value) or (field.locates and not show_address):
            continue
        text = (vocabs[field.name].label(value, lang) if field.name in vocabs
                else _format(field, value, lang))
        rows.append(
            f"<tr><th>{html.escape(t(field.name, lang))}</th>"
            f"<td>{html.escape(text)}</td></tr>"
        )
    return f"<div class='geoplan-unit'>{'<br>'.join(head)}<table>{''.join(rows)}</table></div>"


def marker_rows(units: gpd.GeoDataFrame, types: Vocabulary, lang: str = "nb",
                show_address: bool = True) -> list[list]:
    """Return one ``[lat, lon, colour, popup, tooltip]`` row per unit, every string escaped.

    The tooltip is the address, or the unit id when there is none or addresses may not be shown.
    """
    lon, lat = lonlat(units)
    colors = {code: safe_color(c) for code, c in types.colors().items()}
    frame = pd.DataFrame(units.drop(columns=units.geometry.name, errors="ignore"))
    frame["address"] = address(units)
    rows = []
    for y, x, rec in zip(lat, lon, frame.to_dict("records"), strict=True):
        if not (np.isfinite(x) and np.isfinite(y)):
            continue
        tooltip = html.escape((rec["address"] if show_address else "") or str(rec["unit_id"]))
        rows.append([round(float(y), 6), round(float(x), 6),
                     colors.get(rec["unit_type"], FALLBACK_COLOR),
                     popup_html(rec, types, lang, show_address), tooltip])
    return rows


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


def _areas_layer(areas: gpd.GeoDataFrame, name: str, lang: str) -> folium.GeoJson:
    shown = areas.to_crs(DISPLAY_EPSG)
    data = gpd.GeoDataFrame({"name": area_names(shown)}, geometry=shown.geometry.values,
                            crs=DISPLAY_EPSG)
    return folium.GeoJson(
        data,
        name=html.escape(name),  # the layer control writes names as HTML; system names are free text
        style_function=lambda _f: {"color": "#444444", "weight": 1.5, "fillColor": "#888888",
                                   "fillOpacity": 0.05},
        highlight_function=lambda _f: {"weight": 3, "fillOpacity": 0.15},
        tooltip=folium.GeoJsonTooltip(fields=["name"],
                                      aliases=[html.escape(t("area_name", lang))], sticky=True),
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
) -> folium.Map:
    """Return a folium map of ``units`` (EPSG:25833) over ``areas`` with legend and basemaps.

    ``asset_base`` is a URL under which the files of LOCAL_ASSETS are served (the app uses
    Streamlit's static serving); without it folium's CDN links are used.  ``overlays`` are
    further layers (see :mod:`geoplan.ui.purchase_map`), drawn above the areas and listed in
    the layer control.  Without ``show_address`` the unit markers name no address.
    """
    m = folium.Map(location=NORWAY_CENTER, zoom_start=5, tiles=None, control_scale=True)
    for i, basemap in enumerate(BASEMAPS):
        folium.TileLayer(
            basemap.url, attr=basemap.attribution, name=t(basemap.name_key, lang),
            max_zoom=basemap.max_zoom, overlay=False, control=True, show=i == 0,
        ).add_to(m)
    if areas is not None and len(areas):
        _areas_layer(areas, area_label or t("layer_areas", lang), lang).add_to(m)
    for layer in overlays:
        layer.add_to(m)
    if len(units):
        UnitMarkers(
            marker_rows(units, types, lang, show_address), name=t("layer_units", lang),
            chunkedLoading=True, showCoverageOnHover=False, maxClusterRadius=50,
        ).add_to(m)
        Legend(t("legend_title", lang), legend_items(units, types, lang)).add_to(m)
    Styles().add_to(m)
    folium.LayerControl(collapsed=True).add_to(m)
    bounds = _bounds(units, areas)
    if bounds is not None:
        m.fit_bounds(bounds, padding=(20, 20), max_zoom=16)
    if asset_base:
        use_local_assets(m, asset_base)
    return m
