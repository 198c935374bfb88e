"""The load test: many browser sessions at once against the app (``python -m benchmarks.load.run``)."""
