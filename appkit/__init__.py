"""Streamlit glue for app.py and pages/: cached loaders. The geoplan library never imports it."""
