"""`geoplan policy …`: show or set the policy values (every field of geoplan.policy.POLICY_FIELDS)."""

from __future__ import annotations

from typing import Annotated

import typer

from geoplan import service
from geoplan.cli.common import actor, engine, fail
from geoplan.policy import POLICY_FIELDS

app = typer.Typer(help="Show or set the policy thresholds.", no_args_is_help=True)
_NAMES = ", ".join(f"{f.name} ({f.kind}, default {f.default:g})" for f in POLICY_FIELDS)


@app.command("show")
def policy_show() -> None:
    """Print every policy value."""
    current = service.policy(engine())
    for f in POLICY_FIELDS:
        typer.echo(f"{f.name} = {getattr(current, f.name):g}")


@app.command("set", help=f"Set policy values as NAME=VALUE. Fields: {_NAMES}.")
def policy_set(
    values: Annotated[list[str], typer.Argument(help="NAME=VALUE, e.g. max_area_share=0.08")],
) -> None:
    """Set policy values as NAME=VALUE; nothing is stored unless every value is valid."""
    try:
        pairs = dict(v.split("=", 1) for v in values)
        service.set_policy(engine(), actor(), **pairs)
    except ValueError as exc:
        fail(exc)
    policy_show()
