"""The dashboard's map drawn offline with matplotlib: for the meeting papers and for slides.

No tiles and no network: the map is the area geometries of :class:`geoplan.service.Dashboard`
(EPSG:25833, metres) filled with the dashboard's share classes
(:func:`geoplan.ui.dashboard_view.share_classes`), with a legend, a scale bar, a north arrow and
an attribution line.  Figures are made with matplotlib's object interface on the Agg canvas
(no pyplot, so no global backend state and nothing to close in a long-running app).
"""

from __future__ import annotations

import io
import math
from typing import TYPE_CHECKING

from geoplan.ui import dashboard_view as view
from geoplan.ui.format import cap_pct, num
from geoplan.ui.i18n import area_system_label, t

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

    from geoplan.service import Dashboard

EDGE_COLOR = "#636363"
OVER_CAP_EDGE = "#000000"
INSET_COLOR = "#d7301f"
SLIDE_SIZE_PX: tuple[int, int] = (1920, 1080)
SLIDE_DPI = 120


def new_figure(width_in: float, height_in: float, dpi: float = 100) -> Figure:
    """A matplotlib Figure on the Agg canvas (set here, never through pyplot)."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    fig = Figure(figsize=(width_in, height_in), dpi=dpi)
    FigureCanvasAgg(fig)
    return fig


def png_bytes(fig: Figure, dpi: float | None = None) -> bytes:
    """The figure as PNG bytes at its own size (no tight cropping, so the size is exact)."""
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=dpi or fig.dpi)
    return buffer.getvalue()


def nice_length(span: float) -> float:
    """A round scale-bar length (1, 2 or 5 times a power of ten) of about a fifth of ``span``."""
    if not span > 0:
        return 1.0
    target = span / 5
    power = 10 ** math.floor(math.log10(target))
    return max(m * power for m in (1, 2, 5) if m * power <= target)


def length_text(metres: float, lang: str = "nb") -> str:
    """A scale-bar label: "500 m" or "10 km" (decimal comma in bokmål: "2,5 km")."""
    if metres < 1000:
        return f"{num(metres, lang, 0)} m"
    km = metres / 1000
    return f"{num(km, lang, 0 if km == int(km) else 1)} km"


def draw_areas(ax: Axes, d: Dashboard) -> None:
    """Fill each area with its share class; areas over the cap get a thick black edge."""
    areas = d.areas
    if areas.empty:
        ax.set_axis_off()
        return
    colours = [view.class_color(int(c)) for c in view.share_classes(d)]
    areas.plot(ax=ax, color=colours, edgecolor=EDGE_COLOR, linewidth=0.4)
    over = areas[areas["over_cap"].to_numpy(bool)]
    if len(over):
        over.boundary.plot(ax=ax, color=OVER_CAP_EDGE, linewidth=1.6)
    ax.set_aspect("equal")
    ax.set_axis_off()


def draw_scale_bar(ax: Axes, lang: str = "nb", fontsize: float = 7) -> None:
    """A black-and-white scale bar in the lower left corner (the axes are in metres)."""
    x0, x1 = ax.get_xlim()
    y0, y1 = ax.get_ylim()
    length = nice_length(x1 - x0)
    height = (y1 - y0) * 0.012
    left, bottom = x0 + (x1 - x0) * 0.04, y0 + (y1 - y0) * 0.04
    for i, colour in enumerate(("black", "white")):
        ax.add_patch(_rectangle((left + i * length / 2, bottom), length / 2, height, colour))
    ax.text(left + length / 2, bottom + height * 1.8, length_text(length, lang),
            fontsize=fontsize, ha="center", va="bottom", zorder=6)


def _rectangle(xy: tuple[float, float], width: float, height: float, colour: str):
    from matplotlib.patches import Rectangle

    return Rectangle(xy, width, height, facecolor=colour, edgecolor="black", linewidth=0.6,
                     zorder=5)


def draw_north_arrow(ax: Axes, fontsize: float = 10) -> None:
    """A north arrow in the upper right corner (EPSG:25833 grid north is close to true north)."""
    ax.annotate("N", xy=(0.95, 0.96), xytext=(0.95, 0.86), xycoords="axes fraction",
                ha="center", va="center", fontsize=fontsize, fontweight="bold",
                arrowprops={"facecolor": "black", "width": 3, "headwidth": 9, "headlength": 9})


def legend_handles(d: Dashboard, lang: str = "nb") -> list:
    """Legend patches: each share class, suppressed, unknown and the over-the-cap edge."""
    from matplotlib.patches import Patch

    handles = [Patch(facecolor=colour, edgecolor=EDGE_COLOR, linewidth=0.4, label=label)
               for colour, label in view.legend_items(d, lang)]
    handles.append(Patch(facecolor="white", edgecolor=OVER_CAP_EDGE, linewidth=1.6,
                         label=t("report.legend_over_cap", lang, cap=cap_pct(d.max_area_share, lang))))
    return handles


def attribution(d: Dashboard, lang: str = "nb") -> str:
    """The attribution line: the area system, the date and that no background map is used."""
    return t("report.attribution", lang, system=area_system_label(d.system, lang),
             date=view.day_text(d.on, lang))


# Where each part goes, in figure fractions (left, bottom, width, height): A4 portrait for the
# meeting papers, 16:9 for slides.  The inset is left out when no town centre needs one.
# "alone" holds the map's and the legend's places when there is no inset.
LAYOUTS: dict[str, dict] = {
    "a4": {"map": (0.0, 0.06, 0.60, 0.94), "inset": (0.62, 0.56, 0.38, 0.40),
           "legend": (0.62, 0.52), "alone": ((0.0, 0.06, 0.60, 0.94), (0.62, 0.90)),
           "font": 7.5, "title_font": 8, "note_font": 6.5, "arrow_font": 10},
    "slide": {"map": (0.01, 0.06, 0.46, 0.84), "inset": (0.48, 0.40, 0.26, 0.50),
              "legend": (0.745, 0.88), "alone": ((0.01, 0.06, 0.70, 0.84), (0.745, 0.88)),
              "font": 12, "title_font": 13, "note_font": 11, "arrow_font": 14},
}
INSET_SMALL = 1 / 25  # an area smaller than this share of the largest one is "small"


def inset_bounds(d: Dashboard) -> tuple[float, float, float, float] | None:
    """The extent of the small areas (a town centre) when the whole map would hide them.

    Areas smaller than :data:`INSET_SMALL` of the largest area count as small.  Returns their
    padded bounds (minx, miny, maxx, maxy) when there are at least two and they span less than
    a quarter of the map's width and height; otherwise None (no inset).
    """
    areas = d.areas
    if len(areas) < 3:
        return None
    size = areas.geometry.area.to_numpy(float)
    small = areas[size < INSET_SMALL * size.max()]
    if len(small) < 2:
        return None
    x0, y0, x1, y1 = small.total_bounds
    X0, Y0, X1, Y1 = areas.total_bounds
    if (x1 - x0) > (X1 - X0) / 4 or (y1 - y0) > (Y1 - Y0) / 4:
        return None
    pad = 0.1 * max(x1 - x0, y1 - y0)
    return x0 - pad, y0 - pad, x1 + pad, y1 + pad


def map_figure(d: Dashboard, lang: str = "nb", width_in: float = 6.7, height_in: float = 5.6,
               dpi: float = 200, layout: str = "a4") -> Figure:
    """The dashboard's map as a Figure: areas, an inset of the town centre when needed, legend,
    scale bar, north arrow and attribution; ``layout`` is a key of :data:`LAYOUTS`."""
    spec = LAYOUTS[layout]
    fig = new_figure(width_in, height_in, dpi)
    bounds = inset_bounds(d)
    map_rect, legend_at = (spec["map"], spec["legend"]) if bounds else spec["alone"]
    ax = fig.add_axes(map_rect)
    draw_areas(ax, d)
    _pad(ax)
    draw_scale_bar(ax, lang, fontsize=spec["font"])
    draw_north_arrow(ax, fontsize=spec["arrow_font"])
    if bounds is not None:
        inset = fig.add_axes(spec["inset"])
        draw_areas(inset, d)
        inset.set_xlim(bounds[0], bounds[2])
        inset.set_ylim(bounds[1], bounds[3])
        inset.set_axis_on()
        inset.set_xticks([])
        inset.set_yticks([])
        inset.set_xlabel("")
        inset.set_ylabel("")
        for spine in inset.spines.values():
            spine.set_edgecolor(INSET_COLOR)
        ax.add_patch(_frame(bounds))
        draw_scale_bar(inset, lang, fontsize=spec["font"])
    fig.legend(handles=legend_handles(d, lang), title=t("dash.legend_title", lang),
               loc="upper left", bbox_to_anchor=legend_at, frameon=False,
               fontsize=spec["font"], title_fontsize=spec["title_font"], alignment="left")
    fig.text(0.0 if layout == "a4" else 0.01, 0.01, attribution(d, lang),
             fontsize=spec["note_font"], color="#444444")
    return fig


def _frame(bounds: tuple[float, float, float, float]):
    """The inset's extent drawn on the main map."""
    from matplotlib.patches import Rectangle

    x0, y0, x1, y1 = bounds
    return Rectangle((x0, y0), x1 - x0, y1 - y0, fill=False, edgecolor=INSET_COLOR, linewidth=1.0,
                     zorder=6)


