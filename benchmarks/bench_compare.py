"""This checkout against another commit, interleaved: the first map's figures of both, measured
in turns in the same minutes, so that both meet the same machine.

``geoplan bench --only compare --against REV`` (default ``HEAD``) checks ``REV`` out in a
temporary git worktree and starts, in turns, that commit's server and this checkout's, each as
``make run`` starts it (``python -m streamlit_app`` from its own folder: its own code, the same
installed libraries).  Each round measures, for each side, on the same databases and in the same
way as ``bench_map`` (its :func:`~benchmarks.bench_map.start_to_markers` and
:func:`~benchmarks.bench_map.visits`): the demo preloaded, server start → first markers; then
10,000 synthetic units, first and second visit → markers, with the map panned in between.
The figures are the medians over :data:`ROUNDS` rounds, beside every round's value, and what
this checkout gained round by round (``gained``).  On a machine whose speed drifts (see the
README's speed section), this is the fair way to say what a change gained; the absolute figures
stay with ``bench_map``.  No asserts: the figures are for reading.  Needs git and /usr/bin/chromium.
"""

from __future__ import annotations

import os
import statistics
import subprocess
import tempfile
import time
from contextlib import contextmanager
from pathlib import Path

from benchmarks.bench_map import N_UNITS, SEED, _load, _preloaded, start_to_markers, visits
from benchmarks.report import dump, main, ms
from geoplan.config import PROJECT_DIR
from geoplan.storage.db import make_engine
from geoplan.testing.data import seed_database, synthetic_units
from geoplan.testing.server import APP

ROUNDS = 4
PAUSE_S = 1.0  # between two servers: the previous one's processes are gone
FIGURES = ("demo_start_to_markers_ms", "large_first_visit_ms", "large_second_visit_ms")


def _git(*args: str) -> str:
    return subprocess.run(["git", "-C", str(PROJECT_DIR), *args], capture_output=True,
                          text=True, check=True).stdout.strip()


@contextmanager
def worktree(rev: str):
    """``rev`` checked out in a temporary git worktree (removed on exit); yields its folder."""
    folder = Path(tempfile.mkdtemp(prefix="geoplan-compare-")) / "tree"
    _git("worktree", "add", "--detach", "--quiet", str(folder), rev)
    try:
        yield folder
    finally:
        _git("worktree", "remove", "--force", str(folder))


def _one_round(app: Path, demo: str, large: str) -> dict:
    """The three figures of one side: the demo's first markers, then the 10,000 units' two
    visits (with the panning between them), each measured as ``bench_map`` measures it."""
    demo_s, _clicked, _shown = start_to_markers(demo, app)
    time.sleep(PAUSE_S)
    seen = visits(large, app)
    time.sleep(PAUSE_S)
    return dict(zip(FIGURES, (ms(demo_s), seen["browser_first_load_to_markers_ms"],
                              seen["browser_second_visit_to_markers_ms"]), strict=True))


def _gained(against: list[float], this: list[float]) -> dict:
    """Round by round, how much sooner this checkout was (ms; negative: later): the median and
    mean of the differences, and in how many rounds it was sooner."""
    diffs = [a - b for a, b in zip(against, this, strict=True)]
    return {"median_ms": round(statistics.median(diffs), 1),
            "mean_ms": round(statistics.mean(diffs), 1),
            "sooner_in": f"{sum(d > 0 for d in diffs)} of {len(diffs)}"}


def run(json: bool = False, against: str = "HEAD", rounds: int = ROUNDS) -> dict:
    """Measure ``against`` and this checkout in turns, ``rounds`` times; return the figures."""
    from streamlit_app.serve import compile_bytecode

    load_before = _load()
    compile_bytecode()  # this checkout as `make run` starts it (the other as its own did)
    sides = {"against": _git("rev-parse", "--short", against),
             "this": _git("rev-parse", "--short", "HEAD")
             + (" + changes" if _git("status", "--porcelain", "--untracked-files=no") else "")}
    with tempfile.TemporaryDirectory() as tmp, worktree(against) as tree:
        demo, large = f"sqlite:///{tmp}/demo.sqlite", f"sqlite:///{tmp}/large.sqlite"
        _preloaded(demo)
        engine = make_engine(large)
        seed_database(engine, synthetic_units(N_UNITS, seed=SEED))
        engine.dispose()
        apps = {"against": tree / "app.py", "this": APP}
        measured: dict[str, list[dict]] = {side: [] for side in apps}
        for _ in range(rounds):
            for side, app in apps.items():
                measured[side].append(_one_round(app, demo, large))
    result = {"load_before": load_before, "commits": sides, "rounds": rounds,
              "environment": {"PYTHONDONTWRITEBYTECODE": os.environ.get("PYTHONDONTWRITEBYTECODE")}}
    for side, rows in measured.items():
        result[side] = {name: {"median": round(statistics.median(r[name] for r in rows), 1),
                               "each": [r[name] for r in rows]} for name in FIGURES}
    result["gained"] = {name: _gained(result["against"][name]["each"], result["this"][name]["each"])
                        for name in FIGURES}
    result["load_after"] = _load()
    if json:
        dump(result)
    return result


if __name__ == "__main__":
    main(run, __doc__)
