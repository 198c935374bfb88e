"""The dashboard's figures: area aggregates only, small counts protected in the public version.

One function, :func:`dashboard`, computes every figure the dashboard page, the presentation
page, the meeting papers (``geoplan report``) and ``geoplan dashboard --json`` show, so what is
projected, printed and downloaded is exactly the same.  With ``public=True`` (the default, and
the only version the public instance serves) every count goes through
:func:`geoplan.analytics.disclosure.protect_counts`, and every share and rate is computed from
the published count.  No unit id, address, building, coordinate or per-unit flag is in the
result in either version; the internal version only shows true counts.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import geopandas as gpd
import numpy as np
import pandas as pd
from sqlalchemy import Engine

from geoplan.analytics.demand_fit import GAP_HORIZON
from geoplan.analytics.disclosure import ROUNDING_BASE, protect_count, protect_counts, protected_ratio
from geoplan.analytics.trend import TrendStatement, statement
from geoplan.service.concentration import concentration_result, trend
from geoplan.service.demand import demand_outlook
from geoplan.service.output import json_ready
from geoplan.service.systems import resolve_system
from geoplan.storage import repo
from geoplan.vocab import TARGET_GROUP

PUBLIC_AREA_COLUMNS = ("code", "name", "population", "dwellings", "units", "share", "per_1000",
                       "over_cap", "suppressed")


@dataclass(frozen=True)
class Dashboard:
    """Every figure of the dashboard, for one area system on one date.

    Attributes
    ----------
    areas : GeoDataFrame (EPSG:25833) with PUBLIC_AREA_COLUMNS: ``units`` is the published
        count (NaN where suppressed), ``share`` and ``per_1000`` come from it, ``over_cap`` is
        the published share above the policy's cap, ``suppressed`` marks hidden counts.
    trend : one row per year: ``year``, ``units`` (published), ``share`` (from it) and
        ``dissimilarity``.
    waiting : per target group in the latest demand snapshot on or before ``on``:
        ``target_group``, ``households`` (waiting), ``vacant`` (vacant units that suit the
        group: a unit may suit several groups) and ``gap`` (the demand model's projected queue
        :data:`~geoplan.analytics.demand_fit.GAP_HORIZON` years ahead without new units,
        rounded to whole households), every count published; ``gap_unknown`` marks a group
        without flows (its gap is unknown, not suppressed).
    headline : ``units``, ``units_per_1000``, ``share_in_areas_over_cap`` (the share of the
        units that lie in areas over the cap), ``dissimilarity``.
    this_year : ``purchases`` and ``sales`` (units acquired and disposed of this year).
    gap_horizon : the years ahead at which ``waiting``'s gap is read.
    """

    on: dt.date
    system: str
    municipality: str | None
    public: bool
    min_count: int
    rounding_base: int
    max_area_share: float
    headline: dict
    d_trend: TrendStatement
    areas: gpd.GeoDataFrame
    trend: pd.DataFrame
    waiting: pd.DataFrame
    waiting_date: dt.date | None
    this_year: dict
    gap_horizon: int = GAP_HORIZON

    def as_dict(self) -> dict:
        """The figures as strict-JSON-ready data (no geometry; ``null`` for suppressed)."""
        areas = pd.DataFrame(self.areas.drop(columns="geometry"))
        return json_ready({
            "date": self.on, "system": self.system, "municipality": self.municipality,
            "public": self.public, "min_count": self.min_count,
            "rounding_base": self.rounding_base, "max_area_share": self.max_area_share,
            "headline": self.headline, "dissimilarity_trend": vars(self.d_trend),
            "areas": areas[list(PUBLIC_AREA_COLUMNS)], "trend": self.trend,
            "waiting": self.waiting, "waiting_date": self.waiting_date,
            "gap_horizon": self.gap_horizon,
            "this_year": self.this_year,
        })


def dashboard(
    engine: Engine, system: str | None = None, on: dt.date | None = None, public: bool = True,
) -> Dashboard:
    """Compute the dashboard's figures (see :class:`Dashboard`); ``public`` protects counts."""
    on = on or dt.date.today()
    system = resolve_system(engine, system)
    policy = repo.policy(engine)
    result = concentration_result(engine, system, on, permutations=0)
    protect = (lambda c: protect_counts(c, policy.min_count)) if public else \
        (lambda c: np.asarray(c, dtype=float))
    table = result.areas
    units = protect(table["units"].to_numpy(float))
    # The area's own dwelling count is published; the analysis raises it to the unit count
    # where the register holds more units (a data problem), which would reveal a hidden count.
    # Shares use the published count against the larger of the two published figures.
    dwellings = table["dwellings_reported"].to_numpy(float) if public else \
        table["dwellings"].to_numpy(float)
    population = table["population"].to_numpy(float)
    share = protected_ratio(units, np.fmax(dwellings, units))
    over = np.isfinite(share) & (share > policy.max_area_share)
    areas = gpd.GeoDataFrame({
        "code": table["code"].to_numpy(), "name": table["name"].to_numpy(),
        "population": population, "dwellings": dwellings, "units": units, "share": share,
        "per_1000": protected_ratio(units, population, 1000.0), "over_cap": over,
        "suppressed": ~np.isfinite(units) & np.isfinite(table["units"].to_numpy(float)),
    }, geometry=table.geometry.to_numpy(), crs=table.crs)
    total = float(protect(np.array([result.totals["units"]]))[0])
    shown = np.nansum(units)
    yearly, _ = trend(engine, system, end=on)
    years = pd.DataFrame({"year": yearly["year"], "units": protect(yearly["units"])})
    years["share"] = protected_ratio(years["units"].to_numpy(), np.full(
        len(years), float(np.nansum(np.fmax(dwellings, np.nan_to_num(units))))))
    years["dissimilarity"] = yearly["dissimilarity"].to_numpy(float)
    headline = {
        "units": None if not np.isfinite(total) else int(total),
        "units_per_1000": float(protected_ratio(np.array([total]),
                                                np.array([np.nansum(population)]), 1000.0)[0]),
        "share_in_areas_over_cap": float(np.nansum(units[over]) / shown) if shown else None,
        "dissimilarity": result.indices.get("dissimilarity"),
    }
    waiting, waiting_date = _waiting(engine, on, protect)
    muni = repo.municipality(engine)
    return Dashboard(
        on=on, system=system, municipality=muni.name if muni else None, public=public,
        min_count=policy.min_count, rounding_base=ROUNDING_BASE if public else 1,
        max_area_share=policy.max_area_share, headline=headline,
        d_trend=statement(yearly, "dissimilarity"), areas=areas, trend=years,
        waiting=waiting, waiting_date=waiting_date,
        this_year=_this_year(engine, on, policy.min_count if public else None),
    )


