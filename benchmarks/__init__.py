"""GeoPlan benchmarks: each module has ``run() -> dict`` and prints its figures when run."""
