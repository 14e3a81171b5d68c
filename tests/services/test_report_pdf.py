import re

import pypdfium2
import pytest

from planning import demands as dm
from planning.export import export_workshop
from planning.pdf_fonts import MARKER, Glyphs, needs_shaping
from tests.factories import make_room
from tests.services.test_export import AT, full_room

LINEAR_A = "\U00010600"  # no font this app ships or installs draws Linear A


def _pdf(db, room) -> pypdfium2.PdfDocument:
    return pypdfium2.PdfDocument(export_workshop(db, room.code, room.key, "pdf", AT).data)


def _text(page) -> str:
    return page.get_textpage().get_text_range()


def _ink_rows(page) -> list[int]:
    """Rows of the rendered page (scale 0.5) that hold dark pixels."""
    image = page.render(scale=0.5).to_pil().convert("L")
    width = image.width
    data = image.tobytes()
    return [y for y in range(image.height) if min(data[y * width:(y + 1) * width]) < 128]


def test_page_one_is_the_executive_summary(db):
    room = full_room(db)
    pdf = _pdf(db, room)
    first = _text(pdf[0])
    for expected in ["Freight 2027", "Hyper-planning workshop of Northwind", "What customers demand most",
                     "Tell me early | # not a heading *", "Value to customers against value returned",
                     "Find the return (", "Win–win (", "1 <b>Live</b> tracking", "What the room chose to do",
                     "<b>Live</b> tracking: owned by Dagny (1 action)"]:
        assert expected in first, expected
    detail = _text(pdf[1]).splitlines()
    assert detail[:3] == ["Who took part", "Person 0, Person 1, Person 2, Person 3", "What customers demanded"]
    height = pdf[0].get_height() * 0.5
    body = [y for y in _ink_rows(pdf[0]) if y < 0.9 * height]  # the footer aside
    assert body[0] < 0.1 * height and body[-1] > 0.55 * height  # not two-thirds blank


def test_table_headers_never_split_across_lines(db):
    room = full_room(db)
    text = "".join(_text(page) for page in _pdf(db, room))
    for header in ["Votes", "Initiatives answering", "The customer gets", "Quadrant", "Value to the customer",
                   "Information", "Status"]:
        assert header in text, header
    assert not re.search(r"Vote\s*\n\s*s\b|Quadran\s*\n|Statu\s*\n", text)
    for word in ["relationships", "Strategy", "Marketing", "Sales", "Process", "Capacity"]:  # the self-check
        assert word in text, word


def test_a_character_no_font_draws_shows_a_marker_and_is_listed(db):
    room = make_room(db)
    dm.add_demand(db, room.tokens[0], f"Ship {LINEAR_A} faster")
    pdf = _pdf(db, room)
    text = "".join(_text(page) for page in pdf)
    assert f"Ship {MARKER} faster" in text
    assert "Some characters could not be drawn" in _text(pdf[0])
    last = _text(pdf[len(pdf) - 1])
    assert "Text this PDF could not draw" in last and "U+10600 LINEAR A SIGN AB001" in last


@pytest.mark.parametrize(("text", "shaped"), [("Plain Latin, ελληνικά, кириллица – “quotes” ✓", False),
                                              ("需要 한국어 日本語 🚚", False), ("مرحبا", True), ("שלום", True),
                                              ("Cafe\u0301", True), ("👍🏽", True), ("🇫🇷", True), ("a\u200db", True)])
def test_only_text_that_needs_it_is_shaped(text, shaped):
    assert needs_shaping(text) is shaped


def test_fallback_fonts_load_only_when_a_text_needs_them():
    from fpdf import FPDF
    glyphs = Glyphs(FPDF())
    assert [f.family for f in glyphs.loaded] == ["NotoSans"]
    assert glyphs.clean("Plain ✓") == "Plain ✓"
    assert glyphs.clean("مرحبا") == "مرحبا"
    assert [f.family for f in glyphs.loaded] == ["NotoSans", "DejaVuSans", "NotoSansArabic"]
    assert glyphs.clean(f"x{LINEAR_A}") == f"x{MARKER}" and glyphs.missing == {f"x{LINEAR_A}": [LINEAR_A]}
