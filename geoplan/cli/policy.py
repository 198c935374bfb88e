"""`geoplan policy …`: show or set the policy values."""

from __future__ import annotations

from typing import Annotated

import typer

from geoplan.cli.common import engine, fail

app = typer.Typer(help="Show or set the policy thresholds.", no_args_is_help=True)


@app.command("show")
def policy_show() -> None:
    """Print the policy thresholds."""
    from geoplan.storage import repo

    for key, value in repo.policy(engine()).as_dict().items():
        typer.echo(f"{key} = {value:g}")


@app.command("set")
def policy_set(
    values: Annotated[list[str], typer.Argument(help="NAME=VALUE, e.g. max_area_share=0.08")],
) -> None:
    """Set policy thresholds."""

    try:
        pairs = dict(v.split("=", 1) for v in values)
        from geoplan import service

        service.set_policy(engine(), **dict(pairs))
    except ValueError as exc:
        fail(exc)
    policy_show()
