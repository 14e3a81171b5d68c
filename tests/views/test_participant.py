import pytest

from planning import demands as dm
from planning import workshops as ws
from planning.initiatives import list_shown_initiatives
from planning.ratings import get_my_ratings
from planning.votes import get_ballot, get_initiative_ballot
from tests.factories import make_initiative, make_room
from tests.views.conftest import html_of, plotly_specs, room_in, texts, whole_page

HOSTILE = "<script>alert(1)</script> **bold** :red[x] $x^2$ ![](http://x/p.png)"


def _add(at, text, area_index=0):
    at.text_area(key="participant_new_demand").input(text)
    at.button[0].click().run()  # the form's submit button comes first
    return at


def test_without_a_token_the_page_points_to_join(open_view):
    at = open_view("participant")
    assert "Join a workshop with its code" in at.info[0].value


def test_a_forged_token_is_refused(open_view):
    at = open_view("participant", p="forged")
    assert "does not belong to anyone" in at.error[0].value


def test_the_lobby_asks_people_to_wait_and_offers_no_form(open_view, db):
    room = make_room(db, phase="lobby")
    at = open_view("participant", p=room.tokens[0])
    assert "Waiting for the facilitator" in at.info[0].value
    assert not at.text_area


def test_adding_a_demand_shows_it_and_a_refresh_brings_the_person_back(open_view, db):
    room = make_room(db)
    at = _add(open_view("participant", p=room.tokens[0]), "Tell me early when it is late")
    assert [s.value for s in at.success] == ["Demand added."]
    assert at.get("form")[0].proto.form.clear_on_submit  # the browser empties it (tests/e2e/test_live_room.py)
    again = open_view("participant", p=room.tokens[0])  # a new session with the same link
    assert "You take part as Person 0" in html_of(again)
    assert "Tell me early when it is late" in html_of(again)


@pytest.mark.parametrize(("text", "message"), [("   ", "A demand cannot be empty"),
                                               ("bell\x07", "A demand contains control characters")])
def test_bad_demands_are_refused_and_the_draft_is_kept(open_view, db, text, message):
    room = make_room(db)
    at = open_view("participant", p=room.tokens[0])
    at.text_area(key="participant_new_demand").set_value(text)
    at.button[0].click().run()
    assert [e.value for e in at.error] == [message]
    assert at.text_area(key="participant_new_demand").value == text
    assert dm.list_shown_demands(db, room.code) == []


def test_hostile_text_is_shown_literally(open_view, db):
    room = make_room(db)
    at = _add(open_view("participant", p=room.tokens[0]), HOSTILE)
    body = html_of(at)
    assert "&lt;script&gt;alert(1)&lt;/script&gt; **bold** :red[x] $x^2$ ![](http://x/p.png)" in body
    assert "<script>" not in body
    assert all(HOSTILE not in m.value for m in at.markdown)


def test_the_voice_coach_suggests_and_applies_a_customer_voice_rewording(open_view, db):
    room = make_room(db)
    at = _add(open_view("participant", p=room.tokens[0]), "We should upsell our brand")
    assert "Voice coach" in texts(at) and "Upselling is the company's goal" in texts(at)
    assert "You should upsell your brand" in [t.value for t in at.text]
    at.button(key="participant_use_rephrasing").click().run()
    assert [d.text for d in dm.list_shown_demands(db, room.code)] == ["You should upsell your brand"]


def test_votes_go_up_and_down_and_stop_at_the_budget(open_view, db):
    room = make_room(db, budget=2, cap=2)
    d = dm.add_demand(db, room.tokens[1], "Saturday pickups")
    at = open_view("participant", p=room.tokens[0])
    assert "Votes left: 2 of 2" in texts(at)
    at.button(key=f"participant_vote_{d.id}").click().run()
    at.button(key=f"participant_vote_{d.id}").click().run()
    assert "Votes left: 0 of 2" in texts(at)
    at.button(key=f"participant_vote_{d.id}").click().run()
    assert "You have used all 2 of your votes" in [e.value for e in at.error]
    at.button(key=f"participant_unvote_{d.id}").click().run()
    assert get_ballot(db, room.tokens[0]).used == 1


