"""The follow-up on the console, the wall and phones (ui/followup.py, ui/review.py, the self-check's shift): the chain,
starting the next session, the review of the carried plan."""

from datetime import date

import pytest

from planning import followup, participants
from planning import workshops as ws
from planning.export import export_workshop, import_backup
from planning.plan import actions as ac
from planning.plan.review import plan_review, review_action
from planning.selfcheck import close_selfcheck, open_selfcheck, rate_area
from tests.factories import make_finished_room, make_room
from tests.views.conftest import cards_of, html_of, press, texts
from tests.views.test_big_screen import pager_pages
from ui import wall

START = "Start the follow-up"
REVIEW = "facilitator_review_cards"


@pytest.fixture
def room(db):
    return make_finished_room(db)


def _field(at, kind: str, label: str):
    return next(w for w in getattr(at, kind) if w.label == label)


def _press(at, label: str) -> None:
    next(b for b in at.button if b.label == label).click().run()


def _start_button(at):
    return next((b for b in at.button if b.label == START), None)


@pytest.mark.parametrize("phase", ["lobby", "inner_customer", "value_exchange", "score_vote", "review"])
def test_no_follow_up_control_before_the_plan_phase(open_view, db, phase):
    room = make_room(db, phase=phase)
    at = open_view("facilitator", code=room.code, key=room.key)
    assert _start_button(at) is None and "hp-chain" not in html_of(at)


def test_starting_a_follow_up_shows_its_code_and_link_and_says_who_does_not_carry(open_view, db, room):
    at = open_view("facilitator", code=room.code, key=room.key)
    at.text_input(key="facilitator_followup_title").input("Freight 2027, autumn")
    _start_button(at).click().run()
    chain = followup.get_chain(db, room.code, room.key)
    new = chain.followed_by.code
    assert ws.get_workshop(db, new).title == "Freight 2027, autumn"
    assert f"Follow-up session started: code {new}." in [s.value for s in at.success]
    assert "Participants do not carry over" in texts(at)
    [link] = [c.value for c in at.code if f"code={new}" in c.value]
    assert f"Followed by <strong>{new}</strong>" in html_of(at) and _start_button(at) is None
    new_key = link.split("key=")[1]
    assert ws.check_facilitator(db, new, new_key).code == new
    at.run()  # a redraw keeps the link in sight (it is shown only in this browser session)
    assert [c.value for c in at.code if f"code={new}" in c.value] == [link]


def test_the_follow_up_console_names_the_session_it_follows(open_view, db, room):
    created = followup.start_followup(db, room.code, room.key)
    at = open_view("facilitator", code=created.workshop.code, key=created.facilitator_key)
    held = followup.get_chain(db, created.workshop.code, created.facilitator_key).follows.created_at
    assert f"Follows <strong>{room.code}</strong> ({held.day} {held:%b %Y})" in html_of(at)
    assert _start_button(at) is None  # a follow-up in the Lobby has not reached Plan


def test_a_refused_start_shows_its_message(open_view, db, room):
    at = open_view("facilitator", code=room.code, key=room.key)
    at.text_input(key="facilitator_followup_title").input("")
    _start_button(at).click().run()
    assert [e.value for e in at.error] == ["The title cannot be empty"]
    assert followup.get_chain(db, room.code, room.key).later == ()
    other = followup.start_followup(db, room.code, room.key).workshop.code  # another tab got there first
    at.text_input(key="facilitator_followup_title").input("Autumn")
    _start_button(at).click().run()
    assert [e.value for e in at.error] == [
        f"This workshop already has a follow-up ({other}): start the next one from there"]
    assert f"Followed by <strong>{other}</strong>" in html_of(at)


@pytest.fixture
def followed(db, room):
    """A follow-up of the finished room: (code, key, {action: id})."""
    created = followup.start_followup(db, room.code, room.key)
    code, key = created.workshop.code, created.facilitator_key
    return code, key, {a.what: a.id for a in ac.list_actions(db, code)}


