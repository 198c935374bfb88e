"""Number formatting for texts shown to people, in bokmål (decimal comma) or English."""

from __future__ import annotations

import math


def num(value: float, lang: str = "nb", decimals: int = 2) -> str:
    """Format a number with a decimal comma in bokmål; NaN becomes "ukjent"/"unknown"."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "ukjent" if lang == "nb" else "unknown"
    text = f"{value:,.{decimals}f}".replace(",", "\u00a0")
    return text.replace(".", ",") if lang == "nb" else text.replace("\u00a0", ",")


def pct(share: float, lang: str = "nb", decimals: int = 1) -> str:
    """Format a share (0.142) as a percentage ("14,2 %" / "14.2 %")."""
    if share is None or (isinstance(share, float) and math.isnan(share)):
        return num(share, lang)
    return f"{num(100 * share, lang, decimals)} %"


def count_text(n: float) -> str:
    """Format a count as a whole number."""
    return str(int(n))


def cap_pct(share: float, lang: str = "nb") -> str:
    """Format a cap as a percentage without needless decimals ("10 %", "9,5 %")."""
    whole = abs(100 * share - round(100 * share)) < 1e-9
    return pct(share, lang, 0 if whole else 1)


def nok(value: float, lang: str = "nb") -> str:
    """Format an amount of money in kroner ("2 500 000 kr" / "NOK 2,500,000")."""
    return f"{num(value, lang, 0)} kr" if lang == "nb" else f"NOK {num(value, lang, 0)}"


def ordinal(n: int) -> str:
    """Return 1st, 2nd, 3rd, 4th … (English ordinals)."""
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


def column_decimals(values) -> int:
    """The decimals a column of numbers is shown with: 0 when every value is whole, 3 below 1
    (shares, indices: 0,064), else 1 (8,1; 1 234,5)."""
    import numpy as np

    a = np.asarray(values, dtype=float)
    a = a[np.isfinite(a)]
    if a.size == 0 or np.all(a == np.round(a)):
        return 0
    return 3 if np.max(np.abs(a)) < 1 else 1


def table_styler(frame, lang: str = "nb", decimals: dict[str, int] | None = None,
                 colours: dict[str, dict[str, str]] | None = None, missing: str = ""):
    """A pandas Styler showing ``frame`` by the language's conventions, values kept as numbers.

    Numbers get a decimal comma and a space between thousands in bokmål (8,1; 1 234; 0,064),
    a point and a comma in English; dates are dd.mm.åååå in bokmål (yyyy-mm-dd in English);
    missing values are empty (or ``missing``, e.g. "ukjent").  ``decimals`` fixes a column's
    decimals (default: :func:`column_decimals`).  ``colours`` gives a column's cells a
    background colour by their text (column -> {text: CSS colour}), e.g. a verdict's word
    "Grønt" on green: the word stays, so the meaning does not depend on the colour (nor on an
    emoji font).  The table
    still sorts by the numbers, not by the text.
    """
    import datetime as dt

    import pandas as pd

    decimals = dict(decimals or {})
    formats = {}
    for col in frame.columns:
        series = frame[col]
        if pd.api.types.is_bool_dtype(series):
            continue
        if pd.api.types.is_numeric_dtype(series):
            d = decimals.get(col, column_decimals(series))
            formats[col] = (lambda v, d=d: missing if v is None or v != v else num(v, lang, d))
        elif pd.api.types.is_datetime64_any_dtype(series) or series.map(
                lambda v: isinstance(v, dt.date)).any():
            clock = bool(series.map(
                lambda v: isinstance(v, dt.datetime) and v.time() != dt.time()).any())
            formats[col] = (lambda v, c=clock: date_text(v, lang, c))
    styler = frame.style.format(formats, na_rep=missing)
    for col, by_text in (colours or {}).items():
        if col in frame.columns:
            styler = styler.map(lambda v, m=by_text: _cell_colour(m.get(v)), subset=[col])
    return styler


def _cell_colour(colour: str | None) -> str:
    """The CSS of a coloured cell (light background, dark text), '' for none."""
    return f"background-color: {colour}; color: #000000" if colour else ""


# Light backgrounds of the verdict and class colours in tables (the word stays in the cell).
CELL_COLOURS: dict[str, str] = {"green": "#c7e9c0", "amber": "#fdd49e", "red": "#fcbba1",
                                "unknown": "#e0e0e0"}
# Streamlit's date_input format and Plotly's date format per language.
DATE_INPUT_FORMAT: dict[str, str] = {"nb": "DD.MM.YYYY", "en": "YYYY-MM-DD"}
CHART_DATE_FORMAT: dict[str, str] = {"nb": "%d.%m.%Y", "en": "%Y-%m-%d"}


def date_input_format(lang: str = "nb") -> str:
    """The ``format`` of ``st.date_input`` in ``lang``: DD.MM.YYYY in bokmål."""
    return DATE_INPUT_FORMAT["en" if lang == "en" else "nb"]


def plotly_separators(lang: str = "nb") -> str:
    """Plotly's ``layout.separators`` for ``lang``: the decimal separator, then the thousands
    separator.  Bokmål: a decimal comma and a space (0,19; 12 500; a chart's text never wraps)."""
    return ".," if lang == "en" else ", "


def chart_locale(fig, lang: str = "nb", date_axes: tuple[str, ...] = ()):
    """Set a Plotly figure's number and date formats for ``lang`` and return it.

    Numbers (ticks, hover texts) follow :func:`plotly_separators`; the axes named in
    ``date_axes`` (e.g. ``("x",)``) show dates as dd.mm.åååå in bokmål.
    """
    fig.update_layout(separators=plotly_separators(lang))
    fmt = CHART_DATE_FORMAT["en" if lang == "en" else "nb"]
    for axis in date_axes:
        fig.update_layout({f"{axis}axis": {"tickformat": fmt, "hoverformat": fmt}})
    return fig


def date_text(value, lang: str = "nb", clock: bool = False) -> str:
    """A date as dd.mm.åååå (bokmål) or yyyy-mm-dd (English); '' for none.  With ``clock`` a
    date and time also shows the time ("05.01.2026 14:03:09")."""
    import datetime as dt

    if value is None or value != value or not isinstance(value, dt.date):
        return "" if value is None or value != value else str(value)
    day = f"{value:%d.%m.%Y}" if lang != "en" else f"{value:%Y-%m-%d}"
    return f"{day} {value:%H:%M:%S}" if clock and isinstance(value, dt.datetime) else day
