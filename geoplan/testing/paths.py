"""Where the tests find their files, and the hand-drawn test municipality's boundary."""

from __future__ import annotations

import shapely

from geoplan.config import PROJECT_DIR

TEST_DATA = PROJECT_DIR / "tests" / "data"
# Real public files (Kartverket, CC BY 4.0) beside the project; tests skip when absent.
REALDATA = PROJECT_DIR.parent / "shared" / "realdata"
# A 6 km x 8 km square around Elverum town, in EPSG:25833.
BOUNDARY = shapely.box(310_000, 6_750_000, 316_000, 6_758_000)
