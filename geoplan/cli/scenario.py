"""`geoplan scenario …`: save, list, compare and record purchase scenarios."""

from __future__ import annotations

from typing import Annotated

import typer

from geoplan import service
from geoplan.cli.common import (
    DateOpt,
    FileArg,
    LangOpt,
    SystemOpt,
    actor,
    echo_json,
    engine,
    parse_date,
    run,
)

app = typer.Typer(help="Save, list and compare purchase scenarios.", no_args_is_help=True)


@app.command("save")
def scenario_save(
    name: str,
    candidates: FileArg,
) -> None:
    """Save a candidate file (buys and sells) as a named scenario."""
    run(lambda: service.save_scenario(engine(), actor(), name,
                                      service.read_candidates(engine(), candidates)))
    typer.echo(f"saved scenario '{name}'")


@app.command("record")
def scenario_record(
    name: str,
    label: Annotated[str, typer.Argument(help="The purchase's label (its address).")],
    unit_id: Annotated[str, typer.Option("--unit-id", help="The new unit's id.")],
    unit_type: Annotated[str, typer.Option("--type", help="Unit type, e.g. Omsorgsbolig.")],
    tenure: Annotated[str, typer.Option(help="Tenure, e.g. Eid.")] = "owned",
    target_group: Annotated[str | None, typer.Option("--target-group")] = None,
    date: DateOpt = None,
) -> None:
    """Record a scenario's purchase in the register: the only step that changes the units."""
    uid = run(service.record_purchase, engine(), actor(), name, label, unit_id, unit_type, tenure,
               target_group, parse_date(date))
    typer.echo(f"recorded {uid} in the register")


@app.command("list")
def scenario_list() -> None:
    """List saved scenarios."""
    for name in service.scenario_names(engine()):
        typer.echo(name)


@app.command("compare")
def scenario_compare(
    names: list[str], system: SystemOpt = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print one JSON object.")] = False,
    lang: LangOpt = "nb",
) -> None:
    """Compare scenarios side by side: indices, flags, demand served and cost, and what each
    was made with (budget, targets, policy).

    ``--json`` prints ``{"outcome": {column: {row: value}}, "made_with": {name: {"budget",
    "targets", "policy"}}}``.
    """
    from geoplan.ui.purchase_view import compare_display, scenario_settings_table

    table = run(service.compare_scenarios, engine(), service.baseline(engine(), system), names)
    settings = run(service.scenario_settings, engine(), names)
    if as_json:
        echo_json({"outcome": table.to_dict(), "made_with": settings})
        return
    typer.echo(compare_display(table, lang).to_string())
    typer.echo("")
    typer.echo(scenario_settings_table(settings, lang).to_string())
