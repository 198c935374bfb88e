"""Hot spots a planner can trust: islands, tiny areas, ties and testing every area at once.

Each convention is pinned on hand-made data with known answers (see the README's Methods):
islands have no neighbours (PySAL's Queen weights) and are reported as such; areas under the
policy's ``min_hotspot_dwellings`` are left out; ties in the permutation test count against
significance; the p-values are corrected with Benjamini-Hochberg (checked by hand and against
esda's ``fdr``, and against statsmodels when it is installed).
"""

from __future__ import annotations

import datetime as dt

import geopandas as gpd
import numpy as np
import pytest
import shapely

from geoplan import service
from geoplan.analytics.concentration import analyse
from geoplan.analytics.hotspots import (
    CLUSTER_CODES,
    CORRECTIONS,
    FDR_BH,
    NO_CORRECTION,
    adjust,
    benjamini_hochberg,
    gi_star,
    hot_spots,
)
from geoplan.analytics.weights import ISLANDS_NEAREST, contiguity
from geoplan.policy import FIELD_BY_NAME, Policy
from geoplan.testing.data import hand_made_units, square_areas, units_frame
from geoplan.ui.i18n import has, t


def grid(nx: int, ny: int, extra: list[shapely.Polygon] = ()) -> gpd.GeoDataFrame:
    """Unit squares on an nx-by-ny grid, row by row, then ``extra`` polygons."""
    cells = [shapely.box(i, j, i + 1, j + 1) for j in range(ny) for i in range(nx)]
    return gpd.GeoDataFrame(geometry=[*cells, *extra], crs=25833)


# ---------------------------------------------------------------- Benjamini-Hochberg

# Ten p-values (shuffled) with their Benjamini-Hochberg adjusted values worked out by hand:
# sorted, p_(i) * 10 / i is 0.01, 0.04, 0.13, 0.1025, 0.084, 0.10, 0.1057, 0.25625, 0.2356,
# 0.216; the adjusted value is the running minimum of these from the largest down.
BH_P = [0.041, 0.216, 0.001, 0.060, 0.205, 0.039, 0.008, 0.212, 0.074, 0.042]
BH_ADJUSTED = [0.084, 0.216, 0.010, 0.100, 0.216, 0.084, 0.040, 0.216, 0.074 * 10 / 7, 0.084]


def test_benjamini_hochberg_by_hand():
    adjusted = benjamini_hochberg(np.array(BH_P))
    np.testing.assert_allclose(adjusted, BH_ADJUSTED, rtol=0, atol=1e-12)
    # at 5 %: five raw p-values are under 0.05, only the two smallest survive the correction
    assert (np.array(BH_P) <= 0.05).sum() == 5
    assert np.flatnonzero(adjusted <= 0.05).tolist() == [2, 6]
    # the step-up rule: the largest k with p_(k) <= k * 0.05 / 10 is k = 2 (0.008 <= 0.010)
    assert adjust(np.array(BH_P), NO_CORRECTION).tolist() == BH_P
    assert CORRECTIONS == (FDR_BH, NO_CORRECTION)


def test_benjamini_hochberg_leaves_nan_out_and_caps_at_one():
    adjusted = benjamini_hochberg(np.array([np.nan, 0.01, 0.9, np.nan, 0.02]))
    # three tests: 0.01 * 3 = 0.03, 0.02 * 3 / 2 = 0.03, 0.9
    assert np.isnan(adjusted[[0, 3]]).all()
    np.testing.assert_allclose(adjusted[[1, 2, 4]], [0.03, 0.9, 0.03], atol=1e-12)
    assert benjamini_hochberg(np.array([0.5, 0.9])).max() == 0.9  # never above 1 nor below p
    assert np.isnan(benjamini_hochberg(np.array([np.nan]))).all()
    with pytest.raises(ValueError, match="unknown correction"):
        adjust(np.array(BH_P), "bonferroni")


@pytest.mark.parametrize("seed", [1, 2, 3])
@pytest.mark.parametrize("alpha", [0.05, 0.10])
def test_benjamini_hochberg_rejects_what_esda_fdr_rejects(seed, alpha):
    from esda import fdr

    rng = np.random.default_rng(seed)
    p = np.concatenate([rng.uniform(0, 0.004, 6), rng.uniform(0, 1, 60)])
    ours = benjamini_hochberg(p) <= alpha
    assert ours.sum() >= 3
    assert (ours == (p <= fdr(p, alpha))).all()