def test_the_plan_tab_reviews_each_carried_action_and_keeps_a_refusal_beside_it(open_view, db, followed):
    code, key, plan = followed
    at = open_view("facilitator", code=code, key=key)
    assert {c["title"]: c["text"] for c in cards_of(at, REVIEW)} == dict.fromkeys(plan, "Not reviewed yet")
    press(at, REVIEW, plan["Design the page"], "done")
    press(at, REVIEW, plan["Go-live"], "dropped")
    _field(at, "text_input", "Reason (needed)").input("   ")
    _press(at, "Record")
    assert [e.value for e in at.error] == ["Say why the action was dropped"]
    at.run()  # a redraw keeps the reason for the refusal and the panel
    assert [e.value for e in at.error] == ["Say why the action was dropped"]
    _field(at, "text_input", "Reason (needed)").input("Invoices move to the new ERP")
    _press(at, "Record")
    press(at, REVIEW, plan["Build it"], "late")
    _field(at, "date_input", "New due date").set_value(date(2027, 5, 31))
    _press(at, "Record")
    assert not at.error and not [w for w in at.text_input if w.label.startswith("Reason")]  # the panel closed
    review = {a.what: (a.review, a.review_reason, a.due) for a in plan_review(db, code).actions}
    assert review == {"Design the page": ("done", None, date(2027, 3, 10)),
                      "Build it": ("late", None, date(2027, 5, 31)),
                      "Go-live": ("dropped", "Invoices move to the new ERP", date(2027, 4, 1))}
    assert {c["title"]: c["text"] for c in cards_of(at, REVIEW)} == {
        "Design the page": "Done", "Build it": "Late: now due 2027-05-31",
        "Go-live": "Dropped: Invoices move to the new ERP"}
    assert "1 done · 1 late · 1 dropped" in texts(at)


def test_reopening_a_late_action_shows_what_was_recorded(open_view, db, followed):
    code, key, plan = followed
    review_action(db, code, key, plan["Build it"], "late", new_due="2027-05-31", reason="The vendor slipped")
    at = open_view("facilitator", code=code, key=key)
    press(at, REVIEW, plan["Build it"], "late")
    assert _field(at, "date_input", "New due date").value == date(2027, 5, 31)
    assert _field(at, "text_input", "Reason (or give the new due date)").value == "The vendor slipped"


def test_no_review_outside_a_follow_up(open_view, db, room):
    at = open_view("facilitator", code=room.code, key=room.key)
    assert cards_of(at, REVIEW) == [] and "The plan from the last session" not in texts(at)


@pytest.mark.parametrize("phase", ["lobby", "plan"])
def test_phones_show_the_review_read_only_literally(open_view, db, followed, phase):
    code, key, plan = followed
    review_action(db, code, key, plan["Go-live"], "dropped", reason="<b>ERP</b> :red[now]")
    ws.set_phase(db, code, key, phase)
    token = participants.join_workshop(db, code, "Ana").token
    at = open_view("participant", p=token)
    cards = {c["title"]: c for c in cards_of(at, "participant_review")}
    assert cards["Go-live"]["text"] == "Dropped: <b>ERP</b> :red[now]" and not cards["Go-live"]["buttons"]
    assert cards["Build it"]["lines"] == ["Live tracking · Hank · planned: due 2027-03-31, in progress"]
    assert set(cards) == set(plan)


@pytest.mark.parametrize("phase", ["lobby", "plan"])
def test_the_wall_shows_the_review_in_wall_type_with_outcomes_and_reasons(open_view, db, followed, phase):
    code, key, plan = followed
    review_action(db, code, key, plan["Go-live"], "dropped", reason="<b>ERP</b>")
    review_action(db, code, key, plan["Build it"], "late", new_due="2027-05-31", reason="The vendor slipped")
    ws.set_phase(db, code, key, phase)
    at = open_view("big_screen", code=code)
    [page] = next(pages for pages in pager_pages(at) if "hp-wall-review" in pages[0])
    assert "1 late · 1 dropped · 1 not reviewed yet" in page and "<b>ERP</b>" not in page
    assert ('<li class="hp-dropped"><span class="hp-outcome">Dropped</span><div><p class="hp-l2"><strong>Go-live'
            '</strong> · Dagny</p><p class="hp-l3">planned: due 2027-04-01, not started · &lt;b&gt;ERP&lt;/b&gt;</p>'
            in page)
    assert "planned: due 2027-03-31, in progress · now due 2027-05-31 · The vendor slipped" in page
    assert '<li class="hp-open"><span class="hp-outcome">Not reviewed yet</span>' in page


def test_the_wall_type_of_the_review_is_at_least_28_px_at_1920():
    css = wall.CSS
    assert ".hp-w p, .hp-w li, .hp-w th, .hp-w td {font-size: 1.5vw}" in css  # 28.8 px at 1920 px wide
    assert "font-size" not in "".join(line for line in css.splitlines() if ".hp-reviews" in line)


