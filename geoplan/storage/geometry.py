"""A geometry column that is WKB on SQLite and a PostGIS geometry on PostgreSQL."""

from __future__ import annotations

import shapely
from sqlalchemy import LargeBinary
from sqlalchemy.types import TypeDecorator

from geoplan.crs import WORK_EPSG


class Geometry(TypeDecorator):
    """Store shapely geometries in EPSG:25833: WKB on SQLite, ``geometry`` on PostGIS."""

    impl = LargeBinary
    cache_ok = True

    def __init__(self, geometry_type: str = "GEOMETRY", srid: int = WORK_EPSG):
        super().__init__()
        self.geometry_type = geometry_type
        self.srid = srid

    def load_dialect_impl(self, dialect):
        """Use GeoAlchemy2 on PostgreSQL and plain binary elsewhere."""
        if dialect.name == "postgresql":
            from geoalchemy2 import Geometry as PostGISGeometry

            return dialect.type_descriptor(
                PostGISGeometry(self.geometry_type, srid=self.srid, spatial_index=True)
            )
        return dialect.type_descriptor(LargeBinary())

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
