"""Public figures: small counts hidden, and a differencing attack cannot pin a hidden cell down.

The attack: the same units are counted in a fine area system, a coarse one whose areas are
unions of the fine ones, and the municipal total.  Without rounding, coarse minus the other fine
area reveals the hidden count exactly; with GeoPlan's rule (hide 1..min_count-1, round the rest
to base 5) every published table is consistent with several true values of the hidden cell.
"""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import pytest
import shapely

from geoplan import service
from geoplan.analytics.disclosure import ROUNDING_BASE, protect_count, protect_counts
from geoplan.crs import WORK_EPSG, to_display
from geoplan.testing.data import seed_database, unit_record

TRUE_FINE = (2, 7, 11, 6)  # units in the four fine areas; the first one must stay hidden
X0, Y0, SIZE = 310_000.0, 6_750_000.0, 1000.0


def test_the_rule_on_hand_made_counts():
    published = protect_counts(np.array([0, 1, 4, 5, 7, 8, 12, 13, np.nan]), min_count=5)
    assert np.array_equal(published, [0, np.nan, np.nan, 5, 5, 10, 10, 15, np.nan], equal_nan=True)
    assert protect_count(3, 5) is None and protect_count(0, 5) == 0
    # a larger min_count: nothing below it is ever shown, not even after rounding
    assert protect_counts(np.array([6, 7]), min_count=8).tolist()[1] != 5


def _consistent(published: dict, base: int, min_count: int, limit: int = 30) -> set[int]:
    """Every value of the first fine cell that some true counts agree with (all 30⁴ tried)."""
    g = np.stack(np.meshgrid(*[np.arange(limit)] * 4, indexing="ij"), -1).reshape(-1, 4)

    def agrees(true: np.ndarray, shown: object) -> np.ndarray:
        value = np.nan if shown is None else float(shown)
        out = protect_counts(true, min_count, base)
        return np.isnan(out) if np.isnan(value) else out == value

    ok = np.ones(len(g), dtype=bool)
    for k in range(4):
        ok &= agrees(g[:, k], published["fine"][k])
    ok &= agrees(g[:, 0] + g[:, 1], published["coarse"][0])
    ok &= agrees(g[:, 2] + g[:, 3], published["coarse"][1])
    ok &= agrees(g.sum(axis=1), published["total"])
    return set(np.unique(g[ok, 0]).tolist())


def _published(base: int, min_count: int = 5) -> dict:
    def pub(n):
        return protect_count(n, min_count, base)

    g = TRUE_FINE
    return {"fine": [pub(n) for n in g], "coarse": [pub(g[0] + g[1]), pub(g[2] + g[3])],
            "total": pub(sum(g))}


def test_without_rounding_the_attack_pins_the_hidden_cell():
    published = _published(base=1)
    assert published["fine"][0] is None  # hidden ...
    assert _consistent(published, base=1, min_count=5) == {2}  # ... but recovered: 9 - 7


def test_with_rounding_the_attack_leaves_several_values():
    published = _published(base=ROUNDING_BASE)
    assert published["fine"][0] is None
    assert len(_consistent(published, base=ROUNDING_BASE, min_count=5)) >= 2


@pytest.fixture
def two_systems(engine):
    """Four 1 km squares (system "fine") in two 2 km rectangles ("coarse"), TRUE_FINE units."""
    fine = [shapely.box(X0 + i * SIZE, Y0, X0 + (i + 1) * SIZE, Y0 + SIZE) for i in range(4)]
    coarse = [shapely.box(X0, Y0, X0 + 2 * SIZE, Y0 + SIZE),
              shapely.box(X0 + 2 * SIZE, Y0, X0 + 4 * SIZE, Y0 + SIZE)]

    def frame(geoms, prefix):
        n = len(geoms)
        return gpd.GeoDataFrame({"code": [f"{prefix}{i}" for i in range(n)],
                                 "name": [f"{prefix.upper()} {i}" for i in range(n)],
                                 "population": [2000] * n, "dwellings": [400] * n},
                                geometry=geoms, crs=WORK_EPSG)

    units = []
    for cell, n in enumerate(TRUE_FINE):
        for k in range(n):
            lon, lat = to_display(np.array([X0 + cell * SIZE + 100 + 30 * k]),
                                  np.array([Y0 + 500.0]))
            units.append(unit_record(f"U{cell}-{k}", float(lon[0]), float(lat[0])))
    seed_database(engine, units, {"fine": frame(fine, "f"), "coarse": frame(coarse, "c")})
    return engine


def test_the_public_dashboard_withstands_the_attack(two_systems):
    fine = service.dashboard(two_systems, "fine", public=True)
    coarse = service.dashboard(two_systems, "coarse", public=True)

    def counts(d):
        return [None if not np.isfinite(v) else int(v) for v in d.areas["units"]]

    published = {"fine": counts(fine), "coarse": counts(coarse), "total": fine.headline["units"]}
    assert published == _published(base=ROUNDING_BASE)
    assert fine.areas["suppressed"].tolist() == [True, False, False, False]
    assert np.isnan(fine.areas["share"].iloc[0]) and np.isnan(fine.areas["per_1000"].iloc[0])
    assert len(_consistent(published, base=ROUNDING_BASE, min_count=5)) >= 2
    # the internal version shows the truth, the public JSON never does for the hidden cell
    internal = service.dashboard(two_systems, "fine", public=False)
    assert internal.areas["units"].tolist() == list(TRUE_FINE)
    assert fine.as_dict()["areas"][0]["units"] is None


def test_an_area_with_more_units_than_dwellings_does_not_reveal_its_hidden_count(engine):
    """The analysis raises such an area's dwellings to its unit count; the public figures must
    publish the area's own count, or the raised one would show the hidden number of units."""
    square = shapely.box(X0, Y0, X0 + SIZE, Y0 + SIZE)
    other = shapely.box(X0 + SIZE, Y0, X0 + 2 * SIZE, Y0 + SIZE)
    areas = gpd.GeoDataFrame({"code": ["a", "b"], "name": ["A", "B"], "population": [10, 500],
                              "dwellings": [2, 300]}, geometry=[square, other], crs=WORK_EPSG)
    units = []
    for cell, n in enumerate((3, 20)):
        for k in range(n):
            lon, lat = to_display(np.array([X0 + cell * SIZE + 100 + 30 * k]),
                                  np.array([Y0 + 500.0]))
            units.append(unit_record(f"V{cell}-{k}", float(lon[0]), float(lat[0])))
    seed_database(engine, units, {"small": areas})
    row = service.dashboard(engine, "small", public=True).as_dict()["areas"][0]
    assert row["units"] is None and row["share"] is None and row["per_1000"] is None
    assert row["dwellings"] == 2  # the area's own figure, not the 3 the analysis uses
    assert 3 not in [v for v in row.values() if isinstance(v, int | float)]
