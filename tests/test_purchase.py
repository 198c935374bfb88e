"""Purchase and sale testing: every after-value equals a full recomputation with the unit added."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
import shapely

from geoplan.analytics.indices import compute_indices
from geoplan.analytics.purchase import (
    build_baseline,
    candidates_frame,
    evaluate_many,
    neighbour_room,
    radius_room,
    reason_group,
    sale_candidates,
    units_near,
)
from geoplan.analytics.reasons import Reason
from geoplan.analytics.where import where_to_buy
from geoplan.policy import Policy
from geoplan.service import rank
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
        # 9 → 10 of 100 dwellings is exactly the cap, not above it, but above 80 % of it
        "Sentrum nord: 9.0 % → 10.0 % municipal dwellings, close to the 10 % cap (above 80 % of "
        "it)",
        # the municipal share after is 21 / 800 = 2.625 %: the LQ after is 3.8 > 1.5
        "Sentrum nord: 10.0 % municipal dwellings after the purchase, more than 1.50 times the "
        "share in the whole municipality (2.6 %)",
        # all nine units of A lie within 250 m of each other: 9 + 1 = 10 ≤ 12 for every one
        "would make 10 municipal units within 250 m, and no unit nearby gets more than 12 within "
        "250 m",
        "could house one household from a waiting group (households waiting): Families with "
        "children (5)",
    ]
    # D is information, never a reason for the verdict
    assert reason_texts(res.to_dict(), "en", reasons=res.info_reasons)[0] == (
        "raises the dissimilarity index D from 0.333 to 0.361")
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
        "building_over", "budget_over", "area_near_cap", "area_far_above_mean", "radius_ok",
        "demand"]
    assert [reason_group(r) for r in res.reasons] == [
        "breaks", "breaks", "passes", "passes", "passes", "positives"]
    assert [(r.rule, r.level) for r in res.info_reasons] == [("d_up", "info"),
                                                             ("isolation_up", "info")]
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
    assert "kan huse én husstand fra en målgruppe som venter (husstander som venter): Eldre (3)" \
        in words(res, "nb")
    assert words(res, "nb")[:2] == [
        "Vestad: 1,0 % → 1,3 % kommunale boliger (tak 10 %)",
        "Vestad: 1,3 % kommunale boliger etter kjøpet, ikke over andelen i hele kommunen (2,6 %)"]


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
    assert res.households_waiting.tolist() == [0, 2, 0, 3, 5]
    assert res.houses.tolist() == [0, 1, 0, 1, 1]  # one flat houses one household


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


def test_outside_areas_without_a_boundary_is_amber_unknown():
    b = base()  # no municipal boundary loaded: outside every area, the share is unknown
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


# ---------------------------------------------------------------- issue 8: local verdicts


def neighbour_world():
    """One area (1,000 dwellings) with unit U at (500, 500) and four units 180–201 m west of it.

    Every unit has 5 municipal units within 250 m (itself included); the cap is 5.  A flat
    bought at (740, 500) is 240 m from U and more than 420 m from the four others.
    """
    areas = AREAS.iloc[[0]].assign(dwellings=[1000], geometry=[shapely.box(240, 0, 1240, 1000)])
    units = units_frame().iloc[:5].assign(
        x=[500.0, 300.0, 300.0, 300.0, 320.0], y=[500.0, 500.0, 520.0, 480.0, 500.0],
        building_id=None)
    return build_baseline(units, areas, Policy(0.10, 2, 5), DEMAND)


def test_a_purchase_that_pushes_an_existing_unit_over_the_250m_cap_is_red():
    b = neighbour_world()
    assert b.unit_within_250m.tolist() == [5, 5, 5, 5, 5]
    assert radius_room(b).tolist() == [0, 0, 0, 0, 0]
    cands = candidates_frame([{"label": "near U", "x": 740.0, "y": 500.0, "rooms": 3},
                              {"label": "far", "x": 1200.0, "y": 950.0, "rooms": 3}])
    res = evaluate_many(b, cands)
    near = res.iloc[0]
    assert near.after_within_250m == 2  # its own circle: U and itself, far below the cap
    assert near.verdict == "red"
    assert near.reasons[0] == Reason("neighbours_over", "red", count=1, after=6.0, cap=5)
    assert words(near)[0] == ("gives 1 existing municipal unit more than 5 municipal units "
                              "within 250 m (up to 6)")
    assert res.iloc[1].verdict == "green"
    room = neighbour_room(b, cands[["x", "y"]].to_numpy(float))
    assert room.loc[0].tolist() == [1, 1, 0, 6.0, 0.0]
    assert room.loc[1, "neighbours"] == 0 and np.isnan(room.loc[1, "neighbour_room"])
    assert [u.tolist() for u in units_near(b, cands[["x", "y"]].to_numpy(float))] == [[0], []]
    # a neighbour at 4 of 5 is brought to the cap: a warning, not a break
    four = build_baseline(b.units.iloc[:4], b.areas, b.policy, DEMAND)
    warned = evaluate_many(four, cands.iloc[[0]]).iloc[0]
    assert warned.verdict == "amber" and warned.reasons[0].rule == "neighbours_at_cap"


def test_where_to_buy_counts_the_room_around_existing_units():
    # the area's representative point is (740, 500): 1 unit within 250 m (room 4 by its own
    # circle), but U already has 5 within 250 m: no purchase may enter its circle
    table = where_to_buy(neighbour_world())
    assert table.loc[0, "headroom"] == 0 and table.loc[0, "class"] == "red"


def test_a_low_share_against_a_high_cap_is_green_even_when_d_rises():
    # E: 11 of 1,000 dwellings municipal, 1.2 % after one more; F: 10 of 1,000 (1.0 %).  The
    # municipal share after is 22 / 2,000 = 1.1 %, so D rises; the LQ after is 1.09
    areas = AREAS.iloc[:2].assign(dwellings=[1000, 1000])
    units = units_frame().iloc[:1]
    units = pd.concat([units.assign(x=50.0 + 80 * i, y=50.0 + 80 * j, unit_id=f"e{i}{j}",
                                    building_id=None)
                       for i in range(11) for j in range(1)]
                      + [units.assign(x=1050.0 + 80 * i, y=50.0, unit_id=f"f{i}",
                                      building_id=None) for i in range(10)], ignore_index=True)
    b = build_baseline(units, areas, CAPS, DEMAND)
    res = evaluate_many(b, candidates_frame([{"x": 500.0, "y": 900.0, "rooms": 3}])).iloc[0]
    assert res.after_area_share == pytest.approx(0.012)
    assert res.after_location_quotient == pytest.approx(0.012 / 0.011)
    assert res.after_dissimilarity > res.before_dissimilarity
    assert res.verdict == "green"
    assert [r.rule for r in res.reasons] == ["area_ok", "area_above_mean", "radius_ok", "demand"]
    assert [r.rule for r in res.info_reasons][0] == "d_up"


def test_two_below_average_areas_lower_d_alike_but_differ_locally():
    # B (8 of 400 → 9: 2.25 %) and C (3 of 300 → 4: 1.33 %) are both below the municipal
    # share after (21 / 800 = 2.625 %): D falls by exactly as much in both
    b = base()
    res = evaluate_many(b, candidates_frame([{"x": 1600.0, "y": 950.0, "rooms": 3},
                                             {"x": 2600.0, "y": 950.0, "rooms": 3}]))
    in_b, in_c = res.iloc[0], res.iloc[1]
    assert in_b.after_dissimilarity == pytest.approx(in_c.after_dissimilarity, abs=1e-12)
    assert in_b.after_location_quotient == pytest.approx(0.0225 / 0.02625)
    assert in_c.after_location_quotient == pytest.approx((4 / 300) / 0.02625)
    assert in_b.verdict == in_c.verdict == "green"
    assert {r.rule for r in in_b.reasons} >= {"area_below_mean"}


def test_outside_the_municipal_boundary_is_red_never_unknown():
    boundary = shapely.box(0, 0, 3000, 1000)  # A, B and C; D lies outside
    b = build_baseline(units_frame(), AREAS, CAPS, DEMAND, boundary=boundary,
                       municipality="Testby")
    res = evaluate_many(b, candidates_frame([{"x": 3500.0, "y": 500.0},
                                             {"x": 90_000.0, "y": 9_000.0},
                                             {"x": 3000.0, "y": 500.0}]))
    # on the boundary is inside (and in C, the first area found on the C/D edge)
    assert res.verdict.tolist() == ["red", "red", "green"]
    assert res.in_municipality.tolist() == [False, False, True]
    for row in (res.iloc[0], res.iloc[1]):
        assert row.reasons[0] == Reason("outside_municipality", "red")
        assert "area_unknown" not in {r.rule for r in row.reasons}
        assert reason_texts({**row.to_dict(), "municipality": "Testby"}, "en")[0] == (
            "lies outside Testby")
    assert reason_texts(res.iloc[0].to_dict(), "nb")[0] == "ligger utenfor kommunen"


# ---------------------------------------------------------------- issue 10: the gap


def gap_frame(**groups: tuple[float, float]) -> pd.DataFrame:
    """The demand model's outlook as a baseline carries it: (waiting, gap) per group code."""
    return pd.DataFrame({"waiting": [w for w, _ in groups.values()],
                         "gap": [g for _, g in groups.values()]}, index=list(groups))


