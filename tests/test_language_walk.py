"""Everything in the user's language (issue 13): every page, walked in bokmål and in English.

Each page of the internal app (:data:`streamlit_app.shell.PAGES`) runs with AppTest on the Elverum
demo as a planner (the admin page as an admin), in bokmål and in English.  Every text the page
shows is collected: titles, headers, Markdown, captions, alerts, widget labels, help texts,
placeholders and options, button labels, metrics, table headers and the string cells of tables,
and the titles and trace names of its charts.  A text is *English* when it holds at least two
English function words that are not Norwegian words too (:func:`looks_english`); a bokmål page
may show none.  The reverse check (common bokmål words on an English page,
:func:`looks_bokmal`) is reported, not asserted: place names and data stay Norwegian.

The detectors themselves are tested on sentences made by hand.
"""

from __future__ import annotations

import datetime as dt
import html
import json
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from geoplan.roles import Actor, may
from streamlit_app import auth, shell

ROOT = Path(__file__).resolve().parents[1]
APP = str(ROOT / "app.py")
TIMEOUT = 180

# English function words that are not (common) bokmål words.  Left out on purpose: "to" (two),
# "for", "by" (town), "be" (ask), "at" (that), "is" (ice), "have" (garden), "under", "over",
# "i", "a", "de", "den", "en", "per", "om".
ENGLISH = frozenset("""
the and of are was were with this that these those from which not you your yours has been
will would should could can cannot into than then there their they them what when where who
whose how why its it's an or no nor if on in is was does do did yet also only our we us
shows showing show here any every each more most less about after before between without
""".split()) - {"is", "do"}
# Common bokmål function words that are not English words.
BOKMAL = frozenset("""
og ikke er med som til av på det har kan skal ved fra eller etter når hvor hva bare også
blir var vil må mellom uten alle noen ingen være vært denne dette disse hvis slik enn
""".split())
# Proper nouns and codes that are the same in both languages.
PROPER_NOUNS = ("OpenStreetMap", "Kartverket", "SSB", "EPSG", "GeoPlan", "Leaflet", "KOSTRA",
                "Husbanken", "Entra ID", "ID-porten", "OpenID Connect", "CSV", "XLSX", "GeoJSON",
                "GeoPackage", "Shapefile", "PDF", "PNG", "PuLP", "CBC")
_WORD = re.compile(r"[A-Za-zÆØÅæøåÉéÜü']+")
_TAG = re.compile(r"<[^>]+>")
_CODE = re.compile(r"`[^`]*`|:material/[a-z_]+:|https?://\S+|\{[^}]*\}")


def _words(text: str) -> list[str]:
    """The words of ``text`` in lower case: HTML tags, code spans, icons, links and proper
    nouns taken out first."""
    text = html.unescape(_TAG.sub(" ", text))
    text = _CODE.sub(" ", text)
    for noun in PROPER_NOUNS:
        text = text.replace(noun, " ")
    return [w.lower().strip("'") for w in _WORD.findall(text)]


def english_words(text: str) -> list[str]:
    """The English function words of ``text`` (:data:`ENGLISH`), in order."""
    return [w for w in _words(text) if w in ENGLISH]


def looks_english(text: str) -> bool:
    """Whether ``text`` reads as English: at least two English function words."""
    return len(english_words(text)) >= 2


_ISO_DATE = re.compile(r"(?<![\d-])\d{4}-\d{2}-\d{2}(?![\d-])")
_POINT_DECIMAL = re.compile(r"(?<![\d.,])\d+\.\d+(?![\d.])")


def not_norwegian_numbers(text: str) -> list[str]:
    """ISO dates (2026-01-05) and decimal points (8.1) in a text shown in bokmål, where dates
    are dd.mm.åååå and decimals take a comma; a page's own CSS is skipped."""
    if text.lstrip().startswith("<style"):
        return []
    plain = html.unescape(_TAG.sub(" ", text))
    plain = re.sub(r"\d{2}\.\d{2}\.\d{4}", " ", plain)  # a Norwegian date is fine
    return _ISO_DATE.findall(plain) + _POINT_DECIMAL.findall(plain)


def looks_bokmal(text: str) -> bool:
    """Whether ``text`` reads as bokmål: at least two bokmål function words."""
    return sum(w in BOKMAL for w in _words(text)) >= 2


# ---------------------------------------------------------------- the detectors, by hand


