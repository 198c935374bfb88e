"""``python -m geoplan.cli``."""

from geoplan.cli import app

app()