def test_benjamini_hochberg_matches_statsmodels():
    multitest = pytest.importorskip("statsmodels.stats.multitest")
    p = np.random.default_rng(4).uniform(0, 0.2, 40)
    reject, adjusted, *_ = multitest.multipletests(p, alpha=0.05, method="fdr_bh")
    np.testing.assert_allclose(benjamini_hochberg(p), adjusted, atol=1e-12)
    assert ((benjamini_hochberg(p) <= 0.05) == reject).all()


# ---------------------------------------------------------------- tiny areas and ties

# A 5x5 grid of areas with 200 dwellings and 6 municipal units each (3 %), except the middle
# one (12): 1 unit in 4 dwellings (25 %).
TINY = 12


def tiny_grid() -> tuple[np.ndarray, np.ndarray, gpd.GeoDataFrame]:
    units, dwellings = np.full(25, 6.0), np.full(25, 200.0)
    units[TINY], dwellings[TINY] = 1, 4
    return units, dwellings, grid(5, 5)


def test_a_tiny_area_is_not_a_hot_spot_and_makes_no_cold_spots():
    # Before: the tiny area was a hot spot (p = 0.001), so were 6 of its 8 neighbours, and the
    # 16 areas around them became cold spots at z = -0.20, all from one unit in 4 dwellings.
    units, dwellings, areas = tiny_grid()
    res = hot_spots(units / dwellings, contiguity(areas), dwellings=dwellings,
                    min_dwellings=50)
    assert res.loc[TINY, "cluster"] == "too_few" and np.isnan(res.loc[TINY, "z"])
    assert (res["cluster"].drop(TINY) == "ns").all()
    # with every tested share equal there is nothing to find: no statistic at all
    assert res["z"].isna().all()


def test_ties_are_not_significant():
    # Same grid, no rule for tiny areas, no correction: the areas away from the tiny one have
    # a neighbourhood sum equal to that of almost every random draw.  Counting the ties in
    # both tails gives p near 1, not esda's p = 0.001 (which made them cold spots).
    units, dwellings, areas = tiny_grid()
    res = hot_spots(units / dwellings, contiguity(areas), correction=NO_CORRECTION)
    assert res.loc[0, "z"] == pytest.approx(-1 / np.sqrt(24), abs=1e-12)  # esda's z, small
    assert res.loc[0, "p_raw"] > 0.5 and (res["cluster"] != "low").all()
    # a strip of zeros with one unit at the end: area 0 (neighbour: area 1) draws one value of
    # the four others, three of which are 0: a tie three times in four, so p is about 3/4
    _, _, p = gi_star(np.array([0.0, 0, 0, 0, 1]), contiguity(grid(5, 1)), seed=1)
    assert p[0] == pytest.approx(0.75, abs=0.05)


def test_without_the_rule_a_tiny_area_makes_its_neighbour_a_hot_spot():
    # A strip of 100 areas with 4 to 8 units in 200 dwellings; area 0 has 1 unit in 4.  Its
    # neighbour (area 1, 6 units) is a hot spot only because the 25 % sits in its window.
    n = 100
    units = (4 + (np.arange(n) * 37) % 5).astype(float)
    dwellings = np.full(n, 200.0)
    units[0], dwellings[0] = 1, 4
    w = contiguity(grid(n, 1))
    raw = hot_spots(units / dwellings, w, correction=NO_CORRECTION)
    assert raw.loc[1, "cluster"] == "high" and raw.loc[1, "p"] < 0.02
    ruled = hot_spots(units / dwellings, w, dwellings=dwellings, min_dwellings=50,
                      correction=NO_CORRECTION)
    assert ruled.loc[0, "cluster"] == "too_few"
    assert ruled.loc[1, "cluster"] == "ns" and ruled.loc[1, "p"] > 0.1
    assert (ruled["cluster"] != "ns").sum() == 1


def test_a_tiny_empty_area_does_not_make_its_neighbour_a_cold_spot():
    # The case of the issue: the middle area has 0 units in 4 dwellings; its neighbour 7 has
    # 11 of 200 (5.5 %, above the municipality's 3.5 %) and was a cold spot at z = -0.44.
    units = np.array([3, 5, 10, 6, 11, 11, 4, 11, 2, 2, 7, 2, 0, 6, 5, 11, 4, 10, 7, 11,
                      8, 10, 11, 3, 6], dtype=float)
    dwellings = np.full(25, 200.0)
    dwellings[TINY] = 4
    w = contiguity(grid(5, 5))
    unruled = hot_spots(units / dwellings, w, correction=NO_CORRECTION)
    assert unruled.loc[7, "cluster"] == "low" and unruled.loc[7, "z"] == pytest.approx(-0.437,
                                                                                       abs=1e-3)
    res = hot_spots(units / dwellings, w, dwellings=dwellings, min_dwellings=50)
    assert res.loc[TINY, "cluster"] == "too_few"
    assert res.loc[7, "cluster"] == "ns"
    assert (res["cluster"].drop(TINY) == "ns").all()


