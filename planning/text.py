"""One rule for every piece of text a person types, and one rule for when two names are the same."""

import unicodedata

from planning.errors import InvalidInput

# Control characters break layouts and exports; tab and newline are kept as typed.
_ALLOWED_CONTROLS = {"\n", "\t"}
# Embeddings, overrides and isolates (LRE..RLO, LRI..PDI) make text read in another order than it is stored.
DIRECTION_CONTROLS = frozenset(map(chr, [*range(0x202A, 0x202F), *range(0x2066, 0x206A)]))
# Shown as nothing in most fonts, though not of Unicode's format category (Cf): a grapheme joiner, Hangul and
# Khmer fillers, Mongolian and other variation selectors.
_INVISIBLE = frozenset(map(chr, [0x034F, 0x115F, 0x1160, 0x17B4, 0x17B5, *range(0x180B, 0x1810), 0x3164,
                                 *range(0xFE00, 0xFE10), 0xFFA0]))
# Joiners that shape scripts and emoji (ZWNJ in Persian, ZWJ in 👩‍🚒): kept in a shown name, ignored in comparing.
_SHAPING = frozenset({"\u200c", "\u200d"})
# Cyrillic and Greek letters drawn like Latin ones (after Unicode's confusables.txt), once case is folded: the
# map is applied to folded text, so a name and its capitals always compare alike.
_CONFUSABLES = str.maketrans(
    "авекмнорстухѕіјһԁԛԝүӏαβεζηικμνορτυχϲϳıȷɡɑ",
    "abekmhopctyxsijhdqwyiabezhikmnoptyxcjijga",
)


FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")  # what a spreadsheet may read as the start of a formula


def safe_cell(value: object) -> object:
    """A spreadsheet cell that never runs as a formula: text starting with = + - @ tab or CR gets a quote."""
    if isinstance(value, str) and value[:1] in FORMULA_STARTS:
        return "'" + value
    return value


def clean_text(raw: object, *, what: str, max_length: int) -> str:
    """Trim `raw` and return it; refuse empty, over-long, control-character or direction-override text.

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
    if any(ch in DIRECTION_CONTROLS for ch in text):
        raise InvalidInput(f"{what} contains hidden characters that change the direction of text")
    return text


def _invisible(ch: str) -> bool:
    return unicodedata.category(ch) == "Cf" or ch in _INVISIBLE


def clean_name(raw: object, *, what: str, max_length: int) -> str:
    """`clean_text` for a person's name, without the invisible characters that only make it look like another.

    Raises: InvalidInput (also for a name of invisible characters only).
    """
    name = clean_text(raw, what=what, max_length=max_length)
    name = " ".join("".join(ch for ch in name if ch in _SHAPING or not _invisible(ch)).split())
    if not name:
        raise InvalidInput(f"{what} cannot be empty")
    return name


def name_key(name: str) -> str:
    """What a name looks like, for telling whether two names are the same: compatibility forms folded (NFKC),
    invisible characters dropped, case ignored, Cyrillic and Greek look-alikes read as Latin, spaces collapsed."""
    text = "".join(ch for ch in unicodedata.normalize("NFKC", name) if not _invisible(ch))
    text = unicodedata.normalize("NFKC", text.casefold()).translate(_CONFUSABLES)
    return " ".join(text.split())
