"""Hot spots of municipal units: Getis-Ord Gi* with permutation inference (esda)."""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd
import scipy.sparse as sp
from esda.getisord import G_Local

from geoplan.analytics.weights import subset, to_pysal

DEFAULT_ALPHA = 0.05
DEFAULT_PERMUTATIONS = 999
SEED = 3420


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
    if ok.sum() < 3 or np.nanstd(values) == 0:
        return out
    wk = subset(w, ok)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        g = G_Local(values[ok], to_pysal(wk), transform="R", star=True,
                    permutations=permutations, seed=seed, n_jobs=1)
    z, p = np.asarray(g.Zs, float), np.asarray(g.p_sim, float)
    cluster = np.where(p <= alpha, np.where(z > 0, "high", "low"), "ns")
    out.loc[ok, "z"], out.loc[ok, "p"], out.loc[ok, "cluster"] = z, p, cluster
    return out
