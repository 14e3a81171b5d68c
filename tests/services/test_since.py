"""A follow-up's summaries say what changed since the last session (planning/since.py), in HTML, Markdown and
PDF; a workshop that follows none says nothing of it."""

from datetime import UTC, datetime

import pypdfium2
import pytest

from planning import followup, participants, votes
from planning import workshops as ws
from planning.demands import add_demand, list_shown_demands
from planning.export import export_workshop
from planning.plan import actions as ac
from planning.plan.review import review_action
from planning.ratings import rate_initiative
from planning.selfcheck import close_selfcheck, open_selfcheck, rate_area
from tests.factories import make_finished_room, make_initiative, make_room

AT = datetime(2027, 1, 15, 9, 30, tzinfo=UTC)
HOSTILE = "=HYPERLINK(\"x\") <b>ERP</b> | *now*"


@pytest.fixture
def session(db):
    """A follow-up that reviewed its plan, added a demand and an initiative, voted, and re-ran the self-check."""
    first = make_finished_room(db)
    created = followup.start_followup(db, first.code, first.key, title="Freight 2027, autumn")
    code, key = created.workshop.code, created.facilitator_key
    plan = {a.what: a.id for a in ac.list_actions(db, code)}
    review_action(db, code, key, plan["Design the page"], "done")
    review_action(db, code, key, plan["Build it"], "late", new_due="2027-05-31", reason="The vendor slipped")
    review_action(db, code, key, plan["Go-live"], "dropped", reason=HOSTILE)
    ws.set_phase(db, code, key, "inner_customer")
    tokens = [participants.join_workshop(db, code, name).token for name in ("Ana", "Ben")]
    new = add_demand(db, tokens[0], "Call me <i>before</i> | you're late").id
    late = next(d.id for d in list_shown_demands(db, code) if d.text == "Tell me when a pallet is late")
    for token in tokens:
        votes.cast_vote(db, token, late)
    votes.cast_vote(db, tokens[1], new)
    ws.set_phase(db, code, key, "value_exchange")
    fresh = make_initiative(db, tokens[0], "Pallet photos", [new]).id
    ws.set_phase(db, code, key, "score_vote")
    for token in tokens:
        rate_initiative(db, token, fresh, "customer", 9)
        rate_initiative(db, token, fresh, "company", 7)
    open_selfcheck(db, code, key)
    for token in tokens:
        rate_area(db, token, "strategy", "improve")
    close_selfcheck(db, code, key)
    return code, key


def _export(db, code: str, key: str, fmt: str) -> str:
    data = export_workshop(db, code, key, fmt, AT).data
    if fmt != "pdf":
        return data.decode()
    return "\n".join(page.get_textpage().get_text_range() for page in pypdfium2.PdfDocument(data))


def test_the_markdown_summary_says_what_changed_since_the_last_session(db, session):
    text = _export(db, *session, "md")
    headings = [line for line in text.splitlines() if line.startswith("#")]
    assert headings[1:6] == ["## Since the last session", "### What became of the plan",
                             "### The self-check, then and now", "### Demands", "### Initiatives"]
    assert "This session follows “Freight 2027”, held " in text
    assert "1 done · 1 late · 1 dropped." in text
    assert ("| Live tracking | Build it | Hank | due 2027-03-31, in progress | Late | now due 2027-05-31 · "
            "The vendor slipped |") in text
    assert "| Monthly invoice | Go-live | Dagny | due 2027-04-01, not started | Dropped | " in text
    assert "\\<b>ERP\\</b> \\| \\*now\\*" in text  # the reason literal, the table intact
    assert "| Strategy | 1.0 | 2.0 | +1.0 | 67% → 0% |" in text
    assert "1 new in this session, 2 carried from the last." in text
    assert "| Tell me when a pallet is late | 3 | 2 |" in text and "| One invoice a month | 1 | 0 |" in text
    assert "- Call me \\<i>before\\</i> \\| you're late (1 vote)" in text
    assert "| Live tracking | 3 | Win–win | 0 | not yet rated |" in text
    assert "- Pallet photos (0 votes, Win–win)" in text
    assert "Run 1 of the last session (3 answered)." in text and "Run 2 (2 answered)." in text


def test_the_html_summary_says_it_with_the_room_s_words_escaped(db, session):
    html = _export(db, *session, "html")
    assert '<h2 id="since">Since the last session</h2>' in html
    assert html.index("Since the last session") < html.index("What customers demanded")
    assert "&lt;b&gt;ERP&lt;/b&gt;" in html and "<b>ERP</b>" not in html
    assert '<td data-label="Outcome"><strong>Late</strong></td><td data-label="New due date, reason">now due ' \
           "2027-05-31 · The vendor slipped</td>" in html
    assert '<td class="num" data-label="Shift">+1.0</td>' in html
    assert "Call me &lt;i&gt;before&lt;/i&gt;" in html and "<h3>Run 1 · last session · 3 answered</h3>" in html


def test_the_pdf_summary_says_it_after_page_one(db, session):
    code, key = session
    pages = [p.get_textpage().get_text_range() for p in pypdfium2.PdfDocument(
        export_workshop(db, code, key, "pdf", AT).data)]
    assert "Since the last session" not in pages[0]
    detail = "\n".join(pages[1:])
    for said in ("Since the last session", "What became of the plan", "1 done · 1 late · 1 dropped.",
                 "The vendor slipped", "<b>ERP</b>", "The self-check, then and now", "+1.0", "67% → 0%",
                 "Demands new in this session: 1; carried from the last: 2. Initiatives new: 1; carried: 2.",
                 "Pallet photos (0 votes, Win–win)", "run 1 of the last session (3 answered)"):
        assert said in detail.replace("\r\n", "\n").replace("\n", " "), said


def test_a_follow_up_that_did_nothing_yet_says_so(db):
    first = make_finished_room(db)
    created = followup.start_followup(db, first.code, first.key)
    text = _export(db, created.workshop.code, created.facilitator_key, "md")
    assert "3 not reviewed yet." in text and "| Not reviewed yet | — |" in text
    assert "The self-check has not been run again in this session" in text
    assert "0 new in this session, 2 carried from the last." in text


@pytest.mark.parametrize("fmt", ["md", "html", "pdf"])
def test_a_workshop_that_follows_none_says_nothing_of_it(db, fmt):
    room = make_finished_room(db)
    assert "Since the last session" not in _export(db, room.code, room.key, fmt)
    plain = make_room(db, phase="plan")
    assert "Since the last session" not in _export(db, plain.code, plain.key, fmt)
