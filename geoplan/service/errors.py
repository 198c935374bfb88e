"""The errors a page or command may catch: a refused file, and refused policy values.

A refused file carries :class:`Problem` rows (codes, rows, columns and details; the codes are
:data:`PROBLEM_CODES`); ``geoplan.ui.import_text`` words them.
"""

from __future__ import annotations

from geoplan.io.errors import ImportRefused
from geoplan.io.problems import CODES as PROBLEM_CODES
from geoplan.io.problems import Problem
from geoplan.policy import PolicyError

__all__ = ["PROBLEM_CODES", "ImportRefused", "PolicyError", "Problem"]
