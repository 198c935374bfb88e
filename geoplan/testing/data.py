"""Fixture data built in code: hand-made units and areas, and a seeded synthetic register.

One factory serves every variant: :func:`unit_record` fills a complete register row around a
hand-picked position, :func:`synthetic_units` draws ``n`` of them from a seeded generator, and
:func:`seed_database` writes units and areas through :mod:`geoplan.storage.repo`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from sqlalchemy import Engine
from sqlalchemy.orm import Session

from geoplan.crs import WORK_EPSG, transform
from geoplan.storage import repo
from geoplan.unit_fields import REGISTER_FIELDS
from geoplan.vocab import STATUSES, TARGET_GROUPS, TENURES, UNIT_TYPES

# Elverum sentrum (longitude, latitude): the demo town.
ELVERUM = (11.5623, 60.8819)
STREETS = (
    "Storgata", "Kirkegata", "Vestheimvegen", "Jegerstien", "Grundsetvegen", "Leiret",
    "Hamarvegen", "Sagvegen", "Nordre Kirkeveg", "Heradsbygdvegen", "Solørvegen", "Meierigata",
)


def to_xy(lon: float, lat: float) -> tuple[float, float]:
    """Return the EPSG:25833 easting/northing of a longitude/latitude."""
    x, y = transform(np.array([lon]), np.array([lat]), 4326, WORK_EPSG)
    return float(x[0]), float(y[0])


def unit_record(unit_id: str, lon: float, lat: float, **fields: object) -> dict[str, object]:
    """Return a complete register row at ``lon``/``lat``; ``fields`` override the defaults."""
    x, y = to_xy(lon, lat)
    rec: dict[str, object] = {f: None for f in REGISTER_FIELDS}
    rec.update(
        unit_id=unit_id, street="Storgata", house_number="1", postal_code="2408",
        place="Elverum", x=x, y=y, unit_type="ordinary", tenure="owned", rooms=2,
        floor_area=50.0, floor=1, universal_design=False, wheelchair=False,
        monthly_rent=8000.0, target_group=None, status="occupied",
        acquired=dt.date(2010, 1, 1),
    )
    rec.update(fields)
    return rec


def synthetic_units(
    n: int, seed: int = 0, center: tuple[float, float] = ELVERUM, spread_m: float = 2500.0
) -> list[dict[str, object]]:
    """Return ``n`` deterministic synthetic units scattered around ``center``."""
    rng = np.random.default_rng(seed)
    cx, cy = to_xy(*center)
    xs = cx + rng.normal(0.0, spread_m, n)
    ys = cy + rng.normal(0.0, spread_m, n)
    lon, lat = transform(xs, ys, WORK_EPSG, 4326)
    types = [t.code for t in UNIT_TYPES]
    tenures = [t.code for t in TENURES]
    statuses = [t.code for t in STATUSES]
    groups = [None, *(t.code for t in TARGET_GROUPS)]
    pick = rng.integers
    return [
        unit_record(
            f"S{i + 1:05d}", float(lon[i]), float(lat[i]),
            street=STREETS[int(pick(len(STREETS)))], house_number=str(int(pick(1, 120))),
            unit_type=types[int(pick(len(types)))], tenure=tenures[int(pick(len(tenures)))],
            status=statuses[int(pick(len(statuses)))], target_group=groups[int(pick(len(groups)))],
            rooms=int(pick(1, 6)), floor_area=float(pick(25, 120)), floor=int(pick(0, 6)),
            universal_design=bool(pick(2)), monthly_rent=float(pick(50, 160) * 100),
        )
        for i in range(n)
    ]


def square_areas(
    center: tuple[float, float] = ELVERUM, size_m: float = 2000.0, names: Iterable[str] = ()
) -> gpd.GeoDataFrame:
    """Return a row of ``size_m`` squares (EPSG:25833), the first one centred on ``center``."""
    names = list(names) or ["Sentrum"]
    cx, cy = to_xy(*center)
    half = size_m / 2
    boxes = [shapely.box(cx - half + i * size_m, cy - half, cx + half + i * size_m, cy + half)
             for i in range(len(names))]
    return gpd.GeoDataFrame(
        {"code": [f"{i + 1:02d}" for i in range(len(names))], "name": names,
         "population": [1000] * len(names), "dwellings": [500] * len(names)},
        geometry=boxes, crs=WORK_EPSG,
    )


def seed_database(
    engine: Engine,
    units: Iterable[Mapping[str, object]],
    areas: Mapping[str, gpd.GeoDataFrame] | None = None,
) -> None:
    """Write ``units`` and the area systems in ``areas`` to the register in one transaction."""
    with Session(engine) as s, s.begin():
        repo.upsert_units(s, units, filename="fixture")
        for system, frame in (areas or {}).items():
            repo.replace_areas(s, system, frame, filename="fixture")


XSS_ADDRESS = "<img src=x onerror=alert(1)>"


def hand_made_units() -> list[dict[str, object]]:
    """Return six units whose filter counts can be checked by hand.

    ======  ============  ==========  ========  ============  ===========================
    id      type          tenure      status    target group  note
    ======  ============  ==========  ========  ============  ===========================
    H1      ordinary      owned       occupied  families      address is an XSS attempt
    H2      care          leased      vacant    elderly
    H3      care          owned       occupied  elderly
    H4      refugee       nomination  occupied  refugees      housing company ``</script>``
    H5      ordinary      owned       repair    (none)
    H6      youth         leased      occupied  youth
    ======  ============  ==========  ========  ============  ===========================
    """
    lon, lat = ELVERUM
    rows = [
        ("H1", "ordinary", "owned", "occupied", "families", {"street": XSS_ADDRESS,
                                                              "house_number": None}),
        ("H2", "care", "leased", "vacant", "elderly", {"street": "Kirkegata", "letter": "B"}),
        ("H3", "care", "owned", "occupied", "elderly", {"universal_design": True}),
        ("H4", "refugee", "nomination", "occupied", "refugees",
         {"housing_company": "</script><script>alert(2)</script>"}),
        ("H5", "ordinary", "owned", "repair", None, {"monthly_rent": 12500.0}),
        ("H6", "youth", "leased", "occupied", "youth", {"floor_area": 31.5}),
    ]
    return [
        unit_record(uid, lon + 0.004 * i, lat + 0.002 * (i % 3), unit_type=ut, tenure=te,
                    status=st, target_group=tg, **extra)
        for i, (uid, ut, te, st, tg, extra) in enumerate(rows)
    ]


def units_frame(records: Iterable[Mapping[str, object]]) -> gpd.GeoDataFrame:
    """Return register rows as the GeoDataFrame :func:`repo.load_units` would give."""
    df = pd.DataFrame(list(records), columns=list(REGISTER_FIELDS))
    geom = shapely.points(df["x"].to_numpy(float), df["y"].to_numpy(float))
    return gpd.GeoDataFrame(df, geometry=geom, crs=WORK_EPSG)


def demo_available() -> bool:
    """Return whether the Elverum demo loader (``geoplan.demo.load``) is installed."""
    import importlib.util

    return importlib.util.find_spec("geoplan.demo.load") is not None
