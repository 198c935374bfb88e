"""A geometry column that is WKB on SQLite and a PostGIS geometry on PostgreSQL.

GeoAlchemy2 is imported only where it is needed (:func:`use_postgis`): for a PostgreSQL engine,
and by the migrations, on every dialect.  Importing it takes 0.13 s here (it loads every dialect
it supports), which a server on an up-to-date SQLite database no longer pays before its first
page.
"""

from __future__ import annotations

import shapely
from sqlalchemy import LargeBinary
from sqlalchemy.types import TypeDecorator

from geoplan.crs import WORK_EPSG


class Geometry(TypeDecorator):
    """Store shapely geometries in EPSG:25833: WKB on SQLite, ``geometry`` on PostGIS."""

    impl = LargeBinary
    cache_ok = True
    # read by GeoAlchemy2's DDL events through the decorator on PostgreSQL
    spatial_index = True
    use_N_D_index = False
    use_typmod = None
    dimension = 2
    nullable = True

    def __init__(self, geometry_type: str = "GEOMETRY", srid: int = WORK_EPSG):
        super().__init__()
        self.geometry_type = geometry_type
        self.srid = srid

    def load_dialect_impl(self, dialect):
        """Use GeoAlchemy2 on PostgreSQL and plain binary elsewhere."""
        if dialect is not None and dialect.name != "postgresql":
            return dialect.type_descriptor(LargeBinary())
        from geoalchemy2 import Geometry as PostGISGeometry  # imports GeoAlchemy2: use_postgis

        postgis = PostGISGeometry(self.geometry_type, srid=self.srid, spatial_index=True)
        if dialect is None:  # GeoAlchemy2 asks without a dialect when it checks column types
            return postgis
        return dialect.type_descriptor(postgis)

    def process_bind_param(self, value, dialect):
        """Convert a shapely geometry to WKB (EWKB element on PostGIS)."""
        if value is None:
            return None
        if dialect.name == "postgresql":
            from geoalchemy2.shape import from_shape

            return from_shape(value, srid=self.srid)
        return shapely.to_wkb(value)

    def process_result_value(self, value, dialect):
        """Convert stored WKB back to a shapely geometry."""
        if value is None:
            return None
        if dialect.name == "postgresql":
            from geoalchemy2.shape import to_shape

            return to_shape(value)
        return shapely.from_wkb(bytes(value))


def use_postgis() -> None:
    """Import GeoAlchemy2, which registers its DDL events (an index on each geometry column, on
    every dialect; PostGIS geometry columns): call before a table is made or migrated
    (:func:`geoplan.storage.db.make_engine` does for PostgreSQL, the migrations always)."""
    import geoalchemy2  # noqa: F401
