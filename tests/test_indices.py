"""Every index against PySAL on the same data, and on a hand-made example with known answers."""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import pytest
import shapely
from libpysal.weights import Queen
from segregation.singlegroup import (
    Dissim,
    Entropy,
    Gini,
    Interaction,
    Isolation,
    SpatialDissim,
)

from geoplan.analytics import indices
from geoplan.analytics.weights import (
    ISLAND_RULES,
    ISLANDS_NEAREST,
    ISLANDS_UNLINKED,
    contiguity,
)

PYSAL = {"dissimilarity": Dissim, "isolation": Isolation, "exposure": Interaction,
         "gini": Gini, "theil": Entropy}


def grid(nx: int, ny: int, x: np.ndarray, t: np.ndarray) -> gpd.GeoDataFrame:
    """Square areas on an nx-by-ny grid with group ``x`` and total ``t``."""
    cells = [shapely.box(i, j, i + 1, j + 1) for j in range(ny) for i in range(nx)]
    return gpd.GeoDataFrame({"x": x, "t": t}, geometry=cells, crs=25833)


def test_hand_example_with_known_answers():
    # two areas: 10 of 100 and 0 of 100 dwellings municipal
    x, t = np.array([10.0, 0.0]), np.array([100.0, 100.0])
    # D = 0.5 * (|10/10 - 90/190| + |0/10 - 100/190|) = 100/190
    assert indices.dissimilarity(x, t) == pytest.approx(100 / 190, abs=1e-12)
    assert indices.isolation(x, t) == pytest.approx(0.10, abs=1e-12)  # all in an area of 10 %
    assert indices.exposure(x, t) == pytest.approx(0.90, abs=1e-12)
    # Gini = t1 t2 |p1 - p2| / (T² P (1 - P)) = 100*100*0.1 / (200² * 0.05 * 0.95)
    assert indices.gini(x, t) == pytest.approx(1000 / (40000 * 0.0475), abs=1e-12)
    # an even spread scores 0 everywhere
    even = np.array([5.0, 5.0])
    assert indices.dissimilarity(even, t) == pytest.approx(0, abs=1e-12)
    assert indices.theil(even, t) == pytest.approx(0, abs=1e-12)
    assert indices.gini(even, t) == pytest.approx(0, abs=1e-12)


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_aspatial_indices_match_pysal(seed):
    rng = np.random.default_rng(seed)
    t = rng.integers(20, 800, 60).astype(float)
    t[[3, 17]] = 0  # empty areas, as PySAL allows
    x = np.floor(t * rng.beta(0.6, 8, 60))
    gdf = grid(10, 6, x, t)
    for name, cls in PYSAL.items():
        expected = cls(gdf, "x", "t").statistic
        assert indices.INDEX_BY_KEY[name].fn(x, t) == pytest.approx(expected, abs=1e-9), name


@pytest.mark.parametrize("seed", [4, 5])
def test_spatial_dissimilarity_matches_pysal(seed):
    rng = np.random.default_rng(seed)
    t = rng.integers(20, 800, 48).astype(float)
    x = np.floor(t * rng.beta(0.6, 8, 48))
    gdf = grid(8, 6, x, t)
    w = Queen.from_dataframe(gdf, use_index=False, silence_warnings=True)
    expected = SpatialDissim(gdf, "x", "t", w=w).statistic
    assert indices.spatial_dissimilarity(x, t, contiguity(gdf)) == pytest.approx(expected,
                                                                                 abs=1e-9)
    assert indices.spatial_dissimilarity(x, t, w.sparse) == pytest.approx(expected, abs=1e-9)


def test_compute_indices_leaves_out_unknown_areas_and_caps_overfull():
    x = np.array([10.0, 0.0, 7.0, 3.0])
    t = np.array([100.0, 100.0, np.nan, 0.0])
    res = indices.compute_indices(x, t)
    assert res["dissimilarity"] == pytest.approx(100 / 190, abs=1e-12)
    assert np.isnan(res["spatial_dissimilarity"])
    overfull = indices.compute_indices(np.array([12.0, 1.0]), np.array([10.0, 100.0]))
    assert overfull["isolation"] == pytest.approx(
        indices.isolation(np.array([12.0, 1.0]), np.array([12.0, 100.0])), abs=1e-12)
    assert all(np.isnan(v) for v in indices.compute_indices(np.zeros(2), t[:2]).values())


# ---------------------------------------------------------------- islands

# Two touching squares A, B and an island C four metres east of B.
ISLAND_CELLS = [shapely.box(0, 0, 1, 1), shapely.box(1, 0, 2, 1), shapely.box(5, 0, 6, 1)]


@pytest.mark.filterwarnings("ignore::UserWarning", "ignore::FutureWarning")
def test_islands_stay_unlinked_as_in_pysal_unless_asked():
    gdf = gpd.GeoDataFrame(geometry=ISLAND_CELLS, crs=25833)
    w = contiguity(gdf).toarray()
    assert w.tolist() == [[0, 1, 0], [1, 0, 0], [0, 0, 0]]
    assert w.tolist() == Queen.from_dataframe(gdf, use_index=False).sparse.toarray().tolist()
    linked = contiguity(gdf, islands=ISLANDS_NEAREST).toarray()
    assert linked.tolist() == [[0, 1, 0], [1, 0, 1], [0, 1, 0]]  # C's nearest centroid is B
    assert ISLAND_RULES == (ISLANDS_UNLINKED, ISLANDS_NEAREST)
    with pytest.raises(ValueError, match="island rule"):
        contiguity(gdf, islands="knn")


