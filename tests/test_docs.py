"""Documentation can't fall behind the code (in the spirit of datasette's tests/test_docs.py).

Fails when a CLI command is missing from the README, an index lacks a name, symbol or meaning in
both languages, a policy field lacks a label or a form input, a rule the core emits has no words,
or the README's layout section misses a package of the tree.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import typer

from geoplan import service
from geoplan.cli import app
from geoplan.policy import POLICY_FIELDS
from geoplan.ui import wording
from geoplan.ui.i18n import LANGS, STRINGS

ROOT = Path(__file__).resolve().parent.parent
README = (ROOT / "README.md").read_text(encoding="utf-8")


def _commands(group, prefix: str = "geoplan") -> list[str]:
    out = []
    for name, command in group.commands.items():
        if hasattr(command, "commands"):
            out += _commands(command, f"{prefix} {name}")
        else:
            out.append(f"{prefix} {name}")
    return out


COMMANDS = _commands(typer.main.get_command(app))


def test_the_cli_has_commands():
    assert {"geoplan import units", "geoplan evaluate", "geoplan policy set"} <= set(COMMANDS)


@pytest.mark.parametrize("command", COMMANDS)
def test_every_cli_command_is_in_the_readme_table(command):
    table = README.split("## What it does", 1)[1].split("\n## ", 1)[0]
    assert f"`{command}" in table, f"{command} is missing from the README's table"


@pytest.mark.parametrize("spec", service.INDEX_SPECS, ids=lambda s: s.key)
def test_every_index_has_a_name_symbol_and_meaning_in_both_languages(spec):
    assert spec.symbol.strip()
    for suffix in ("name", "meaning"):
        key = f"{spec.text_key}.{suffix}"
        assert key in STRINGS, key
        nb, en = STRINGS[key]
        assert nb.strip() and en.strip() and nb != en, key


@pytest.mark.parametrize("field", POLICY_FIELDS, ids=lambda f: f.name)
def test_every_policy_field_has_a_label_in_both_languages(field):
    nb, en = STRINGS[f"policy.{field.name}"]
    assert nb.strip() and en.strip() and nb != en


def test_every_rule_the_core_emits_has_words_in_both_languages():
    emitted = set()
    for path in (ROOT / "geoplan" / "analytics").rglob("*.py"):
        emitted |= set(re.findall(r"Reason\(\s*(?:rule=)?\"(\w+)\"", path.read_text(encoding="utf-8")))
        emitted |= set(re.findall(r"Reason\(\s*(?:rule=)?'(\w+)'", path.read_text(encoding="utf-8")))
    assert emitted, "no Reason(...) found in geoplan/analytics"
    missing = sorted(emitted - set(wording.RULES))
    assert missing == []
    for rule in emitted:
        nb, en = wording.RULES[rule]
        assert nb.strip() and en.strip(), rule


def test_languages():
    assert set(LANGS) == {"nb", "en"}


def test_readme_layout_names_every_package_and_module_of_the_tree():
    layout = README.split("## Layout", 1)[1].split("\n## ", 1)[0]
    names = [p.name for p in (ROOT / "geoplan").iterdir()
             if (p.is_dir() and (p / "__init__.py").exists()) or
             (p.suffix == ".py" and p.stem != "__init__")]
    names += [p.name for p in (ROOT / "streamlit_app").iterdir()
              if p.suffix == ".py" and p.stem != "__init__" or p.is_dir() and p.name != "__pycache__"]
    missing = sorted(n for n in names if n.removesuffix(".py") not in layout)
    assert missing == []


# a sample value for each detail key of a problem, to fill every template once
_SAMPLE_DETAILS = {"count": 2, "share": 0.25, "first_row": 2, "limit": 40, "epsg": 25833,
                   "file_epsg": 4326, "size": 250, "year": 2024, "first": 1900, "last": 2100,
                   "fields": 7, "expected": 6, "known": ("care", "youth"), "field": "unit_type",
                   "kind": "birth_number", "group": "elderly", "rows": "2, 5"}


def test_every_problem_code_has_words_in_both_languages():
    """Every code an importer can report (``CODES``) is worded in bokmål and English
    (``PROBLEMS``), no words are kept for a code that does not exist, and the words use only
    the details the code carries."""
    from string import Formatter

    from geoplan.io.problems import CODES, problem
    from geoplan.ui.import_text import PROBLEMS, problem_text

    assert set(CODES) == set(PROBLEMS)
    for code, (nb, en) in PROBLEMS.items():
        assert nb.strip() and en.strip() and nb != en, code
        # the words may also use what the ui derives from a detail ("rad"/"rader" from rows)
        allowed = set(CODES[code]) | {f"{k}_word" for k in CODES[code] if k == "rows"}
        for template in (nb, en):
            used = {name for _, name, _, _ in Formatter().parse(template) if name}
            assert used <= allowed, (code, sorted(used - allowed))
        p = problem(code, 3, "Øst", **{k: _SAMPLE_DETAILS.get(k, "abc") for k in CODES[code]})
        texts = [problem_text(p, lang) for lang in ("nb", "en")]
        assert texts[0].startswith("rad 3, kolonne «Øst»: "), texts[0]
        assert texts[1].startswith("row 3, column “Øst”: "), texts[1]
        assert all("{" not in s and "}" not in s for s in texts), texts


def test_every_problem_code_the_code_reports_is_listed():
    """A code written in the source (``problem("…"``, ``warning("…"``, ``BadValue("…"``,
    ``ImportRefused.one(name, "…"``) is one of ``CODES``, also on paths no test exercises."""
    from geoplan.io.problems import CODES

    call = re.compile(r"\b(?:problem|warning|BadValue|_bad|one)\(\s*(?:[\w.\[\]]+,\s*)?"
                      r"[\"'](\w+)[\"']")
    written = set()
    for path in [*(ROOT / "geoplan").rglob("*.py"), *(ROOT / "streamlit_app").rglob("*.py")]:
        written |= set(call.findall(path.read_text(encoding="utf-8")))
    assert {"not_a_number", "crs_guessed", "personal_header", "unsupported_type"} <= written
    assert sorted(written - set(CODES)) == []


def test_every_kind_of_personal_data_is_worded():
    """Every kind the personal-data check can report, by header (each kind of
    ``PERSONAL_HEADERS``) or by content (birth numbers, e-mail addresses, phone numbers), has
    words in both languages, and there are words for no other kind."""
    import pandas as pd

    from geoplan.io.personal import PERSONAL_HEADERS, find_personal
    from geoplan.ui.import_text import PERSONAL_KINDS

    # 01017012343: a birth number with valid control digits (computed by hand, mod 11)
    content = find_personal(pd.DataFrame(
        {"Merknad": ["01017012343", "ola@example.no", "912 34 567", "tomt"]}), {})
    by_content = {p.details["kind"] for p in content}
    assert by_content == {"birth_number", "email", "phone"}
    by_header = {p.details["kind"] for p in find_personal(
        pd.DataFrame(columns=["Fornavn", "Fødselsdato", "Saksnummer", "Leietaker", "Kjønn"]), {})}
    assert by_header == {"name", "birth_date", "case", "person", "other"}
    kinds = set(PERSONAL_HEADERS) | by_content
    assert set(PERSONAL_KINDS) == kinds
    for kind, (nb, en) in PERSONAL_KINDS.items():
        assert nb.strip() and en.strip() and nb != en, kind


def test_no_page_text_advises_a_command_line_flag():
    """A page never tells its user to give "--crs" or "--force": the texts a page or a problem
    shows name a choice on the page instead (the CLI's own texts, setup.cli.*, may)."""
    from geoplan.ui.i18n import STRINGS
    from geoplan.ui.import_text import PROBLEMS

    texts = {f"PROBLEMS[{k}]": v for k, v in PROBLEMS.items()}
    texts |= {k: v for k, v in STRINGS.items() if not k.startswith("setup.cli.")}
    flagged = sorted(k for k, pair in texts.items() for text in pair
                     if re.search(r"(?<![\w-])--[a-z]", text))
    assert flagged == []