def test_the_card_and_the_button_show_the_votes(open_view, db):
    room = make_room(db)
    d = dm.add_demand(db, room.tokens[1], "Saturday pickups")
    other = dm.add_demand(db, room.tokens[2], "Night deliveries")
    at = open_view("participant", p=room.tokens[0])
    at.button(key=f"participant_vote_{d.id}").click().run()
    at.button(key=f"participant_vote_{d.id}").click().run()
    assert at.button(key=f"participant_vote_{d.id}").label == "+1 (2)"
    assert "Saturday pickups<div class=\"hp-meta\">Person 1 · 2 votes</div>" in html_of(at)
    at.button(key=f"participant_unvote_{d.id}").click().run()
    assert at.button(key=f"participant_vote_{d.id}").label == "+1 (1)"
    assert "Person 1 · 1 vote<" in html_of(at)
    assert at.button(key=f"participant_unvote_{other.id}").disabled  # nothing to take back
    assert [(v.id, v.votes) for v in dm.list_shown_demands(db, room.code)] == [(d.id, 1), (other.id, 0)]


def test_a_demand_longer_than_the_box_never_lands_longer(open_view, db):
    room = make_room(db)
    at = open_view("participant", p=room.tokens[0])
    box = at.text_area(key="participant_new_demand")
    assert box.max_chars == 500
    box.input("x" * 501)  # the browser's box refuses the 501st character
    assert at.text_area(key="participant_new_demand").value == ""
    at.text_area(key="participant_new_demand").set_value("y" * 501)  # a crafted message: Streamlit cuts it
    at.button[0].click().run()
    assert [len(d.text) for d in dm.list_shown_demands(db, room.code)] == [500]


def test_own_demands_can_be_edited_and_deleted(open_view, db):
    room = make_room(db)
    dm.add_demand(db, room.tokens[0], "Typo demnd")
    at = open_view("participant", p=room.tokens[0])
    edit = [t for t in at.text_area if t.value == "Typo demnd"][0]
    edit.input("Fixed demand")
    [save] = [b for b in at.button if b.label == "Save"]
    save.click().run()
    assert [d.text for d in dm.list_shown_demands(db, room.code)] == ["Fixed demand"]
    [delete] = [b for b in at.button if b.label == "Delete"]
    delete.click().run()
    assert dm.list_shown_demands(db, room.code) == []


def test_an_empty_edit_of_ones_own_demand_is_refused_and_changes_nothing(open_view, db):
    room = make_room(db)
    dm.add_demand(db, room.tokens[0], "Keep me")
    at = open_view("participant", p=room.tokens[0])
    [t for t in at.text_area if t.value == "Keep me"][0].input("   ")
    [b for b in at.button if b.label == "Save"][0].click().run()
    assert [e.value for e in at.error] == ["A demand cannot be empty"]
    assert [d.text for d in dm.list_shown_demands(db, room.code)] == ["Keep me"]


def test_a_locked_workshop_is_read_only(open_view, db):
    room = make_room(db)
    dm.add_demand(db, room.tokens[1], "Already here")
    ws.lock_workshop(db, room.code, room.key)
    at = open_view("participant", p=room.tokens[0])
    assert "locked" in at.warning[0].value
    assert not at.text_area and "Already here" in html_of(at)
    assert not [b for b in at.button if b.label.startswith("+1")]


def test_private_mode_shows_only_ones_own_demands(open_view, db):
    room = make_room(db)
    ws.set_private_until_reveal(db, room.code, room.key, True)
    dm.add_demand(db, room.tokens[0], "Mine")
    dm.add_demand(db, room.tokens[1], "Theirs")
    at = open_view("participant", p=room.tokens[0])
    assert "Mine" in html_of(at) and "Theirs" not in whole_page(at)
    assert not [b for b in at.button if b.key and b.key.startswith("participant_vote_")]


def test_anonymity_keeps_other_authors_off_a_participants_page(open_view, db):
    room = make_room(db)
    dm.add_demand(db, room.tokens[1], "Theirs")
    ws.set_anonymous(db, room.code, room.key, True)
    at = open_view("participant", p=room.tokens[0])
    assert "Theirs" in html_of(at) and "Person 1" not in whole_page(at)