def test_a_flat_fitting_only_groups_with_gap_0_does_not_meet_unmet_demand():
    # families: 5 waiting, but the demand model sees their need covered in 4 years (gap 0);
    # the elderly: 3 waiting, gap 6; the homeless: 2 waiting, gap unknown (no flows)
    gap = gap_frame(families=(5, 0.0), elderly=(3, 6.0), homeless_substance=(2, np.nan))
    b = build_baseline(units_frame(), AREAS, CAPS, DEMAND, gap=gap, gap_horizon=4)
    here = {"x": 2800.0, "y": 900.0}
    cands = candidates_frame([
        {**here, "label": "families only", "rooms": 3},
        {**here, "label": "elderly", "rooms": 2, "universal_design": True},
        {**here, "label": "homeless", "rooms": 1, "staffed": True},
        {**here, "label": "both", "rooms": 3, "universal_design": True},
    ])
    res = evaluate_many(b, cands)
    assert res.houses.tolist() == [0, 1, 1, 1]
    assert res.demand_gap.tolist() == [(("families", 0.0),), (("elderly", 6.0),),
                                       (("homeless_substance", None),),
                                       (("elderly", 6.0), ("families", 0.0))]
    assert res.demand_fit.tolist() == [(("families", 5),), (("elderly", 3),),
                                       (("homeless_substance", 2),),
                                       (("elderly", 3), ("families", 5))]
    assert res.households_waiting.tolist() == [5, 3, 2, 8]  # context, not the score
    only, elderly, homeless, both = (res.iloc[k] for k in range(4))
    assert only.verdict == "amber"
    assert Reason("demand_covered", "amber", count=4, groups=(("families", 5, 0.0),)) \
        in only.reasons
    assert ("fits only groups whose need is covered within 4 years: "
            "Families with children (unmet 0, 5 waiting)") in words(only)
    assert elderly.verdict == "green"
    assert ("kan huse én husstand fra en målgruppe med behov som ikke er dekket om 4 år: "
            "Eldre (udekket 6, 3 venter)") in words(elderly, "nb")
    # an unknown gap counts by its households waiting, in the words of a baseline without gap
    assert Reason("demand", "green", groups=(("homeless_substance", 2),)) in homeless.reasons
    assert Reason("demand_gap", "green", count=4, groups=(("elderly", 3, 6.0),)) in both.reasons
    # the ranking puts the flat that meets unmet need before the one that does not
    ranked = rank(b, cands.iloc[[0, 1]])
    assert ranked["label"].tolist() == ["elderly", "families only"]
    # without the demand model's gap every group with households waiting counts, as before
    plain = evaluate_many(base(), cands)
    assert plain.houses.tolist() == [1, 1, 1, 1]
    assert plain.demand_gap.tolist()[0] == (("families", None),)


