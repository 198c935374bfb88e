"""TEMPORARY shim while the words move to geoplan.ui (issue 7): delete when unused."""

from geoplan.address import address_line  # noqa: F401
from geoplan.ui.format import cap_pct, count_text, nok, num, ordinal, pct  # noqa: F401
