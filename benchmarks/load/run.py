"""Load test: N concurrent browser sessions against the internal app for M minutes.

``python -m benchmarks.load.run [--users 20] [--minutes 2] [--postgres URL] [--signed-in |
--no-signed-in] [--json] [--out FILE]``

Starts ``streamlit run app.py`` on 127.0.0.1 on the Elverum demo.  With ``--signed-in`` (the
default) the server gets an ``[auth]`` section pointing at the local OpenID Connect provider
(:func:`geoplan.testing.oidc.oidc_provider`, on a free localhost port in this process), and
``--users`` users ``load01@kommune.no`` … with the role ``property_manager`` are added to the
database (``service.add_user``) and to the provider; each session signs in ("Logg inn", the
provider's form) before its loop.  ``--no-signed-in`` runs the app in its local mode (no
sign-in on a loopback address, the one user a local admin).

The database is a temporary SQLite copy, or the PostGIS database ``--postgres URL`` (the demo is
loaded when that database is empty; a database with data is used as it is).  Then ``--users``
Playwright contexts in one headless Chromium (``/usr/bin/chromium``) click through the map,
concentration and purchase pages and run purchase tests (:mod:`benchmarks.load.sessions`) until
``--minutes`` have passed.  Every request goes to 127.0.0.1 or localhost (the provider);
anything else is aborted.

Reported: the errors (goal 0), p50/p95/max per action (goal: purchase verdict p95 <= 1 s), and
the server's memory (RSS of the streamlit process, sampled every second).  Not part of
``make test`` or ``geoplan bench``: it takes minutes.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import tempfile
import threading
import time
from contextlib import ExitStack
from pathlib import Path

import numpy as np

from benchmarks.load.sessions import ACTIONS, Record, Session
from benchmarks.report import ms

GOAL_VERDICT_P95 = 1.0  # seconds
ROLE = "property_manager"  # the signed-in users' role: the purchase test page is theirs


def load_users(n: int) -> list[str]:
    """The e-mail addresses of the signed-in test users."""
    return [f"load{i + 1:02d}@kommune.no" for i in range(n)]


def add_users(url: str, emails: list[str]) -> None:
    """Give every test user the role :data:`ROLE` (``service.add_user``; idempotent)."""
    from geoplan import service
    from geoplan.storage.db import make_engine

    engine = make_engine(url)
    try:
        for email in emails:
            service.add_user(engine, service.local_actor(), email, ROLE)
    finally:
        engine.dispose()


def rss_bytes(pid: int) -> int:
    """Resident memory of ``pid`` and its descendants, from /proc (0 once it has ended)."""
    total, todo = 0, [pid]
    while todo:
        p = todo.pop()
        try:
            status = Path(f"/proc/{p}/status").read_text()
            total += int(next(line.split()[1] for line in status.splitlines()
                              if line.startswith("VmRSS:"))) * 1024
            for task in Path(f"/proc/{p}/task").iterdir():
                todo += [int(c) for c in (task / "children").read_text().split()]
        except (OSError, StopIteration):
            continue
    return total


def cpu_seconds(pid: int) -> float:
    """CPU time (user + system) that ``pid`` has used, from /proc (0 once it has ended)."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


class Sampler(threading.Thread):
    """Sample :func:`rss_bytes` of ``pid`` every ``every`` seconds until stopped."""

    def __init__(self, pid: int, every: float = 1.0):
        super().__init__(daemon=True)
        self.pid, self.every, self.samples, self.cpu = pid, every, [], []
        self.stopped = threading.Event()

    def run(self) -> None:
        while not self.stopped.is_set():
            self.samples.append((time.monotonic(), rss_bytes(self.pid)))
            self.cpu.append((time.monotonic(), cpu_seconds(self.pid)))
            self.stopped.wait(self.every)


def demo_points(url: str) -> list[tuple[float, float]]:
    """(lon, lat) of the demo's address points, to type into the purchase test."""
    from sqlalchemy import select

    from geoplan import crs
    from geoplan.storage.db import make_engine
    from geoplan.storage.models import Address

    engine = make_engine(url)
    with engine.connect() as conn:
        xy = np.array(conn.execute(select(Address.x, Address.y)).all(), dtype=float)
    engine.dispose()
    if not len(xy):
        raise SystemExit("the database has no address points: load the Elverum demo")
    lon, lat = crs.to_display(xy[:, 0], xy[:, 1])
    return list(zip(lon.tolist(), lat.tolist(), strict=True))


def prepare(postgres: str | None, stack: ExitStack) -> tuple[str, str]:
    """The database URL to test on, with the demo in it, and a label for the report."""
    from geoplan.demo.load import is_empty, load_demo
    from geoplan.storage.db import make_engine

    if postgres:
        url, label = postgres, "postgis"
    else:
        folder = stack.enter_context(tempfile.TemporaryDirectory(prefix="geoplan-load-"))
        url, label = f"sqlite:///{folder}/demo.sqlite", "sqlite"
    engine = make_engine(url)
    if is_empty(engine):
        load_demo(engine)
    engine.dispose()
    return url, label


def percentiles(values: list[float]) -> dict:
    """n, p50, p95 and max in milliseconds (None without values)."""
    if not values:
        return {"n": 0, "p50_ms": None, "p95_ms": None, "max_ms": None}
    a = np.asarray(values)
    return {"n": len(a), "p50_ms": ms(float(np.percentile(a, 50))),
            "p95_ms": ms(float(np.percentile(a, 95))), "max_ms": ms(float(a.max()))}


