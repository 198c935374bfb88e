"""Per-area, radius, same-building, hot-spot, flag and trend analytics on hand-made fixtures."""

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
from geoplan.analytics.reasons import Reason
from geoplan.analytics.thresholds import area_flags, unit_flags
from geoplan.analytics.trend import TrendStatement, change, statement, year_dates, yearly
from geoplan.analytics.weights import contiguity
from geoplan.policy import Policy
from geoplan.ui.concentration_tables import area_flag_texts, unit_flag_texts

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


# ---------------------------------------------------------------- flags (data) and their words


def test_policy_flags_are_data():
    table = pd.DataFrame({"code": ["A", "B"], "name": ["Sentrum nord", None],
                          "share": [0.142, np.nan]})
    flags = area_flags(table, Policy())
    assert flags.tolist() == [(Reason("area_share", area="A", value=0.142, cap=0.10),), ()]
    units = pd.DataFrame([unit("u1", 0, 0, street="Storgata", house_number="12"),
                          unit("u2", 0, 0)])
    prox = pd.DataFrame({"same_building": [3, 2], "within_250m": [13, 12]})
    assert unit_flags(units, prox, Policy()).tolist() == [
        (Reason("building", unit_id="u1", count=3, cap=2),
         Reason("radius", unit_id="u1", count=13, cap=12)),
        (),
    ]


def test_policy_flags_in_words():
    table = pd.DataFrame({"code": ["A", "B"], "name": ["Sentrum nord", None],
                          "share": [0.142, np.nan]})
    table["flag"] = area_flags(table, Policy())
    assert area_flag_texts(table, "en").tolist() == [
        "Sentrum nord: 14.2 % municipal dwellings (cap 10 %)", ""]
    assert area_flag_texts(table, "nb")[0] == (
        "Sentrum nord: 14,2 % kommunale boliger (tak 10 %)")
    units = pd.DataFrame([unit("u1", 0, 0, street="Storgata", house_number="12"),
                          unit("u2", 0, 0)])
    prox = pd.DataFrame({"same_building": [3, 1], "within_250m": [13, 13]})
    units["flag"] = unit_flags(units, prox, Policy())
    assert unit_flag_texts(units, "en")[0] == (
        "Storgata 12: 3 municipal units in one building or housing company (cap 2); "
        "Storgata 12: 13 municipal units within 250 m (cap 12)")
    assert unit_flag_texts(units, "nb")[1] == "u2: 13 kommunale boliger innen 250 m (tak 12)"
    # the public mode names no unit: neither its address nor its id
    hidden = unit_flag_texts(units, "en", show_address=False).tolist()
    assert hidden == ["3 municipal units in one building or housing company (cap 2); "
                      "13 municipal units within 250 m (cap 12)",
                      "13 municipal units within 250 m (cap 12)"]


def test_one_unit_over_a_zero_cap_is_singular():
    units = pd.DataFrame([unit("u1", 0, 0)])
    units["flag"] = unit_flags(units, pd.DataFrame({"same_building": [1], "within_250m": [1]}),
                               Policy(max_per_building=0))
    assert unit_flag_texts(units, "nb", show_address=False)[0] == (
        "1 kommunal bolig i samme bygning/borettslag (tak 0)")
    assert unit_flag_texts(units, "en", show_address=False)[0] == (
        "1 municipal unit in one building or housing company (cap 0)")


# ---------------------------------------------------------------- the yearly trend


def test_trend_by_hand():
    units = pd.DataFrame([
        unit("a", 100, 100, acquired=dt.date(2015, 3, 1)),
        unit("b", 200, 100, acquired=dt.date(2016, 3, 1), disposed=dt.date(2018, 1, 1)),
        unit("c", 1500, 500, acquired=dt.date(2017, 3, 1)),
    ])
    idx = np.array([0, 0, 1])
    dates = year_dates(2015, dt.date(2018, 6, 30))
    assert dates[-1] == dt.date(2018, 6, 30) and dates[0] == dt.date(2015, 12, 31)
    trend, by_area = yearly(units, AREAS, idx, dates)
    assert trend.units.tolist() == [1, 2, 3, 2]  # b is disposed on 1 January 2018
    assert by_area.loc["A"].tolist() == pytest.approx([1 / 1000, 2 / 1000, 2 / 1000, 1 / 1000])
    assert by_area.loc["B", 2017] == pytest.approx(1 / 400)
    # 2017: A 2/1000, B 1/400 → D by hand
    x, t = np.array([2.0, 1.0]), np.array([1000.0, 400.0])
    P = 3 / 1400
    d = (t * np.abs(x / t - P)).sum() / (2 * 1400 * P * (1 - P))
    assert trend.set_index("year").loc[2017, "dissimilarity"] == pytest.approx(d, abs=1e-12)
    diff = change(trend, 2016, 2017)
    assert diff.loc["units", "change"] == 1
    assert diff.loc["dissimilarity", "2017"] == pytest.approx(d, abs=1e-12)


def trend_of(values: list[float], start: int = 2019) -> pd.DataFrame:
    """A yearly frame with ``values`` as the dissimilarity from ``start`` on."""
    return pd.DataFrame({"year": range(start, start + len(values)), "dissimilarity": values})


def test_trend_statement_falling_rising_flat_unknown():
    falling = [0.30, 0.25, 0.24, 0.22, 0.21, 0.20, 0.19]
    assert statement(trend_of(falling)) == TrendStatement(
        "dissimilarity", "falling", 0.25, 0.19, 2020, 2025)
    assert statement(trend_of(falling[::-1])).direction == "rising"
    assert statement(trend_of([0.2, 0.2, 0.205])) == TrendStatement(
        "dissimilarity", "flat", 0.2, 0.205, 2019, 2021)
    assert statement(trend_of([np.nan, 0.30, 0.20])) == TrendStatement(
        "dissimilarity", "falling", 0.30, 0.20, 2020, 2021)
    assert statement(trend_of([np.nan, 0.2])) == TrendStatement("dissimilarity", "unknown")


def test_a_radius_is_inclusive_and_counts_the_unit_itself():
    """Convention: "within 250 m" is a distance of at most 250 m, the unit itself included."""
    xy = np.array([[0.0, 0.0], [250.0, 0.0], [250.0 + 1e-6, 0.0]])
    assert radius_counts(xy[:2], 250.0).tolist() == [2, 2]  # exactly 250 m apart: both count
    assert radius_counts(xy[[0, 2]], 250.0).tolist() == [1, 1]  # a hair further: neither
