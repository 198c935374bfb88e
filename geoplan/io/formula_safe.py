"""Cells that are safe to open in a spreadsheet: formula injection neutralised, and undone on import.

OWASP's guidance on CSV injection: a text cell that begins with ``=``, ``+``, ``-``, ``@``, a tab
or a carriage return may be run as a formula by Excel or LibreOffice, so it is written with a
single quote in front (``=HYPERLINK(…)`` is written ``'=HYPERLINK(…)``) and stays text.  Numbers
stay numbers (a negative number is not text and is never quoted).

A text that already begins with a quote followed by one of those characters or by another quote
gets a quote too, so :func:`restore_text` can undo :func:`neutralise_text` exactly:
``restore_text(neutralise_text(s)) == s`` for every string ``s``.  The importer calls
:func:`restore_text` on every text cell, so an exported register imports back unchanged.
"""

from __future__ import annotations

import pandas as pd

# The first characters that make a spreadsheet read a cell as a formula (OWASP).
FORMULA_STARTS: tuple[str, ...] = ("=", "+", "-", "@", "\t", "\r")
QUOTE = "'"
_QUOTED_STARTS: tuple[str, ...] = (*FORMULA_STARTS, QUOTE)


def neutralise_text(value: str) -> str:
    """Return ``value`` with a quote in front when a spreadsheet could read it as a formula.

    Also quoted: a text that begins with a quote followed by a formula character or a quote, so
    that :func:`restore_text` is its exact inverse.
    """
    first = value[:1]
    if first in FORMULA_STARTS or (first == QUOTE and value[1:2] in _QUOTED_STARTS):
        return QUOTE + value
    return value


def restore_text(value: str) -> str:
    """Undo :func:`neutralise_text`: drop the quote in front of ``'=…``, ``'+…``, ``''…`` etc.

    Any other text is returned unchanged (``'s-Hertogenbosch`` keeps its quote).
    """
    if value[:1] == QUOTE and value[1:2] in _QUOTED_STARTS:
        return value[1:]
    return value


def _cell(value: object) -> object:
    return neutralise_text(value) if isinstance(value, str) else value


def neutralise(frame: pd.DataFrame) -> pd.DataFrame:
    """Return a copy of ``frame`` whose text cells and headers are safe to open in a spreadsheet.

    Every ``str`` cell and ``str`` column name goes through :func:`neutralise_text`; numbers,
    dates, booleans and blanks are kept as they are, with their dtypes.  The columns are those
    of ``frame``, in order.
    """
    out = frame.copy()
    for i in range(out.shape[1]):
        column = out.iloc[:, i]
        if column.dtype == object or pd.api.types.is_string_dtype(column.dtype) or isinstance(
                column.dtype, pd.CategoricalDtype):
            out.isetitem(i, column.astype(object).map(_cell))
    out.columns = [_cell(c) for c in out.columns]
    return out
