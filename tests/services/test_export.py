import csv
import io
import json
import re
import zipfile
from datetime import UTC, datetime

import pypdfium2
import pytest
from openpyxl import load_workbook
from sqlmodel import func, select

from planning import demands as dm
from planning import initiatives as im
from planning import workshops as ws
from planning.__main__ import main as cli
from planning.errors import InvalidInput, NotAllowed
from planning.export import FORMATS, export_as_operator, export_workshop, import_backup, md_escape
from planning.models import Workshop
from planning.plan.actions import add_action
from planning.plan.process import add_step
from planning.ratings import rate_initiative
from planning.selfcheck import close_selfcheck, open_selfcheck, rate_area
from planning.text import safe_cell
from planning.votes import cast_initiative_vote, cast_vote
from tests.factories import make_initiative, make_room

AT = datetime(2026, 11, 23, 9, 30, tzinfo=UTC)
FORMULA = "=HYPERLINK(\"http://evil\",\"x\")"


def full_room(db):
    """A workshop that uses every feature: merges, hides, votes, ratings, edits, areas, hostile text."""
    room = make_room(db, participants_count=4)
    texts = [FORMULA, "Tell me early | # not a heading *", "+1 call me", "@here -5 unicode ✓ مرحبا 需要"]
    d = [dm.add_demand(db, room.tokens[i], t, "relationships" if i % 2 else None).id for i, t in enumerate(texts)]
    cast_vote(db, room.tokens[1], d[0])
    cast_vote(db, room.tokens[2], d[1])
    cast_vote(db, room.tokens[2], d[2])
    dm.merge_demands(db, room.code, room.key, d[2], d[1])
    dm.hide_demand(db, room.code, room.key, d[3])
    dm.edit_demand(db, room.code, room.key, d[0], FORMULA + " edited", "strategy")
    ws.set_phase(db, room.code, room.key, "value_exchange")
    a = make_initiative(db, room.tokens[0], "<b>Live</b> tracking", [d[0], d[1]], areas=["strategy"], effort="M").id
    b = make_initiative(db, room.tokens[1], "-Portal", [d[1]]).id
    c = make_initiative(db, room.tokens[2], "Merged away").id
    im.merge_initiatives(db, room.code, room.key, c, a)
    im.choose_initiative(db, room.code, room.key, a)
    open_selfcheck(db, room.code, room.key)
    rate_area(db, room.tokens[0], "marketing", "risk")
    rate_area(db, room.tokens[1], "marketing", "great")
    close_selfcheck(db, room.code, room.key)
    open_selfcheck(db, room.code, room.key)
    rate_area(db, room.tokens[0], "strategy", "improve")
    ws.set_phase(db, room.code, room.key, "score_vote")
    for n, token in enumerate(room.tokens):
        for item, axis in ((a, "customer"), (a, "company"), (b, "customer"), (b, "company")):
            rate_initiative(db, token, item, axis, (n * 3 + len(axis)) % 11)
        cast_initiative_vote(db, token, a)
    ws.set_phase(db, room.code, room.key, "plan")
    add_action(db, room.code, room.key, a, "-Pilot with three shippers", "Dagny", "2027-03-31", "in_progress")
    add_step(db, room.code, room.key, a, "Sales", "Re-keys the booking", "=order id", "none")
    add_step(db, room.code, room.key, a, "Driver", "Confirms the pickup", "photo", "adds")
    return room


def test_every_format_exports_and_refuses_a_wrong_key(db):
    room = full_room(db)
    for fmt in FORMATS:
        out = export_workshop(db, room.code, room.key, fmt, AT)
        assert out.data and out.file_name.startswith(f"hyperplan-{room.code}-") and out.mime == FORMATS[fmt][0]
        with pytest.raises(NotAllowed):
            export_workshop(db, room.code, room.tokens[0], fmt, AT)
    with pytest.raises(InvalidInput):
        export_workshop(db, room.code, room.key, "docx", AT)


def test_exports_of_a_finished_workshop_are_deterministic(db):
    room = full_room(db)
    ws.set_phase(db, room.code, room.key, "closed")
    for fmt in FORMATS:
        assert export_workshop(db, room.code, room.key, fmt, AT).data == \
            export_workshop(db, room.code, room.key, fmt, AT).data, fmt


