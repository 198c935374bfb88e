"""Purchase and sale testing: every after-value equals a full recomputation with the unit added."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from geoplan.analytics.indices import compute_indices
from geoplan.analytics.purchase import (
    build_baseline,
    candidates_frame,
    evaluate_many,
    sale_candidates,
)
from geoplan.analytics.reasons import Reason
from geoplan.policy import Policy
from geoplan.testing.purchase_world import AREAS, CAPS, DEMAND, base, units_frame
from geoplan.ui.format import ordinal
from geoplan.ui.purchase_view import reason_texts
from geoplan.ui.wording import describe


def words(row: pd.Series, lang: str = "en") -> list[str]:
    """The row's reasons in words, as the purchase page shows them (the place named)."""
    return reason_texts(row.to_dict(), lang)


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
    res = evaluate_many(b, cand).iloc[0]
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


def storgata_12() -> pd.Series:
    """A flat in building B1 (already at its cap of 2), over the 2.0 M budget: red."""
    cand = candidates_frame([{"label": "Storgata 12", "address": "Storgata 12", "x": 150.0,
                              "y": 120.0, "rooms": 3, "building_id": "B1",
                              "price": 2_500_000}])
    return evaluate_many(base(budget=2_000_000), cand).iloc[0]


def test_verdict_red_with_every_reason_in_words():
    res = storgata_12()
    assert res.verdict == "red"
    # by hand: D = 13 / 39 before; after, x = (10, 8, 3), P = 21/800: 14.75 / 40.8975
    assert words(res) == [
        "would be the 3rd municipal unit in Storgata 12 (cap 2)",
        "price NOK 2,500,000 exceeds the remaining budget of NOK 2,000,000",
        "raises the dissimilarity index D from 0.333 to 0.361",
        # 9 → 10 of 100 dwellings is exactly the cap, not above it
        "Sentrum nord: 9.0 % → 10.0 % municipal dwellings (cap 10 %)",
        "could house Families with children (5)",
    ]
    assert res.after_dissimilarity == pytest.approx(14.75 / 40.8975, abs=1e-12)


def test_a_reason_is_data_and_never_carries_an_address():
    res = storgata_12()
    building = next(r for r in res.reasons if r.rule == "building_over")
    assert building == Reason("building_over", "red", count=3, cap=2)  # counts only
    assert not any("Storgata" in str(v) for r in res.reasons for v in r.as_dict().values())
    # the caller names the place, or the words say "the building"
    assert describe(building, "en") == "would be the 3rd municipal unit in the building (cap 2)"
    assert describe(building, "nb") == "blir kommunal bolig nr. 3 i bygningen (tak 2)"
    assert describe(building, "nb", "Storgata 12") == (
        "blir kommunal bolig nr. 3 i Storgata 12 (tak 2)")
    assert [r.rule for r in res.reasons] == [
        "building_over", "budget_over", "d_up", "area_ok", "demand"]
    assert res.reasons[-1].groups == (("families", 5),)
    assert reason_texts(res.to_dict(), "en", show_address=False)[0] == (
        "would be the 3rd municipal unit in building B1 (cap 2)")


def test_crossing_the_area_cap_in_words():
    b = base(policy=Policy(0.095, 5, 12))
    res = evaluate_many(b, candidates_frame([{"x": 150.0, "y": 900.0, "rooms": 1}]))
    assert words(res.iloc[0])[0] == (
        "raises Sentrum nord from 9.0 % to 10.0 % municipal dwellings, above the 9.5 % cap")
    assert res.iloc[0].verdict == "red"


def test_green_where_concentration_falls_and_demand_is_met():
    b = base(budget=5_000_000)
    cand = candidates_frame([{"x": 2800.0, "y": 900.0, "rooms": 2, "universal_design": True,
                              "price": 3_000_000}])
    res = evaluate_many(b, cand).iloc[0]
    assert res.verdict == "green"
    assert res.after_dissimilarity < res.before_dissimilarity
    assert [g for g, _ in res.demand_fit] == ["elderly"]
    assert "kan huse Eldre (3)" in words(res, "nb")
    assert words(res, "nb")[0] == "Vestad: 1,0 % → 1,3 % kommunale boliger (tak 10 %)"


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
    res = evaluate_many(b, cands)
    assert [[g for g, _ in r] for r in res.demand_fit] == [
        [], ["homeless_substance"], [], ["elderly"], ["families"]]
    assert res.households_served.tolist() == [0, 2, 0, 3, 5]


def test_sale_mirrors_purchase_and_full_recomputation():
    b = base()
    sale = sale_candidates(b, ["u0"])
    res = evaluate_many(b, sale).iloc[0]
    units = units_frame()
    full = recomputed(units[units.unit_id != "u0"])
    assert res.after_dissimilarity == pytest.approx(full["dissimilarity"], abs=1e-12)
    assert res.after_isolation == pytest.approx(full["isolation"], abs=1e-12)
    assert (res.before_area_share, res.after_area_share) == (0.09, 0.08)
    assert (res.before_building_count, res.after_building_count) == (2, 1)
    assert res.after_within_250m == res.before_within_250m - 1
    assert "the target group Families with children has 5 households waiting" in words(res)
    with pytest.raises(KeyError, match="nope"):
        sale_candidates(b, ["nope"])


def test_outside_areas_is_amber_unknown():
    b = base()
    res = evaluate_many(b, candidates_frame([{"x": 3500.0, "y": 500.0}])).iloc[0]
    assert res.verdict == "amber" and np.isnan(res.after_area_share)
    assert words(res)[0].startswith("the area's share is unknown")
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
        res = evaluate_many(b, extra).iloc[0]
        moved = units[units.unit_id != "u0"] if action == "sell" else pd.concat(
            [units, units.iloc[[0]].assign(unit_id="new", x=150.0, y=900.0)], ignore_index=True)
        full = build_baseline(moved, areas, CAPS, DEMAND)
        expect = compute_indices(full.x, full.t)
        assert res.after_dissimilarity == pytest.approx(expect["dissimilarity"], abs=1e-12)
        assert res.after_isolation == pytest.approx(expect["isolation"], abs=1e-12)
