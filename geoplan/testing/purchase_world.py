"""A hand-made municipality for the purchase tests, small enough to check every number by hand.

Four 1 km squares in EPSG:25833: A "Sentrum nord" (100 dwellings, 9 units, 2 of them in
building B1), B "Berg" (400 dwellings, 8 units), C "Vestad" (300 dwellings, 3 units) and D "Skog"
(dwellings unknown).  Three demand rows: families (5 households, 3 rooms), elderly (3, 2 rooms,
universal design) and homeless with substance problems (2, 1 room, staffed).
"""

from __future__ import annotations

import geopandas as gpd
import pandas as pd
import shapely

from geoplan.analytics.purchase import Baseline, build_baseline
from geoplan.policy import Policy

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

CAPS = Policy(0.10, 2, 12)  # 10 % per area, 2 per building, 12 within 250 m


def units_frame() -> pd.DataFrame:
    """The 20 active units: A 9 (u0, u1 in building B1), B 8, C 3, all at Storgata N."""
    rows = [{"x": 100.0 + 30 * i, "y": 100.0, "building_id": "B1" if i < 2 else None}
            for i in range(9)]
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


def base(budget: float | None = None, policy: Policy = CAPS) -> Baseline:
    """The world's baseline with an optional remaining budget and policy."""
    return build_baseline(units_frame(), AREAS, policy, DEMAND, budget)
