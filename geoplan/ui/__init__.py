"""Words, maps and tables: the only part of the library that makes sentences and pictures.

Importing it makes Jinja keep folium's and branca's compiled templates between processes
(:mod:`geoplan.ui.template_cache`); nothing in ``geoplan.ui`` imports folium before this.
"""

from geoplan.ui import template_cache

template_cache.install()
