"""folium's and branca's Jinja templates, compiled once per installation instead of once per
process.

Importing folium and branca makes about 80 Jinja templates (one per kind of map element, in the
class bodies), and Jinja compiles each from its source: 0.14 s of the 0.23 s that importing
folium takes here, on every server start and before the first map.  :func:`install` keeps the
compiled code of exactly those templates in files (``$XDG_CACHE_HOME/geoplan/jinja/…``, or
``~/.cache/…``), as Python keeps ``.pyc`` files, and reads it back in the next process.  Without
a home or a writable folder nothing is kept (the container image fills its cache when built).

Only templates made while a module of folium or branca is being imported are kept: those are
fixed texts.  A template made later (a map's rendered parts) is compiled as before and never
written.  The file's name is a hash of the template's source and of the settings of the Jinja
environment that compiles it, in a folder named after the versions of Python's bytecode, Jinja,
MarkupSafe, folium and branca; a file that cannot be read is compiled again and rewritten.
``tests/test_template_cache.py`` checks that a map's HTML is the same, byte for byte, whether
its templates were compiled by Jinja or read back, and that nothing else is written.
"""

from __future__ import annotations

import hashlib
import importlib.metadata
import importlib.util
import logging
import marshal
import os
import sys
import tempfile
from pathlib import Path
from types import CodeType
from typing import Any

import jinja2

from geoplan.config import package_folder

PACKAGES: tuple[str, ...] = ("folium", "branca")  # whose import-time templates are kept
log = logging.getLogger(__name__)
_original = jinja2.Environment.compile


FORMAT = 1  # the layout of the kept files; raise it to leave old files behind


def folder() -> Path | None:
    """Where the compiled templates of this Python, Jinja, folium and branca are kept: below
    ``$XDG_CACHE_HOME`` when it is an absolute path, else ``~/.cache``; None when there is no
    such place (no home, as for a system user)."""
    xdg = os.environ.get("XDG_CACHE_HOME", "")
    try:
        base = Path(xdg) if os.path.isabs(xdg) else Path.home() / ".cache"
    except RuntimeError:  # no home directory to be found
        return None
    versions = [f"v{FORMAT}", f"py-{importlib.util.MAGIC_NUMBER.hex()}"]
    for package in ("jinja2", "markupsafe", *PACKAGES):
        try:
            versions.append(f"{package}-{importlib.metadata.version(package)}")
        except importlib.metadata.PackageNotFoundError:
            versions.append(f"{package}-none")
    return base / "geoplan" / "jinja" / "_".join(versions)


def install() -> bool:
    """Make Jinja keep folium's and branca's import-time templates (once per process); True
    when installed by this call.  Nothing is installed when there is no place to keep them."""
    global _folder, _dirs
    if jinja2.Environment.compile is not _original:
        return False
    try:
        place = folder()
    except Exception:  # noqa: BLE001 - a cache that cannot be set up only costs time
        log.debug("no place for compiled templates", exc_info=True)
        return False
    if place is None:
        return False
    _folder = place
    _dirs = tuple(os.path.join(d, "") for d in map(package_folder, PACKAGES) if d)
    jinja2.Environment.compile = _compile
    return True


def uninstall() -> None:
    """Give Jinja back its own compile (for tests)."""
    jinja2.Environment.compile = _original


_folder = Path()  # set by install()
_dirs: tuple[str, ...] = ()


def _compile(self: jinja2.Environment, source: Any, name: str | None = None,
             filename: str | None = None, raw: bool = False, defer_init: bool = False) -> Any:
    """Jinja's ``Environment.compile``, reading and writing the code of import-time templates."""
    if (raw or defer_init or name is not None or filename is not None
            or not isinstance(source, str) or not _importing_package()):
        return _original(self, source, name, filename, raw, defer_init)
    settings = _settings(self)  # only now: a map's render compiles templates too
    if settings is None:
        return _original(self, source, name, filename, raw, defer_init)
    digest = hashlib.sha256(repr((settings, source)).encode()).hexdigest()
    path = _folder / f"{digest}.code"
    try:
        code = marshal.loads(path.read_bytes())
        if isinstance(code, CodeType):
            return code
    except (OSError, ValueError, EOFError, TypeError):
        pass
    code = _original(self, source, name, filename, raw, defer_init)
    _store(path, code)
    return code


def _settings(env: jinja2.Environment) -> tuple | None:
    """What of ``env`` shapes the compiled code (its syntax, options, classes, policies and
    the identity of each filter and test, which constant folding may call while compiling);
    None when part of it is a function (its text would differ from process to process, so
    nothing is kept)."""
    if not isinstance(env.autoescape, bool) or env.finalize is not None:
        return None
    return (_name(type(env)), env.block_start_string, env.block_end_string,
            env.variable_start_string, env.variable_end_string, env.comment_start_string,
            env.comment_end_string, env.line_statement_prefix, env.line_comment_prefix,
            env.trim_blocks, env.lstrip_blocks, env.newline_sequence, env.keep_trailing_newline,
            env.optimized, env.autoescape, env.is_async, _name(env.undefined),
            _name(env.code_generator_class), _name(env.context_class),
            tuple(sorted(env.extensions)), repr(sorted(env.policies.items())),
            _functions(env.filters), _functions(env.tests))


def _name(obj: Any) -> str:
    return f"{getattr(obj, '__module__', '?')}.{getattr(obj, '__qualname__', repr(obj))}"


def _functions(table: dict[str, Any]) -> tuple:
    """Each filter or test by name, by the function behind it and by what Jinja passes it."""
    return tuple((name, _name(fn), repr(getattr(fn, "jinja_pass_arg", None)))
                 for name, fn in sorted(table.items()))


def _importing_package() -> bool:
    """Whether a module of :data:`PACKAGES` is being imported (a class body's template)."""
    frame = sys._getframe(2)
    while frame is not None:
        code = frame.f_code
        if code.co_name == "<module>" and code.co_filename.startswith(_dirs):
            return True
        frame = frame.f_back
    return False


def _store(path: Path, code: CodeType) -> None:
    """Write ``code`` to ``path`` whole or not at all; a folder that cannot be written only
    means the next process compiles again."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, suffix=".tmp")
        with os.fdopen(fd, "wb") as out:
            out.write(marshal.dumps(code))
        os.replace(tmp, path)
    except OSError:
        log.debug("could not keep a compiled template in %s", path.parent, exc_info=True)
