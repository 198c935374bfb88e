"""Regenerate the synthetic Elverum demo data in ``data/`` and print a summary."""

from __future__ import annotations

from pathlib import Path

from geoplan.demo.generate import generate, summarize

PROJECT = Path(__file__).resolve().parents[1]


def main() -> None:
    """Write the demo files under PROJECT/data and print what was written."""
    paths = generate(PROJECT / "data")
    for name, path in paths.items():
        print(f"{name:22} {path.relative_to(PROJECT)}")
    for key, value in summarize(paths).items():
        print(f"{key:22} {value}")


if __name__ == "__main__":
    main()
