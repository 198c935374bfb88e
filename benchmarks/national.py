"""A deterministic national-scale data set: 110,000 units, 14,000 areas, 2.6 million dwellings."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

N_UNITS, N_AREAS, N_DWELLINGS = 110_000, 14_000, 2_600_000
EXTENT = (0.0, 6_450_000.0, 1_100_000.0, 7_950_000.0)  # Norway-sized box in EPSG:25833


@dataclass
class National:
    """Areas with dwellings/population and units as points, all in EPSG:25833."""

    areas: gpd.GeoDataFrame
    units: gpd.GeoDataFrame


def make(seed: int = 2024) -> National:
    """Build the data set; the same seed gives the same data."""
    rng = np.random.default_rng(seed)
    x0, y0, x1, y1 = EXTENT
    # areas: Voronoi cells around seeds clustered in 300 "towns", as grunnkretser are
    towns = np.column_stack([rng.uniform(x0, x1, 300), rng.uniform(y0, y1, 300)])
    town_of = rng.integers(0, 300, N_AREAS)
    seeds = towns[town_of] + rng.normal(0, 8_000, (N_AREAS, 2))
    seeds = np.clip(seeds, [x0 + 1, y0 + 1], [x1 - 1, y1 - 1])
    box = shapely.box(*EXTENT)
    cells = shapely.voronoi_polygons(shapely.multipoints(seeds), extend_to=box)
    polys = shapely.intersection(np.asarray(shapely.get_parts(cells)), box)
    # voronoi order differs from the seeds: give each polygon the seed inside it
    tree = shapely.STRtree(polys)
    pi, si = tree.query(shapely.points(seeds), predicate="within")[::-1]
    order = np.empty(len(polys), dtype=np.int64)
    order[pi] = si
    seeds = seeds[order]
    weight = rng.lognormal(0, 0.8, len(polys))
    dwellings = np.maximum(20, np.floor(weight / weight.sum() * N_DWELLINGS)).astype(np.int64)
    population = np.floor(dwellings * rng.uniform(1.8, 2.5, len(polys))).astype(np.int64)
    areas = gpd.GeoDataFrame(
        {"code": [f"A{i:05d}" for i in range(len(polys))], "name": None,
         "population": population, "dwellings": dwellings},
        geometry=polys, crs=25833)
    # units: an uneven municipal share per area, placed near the area's seed
    rate = rng.beta(1.2, 25, len(polys))
    p = dwellings * rate
    home = rng.choice(len(polys), size=N_UNITS, p=p / p.sum())
    xy = seeds[home] + rng.normal(0, 120, (N_UNITS, 2))
    days = rng.integers(0, 15 * 365, N_UNITS)
    units = pd.DataFrame({
        "unit_id": [f"U{i:06d}" for i in range(N_UNITS)], "x": xy[:, 0], "y": xy[:, 1],
        "unit_type": rng.choice(["ordinary", "care", "refugee", "youth"], N_UNITS),
        "target_group": rng.choice(["families", "elderly", "refugees"], N_UNITS),
        "building_id": (rng.integers(0, N_UNITS // 2, N_UNITS)).astype(str),
        "housing_company": None, "street": "Gate", "house_number": "1", "letter": None,
        "postal_code": (rng.integers(0, 9000, N_UNITS)).astype(str),
        "acquired": [dt.date(2010, 1, 1) + dt.timedelta(days=int(d)) for d in days],
        "disposed": None,
    })
    return National(areas, gpd.GeoDataFrame(units, geometry=shapely.points(xy), crs=25833))


def anchors(data: National, repeat: int = 3) -> dict:
    """The practical floor for the analytics on this machine, measured in the same run: count
    the units per area with a shapely STRtree query and with a geopandas ``sjoin`` (best of
    ``repeat``).  Both counts must agree; any per-area analysis does at least this much work."""
    import time

    def best(fn):
        times, out = [], None
        for _ in range(repeat):
            start = time.perf_counter()
            out = fn()
            times.append(time.perf_counter() - start)
        return min(times), out

    points = data.units.geometry.to_numpy()
    polygons = data.areas.geometry.to_numpy()

    def strtree_count():
        tree = shapely.STRtree(polygons)
        _pt, area = tree.query(points, predicate="within")
        return np.bincount(area, minlength=len(polygons))

    def sjoin_count():
        joined = gpd.sjoin(data.units[["geometry"]], data.areas[["geometry"]],
                           predicate="within")
        return joined["index_right"].value_counts().reindex(range(len(polygons)),
                                                            fill_value=0).to_numpy()

    t_tree, by_tree = best(strtree_count)
    t_sjoin, by_sjoin = best(sjoin_count)
    return {"anchor_strtree_count_s": round(t_tree, 3), "anchor_sjoin_count_s": round(t_sjoin, 3),
            "anchor_counts_agree": bool(np.array_equal(by_tree, by_sjoin)),
            "anchor_units_counted": int(by_tree.sum())}
