import csv
import gc
import io
import json
import re
import zipfile
from datetime import UTC, datetime

import pypdfium2
import pytest
from openpyxl import load_workbook
from sqlalchemy import inspect

from planning import demands as dm
from planning import initiatives as im
from planning import workshops as ws
from planning.errors import InvalidInput, NotAllowed
from planning.export import FORMATS, export_workshop, import_backup, md_escape
from planning.participants import join_workshop
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


def test_the_data_exports_give_the_garbage_collector_back_as_they_found_it(db):
    room = full_room(db)
    for enabled in (True, False):
        (gc.enable if enabled else gc.disable)()
        try:
            for fmt in ("xlsx", "csv", "json"):
                export_workshop(db, room.code, room.key, fmt, AT)
                assert gc.isenabled() is enabled
            with pytest.raises(NotAllowed):  # a refusal too
                export_workshop(db, room.code, room.tokens[0], "xlsx", AT)
            assert gc.isenabled() is enabled
        finally:
            gc.enable()


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


NAMES = ("Ana Quintero", "Bo Lindqvist", "Chidi Okafor", "Dana Weiss")
# Each person's self-check answers, chosen so that sorting them by what they say gives another order.
ANSWERS = ({"strategy": "risk", "marketing": "great"}, {"strategy": "great"},
           {"marketing": "prompt", "process_design": "improve"}, {"relationships": "improve", "strategy": "risk"})


def named_room(db, anonymous: bool):
    """Four people with distinctive names who add, rate and answer the self-check; anonymous or not."""
    created = ws.create_workshop(db, title="Freight 2027", company="Northwind", segment="mid-size shippers")
    code, key = created.workshop.code, created.facilitator_key
    tokens = [join_workshop(db, code, name).token for name in NAMES]
    ws.set_anonymous(db, code, key, anonymous)
    ws.set_phase(db, code, key, "inner_customer")
    d = [dm.add_demand(db, t, f"Tell me early, {n}").id for n, t in enumerate(tokens)]
    ws.set_phase(db, code, key, "value_exchange")
    items = [make_initiative(db, t, f"Initiative {n}", [d[n]]).id for n, t in enumerate(tokens)]
    open_selfcheck(db, code, key)
    for token, answers in zip(tokens, ANSWERS, strict=True):
        for area, level in answers.items():
            rate_area(db, token, area, level)
    close_selfcheck(db, code, key)
    ws.set_phase(db, code, key, "score_vote")
    for n, token in enumerate(tokens):
        rate_initiative(db, token, items[(n + 1) % 4], "customer", n + 5)
    return code, key


def every_file(db, code: str, key: str) -> dict[str, str]:
    """Every format's export, as the text its reader would see."""
    out = {}
    for fmt in FORMATS:
        data = export_workshop(db, code, key, fmt, AT).data
        if fmt == "pdf":
            pdf = pypdfium2.PdfDocument(data)
            out[fmt] = "\n".join(page.get_textpage().get_text_range() for page in pdf)
        elif fmt == "xlsx":
            book = load_workbook(io.BytesIO(data))
            out[fmt] = "\n".join(str(c.value) for sheet in book for row in sheet.iter_rows() for c in row)
        elif fmt == "csv":
            with zipfile.ZipFile(io.BytesIO(data)) as z:
                out[fmt] = "\n".join(z.read(n).decode("utf-8-sig") for n in z.namelist())
        else:
            out[fmt] = data.decode()
    return out


def _selfcheck_rows(db, code: str, key: str) -> tuple[list, list, list]:
    """The self-check as each data file holds it: the backup's runs, the sheet's and the CSV's rows."""
    backup = json.loads(export_workshop(db, code, key, "json", AT).data)["selfcheck"]
    sheet = list(load_workbook(io.BytesIO(export_workshop(db, code, key, "xlsx", AT).data))["selfcheck"].values)
    with zipfile.ZipFile(io.BytesIO(export_workshop(db, code, key, "csv", AT).data)) as z:
        rows = list(csv.reader(io.StringIO(z.read("selfcheck.csv").decode("utf-8-sig"))))
    return backup, sheet, rows


def _answers_tied_to_no_one(db, code: str, key: str) -> None:
    [run], sheet, rows = _selfcheck_rows(db, code, key)
    assert set(run) == {"number", "opened_at", "closed_at", "responses", "baseline"}  # no participant or time
    assert run["responses"] == sorted(ANSWERS, key=lambda r: sorted(r.items()))  # sorted, not in join order
    assert run["responses"] != list(ANSWERS)
    assert sheet[0] == ("run", "area", "level") and rows[0] == ["run", "area", "level"]
    assert [list(map(str, r)) for r in sheet[1:]] == rows[1:] == sorted(rows[1:])
    with db.read() as s:
        columns = {c["name"] for c in inspect(s.connection()).get_columns("selfcheck_rating")}
    assert columns == {"run_id", "respondent", "area", "level"}


def _names(files: dict[str, str]) -> dict[str, list[str]]:
    return {fmt: [name for name in NAMES if name in text] for fmt, text in files.items()}


@pytest.mark.parametrize("anonymous", [True, False])
def test_no_file_ties_a_self_check_answer_or_an_anonymous_rating_to_a_name(db, anonymous):
    code, key = named_room(db, anonymous)
    files = every_file(db, code, key)
    if anonymous:  # pseudonyms ("Participant 1") are all any file holds: none pairs them with a name
        assert _names(files) == dict.fromkeys(FORMATS, []) and "Participant 1" in files["json"]
    _answers_tied_to_no_one(db, code, key)
    restored = import_backup(db, files["json"].encode())
    again = every_file(db, restored.workshop.code, restored.facilitator_key)
    if anonymous:
        assert _names(again) == dict.fromkeys(FORMATS, [])
    _answers_tied_to_no_one(db, restored.workshop.code, restored.facilitator_key)


def test_a_named_workshop_still_names_its_people(db):
    code, key = named_room(db, anonymous=False)
    files = every_file(db, code, key)
    assert all(name in files["json"] and name in files["xlsx"] for name in NAMES)