def test_score_and_vote_in_private_mode_lets_everyone_rate_every_initiative(open_view, db):
    room = make_room(db, phase="value_exchange")
    ws.set_private_until_reveal(db, room.code, room.key, True)
    make_initiative(db, room.tokens[0], "Mine")
    make_initiative(db, room.tokens[1], "Theirs")
    ws.set_phase(db, room.code, room.key, "score_vote")
    at = open_view("participant", p=room.tokens[0])
    total = get_my_ratings(db, room.tokens[0]).total
    assert len([s for s in at.slider if s.label.startswith("Value to the customer")]) == total == 2


@pytest.mark.parametrize("phase", ["lobby", "inner_customer", "value_exchange", "score_vote", "review", "plan",
                                   "closed"])
@pytest.mark.parametrize("strict", [False, True], ids=["open", "anonymous-private-locked"])
def test_every_phase_renders_and_keeps_user_text_literal(open_view, db, phase, strict):
    room = room_in(db, phase, anonymous=strict, private=strict, locked=strict)
    body = html_of(open_view("participant", p=room.tokens[0]))
    assert "<b>" not in body and "<i>" not in body
    if strict:
        assert "Person 1" not in body


def test_value_exchange_proposes_an_initiative_and_coaches_it(open_view, db):
    room = make_room(db)
    d = dm.add_demand(db, room.tokens[1], "Warn me early")
    ws.set_phase(db, room.code, room.key, "value_exchange")
    at = open_view("participant", p=room.tokens[0])
    at.text_input[0].input("Live tracking")
    at.text_area[1].input("Fewer calls")
    at.multiselect[0].select(d.id)
    [propose] = [b for b in at.button if b.label == "Propose initiative"]
    propose.click().run()
    assert "Initiative proposed." in [s.value for s in at.success]
    assert any("what the customer gets" in i.value for i in at.info)
    assert "Live tracking" in html_of(at) and "Warn me early" in html_of(at)
    [propose] = [b for b in at.button if b.label == "Propose initiative"]
    assert at.text_input[0].value == ""  # a fresh form: pressing again proposes nothing twice
    propose.click().run()
    assert [e.value for e in at.error] == ["The title cannot be empty"]
    assert [v.title for v in list_shown_initiatives(db, room.code)] == ["Live tracking"]


def test_value_exchange_refuses_an_initiative_without_demands_or_the_none_box_and_keeps_the_draft(open_view, db):
    room = make_room(db, phase="value_exchange")
    at = open_view("participant", p=room.tokens[0])
    at.text_input[0].input("Orphan idea")
    at.text_area[1].input("Loyalty")
    [propose] = [b for b in at.button if b.label == "Propose initiative"]
    propose.click().run()
    assert [e.value for e in at.error] == ["Pick the demands it answers, or say it answers no recorded demand"]
    assert (at.text_input[0].value, at.text_area[1].value) == ("Orphan idea", "Loyalty")
    at.checkbox[0].check()
    [propose] = [b for b in at.button if b.label == "Propose initiative"]
    propose.click().run()  # only the box ticked now: the rest of the draft is still there
    assert [(v.title, v.company_value) for v in list_shown_initiatives(db, room.code)] == [("Orphan idea", "Loyalty")]


def test_score_and_vote_rates_on_two_sliders_and_shows_progress(open_view, db):
    room = make_room(db, phase="value_exchange")
    item = make_initiative(db, room.tokens[1], "Live tracking")
    ws.set_phase(db, room.code, room.key, "score_vote")
    at = open_view("participant", p=room.tokens[0])
    assert "0 of 1 rated" in at.get("progress")[0].proto.text
    at.slider(key=f"participant_rate_{item.id}_customer_None").set_value(8).run()
    at.button(key=f"participant_rate_keep_{item.id}_company").click().run()
    assert get_my_ratings(db, room.tokens[0]).scores == {(item.id, "customer"): 8, (item.id, "company"): 5}
    assert "1 of 1 rated" in at.get("progress")[0].proto.text
    at.button(key=f"participant_vote_initiative_{item.id}").click().run()
    assert get_initiative_ballot(db, room.tokens[0]).used == 1


