"""Importing a 500,000-row unit register: time and peak memory, end to end.

Run: ``python -m benchmarks.bench_import [--json] [--rows N]`` (or ``geoplan bench --only import``).

A synthetic register in the demo's own format (its header, its values, cp1252, semicolons and
decimal commas) is written to a temporary CSV file: ``N`` rows copied from the demo's unit file
with new unit ids and new points drawn uniformly inside the demo's municipal boundary.  Each
step then runs in a Python process of its own, so that its peak resident memory (``VmHWM`` of
that process: it sees numpy, GEOS and SQLite, which ``tracemalloc`` does not) is its own.  Each
step reports its wall time and its CPU time (the latter moves less when other programs share
the machine):

``import``
    A new SQLite database with the demo's boundary, then ``service.import_file(engine, actor,
    "units", FILE)``: reading, parsing, checking every row, locating every point in the
    boundary, writing every unit, the audit row, the commit.
``reimport``
    The same file again into that database: every unit is compared with the stored one and
    none has changed.
``read_csv`` (anchor)
    ``pandas.read_csv`` of the same file, every column as text: the least any import must do.
``executemany`` (anchor)
    The same rows (unit id, x, y) inserted into a table of the same width with a plain
    ``sqlite3`` ``executemany`` and one commit: the least any write must cost.
``python``
    The same interpreter after ``import geoplan.service`` and pandas, doing nothing: the floor
    under every peak.

No asserts: the figures are for reading (the target: the import's peak under 2 GB).
"""

from __future__ import annotations

import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from geoplan.config import DATA_DIR

UNIT_FILE = DATA_DIR / "units" / "elverum_boliger.csv"  # the demo's register
BOUNDARY_FILE = DATA_DIR / "shapes" / "elverum_kommune.geojson"  # the demo's boundary
N_ROWS = 500_000
SEED = 3420
ENCODING = "cp1252"  # as the demo's register (a Windows Excel export)
STEPS = ("python", "read_csv", "executemany", "import", "reimport")


def write_register(path: Path, n: int = N_ROWS, seed: int = SEED) -> Path:
    """Write ``n`` units in the demo register's format to ``path`` and return it.

    Every row is a row of the demo's ``elverum_boliger.csv`` (drawn with replacement) with the
    unit id ``S-0000001`` … and a point (``Øst``/``Nord``, EPSG:25833, 0.1 m) drawn uniformly
    inside the demo's boundary.
    """
    import geopandas as gpd
    import numpy as np
    import pandas as pd
    import shapely

    demo = pd.read_csv(UNIT_FILE, sep=";", dtype=str, keep_default_na=False,
                       encoding=ENCODING)
    boundary = gpd.read_file(BOUNDARY_FILE).to_crs(25833).geometry.union_all()
    rng = np.random.default_rng(seed)
    x0, y0, x1, y1 = boundary.bounds
    xs, ys = np.empty(0), np.empty(0)
    while len(xs) < n:  # rejection sampling: keep the points inside the boundary
        x, y = rng.uniform(x0, x1, 2 * n), rng.uniform(y0, y1, 2 * n)
        inside = shapely.contains_xy(boundary, x, y)
        xs, ys = np.concatenate([xs, x[inside]]), np.concatenate([ys, y[inside]])
    out = demo.iloc[rng.integers(0, len(demo), n)].reset_index(drop=True)
    id_col, x_col, y_col = out.columns[0], out.columns[10], out.columns[11]  # Bolignr, Øst, Nord
    out[id_col] = [f"S-{i:07d}" for i in range(1, n + 1)]
    out[x_col] = pd.Series(np.round(xs[:n], 1)).map("{:.1f}".format).str.replace(".", ",")
    out[y_col] = pd.Series(np.round(ys[:n], 1)).map("{:.1f}".format).str.replace(".", ",")
    out.to_csv(path, sep=";", index=False, encoding=ENCODING, lineterminator="\r\n")
    return path


def _peak_mb() -> float:
    """This process's peak resident memory so far, in MB.

    ``VmHWM`` of /proc/self/status: the high-water mark of this program's own memory.  Not
    ``ru_maxrss``, which a child inherits from its parent at fork (here: the parent holding the
    register it has just written) and keeps across exec.
    """
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return round(int(line.split()[1]) / 1024, 1)  # kB
    return round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)  # not Linux


