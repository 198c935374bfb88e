"""The segregation indices' definitions (key, symbol, function, spatial or not): numbers and
codes only.

Apart from :mod:`geoplan.service.concentration` so that a page that only names an index (the
purchase test's before/after table) does not import the concentration analysis, whose hot-spot
statistics import esda and libpysal (about 1.4 s the first time, measured in a profile of the
purchase page's first verdict).
"""

from __future__ import annotations

from geoplan.analytics.indices import INDEX_BY_KEY, INDEX_SPECS, IndexSpec

__all__ = ["INDEX_BY_KEY", "INDEX_SPECS", "IndexSpec"]
