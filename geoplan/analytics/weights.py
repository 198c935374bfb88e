"""Spatial weights between areas (libpysal), shared by spatial indices and hot spots.

An *island* is an area that shares no edge or corner with any other area (a lake holm, an
exclave, a grid cell with empty cells all round).  By default GeoPlan does what PySAL does: the
island keeps no neighbours (a row and column of zeros), so the spatial dissimilarity equals
``segregation``'s ``SpatialDissim`` with its own Queen weights and Gi* reports the island as
having no neighbours.  ``islands=ISLANDS_NEAREST`` is the named alternative: each island is
linked to the area with the nearest centroid (both ways).
"""

from __future__ import annotations

import warnings

import geopandas as gpd
import numpy as np
import scipy.sparse as sp
from libpysal.weights import KNN, Queen

ISLANDS_UNLINKED = "unlinked"  # PySAL's convention: an island has no neighbours (default)
ISLANDS_NEAREST = "nearest"  # an island is linked to the area with the nearest centroid
ISLAND_RULES: tuple[str, ...] = (ISLANDS_UNLINKED, ISLANDS_NEAREST)


def contiguity(areas: gpd.GeoDataFrame, islands: str = ISLANDS_UNLINKED) -> sp.csr_matrix:
    """Return the binary, symmetric queen-contiguity matrix of ``areas`` (zero diagonal).

    ``areas`` is any GeoDataFrame of polygons, in row order.  ``islands`` is one of
    :data:`ISLAND_RULES`: :data:`ISLANDS_UNLINKED` (PySAL's Queen weights as they are) or
    :data:`ISLANDS_NEAREST` (each island also linked to its nearest area by centroid).
    """
    if islands not in ISLAND_RULES:
        raise ValueError(f"unknown island rule '{islands}'; known: {', '.join(ISLAND_RULES)}")
    n = len(areas)
    if n < 2:
        return sp.csr_matrix((n, n))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        queen = Queen.from_dataframe(areas, use_index=False, silence_warnings=True)
        m = sp.csr_matrix(queen.sparse, dtype=float)
        if queen.islands and islands == ISLANDS_NEAREST:
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


def neighbour_counts(w: sp.spmatrix) -> np.ndarray:
    """Return each area's number of neighbours other than itself (0 for an island)."""
    m = sp.csr_matrix(w, dtype=float)
    m = sp.csr_matrix(m - sp.diags(m.diagonal()))
    m.eliminate_zeros()
    return np.diff(m.indptr)


def subset(w: sp.spmatrix, mask: np.ndarray) -> sp.csr_matrix:
    """The weights among the areas selected by ``mask``."""
    return sp.csr_matrix(w)[mask][:, mask]