def _waiting(engine: Engine, on: dt.date, protect) -> tuple[pd.DataFrame, dt.date | None]:
    """The waiting list against supply per target group of the latest snapshot on or before
    ``on`` (vocabulary order): households waiting, vacant suitable units and the gap, from
    :func:`geoplan.service.demand_outlook` (no scenario), each count through ``protect``."""
    outlook = demand_outlook(engine, on=on, horizon=GAP_HORIZON)
    demand = repo.load_demand(engine, latest_only=False)
    present = set(demand.loc[demand["snapshot_date"] == outlook.snapshot, "target_group"])
    groups = [g for g in TARGET_GROUP.terms if g in present]
    figures = outlook.groups.set_index("target_group").reindex(groups)
    gap = figures["gap"].to_numpy(float)
    frame = pd.DataFrame({
        "target_group": groups,
        "households": protect(figures["waiting"].to_numpy(float)),
        "vacant": protect(figures["vacant"].to_numpy(float)),
        "gap": protect(np.where(np.isfinite(gap), np.floor(gap + 0.5), np.nan)),
        "gap_unknown": ~np.isfinite(gap),
    })
    return frame, outlook.snapshot


def _this_year(engine: Engine, on: dt.date, min_count: int | None) -> dict:
    """Units acquired and disposed of from 1 January to ``on`` (protected with ``min_count``)."""
    units = repo.load_units(engine)
    start = pd.Timestamp(dt.date(on.year, 1, 1))
    end = pd.Timestamp(on)
    counts = {}
    for key, column in (("purchases", "acquired"), ("sales", "disposed")):
        when = pd.to_datetime(units[column])
        n = int(((when >= start) & (when <= end)).sum())
        counts[key] = n if min_count is None else protect_count(n, min_count)
    return counts
