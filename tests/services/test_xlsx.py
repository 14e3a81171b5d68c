import io
import zipfile
from datetime import UTC, date, datetime
from xml.etree import ElementTree

import pytest
from openpyxl import load_workbook

from planning import xlsx
from planning.export import _entry

AT = datetime(2026, 11, 23, 9, 30, tzinfo=UTC)
HEADER = ["text", "due", "at", "flag", "none", "number", "wide"]
ROWS = [("=1+1", date(2027, 3, 31), AT, True, None, 3.5, "需要更快的交货"),
        ("_x0041_ stays", date(2027, 1, 2), datetime(2026, 1, 1, 8, 0, 0), False, None, 7, "plain")]


def book(rows=ROWS, header=HEADER):
    return xlsx.workbook({"t": (header, rows), "empty": (["(empty)"], [])}, AT, "T", lambda n: _entry(n, AT))


def test_cells_read_back_as_typed_with_their_types():
    ws = load_workbook(io.BytesIO(book()))["t"]
    first, second = ([c.value for c in row] for row in ws.iter_rows(min_row=2))
    assert first == ["=1+1", datetime(2027, 3, 31), datetime(2026, 11, 23, 9, 30), True, None, 3.5, "需要更快的交货"]
    assert second[0] == "_x0041_ stays" and second[2] == datetime(2026, 1, 1, 8, 0)
    assert ws["A2"].data_type == "s" and ws["A2"].quotePrefix  # a formula starter stays text, shown as typed
    assert not ws["A3"].quotePrefix


def test_dates_and_times_are_date_cells_with_date_formats():
    ws = load_workbook(io.BytesIO(book()))["t"]
    assert (ws["B2"].is_date, ws["B2"].number_format) == (True, xlsx.DATE_FORMAT)
    assert (ws["C2"].is_date, ws["C2"].number_format) == (True, xlsx.DATETIME_FORMAT)
    assert xlsx.serial(date(2027, 3, 31)) == 46477 and xlsx.serial(datetime(1900, 3, 1, 12)) == 61.5


def test_header_is_bold_and_frozen_and_columns_fit_their_content():
    ws = load_workbook(io.BytesIO(book()))["t"]
    assert [c.value for c in ws[1]] == HEADER and all(c.font.b for c in ws[1])
    assert ws.freeze_panes == "A2"
    widths = {c: ws.column_dimensions[c].width for c in "ABCG"}
    assert widths["A"] >= len("_x0041_ stays") and widths["B"] >= len("2027-03-31")
    assert widths["C"] >= len("2026-11-23 09:30:00") and widths["G"] >= 2 * 7  # wide characters count twice


def test_long_text_is_capped_at_a_readable_width():
    ws = load_workbook(io.BytesIO(book([("x" * 500,)], ["text"])))["t"]
    assert ws.column_dimensions["A"].width == xlsx.MAX_WIDTH + 2


def test_every_part_is_well_formed_xml_and_the_bytes_are_deterministic():
    data = book()
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        for name in z.namelist():
            ElementTree.fromstring(z.read(name))
        assert {i.date_time for i in z.infolist()} == {(2026, 11, 23, 9, 30, 0)}
    assert book() == data


@pytest.mark.parametrize(("index", "name"), [(0, "A"), (25, "Z"), (26, "AA"), (701, "ZZ"), (702, "AAA")])
def test_column_names(index, name):
    assert xlsx.column_name(index) == name
