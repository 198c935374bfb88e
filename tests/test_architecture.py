"""The architecture of issue 7, pinned: no language below ui/, tests stand alone, the door is open.

The import layers themselves are import-linter contracts (``lint-imports`` in ``make test``).
"""

from __future__ import annotations

import ast
import importlib
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
BELOW_UI = ("analytics", "service", "storage", "io")
LANGUAGE_PARAMS = {"lang", "language", "locale"}


def _functions(path: Path):
    tree = ast.parse(path.read_text(encoding="utf-8"))
    for node in ast.walk(tree):
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.Lambda):
            yield node


@pytest.mark.parametrize("package", BELOW_UI)
def test_no_function_below_ui_takes_a_language(package):
    offenders = []
    for path in sorted((ROOT / "geoplan" / package).rglob("*.py")):
        for fn in _functions(path):
            args = fn.args
            names = {a.arg for a in (*args.posonlyargs, *args.args, *args.kwonlyargs)}
            if names & LANGUAGE_PARAMS:
                offenders.append(f"{path.relative_to(ROOT)}:{fn.lineno}")
    assert offenders == []


def _imported(path: Path) -> list[str]:
    """Every module name an import statement of ``path`` names."""
    out = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module:
            out.append(node.module)
        elif isinstance(node, ast.Import):
            out += [a.name for a in node.names]
    return out


def test_no_test_module_imports_another():
    offenders = [f"{path.name}: {name}" for path in sorted((ROOT / "tests").rglob("*.py"))
                 for name in _imported(path) if name.split(".")[0] == "tests"]
    assert offenders == []


def test_service_declares_its_door_and_every_name_resolves():
    service = importlib.import_module("geoplan.service")
    assert service.__all__ == sorted(service.__all__)
    missing = [name for name in service.__all__ if getattr(service, name, None) is None]
    assert missing == []


def test_the_library_never_imports_streamlit():
    offenders = [str(path.relative_to(ROOT)) for path in sorted((ROOT / "geoplan").rglob("*.py"))
                 for name in _imported(path) if name.split(".")[0] == "streamlit"]
    assert offenders == []


def test_pages_cli_and_ui_enter_the_service_by_its_door_only():
    """``geoplan.service`` itself, never a submodule: its __getattr__ is where the public mode
    refuses unit-level names, so no page may walk around it."""
    offenders = []
    for folder in (ROOT / "streamlit_app", ROOT / "geoplan" / "cli", ROOT / "geoplan" / "ui"):
        for path in sorted(folder.rglob("*.py")):
            offenders += [f"{path.relative_to(ROOT)}: {name}" for name in _imported(path)
                          if name.startswith("geoplan.service.")]
    assert offenders == []


def test_no_name_at_the_door_is_also_a_submodule_of_the_service():
    """Importing ``geoplan.service.x`` sets the package's attribute ``x`` to the module, which
    would shadow a function exported under the same name."""
    from geoplan import service

    modules = {p.stem for p in (ROOT / "geoplan" / "service").glob("*.py")}
    assert sorted(set(service.__all__) & modules) == []
