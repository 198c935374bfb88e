"""Alembic environment: runs on the connection handed over by geoplan.storage.db."""

from alembic import context
from sqlalchemy import create_engine

from geoplan.storage.geometry import use_postgis

# GeoAlchemy2 before the tables: its events index every geometry column as a table is made, on
# each dialect (plain indexes on SQLite), so every database at a revision has the same schema
# and the models' metadata lists the indexes (as autogenerate compares them).
use_postgis()

from geoplan.storage.models import Base  # noqa: E402

target_metadata = Base.metadata
config = context.config


def run() -> None:
    """Run migrations online, on a given connection or a new engine."""
    connection = config.attributes.get("connection")
    if connection is None:
        engine = create_engine(config.get_main_option("sqlalchemy.url"))
        with engine.begin() as connection:
            _migrate(connection)
    else:
        _migrate(connection)


def _migrate(connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        render_as_batch=connection.dialect.name == "sqlite",
    )
    with context.begin_transaction():
        context.run_migrations()


run()
