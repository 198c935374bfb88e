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
    ax.text(left, bottom + height * 1.8, "0", fontsize=fontsize, ha="center", va="bottom")
    ax.text(left + length, bottom + height * 1.8, length_text(length, lang), fontsize=fontsize,
            ha="center", va="bottom")


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


def map_figure(d: Dashboard, lang: str = "nb", width_in: float = 6.7, height_in: float = 6.9,
               dpi: float = 200, legend_outside: bool = False) -> Figure:
    """The dashboard's map as a Figure: areas, legend, scale bar, north arrow, attribution.

    ``legend_outside`` puts the legend to the right of the map (slides, 16:9); otherwise it sits
    below the map (A4 portrait).
    """
    fig = new_figure(width_in, height_in, dpi)
    if legend_outside:
        ax = fig.add_axes((0.02, 0.06, 0.62, 0.84))
    else:
        ax = fig.add_axes((0.0, 0.24, 1.0, 0.76))
    draw_areas(ax, d)
    _pad(ax)
    draw_scale_bar(ax, lang, fontsize=9 if legend_outside else 7)
    draw_north_arrow(ax, fontsize=14 if legend_outside else 10)
    handles = legend_handles(d, lang)
    if legend_outside:
        fig.legend(handles=handles, title=t("report.legend_title", lang), loc="center left",
                   bbox_to_anchor=(0.66, 0.55), frameon=False, fontsize=15, title_fontsize=16)
        fig.text(0.02, 0.02, attribution(d, lang), fontsize=11, color="#444444")
    else:
        fig.legend(handles=handles, title=t("report.legend_title", lang), loc="lower left",
                   bbox_to_anchor=(0.0, 0.035), ncol=2, frameon=False, fontsize=7.5,
                   title_fontsize=8, alignment="left")
        fig.text(0.0, 0.005, attribution(d, lang), fontsize=6.5, color="#444444")
    return fig


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
    fig = map_figure(d, lang, width / SLIDE_DPI, height / SLIDE_DPI, SLIDE_DPI, legend_outside=True)
    fig.text(0.02, 0.965, view.title(d, lang), fontsize=18, fontweight="bold", va="top")
    return png_bytes(fig)


def png_size(data: bytes) -> tuple[int, int]:
    """(width, height) of a PNG from its header."""
    if data[:8] != b"\x89PNG\r\n\x1a\n":
        raise ValueError("not a PNG")
    return int.from_bytes(data[16:20], "big"), int.from_bytes(data[20:24], "big")

