"""The errors a page or command may catch: a refused file, and refused policy values."""

from __future__ import annotations

from geoplan.io.errors import ImportRefused
from geoplan.policy import PolicyError

__all__ = ["ImportRefused", "PolicyError"]
