"""Helpers shared by the tests and the benchmarks: fixture data and a browser-driven app server."""
