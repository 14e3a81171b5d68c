import pytest
import streamlit as st

import ui
from planning import demands as dm
from planning import workshops as ws
from planning.initiatives import list_shown_initiatives
from planning.ratings import get_my_ratings
from planning.votes import get_ballot, get_initiative_ballot
from tests.factories import make_initiative, make_room
from tests.views.conftest import (
    buttons_of,
    card_text,
    cards_of,
    html_of,
    listener,
    plotly_specs,
    press,
    room_in,
    texts,
    trigger,
    whole_page,
)

HOSTILE = "<script>alert(1)</script> **bold** :red[x] $x^2$ ![](http://x/p.png)"


def _add(at, text):
    at.text_area(key="participant_new_demand").input(text)
    [add] = [b for b in at.button if b.label == "Add demand"]
    add.click().run()
    return at


def _notes(at) -> list[str]:
    return [e.value for e in (*at.error, *at.success)]


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


def test_adding_a_demand_shows_it_empties_the_form_and_a_refresh_brings_the_person_back(open_view, db):
    room = make_room(db)
    at = _add(open_view("participant", p=room.tokens[0]), "Tell me early when it is late")
    assert _notes(at) == ["Demand added."]
    assert not at.get("form")[0].proto.form.clear_on_submit  # emptied once stored, so a refusal keeps the draft
    assert at.text_area(key="participant_new_demand").value == ""
    assert [c["text"] for c in cards_of(at, "participant_my_demands")] == ["Tell me early when it is late"]
    again = open_view("participant", p=room.tokens[0])  # a new session with the same link
    assert "You take part as Person 0" in html_of(again)
    assert "Tell me early when it is late" in card_text(again, "participant_my_demands")


def test_a_stored_demand_empties_its_box_even_when_the_run_after_it_stops_before_the_form(open_view, db,
                                                                                          monkeypatch):
    """The load harness at 50 saw a stored demand left in its box: the run that emptied it was stopped by a live
    rerun before it drew the form, and a value set from code reaches the browser only with the run that set it.
    The emptying is now set again until a run has drawn the form."""
    room = make_room(db)
    at = open_view("participant", p=room.tokens[0])
    form = st.form

    def stopped(*args, **kwargs):  # the run after the press ends before the form, as a live rerun would stop it
        monkeypatch.setattr(st, "form", form)
        st.stop()

    monkeypatch.setattr(st, "form", stopped)
    at.text_area(key="participant_new_demand").input("Tell me early when it is late")
    [add] = [b for b in at.button if b.label == "Add demand"]
    add.click().run()
    assert [d.text for d in dm.list_shown_demands(db, room.code)] == ["Tell me early when it is late"]
    assert not at.text_area  # that run drew no form
    at.run()
    box = at.text_area(key="participant_new_demand")
    assert box.proto.set_value and box.value == ""  # the browser is told to empty it, whatever it still shows
    at.run()
    assert not at.text_area(key="participant_new_demand").proto.set_value  # and only until it was drawn


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
    assert [c["text"] for c in cards_of(at)] == [HOSTILE]  # drawn with textContent: never parsed
    assert "<script>" not in html_of(at)
    assert all(HOSTILE not in m.value for m in at.markdown)


def test_the_voice_coach_suggests_and_applies_a_customer_voice_rewording(open_view, db):
    room = make_room(db)
    at = _add(open_view("participant", p=room.tokens[0]), "We should call our customers when we are late")
    assert "Voice coach" in texts(at)
    assert "I need you to call me when you are late" in [t.value for t in at.text]
    at.button(key="participant_use_rephrasing").click().run()
    assert [d.text for d in dm.list_shown_demands(db, room.code)] == ["I need you to call me when you are late"]


def test_the_voice_coach_offers_no_rewording_of_a_company_goal(open_view, db):
    room = make_room(db)
    at = _add(open_view("participant", p=room.tokens[0]), "We should upsell our premium cold-chain tracking to them.")
    assert "Upselling is the company's goal" in texts(at)
    assert not [b for b in at.button if b.key == "participant_use_rephrasing"] and not at.text


