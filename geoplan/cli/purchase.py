"""`geoplan evaluate`, `rank`, `plan` and `where`: test and plan purchases."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from geoplan import service
from geoplan.cli.common import CrsOpt, FileArg, LangOpt, SystemOpt, echo_json, engine, fail, refused, run

app = typer.Typer()


@app.command()
def evaluate(
    lon: Annotated[float, typer.Option("--lon", help="Longitude (EPSG:4326).")],
    lat: Annotated[float, typer.Option("--lat", help="Latitude (EPSG:4326).")],
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
    """Evaluate one candidate purchase: before/after, verdict, reasons, demand fit."""
    from geoplan.ui.purchase_view import reason_texts

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
    typer.echo(f"{result['verdict'].upper()}  ({result['area']['name']})")
    for reason in reason_texts(result, lang):
        typer.echo(f"  - {reason}")


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
    budget: Annotated[float, typer.Option(help="Budget in NOK.")],
    target: Annotated[list[str] | None, typer.Option(help="GROUP=N, repeatable.")] = None,
    system: SystemOpt = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print one JSON object.")] = False,
    save: Annotated[str | None, typer.Option(help="Save the plan as a named scenario.")] = None,
    lang: LangOpt = "nb",
) -> None:
    """Choose the year's purchases from a candidate file (mixed-integer programme)."""
    from geoplan.ui.wording import shortfall_text

    result = run(service.plan_file, engine(), candidates, budget, _targets(target), system)
    if save:
        import pandas as pd

        service.save_scenario(engine(), save, pd.concat([result.chosen, result.sales]))
    if as_json:
        echo_json(result.as_dict())
        return
    typer.echo(f"{result.status}: {len(result.chosen)} purchases for "
               f"{result.cost:,.0f} NOK of {result.budget + result.proceeds:,.0f}")
    for row in result.chosen.itertuples():
        typer.echo(f"  {row.label}: {row.target_group or '-'} ({row.price:,.0f} NOK)")
    for group, why in result.shortfalls.items():
        typer.echo(f"  {group}: {shortfall_text(why, lang)}")
    if result.unpriced:
        typer.echo(f"  {result.unpriced} candidate(s) without a price were left out")


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
