"""Markdown that shows a user's text literally: escaping and bullet lists (no other imports).

Kept apart from the heavier ui modules so that every page can escape text without importing
them (the purchase view reaches the optimiser).
"""

from __future__ import annotations

import re
from collections.abc import Iterable

_MARKDOWN_SPECIAL = re.compile(r"([\\`*_{}\[\]<>#|~$])")


def md_escape(text: object) -> str:
    """Escape Markdown (and Streamlit's $ maths) so a user's text shows literally."""
    return _MARKDOWN_SPECIAL.sub(r"\\\1", str(text))


def bullets(lines: Iterable[object]) -> str:
    """A Markdown bullet list with every line escaped."""
    return "\n".join(f"- {md_escape(line)}" for line in lines)