def test_where_to_buy_weighs_the_gap_not_the_households_waiting():
    demand = pd.DataFrame({
        "target_group": ["families", "elderly", "elderly", "homeless_substance"],
        "households": [5, 2, 1, 2], "rooms_needed": [3, 2, 2, 1],
        "universal_design": [False, True, True, False], "staffed": [False, False, False, True],
        "preferred_area": ["Berg", "Vestad", "Berg", None]})
    plain = where_to_buy(build_baseline(units_frame(), AREAS, CAPS, demand)).set_index("code")
    # households waiting: B 5 + 1 + 2 of 10, C 2 + 2, A 2 (the homeless prefer no area)
    assert plain["demand_fit"].to_dict() == pytest.approx({"A": 0.2, "B": 0.8, "C": 0.4,
                                                           "D": 0.2})
    # the gap: families 0 (weigh nothing), the elderly 6 spread 4 : 2 over their rows by
    # households, the homeless unknown (their 2 households), youth 2 with nobody waiting (one
    # row, no preferred area): B 2 + 2 + 2, C 4 + 2 + 2, A 2 + 2, of 10
    gap = gap_frame(families=(5, 0.0), elderly=(3, 6.0), homeless_substance=(2, np.nan),
                    youth=(0, 2.0))
    table = where_to_buy(build_baseline(units_frame(), AREAS, CAPS, demand, gap=gap,
                                        gap_horizon=4)).set_index("code")
    assert table["demand_fit"].to_dict() == pytest.approx({"A": 0.4, "B": 0.6, "C": 0.8,
                                                           "D": 0.4})
    assert table.loc["B", "groups"] == ["homeless_substance", "youth", "elderly"]
    assert plain.loc["B", "groups"] == ["homeless_substance", "families", "elderly"]
