"""Disclosure control for public figures: small counts hidden, and not recoverable by subtraction.

The rule (README, "Public figures"): a count of 0 is shown as 0; a count from 1 to
``min_count - 1`` is suppressed (None); every other count is rounded to the nearest multiple of
:data:`ROUNDING_BASE` (halves up).  Every published count, in every area system and every total,
goes through :func:`protect_counts`, and shares or rates are computed from the published count,
never the true one.  Because each published number is off by up to ``ROUNDING_BASE // 2`` from
the truth, subtracting one table from another (a delområde minus its grunnkretser, the municipal
total minus every area) leaves an interval, not a value: a suppressed cell cannot be pinned down.
``tests/test_disclosure.py`` runs that differencing attack by brute force.
"""

from __future__ import annotations

import numpy as np

ROUNDING_BASE = 5


def protect_counts(counts: np.ndarray, min_count: int, base: int = ROUNDING_BASE) -> np.ndarray:
    """Return the publishable counts: 0 stays 0, 1..min_count-1 become NaN, the rest rounded.

    Parameters
    ----------
    counts : true counts (NaN for unknown stays NaN).
    min_count : the smallest count that may be shown (policy ``min_count``).
    base : round shown counts to a multiple of this (1 = no rounding).

    Returns
    -------
    numpy.ndarray of float, NaN where suppressed or unknown.
    """
    c = np.asarray(counts, dtype=float)
    out = np.where(np.isfinite(c), base * np.floor(c / base + 0.5), np.nan)
    small = np.isfinite(c) & (c > 0) & (c < min_count)
    out[small] = np.nan
    # a rounded count never shows below min_count: 5..7 round to 5, but with min_count 8 a true
    # 8 would round to 10 and a 7 is hidden; a shown value below min_count would hint at one
    out[np.isfinite(out) & (out > 0) & (out < min_count)] = base * np.ceil(min_count / base)
    return out


def protect_count(count: float, min_count: int, base: int = ROUNDING_BASE) -> int | None:
    """:func:`protect_counts` for one count: an int, or None when suppressed or unknown."""
    value = protect_counts(np.array([count]), min_count, base)[0]
    return None if not np.isfinite(value) else int(value)


def protected_ratio(published: np.ndarray, denominator: np.ndarray, scale: float = 1.0) -> np.ndarray:
    """``scale * published / denominator`` from published counts; NaN where either is unknown."""
    num = np.asarray(published, dtype=float)
    den = np.asarray(denominator, dtype=float)
    ok = np.isfinite(num) & np.isfinite(den) & (den > 0)
    return np.divide(num * scale, den, out=np.full(num.shape, np.nan), where=ok)