def summary(records: list[Record], samples: list[tuple[float, int]], users: int,
            minutes: float, database: str, elapsed: float,
            cpu: list[tuple[float, float]] = (), signed_in: bool = False) -> dict:
    """The figures of one run, as plain data."""
    actions = {a: percentiles([s for r in records for s in r.timings[a]]) for a in ACTIONS}
    errors = [e for r in records for e in r.errors]
    by_action = {a: sum(1 for name, _ in errors if name == a) for a in ACTIONS}
    mib = [b / 2**20 for _, b in samples if b]
    verdict_p95 = actions["purchase_verdict"]["p95_ms"]
    return {
        "users": users, "minutes": minutes, "database": database, "signed_in": signed_in,
        "sessions_signed_in": sum(1 for r in records if r.timings["sign_in"]),
        "elapsed_s": round(elapsed, 1), "loops": sum(r.loops for r in records),
        "actions": actions, "errors": len(errors), "errors_by_action": by_action,
        "error_examples": sorted({m for _, m in errors})[:5],
        "server_rss_mib": {
            "start": round(mib[0], 1) if mib else None, "max": round(max(mib), 1) if mib else None,
            "mean": round(float(np.mean(mib)), 1) if mib else None,
            "end": round(mib[-1], 1) if mib else None, "samples": len(mib)},
        # the server's CPU use (100 = one core busy); the browsers share the same machine
        "server_cpu_percent": round(100 * (cpu[-1][1] - cpu[0][1]) / (cpu[-1][0] - cpu[0][0]), 1)
        if len(cpu) > 1 else None,
        "machine_cpus": os.cpu_count(),
        "goals": {"errors_zero": not errors,
                  "purchase_verdict_p95_le_1s": verdict_p95 is not None
                  and verdict_p95 <= GOAL_VERDICT_P95 * 1000},
    }


async def _sessions(url: str, users: int, seconds: float, points, timeout: float,
                    emails: list[str] | None = None) -> list[Record]:
    from playwright.async_api import async_playwright

    from geoplan.testing.server import CHROMIUM, CHROMIUM_ARGS

    async with async_playwright() as pw:
        browser = await pw.chromium.launch(executable_path=str(CHROMIUM),
                                           args=list(CHROMIUM_ARGS))
        try:
            deadline = time.monotonic() + seconds
            sessions = [Session(url, points, deadline, seed=i, timeout=timeout,
                                email=emails[i] if emails else None, role=ROLE)
                        for i in range(users)]
            starts = []
            for i, s in enumerate(sessions):  # users arrive over the first 10 seconds
                starts.append(asyncio.create_task(_later(i * 10 / users, s.run(browser))))
            return list(await asyncio.gather(*starts))
        finally:
            await browser.close()


async def _later(delay: float, coroutine):
    await asyncio.sleep(delay)
    return await coroutine


def run(users: int = 20, minutes: float = 2.0, postgres: str | None = None,
        timeout: float = 60.0, signed_in: bool = True) -> dict:
    """Run the load test and return its figures (see the module's doc)."""
    from geoplan.testing.oidc import oidc_provider
    from geoplan.testing.server import free_port, streamlit_server

    with ExitStack() as stack:
        url, label = prepare(postgres, stack)
        points = demo_points(url)
        emails, secrets, port = None, None, free_port()
        if signed_in:
            emails = load_users(users)
            add_users(url, emails)
            provider = stack.enter_context(oidc_provider(emails))
            assert provider.url.startswith("http://localhost:")
            secrets = provider.auth_secrets(f"http://127.0.0.1:{port}/oauth2callback")
        server = stack.enter_context(streamlit_server(url, port=port, address="127.0.0.1",
                                                      secrets=secrets, timeout=120))
        assert server.url.startswith("http://127.0.0.1:")
        sampler = Sampler(server.process.pid)
        sampler.start()
        started = time.monotonic()
        try:
            records = asyncio.run(_sessions(server.url, users, minutes * 60, points, timeout,
                                            emails))
        finally:
            sampler.stopped.set()
            sampler.join()
        return summary(records, sampler.samples, users, minutes, label,
                       time.monotonic() - started, sampler.cpu, signed_in)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--users", type=int, default=20, help="concurrent sessions (20)")
    parser.add_argument("--minutes", type=float, default=2.0, help="how long (2)")
    parser.add_argument("--postgres", metavar="URL", help="a PostGIS database (default: SQLite)")
    parser.add_argument("--timeout", type=float, default=60.0, help="per action, seconds (60)")
    parser.add_argument("--signed-in", action=argparse.BooleanOptionalAction, default=True,
                        help="sign every session in at a local OIDC provider (default); "
                             "--no-signed-in: the app's local mode")
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    parser.add_argument("--out", type=Path, help="also write the JSON to this file")
    args = parser.parse_args()
    if not 1 <= args.users <= 100 or not 0 < args.minutes <= 30:
        parser.error("--users must be 1..100 and --minutes 0..30")
    figures = run(args.users, args.minutes, args.postgres, args.timeout, args.signed_in)
    text = json.dumps(figures, ensure_ascii=False, indent=None if args.json else 2)
    if args.out:
        args.out.write_text(text + "\n", encoding="utf-8")
    print(text)


if __name__ == "__main__":
    main()