def test_a_long_carried_plan_pages_on_the_wall_and_new_actions_stay_out_of_it(open_view, db, room):
    tracking = room.initiatives["Live tracking"]
    for n in range(3):
        ac.add_action(db, room.code, room.key, tracking, f"Train depot {n}", "Ona", "2027-06-01")
    created = followup.start_followup(db, room.code, room.key)
    code, key = created.workshop.code, created.facilitator_key
    ac.add_action(db, code, key, ac.list_actions(db, code)[0].initiative_id, "Planned today", "Ona", "2027-09-01")
    pages = next(pages for pages in pager_pages(open_view("big_screen", code=code)) if "hp-wall-review" in pages[0])
    assert [p.count("<li") for p in pages] == [wall.REVIEW_A_PAGE, 6 - wall.REVIEW_A_PAGE]
    assert "6 not reviewed yet · page 1 of 2" in pages[0] and "Planned today" not in "".join(pages)


def _rerun_selfcheck(db, code: str, key: str, *, close: bool = False) -> None:
    """Two people of the new room answer this session's self-check: strategy better, marketing worse."""
    tokens = [participants.join_workshop(db, code, name).token for name in ("Ana", "Ben")]
    open_selfcheck(db, code, key)
    for token in tokens:
        rate_area(db, token, "strategy", "improve")
    rate_area(db, tokens[0], "marketing", "risk")
    if close:
        close_selfcheck(db, code, key)


def _shift_rows(at) -> dict[str, dict]:
    [table] = [t.value for t in at.dataframe if "Shift" in t.value.columns]
    return {row["Area"]: dict(row) for _, row in table.iterrows()}


def test_the_console_shows_the_self_check_shift_since_the_last_session(open_view, db, followed):
    code, key, _ = followed
    at = open_view("facilitator", code=code, key=key)
    assert not [t for t in at.dataframe if "Shift" in t.value.columns]  # the baseline alone: nothing to compare
    _rerun_selfcheck(db, code, key)
    at.run()
    assert any(m.value.startswith("**Since the last session:** run 1 (last session, ") and
               m.value.endswith("→ run 2 (this session, open)") for m in at.markdown)
    rows = _shift_rows(at)
    assert rows["Strategy"] == {"Area": "Strategy", "Then (mean)": "1.0", "Now (mean)": "2.0", "Shift": "+1.0",
                                "Needs attention or worse, then → now": "67% → 0%"}
    assert (rows["Marketing"]["Then (mean)"], rows["Marketing"]["Now (mean)"], rows["Marketing"]["Shift"]) == (
        "2.7", "0.0", "-2.7")
    assert rows["Sales and service"]["Shift"] == "–"


def test_no_shift_outside_a_follow_up(open_view, db, room):
    _rerun_selfcheck(db, room.code, room.key)
    at = open_view("facilitator", code=room.code, key=room.key)
    assert not [t for t in at.dataframe if "Shift" in t.value.columns]


def test_the_dashboard_shows_the_last_session_beside_this_one_and_the_shift(open_view, db, followed):
    code, key, _ = followed
    _rerun_selfcheck(db, code, key, close=True)
    at = open_view("dashboard", code=code)
    labels = [m.value for m in at.markdown if m.value.startswith("**Run ")]
    assert labels == ["**Run 1** · last session · 3 answered", "**Run 2** · 2 answered"]
    assert _shift_rows(at)["Strategy"]["Shift"] == "+1.0"
    assert not [c for c in at.caption if c.value.startswith("What moved between run")]  # the same two runs


def test_the_wall_shows_the_shift_since_the_last_session(open_view, db, followed):
    code, key, _ = followed
    _rerun_selfcheck(db, code, key)
    ws.show_selfcheck_on_wall(db, code, key, True)
    side = next(h for h in html_of(open_view("big_screen", code=code)).split("\n") if "hp-wall-selfcheck" in h)
    assert "Since the last session (run 1 → run 2; 3 = doing great, 0 = at risk):" in side
    assert "<tr><th>Strategy</th><td>1.0</td><td>2.0</td><td>+1.0</td></tr>" in side
    assert "<th>then</th><th>now</th><th>change</th>" in side


def test_the_console_of_a_restored_follow_up_says_which_link_the_restore_left_out(open_view, db, followed):
    code, key, _ = followed
    restored = import_backup(db, export_workshop(db, code, key, "json").data)
    at = open_view("facilitator", code=restored.workshop.code, key=restored.facilitator_key)
    [note] = [h for h in html_of(at).split("\n") if "hp-chain-dropped" in h]
    assert "which already has a follow-up on this server" in note and "Follows" not in html_of(at)
