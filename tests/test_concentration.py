"""Per-area, radius, same-building and hot-spot analytics on hand-made fixtures."""

from __future__ import annotations

import datetime as dt

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
import shapely

from geoplan.analytics.active import active_units
from geoplan.analytics.hotspots import hot_spots
from geoplan.analytics.per_area import area_table, assign_areas, totals
from geoplan.analytics.proximity import proximity_table, radius_counts
from geoplan.analytics.weights import contiguity

# Three 1 km squares in a row; the third has unknown dwellings and no population.
AREAS = gpd.GeoDataFrame(
    {"code": ["A", "B", "C"], "name": ["Aust", "Berg", "Ukjent"],
     "population": [2000, 1000, None], "dwellings": [1000, 400, None]},
    geometry=[shapely.box(0, 0, 1000, 1000), shapely.box(1000, 0, 2000, 1000),
              shapely.box(2000, 0, 3000, 1000)],
    crs=25833,
)


def unit(uid, x, y, **kw):
    base = {"unit_id": uid, "x": float(x), "y": float(y), "unit_type": "ordinary",
            "target_group": None, "building_id": None, "housing_company": None,
            "street": None, "house_number": None, "letter": None, "postal_code": None,
            "acquired": None, "disposed": None}
    return base | kw


UNITS = pd.DataFrame([
    unit("u1", 100, 100, unit_type="care", target_group="elderly", building_id="B1",
         street="Storgata", house_number="1", postal_code="2406"),
    unit("u2", 100, 100, unit_type="care", target_group="elderly", building_id="B1",
         street="Storgata", house_number="1", postal_code="2406"),
    unit("u3", 300, 100, target_group="families", housing_company="Solsiden BRL",
         street="Storgata", house_number="1", letter="B", postal_code="2406"),
    unit("u4", 300, 400, housing_company="solsiden brl "),
    unit("u5", 1500, 500, unit_type="refugee", target_group="refugees"),
    unit("u6", 1600, 500, unit_type="refugee", target_group="refugees"),
    unit("u7", 2500, 500),
    unit("u8", 1000, 500),  # on the shared edge of A and B
    unit("u9", 5000, 5000),  # outside every area
])


def test_assign_areas_including_edges_and_outside():
    idx = assign_areas(UNITS.x.to_numpy(), UNITS.y.to_numpy(), AREAS)
    assert idx.tolist() == [0, 0, 0, 0, 1, 1, 2, idx[7], -1]
    assert idx[7] in (0, 1)


def test_area_table_by_hand():
    table = area_table(UNITS.iloc[:7], AREAS, type_codes=["care", "refugee"],
                       group_codes=["elderly", "refugees"]).set_index("code")
    assert table["units"].tolist() == [4, 2, 1]
    assert table.loc["A", "share"] == pytest.approx(4 / 1000)
    assert table.loc["B", "share"] == pytest.approx(2 / 400)
    assert table.loc["A", "per_1000"] == pytest.approx(2.0)
    assert table.loc["B", "per_1000"] == pytest.approx(2.0)
    overall = 6 / 1400  # C has unknown dwellings and is left out of the total
    assert table.loc["A", "lq"] == pytest.approx((4 / 1000) / overall)
    assert table.loc["B", "lq"] == pytest.approx((2 / 400) / overall)
    assert np.isnan(table.loc["C", "share"]) and np.isnan(table.loc["C", "per_1000"])
    assert np.isnan(table.loc["C", "lq"])
    assert table["type:care"].tolist() == [2, 0, 0]
    assert table["type:refugee"].tolist() == [0, 2, 0]
    assert table["group:elderly"].tolist() == [2, 0, 0]
    assert totals(table.reset_index()) == {"units": 6.0, "dwellings": 1400.0,
                                            "share": pytest.approx(6 / 1400)}


def test_zero_dwellings_is_unknown_not_infinite():
    areas = AREAS.assign(dwellings=[0, 400, None], population=[0, 1000, None])
    table = area_table(UNITS.iloc[:7], areas)
    assert np.isnan(table.share[0]) and np.isnan(table.per_1000[0]) and np.isnan(table.lq[0])
    assert np.isfinite(table.lq[1])


