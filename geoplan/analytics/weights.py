"""Spatial weights between areas (libpysal), shared by spatial indices and hot spots."""

from __future__ import annotations

import warnings

import geopandas as gpd
import numpy as np
import scipy.sparse as sp
from libpysal.weights import KNN, Queen


def contiguity(areas: gpd.GeoDataFrame) -> sp.csr_matrix:
    """Binary queen-contiguity matrix; an island is joined to its nearest area."""
    n = len(areas)
    if n < 2:
        return sp.csr_matrix((n, n))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        queen = Queen.from_dataframe(areas, use_index=False, silence_warnings=True)
        m = sp.csr_matrix(queen.sparse, dtype=float)
        if queen.islands:
            cent = np.column_stack([areas.geometry.centroid.x, areas.geometry.centroid.y])
            knn = sp.csr_matrix(KNN.from_array(cent, k=1, silence_warnings=True).sparse)
            isl = np.zeros(n, bool)
            isl[queen.islands] = True
            extra = sp.diags(isl.astype(float)) @ knn
            m = m + extra + extra.T
    m.data[:] = 1.0
    m.setdiag(0)
    m.eliminate_zeros()
    return m


def subset(w: sp.spmatrix, mask: np.ndarray) -> sp.csr_matrix:
    """The weights among the areas selected by ``mask``."""
    return sp.csr_matrix(w)[mask][:, mask]
