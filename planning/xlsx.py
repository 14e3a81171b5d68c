"""A streaming XLSX writer for plain tables: a bold frozen header, real date cells, columns sized to content.

XlsxWriter spends about 6 µs of Python on every cell, constant_memory mode or not (5.5 s of CPU for the
large benchmark's 880,000 cells); this writes each row as one str.format of SpreadsheetML (ECMA-376).
Text always goes to the shared-strings table, so nothing in it becomes a formula or a link.
"""

import io
import re
import unicodedata
import zipfile
from collections.abc import Callable, Sequence
from datetime import UTC, date, datetime, timedelta
from enum import Enum
from xml.sax.saxutils import escape

from planning.text import FORMULA_STARTS

_MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_PKG = "http://schemas.openxmlformats.org/package/2006/relationships"
_EXCEL_EPOCH = datetime(1899, 12, 30)
_EXCEL_EPOCH_UTC = _EXCEL_EPOCH.replace(tzinfo=UTC)
_DAY = timedelta(days=1)
BOLD, DATE, DATETIME, QUOTED = 1, 2, 3, 4  # cell style indexes in styles.xml below
DATE_FORMAT, DATETIME_FORMAT = "yyyy-mm-dd", "yyyy-mm-dd hh:mm:ss"
MAX_WIDTH = 80
# Excel reads _xHHHH_ in text as an escaped character: a literal one keeps its underscore as _x005F_.
_EXCEL_ESCAPE = re.compile(r"_(?=x[0-9A-Fa-f]{4}_)")
# XML 1.0 cannot carry these at all, even escaped: Excel's own _xHHHH_ form stands in for them.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")


def column_name(index: int) -> str:
    """0 -> A, 25 -> Z, 26 -> AA."""
    name = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        name = chr(65 + rest) + name
    return name


def serial(value: date | datetime) -> float:
    """Excel's day number: days since 1899-12-30, the time of day as a fraction (in UTC when zoned)."""
    if isinstance(value, datetime):
        return (value - (_EXCEL_EPOCH_UTC if value.tzinfo else _EXCEL_EPOCH)) / _DAY
    return (value - _EXCEL_EPOCH.date()).days


class _Strings:
    """The shared-strings table: each distinct text once, cells point at it."""

    def __init__(self) -> None:
        self.indexes: dict[str, int] = {}
        self.bodies: dict[str, str] = {}

    def index(self, text: str) -> int:
        return self.indexes.setdefault(text, len(self.indexes))

    def cell(self, text: str) -> str:
        """A text cell's attributes and value (what follows its reference). The quote prefix on a formula
        starter shows it as typed and keeps it text when someone edits the cell."""
        found = self.bodies.get(text)
        if found is None:
            style = f' s="{QUOTED}"' if text[:1] in FORMULA_STARTS else ""
            found = self.bodies[text] = f' t="s"{style}><v>{self.index(text)}</v>'
        return found

    def xml(self) -> str:
        items = "".join(f'<si><t xml:space="preserve">{_escaped(t)}</t></si>' for t in self.indexes)
        return (f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<sst xmlns="{_MAIN}" '
                f'count="{len(self.indexes)}" uniqueCount="{len(self.indexes)}">{items}</sst>')


def _escaped(text: str) -> str:
    return escape(_NOT_XML.sub(lambda m: f"_x{ord(m.group()):04X}_", _EXCEL_ESCAPE.sub("_x005F_", text)))


def _cell(strings: _Strings, ref: str, value: object) -> str:
    if isinstance(value, Enum):
        value = value.value
    if value is None:
        return ""
    if isinstance(value, bool):
        return f'<c r="{ref}" t="b"><v>{int(value)}</v></c>'
    if isinstance(value, int | float):
        return f'<c r="{ref}"><v>{value!r}</v></c>'
    if isinstance(value, datetime):
        return f'<c r="{ref}" s="{DATETIME}"><v>{serial(value)!r}</v></c>'
    if isinstance(value, date):
        return f'<c r="{ref}" s="{DATE}"><v>{serial(value)}</v></c>'
    return f'<c r="{ref}"{strings.cell(str(value))}</c>'


