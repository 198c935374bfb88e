"""What every benchmark script shares: milliseconds, and printing its figures from the shell."""

from __future__ import annotations

import argparse
import json
from collections.abc import Callable


def ms(seconds: float) -> float:
    """Seconds as milliseconds, rounded to 0.1 ms."""
    return round(seconds * 1000, 1)


def main(run: Callable[..., dict], doc: str) -> None:
    """Run a benchmark from the command line: ``--json`` prints one object, else a table."""
    parser = argparse.ArgumentParser(description=doc.splitlines()[0])
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    args = parser.parse_args()
    figures = run(json=args.json)
    if not args.json:
        for section, values in figures.items():
            print(section)
            rows = values.items() if isinstance(values, dict) else enumerate(
                values if isinstance(values, list) else [values])
            for key, value in rows:
                print(f"  {key!s:34} {value}")


def dump(figures: dict) -> None:
    """Print ``figures`` as one line of JSON."""
    print(json.dumps(figures, ensure_ascii=False))