def test_xlsx_has_a_sheet_per_table_and_no_formula_runs(db):
    room = full_room(db)
    book = load_workbook(io.BytesIO(export_workshop(db, room.code, room.key, "xlsx", AT).data))
    assert book.sheetnames == ["workshop", "participants", "demands", "demand_votes", "initiatives", "ratings",
                               "initiative_votes", "moderation", "selfcheck", "actions", "process_steps"]
    cells = [c for sheet in book for row in sheet.iter_rows() for c in row]
    assert not [c.coordinate for c in cells if c.data_type == "f"]
    edited = next(c for c in book["demands"]["C"] if c.value == FORMULA + " edited")
    assert edited.data_type == "s" and edited.quotePrefix  # shown as typed, and stays text when edited
    assert len(list(book["ratings"].iter_rows())) == 1 + 4 * 4


def test_xlsx_dates_are_date_cells_under_a_frozen_header(db):
    room = full_room(db)
    book = load_workbook(io.BytesIO(export_workshop(db, room.code, room.key, "xlsx", AT).data))
    actions = book["actions"]
    due = next(c for c in actions[2] if actions.cell(1, c.column).value == "due")
    assert (due.value, due.number_format) == (datetime(2027, 3, 31), "yyyy-mm-dd")
    joined = book["participants"]["C2"]
    assert joined.is_date and joined.number_format == "yyyy-mm-dd hh:mm:ss"
    assert all(sheet.freeze_panes == "A2" for sheet in book)


def test_csv_zip_has_a_file_per_table_and_defuses_formulas(db):
    room = full_room(db)
    with zipfile.ZipFile(io.BytesIO(export_workshop(db, room.code, room.key, "csv", AT).data)) as z:
        assert {"demand_votes.csv", "demands.csv", "actions.csv", "process_steps.csv"} <= set(z.namelist())
        rows = list(csv.DictReader(io.StringIO(z.read("demands.csv").decode("utf-8-sig"))))
    assert [r["text"][:2] for r in rows] == ["'=", "Te", "'+", "'@"]
    assert all(not r["text"].startswith(("=", "+", "-", "@")) for r in rows)


@pytest.mark.parametrize(("value", "safe"), [("=1+1", "'=1+1"), ("+1", "'+1"), ("-1", "'-1"), ("@x", "'@x"),
                                            ("\tx", "'\tx"), ("\rx", "'\rx"), ("ok", "ok"), (5, 5)])
def test_safe_cell(value, safe):
    assert safe_cell(value) == safe


def test_pdf_first_page_is_drawn(db):
    room = full_room(db)
    pdf = pypdfium2.PdfDocument(export_workshop(db, room.code, room.key, "pdf", AT).data)
    assert len(pdf) >= 2
    image = pdf[0].render(scale=0.5).to_pil().convert("L")
    assert sum(1 for p in image.getdata() if p < 128) > 500  # real text, not a blank page
    assert "Freight 2027" in pdf[0].get_textpage().get_text_range()


def test_markdown_escapes_user_text_so_the_structure_holds(db):
    room = full_room(db)
    text = export_workshop(db, room.code, room.key, "md", AT).data.decode()
    assert "Tell me early \\| # not a heading \\*" in text and "\\<b>Live\\</b> tracking" in text
    headings = [line for line in text.splitlines() if line.startswith("#")]
    assert headings == ["# Freight 2027", "## What customers demanded", "## Top demands nothing answers",
                        "## Value to customers against value returned to the company", "## Initiatives, ranked",
                        "## Where the room was split", "## The plan",
                        "## Process value map: \\<b>Live\\</b> tracking", "## Customer-alignment self-check"]
    assert md_escape("a\nb") == "a b"


def test_html_summary_is_self_contained_and_escapes_user_text(db):
    room = full_room(db)
    html = export_workshop(db, room.code, room.key, "html", AT).data.decode()
    assert "&lt;b&gt;Live&lt;/b&gt; tracking" in html and "<b>Live</b>" not in html
    assert "value-exchange-matrix" in html and "Plotly.newPlot" in html
    assert not re.search(r"<script[^>]*\bsrc=", html)  # plotly.js is inline; the browser test checks requests
    assert "@media print" in html


def test_anonymous_workshops_export_no_names(db):
    room = full_room(db)
    ws.set_anonymous(db, room.code, room.key, True)
    for fmt in ("html", "md", "csv"):
        data = export_workshop(db, room.code, room.key, fmt, AT).data
        if fmt == "csv":
            data = zipfile.ZipFile(io.BytesIO(data)).read("participants.csv")
        assert b"Person 1" not in data, fmt


