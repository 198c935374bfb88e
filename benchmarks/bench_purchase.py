"""Purchase testing at national scale: one evaluation, ranking 10,000, the optimiser on 500.

Run: ``python -m benchmarks.bench_purchase`` (or ``geoplan bench --json``).
"""

from __future__ import annotations

import datetime as dt
import json
import statistics
import time

import numpy as np
import pandas as pd


def _candidates(data, n: int, seed: int) -> pd.DataFrame:
    """Candidates near existing areas' seeds, with rooms, size, flags and prices."""
    rng = np.random.default_rng(seed)
    pts = data.areas.geometry.representative_point()
    pick = rng.integers(0, len(pts), n)
    return pd.DataFrame({
        "label": [f"K{i:05d}" for i in range(n)],
        "x": pts.x.to_numpy()[pick] + rng.normal(0, 200, n),
        "y": pts.y.to_numpy()[pick] + rng.normal(0, 200, n),
        "rooms": rng.integers(1, 6, n), "area_m2": rng.uniform(25, 110, n).round(1),
        "universal_design": rng.random(n) < 0.3, "staffed": rng.random(n) < 0.1,
        "price": rng.uniform(1.2e6, 5.5e6, n).round(-4),
    })


def _demand() -> pd.DataFrame:
    groups = ["homeless_substance", "mental_health", "refugees", "youth", "families",
              "elderly", "disabilities"]
    rooms = [1, 2, 3, 1, 3, 2, 2]
    return pd.DataFrame({"target_group": groups, "households": [40, 25, 60, 30, 45, 35, 20],
                         "rooms_needed": rooms, "universal_design": [0, 0, 0, 0, 0, 1, 1],
                         "staffed": [1, 0, 0, 0, 0, 0, 1], "preferred_area": None})


def run() -> dict:
    """Measure evaluation, ranking and the optimiser on the national data set."""
    from benchmarks.national import anchors, make
    from geoplan.analytics.active import active_units
    from geoplan.analytics.optimise import plan_purchases
    from geoplan.analytics.purchase import build_baseline, evaluate_many
    from geoplan.policy import Policy
    from geoplan.service.purchase import rank

    data = make()
    units = active_units(data.units, dt.date(2026, 1, 1))
    t0 = time.perf_counter()
    base = build_baseline(units, data.areas, Policy(annual_budget=0), _demand(), 50e6)
    t_base = time.perf_counter() - t0
    singles = _candidates(data, 200, 1)
    times = []
    for i in range(len(singles)):
        start = time.perf_counter()
        evaluate_many(base, singles.iloc[[i]])
        times.append(time.perf_counter() - start)
    many = _candidates(data, 10_000, 2)
    t0 = time.perf_counter()
    ranked = rank(base, many)
    t_rank = time.perf_counter() - t0
    five = _candidates(data, 500, 3)
    t0 = time.perf_counter()
    plan = plan_purchases(base, five, budget=60e6,
                          targets={"homeless_substance": 4, "elderly": 3})
    t_plan = time.perf_counter() - t0
    floor = anchors(data)
    median_ms = round(1000 * statistics.median(times), 2)
    return {
        "scale": {"units": len(units), "areas": len(data.areas)},
        **floor,
        "goals": [
            {"what": "one candidate evaluation, national, median", "goal": "≤ 10 ms",
             "measured_ms": median_ms, "anchor": "shapely STRtree count of all units per area",
             "anchor_ms": round(1000 * floor["anchor_strtree_count_s"], 1)},
            {"what": "ranking 10,000 candidates, national", "goal": "< 5 s",
             "measured_s": round(t_rank, 3), "anchor": "geopandas sjoin count per area",
             "anchor_s": floor["anchor_sjoin_count_s"]},
        ],
        "baseline_build_s": round(t_base, 3),
        "evaluate_one_median_ms": median_ms,
        "evaluate_one_p95_ms": round(1000 * float(np.percentile(times, 95)), 2),
        "rank_10000_s": round(t_rank, 3),
        "rank_verdicts": ranked["verdict"].value_counts().to_dict(),
        "optimiser_500x7_s": round(t_plan, 3),
        "optimiser_status": plan.status, "optimiser_chosen": len(plan.chosen),
    }


if __name__ == "__main__":
    print(json.dumps(run(), indent=2))
