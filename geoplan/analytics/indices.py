"""Municipality-wide segregation indices between municipal units and the other dwellings.

Each index is a pure function of two arrays over areas: ``x`` the municipal units and ``t`` all
dwellings (so ``t - x`` are the other dwellings).  The formulas are those of PySAL's
``segregation.singlegroup`` (Massey & Denton 1988); the tests check every function against PySAL
on the same data to 1e-9.  They are written out here because the purchase test re-runs them on
"what if" data thousands of times, and because PySAL's Gini and spatial dissimilarity are
O(n²) in the number of areas.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import scipy.sparse as sp
from scipy.special import xlogy

from geoplan.analytics.per_area import effective_dwellings


def _shares(x: np.ndarray, t: np.ndarray) -> tuple[float, float, np.ndarray]:
    T = t.sum()
    P = x.sum() / T
    p = np.divide(x, t, out=np.zeros_like(x, dtype=float), where=t > 0)
    return T, P, p


def dissimilarity(x: np.ndarray, t: np.ndarray) -> float:
    """Dissimilarity D: the share of municipal units that would have to move for an even spread."""
    T, P, p = _shares(x, t)
    return float((t * np.abs(p - P)).sum() / (2 * T * P * (1 - P)))


def isolation(x: np.ndarray, t: np.ndarray) -> float:
    """Isolation xPx: the municipal share of dwellings in the average municipal unit's area."""
    _, _, p = _shares(x, t)
    return float(((x / x.sum()) * p).sum())


def exposure(x: np.ndarray, t: np.ndarray) -> float:
    """Exposure xPy: the share of other dwellings in the average municipal unit's area."""
    _, _, p = _shares(x, t)
    return float(((x / x.sum()) * np.where(t > 0, 1 - p, 0.0)).sum())


def gini(x: np.ndarray, t: np.ndarray) -> float:
    """Gini: the mean weighted difference of municipal shares between all pairs of areas.

    O(n log n): with areas sorted by share, the sum of ``t_i t_j |p_i - p_j|`` over pairs is a
    running-sum expression instead of PySAL's double loop.
    """
    T, P, p = _shares(x, t)
    order = np.argsort(p, kind="stable")
    ps, ts = p[order], t[order].astype(float)
    before_t = np.cumsum(ts) - ts
    before_tp = np.cumsum(ts * ps) - ts * ps
    pairs = (ts * (ps * before_t - before_tp)).sum()
    return float(pairs / (T * T * P * (1 - P)))


def theil(x: np.ndarray, t: np.ndarray) -> float:
    """Theil's entropy index H: how much less mixed areas are than the municipality as a whole."""
    T, P, p = _shares(x, t)
    E = -xlogy(P, P) - xlogy(1 - P, 1 - P)
    Ei = -xlogy(p, p) - xlogy(1 - p, 1 - p)
    return float((t * (E - Ei)).sum() / (E * T))


def spatial_dissimilarity(x: np.ndarray, t: np.ndarray, w: sp.spmatrix) -> float:
    """Morrill's spatial dissimilarity D(adj): D minus the mean share difference of neighbours.

    ``w`` is a binary (unstandardised) spatial weights matrix over the same areas, as PySAL's
    ``SpatialDissim`` uses by default; this runs on its sparse entries only.  An island (an
    empty row, :func:`geoplan.analytics.weights.contiguity`'s default) adds no pair, as in
    PySAL.
    """
    _, _, p = _shares(x, t)
    coo = sp.coo_matrix(w)
    num = (coo.data * np.abs(p[coo.row] - p[coo.col])).sum()
    return dissimilarity(x, t) - float(num / coo.data.sum())


@dataclass(frozen=True)
class IndexSpec:
    """One segregation index, defined once: everything else loops over :data:`INDEX_SPECS`.

    ``key`` names it in frames, JSON and text keys (``ui`` words it as ``index.<key>.name`` and
    ``index.<key>.meaning``); ``symbol`` is its language-neutral symbol; ``fn`` computes it from
    units ``x`` and dwellings ``t`` per area (and binary weights ``w`` when ``spatial``);
    ``reference`` is the PySAL class the tests check it against; ``charted`` says whether the
    trend chart draws it (exposure is 1 - isolation for two groups and would add nothing).
    """

    key: str
    symbol: str
    fn: Callable[..., float]
    spatial: bool
    reference: str
    charted: bool = True

    @property
    def text_key(self) -> str:
        """The prefix of the index's texts in ``geoplan.ui``."""
        return f"index.{self.key}"


INDEX_SPECS: tuple[IndexSpec, ...] = (
    IndexSpec("dissimilarity", "D", dissimilarity, False, "segregation.singlegroup.Dissim"),
    IndexSpec("isolation", "xPx", isolation, False, "segregation.singlegroup.Isolation"),
    IndexSpec("exposure", "xPy", exposure, False, "segregation.singlegroup.Interaction",
              charted=False),
    IndexSpec("gini", "Gini", gini, False, "segregation.singlegroup.Gini"),
    IndexSpec("theil", "H", theil, False, "segregation.singlegroup.Entropy"),
    IndexSpec("spatial_dissimilarity", "D(adj)", spatial_dissimilarity, True,
              "segregation.singlegroup.SpatialDissim"),
)
INDEX_BY_KEY: dict[str, IndexSpec] = {spec.key: spec for spec in INDEX_SPECS}
INDEX_NAMES: tuple[str, ...] = tuple(INDEX_BY_KEY)


def valid_areas(t: np.ndarray) -> np.ndarray:
    """Mask of areas that enter the indices: known, positive dwelling counts."""
    t = np.asarray(t, dtype=float)
    return np.isfinite(t) & (t > 0)


def compute_indices(
    x: np.ndarray, t: np.ndarray, w: sp.spmatrix | None = None
) -> dict[str, float]:
    """Compute every index over areas with known dwellings (``w`` over all areas given).

    Areas with more municipal units than dwellings are counted as fully municipal (the dwelling
    count is raised to the unit count), as the indices need ``x <= t``.
    """
    x = np.asarray(x, dtype=float)
    t = np.asarray(t, dtype=float)
    ok = valid_areas(t)
    xs, ts = x[ok], effective_dwellings(x[ok], t[ok])
    out = {name: float("nan") for name in INDEX_NAMES}
    if xs.sum() <= 0 or xs.sum() >= ts.sum():
        return out
    wk = sp.csr_matrix(w)[ok][:, ok] if w is not None else None
    for spec in INDEX_SPECS:
        if not spec.spatial:
            out[spec.key] = spec.fn(xs, ts)
        elif wk is not None and wk.nnz:
            out[spec.key] = spec.fn(xs, ts, wk)
    return out
