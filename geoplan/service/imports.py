"""The one import dispatcher: every kind of file by name, for the command line and the import page.

:data:`IMPORTERS` says what each kind needs (an area system name, a CRS, a grid cell size);
:func:`import_file` runs one and returns an :class:`ImportSummary` of numbers and codes, or
raises :class:`geoplan.io.errors.ImportRefused` (nothing imported) or ``ValueError``.  The words
for a summary are made in ``geoplan.ui.import_text``.

Candidate files (flats to test or plan with) are read here too: :func:`read_candidates`.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from pathlib import Path

import pandas as pd
from sqlalchemy import Connection, Engine

from geoplan import ssb_grid
from geoplan.io import addresses, areas, candidates, demand, flows, grid, service_points, units
from geoplan.io.files import temporary_file
from geoplan.roles import Actor
from geoplan.service import audit
from geoplan.storage.db import writer_lock


@dataclass
class ImportSummary:
    """What an import did, as numbers and codes.

    Attributes
    ----------
    kind : the importer's name (a key of :data:`IMPORTERS`).
    filename : the file's name as given (an upload keeps its own name).
    rows : rows imported (units, areas, demand rows, flow rows, grid cells, addresses, service
        points, or the boundary's polygons).
    created, updated, unchanged : units only: new, changed and unchanged units.
    system : the area system written (areas and grid).
    size : the grid's cell size in metres (grid).
    warnings : the importer's warnings (:class:`Problem` rows with ``warning=True``; the words
        are made in ``geoplan.ui.import_text``).
    changes : units only: unit id -> ``[(field, old, new), …]`` of the updated units.
    missing : units only: the ids of the register's active units the file lacks.
    disposed : units only: of those, the ones the import disposed of (``missing="dispose"``).
    """

    kind: str
    filename: str
    rows: int
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    system: str | None = None
    size: int | None = None
    warnings: list[str] = field(default_factory=list)
    changes: dict[str, list[tuple[str, object, object]]] = field(default_factory=dict)
    missing: list[str] = field(default_factory=list)
    disposed: list[str] = field(default_factory=list)

    def as_dict(self) -> dict:
        """Return the summary as a plain dict (for JSON, see ``service.json_ready``)."""
        return asdict(self)


@dataclass(frozen=True)
class Options:
    """What a caller may give an importer besides the file."""

    system: str | None = None
    crs: str | int | None = None
    size: int | None = None
    number: str | None = None
    name: str | None = None
    all_cells: bool = False
    sheet: str | None = None
    missing: str = "report"
    dispose_date: dt.date | None = None


# An importer runs on a connection inside the import's one transaction (the audit row's too).
Run = Callable[[Engine | Connection, Path, str, Options], ImportSummary]


@dataclass(frozen=True)
class Importer:
    """One kind of file: what it takes and how it is imported.

    ``takes_system``: an area system name (default: from the file name, or the grid's own);
    ``takes_crs``: a CRS for coordinates without one; ``sizes``: the grid cell sizes (m) to
    choose from; a size must then be given.
    """

    kind: str
    run: Run
    takes_system: bool = False
    takes_crs: bool = False
    sizes: tuple[int, ...] = ()


def _units(engine: Engine, path: Path, filename: str, o: Options) -> ImportSummary:
    r = units.import_units(engine, path, o.crs, filename, o.sheet, o.missing, o.dispose_date)
    return ImportSummary("units", filename, r.n_rows, len(r.created), len(r.updated),
                         r.unchanged, warnings=list(r.warnings), changes=dict(r.updated),
                         missing=list(r.missing), disposed=list(r.disposed))


def _areas(engine: Engine, path: Path, filename: str, o: Options) -> ImportSummary:
    system = o.system or areas.system_name(filename)
    r = areas.import_areas(engine, path, system, o.crs, filename, o.sheet)
    return ImportSummary("areas", filename, r.rows, system=system, warnings=list(r.warnings))


def _boundary(engine: Engine, path: Path, filename: str, o: Options) -> ImportSummary:
    r = areas.import_boundary(engine, path, o.number, o.name, filename=filename, crs=o.crs,
                              sheet=o.sheet)
    return ImportSummary("boundary", filename, r.rows, warnings=list(r.warnings))


def _demand(engine: Engine, path: Path, filename: str, o: Options) -> ImportSummary:
    return ImportSummary("demand", filename,
                         demand.import_demand(engine, path, filename, o.sheet))


def _flows(engine: Engine, path: Path, filename: str, o: Options) -> ImportSummary:
    return ImportSummary("flows", filename, flows.import_flows(engine, path, filename, o.sheet))


def _grid(engine: Engine, path: Path, filename: str, o: Options) -> ImportSummary:
    system = o.system or ssb_grid.SIZES[o.size]
    n = grid.import_grid(engine, path, o.size, system, filename, o.all_cells, o.sheet)
    return ImportSummary("grid", filename, n, system=system, size=o.size)


def _addresses(engine: Engine, path: Path, filename: str, o: Options) -> ImportSummary:
    n = addresses.import_addresses(engine, path, o.crs, filename, o.sheet)
    return ImportSummary("addresses", filename, n)


def _services(engine: Engine, path: Path, filename: str, o: Options) -> ImportSummary:
    return ImportSummary("services", filename,
                         service_points.import_services(engine, path, filename, o.sheet))


IMPORTERS: dict[str, Importer] = {
    "units": Importer("units", _units, takes_crs=True),
    "areas": Importer("areas", _areas, takes_system=True, takes_crs=True),
    "boundary": Importer("boundary", _boundary, takes_crs=True),
    "demand": Importer("demand", _demand),
    "flows": Importer("flows", _flows),
    "grid": Importer("grid", _grid, takes_system=True, sizes=tuple(ssb_grid.SIZES)),
    "addresses": Importer("addresses", _addresses, takes_crs=True),
    "services": Importer("services", _services),
}


def sha256(path: Path) -> str:
    """The SHA-256 of a file's bytes, as hex (recorded in the audit trail)."""
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def import_file(
    engine: Engine, actor: Actor, kind: str, path: str | Path, filename: str | None = None,
    system: str | None = None, crs: str | int | None = None, size: int | None = None,
    number: str | None = None, name: str | None = None, all_cells: bool = False,
    sheet: str | None = None, missing: str = "report", dispose_date: dt.date | None = None,
) -> ImportSummary:
    """Import ``path`` as ``kind`` (a key of :data:`IMPORTERS`).

    ``filename`` is the name to report (default: the path's); ``system`` names the area system
    (areas, grid); ``crs`` is the coordinates' CRS when the file has none; ``size`` is the grid's
    cell size in metres (required for a grid); ``number`` and ``name`` are the municipality's
    (boundary; default from the file); ``all_cells`` adds every grid cell touching the boundary;
    ``sheet`` is the sheet or layer to read from a file with several; ``missing`` ("report" or
    "dispose") and ``dispose_date`` say what a unit import does with the register's units the
    file lacks (units: :data:`MISSING_CHOICES`).
    A kind ignores what it does not take.  Raises ImportRefused (nothing imported) or
    ValueError (an unknown kind, a missing or wrong grid size, a bad CRS).  Imports run one at
    a time per database (:func:`geoplan.storage.db.writer_lock`, across processes too): a second
    waits for the first to commit, or raises WriterBusy after 5 minutes.

    ``actor`` must be a planner or admin (AccessDenied, recorded, before anything is read).
    The import and its audit row (file name, SHA-256, counts) commit in one transaction.
    """
    audit.check(engine, actor, "import", filename or Path(path).name)
    spec = IMPORTERS.get(kind)
    if spec is None:
        raise ValueError(f"unknown kind '{kind}'; known: {', '.join(IMPORTERS)}")
    if spec.sizes and size not in spec.sizes:
        raise ValueError(f"grid size must be one of {sorted(spec.sizes)} m")
    path = Path(path)
    options = Options(system or None, crs or None, size, number, name, all_cells, sheet or None,
                      missing, dispose_date)
    with writer_lock(engine), engine.begin() as conn:  # one writer at a time: two imports
        summary = spec.run(conn, path, filename or path.name, options)  # never interleave
        audit.write(conn, actor, "import", summary.filename,
                    after={"kind": kind, "sha256": sha256(path), "system": summary.system,
                           "size": summary.size},
                    counts={"rows": summary.rows, "created": summary.created,
                            "updated": summary.updated, "unchanged": summary.unchanged,
                            "missing": len(summary.missing),
                            "disposed": len(summary.disposed)})
    return summary


def import_bytes(engine: Engine, actor: Actor, kind: str, data: bytes, filename: str,
                 **options: object) -> ImportSummary:
    """Import an uploaded file from its bytes and original name (see :func:`import_file`)."""
    with temporary_file(data, filename) as path:
        return import_file(engine, actor, kind, path, Path(filename).name, **options)


MISSING_CHOICES = units.MISSING_CHOICES


def read_candidates(engine: Engine, path: str | Path, crs: str | int | None = None,
                    filename: str | None = None) -> pd.DataFrame:
    """Read a candidate file (flats to buy or sell) into the evaluation's frame (EPSG:25833).

    Refuses the file whole (ImportRefused) on any bad row; without coordinates each address is
    looked up in the address register.  Columns: those of
    :func:`geoplan.analytics.purchase.candidates_frame` (every candidate column, ``action``
    ``buy`` by default), ``label`` and ``address``; ``attrs["warnings"]`` lists the warnings.
    """
    from geoplan.analytics.purchase import candidates_frame  # the plain imports skip analytics

    frame = candidates.read_candidates(engine, path, crs, filename)
    out = candidates_frame(frame)
    out.attrs["warnings"] = list(frame.attrs.get("warnings", []))
    return out


def read_candidate_bytes(engine: Engine, data: bytes, filename: str,
                         crs: str | int | None = None) -> pd.DataFrame:
    """Read an uploaded candidate file from its bytes and original name (see read_candidates)."""
    with temporary_file(data, filename) as path:
        return read_candidates(engine, path, crs, Path(filename).name)