def test_radius_counts_by_hand():
    xy = UNITS[["x", "y"]].to_numpy()[:7]
    # u1,u2 at (100,100); u3 200 m east; u4 360.6 m away; the rest > 1 km
    assert radius_counts(xy, 250).tolist() == [3, 3, 3, 1, 2, 2, 1]
    assert radius_counts(xy, 500).tolist() == [4, 4, 4, 4, 2, 2, 1]
    assert radius_counts(xy, 250, np.array([[200.0, 100.0], [9000.0, 0.0]])).tolist() == [3, 0]
    assert radius_counts(np.empty((0, 2)), 250, np.array([[0.0, 0.0]])).tolist() == [0]


def test_same_building_and_address_by_hand():
    table = proximity_table(UNITS.iloc[:7]).set_index("unit_id")
    # B1 holds u1, u2; the housing company (case and spaces folded) holds u3, u4
    assert table["same_building"].tolist() == [2, 2, 2, 2, 1, 1, 1]
    # u1, u2 share Storgata 1; u3 is Storgata 1 B: another entrance
    assert table["same_address"].tolist() == [2, 2, 1, 1, 1, 1, 1]
    assert table.loc["u1", "within_250m"] == 3


def test_active_units_on_a_date():
    units = pd.DataFrame([
        unit("a", 0, 0, acquired=dt.date(2015, 1, 1)),
        unit("b", 0, 0, acquired=dt.date(2015, 1, 1), disposed=dt.date(2020, 6, 1)),
        unit("c", 0, 0, acquired=dt.date(2021, 1, 1)),
        unit("d", 0, 0),
    ])
    assert active_units(units, dt.date(2020, 6, 1)).unit_id.tolist() == ["a", "d"]
    assert active_units(units, dt.date(2020, 5, 31)).unit_id.tolist() == ["a", "b", "d"]
    assert active_units(units, dt.date(2021, 1, 1)).unit_id.tolist() == ["a", "c", "d"]


def test_hot_spots_find_a_planted_cluster():
    # 7x7 grid; a 3x3 block in the corner with high shares, the rest low with noise
    n = 7
    cells = [shapely.box(i, j, i + 1, j + 1) for j in range(n) for i in range(n)]
    rng = np.random.default_rng(0)
    share = rng.uniform(0.0, 0.02, n * n)
    block = [j * n + i for j in range(3) for i in range(3)]
    share[block] = 0.3
    share[24] = np.nan  # unknown area left out
    gdf = gpd.GeoDataFrame(geometry=cells, crs=25833)
    res = hot_spots(share, contiguity(gdf), alpha=0.05, permutations=999)
    assert (res.loc[block, "cluster"] == "high").sum() >= 4
    assert res.loc[0, "cluster"] == "high"  # the block's corner: all its neighbours high
    assert (res.cluster == "high").sum() <= 12
    assert res.loc[24, "cluster"] == "ns" and np.isnan(res.loc[24, "z"])
    assert res.loc[48, "cluster"] != "high"


def test_gi_star_matches_esda():
    from esda.getisord import G_Local
    from libpysal.weights import W

    from geoplan.analytics.hotspots import gi_star

    rng = np.random.default_rng(7)
    n = 8
    cells = [shapely.box(i, j, i + 1, j + 1) for j in range(n) for i in range(n)]
    y = rng.gamma(2.0, 0.02, n * n)
    y[:10] += 0.2
    w = contiguity(gpd.GeoDataFrame(geometry=cells, crs=25833))
    ref = G_Local(y, W.from_sparse(w), transform="R", star=True, permutations=999, seed=1,
                  n_jobs=1)
    g, z, p = gi_star(y, w, permutations=999, seed=1)
    np.testing.assert_allclose(g, ref.Gs, rtol=0, atol=1e-12)
    np.testing.assert_allclose(z, ref.Zs, rtol=0, atol=1e-9)
    # pseudo p-values differ only by sampling error (999 draws: sd <= 0.016)
    assert np.abs(p - ref.p_sim).max() < 0.06
    clear = (ref.p_sim < 0.01) | (ref.p_sim > 0.15)
    assert ((p[clear] <= 0.05) == (ref.p_sim[clear] <= 0.05)).all()
