"""Concentration at national scale: per-area indicators and indices, radius counts, Gi*.

Run: ``python -m benchmarks.bench_concentration`` (or ``geoplan bench --json``).
"""

from __future__ import annotations

import datetime as dt
import json
import time
from collections.abc import Callable

import numpy as np


def best_of(fn: Callable[[], object], repeat: int = 3) -> tuple[float, object]:
    """Run ``fn`` ``repeat`` times; return the fastest wall time in seconds and the result."""
    best, out = float("inf"), None
    for _ in range(repeat):
        start = time.perf_counter()
        out = fn()
        best = min(best, time.perf_counter() - start)
    return best, out


def run() -> dict:
    """Measure the concentration computations on the national data set."""
    from segregation.singlegroup import Dissim

    from benchmarks.national import anchors, make
    from geoplan.analytics.active import active_units
    from geoplan.analytics.hotspots import hot_spots
    from geoplan.analytics.indices import compute_indices, dissimilarity
    from geoplan.analytics.per_area import area_table, assign_areas
    from geoplan.analytics.proximity import proximity_table, radius_counts
    from geoplan.analytics.weights import contiguity
    from geoplan.policy import Policy

    t0 = time.perf_counter()
    data = make()
    build = time.perf_counter() - t0
    areas, units = data.areas, data.units
    t_w, w = best_of(lambda: contiguity(areas), 1)

    def per_area_and_indices():
        active = active_units(units, dt.date(2026, 1, 1))
        idx = assign_areas(active["x"].to_numpy(), active["y"].to_numpy(), areas)
        table = area_table(active, areas, idx, ["ordinary", "care", "refugee", "youth"],
                           ["families", "elderly", "refugees"])
        return table, compute_indices(table["units"].to_numpy(float),
                                      table["dwellings"].to_numpy(float), w)

    t_area, (table, indices) = best_of(per_area_and_indices)
    xy = units[["x", "y"]].to_numpy()
    t_radius, _ = best_of(lambda: (radius_counts(xy, 250.0), radius_counts(xy, 500.0)))
    t_prox, _ = best_of(lambda: proximity_table(units))
    share, dwellings = table["share"].to_numpy(float), table["dwellings"].to_numpy(float)
    t_hot, hs = best_of(lambda: hot_spots(share, w, permutations=999, dwellings=dwellings,
                                          min_dwellings=Policy().min_hotspot_dwellings), 1)
    clusters = hs["cluster"].value_counts()

    x = table["units"].to_numpy(float)
    t = np.maximum(table["dwellings"].to_numpy(float), x)
    frame = table.assign(x=x, t=t)[["x", "t"]]
    t_ours, d_ours = best_of(lambda: dissimilarity(x, t), 5)
    t_pysal, d_pysal = best_of(lambda: Dissim(frame, "x", "t").statistic, 5)
    floor = anchors(data)
    return {
        "scale": {"units": len(units), "areas": len(areas),
                  "dwellings": int(areas["dwellings"].sum())},
        **floor,
        "goals": [
            {"what": "per-area indicators + all indices, national", "goal": "< 5 s",
             "measured_s": round(t_area, 3), "anchor": "geopandas sjoin count per area",
             "anchor_s": floor["anchor_sjoin_count_s"]},
            {"what": "radius counts 250 m and 500 m, national", "goal": "< 5 s",
             "measured_s": round(t_radius, 3), "anchor": "shapely STRtree count per area",
             "anchor_s": floor["anchor_strtree_count_s"]},
        ],
        "build_data_s": round(build, 2),
        "contiguity_weights_s": round(t_w, 3),
        "per_area_plus_indices_s": round(t_area, 3),
        "radius_counts_250_500_s": round(t_radius, 3),
        "proximity_table_s": round(t_prox, 3),
        "hot_spots_gi_star_999_s": round(t_hot, 3),
        "hot_spots_significant": int(clusters.get("high", 0) + clusters.get("low", 0)),
        "hot_spots_high_low_too_few_no_neighbours": [
            int(clusters.get(c, 0)) for c in ("high", "low", "too_few", "no_neighbours")],
        "dissimilarity": round(indices["dissimilarity"], 6),
        "d_ours_s": t_ours, "d_pysal_s": t_pysal,
        "d_ratio_ours_to_pysal": round(t_ours / t_pysal, 4),
        "d_abs_difference": abs(d_ours - d_pysal),
    }


if __name__ == "__main__":
    print(json.dumps(run(), indent=2))