def _pad(ax: Axes, margin: float = 0.03) -> None:
    """Leave a small margin around the areas for the scale bar and the north arrow."""
    x0, x1 = ax.get_xlim()
    y0, y1 = ax.get_ylim()
    dx, dy = (x1 - x0) * margin, (y1 - y0) * margin
    ax.set_xlim(x0 - dx, x1 + dx)
    ax.set_ylim(y0 - 3 * dy, y1 + dy)


def map_png(d: Dashboard, lang: str = "nb", size_px: tuple[int, int] = SLIDE_SIZE_PX) -> bytes:
    """The map alone as a PNG of exactly ``size_px`` pixels (default 1920 × 1080, for slides)."""
    width, height = size_px
    fig = map_figure(d, lang, width / SLIDE_DPI, height / SLIDE_DPI, SLIDE_DPI, layout="slide")
    fig.text(0.02, 0.965, view.title(d, lang), fontsize=18, fontweight="bold", va="top")
    return png_bytes(fig)


def png_size(data: bytes) -> tuple[int, int]:
    """(width, height) of a PNG from its header."""
    if data[:8] != b"\x89PNG\r\n\x1a\n":
        raise ValueError("not a PNG")
    return int.from_bytes(data[16:20], "big"), int.from_bytes(data[20:24], "big")

