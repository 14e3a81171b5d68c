"""Fonts for the PDF summary: one for each script people type, and a visible marker where none can draw.

Noto Sans (Latin, Greek, Cyrillic), Noto Sans Arabic and Hebrew and DejaVu Sans (symbols) ship in
planning/fonts; Chinese, Japanese, Korean and colour emoji come from the system's Noto fonts when they are
installed (Debian: fonts-noto-cjk, fonts-noto-color-emoji). fpdf2 shapes the text with HarfBuzz, so Arabic
joins and runs right to left. A character no font has is drawn as MARKER and listed, never dropped.
"""

import functools
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

from fontTools.ttLib import TTFont
from fpdf import FPDF

SHIPPED = Path(__file__).parent / "fonts"
MARKER = "\ufffd"  # the replacement character: Noto Sans draws it
MAX_COLOUR_GLYPHS = 200  # fpdf2 draws at most 255 glyphs of a colour font in one document


@dataclass(frozen=True)
class Face:
    family: str
    regular: Path
    bold: Path | None = None
    number: int = 0  # the face inside a .ttc collection
    colour: bool = False


PRIMARY = Face("NotoSans", SHIPPED / "NotoSans-Regular.ttf", SHIPPED / "NotoSans-Bold.ttf")
FALLBACKS = (
    Face("NotoSansArabic", SHIPPED / "NotoSansArabic-Regular.ttf", SHIPPED / "NotoSansArabic-Bold.ttf"),
    Face("NotoSansHebrew", SHIPPED / "NotoSansHebrew-Regular.ttf", SHIPPED / "NotoSansHebrew-Bold.ttf"),
    Face("DejaVuSans", SHIPPED / "DejaVuSans.ttf", SHIPPED / "DejaVuSans-Bold.ttf"),  # symbols: ✓ → ⚠
    Face("NotoSansCJK", Path("/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc"),
         Path("/usr/share/fonts/opentype/noto/NotoSansCJK-Bold.ttc")),
    Face("NotoColorEmoji", Path("/usr/share/fonts/truetype/noto/NotoColorEmoji.ttf"), colour=True),
)  # in this order: the first face that has a character draws it, so the 20 MB CJK font loads only for CJK


@functools.cache
def cmap(face: Face) -> frozenset[int]:
    """The code points a face draws (read once per process; empty when the font is not installed)."""
    if not face.regular.exists():
        return frozenset()
    with TTFont(face.regular, fontNumber=face.number, lazy=True) as font:
        return frozenset(font.getBestCmap())


def silent(ch: str) -> bool:
    """Characters that need no glyph of their own: line breaks, zero-width and joining marks, variation
    selectors (HarfBuzz uses them to pick a glyph)."""
    return ch in "\n\t" or unicodedata.category(ch) == "Cf" or 0xFE00 <= ord(ch) <= 0xFE0F or \
        0xE0100 <= ord(ch) <= 0xE01EF


# Characters drawn right without HarfBuzz: Latin, Greek, Cyrillic, punctuation, symbols, CJK, single emoji.
# Anything else (Arabic, Hebrew, combining marks, joiners, bidi marks, emoji sequences) is shaped; shaping
# every text made the large benchmark's PDF 3.5 times slower.
_PLAIN = ((0x0000, 0x02FF), (0x0370, 0x052F), (0x1E00, 0x1FFF), (0x2010, 0x2BFF), (0x2E80, 0x9FFF),
          (0xAC00, 0xD7AF), (0xF900, 0xFAFF), (0xFF00, 0xFFEF), (0x1F300, 0x1F3FA), (0x1F400, 0x1FAFF))


def needs_shaping(text: str) -> bool:
    """Whether `text` has a character that only draws right when shaped (see _PLAIN)."""
    return not all(any(lo <= ord(c) <= hi for lo, hi in _PLAIN) for c in text if ord(c) > 0x7E)


@dataclass
class Glyphs:
    """The fonts of one PDF: the primary face at once, each fallback the first time a text needs it."""

    pdf: FPDF
    loaded: list[Face] = field(default_factory=list)
    covered: set[int] = field(default_factory=set)  # the primary face's, and those a fallback drew
    colour: set[str] = field(default_factory=set)  # characters given to a colour face so far
    missing: dict[str, list[str]] = field(default_factory=dict)  # text as typed -> characters not drawn

    def __post_init__(self) -> None:
        self._load(PRIMARY)

    def shape(self, *texts: str) -> None:
        """Turn HarfBuzz shaping on for what is drawn next when one of `texts` needs it, off otherwise."""
        self.pdf.set_text_shaping(any(needs_shaping(t) for t in texts))

    def _load(self, face: Face) -> None:
        self.pdf.add_font(face.family, "", str(face.regular), collection_font_number=face.number)
        if face.bold:
            self.pdf.add_font(face.family, "B", str(face.bold), collection_font_number=face.number)
        self.loaded.append(face)
        if face == PRIMARY:
            self.covered |= cmap(face)
        self.pdf.set_fallback_fonts([f.family for f in FALLBACKS if f in self.loaded], exact_match=False)

    def _drawable(self, ch: str) -> bool:
        """Whether some face draws `ch`, loading the first fallback that does (fpdf2 picks it in that order)."""
        if ord(ch) in self.covered or ch in self.colour:
            return True
        for face in FALLBACKS:
            if ord(ch) not in cmap(face) or (face.colour and len(self.colour) >= MAX_COLOUR_GLYPHS):
                continue
            if face not in self.loaded:
                self._load(face)
            if face.colour:  # counted, so the document stays under fpdf2's limit
                self.colour.add(ch)
            else:
                self.covered.add(ord(ch))
            return True
        return False

    def clean(self, text: object) -> str:
        """`text` ready to draw: each character no font can draw becomes MARKER, and the text is remembered."""
        text = str(text)
        if {ord(c) for c in text} <= self.covered:
            return text
        lost = {c for c in text if not silent(c) and not self._drawable(c)}
        if not lost:
            return text
        self.missing.setdefault(text, sorted(lost))
        return "".join(MARKER if c in lost else c for c in text)


def describe(ch: str) -> str:
    """U+10600 LINEAR A SIGN AB001."""
    return f"U+{ord(ch):04X} {unicodedata.name(ch, 'unnamed character')}"
