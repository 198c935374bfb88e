"""The error an import raises when it refuses a file."""

from __future__ import annotations

import re

_ROW = re.compile(r"^row (\d+)\b")


def _row_key(problem: str) -> int:
    m = _ROW.match(problem)
    return int(m.group(1)) if m else 0


class ImportRefused(Exception):
    """A file was refused as a whole; ``problems`` lists every reason, one per line."""

    def __init__(self, filename: str, problems: list[str]):
        self.filename = filename
        self.problems = sorted(problems, key=_row_key)
        super().__init__(self.message())

    def message(self) -> str:
        """Return the refusal with every problem on its own line."""
        head = f"{self.filename}: refused, nothing was imported ({len(self.problems)} problem"
        head += "s):" if len(self.problems) != 1 else "):"
        return "\n".join([head, *(f"  {p}" for p in self.problems)])
