"""Where to buy: each area's headroom under the caps and how well it fits the unmet demand.

Unmet demand is the demand model's gap per target group when the baseline carries one
(:attr:`~geoplan.analytics.purchase.Baseline.gap`: the projected queue at the horizon without a
scenario), spread over the group's need rows by their households waiting; a group whose gap is
unknown (no flows) counts by its households waiting, and a baseline without a gap counts every
group by its households waiting.  A group whose gap is 0 weighs nothing.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import shapely
from scipy.spatial import cKDTree

from geoplan.analytics.demand_flow import GROUPS
from geoplan.analytics.purchase import RADIUS_M, Baseline, area_room, neighbour_room
from geoplan.vocab import TARGET_GROUP, fold

# The services each target group should have near a new unit.
SERVICE_NEEDS: dict[str, tuple[str, ...]] = {
    "families": ("skole", "barnehage"),
    "refugees": ("skole", "kollektiv"),
    "youth": ("kollektiv",),
    "elderly": ("helsestasjon", "dagligvare"),
    "disabilities": ("helsestasjon", "kollektiv"),
    "mental_health": ("helsestasjon", "kollektiv"),
    "homeless_substance": ("kollektiv",),
}
NEAR_M = 1000.0
FAR_WEIGHT = 0.25  # demand counted where the services a group needs are not near
GOOD_FIT = 0.5


def where_to_buy(base: Baseline, services: pd.DataFrame | None = None) -> pd.DataFrame:
    """Return per area: headroom (units before any cap), demand fit (0–1), groups and class.

    Headroom is the smallest of the area-share room (``floor(cap * dwellings) - units``), the
    250 m room at the area's representative point (``cap - units within 250 m``) and the room
    left in the 250 m circles of the existing units around that point (a purchase there enters
    each of them: :func:`~geoplan.analytics.purchase.neighbour_room`).  Demand fit is the share
    of the unmet demand (:func:`unmet_rows`: the gap, or households waiting where no gap is
    known) the area suits: the need of rows that prefer it by name, and the rest weighted down
    where the services their group needs (schools for families …) are not within 1 km.
    ``groups``: the groups with unmet need the area suits fully.  Class: green (room and a good
    fit), amber (room, weak fit), red (no room), unknown (no dwellings).
    """
    areas, pol = base.areas, base.policy
    rep = shapely.point_on_surface(areas.geometry.to_numpy())
    rx, ry = shapely.get_x(rep), shapely.get_y(rep)
    room_share = area_room(pol.max_area_share, base.t, base.x)
    rep_xy = np.column_stack([rx, ry])
    near = np.asarray(base.tree.query_ball_point(rep_xy, RADIUS_M, return_length=True),
                      dtype=float)
    room_near = neighbour_room(base, rep_xy)["neighbour_room"].fillna(np.inf).to_numpy(float)
    headroom = np.minimum(np.minimum(room_share, pol.max_within_250m - near), room_near)
    headroom = np.where(base.ok, np.maximum(headroom, 0), np.nan)
    demand = unmet_rows(base)
    total = float(demand["unmet"].sum())
    has = _service_near(services, rx, ry)
    names = {fold(v) for v in areas["name"].dropna()} | {fold(v) for v in areas["code"]}
    score = np.zeros(len(areas))
    groups: list[set[str]] = [set() for _ in range(len(areas))]
    for row in demand.itertuples():
        pref = fold(row.preferred_area) if isinstance(row.preferred_area, str) else ""
        if pref and pref in names:
            hit = (areas["name"].map(lambda v: fold(v) if isinstance(v, str) else "") == pref) \
                | (areas["code"].map(fold) == pref)
            weight = hit.to_numpy(float)
        else:
            needs = SERVICE_NEEDS.get(row.target_group, ())
            ok = np.all([has[c] for c in needs], axis=0) if needs and has else np.ones(len(areas),
                                                                                     bool)
            weight = np.where(ok, 1.0, FAR_WEIGHT)
        score += weight * row.unmet
        for i in np.flatnonzero(weight >= 1.0):
            groups[i].add(row.target_group)
    fit = score / total if total else np.zeros(len(areas))
    cls = np.where(np.isnan(headroom), "unknown",
                   np.where(headroom < 1, "red", np.where(fit >= GOOD_FIT, "green", "amber")))
    out = pd.DataFrame({
        "code": areas["code"], "name": areas["name"], "units": base.x, "dwellings": base.t,
        "headroom": headroom, "demand_fit": fit,
        "groups": [sorted(g, key=list(TARGET_GROUP.terms).index) for g in groups],
        "class": cls,
    })
    order = out["class"].map({"green": 0, "amber": 1, "red": 2, "unknown": 3})
    return out.assign(_o=order).sort_values(["_o", "demand_fit", "headroom"],
                                            ascending=[True, False, False]).drop(columns="_o")


def unmet_rows(base: Baseline) -> pd.DataFrame:
    """The unmet demand where-to-buy weighs: one row per need row, with ``unmet`` households.

    Columns ``target_group``, ``preferred_area`` and ``unmet``.  Without a gap on the baseline
    ``unmet`` is the row's households waiting.  With one, a group's gap is spread over its rows
    in proportion to their households waiting (a group with a gap but nobody waiting gets one
    row without a preferred area); a group with an unknown gap keeps its households waiting.
    Rows with no unmet need are left out.
    """
    demand = base.demand.reindex(columns=["target_group", "households", "preferred_area"])
    demand = demand[pd.to_numeric(demand["households"], errors="coerce") > 0]
    rows = demand.assign(unmet=demand["households"].astype(float))
    if base.gap is not None:
        gap = base.gap["gap"].reindex(list(GROUPS))
        waiting = rows.groupby("target_group")["unmet"].transform("sum")
        known = rows["target_group"].map(gap).notna().to_numpy()
        share = rows["target_group"].map(gap) * rows["unmet"] / waiting
        rows["unmet"] = np.where(known, share, rows["unmet"])
        alone = [g for g in gap.index[gap > 0] if g not in set(rows["target_group"])]
        rows = pd.concat([rows, pd.DataFrame({"target_group": alone, "preferred_area": None,
                                              "unmet": gap[alone].to_numpy(float)})],
                         ignore_index=True)
    return rows[rows["unmet"] > 0][["target_group", "preferred_area", "unmet"]]


def _service_near(services: pd.DataFrame | None, x: np.ndarray, y: np.ndarray) -> dict:
    """For each service category, whether one lies within NEAR_M of each point."""
    if services is None or services.empty:
        return {}
    out = {}
    pts = np.column_stack([x, y])
    for cat, part in services.groupby("category"):
        tree = cKDTree(part[["x", "y"]].to_numpy(float))
        dist, _ = tree.query(pts, k=1)
        out[cat] = dist <= NEAR_M
    for needs in SERVICE_NEEDS.values():
        for c in needs:
            out.setdefault(c, np.zeros(len(x), bool))
    return out
