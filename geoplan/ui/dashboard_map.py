"""The dashboard's map: a choropleth of the published municipal share per area (folium).

No Streamlit here.  The map reads a :class:`geoplan.service.Dashboard` only, so it never sees a
unit: each area carries its escaped name, its published count (``units``: 0, ``None`` when
suppressed, otherwise at least ``min_count`` and a multiple of the rounding base in the public
version) and the texts of its tooltip.  Nothing else about an area (population, dwellings,
codes) goes into the GeoJSON.  The projector may have no internet, so there is no background
map unless asked for (``basemap=True``), and Leaflet is loaded from ``asset_base`` when given
(see :func:`geoplan.ui.mapview.use_local_assets`).
"""

from __future__ import annotations

import html
from typing import TYPE_CHECKING

import folium
import geopandas as gpd
import pandas as pd
from branca.element import MacroElement
from folium.template import Template

from geoplan.crs import DISPLAY_EPSG
from geoplan.ui.dashboard_view import (
    area_name,
    class_color,
    count_text,
    day_text,
    legend_items,
    share_classes,
    share_text,
)
from geoplan.ui.i18n import area_system_label, t
from geoplan.ui.mapview import (
    KARTVERKET_TOPO,
    NORWAY_CENTER,
    Legend,
    safe_color,
    script_json,
    use_local_assets,
)

if TYPE_CHECKING:
    from geoplan.service import Dashboard

# the properties each area carries into the page's GeoJSON (and nothing else)
LEGEND_ROOM = (300, 10)  # px kept free on the left for the legend when fitting the areas
FEATURE_PROPERTIES = ("name", "units", "count_text", "share_text", "fill")
FONT_PX = 22  # legend, date and tooltip text on the projector


class Panel(Legend):
    """A Leaflet control holding pre-escaped HTML (the legend and the date of the dashboard)."""

    def __init__(self, body_html: str, position: str):
        MacroElement.__init__(self)
        self._name = "Panel"
        self.position = position
        self.html = body_html
        self.html_json = script_json(body_html)


class DashboardStyles(MacroElement):
    """Large, high-contrast legend, date and tooltips, and a white sea where there are no tiles."""

    _template = Template(
        """
        {% macro header(this, kwargs) %}
            <style>
            .leaflet-container {background: #ffffff;}
            .geoplan-legend {background: rgba(255,255,255,0.95); color: #000; padding: 8px 12px;
                border: 1px solid #444; border-radius: 4px; font: """ + str(FONT_PX) + """px/1.35
                sans-serif;}
            .geoplan-legend h4 {font-size: """ + str(FONT_PX) + """px; font-weight: 700;
                margin: 0 0 6px 0; max-width: 360px;}
            .geoplan-legend i {display: inline-block; width: 22px; height: 18px;
                border: 1px solid #333; margin-right: 8px; vertical-align: middle;}
            .leaflet-tooltip {font: """ + str(FONT_PX) + """px/1.35 sans-serif; color: #000;}
            .leaflet-tooltip th {text-align: left; padding-right: 10px;}
            .leaflet-control-scale-line {font-size: 18px; color: #000; border-color: #000;
                background: rgba(255,255,255,0.9);}
            .leaflet-control-scale-line:not(:first-child) {display: none;}
            </style>
        {% endmacro %}"""
    )


def feature_frame(d: Dashboard, lang: str = "nb") -> gpd.GeoDataFrame:
    """The areas as the map shows them (EPSG:4326), every text escaped.

    Returns
    -------
    GeoDataFrame with FEATURE_PROPERTIES: ``name`` (escaped), ``units`` (the published count,
    None when suppressed or unknown), ``count_text`` and ``share_text`` (escaped tooltip texts)
    and ``fill`` (the class colour of :func:`geoplan.ui.dashboard_view.share_classes`).
    """
    areas = d.areas.to_crs(DISPLAY_EPSG)
    units = [None if u is None or u != u else int(u) for u in areas["units"]]
    return gpd.GeoDataFrame({
        "name": [html.escape(area_name(c, n)) for c, n in
                 zip(areas["code"], areas["name"], strict=True)],
        "units": pd.Series(units, dtype=object),  # None stays None (null), ints stay ints
        "count_text": [html.escape(count_text(u, d.min_count, lang)) for u in units],
        "share_text": [html.escape(share_text(s, lang)) for s in areas["share"]],
        "fill": [safe_color(class_color(int(c))) for c in share_classes(d)],
    }, geometry=areas.geometry.to_numpy(), crs=DISPLAY_EPSG)


def legend_html(d: Dashboard, lang: str = "nb") -> str:
    """The legend's HTML: a title and one swatch per share class (escaped)."""
    rows = "".join(f'<div><i style="background:{safe_color(c)}"></i>{html.escape(label)}</div>'
                   for c, label in legend_items(d, lang))
    return f"<h4>{html.escape(t('dash.legend_title', lang))}</h4>{rows}"


def date_html(d: Dashboard, lang: str = "nb") -> str:
    """The map's date and area system (escaped)."""
    return "<b>" + html.escape(t("dash.map_date", lang, date=day_text(d.on, lang),
                                 system=area_system_label(d.system, lang))) + "</b>"


def dashboard_map(d: Dashboard, lang: str = "nb", asset_base: str | None = None,
                  basemap: bool = False) -> folium.Map:
    """Return the choropleth of the published share per area, with legend, scale bar and date.

    Parameters
    ----------
    d : the dashboard's figures (use the public version for anything shown to the public).
    lang : "nb" or "en".
    asset_base : URL of the vendored Leaflet files (works without internet); None: CDN.
    basemap : draw Kartverket's topographic map below the areas (needs internet).
    """
    m = folium.Map(location=NORWAY_CENTER, zoom_start=5, tiles=None, control_scale=True,
                   zoom_control=False, attribution_control=basemap, zoom_snap=0.25)
    if basemap:
        folium.TileLayer(KARTVERKET_TOPO.url, attr=KARTVERKET_TOPO.attribution,
                         name=t(KARTVERKET_TOPO.name_key, lang),
                         max_zoom=KARTVERKET_TOPO.max_zoom).add_to(m)
    features = feature_frame(d, lang)
    if len(features):
        folium.GeoJson(
            features, name=html.escape(t("dash.legend_title", lang)),
            style_function=lambda f: {"fillColor": f["properties"]["fill"], "color": "#222222",
                                      "weight": 1.2, "fillOpacity": 0.9},
            highlight_function=lambda _f: {"weight": 4, "color": "#000000"},
            tooltip=folium.GeoJsonTooltip(
                fields=["name", "count_text", "share_text"],
                aliases=[html.escape(t(k, lang)) for k in
                         ("dash.tooltip_area", "dash.units", "dash.tooltip_share")],
                sticky=True),
        ).add_to(m)
        x0, y0, x1, y1 = features.total_bounds
        m.fit_bounds([[float(y0), float(x0)], [float(y1), float(x1)]],
                     padding_top_left=LEGEND_ROOM, padding_bottom_right=(10, 10))
    Panel(legend_html(d, lang), "bottomleft").add_to(m)
    Panel(date_html(d, lang), "topright").add_to(m)
    DashboardStyles().add_to(m)
    if asset_base:
        use_local_assets(m, asset_base)
    return m