# ---------------------------------------------------------------- islands and neighbours


def test_an_island_has_no_neighbours_and_says_so():
    # a 4x4 grid with a planted block and an island far east
    share = np.array([0.30, 0.30, 0.01, 0.02, 0.30, 0.30, 0.02, 0.01, 0.01, 0.02, 0.01, 0.02,
                      0.02, 0.01, 0.02, 0.01, 0.25])
    areas = grid(4, 4, [shapely.box(20, 0, 21, 1)])
    res = hot_spots(share, contiguity(areas), correction=NO_CORRECTION)
    assert res.loc[16, "cluster"] == "no_neighbours"
    assert np.isnan(res.loc[16, ["z", "p_raw", "p"]].to_numpy(float)).all()
    assert (res.loc[:15, "z"].notna()).all()
    assert res.loc[0, "cluster"] == "high"  # the block's corner, all its neighbours high
    # linked to its nearest area (3, top right of the grid) the island is tested
    linked = hot_spots(share, contiguity(areas, ISLANDS_NEAREST), correction=NO_CORRECTION)
    assert np.isfinite(linked.loc[16, "z"]) and linked.loc[16, "cluster"] != "no_neighbours"


def test_an_area_whose_neighbours_are_all_too_small_has_no_neighbours():
    # a strip: 0 (tiny) - 1 - 2 (tiny) - 3 - 4 - 5; area 1 touches only tiny areas
    dwellings = np.array([10.0, 200, 10, 200, 200, 200])
    share = np.array([0.5, 0.04, 0.5, 0.01, 0.03, 0.05])
    res = hot_spots(share, contiguity(grid(6, 1)), dwellings=dwellings, min_dwellings=50)
    assert res["cluster"].tolist() == ["too_few", "no_neighbours", "too_few", "ns", "ns", "ns"]
    assert np.isnan(res.loc[1, "z"]) and np.isfinite(res.loc[3, "z"])


def test_p_is_the_corrected_p_raw_and_decides_the_cluster():
    rng = np.random.default_rng(0)
    share = rng.uniform(0, 0.02, 49)
    share[[0, 1, 2, 7, 8, 9, 14, 15, 16]] = 0.3
    res = hot_spots(share, contiguity(grid(7, 7)))
    np.testing.assert_allclose(res["p"], benjamini_hochberg(res["p_raw"].to_numpy()))
    marked = res["cluster"].isin(["high", "low"])
    assert (res.loc[marked, "p"] <= 0.05).all() and (res.loc[~marked, "p"] > 0.05).all()
    assert res.loc[0, "cluster"] == "high"
    assert set(res["cluster"]) <= set(CLUSTER_CODES)


# ---------------------------------------------------------------- wiring and words


def test_analyse_uses_the_policy_minimum_and_records_the_method():
    units = units_frame(hand_made_units())
    areas = square_areas(size_m=400, names=["A", "B", "C", "D"])  # 500 dwellings each
    on = dt.date(2024, 6, 1)
    assert FIELD_BY_NAME["min_hotspot_dwellings"].default == 50
    result = analyse(units, areas, on, permutations=99)
    assert result.correction == FDR_BH and result.islands == "unlinked"
    assert not (result.areas["cluster"] == "too_few").any()
    strict = analyse(units, areas, on, Policy(min_hotspot_dwellings=501), permutations=99,
                     correction=NO_CORRECTION)
    assert (strict.areas["cluster"] == "too_few").all() and strict.correction == NO_CORRECTION


def test_every_cluster_code_and_correction_has_texts():
    assert service.CLUSTER_CODES == CLUSTER_CODES and service.CORRECTIONS == CORRECTIONS
    for code in CLUSTER_CODES:
        assert has(f"cluster.{code}") and has(f"cluster_meaning.{code}"), code
    for correction in CORRECTIONS:
        assert has(f"hotspot_note.{correction}") and has(f"hotspot_p.{correction}")
    for lang in ("nb", "en"):
        note = t("hotspot_note.fdr_bh", lang, permutations="999", alpha="5 %", min="50")
        assert "Gi*" not in note and "permut" not in note and "50" in note
