"""`geoplan dashboard` and `geoplan report`: the council's figures, as JSON or meeting papers."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from geoplan import service
from geoplan.cli.common import (
    DateOpt,
    JsonOpt,
    LangOpt,
    SystemOpt,
    actor,
    echo_json,
    engine,
    fail,
    parse_date,
    run,
)
from geoplan.ui.i18n import LANGS
from geoplan.ui.report import report_pdf
from geoplan.ui.static_map import map_png

app = typer.Typer()

PublicOpt = Annotated[bool, typer.Option(
    "--public", help="The public version: counts from 1 to min_count - 1 hidden, others rounded.")]


@app.command()
def dashboard(
    system: SystemOpt = None, date: DateOpt = None, public: PublicOpt = False,
    as_json: JsonOpt = False,
) -> None:
    """Print exactly the figures the dashboard and the meeting papers show (null: suppressed)."""
    figures = run(service.dashboard, engine(), system, parse_date(date), public).as_dict()
    if public:  # the public figures leave GeoPlan: recorded in the audit trail
        service.record_export(engine(), actor(), "public_export", "geoplan dashboard --public",
                              after={"system": figures["system"], "date": figures["date"],
                                     "json": as_json},
                              counts={"areas": len(figures.get("areas") or [])})
    if as_json:
        echo_json(figures)
        return
    head = figures["headline"]
    typer.echo(f"{figures['municipality']} · {figures['system']} · {figures['date']}"
               f"{' (public)' if public else ' (internal)'}")
    for key, value in head.items():
        typer.echo(f"  {key}: {'suppressed' if value is None else value}")
    for row in figures["waiting"]:
        shown = "suppressed" if row["households"] is None else int(row["households"])
        typer.echo(f"  waiting {row['target_group']}: {shown}")


@app.command()
def report(
    out: Annotated[Path | None, typer.Argument(help="The PDF to write (A4 meeting papers).")] = None,
    png: Annotated[Path | None, typer.Option("--png", help="Also (or only) write the map as a "
                                             "1920 x 1080 PNG, for slides.")] = None,
    public: PublicOpt = False, system: SystemOpt = None, date: DateOpt = None,
    lang: LangOpt = "nb",
) -> None:
    """Write the meeting papers as an A4 PDF and/or the dashboard's map as a PNG (no browser).

    Without --public the papers are the internal version, marked "Intern" on every page.
    """
    if out is None and png is None:
        fail(ValueError("give the PDF to write (OUT.pdf), --png OUT.png, or both"))
    if lang not in LANGS:
        fail(ValueError(f"--lang must be one of {', '.join(LANGS)}, not '{lang}'"))
    figures = run(service.dashboard, engine(), system, parse_date(date), public)
    written = []
    if out is not None:
        written.append(_write(out, report_pdf(figures, lang)))
    if png is not None:
        written.append(_write(png, map_png(figures, lang)))
    version = "public" if public else "internal"
    service.record_export(engine(), actor(), "report", ", ".join(written),
                          after={"public": public, "system": figures.system,
                                 "date": figures.on, "lang": lang, "pdf": out is not None,
                                 "png": png is not None},
                          counts={"files": len(written)})
    typer.echo(f"wrote {', '.join(written)} ({version}, {figures.system}, {figures.on})")


def _write(path: Path, data: bytes) -> str:
    """Write ``data`` to ``path``; a path that cannot be written ends the command."""
    try:
        path.write_bytes(data)
    except OSError as exc:
        fail(ValueError(f"cannot write {path}: {exc.strerror or exc}"))
    return str(path)
