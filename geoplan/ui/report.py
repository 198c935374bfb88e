"""Meeting papers: the dashboard as an A4 PDF (ReportLab), for ``geoplan report`` and the page.

:func:`report_pdf` lays out what the dashboard shows, in the same words and classes
(:mod:`geoplan.ui.dashboard_view`): the title, municipality and date; the headline figures; the
map drawn offline (:mod:`geoplan.ui.static_map`: no tiles, no network); the trend chart; the
figures per area; the waiting list by target group; a short methods note; the data sources
and the rule that protects small counts.  It reads only a :class:`geoplan.service.Dashboard`
(area aggregates; in the public version small counts are already hidden and the rest rounded),
so it can show no unit, address or tenant.  The internal version is marked "Intern"/"Internal"
at the top of every page.

ReportLab is used because it is a pure-Python wheel (no system libraries, no browser), lays out
A4 to the millimetre, and embeds the matplotlib figures as PNG images.  The text font is DejaVu
Sans from matplotlib's own data (embedded, so æ, ø, å and non-breaking spaces come out right and
the PDF's text can be searched and extracted).
"""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path
from typing import TYPE_CHECKING
from xml.sax.saxutils import escape

from geoplan.ui import dashboard_view as view
from geoplan.ui import static_map
from geoplan.ui.format import cap_pct, num, pct
from geoplan.ui.i18n import area_system_label, t
from geoplan.ui.wording import index_name

if TYPE_CHECKING:
    from matplotlib.figure import Figure

    from geoplan.service import Dashboard

FONT = "DejaVuSans"
FONT_BOLD = "DejaVuSans-Bold"
INTERNAL_COLOR = "#b2182b"
MUTED = "#555555"
AREA_ROWS = 40  # the per-area table lists at most this many areas (highest share first)
TREND_BARS = view.SHARE_PALETTE[2]
TREND_LINE = view.SHARE_PALETTE[4]


def report_pdf(d: Dashboard, lang: str = "nb", made: dt.date | None = None) -> bytes:
    """Return the meeting papers for ``d`` as the bytes of an A4 PDF.

    Parameters
    ----------
    d : the dashboard's figures (``service.dashboard``; ``d.public`` chooses the version).
    lang : "nb" (bokmål, Norwegian number format) or "en".
    made : the date printed as "made on" (default today).
    """
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.units import cm
    from reportlab.platypus import SimpleDocTemplate

    _register_fonts()
    buffer = io.BytesIO()
    doc = SimpleDocTemplate(
        buffer, pagesize=A4, leftMargin=2 * cm, rightMargin=2 * cm, topMargin=2 * cm,
        bottomMargin=1.8 * cm, title=view.title(d, lang), author="GeoPlan",
        subject=t("report.internal_stamp" if not d.public else "report.public", lang),
    )
    story = _story(d, lang, made or dt.date.today(), doc.width)
    decorate = _page_decoration(d, lang)
    doc.build(story, onFirstPage=decorate, onLaterPages=decorate)
    return buffer.getvalue()


# --- the content, top to bottom


def _story(d: Dashboard, lang: str, made: dt.date, width: float) -> list:
    from reportlab.lib.units import cm
    from reportlab.platypus import PageBreak, Spacer

    s = _styles()
    version = t("report.public" if d.public else "report.internal", lang)
    story = [
        _p(view.title(d, lang), s["title"]),
        _p(t("report.subtitle", lang, system=area_system_label(d.system, lang), version=version,
             made=view.day_text(made, lang)), s["muted"]),
        Spacer(1, 0.4 * cm),
        _p(t("report.headline", lang), s["h2"]),
        _headline_table(d, lang, width, s),
        Spacer(1, 0.15 * cm),
        _p(view.trend_line(d, lang), s["body"]),
        Spacer(1, 0.3 * cm),
        _p(t("report.map_title", lang), s["h2"]),
        _figure(static_map.map_figure(d, lang), width),
        PageBreak(),
        _p(t("dash.trend_title", lang), s["h2"]),
        _figure(trend_figure(d, lang), width),
        _p(view.trend_line(d, lang), s["body"]),
        Spacer(1, 0.3 * cm),
        _p(t("dash.this_year_title", lang, year=d.on.year), s["h2"]),
        _pairs_table(view.this_year_rows(d, lang), width, s),
        Spacer(1, 0.3 * cm),
        _p(t("dash.waiting_title", lang, date=view.day_text(d.waiting_date, lang)), s["h2"]),
    ]
    waiting = view.supply_rows(d, lang)
    if waiting:
        story += [_supply_table(d, lang, waiting, width),
                  _p(t("dash.supply_note", lang, h=d.gap_horizon), s["muted"])]
    else:
        story.append(_p(t("dash.waiting_none", lang), s["body"]))
    story += [Spacer(1, 0.3 * cm), _p(t("report.areas_title", lang), s["h2"])]
    story += _areas_table(d, lang, width, s)
    story += [Spacer(1, 0.4 * cm), *_notes(d, lang, s)]
    return story


