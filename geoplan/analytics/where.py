"""Where to buy: each area's headroom under the caps and how well it fits the unmet demand."""

from __future__ import annotations

import numpy as np
import pandas as pd
import shapely
from scipy.spatial import cKDTree

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
    each of them: :func:`~geoplan.analytics.purchase.neighbour_room`).  Demand fit is the share of waiting
    households the area suits: those who prefer it by name, and the rest weighted down where
    the services their group needs (schools for families …) are not within 1 km.  Class:
    green (room and a good fit), amber (room, weak fit), red (no room), unknown (no dwellings).
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
    demand = base.demand[base.demand["households"] > 0]
    total = float(demand["households"].sum())
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
        score += weight * row.households
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
