"""Hot spots of municipal units: Getis-Ord Gi* with conditional permutation inference.

The statistic, its analytical z-score and the permutation scheme follow esda's ``G_Local``
(``transform="R", star=True``); the tests check Gi* and z against esda to 1e-9 and the
pseudo p-values to within sampling error.  It is written out with NumPy because esda compiles
its permutation kernel with numba at every start of the process (about 18 s here), which the
app cannot afford on its first page view.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import scipy.sparse as sp

from geoplan.analytics.weights import subset

DEFAULT_ALPHA = 0.05
DEFAULT_PERMUTATIONS = 999
SEED = 3420
_CHUNK_CELLS = 4_000_000


def gi_star(
    y: np.ndarray, w: sp.spmatrix, permutations: int = DEFAULT_PERMUTATIONS, seed: int = SEED
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Return (Gi*, z, pseudo p) for values ``y`` and a binary weights matrix ``w``.

    Weights get a self-weight of 1 and are row-standardised.  The pseudo p-value holds each
    area's own value fixed and draws its neighbours' values from the other areas
    ``permutations`` times ("directed": the smaller tail, ``(larger + 1) / (perms + 1)``).
    Areas without neighbours get NaN.
    """
    y = np.asarray(y, dtype=float)
    n = len(y)
    binary = sp.csr_matrix(w, dtype=float)
    binary.setdiag(0)
    binary.eliminate_zeros()
    binary.data[:] = 1.0
    k = np.diff(binary.indptr)  # neighbours other than itself
    row_w = 1.0 / (k + 1)
    total = y.sum()
    g = (binary @ y + y) * row_w / total
    mean = total / n
    var = (y**2).sum() / n - mean**2
    # esda's moments with row sums of 1: E = 1/n, V = (n - 1) / (n - 1) / n² * var / mean²
    expected = 1.0 / n
    variance = var / (n**2 * mean**2)
    z = (g - expected) / np.sqrt(variance)
    p = np.full(n, np.nan)
    if permutations and n > 2:
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
            rg = (draws.sum(axis=2) + y[i, None]) * row_w[i, None] / total
            larger = (rg >= g[i, None]).sum(axis=1)
            larger = np.where(permutations - larger < larger, permutations - larger, larger)
            p[i] = (larger + 1.0) / (permutations + 1.0)
    island = k == 0
    g[island], z[island], p[island] = np.nan, np.nan, np.nan
    return g, z, p


def hot_spots(
    values: np.ndarray, w: sp.spmatrix, alpha: float = DEFAULT_ALPHA,
    permutations: int = DEFAULT_PERMUTATIONS, seed: int = SEED,
) -> pd.DataFrame:
    """Gi* per area on ``values`` (e.g. the municipal share); NaN values are left out.

    Returns columns ``z`` (standardised Gi*), ``p`` (pseudo p-value from ``permutations``
    conditional permutations) and ``cluster``: "high" (hot spot), "low" (cold spot) or "ns",
    significant when ``p <= alpha``.
    """
    values = np.asarray(values, dtype=float)
    n = len(values)
    out = pd.DataFrame({"z": np.nan, "p": np.nan, "cluster": "ns"}, index=range(n))
    ok = np.isfinite(values)
    if ok.sum() < 3 or np.nanstd(values) == 0 or np.nansum(values) <= 0:
        return out
    _, z, p = gi_star(values[ok], subset(w, ok), permutations, seed)
    sig = np.isfinite(p) & (p <= alpha)
    cluster = np.where(sig, np.where(z > 0, "high", "low"), "ns")
    out.loc[ok, "z"], out.loc[ok, "p"], out.loc[ok, "cluster"] = z, p, cluster
    return out