def test_votes_go_up_and_down_and_stop_at_the_budget(open_view, db):
    room = make_room(db, budget=2, cap=2)
    d = dm.add_demand(db, room.tokens[1], "Saturday pickups")
    at = open_view("participant", p=room.tokens[0])
    assert "Votes left: 2 of 2" in texts(at)
    press(at, "participant_room_demands", d.id, "vote")
    press(at, "participant_room_demands", d.id, "vote")
    assert "Votes left: 0 of 2" in texts(at)
    plus = buttons_of(at, "participant_room_demands", d.id)["vote"]
    assert plus["disabled"] and plus["hint"] == "No votes left: take one back to move it"
    assert "All your votes are placed" in texts(at)
    press(at, "participant_room_demands", d.id, "unvote")
    assert get_ballot(db, room.tokens[0]).used == 1


def test_a_press_delivered_twice_counts_once_and_the_next_press_counts(open_view, db):
    room = make_room(db, budget=3, cap=3)
    d = dm.add_demand(db, room.tokens[1], "Saturday pickups")
    at = open_view("participant", p=room.tokens[0])
    press(at, "participant_room_demands", d.id, "vote", moment=1_700_000_000_000)
    press(at, "participant_room_demands", d.id, "vote", moment=1_700_000_000_000)  # the same press, resent
    assert get_ballot(db, room.tokens[0]).used == 1 and "Votes left: 2 of 3" in texts(at)
    press(at, "participant_room_demands", d.id, "vote", moment=1_700_000_000_900)  # a second press
    assert get_ballot(db, room.tokens[0]).used == 2 and "Votes left: 1 of 3" in texts(at)


def test_the_card_and_the_button_show_the_votes_and_the_order_holds_still(open_view, db):
    room = make_room(db)
    d = dm.add_demand(db, room.tokens[1], "Saturday pickups")
    other = dm.add_demand(db, room.tokens[2], "Night deliveries")
    at = open_view("participant", p=room.tokens[0])
    press(at, "participant_room_demands", other.id, "vote")
    press(at, "participant_room_demands", other.id, "vote")
    assert buttons_of(at, "participant_room_demands", other.id)["vote"]["label"] == "+1 · 2 mine"
    [card] = [c for c in cards_of(at, "participant_room_demands") if c["id"] == other.id]
    assert card["meta"] == "Person 2 · 2 votes"
    assert [c["id"] for c in cards_of(at, "participant_room_demands")] == [d.id, other.id]  # no jump under a finger
    assert buttons_of(at, "participant_room_demands", d.id)["unvote"]["disabled"]  # nothing to take back
    assert [(v.id, v.votes) for v in dm.list_shown_demands(db, room.code)] == [(other.id, 2), (d.id, 0)]


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


def test_ones_own_initiative_is_withdrawn_after_a_second_press(open_view, db):
    room = make_room(db, phase="value_exchange")
    mine = make_initiative(db, room.tokens[0], "Live tracking")
    at = open_view("participant", p=room.tokens[0])
    press(at, "participant_initiative_cards", mine.id, "ask")
    assert set(buttons_of(at, "participant_initiative_cards", mine.id)) == {"withdraw", "keep"}
    press(at, "participant_initiative_cards", mine.id, "withdraw")
    assert list_shown_initiatives(db, room.code) == [] and "Initiative withdrawn." in _notes(at)


def test_own_demands_are_changed_and_deleted_in_the_form(open_view, db):
    room = make_room(db)
    mine = dm.add_demand(db, room.tokens[0], "Typo demnd")
    at = open_view("participant", p=room.tokens[0])
    press(at, "participant_my_demands", mine.id, "edit")
    assert at.text_area(key="participant_new_demand").value == "Typo demnd"
    at.text_area(key="participant_new_demand").input("Fixed demand")
    [b for b in at.button if b.label == "Save the change"][0].click().run()
    assert [d.text for d in dm.list_shown_demands(db, room.code)] == ["Fixed demand"]
    assert at.text_area(key="participant_new_demand").value == ""
    press(at, "participant_my_demands", mine.id, "edit")
    [b for b in at.button if b.label == "Delete it"][0].click().run()
    assert dm.list_shown_demands(db, room.code) == [] and "Demand deleted." in _notes(at)


def test_an_empty_edit_of_ones_own_demand_is_refused_and_changes_nothing(open_view, db):
    room = make_room(db)
    mine = dm.add_demand(db, room.tokens[0], "Keep me")
    at = open_view("participant", p=room.tokens[0])
    press(at, "participant_my_demands", mine.id, "edit")
    at.text_area(key="participant_new_demand").input("   ")
    [b for b in at.button if b.label == "Save the change"][0].click().run()
    assert [e.value for e in at.error] == ["A demand cannot be empty"]
    assert [d.text for d in dm.list_shown_demands(db, room.code)] == ["Keep me"]


