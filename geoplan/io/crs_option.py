"""The CRS an importer is given (``--crs``) or finds named in a header, as codes or problems.

``geoplan.crs.parse_epsg`` raises ``ValueError`` for a CRS that is unknown or not accepted; an
importer turns that into the problem ``crs_not_accepted`` (value = what was given) instead of a
traceback.  Every importer that takes a CRS calls :func:`given_epsg` before it reads the file,
and every importer that reads coordinate columns calls :func:`header_epsg` on their headers.
"""

from __future__ import annotations

from collections.abc import Iterable

from geoplan import crs as crs_mod
from geoplan.io.errors import ImportRefused
from geoplan.io.problems import Problem, detail_text, problem


def given_epsg(value: object, filename: str) -> int | None:
    """The accepted EPSG code of a given CRS (``"EPSG:25833"``, ``25833``, ``"EPSG:4979"`` →
    4326 …), None when none is given; :class:`ImportRefused` ``crs_not_accepted`` otherwise."""
    try:
        return crs_mod.parse_epsg(value)  # type: ignore[arg-type]
    except ValueError:
        raise ImportRefused.one(filename, "crs_not_accepted", value=detail_text(value)) from None


def header_epsg(headers: Iterable[str]) -> tuple[set[int], list[Problem]]:
    """The accepted EPSG codes named in ``headers`` ("Øst (EPSG:25832)"), and a
    ``crs_not_accepted`` problem (column = the header) for each header naming another code
    ("Øst (EPSG:3857)"), so that a named code is never replaced by a guess."""
    codes: set[int] = set()
    problems: list[Problem] = []
    for header in headers:
        named = crs_mod.epsg_in_text(header)
        if named is None:
            continue
        try:
            codes.add(crs_mod.parse_epsg(named))  # type: ignore[arg-type]
        except ValueError:
            problems.append(problem("crs_not_accepted", column=str(header),
                                    value=f"EPSG:{named}"))
    return codes, problems