def display_width(value: object) -> int:
    """Roughly how many character widths a value takes in a cell (wide East Asian characters count two)."""
    if isinstance(value, datetime):
        return len("2026-11-23 09:30:00")
    if isinstance(value, date):
        return len("2026-11-23")
    text = value.value if isinstance(value, Enum) else str(value)
    if text.isascii():
        return max(map(len, text.split("\n")))
    return max(sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in line) for line in text.split("\n"))


def column_width(title: str, values: Sequence[object]) -> int:
    """The widest value of a column, in characters, between 6 and MAX_WIDTH (each distinct value measured once)."""
    distinct = set(values) - {None}
    widths = [6, display_width(title), *(display_width(v) for v in distinct if not isinstance(v, date))]
    widths += [display_width(kind.today()) for kind in {type(v) for v in distinct} if issubclass(kind, date)]
    return min(MAX_WIDTH, max(widths))


def _kind(values: Sequence[object]) -> str:
    """How a column's cells are written: numbers, times and texts inline in the row's template, the rest a cell."""
    kinds = set(map(type, values))
    if kinds and kinds <= {int}:
        return "number"
    if kinds and all(issubclass(k, str) for k in kinds):
        return "text"
    return "datetime" if kinds == {datetime} else "cell"


_PIECES = {"number": '<c r="{ref}{{0}}"><v>{{{i}}}</v></c>', "text": '<c r="{ref}{{0}}"{{{i}}}</c>',
           "datetime": f'<c r="{{ref}}{{{{0}}}}" s="{DATETIME}"><v>{{{{{{i}}}}}}</v></c>', "cell": "{{{i}}}"}


def _row_writer(refs: list[str], kinds: list[str], strings: _Strings) -> Callable[[int, tuple], str]:
    """A function writing one row's XML with one str.format call, converting only the cells that need it."""
    template = '<row r="{0}">' + "".join(_PIECES[k].format(ref=ref, i=c + 1)
                                         for c, (ref, k) in enumerate(zip(refs, kinds, strict=True))) + "</row>"
    times = [c for c, k in enumerate(kinds) if k == "datetime"]
    texts = [c for c, k in enumerate(kinds) if k == "text"]
    cells = [(c, ref) for c, (ref, k) in enumerate(zip(refs, kinds, strict=True)) if k == "cell"]

    def write(n: int, row: tuple) -> str:
        values = list(row)
        for c in times:
            values[c] = repr(serial(values[c]))
        for c in texts:
            values[c] = strings.cell(values[c])
        for c, ref in cells:
            values[c] = _cell(strings, f"{ref}{n}", values[c])
        return template.format(n, *values)
    return write


def _sheet(header: list[str], rows: list[tuple], strings: _Strings) -> bytes:
    """One worksheet's XML: the frozen bold header, then one string per row."""
    refs = [column_name(c) for c in range(len(header))]
    columns = list(zip(*rows, strict=True)) if rows else [() for _ in header]
    cols = "".join(f'<col min="{c + 1}" max="{c + 1}" width="{column_width(h, v) + 2}" customWidth="1"/>'
                   for c, (h, v) in enumerate(zip(header, columns, strict=True)))
    head = "".join(f'<c r="{ref}1" t="s" s="{BOLD}"><v>{strings.index(h)}</v></c>'
                   for ref, h in zip(refs, header, strict=True))
    write = _row_writer(refs, [_kind(v) for v in columns], strings)
    return "".join([
        f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<worksheet xmlns="{_MAIN}">'
        '<sheetViews><sheetView workbookViewId="0"><pane ySplit="1" topLeftCell="A2" activePane="bottomLeft" '
        'state="frozen"/><selection pane="bottomLeft"/></sheetView></sheetViews>'
        f'<sheetFormatPr defaultRowHeight="15"/><cols>{cols}</cols><sheetData><row r="1">{head}</row>',
        *(write(n, row) for n, row in enumerate(rows, start=2)), "</sheetData></worksheet>"]).encode()


