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
