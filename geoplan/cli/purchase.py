"""`geoplan evaluate`, `rank`, `plan` and `where`: test and plan purchases."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from geoplan import service
from geoplan.cli.common import (
    CrsOpt,
    FileArg,
    LangOpt,
    SystemOpt,
    actor,
    echo_json,
    engine,
    fail,
    refused,
    run,
)

app = typer.Typer()


@app.command()
def evaluate(
    lon: Annotated[float, typer.Option("--lon", help="Longitude (EPSG:4326; UTM east is "
                                                     "detected and converted).")],
    lat: Annotated[float, typer.Option("--lat", help="Latitude (EPSG:4326; UTM north is "
                                                     "detected and converted).")],
    rooms: Annotated[int | None, typer.Option(help="Number of rooms.")] = None,
    area_m2: Annotated[float | None, typer.Option("--area-m2", help="Floor area m².")] = None,
    universal_design: Annotated[bool, typer.Option("--universal-design")] = False,
    staffed: Annotated[bool, typer.Option("--staffed", help="Staffed setting.")] = False,
    unit_type: Annotated[str | None, typer.Option("--type", help="Unit type code.")] = None,
    building_id: Annotated[str | None, typer.Option("--building-id")] = None,
    price: Annotated[float | None, typer.Option(help="Price in NOK.")] = None,
    system: SystemOpt = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print one JSON object.")] = False,
    lang: LangOpt = "nb",
) -> None:
    """Evaluate one candidate purchase: before/after, verdict, reasons, demand fit.

    Swapped latitude/longitude and UTM (EPSG:25832/25833/25835) typed as --lat/--lon are
    detected and converted with a note; numbers that are no coordinates end with exit code 1.
    """
    from geoplan.ui.purchase_view import coordinate_note, headline, reason_sections

    try:
        result = service.evaluate_point(
            service.baseline(engine(), system), lon=lon, lat=lat, rooms=rooms,
            area_m2=area_m2, universal_design=universal_design, staffed=staffed,
            unit_type=unit_type, building_id=building_id, price=price)
    except ValueError as exc:
        fail(exc)
    if as_json:
        echo_json(result)
        return
    note = coordinate_note(result, lang)
    if note:
        typer.echo(note)
    typer.echo(f"{result['verdict'].upper()}  ({result['area']['name'] or '-'})")
    typer.echo(headline(result, lang))
    for title, texts in reason_sections(result, lang):
        typer.echo(f"{title}:")
        for text in texts:
            typer.echo(f"  - {text}")


@app.command()
def rank(
    candidates: FileArg,
    out: Annotated[Path, typer.Argument(help="Ranked table, .csv or .xlsx.")],
    system: SystemOpt = None, crs: CrsOpt = None, lang: LangOpt = "nb",
) -> None:
    """Rank a candidate file (verdict, demand served, concentration change) to CSV/XLSX."""
    from geoplan.ui.purchase_view import ranked_table

    try:
        ranked = service.rank_file(engine(), candidates, system, crs)
        path = service.write_table(ranked_table(ranked, lang), out, "rangering")
    except service.ImportRefused as exc:
        refused(exc)
    except ValueError as exc:
        fail(exc)
    counts = ranked["verdict"].value_counts().to_dict()
    typer.echo(f"wrote {path}: {len(ranked)} candidates, " + ", ".join(
        f"{counts.get(v, 0)} {v}" for v in ("green", "amber", "red")))


def _targets(values: list[str] | None) -> dict[str, int]:
    from geoplan.vocab import TARGET_GROUP

    out = {}
    for v in values or []:
        name, _, n = v.partition("=")
        code = TARGET_GROUP.code(name) or name
        try:
            out[code] = int(n)
        except ValueError:
            fail(ValueError(f"'{v}' is not GROUP=N"))
    return out


@app.command()
def plan(
    candidates: FileArg,
    budget: Annotated[float | None, typer.Option(help="Budget in NOK (a one-year plan).")] = None,
    target: Annotated[list[str] | None, typer.Option(help="GROUP=N a year, repeatable.")] = None,
    horizon: Annotated[int, typer.Option(help="Years in the plan (1 to 4).")] = 1,
    budget_per_year: Annotated[float | None, typer.Option(
        "--budget-per-year", help="Budget in NOK for each year of the plan.")] = None,
    gap: Annotated[bool | None, typer.Option(
        "--gap/--no-gap", help="Let each group take its projected gap (default when the "
                               "database has flows) or the households waiting now.")] = None,
    system: SystemOpt = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print one JSON object.")] = False,
    save: Annotated[str | None, typer.Option(help="Save the plan as a named scenario.")] = None,
    lang: LangOpt = "nb",
) -> None:
    """Choose purchases from a candidate file for one year or several (mixed-integer programme).

    One year: --budget NOK.  Several: --horizon N --budget-per-year NOK (the candidates' prices
    are the same every year).  A negative budget, a horizon outside 1 to 4, an unknown group or
    a negative target ends with exit code 1.
    """
    from geoplan.ui.purchase_view import plan_summary_lines

    if budget is not None and budget_per_year is not None:
        fail(ValueError("give --budget or --budget-per-year, not both"))
    if budget is None and budget_per_year is None:
        fail(ValueError("give --budget (one year) or --budget-per-year"))
    if budget is not None and horizon != 1:
        fail(ValueError("a plan over several years needs --budget-per-year"))
    money = budget if budget is not None else budget_per_year
    result = run(service.plan_file, engine(), candidates, money, _targets(target), system,
                 years=horizon, use_gap=gap)
    if save:
        run(service.save_plan, engine(), actor(), save, result)
    if as_json:
        echo_json(result.as_dict())
        return
    for line in plan_summary_lines(result, lang):
        typer.echo(line)


@app.command("where")
def where_cmd(
    out: Annotated[Path | None, typer.Argument(help="Optional .csv/.xlsx output.")] = None,
    system: SystemOpt = None,
) -> None:
    """Rank the areas by headroom under the caps and fit to the unmet demand."""
    table = run(service.where, engine(), system)
    if out:
        service.write_table(table.assign(groups=table["groups"].map(", ".join)), out, "hvor")
        typer.echo(f"wrote {out}")
        return
    for row in table.head(15).to_dict("records"):
        typer.echo(f"{row['class']:7} {row['name'] or row['code']:25} "
                   f"headroom {row['headroom']:4.0f}  fit {row['demand_fit']:.2f}")