_STYLES = f"""<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<styleSheet xmlns="{_MAIN}"><numFmts count="2"><numFmt numFmtId="164" formatCode="{DATE_FORMAT}"/>\
<numFmt numFmtId="165" formatCode="{DATETIME_FORMAT}"/></numFmts>\
<fonts count="2"><font><sz val="11"/><name val="Calibri"/><family val="2"/></font>\
<font><b/><sz val="11"/><name val="Calibri"/><family val="2"/></font></fonts>\
<fills count="2"><fill><patternFill patternType="none"/></fill>\
<fill><patternFill patternType="gray125"/></fill></fills>\
<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>\
<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>\
<cellXfs count="5"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>\
<xf numFmtId="0" fontId="1" fillId="0" borderId="0" xfId="0" applyFont="1"/>\
<xf numFmtId="164" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>\
<xf numFmtId="165" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>\
<xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0" quotePrefix="1"/></cellXfs>\
<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles></styleSheet>"""


_HEAD = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml"


def _content_types(sheets: int) -> str:
    parts = {"/xl/workbook.xml": f"{_TYPE}.sheet.main+xml", "/xl/styles.xml": f"{_TYPE}.styles+xml",
             "/xl/sharedStrings.xml": f"{_TYPE}.sharedStrings+xml",
             "/docProps/core.xml": "application/vnd.openxmlformats-package.core-properties+xml",
             **{f"/xl/worksheets/sheet{n}.xml": f"{_TYPE}.worksheet+xml" for n in range(1, sheets + 1)}}
    return (_HEAD + '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
            '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
            '<Default Extension="xml" ContentType="application/xml"/>'
            + "".join(f'<Override PartName="{name}" ContentType="{kind}"/>' for name, kind in parts.items())
            + "</Types>")


def _relationships(targets: list[tuple[str, str]]) -> str:
    return (_HEAD + f'<Relationships xmlns="{_PKG}">' + "".join(
        f'<Relationship Id="rId{n}" Type="{kind}" Target="{target}"/>'
        for n, (kind, target) in enumerate(targets, start=1)) + "</Relationships>")


def _package(names: list[str], created: datetime, title: str) -> dict[str, str]:
    """The workbook's parts other than its worksheets and shared strings."""
    stamp = created.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    return {
        "[Content_Types].xml": _content_types(len(names)),
        "_rels/.rels": _relationships([(f"{_REL}/officeDocument", "xl/workbook.xml"), (
            "http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties",
            "docProps/core.xml")]),
        "docProps/core.xml": _HEAD + '<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/'
        'metadata/core-properties" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/'
        'dc/terms/" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">'
        f'<dc:title>{escape(title)}</dc:title><dcterms:created xsi:type="dcterms:W3CDTF">{stamp}</dcterms:created>'
        '</cp:coreProperties>',
        "xl/workbook.xml": _HEAD + f'<workbook xmlns="{_MAIN}" xmlns:r="{_REL}"><sheets>' + "".join(
            f'<sheet name="{escape(name)}" sheetId="{n}" r:id="rId{n}"/>' for n, name in enumerate(names, start=1))
        + "</sheets></workbook>",
        "xl/_rels/workbook.xml.rels": _relationships(
            [(f"{_REL}/worksheet", f"worksheets/sheet{n}.xml") for n in range(1, len(names) + 1)]
            + [(f"{_REL}/styles", "styles.xml"), (f"{_REL}/sharedStrings", "sharedStrings.xml")]),
        "xl/styles.xml": _STYLES,
    }


def workbook(sheets: dict[str, tuple[list[str], list[list[object]]]], created: datetime, title: str,
             entry: Callable[[str], zipfile.ZipInfo]) -> bytes:
    """An .xlsx of one worksheet per (header, rows); `entry` names each zip entry (and stamps its date)."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as z:
        for name, part in _package(list(sheets), created, title).items():
            z.writestr(entry(name), part)
        strings = _Strings()
        for n, (header, rows) in enumerate(sheets.values(), start=1):  # level 1: 12% larger, 2.4x faster than 6
            z.writestr(entry(f"xl/worksheets/sheet{n}.xml"), _sheet(header, rows, strings), compresslevel=1)
        z.writestr(entry("xl/sharedStrings.xml"), strings.xml())
    return buffer.getvalue()
