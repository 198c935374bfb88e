"""`geoplan demand`: households waiting per target group, the flows and the projection."""

from __future__ import annotations

from typing import Annotated

import typer

from geoplan import service
from geoplan.cli.common import DateOpt, JsonOpt, echo_json, engine, parse_date, run
from geoplan.ui.format import num, pct
from geoplan.vocab import TARGET_GROUP

app = typer.Typer()

HorizonOpt = Annotated[int, typer.Option("--horizon", help="Years to project (1 to 10).")]
ScenarioOpt = Annotated[str | None, typer.Option(
    "--scenario", help="A saved scenario: its purchases and sales enter the projection.")]

# (column, heading, format) of the English table
COLUMNS = (
    ("waiting", "waiting", lambda v: num(v, "en", 0)),
    ("inflow", "inflow/yr", lambda v: num(v, "en", 1)),
    ("allocations", "housed/yr", lambda v: num(v, "en", 1)),
    ("withdrawals", "left/yr", lambda v: num(v, "en", 1)),
    ("suitable_stock", "suitable", lambda v: num(v, "en", 0)),
    ("vacant", "vacant", lambda v: num(v, "en", 0)),
    ("turnover_rate", "turnover", lambda v: pct(v, "en")),
    ("expected_wait_years", "wait (yrs)", lambda v: num(v, "en", 1)),
    ("net_annual_need", "need/yr", lambda v: num(v, "en", 1)),
    ("gap", "gap", lambda v: num(v, "en", 0)),
)


@app.command()
def demand(
    date: DateOpt = None, horizon: HorizonOpt = 4, scenario: ScenarioOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """Demand per target group as a flow: waiting, inflow, allocations, stock, need, projection."""
    outlook = run(service.demand_outlook, engine(), parse_date(date), horizon, scenario)
    if as_json:
        echo_json(outlook.as_dict())
        return
    for line in table_lines(outlook):
        typer.echo(line)


def table_lines(outlook) -> list[str]:
    """A short English table of ``outlook`` (a ``service.DemandOutlook``)."""
    years = ", ".join(map(str, outlook.years_used)) or "none"
    lines = [f"demand on {outlook.on.isoformat()} (snapshot "
             f"{outlook.snapshot.isoformat() if outlook.snapshot else 'none'}; flow years "
             f"{years}; horizon {outlook.horizon} years"
             + (f"; scenario '{outlook.scenario}'" if outlook.scenario else "") + ")"]
    rows = [["target group", *(h for _, h, _ in COLUMNS)]]
    for rec in outlook.groups.to_dict("records"):
        label = TARGET_GROUP.label(rec["target_group"], "en")
        rows.append([label, *(fmt(rec[c]) for c, _, fmt in COLUMNS)])
    widths = [max(len(r[i]) for r in rows) for i in range(len(rows[0]))]
    for r in rows:
        lines.append("  ".join([r[0].ljust(widths[0]),
                                *(c.rjust(w) for c, w in zip(r[1:], widths[1:], strict=True))]))
    missing = outlook.groups.loc[outlook.groups["status"] == "no_flows", "target_group"]
    for g in missing:
        lines.append(f"note: no flows for {TARGET_GROUP.label(g, 'en')}: rates unknown")
    lines.append("gap: the projected queue at the horizon"
                 + (" with the scenario" if outlook.scenario else "") + " (households)")
    return lines
