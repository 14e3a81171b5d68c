"""One rule for every piece of text a person types."""

import unicodedata

from planning.errors import InvalidInput

# Control characters break layouts and exports; tab and newline are kept as typed.
_ALLOWED_CONTROLS = {"\n", "\t"}


FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")  # what a spreadsheet may read as the start of a formula


def safe_cell(value: object) -> object:
    """A spreadsheet cell that never runs as a formula: text starting with = + - @ tab or CR gets a quote."""
    if isinstance(value, str) and value[:1] in FORMULA_STARTS:
        return "'" + value
    return value


def clean_text(raw: object, *, what: str, max_length: int) -> str:
    """Trim `raw` and return it; refuse empty, over-long or control-character text.

    Raises: InvalidInput, naming `what` and the limit, never echoing the text.
    """
    if not isinstance(raw, str):
        raise InvalidInput(f"{what} must be text")
    text = raw.replace("\r\n", "\n").replace("\r", "\n").strip()
    if not text:
        raise InvalidInput(f"{what} cannot be empty")
    if len(text) > max_length:
        raise InvalidInput(f"{what} can be at most {max_length} characters")
    if any(unicodedata.category(ch) == "Cc" and ch not in _ALLOWED_CONTROLS for ch in text):
        raise InvalidInput(f"{what} contains control characters")
    return text
