"""Purchase and sale testing: every after-value equals a full recomputation with the unit added."""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
import shapely

from geoplan.analytics.indices import compute_indices
from geoplan.analytics.purchase import (
    build_baseline,
    candidates_frame,
    evaluate_many,
    ordinal,
    sale_candidates,
)
from geoplan.policy import Policy

# Four 1 km squares: A and B dense, C mid, D with unknown dwellings.
AREAS = gpd.GeoDataFrame(
    {"code": ["A", "B", "C", "D"], "name": ["Sentrum nord", "Berg", "Vestad", "Skog"],
     "population": [2000, 1000, 1500, None], "dwellings": [100, 400, 300, None]},
    geometry=[shapely.box(i * 1000, 0, (i + 1) * 1000, 1000) for i in range(4)], crs=25833)

DEMAND = pd.DataFrame({
    "target_group": ["families", "elderly", "homeless_substance"],
    "households": [5, 3, 2], "rooms_needed": [3, 2, 1],
    "universal_design": [False, True, False], "staffed": [False, False, True],
    "preferred_area": [None, None, None],
})


def units_frame() -> pd.DataFrame:
    rows = []
    # A: 9 units (9 % of 100), 2 of them in building B1 at Storgata 12; B: 8; C: 3
    for i in range(9):
        rows.append({"x": 100.0 + 30 * i, "y": 100.0, "building_id": "B1" if i < 2 else None})
    rows += [{"x": 1500.0 + 20 * i, "y": 500.0, "building_id": None} for i in range(8)]
    rows += [{"x": 2500.0 + 40 * i, "y": 500.0, "building_id": None} for i in range(3)]
    frame = pd.DataFrame(rows)
    frame["unit_id"] = [f"u{i}" for i in range(len(frame))]
    frame["housing_company"] = None
    frame["street"] = "Storgata"
    frame["house_number"] = [str(i) for i in range(len(frame))]
    frame["letter"] = None
    frame["postal_code"] = "2406"
    frame["unit_type"] = "ordinary"
    frame["target_group"] = ["families"] * 10 + ["elderly"] * 10
    return frame


CAPS = Policy(0.10, 2, 12)


def base(budget=None, policy=CAPS):
    return build_baseline(units_frame(), AREAS, policy, DEMAND, budget)


def recomputed(units: pd.DataFrame) -> dict:
    """Full recomputation of the municipality-wide values from scratch."""
    b = build_baseline(units, AREAS, Policy(), DEMAND)
    res = compute_indices(b.x, b.t)
    return {"dissimilarity": res["dissimilarity"], "isolation": res["isolation"], "x": b.x}


@pytest.mark.parametrize("px,py,area", [(150.0, 120.0, 0), (1600.0, 400.0, 1),
                                        (2300.0, 800.0, 2)])
def test_buy_after_equals_full_recomputation(px, py, area):
    b = base()
    cand = candidates_frame([{"label": "K", "x": px, "y": py, "rooms": 3, "building_id": "B1"}])
    res = evaluate_many(b, cand, "en").iloc[0]
    units = units_frame()
    added = pd.concat([units, pd.DataFrame([{**units.iloc[0].to_dict(), "unit_id": "new",
                                             "x": px, "y": py, "building_id": "B1"}])],
                      ignore_index=True)
    full = recomputed(added)
    assert res.after_dissimilarity == pytest.approx(full["dissimilarity"], abs=1e-12)
    assert res.after_isolation == pytest.approx(full["isolation"], abs=1e-12)
    t = AREAS.dwellings.to_numpy(float)
    assert res.after_area_share == pytest.approx(full["x"][area] / t[area], abs=1e-12)
    before = recomputed(units)
    assert res.before_dissimilarity == pytest.approx(before["dissimilarity"], abs=1e-12)
    P_after = full["x"][:3].sum() / t[:3].sum()
    assert res.after_location_quotient == pytest.approx(full["x"][area] / t[area] / P_after)
    assert res.after_building_count == 3 and res.before_building_count == 2
    xy = added[["x", "y"]].to_numpy()
    dist = np.hypot(xy[:, 0] - px, xy[:, 1] - py)
    assert res.after_within_250m == (dist <= 250).sum()
    assert res.after_within_500m == (dist <= 500).sum()


def test_verdict_red_with_every_reason_in_words():
    b = base(budget=2_000_000)
    cand = candidates_frame([{"label": "Storgata 12", "address": "Storgata 12", "x": 150.0,
                              "y": 120.0, "rooms": 3, "building_id": "B1",
                              "price": 2_500_000}])
    res = evaluate_many(b, cand, "en").iloc[0]
    assert res.verdict == "red"
    # by hand: D = 13 / 39 before; after, x = (10, 8, 3), P = 21/800: 14.75 / 40.8975
    assert res.reasons == [
        "would be the 3rd municipal unit in Storgata 12 (cap 2)",
        "price NOK 2,500,000 exceeds the remaining budget of NOK 2,000,000",
        "raises the dissimilarity index D from 0.333 to 0.361",
        # 9 → 10 of 100 dwellings is exactly the cap, not above it
        "Sentrum nord: 9.0 % → 10.0 % municipal dwellings (cap 10 %)",
        "could house Families with children (5)",
    ]
    assert res.after_dissimilarity == pytest.approx(14.75 / 40.8975, abs=1e-12)


