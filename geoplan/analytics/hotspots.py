"""Hot spots of municipal units: Getis-Ord Gi* with conditional permutation inference.

The statistic, its analytical z-score and the permutation scheme follow esda's ``G_Local``
(``transform="R", star=True``); the tests check Gi* and z against esda to 1e-9 and the
pseudo p-values to within sampling error.  It is written out with NumPy because esda compiles
its permutation kernel with numba at every start of the process (about 18 s here), which the
app cannot afford on its first page view.

Three rules make the result something a planner can trust (the README's Methods section):

- **Tiny areas are left out.**  Areas with fewer than ``min_dwellings`` dwellings (the policy
  value ``min_hotspot_dwellings``) are not tested and are not anyone's neighbour in the test;
  they are reported as :data:`TOO_FEW`.  One unit in 4 dwellings is a share of 25 %, which
  would dominate every neighbourhood it belongs to.
- **Testing every area at once is corrected for.**  The pseudo p-values go through the
  Benjamini-Hochberg false-discovery-rate procedure (:func:`benjamini_hochberg`); at
  ``alpha = 0.05`` at most about 5 % of the areas marked are expected to be false alarms.
- **Ties count against significance.**  An area whose value equals the random draws (typically
  zero units among zero-unit neighbours) is not significant in either direction; esda counts a
  tie as "larger" and then folds, which marks every such area a cold spot at p = 0.001.  On
  data without ties both give the same p-value.

An area without neighbours among the tested areas gets no statistic and is reported as
:data:`NO_NEIGHBOURS`, never as "not significant".
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import scipy.sparse as sp

from geoplan.analytics.weights import neighbour_counts, subset

DEFAULT_ALPHA = 0.05
DEFAULT_PERMUTATIONS = 999
SEED = 3420
_CHUNK_CELLS = 4_000_000
_TIE = 1e-10  # relative: random neighbourhood sums this close to the observed one are ties

# Corrections for testing many areas at once.
FDR_BH = "fdr_bh"  # Benjamini-Hochberg false discovery rate (default)
NO_CORRECTION = "none"  # each area on its own, as esda reports p_sim
CORRECTIONS: tuple[str, ...] = (FDR_BH, NO_CORRECTION)
DEFAULT_CORRECTION = FDR_BH

# What the test says about an area (the ``cluster`` column).
HIGH, LOW, NOT_SIGNIFICANT = "high", "low", "ns"
TOO_FEW, NO_NEIGHBOURS = "too_few", "no_neighbours"
CLUSTER_CODES: tuple[str, ...] = (HIGH, LOW, NOT_SIGNIFICANT, TOO_FEW, NO_NEIGHBOURS)


def gi_star(
    y: np.ndarray, w: sp.spmatrix, permutations: int = DEFAULT_PERMUTATIONS, seed: int = SEED
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Return (Gi*, z, pseudo p) for values ``y`` and a binary weights matrix ``w``.

    Weights get a self-weight of 1 and are row-standardised.  The pseudo p-value holds each
    area's own value fixed and draws its neighbours' values from the other areas
    ``permutations`` times: ``(min(at least as large, at most as large) + 1) / (perms + 1)``,
    the smaller tail with ties counted in both.  Areas without neighbours get NaN.
    """
    y = np.asarray(y, dtype=float)
    n = len(y)
    binary = sp.csr_matrix(w, dtype=float)
    binary = sp.csr_matrix(binary - sp.diags(binary.diagonal()))
    binary.eliminate_zeros()
    binary.data[:] = 1.0
    k = neighbour_counts(binary)
    row_w = 1.0 / (k + 1)
    total = y.sum()
    local = binary @ y + y  # the area's own value plus its neighbours'
    g = local * row_w / total
    mean = total / n
    var = (y**2).sum() / n - mean**2
    # esda's moments with row sums of 1: E = 1/n, V = (n - 1) / (n - 1) / n² * var / mean²
    expected = 1.0 / n
    variance = var / (n**2 * mean**2)
    z = (g - expected) / np.sqrt(variance)
    p = np.full(n, np.nan)
    if permutations and n > 2 and k.max() > 0:
        rng = np.random.default_rng(seed)
        kmax = int(k.max())
        rids = np.stack([rng.choice(n - 1, size=kmax, replace=False)
                         for _ in range(permutations)])
        chunk = max(1, _CHUNK_CELLS // max(1, permutations * kmax))
        cols = np.arange(kmax)
        for start in range(0, n, chunk):
            i = np.arange(start, min(n, start + chunk))
            ids = rids[None, :, :] + (rids[None, :, :] >= i[:, None, None])
            draws = np.where(cols[None, None, :] < k[i, None, None], y[ids], 0.0)
            sums = draws.sum(axis=2) + y[i, None]
            tol = _TIE * np.abs(local[i, None])
            larger = (sums >= local[i, None] - tol).sum(axis=1)
            smaller = (sums <= local[i, None] + tol).sum(axis=1)
            p[i] = (np.minimum(larger, smaller) + 1.0) / (permutations + 1.0)
    island = k == 0
    g[island], z[island], p[island] = np.nan, np.nan, np.nan
    return g, z, p


def benjamini_hochberg(p: np.ndarray) -> np.ndarray:
    """Return Benjamini-Hochberg adjusted p-values (NaN stays NaN, the others count as tests).

    The adjusted value of the i-th smallest of m p-values is ``min over j >= i of m p_(j) / j``,
    capped at 1; rejecting where it is ``<= alpha`` rejects the k smallest p-values for the
    largest k with ``p_(k) <= k alpha / m`` (the step-up procedure).
    """
    p = np.asarray(p, dtype=float)
    out = np.full(p.shape, np.nan)
    ok = np.isfinite(p)
    m = int(ok.sum())
    if m == 0:
        return out
    order = np.argsort(p[ok], kind="stable")
    scaled = p[ok][order] * m / np.arange(1, m + 1)
    adjusted = np.minimum(1.0, np.minimum.accumulate(scaled[::-1])[::-1])
    values = np.empty(m)
    values[order] = adjusted
    out[ok] = values
    return out


def adjust(p: np.ndarray, correction: str = DEFAULT_CORRECTION) -> np.ndarray:
    """Return the p-values corrected by ``correction`` (one of :data:`CORRECTIONS`)."""
    if correction == FDR_BH:
        return benjamini_hochberg(p)
    if correction == NO_CORRECTION:
        return np.asarray(p, dtype=float).copy()
    raise ValueError(f"unknown correction '{correction}'; known: {', '.join(CORRECTIONS)}")


def hot_spots(
    values: np.ndarray, w: sp.spmatrix, alpha: float = DEFAULT_ALPHA,
    permutations: int = DEFAULT_PERMUTATIONS, seed: int = SEED, *,
    dwellings: np.ndarray | None = None, min_dwellings: float = 0,
    correction: str = DEFAULT_CORRECTION,
) -> pd.DataFrame:
    """Gi* per area on ``values`` (e.g. the municipal share), one row per area in order.

    Areas with a NaN value are left out (``ns``, no numbers).  With ``dwellings`` given, areas
    with fewer than ``min_dwellings`` dwellings (or an unknown count) are left out of the test
    altogether, also as neighbours of others.  Returns columns

    - ``z``: the standardised Gi* (above 0: the neighbourhood's share is above the average);
    - ``p_raw``: the pseudo p-value from ``permutations`` conditional permutations;
    - ``p``: ``p_raw`` after ``correction`` (Benjamini-Hochberg by default), the value compared
      with ``alpha``;
    - ``cluster``: one of :data:`CLUSTER_CODES`: ``high`` (hot spot, ``p <= alpha``, z > 0),
      ``low`` (cold spot, z < 0), ``ns`` (not significant), ``too_few`` (under
      ``min_dwellings``) or ``no_neighbours`` (no tested area touches it).
    """
    values = np.asarray(values, dtype=float)
    n = len(values)
    out = pd.DataFrame({"z": np.nan, "p_raw": np.nan, "p": np.nan,
                        "cluster": NOT_SIGNIFICANT}, index=range(n))
    tested = np.isfinite(values)
    if dwellings is not None:
        enough = np.asarray(dwellings, dtype=float) >= min_dwellings
        out.loc[tested & ~enough, "cluster"] = TOO_FEW
        tested &= enough
    wk = subset(w, tested)
    lonely = neighbour_counts(wk) == 0
    out.loc[np.flatnonzero(tested)[lonely], "cluster"] = NO_NEIGHBOURS
    y = values[tested]
    if len(y) < 3 or np.std(y) == 0 or y.sum() <= 0:
        return out
    _, z, p_raw = gi_star(y, wk, permutations, seed)
    p = adjust(p_raw, correction)
    sig = np.isfinite(p) & (p <= alpha)
    cluster = np.where(lonely, NO_NEIGHBOURS,
                       np.where(sig, np.where(z > 0, HIGH, LOW), NOT_SIGNIFICANT))
    rows = np.flatnonzero(tested)
    out.loc[rows, "z"], out.loc[rows, "p_raw"], out.loc[rows, "p"] = z, p_raw, p
    out.loc[rows, "cluster"] = cluster
    return out