def _strip(document: bytes) -> dict:
    data = json.loads(document)
    data.pop("exported_at")
    return data


def test_backup_round_trip_gives_the_same_content(db):
    room = full_room(db)
    first = export_workshop(db, room.code, room.key, "json", AT).data
    restored = import_backup(db, first)
    assert restored.workshop.code != room.code and restored.facilitator_key != room.key
    again = export_workshop(db, restored.workshop.code, restored.facilitator_key, "json").data
    assert _strip(again) == _strip(first)
    doc = json.loads(first)
    assert len(doc["actions"]) == 1 and [p["position"] for p in doc["process_steps"]] == [1, 2]
    assert doc["schema_version"] == 3 and len(doc["moderation"]) >= 8 and len(doc["selfcheck"]) == 2
    assert [i["chosen"] for i in doc["initiatives"]] == [True, False, False]


def test_a_version_1_backup_still_restores(db):
    room = full_room(db)
    doc = json.loads(export_workshop(db, room.code, room.key, "json", AT).data)
    doc["schema_version"] = 1
    del doc["selfcheck"]
    for item in doc["initiatives"]:
        del item["chosen"]
    restored = import_backup(db, json.dumps(doc).encode())
    again = json.loads(export_workshop(db, restored.workshop.code, restored.facilitator_key, "json").data)
    assert again["selfcheck"] == [] and len(again["ratings"]) == len(doc["ratings"])


def _count(db) -> int:
    with db.read() as s:
        return s.exec(select(func.count()).select_from(Workshop)).one()


def _altered(doc: dict, path: str, value) -> bytes:
    target = doc
    *parents, last = path.split(".")
    for part in parents:
        target = target[int(part)] if part.isdigit() else target[part]
    target[int(last) if last.isdigit() else last] = value
    return json.dumps(doc).encode()


@pytest.mark.parametrize(("change", "message"), [
    (lambda b, d: b[: len(b) // 2], "not complete JSON"),
    (lambda b, d: b"\xff\xfe garbage", "not complete JSON"),
    (lambda b, d: b"[]", "not a Hyperplan backup"),
    (lambda b, d: _altered(d, "format", "other"), "not a Hyperplan backup"),
    (lambda b, d: _altered(d, "schema_version", 99), "schema version 99"),
    (lambda b, d: _altered(d, "schema_version", "2"), "schema version '2'"),
    (lambda b, d: _altered(d, "demands.0.text", "x" * 501), "at most 500 characters"),
    (lambda b, d: _altered(d, "demands.0.text", "<ok>\x00"), "control characters"),
    (lambda b, d: _altered(d, "ratings.0.score", 11), "damaged or altered"),
    (lambda b, d: _altered(d, "demand_votes.0.demand", 999), "points at nothing"),
    (lambda b, d: _altered(d, "participants.1.id", 1), "appears twice"),
    (lambda b, d: _altered(d, "selfcheck.0.ratings.0.participant", 99), "points at nothing"),
    (lambda b, d: _altered(d, "selfcheck.0.ratings.0.level", "perfect"), "damaged or altered"),
    (lambda b, d: _altered(d, "workshop.injected", "x"), "damaged or altered"),
    (lambda b, d: b" " * (50 * 1024 * 1024 + 1), "at most 50 MB"),
])
def test_a_bad_backup_is_refused_and_writes_nothing(db, change, message):
    room = full_room(db)
    good = export_workshop(db, room.code, room.key, "json", AT).data
    before = _count(db)
    with pytest.raises(InvalidInput, match=message):
        import_backup(db, change(good, json.loads(good)))
    assert _count(db) == before


def test_restore_needs_the_organiser_passcode_when_set(db):
    room = make_room(db)
    data = export_workshop(db, room.code, room.key, "json", AT).data
    with pytest.raises(NotAllowed):
        import_backup(db, data, passcode="no", organiser_passcode="yes")


def test_the_command_line_exports_and_imports(db, tmp_path, monkeypatch, capsys):
    room = full_room(db)
    monkeypatch.setenv("DATABASE_URL", db.url)
    out = tmp_path / "backup.json"
    assert cli(["export", room.code, "--format", "json", "--out", str(out)]) == 0
    assert _strip(out.read_bytes()) == _strip(export_as_operator(db, room.code, "json").data)
    assert cli(["import", str(out)]) == 0
    assert "Restored as workshop" in capsys.readouterr().out
    assert cli(["export", "NOPE2345", "--format", "pdf", "--out", str(tmp_path / "x.pdf")]) == 2