def test_crossing_the_area_cap_in_words():
    b = base(policy=Policy(0.095, 5, 12))
    res = evaluate_many(b, candidates_frame([{"x": 150.0, "y": 900.0, "rooms": 1}]), "en")
    assert res.iloc[0].reasons[0] == (
        "raises Sentrum nord from 9.0 % to 10.0 % municipal dwellings, above the 9.5 % cap")
    assert res.iloc[0].verdict == "red"


def test_green_where_concentration_falls_and_demand_is_met():
    b = base(budget=5_000_000)
    cand = candidates_frame([{"x": 2800.0, "y": 900.0, "rooms": 2, "universal_design": True,
                              "price": 3_000_000}])
    res = evaluate_many(b, cand, "nb").iloc[0]
    assert res.verdict == "green"
    assert res.after_dissimilarity < res.before_dissimilarity
    assert [g["target_group"] for g in res.demand_fit] == ["elderly"]
    assert "kan huse Eldre (3)" in res.reasons
    assert res.reasons[0] == "Vestad: 1,0 % → 1,3 % kommunale boliger (tak 10 %)"


def test_demand_fit_rules():
    b = base()
    cands = candidates_frame([
        {"x": 2800.0, "y": 900.0, "rooms": 1},  # the homeless need staffing: no fit
        {"x": 2800.0, "y": 900.0, "rooms": 1, "staffed": True},  # staffed: fits them
        {"x": 2800.0, "y": 900.0, "rooms": 5},  # too big: families need 3, at most 4
        {"x": 2800.0, "y": 900.0, "rooms": 3, "unit_type": "care",
         "universal_design": True},  # care: the elderly, not families
        {"x": 2800.0, "y": 900.0, "rooms": 3},  # families; the elderly need UD
    ])
    res = evaluate_many(b, cands, "en")
    assert [[g["target_group"] for g in r] for r in res.demand_fit] == [
        [], ["homeless_substance"], [], ["elderly"], ["families"]]
    assert res.households_served.tolist() == [0, 2, 0, 3, 5]


def test_sale_mirrors_purchase_and_full_recomputation():
    b = base()
    sale = sale_candidates(b, ["u0"])
    res = evaluate_many(b, sale, "en").iloc[0]
    units = units_frame()
    full = recomputed(units[units.unit_id != "u0"])
    assert res.after_dissimilarity == pytest.approx(full["dissimilarity"], abs=1e-12)
    assert res.after_isolation == pytest.approx(full["isolation"], abs=1e-12)
    assert (res.before_area_share, res.after_area_share) == (0.09, 0.08)
    assert (res.before_building_count, res.after_building_count) == (2, 1)
    assert res.after_within_250m == res.before_within_250m - 1
    assert "the target group Families with children has 5 households waiting" in res.reasons
    with pytest.raises(KeyError, match="nope"):
        sale_candidates(b, ["nope"])


def test_outside_areas_is_amber_unknown():
    b = base()
    res = evaluate_many(b, candidates_frame([{"x": 3500.0, "y": 500.0}]), "en").iloc[0]
    assert res.verdict == "amber" and np.isnan(res.after_area_share)
    assert res.reasons[0].startswith("the area's share is unknown")
    assert res.after_dissimilarity == res.before_dissimilarity


def test_ordinals():
    assert [ordinal(n) for n in (1, 2, 3, 4, 11, 12, 13, 21, 22, 102)] == [
        "1st", "2nd", "3rd", "4th", "11th", "12th", "13th", "21st", "22nd", "102nd"]


def test_overfull_area_after_values_equal_full_recomputation():
    # area A with more units than dwellings (the indices then count A as fully municipal)
    areas = AREAS.assign(dwellings=[5, 400, 300, None])
    units = units_frame()
    b = build_baseline(units, areas, CAPS, DEMAND)
    for action, extra in (("sell", sale_candidates(b, ["u0"])),
                          ("buy", candidates_frame([{"x": 150.0, "y": 900.0}]))):
        res = evaluate_many(b, extra, "en").iloc[0]
        moved = units[units.unit_id != "u0"] if action == "sell" else pd.concat(
            [units, units.iloc[[0]].assign(unit_id="new", x=150.0, y=900.0)], ignore_index=True)
        full = build_baseline(moved, areas, CAPS, DEMAND)
        expect = compute_indices(full.x, full.t)
        assert res.after_dissimilarity == pytest.approx(expect["dissimilarity"], abs=1e-12)
        assert res.after_isolation == pytest.approx(expect["isolation"], abs=1e-12)
