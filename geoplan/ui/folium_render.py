"""Folium elements go into the page once, as text: never read a second time as a template.

branca's ``MacroElement.render`` (and folium's ``Popup.render``) put each element's rendered
header, HTML and script into the page as ``Element(text)``, and ``Element`` compiles its text as
a Jinja template, which is rendered again with the page.  Two things follow from that, both
measured here:

* **Data becomes code.**  A unit's street ``Storgata {{ 7*7 }}`` shows as "Storgata 49", and
  ``{% if %}`` stops the map with a ``TemplateSyntaxError``: register data, area names from a
  boundary file and unit-type labels all reach those scripts.  Escaping for HTML does not stop
  it (``{`` is not special in HTML).
* **Slow pages.**  The map's marker data (0.77 MB for 10,000 units) are lexed by Jinja on every
  render: about 0.15 s of a warm map page's 0.35 s on the server.

:func:`install` replaces those two ``render`` methods with ones that add the rendered text as
:class:`RenderedText`, whose template prints it unchanged.  The page is the same otherwise.
:mod:`geoplan.ui.mapview` installs it on import, so every GeoPlan map has it.

One folium feature relied on the second pass and no longer works: a ``GeoJson`` style
function that returns a MacroElement (e.g. ``plugins.StripePattern``) as a value, which folium
writes as ``{{'pattern_x'}}`` for the second pass to turn into a name.  GeoPlan's styles are
colours and numbers only.
"""

from __future__ import annotations

import folium.map
from branca.element import Element, Figure, MacroElement
from jinja2 import Template

_PARTS = ("header", "html", "script")
# folium's own methods, kept for the test that compares the two renderings
ORIGINAL_MACRO_RENDER = MacroElement.render
ORIGINAL_POPUP_RENDER = folium.map.Popup.render


class RenderedText(Element):
    """Text that is already rendered (HTML, CSS or JavaScript): put into the page as it is."""

    _template = Template("{{ this.text }}")

    def __init__(self, text: str):
        super().__init__()
        self.text = text


def render_macro(self: MacroElement, **kwargs: object) -> None:
    """``MacroElement.render``: the element's header, html and script macros go into the
    figure as :class:`RenderedText`; then its children render."""
    figure = self.get_root()
    if not isinstance(figure, Figure):
        raise TypeError(f"cannot render {type(self).__name__} outside a Figure")
    for part in _PARTS:
        macro = self._template.module.__dict__.get(part)
        if macro is not None:
            getattr(figure, part).add_child(RenderedText(macro(self, kwargs)),
                                            name=self.get_name())
    for element in self._children.values():
        element.render(**kwargs)


def render_popup(self: folium.map.Popup, **kwargs: object) -> None:
    """``folium.Popup.render`` with :class:`RenderedText` (the popup's HTML is the user's)."""
    for child in self._children.values():
        child.render(**kwargs)
    figure = self.get_root()
    if not isinstance(figure, Figure):
        raise TypeError("cannot render a Popup outside a Figure")
    figure.script.add_child(RenderedText(self._template.render(this=self, kwargs=kwargs)),
                            name=self.get_name())


def install() -> None:
    """Make folium's elements render as :class:`RenderedText` (idempotent)."""
    MacroElement.render = render_macro
    folium.map.Popup.render = render_popup