def test_review_shows_the_matrix_to_participants(open_view, db):
    room = make_room(db, phase="value_exchange")
    make_initiative(db, room.tokens[1], "Live tracking")
    ws.set_phase(db, room.code, room.key, "review")
    at = open_view("participant", p=room.tokens[0])
    assert any(spec["data"] for spec in plotly_specs(at))


def test_an_open_self_check_appears_whatever_the_phase_and_records_levels(open_view, db):
    from planning.selfcheck import get_my_selfcheck, open_selfcheck

    room = make_room(db, phase="lobby")
    open_selfcheck(db, room.code, room.key)
    at = open_view("participant", p=room.tokens[0])
    assert "Customer-alignment self-check" in [h.value for h in at.subheader]
    at.radio(key="participant_selfcheck_1_marketing_None").set_value("prompt").run()
    assert get_my_selfcheck(db, room.tokens[0]).levels == {"marketing": "prompt"}
    assert "1 of 6 areas rated" in texts(at)


def test_the_plan_phase_shows_the_timeline_and_process_maps(open_view, db):
    from planning.initiatives import choose_initiative
    from planning.plan.actions import add_action
    from planning.plan.process import add_step

    room = make_room(db, phase="value_exchange")
    item = make_initiative(db, room.tokens[1], "Live tracking")
    choose_initiative(db, room.code, room.key, item.id)
    add_action(db, room.code, room.key, item.id, "Pilot <b>now</b>", "Dagny", "2020-01-01")
    add_step(db, room.code, room.key, item.id, "Sales", "Re-keys the booking", "", "none")
    ws.set_phase(db, room.code, room.key, "plan")
    at = open_view("participant", p=room.tokens[0])
    assert len(plotly_specs(at)) == 2
    assert any("overdue" in w.value for w in at.warning)
    assert "Sales: Re-keys the booking" in texts(at).replace("1. ", "")


def test_a_busy_database_shows_retrying_and_the_demand_still_lands(open_view, db, monkeypatch):
    import ui.demands
    from planning.db import busy_error

    room = make_room(db)
    real, calls = ui.demands.add_demand, []

    def busy_twice(*args, **kwargs):
        calls.append(1)
        if len(calls) < 3:
            raise busy_error("INSERT")  # SQLite's busy, with its error code
        return real(*args, **kwargs)

    monkeypatch.setattr(ui.demands, "add_demand", busy_twice)
    at = _add(open_view("participant", p=room.tokens[0]), "Landed after two busy tries")
    assert [t.proto.body for t in at.toast] == ["The database is busy: retrying…"] * 2
    assert [d.text for d in dm.list_shown_demands(db, room.code)] == ["Landed after two busy tries"]


def test_a_database_busy_for_too_long_says_so_and_keeps_the_draft(open_view, db, monkeypatch):
    import ui.demands
    from planning.db import busy_error

    def always_busy(*args, **kwargs):
        raise busy_error("INSERT")  # SQLite's busy, with its error code

    room = make_room(db)
    monkeypatch.setattr(ui.demands, "add_demand", always_busy)
    at = _add(open_view("participant", p=room.tokens[0]), "Kept as a draft")
    assert any("busy right now and nothing was saved" in e.value for e in at.error)
    assert at.text_area(key="participant_new_demand").value == "Kept as a draft"


def test_own_demands_come_first_newest_first_and_the_room_is_drawn_a_page_at_a_time(open_view, db):
    room = make_room(db)
    ws.set_item_limits(db, room.code, room.key, per_person=50, per_minute=30)  # 25 in a second: no person
    for i in range(25):
        dm.add_demand(db, room.tokens[1], f"Other demand {i:02d}")
    dm.add_demand(db, room.tokens[0], "My older demand")
    dm.add_demand(db, room.tokens[0], "My newer demand")
    at = open_view("participant", p=room.tokens[0])
    page = html_of(at)
    headings = [h.value for h in at.subheader]
    assert "Your demands (2)" in headings and "The room's demands (25)" in headings
    assert page.index("My newer demand") < page.index("My older demand") < page.index("Other demand 00")
    assert page.count("Other demand") == 10  # the first page; a timed rerun draws no more than that
    at.selectbox(key="participant_demand_page").set_value(2).run()
    assert [f"Other demand {i}" in html_of(at) for i in (19, 20, 24)] == [False, True, True]