@pytest.mark.parametrize("text", [
    "The caps were not saved: the file has no header.",
    "Showing 6 of 6 units",
    "Give --crs to be sure, or the coordinates are guessed from their range.",
    "Import your boundary and register, or load the demo.",
    "<b>Something went wrong</b> on this page. Try again with the file.",
])
def test_an_english_sentence_is_found(text):
    assert looks_english(text)


@pytest.mark.parametrize("text", [
    "Takene ble ikke lagret: filen har ingen overskriftsrad.",
    "Viser 6 av 6 boliger",
    "Importer kommunegrensen og boligregisteret, eller last inn demoen.",
    "Kartgrunnlag: © OpenStreetMap og Kartverket (EPSG:25833).",
    "Be om tilgang hos en planlegger for å gjøre dette.",
    "To av fem boliger i Sentrum ligger for tett: se kartet.",
    "Lillemoen: 14,0 % kommunale boliger (tak 10 %)",
    "Storgata 12, 2406 Elverum",
])
def test_a_bokmal_sentence_is_not_english(text):
    assert not looks_english(text), english_words(text)


def test_the_number_and_date_detector():
    assert not_norwegian_numbers("Husstander som venter per 2026-10-01") == ["2026-10-01"]
    assert not_norwegian_numbers("D har steget fra 0.12 til 0.19") == ["0.12", "0.19"]
    assert not not_norwegian_numbers("D har steget fra 0,12 til 0,19 siden 01.10.2026")
    assert not not_norwegian_numbers("<style>.x {padding: 0.6rem}</style>")
    assert not not_norwegian_numbers("Framskriving 2027–2030, EPSG:25833, 1 234 boliger")


def test_the_reverse_detector():
    assert looks_bokmal("Takene ble ikke lagret, og filen er uendret.")
    assert not looks_bokmal("The caps were not saved, and the file is unchanged.")
    assert not looks_bokmal("Storgata 12, Elverum")


# ---------------------------------------------------------------- collecting a page's texts


def _chart_texts(spec: str) -> Iterator[str]:
    """Titles, axis titles, trace names and hover texts of a Plotly figure's JSON."""
    try:
        figure = json.loads(spec)
    except ValueError:
        return
    layout = figure.get("layout", {})
    for key, part in layout.items():
        if isinstance(part, dict):
            title = part.get("title")
            text = title.get("text") if isinstance(title, dict) else title
            if isinstance(text, str) and (key == "title" or key.startswith(("xaxis", "yaxis"))
                                          or key == "legend"):
                yield text
    for trace in figure.get("data", []):
        for key in ("name", "hovertemplate"):
            if isinstance(trace.get(key), str):
                yield trace[key]


def _table_texts(frame) -> Iterator[str]:
    """A table's headers and its string cells (each distinct value once)."""
    yield from (str(c) for c in frame.columns)
    for col in frame.columns:
        values = frame[col]
        if values.dtype == object:
            yield from {v for v in values if isinstance(v, str)}


def _node_texts(node) -> Iterator[str]:
    """Every text of an AppTest element tree node and its children."""
    children = getattr(node, "children", None)
    if isinstance(children, dict):
        for attr in ("label",):
            if isinstance(getattr(node, attr, None), str):
                yield node.label
        for child in children.values():
            yield from _node_texts(child)
        return
    kind = getattr(node, "type", "")
    proto = getattr(node, "proto", None)
    if kind in ("arrow_data_frame", "arrow_table", "dataframe", "table"):
        try:
            yield from _table_texts(node.value)
        except Exception:  # an empty or unreadable table has no texts to check
            pass
        return
    if kind == "plotly_chart" and proto is not None:
        yield from _chart_texts(proto.spec or proto.figure.spec)
        return
    for attr in ("value", "label", "help", "placeholder", "body"):
        try:
            value = getattr(node, attr, None)
        except Exception:  # a widget without a value yet
            value = None
        if isinstance(value, str):
            yield value
    if proto is not None:
        for attr in ("label", "help", "placeholder", "body"):
            value = getattr(proto, attr, None)
            if isinstance(value, str) and value:
                yield value
        for attr in ("options", "display_options"):
            options = getattr(proto, attr, None)
            if options is not None and not isinstance(options, str):
                yield from (o for o in options if isinstance(o, str))
    if kind == "metric":
        yield from (node.label, node.value)


def page_texts(at: AppTest) -> list[str]:
    """The distinct texts of a page (main area and sidebar), in order."""
    seen: dict[str, None] = {}
    for text in _node_texts(at._tree):
        if text and text.strip():
            seen.setdefault(text.strip())
    return list(seen)


