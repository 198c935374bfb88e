"""The error an import raises when it refuses a file."""

from __future__ import annotations

from collections.abc import Iterable

from geoplan.io.problems import Problem, problem, sort_key


class ImportRefused(Exception):
    """A file was refused as a whole; ``problems`` lists every :class:`Problem` found.

    The words are made in ``geoplan.ui.import_text``; ``str()`` of the error is a compact
    record for the log (codes, rows and columns, never a sentence for a user).
    """

    def __init__(self, filename: str, problems: Iterable[Problem]):
        self.filename = filename
        self.problems: list[Problem] = sorted(problems, key=sort_key)
        super().__init__(self.record())

    @classmethod
    def one(cls, filename: str, code: str, **detail: object) -> ImportRefused:
        """A refusal with one whole-file problem: ``ImportRefused.one(name, "no_crs")``."""
        return cls(filename, [problem(code, **detail)])

    def record(self) -> str:
        """The refusal for the log: one "row R, column 'C': code key=value" per problem; the
        values read from the file (``value``) are left out, so the log never holds them."""
        lines = [f"{self.filename}: refused ({len(self.problems)} problems)"]
        for p in self.problems:
            where = ", ".join(x for x in (f"row {p.row}" if p.row else "",
                                          f"column {p.column!r}" if p.column else "") if x)
            extra = " ".join(f"{k}={v!r}" for k, v in p.detail if k != "value")
            lines.append(f"  {where + ': ' if where else ''}{p.code} {extra}".rstrip())
        return "\n".join(lines)