def _notes(d: Dashboard, lang: str, s: dict) -> list:
    """The methods note, the data sources and the suppression rule, in plain words."""
    day = view.day_text(d.on, lang)
    dissimilarity = d.headline.get("dissimilarity")
    system = area_system_label(d.system, lang)
    out = [_p(t("report.methods_title", lang), s["h2"]),
           _p(t("report.methods_units", lang, date=day), s["body"]),
           _p(t("report.methods_share", lang, cap=cap_pct(d.max_area_share, lang)), s["body"])]
    if dissimilarity is not None:
        out.append(_p(t("report.methods_d", lang, d=num(dissimilarity, lang),
                        p=pct(dissimilarity, lang, 0)), s["body"]))
    out += [_p(t("report.methods_trend", lang), s["body"]),
            _p(t("report.sources_title", lang), s["h2"]),
            _p(t("report.sources", lang, system=system,
                 date=view.day_text(d.waiting_date, lang)), s["body"]),
            _p(t("report.suppression_title", lang), s["h2"])]
    if d.public:
        out.append(_p(t("report.suppression_public", lang, below=d.min_count - 1, n=d.min_count,
                        base=d.rounding_base), s["body"]))
    else:
        out.append(_p(t("report.suppression_internal", lang), s["body"]))
    return out


def _headline_table(d: Dashboard, lang: str, width: float, s: dict):
    from reportlab.platypus import Table, TableStyle

    items = view.headline_items(d, lang)
    cells = [[[_p(value, s["big"]), _p(label, s["small"])] for label, value in items]]
    table = Table(cells, colWidths=[width / len(items)] * len(items))
    table.setStyle(TableStyle([
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("BACKGROUND", (0, 0), (-1, -1), "#f4f7fa"),
        ("LINEBEFORE", (1, 0), (-1, -1), 2, "white"),
        ("TOPPADDING", (0, 0), (-1, -1), 6), ("BOTTOMPADDING", (0, 0), (-1, -1), 6),
    ]))
    return table


def _pairs_table(rows: list[tuple[str, str]], width: float, s: dict,
                 header: tuple[str, str] | None = None):
    """A two-column table (label, count); the counts right-aligned."""
    from reportlab.platypus import Table

    data = ([list(header)] if header else []) + [list(r) for r in rows]
    table = Table(data, colWidths=[width * 0.55, width * 0.25], hAlign="LEFT")
    table.setStyle(_table_style(bool(header), numeric_from=1))
    return table


def _supply_table(d: Dashboard, lang: str, rows: list[tuple[str, ...]], width: float):
    """The waiting list against supply: group, waiting, vacant suitable units, unmet need."""
    from reportlab.platypus import Table

    data = [list(view.supply_header(d, lang))] + [list(r) for r in rows]
    table = Table(data, colWidths=[width * f for f in (0.46, 0.16, 0.16, 0.22)], hAlign="LEFT")
    table.setStyle(_table_style(True, numeric_from=1))
    return table


def _areas_table(d: Dashboard, lang: str, width: float, s: dict) -> list:
    """The figures per area, highest share first; areas over the cap in bold."""
    from reportlab.platypus import Table

    rows, more = view.area_rows(d, lang, AREA_ROWS)
    keys = ("name", "dwellings", "units", "share", "per_1000")
    header = [t(f"report.col_{k if k != 'name' else 'area'}", lang) for k in keys]
    header.append(t("report.col_over_cap", lang))
    data = [header] + [[r[k] for k in keys] + [t("report.yes", lang) if r["over_cap"] else ""]
                       for r in rows]
    table = Table(data, colWidths=[width * f for f in (0.26, 0.14, 0.14, 0.11, 0.20, 0.15)],
                  hAlign="LEFT", repeatRows=1)
    style = _table_style(True, numeric_from=1)
    for i, r in enumerate(rows, start=1):
        if r["over_cap"]:
            style.add("FONTNAME", (0, i), (-1, i), FONT_BOLD)
    table.setStyle(style)
    out = [table]
    if more:
        out.append(_p(t("report.areas_more", lang, n=more), s["muted"]))
    return out


def _table_style(header: bool, numeric_from: int):
    from reportlab.platypus import TableStyle

    commands = [
        ("FONTNAME", (0, 0), (-1, -1), FONT), ("FONTSIZE", (0, 0), (-1, -1), 9),
        ("ALIGN", (numeric_from, 0), (-1, -1), "RIGHT"),
        ("LINEBELOW", (0, 0), (-1, -1), 0.25, "#dddddd"),
        ("TOPPADDING", (0, 0), (-1, -1), 2), ("BOTTOMPADDING", (0, 0), (-1, -1), 2),
    ]
    if header:
        commands += [("FONTNAME", (0, 0), (-1, 0), FONT_BOLD),
                     ("LINEBELOW", (0, 0), (-1, 0), 0.8, "#333333")]
    return TableStyle(commands)