def test_the_collector_finds_labels_cells_and_charts(demo_module_url, app_uses):
    app_uses(demo_module_url)
    at = _walk(str(ROOT / "streamlit_app/pages/demand.py"), "nb", Actor("p@kommune.no", "planner"))
    texts = page_texts(at)
    assert "Behov og tilbud" in texts or any("Behov" in x for x in texts)
    assert "Målgruppe" in " ".join(texts)  # a table header
    assert any("Eldre" in x for x in texts)  # a table cell or a chart's trace


# ---------------------------------------------------------------- walking every page


def _walk(path: str, lang: str, actor: Actor) -> AppTest:
    """Run one page as ``actor`` in ``lang``; turn on every toggle and click the
    demo-candidates button when there is one, so that hidden tables and the purchase pages'
    tables are walked too."""
    at = AppTest.from_file(path, default_timeout=TIMEOUT)
    at.session_state["lang"] = lang
    at.session_state[auth.ACTOR_KEY] = actor
    at.run()
    assert not at.exception, [e.message for e in at.exception]
    demo = [b for b in at.button if (b.key or "").endswith("_demo")]
    if demo:
        demo[0].click().run()
        assert not at.exception, [e.message for e in at.exception]
    for toggle in at.toggle:  # what waits behind a toggle (the map page's table) is walked too
        if not toggle.value:
            toggle.set_value(True).run()
            assert not at.exception, [e.message for e in at.exception]
    keys = {w.key for w in at.text_input} | {b.key for b in at.button}
    if "cand_coords" in keys:  # the purchase test of a flat in Sentrum
        at.text_input(key="cand_coords").input("60,8815 11,5625" if lang == "nb"
                                               else "60.8815, 11.5625")
        at.run()
    if "plan_run" in keys:  # a budget (none is set by default), then the plan's tables
        for box in at.number_input:
            if box.key == "plan_budget":
                box.set_value(10_000_000.0).run()
        at.button(key="plan_run").click().run()
    assert not at.exception, [e.message for e in at.exception]
    return at


PLANNER = Actor("kari@kommune.no", "planner", "oidc")
ADMIN = Actor("sjef@kommune.no", "admin", "oidc")
WALK = [(p.path, ADMIN if p.action == "manage_users" else PLANNER) for p in shell.PAGES
        if (ROOT / p.path).is_file()]


def english_on(texts: list[str]) -> list[str]:
    return [x for x in texts if looks_english(x)]


@pytest.mark.parametrize(("path", "actor"), WALK, ids=[Path(p).stem for p, _ in WALK])
def test_a_bokmal_page_has_no_english_sentence(demo_module_url, app_uses, path, actor, capsys):
    assert may(actor.role, next(p.action for p in shell.PAGES if p.path == path))
    app_uses(demo_module_url)
    texts = page_texts(_walk(str(ROOT / path), "nb", actor))
    found = english_on(texts) + [f"{x[:80]!r}: {bad}" for x in texts
                                 if (bad := not_norwegian_numbers(x))]
    english_page = page_texts(_walk(str(ROOT / path), "en", actor))
    bokmal = [x for x in english_page if looks_bokmal(x)]
    with capsys.disabled():  # the reverse check is reported, not asserted
        for text in bokmal:
            print(f"\n[bokmål on the English page {Path(path).stem}] {text[:160]!r}")
    assert not found, found


def test_the_shell_and_sidebar_in_bokmal(demo_module_url, app_uses):
    """The whole app (local mode: the shell's banner, sidebar and first page) in bokmål."""
    app_uses(demo_module_url)
    at = AppTest.from_file(APP, default_timeout=TIMEOUT)
    at.run()
    assert not at.exception, [e.message for e in at.exception]
    texts = page_texts(at)
    assert not english_on(texts)
    assert not [x for x in texts if not_norwegian_numbers(x)]


def test_the_first_run_page_in_bokmal(tmp_path, app_uses):
    """The first-run page on an empty database, as the local admin."""
    app_uses(f"sqlite:///{tmp_path}/empty.sqlite")
    at = AppTest.from_file(APP, default_timeout=TIMEOUT)
    at.run()
    assert not at.exception, [e.message for e in at.exception]
    texts = page_texts(at)
    assert len(texts) > 5
    assert not english_on(texts), english_on(texts)


def test_dates_today_are_shown_the_norwegian_way():
    from geoplan.ui.format import date_text

    assert date_text(dt.date(2026, 1, 5), "nb") == "05.01.2026"