def test_a_locked_workshop_is_read_only(open_view, db):
    room = make_room(db)
    dm.add_demand(db, room.tokens[1], "Already here")
    ws.lock_workshop(db, room.code, room.key)
    at = open_view("participant", p=room.tokens[0])
    assert "locked" in at.warning[0].value
    assert not at.text_area and "Already here" in card_text(at)
    assert not [b for c in cards_of(at) for b in c["buttons"]]


def test_private_mode_shows_only_ones_own_demands(open_view, db):
    room = make_room(db)
    ws.set_private_until_reveal(db, room.code, room.key, True)
    dm.add_demand(db, room.tokens[0], "Mine")
    dm.add_demand(db, room.tokens[1], "Theirs")
    at = open_view("participant", p=room.tokens[0])
    assert "Mine" in card_text(at) and "Theirs" not in whole_page(at)
    assert not [b for c in cards_of(at) for b in c["buttons"] if b["action"] == "vote"]


def test_privacy_redraws_the_lists_in_place_and_the_whole_page_only_where_the_proposal_form_offers_demands(db):
    room = make_room(db)
    for phase, whole in [("inner_customer", False), ("score_vote", False), ("value_exchange", True)]:
        ws.set_phase(db, room.code, room.key, phase)
        before = ui.settings_of(ws.get_workshop(db, room.code))
        ws.set_private_until_reveal(db, room.code, room.key, True)
        assert (ui.settings_of(ws.get_workshop(db, room.code)) != before) is whole, phase
        ws.set_private_until_reveal(db, room.code, room.key, False)


def test_privacy_turned_on_in_value_exchange_takes_others_demands_out_of_the_proposal_form(open_view, db):
    room = make_room(db)
    dm.add_demand(db, room.tokens[0], "Mine to answer")
    dm.add_demand(db, room.tokens[1], "Theirs to keep")
    ws.set_phase(db, room.code, room.key, "value_exchange")
    at = open_view("participant", p=room.tokens[0])
    assert {c["text"] for c in cards_of(at, "participant_pick")} == {"Mine to answer", "Theirs to keep"}
    ws.set_private_until_reveal(db, room.code, room.key, True)
    at.run()
    assert [c["text"] for c in cards_of(at, "participant_pick")] == ["Mine to answer"]
    assert "Theirs to keep" not in whole_page(at)


def test_anonymity_keeps_other_authors_off_a_participants_page(open_view, db):
    room = make_room(db)
    dm.add_demand(db, room.tokens[1], "Theirs")
    ws.set_anonymous(db, room.code, room.key, True)
    at = open_view("participant", p=room.tokens[0])
    assert "Theirs" in card_text(at) and "Person 1" not in whole_page(at)


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
    at = open_view("participant", p=room.tokens[0])
    body = html_of(at)
    assert "<b>" not in body and "<i>" not in body
    assert all("<b>Warn</b>" in c["text"] or "<i>Track</i>" in c["title"] for c in cards_of(at))  # as typed
    if strict:
        assert "Person 1" not in whole_page(at)


def test_value_exchange_proposes_an_initiative_picked_by_tapping_a_demand_and_coaches_it(open_view, db):
    room = make_room(db)
    d = dm.add_demand(db, room.tokens[1], "Warn me early")
    ws.set_phase(db, room.code, room.key, "value_exchange")
    at = open_view("participant", p=room.tokens[0])
    at.text_input(key="participant_title").input("Live tracking")
    at.text_area(key="participant_company").input("Fewer calls")
    press(at, "participant_pick", d.id, "pick")
    assert buttons_of(at, "participant_pick", d.id)["pick"]["label"] == "Picked: tap to remove"
    at.button(key="participant_submit").click().run()
    assert "Initiative proposed." in _notes(at)
    assert any("what the customer gets" in i.value for i in at.info)
    [card] = cards_of(at, "participant_initiative_cards")
    assert card["title"] == "Live tracking" and card["bullets"] == ["Warn me early"] and card["mine"]
    assert at.text_input(key="participant_title").value == ""  # emptied: pressing again proposes nothing twice
    at.button(key="participant_submit").click().run()
    assert [e.value for e in at.error] == ["The title cannot be empty"]
    assert [v.title for v in list_shown_initiatives(db, room.code)] == ["Live tracking"]