# --- the trend chart


def trend_figure(d: Dashboard, lang: str = "nb", width_in: float = 6.7,
                 height_in: float = 2.6, dpi: float = 200) -> Figure:
    """Published municipal units per year (bars) and the dissimilarity index D (line)."""
    from matplotlib.ticker import FuncFormatter, MaxNLocator

    fig = static_map.new_figure(width_in, height_in, dpi)
    left, right = fig.subplots(1, 2)
    years = d.trend["year"].to_numpy(int)
    left.bar(years, d.trend["units"].to_numpy(float), color=TREND_BARS)
    left.set_title(t("report.trend_units", lang), fontsize=9)
    right.plot(years, d.trend["dissimilarity"].to_numpy(float), color=TREND_LINE, marker="o",
               markersize=3)
    right.set_title(index_name("dissimilarity", lang), fontsize=9)
    right.set_ylim(bottom=0)
    decimals = {left: 0, right: 2}
    for ax in (left, right):
        ax.xaxis.set_major_locator(MaxNLocator(integer=True, nbins=6))
        ax.yaxis.set_major_formatter(FuncFormatter(
            lambda v, _pos, ax=ax: num(v, lang, decimals[ax])))
        ax.tick_params(labelsize=7)
        ax.spines[["top", "right"]].set_visible(False)
        ax.set_xlabel(t("year", lang), fontsize=7)
    fig.tight_layout()
    return fig


# --- ReportLab helpers


def _figure(fig: Figure, width: float):
    """A matplotlib figure as a PNG image ``width`` points wide, keeping its aspect."""
    from reportlab.platypus import Image

    w, h = fig.get_size_inches()
    return Image(io.BytesIO(static_map.png_bytes(fig)), width=width, height=width * h / w)


def _p(text: str, style):
    """A Paragraph of plain text: the text is escaped (area and municipality names are data)."""
    from reportlab.platypus import Paragraph

    return Paragraph(escape(text), style)


def _styles() -> dict:
    from reportlab.lib.styles import ParagraphStyle

    base = ParagraphStyle("body", fontName=FONT, fontSize=9.5, leading=13, spaceAfter=4)
    return {
        "body": base,
        "title": ParagraphStyle("title", base, fontName=FONT_BOLD, fontSize=17, leading=21),
        "h2": ParagraphStyle("h2", base, fontName=FONT_BOLD, fontSize=12, leading=15,
                             spaceBefore=4),
        "muted": ParagraphStyle("muted", base, textColor=MUTED, fontSize=8.5),
        "big": ParagraphStyle("big", base, fontName=FONT_BOLD, fontSize=16, leading=19,
                              spaceAfter=1),
        "small": ParagraphStyle("small", base, fontSize=8, leading=10, textColor=MUTED),
    }


def _page_decoration(d: Dashboard, lang: str):
    """Draw on every page: the version at the top right ("Intern" in red on the internal
    version), and the title and page number at the bottom."""
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.units import cm

    stamp = t("report.public" if d.public else "report.internal_stamp", lang)
    footer = view.title(d, lang)

    def decorate(canvas, doc) -> None:
        canvas.saveState()
        width, height = A4
        canvas.setFont(FONT_BOLD, 10 if not d.public else 8)
        canvas.setFillColor(INTERNAL_COLOR if not d.public else MUTED)
        canvas.drawRightString(width - 2 * cm, height - 1.2 * cm, stamp)
        canvas.setFont(FONT, 7.5)
        canvas.setFillColor(MUTED)
        canvas.drawString(2 * cm, 1.0 * cm, f"GeoPlan · {footer}")
        canvas.drawRightString(width - 2 * cm, 1.0 * cm, t("report.page", lang, n=doc.page))
        canvas.restoreState()

    return decorate


def _register_fonts() -> None:
    """Register DejaVu Sans (regular and bold) from matplotlib's data, once."""
    import matplotlib
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont

    if FONT in pdfmetrics.getRegisteredFontNames():
        return
    folder = Path(matplotlib.get_data_path()) / "fonts" / "ttf"
    pdfmetrics.registerFont(TTFont(FONT, str(folder / "DejaVuSans.ttf")))
    pdfmetrics.registerFont(TTFont(FONT_BOLD, str(folder / "DejaVuSans-Bold.ttf")))
    pdfmetrics.registerFontFamily(FONT, normal=FONT, bold=FONT_BOLD)