def _cpu_s() -> float:
    """CPU seconds this process has used (user + system): less sensitive to a busy machine."""
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def _step(step: str, file: Path, db: Path) -> dict:
    """Run one step in this process; return its wall time and this process's peak RSS."""
    import pandas as pd

    from geoplan import service

    figures: dict = {}
    start, cpu = time.perf_counter(), _cpu_s()
    if step == "read_csv":
        frame = pd.read_csv(file, sep=";", dtype=str, keep_default_na=False, encoding=ENCODING)
        figures["rows"] = len(frame)
    elif step == "executemany":
        import sqlite3

        frame = pd.read_csv(file, sep=";", dtype=str, keep_default_na=False, encoding=ENCODING)
        start, cpu = time.perf_counter(), _cpu_s()  # the write alone
        rows = list(zip(frame.iloc[:, 0], frame.iloc[:, 10].str.replace(",", ".").astype(float),
                        frame.iloc[:, 11].str.replace(",", ".").astype(float), strict=True))
        conn = sqlite3.connect(db)
        conn.execute("PRAGMA journal_mode=WAL")
        width = ", ".join(f"c{i} TEXT" for i in range(22))
        conn.execute(f"CREATE TABLE plain (id INTEGER PRIMARY KEY, unit_id TEXT UNIQUE, "
                     f"x REAL, y REAL, {width})")
        conn.executemany("INSERT INTO plain (unit_id, x, y) VALUES (?, ?, ?)", rows)
        conn.commit()
        conn.close()
        figures["rows"] = len(rows)
    elif step in ("import", "reimport"):
        from geoplan.storage.db import make_engine

        engine = make_engine(f"sqlite:///{db}")
        actor = service.local_actor()
        if step == "import":
            service.import_file(engine, actor, "boundary", BOUNDARY_FILE,
                                number="3420", name="Elverum")
            start, cpu = time.perf_counter(), _cpu_s()  # the unit import alone
        summary = service.import_file(engine, actor, "units", file)
        figures |= {"rows": summary.rows, "created": summary.created,
                    "unchanged": summary.unchanged}
        engine.dispose()
    figures["seconds"] = round(time.perf_counter() - start, 2)
    figures["cpu_seconds"] = round(_cpu_s() - cpu, 2)
    figures["peak_rss_mb"] = _peak_mb()
    return figures


def _child(step: str, file: Path, db: Path) -> dict:
    """Run one step in a new Python process and return its figures."""
    out = subprocess.run([sys.executable, "-m", "benchmarks.bench_import", "--step", step,
                          str(file), str(db)], capture_output=True, text=True, check=False,
                         cwd=Path(__file__).resolve().parent.parent)
    if out.returncode != 0:
        return {"failed": out.stderr.strip().splitlines()[-1:] or ["no output"]}
    return json.loads(out.stdout.strip().splitlines()[-1])


def run(rows: int = N_ROWS) -> dict:
    """Write the register, run every step in its own process, return the figures by step."""
    with tempfile.TemporaryDirectory(prefix="geoplan-bench-import-") as tmp:
        folder = Path(tmp)
        file = folder / "register.csv"
        start = time.perf_counter()
        write_register(file, rows)
        made = time.perf_counter() - start
        figures = {"data": {"rows": rows, "file_mb": round(file.stat().st_size / 2**20, 1),
                            "write_file_s": round(made, 2),
                            "load_1min_start": round(os.getloadavg()[0], 2)}}
        for step in STEPS:
            db = folder / ("plain.sqlite" if step == "executemany" else "geoplan.sqlite")
            figures[step] = _child(step, file, db)
        figures["data"]["load_1min_end"] = round(os.getloadavg()[0], 2)
    return figures


if __name__ == "__main__":
    if len(sys.argv) == 5 and sys.argv[1] == "--step":
        print(json.dumps(_step(sys.argv[2], Path(sys.argv[3]), Path(sys.argv[4]))))
    else:
        import argparse

        parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
        parser.add_argument("--json", action="store_true", help="print one JSON object")
        parser.add_argument("--rows", type=int, default=N_ROWS, help="rows of the register")
        args = parser.parse_args()
        result = run(args.rows)
        if args.json:
            print(json.dumps(result, ensure_ascii=False))
        else:
            for section, values in result.items():
                print(section)
                for key, value in values.items():
                    print(f"  {key:34} {value}")