def test_the_demand_picker_finds_demands_by_a_word_and_shows_their_whole_text(open_view, db):
    room = make_room(db)
    ws.set_item_limits(db, room.code, room.key, per_person=50, per_minute=30)
    for i in range(12):
        dm.add_demand(db, room.tokens[1], f"Demand number {i} with a long text that must never be cut mid-word")
    dm.add_demand(db, room.tokens[2], "Pallets tracked door to door")
    ws.set_phase(db, room.code, room.key, "value_exchange")
    at = open_view("participant", p=room.tokens[0])
    assert len(cards_of(at, "participant_pick")) == 6
    assert "7 more match" in texts(at)
    at.text_input(key="participant_demand_search").input("pallets").run()
    assert [c["text"] for c in cards_of(at, "participant_pick")] == ["Pallets tracked door to door"]


def test_ones_own_initiative_is_changed_in_the_proposal_form(open_view, db):
    room = make_room(db, phase="value_exchange")
    mine = make_initiative(db, room.tokens[0], "Live trackng")
    at = open_view("participant", p=room.tokens[0])
    press(at, "participant_initiative_cards", mine.id, "change")
    assert at.text_input(key="participant_title").value == "Live trackng"
    at.text_input(key="participant_title").input("Live tracking")
    at.button(key="participant_submit").click().run()
    assert [v.title for v in list_shown_initiatives(db, room.code)] == ["Live tracking"]
    assert "Initiative changed." in _notes(at)


def test_value_exchange_refuses_an_initiative_without_demands_or_the_none_box_and_keeps_the_draft(open_view, db):
    room = make_room(db, phase="value_exchange")
    at = open_view("participant", p=room.tokens[0])
    at.text_input(key="participant_title").input("Orphan idea")
    at.text_area(key="participant_company").input("Loyalty")
    at.button(key="participant_submit").click().run()
    assert [e.value for e in at.error] == ["Pick the demands it answers, or say it answers no recorded demand"]
    assert (at.text_input(key="participant_title").value, at.text_area(key="participant_company").value) == (
        "Orphan idea", "Loyalty")
    at.checkbox(key="participant_none").check()
    at.button(key="participant_submit").click().run()  # only the box ticked now: the rest of the draft is there
    assert [(v.title, v.company_value) for v in list_shown_initiatives(db, room.code)] == [("Orphan idea", "Loyalty")]


def test_score_and_vote_rates_on_two_sliders_says_done_and_votes(open_view, db):
    room = make_room(db, phase="value_exchange")
    item = make_initiative(db, room.tokens[1], "Live tracking")
    ws.set_phase(db, room.code, room.key, "score_vote")
    at = open_view("participant", p=room.tokens[0])
    assert "0 of 1 rated" in at.get("progress")[0].proto.text
    at.slider(key=f"participant_rate_{item.id}_customer").set_value(8).run()
    at.button(key=f"participant_keep_{item.id}_company").click().run()
    assert get_my_ratings(db, room.tokens[0]).scores == {(item.id, "customer"): 8, (item.id, "company"): 5}
    assert "1 of 1 rated" in at.get("progress")[0].proto.text
    assert any(s.value.startswith("Done — you have rated all 1") for s in at.success)
    at.slider(key=f"participant_rate_{item.id}_customer").set_value(9).run()  # the same key all phase long
    assert get_my_ratings(db, room.tokens[0]).scores[(item.id, "customer")] == 9
    at.button(key=f"participant_vote_initiative_{item.id}").click().run()
    assert get_initiative_ballot(db, room.tokens[0]).used == 1


def test_a_slider_drawn_without_its_set_value_still_shows_what_is_stored(open_view, db):
    """A browser shows a slider's default when the run that set its value never drew it (stopped by a live rerun):
    that default must be the stored rating, or 5, since the browser sends it back with its next press. With 0 there,
    a load run stored 0 on every axis a phone showed (tests/e2e/test_room_bugs.py)."""
    room = make_room(db, phase="value_exchange")
    item = make_initiative(db, room.tokens[1], "Live tracking")
    ws.set_phase(db, room.code, room.key, "score_vote")
    at = open_view("participant", p=room.tokens[0])
    at.slider(key=f"participant_rate_{item.id}_customer").set_value(8).run()
    at.run()  # a run that sets nothing: the browser has only each slider's default to go by
    for axis, shown in (("customer", 8), ("company", 5)):
        proto = at.slider(key=f"participant_rate_{item.id}_{axis}").proto
        assert not proto.set_value and list(proto.default) == [shown]


