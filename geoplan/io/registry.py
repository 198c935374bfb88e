"""The importers by name, so a page or a script can run any of them the same way."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import Engine


@dataclass(frozen=True)
class Importer:
    """One kind of file: what it needs and how to import it."""

    kind: str
    run: Callable[..., str]
    needs_system: bool = False
    takes_crs: bool = False


def _units(engine, path, filename, crs=None, **_):
    from geoplan.io.units import import_units

    result = import_units(engine, path, crs, filename)
    return "\n".join([result.summary(), *(f"⚠ {w}" for w in result.warnings)])


def _areas(engine, path, filename, system=None, crs=None, **_):
    from geoplan.io.areas import import_areas, system_name

    n = import_areas(engine, path, system, crs, filename)
    return f"{n} areas → {system or system_name(filename)}"


def _boundary(engine, path, filename, **_):
    from geoplan.io.areas import import_boundary

    import_boundary(engine, path)
    return f"boundary from {filename}"


def _demand(engine, path, filename, **_):
    from geoplan.io.demand import import_demand

    return f"{import_demand(engine, path, filename)} demand rows"


def _grid(engine, path, filename, system=None, **_):
    from geoplan.io.grid import import_grid

    size = 1000 if (system or "").endswith(("1km", "1000")) else 250
    return f"{import_grid(engine, path, size, None, filename)} SSB {size} m cells"


def _addresses(engine, path, filename, crs=None, **_):
    from geoplan.io.addresses import import_addresses

    return f"{import_addresses(engine, path, crs, filename)} addresses"


def _services(engine, path, filename, **_):
    from geoplan.io.service_points import import_services

    return f"{import_services(engine, path, filename)} service points"


IMPORTERS: dict[str, Importer] = {
    "units": Importer("units", _units, takes_crs=True),
    "areas": Importer("areas", _areas, needs_system=True, takes_crs=True),
    "boundary": Importer("boundary", _boundary),
    "demand": Importer("demand", _demand),
    "grid": Importer("grid", _grid, needs_system=True),
    "addresses": Importer("addresses", _addresses, takes_crs=True),
    "services": Importer("services", _services),
}


def import_file(
    engine: Engine, kind: str, path: str | Path, filename: str | None = None,
    system: str | None = None, crs: str | None = None,
) -> str:
    """Import ``path`` as ``kind``; return a one-line summary or raise ImportRefused."""
    if kind not in IMPORTERS:
        raise ValueError(f"unknown kind '{kind}'; known: {', '.join(IMPORTERS)}")
    return IMPORTERS[kind].run(engine, Path(path), filename or Path(path).name,
                               system=system, crs=crs)
