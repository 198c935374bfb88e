"""The Streamlit app: the shell (``shell.py``), the pages (``pages/``) and their glue.

``app.py`` at the project root runs :func:`streamlit_app.shell.main`.  Nothing here computes:
pages call :mod:`geoplan.service` for numbers and :mod:`geoplan.ui` for words, maps and tables.
The geoplan library never imports this package.
"""