def test_a_refused_rating_puts_the_slider_back(open_view, db):
    room = make_room(db, phase="value_exchange")
    item = make_initiative(db, room.tokens[1], "Live tracking")
    ws.set_phase(db, room.code, room.key, "score_vote")
    at = open_view("participant", p=room.tokens[0])
    ws.lock_workshop(db, room.code, room.key)  # locked after the page was drawn
    at.slider(key=f"participant_rate_{item.id}_customer").set_value(2).run()
    assert any("locked" in e.value for e in at.error)
    assert get_my_ratings(db, room.tokens[0]).scores == {}


def test_review_shows_the_matrix_to_participants(open_view, db):
    room = make_room(db, phase="value_exchange")
    make_initiative(db, room.tokens[1], "Live tracking")
    ws.set_phase(db, room.code, room.key, "review")
    at = open_view("participant", p=room.tokens[0])
    assert any(spec["data"] for spec in plotly_specs(at))


def test_an_open_self_check_is_a_tab_whatever_the_phase_and_records_levels(open_view, db):
    from planning.selfcheck import get_my_selfcheck, open_selfcheck

    room = make_room(db, phase="lobby")
    open_selfcheck(db, room.code, room.key)
    at = open_view("participant", p=room.tokens[0])
    assert [t.label for t in at.tabs] == ["Lobby", "Self-check"]
    at.radio(key="participant_selfcheck_1_marketing").set_value("prompt").run()
    assert get_my_selfcheck(db, room.tokens[0]).levels == {"marketing": "prompt"}
    assert "1 of 6 areas rated" in texts(at)


def test_a_locked_self_check_cannot_be_clicked(open_view, db):
    from planning.selfcheck import open_selfcheck

    room = make_room(db)
    open_selfcheck(db, room.code, room.key)
    ws.lock_workshop(db, room.code, room.key)
    at = open_view("participant", p=room.tokens[0])
    assert all(r.disabled for r in at.radio) and len(at.radio) == 6


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


def test_a_busy_database_is_retried_and_the_demand_still_lands(open_view, db, monkeypatch):
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
    assert len(calls) == 3 and _notes(at) == ["Demand added."]
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
    headings = [h.value for h in at.subheader]
    assert "Your demands (2)" in headings and "The room's demands (25)" in headings
    assert [c["text"] for c in cards_of(at, "participant_my_demands")] == ["My newer demand", "My older demand"]
    assert len(cards_of(at, "participant_room_demands")) == 8  # a page: a redraw draws no more than that
    at.selectbox(key="participant_demand_page").set_value(3).run()
    assert [c["text"] for c in cards_of(at, "participant_room_demands")] == ["Other demand 24"]


def test_a_phase_change_reruns_the_whole_page_from_its_own_listener_at_the_streams_counters(open_view, db):
    """The page's listener (drawn outside any fragment) follows the phase: its fire is a whole-page run, drawn at
    the counters the stream reported (the hub's copy), with no list run first asking for the page."""
    import time

    from ui.live import HUB

    room = make_room(db)
    at = open_view("participant", p=room.tokens[0])
    element, data = listener(at, "page")
    assert (data["field"], data["drawn"]) == ("phase", "inner_customer")
    assert listener(at, "participant_demands")[1]["field"] == "room"
    at.session_state["hp_notes"] = {"participant_add": ("error", "Said in the last phase", None)}
    ws.set_phase(db, room.code, room.key, "value_exchange")
    deadline = time.monotonic() + 5
    while HUB.seen(room.code).phase != "value_exchange" and time.monotonic() < deadline:
        time.sleep(0.05)  # the hub reads the counters every 0.2 s; the stream tells pages only then
    at = trigger(at, element, "changed", {})
    assert "Value exchange" in html_of(at)
    assert listener(at, "page")[1]["drawn"] == "value_exchange"
    assert at.session_state["hp_live_drawn_at"][2] == HUB.seen(room.code)  # its fragments listen past those counters
    assert at.session_state["hp_notes"] == {}  # what was said about the last phase no longer applies
