"""Load the synthetic Elverum demo (kommunenummer 3420) into a database."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import Engine, func, select
from sqlalchemy.orm import Session

from geoplan.config import DATA_DIR
from geoplan.io.addresses import import_addresses
from geoplan.io.areas import import_areas, import_boundary
from geoplan.io.demand import import_demand
from geoplan.io.flows import import_flows
from geoplan.io.grid import import_grid
from geoplan.io.service_points import import_services
from geoplan.io.units import import_units
from geoplan.storage.models import Municipality, Unit

DEMO_NUMBER, DEMO_NAME = "3420", "Elverum (syntetisk demo)"
AREA_FILES = {"grunnkrets": "elverum_grunnkretser.geojson", "delområde": "elverum_delomrader.geojson"}
GRID_FILES = {250: "elverum_rutenett_250m.csv", 1000: "elverum_rutenett_1km.csv"}


def demo_files(data_dir: Path = DATA_DIR) -> dict[str, Path]:
    """Return the demo's files by role."""
    shapes, units = data_dir / "shapes", data_dir / "units"
    files = {"boundary": shapes / "elverum_kommune.geojson",
             "units": units / "elverum_boliger.csv",
             "demand": units / "elverum_ettersporsel.csv",
             "demand_history": units / "elverum_ettersporsel_historikk.csv",
             "flows": units / "elverum_strommer.csv",
             "addresses": units / "elverum_adresser.csv",
             "candidates": units / "elverum_kandidater.csv",
             "services": shapes / "elverum_tjenester.geojson"}
    files |= {system: shapes / name for system, name in AREA_FILES.items()}
    files |= {f"grid{size}": shapes / name for size, name in GRID_FILES.items()}
    return files


def load_demo(engine: Engine, data_dir: Path = DATA_DIR) -> dict[str, int]:
    """Load boundary, area systems, units, demand (with its history and flows) and SSB grid
    counts of the demo."""
    files = demo_files(data_dir)
    import_boundary(engine, files["boundary"], DEMO_NUMBER, DEMO_NAME, synthetic=True)
    counts = {system: import_areas(engine, files[system], system).rows
              for system in AREA_FILES}
    counts["units"] = import_units(engine, files["units"], crs="EPSG:25833").n_rows
    counts["demand"] = import_demand(engine, files["demand"])
    if files["demand_history"].exists():  # snapshots 31.12.2021 … 31.12.2025 and their flows
        counts["demand_history"] = import_demand(engine, files["demand_history"])
    if files["flows"].exists():
        counts["flows"] = import_flows(engine, files["flows"])
    for size in GRID_FILES:  # after the units: cells holding a unit are kept
        counts[f"grid{size}"] = import_grid(engine, files[f"grid{size}"], size)
    if files["addresses"].exists():
        counts["addresses"] = import_addresses(engine, files["addresses"])
    if files["services"].exists():
        counts["services"] = import_services(engine, files["services"])
    return counts


def is_empty(engine: Engine) -> bool:
    """Return True when the database has neither a municipality nor units."""
    with Session(engine) as s:
        return not s.scalar(select(func.count()).select_from(Unit)) and s.scalar(
            select(func.count()).select_from(Municipality)) == 0


def ensure_demo(engine: Engine) -> bool:
    """Load the demo into an empty database; return True when it did."""
    if not is_empty(engine):
        return False
    load_demo(engine)
    return True