@pytest.mark.filterwarnings("ignore::UserWarning", "ignore::FutureWarning")
def test_spatial_dissimilarity_with_an_island_by_hand():
    # 10, 0 and 5 of 100 dwellings municipal: P = 0.05, shares 0.10, 0 and 0.05.
    # D = 100 (0.05 + 0.05 + 0) / (2 * 300 * 0.05 * 0.95) = 10 / 28.5
    x, t = np.array([10.0, 0.0, 5.0]), np.array([100.0, 100.0, 100.0])
    gdf = gpd.GeoDataFrame({"x": x, "t": t}, geometry=ISLAND_CELLS, crs=25833)
    d = 10 / 28.5
    # unlinked: only the pair A-B (both ways): mean |difference| = 0.10
    ours = indices.compute_indices(x, t, contiguity(gdf))["spatial_dissimilarity"]
    assert ours == pytest.approx(d - 0.10, abs=1e-12)
    # PySAL with its own Queen weights (w=None) leaves C unlinked too
    assert ours == pytest.approx(SpatialDissim(gdf, "x", "t").statistic, abs=1e-12)
    # linked to B: pairs A-B and B-C: (0.10 + 0.10 + 0.05 + 0.05) / 4 = 0.075
    linked = indices.compute_indices(x, t, contiguity(gdf, ISLANDS_NEAREST))
    assert linked["spatial_dissimilarity"] == pytest.approx(d - 0.075, abs=1e-12)


@pytest.mark.filterwarnings("ignore::UserWarning", "ignore::FutureWarning")
@pytest.mark.parametrize("seed", [6, 7])
def test_spatial_dissimilarity_with_islands_matches_pysal_own_queen(seed):
    # a 6x5 grid plus two islands (one far east, one far north)
    rng = np.random.default_rng(seed)
    cells = [shapely.box(i, j, i + 1, j + 1) for j in range(5) for i in range(6)]
    cells += [shapely.box(20, 2, 21, 3), shapely.box(3, 30, 4, 31)]
    t = rng.integers(20, 800, len(cells)).astype(float)
    x = np.floor(t * rng.beta(0.6, 8, len(cells)))
    x[-2:] = [0.3 * t[-2] // 1, 0.0]  # islands far from the grid's mean share
    gdf = gpd.GeoDataFrame({"x": x, "t": t}, geometry=cells, crs=25833)
    expected = SpatialDissim(gdf, "x", "t").statistic
    ours = indices.compute_indices(x, t, contiguity(gdf))["spatial_dissimilarity"]
    assert ours == pytest.approx(expected, abs=1e-9)
    linked = indices.compute_indices(x, t, contiguity(gdf, ISLANDS_NEAREST))
    assert abs(linked["spatial_dissimilarity"] - expected) > 1e-4


# ---------------------------------------------------------------- pinned on a public data set

# North Carolina's 100 counties (libpysal's bundled ``sids2`` example, no download): x = SIDS
# deaths 1979-84 (SID79), t = live births 1979-84 (BIR79), queen contiguity.  The numbers were
# computed once with PySAL ``segregation`` 2.5.4 (the class in each spec's ``reference``) and are
# written here as literals, so a change in our formulas or in PySAL shows up on its own.
SIDS2_PINNED = {
    "dissimilarity": 0.16682994116896885,
    "isolation": 0.0023757958652088707,
    "exposure": 0.997624204134791,
    "gini": 0.2381152650188518,
    "theil": 0.013924291737885742,
    "spatial_dissimilarity": 0.16568137329264288,
}


@pytest.fixture(scope="module")
def sids2():
    from libpysal import examples

    counties = gpd.read_file(examples.get_path("sids2.shp"))
    # the shapefile has no .prj: NAD27 longitude/latitude, projected for PySAL's spatial check
    counties = counties.set_crs(4267).to_crs(32119)
    w = Queen.from_dataframe(counties, use_index=False, silence_warnings=True)
    return counties, w


def _pysal_class(spec: indices.IndexSpec):
    import importlib

    module, name = spec.reference.rsplit(".", 1)
    return getattr(importlib.import_module(module), name)


def test_every_index_is_pinned():
    assert set(SIDS2_PINNED) == set(indices.INDEX_NAMES)


@pytest.mark.parametrize("spec", indices.INDEX_SPECS, ids=lambda s: s.key)
def test_each_index_on_sids2_against_pinned_numbers_and_pysal(sids2, spec):
    counties, w = sids2
    x, t = counties["SID79"].to_numpy(float), counties["BIR79"].to_numpy(float)
    ours = spec.fn(x, t, w.sparse) if spec.spatial else spec.fn(x, t)
    assert ours == pytest.approx(SIDS2_PINNED[spec.key], abs=1e-12)
    cls = _pysal_class(spec)
    live = (cls(counties, "SID79", "BIR79", w=w) if spec.spatial
            else cls(counties, "SID79", "BIR79")).statistic
    assert ours == pytest.approx(live, abs=1e-9)


def test_compute_indices_on_sids2_with_our_contiguity(sids2):
    counties, _ = sids2
    res = indices.compute_indices(counties["SID79"].to_numpy(float),
                                  counties["BIR79"].to_numpy(float), contiguity(counties))
    assert res == pytest.approx(SIDS2_PINNED, abs=1e-12)
