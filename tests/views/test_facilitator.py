import pytest

from planning import demands as dm
from planning import initiatives as im
from planning import roster
from planning import workshops as ws
from tests.factories import make_initiative, make_room
from tests.views.conftest import buttons_of, card_text, cards_of, html_of, listener, press, room_in, texts, trigger


def _notes(at) -> list[str]:
    return [e.value for e in (*at.error, *at.success)]


@pytest.mark.parametrize("who", ["wrong key", "participant token"])
def test_a_wrong_key_gets_a_refusal_and_no_controls(open_view, db, who):
    room = make_room(db)
    at = open_view("facilitator", code=room.code, key="nope" if who == "wrong key" else room.tokens[0])
    assert [e.value for e in at.error] == ["This facilitator link is not valid for this workshop"]
    assert not [b for b in at.button if b.key and b.key.startswith("facilitator_")]


def test_phase_buttons_move_the_room_and_the_timer_can_be_kept(open_view, db):
    room = make_room(db, phase="lobby")
    at = open_view("facilitator", code=room.code, key=room.key)
    at.button(key="facilitator_phase_inner_customer").click().run()
    assert ws.get_workshop(db, room.code).phase == "inner_customer"
    at.button(key="facilitator_timer_start").click().run()
    at.checkbox(key="facilitator_keep_timer").check().run()
    at.button(key="facilitator_phase_value_exchange").click().run()
    assert ws.get_workshop(db, room.code).phase == "value_exchange"
    assert ws.get_workshop(db, room.code).timer_ends_at is not None
    at.checkbox(key="facilitator_keep_timer").uncheck().run()
    at.button(key="facilitator_phase_lobby").click().run()
    assert ws.get_workshop(db, room.code).timer_ends_at is None


def test_timer_starts_and_stops(open_view, db):
    room = make_room(db)
    at = open_view("facilitator", code=room.code, key=room.key)
    at.number_input(key="facilitator_minutes").set_value(2.0)
    at.button(key="facilitator_timer_start").click().run()
    assert 110 < ws.get_workshop(db, room.code).seconds_left() <= 120
    at.button(key="facilitator_timer_stop").click().run()
    assert ws.get_workshop(db, room.code).timer_ends_at is None


def test_switches_take_the_first_click_whatever_the_room_did_meanwhile(open_view, db):
    room = make_room(db)
    at = open_view("facilitator", code=room.code, key=room.key)
    dm.add_demand(db, room.tokens[0], "The room changes between the drawing and the click")
    at.toggle(key="facilitator_anonymous").set_value(True).run()
    assert ws.get_workshop(db, room.code).anonymous and at.toggle(key="facilitator_anonymous").value
    dm.add_demand(db, room.tokens[1], "And again")
    at.toggle(key="facilitator_private").set_value(True).run()
    assert ws.get_workshop(db, room.code).items_private
    at.button(key="facilitator_reveal").click().run()
    assert not ws.get_workshop(db, room.code).items_private


def test_a_switch_follows_a_change_made_in_another_tab(open_view, db):
    room = make_room(db)
    at = open_view("facilitator", code=room.code, key=room.key)
    ws.set_anonymous(db, room.code, room.key, True)  # another tab
    at.run()
    assert at.toggle(key="facilitator_anonymous").value


def test_settings_drawn_without_their_set_value_still_show_what_is_stored(open_view, db):
    """As a rating slider (tests/views/test_participant.py): the default a browser falls back to is the stored
    setting, so a click elsewhere never sends back a switch flipped to its off default."""
    room = make_room(db)
    ws.set_anonymous(db, room.code, room.key, True)
    ws.set_vote_budget(db, room.code, room.key, 7, 3)
    at = open_view("facilitator", code=room.code, key=room.key)
    at.run()  # a run that sets nothing
    anonymous = at.toggle(key="facilitator_anonymous").proto
    assert not anonymous.set_value and anonymous.default is True
    assert [at.number_input(key=f"facilitator_{name}").proto.default for name in ("budget", "cap")] == [7, 3]


def test_a_refused_setting_change_says_why_and_leaves_no_flipped_switch(open_view, db):
    room = make_room(db)
    ws.lock_workshop(db, room.code, room.key)
    at = open_view("facilitator", code=room.code, key=room.key)
    at.toggle(key="facilitator_anonymous").set_value(True).run()
    assert _notes(at) == ["The workshop is locked: it can be read but not changed"]
    assert not ws.get_workshop(db, room.code).anonymous and not at.toggle(key="facilitator_anonymous").value
    at.number_input(key="facilitator_minutes").set_value(3.0).run()  # a later rerun: the reason stays
    assert _notes(at) == ["The workshop is locked: it can be read but not changed"]
    assert not at.toggle(key="facilitator_anonymous").value


def test_vote_budget_form_saves_and_refuses_a_cap_above_the_budget(open_view, db):
    room = make_room(db)
    at = open_view("facilitator", code=room.code, key=room.key)
    at.number_input(key="facilitator_budget").set_value(3)
    at.number_input(key="facilitator_cap").set_value(4)
    [b for b in at.button if b.label == "Save votes"][0].click().run()
    assert "The cap per item must be between 1 and the vote budget" in _notes(at)
    at.number_input(key="facilitator_cap").set_value(2)
    [b for b in at.button if b.label == "Save votes"][0].click().run()
    assert (ws.get_workshop(db, room.code).vote_budget, ws.get_workshop(db, room.code).vote_cap) == (3, 2)


def test_item_limits_are_set_from_the_console(open_view, db):
    room = make_room(db)
    at = open_view("facilitator", code=room.code, key=room.key)
    at.number_input(key="facilitator_per_person").set_value(7)
    at.number_input(key="facilitator_per_minute").set_value(2)
    [b for b in at.button if b.label == "Save limits"][0].click().run()
    w = ws.get_workshop(db, room.code)
    assert (w.items_per_person, w.items_per_minute) == (7, 2)


def test_lock_and_unlock(open_view, db):
    room = make_room(db)
    at = open_view("facilitator", code=room.code, key=room.key)
    at.button(key="facilitator_lock").click().run()
    assert ws.get_workshop(db, room.code).locked
    at.button(key="facilitator_lock").click().run()
    assert not ws.get_workshop(db, room.code).locked


def test_moderation_hides_merges_by_search_and_undoes(open_view, db):
    room = make_room(db)
    keep = dm.add_demand(db, room.tokens[0], "Warn me early")
    dup = dm.add_demand(db, room.tokens[1], "Tell me about delays")
    at = open_view("facilitator", code=room.code, key=room.key)
    press(at, "facilitator_demand_cards", dup.id, "hide")
    assert [d.id for d in dm.list_shown_demands(db, room.code)] == [keep.id]
    press(at, "facilitator_demand_cards", dup.id, "show")
    press(at, "facilitator_demand_cards", dup.id, "merge")
    at.text_input(key="facilitator_merge_find_demand").input("warn").run()
    assert [c["id"] for c in cards_of(at, "facilitator_merge_targets_demand")] == [keep.id]
    press(at, "facilitator_merge_targets_demand", keep.id, "into")
    assert dm.list_shown_demands(db, room.code)[0].merged == (dup.id,)
    assert f"Merged #{dup.id} into #{keep.id}." in _notes(at)
    press(at, "facilitator_demand_cards", dup.id, "unmerge")
    assert len(dm.list_shown_demands(db, room.code)) == 2


def test_the_demand_list_is_found_by_search_and_drawn_a_page_at_a_time(open_view, db):
    room = make_room(db)
    ws.set_item_limits(db, room.code, room.key, per_person=100, per_minute=100)
    for i in range(45):
        dm.add_demand(db, room.tokens[i % 3], f"Demand {i:02d}")
    at = open_view("facilitator", code=room.code, key=room.key)
    assert len(cards_of(at, "facilitator_demand_cards")) == 20
    at.text_input(key="facilitator_find_demand").input("demand 4").run()
    assert sorted(c["text"] for c in cards_of(at, "facilitator_demand_cards")) == [f"Demand {i}" for i in range(40, 45)]
    at.text_input(key="facilitator_find_demand").input("#7").run()
    assert [c["id"] for c in cards_of(at, "facilitator_demand_cards")] == [7]


def test_facilitator_edits_a_demand_and_sees_hostile_text_literally(open_view, db):
    room = make_room(db)
    d = dm.add_demand(db, room.tokens[0], "<img src=x onerror=alert(1)> :red[x]")
    at = open_view("facilitator", code=room.code, key=room.key)
    assert [c["text"] for c in cards_of(at, "facilitator_demand_cards")] == ["<img src=x onerror=alert(1)> :red[x]"]
    press(at, "facilitator_demand_cards", d.id, "edit")
    at.text_area(key=f"facilitator_edit_text_{d.id}").input("Tidied")
    [b for b in at.button if b.label == "Save"][0].click().run()
    assert dm.list_shown_demands(db, room.code)[0].text == "Tidied"
    assert f"Demand #{d.id} rewritten." in _notes(at)


def test_initiatives_tab_hides_an_initiative_and_scoring_shows_progress(open_view, db):
    room = make_room(db)
    for token in room.tokens[1:]:  # progress counts those who took part
        dm.add_demand(db, token, "Warn me early")
    ws.set_phase(db, room.code, room.key, "value_exchange")
    item = make_initiative(db, room.tokens[0], "Live tracking")
    ws.set_phase(db, room.code, room.key, "score_vote")
    at = open_view("facilitator", code=room.code, key=room.key)
    assert "0 of 3 have rated all 1 initiatives" in at.get("progress")[0].proto.text
    press(at, "facilitator_initiative_cards", item.id, "hide")
    assert im.list_shown_initiatives(db, room.code) == []
    at.button(key="facilitator_results").click().run()
    assert ws.get_workshop(db, room.code).results_revealed


def test_the_console_offers_every_export(open_view, db):
    room = make_room(db)
    at = open_view("facilitator", code=room.code, key=room.key)
    labels = [b.proto.label for b in at.get("download_button")]
    assert {"Summary (HTML)", "Summary (PDF)", "Summary (Markdown)", "Data (Excel)", "Data (CSV, zip)",
            "Backup (JSON)"} <= set(labels)


def test_the_console_opens_the_self_check_puts_it_on_the_wall_and_chooses_initiatives(open_view, db):
    room = make_room(db, phase="value_exchange")
    item = make_initiative(db, room.tokens[0], "Live tracking")
    at = open_view("facilitator", code=room.code, key=room.key)
    at.button(key="facilitator_selfcheck_open").click().run()
    assert ws.get_workshop(db, room.code).selfcheck_run == 1
    at.toggle(key="facilitator_wall_selfcheck").set_value(True).run()
    assert ws.get_workshop(db, room.code).wall_selfcheck
    at.button(key="facilitator_selfcheck_close").click().run()
    assert ws.get_workshop(db, room.code).selfcheck_run is None
    press(at, "facilitator_initiative_cards", item.id, "choose")
    assert [i.chosen for i in im.list_shown_initiatives(db, room.code)] == [True]


def test_the_reveal_steps_through_initiatives_on_the_wall(open_view, db):
    from planning.ratings import rate_initiative

    room = make_room(db, phase="value_exchange")
    items = [make_initiative(db, room.tokens[0], title) for title in ("Live tracking", "Call ahead")]
    ws.set_phase(db, room.code, room.key, "score_vote")
    for item in items:
        for axis in ("customer", "company"):
            rate_initiative(db, room.tokens[1], item.id, axis, 7)
    ws.set_phase(db, room.code, room.key, "review")
    at = open_view("facilitator", code=room.code, key=room.key)
    at.button(key="facilitator_spotlight_next").click().run()
    first = ws.get_workshop(db, room.code).spotlight_id
    assert first in {i.id for i in items} and "1 of 2" in texts(at)
    at.button(key="facilitator_spotlight_next").click().run()
    assert ws.get_workshop(db, room.code).spotlight_id not in (None, first)
    assert at.button(key="facilitator_spotlight_next").disabled
    at.button(key="facilitator_spotlight_previous").click().run()
    assert ws.get_workshop(db, room.code).spotlight_id == first
    at.button(key="facilitator_spotlight_all").click().run()
    assert ws.get_workshop(db, room.code).spotlight_id is None


def test_the_people_tab_renames_merges_and_removes(open_view, db):
    room = make_room(db)
    dm.add_demand(db, room.tokens[2], "From the duplicate")
    people = {p.name: p.id for p in roster.list_people(db, room.code, room.key)}
    at = open_view("facilitator", code=room.code, key=room.key)
    assert "3 joined · 1 took part" in texts(at)
    press(at, "facilitator_people_cards", people["Person 0"], "rename")
    at.text_input(key=f"facilitator_new_name_{people['Person 0']}").input("Priya")
    [b for b in at.button if b.label == "Rename"][0].click().run()
    assert "Priya" in card_text(at, "facilitator_people_cards")
    press(at, "facilitator_people_cards", people["Person 2"], "merge")
    at.text_input(key="facilitator_merge_person_find").input("pri").run()
    press(at, "facilitator_merge_person_targets", people["Person 0"], "into")
    assert [d.author for d in dm.list_shown_demands(db, room.code)] == ["Priya"]
    press(at, "facilitator_people_cards", people["Person 1"], "remove")
    assert "REMOVED" in card_text(at, "facilitator_people_cards")
    assert set(buttons_of(at, "facilitator_people_cards", people["Person 1"])) == {"takeback", "rename"}


@pytest.mark.parametrize("phase", ["lobby", "inner_customer", "value_exchange", "score_vote", "review", "plan",
                                   "closed"])
@pytest.mark.parametrize("strict", [False, True], ids=["open", "anonymous-private-locked"])
def test_every_phase_renders_and_keeps_user_text_literal(open_view, db, phase, strict):
    room = room_in(db, phase, anonymous=strict, private=strict, locked=strict)
    at = open_view("facilitator", code=room.code, key=room.key)
    assert "<b>Warn</b> me :red[early]" in card_text(at, "facilitator_demand_cards")
    assert "<b>" not in html_of(at)
    authors = card_text(at, "facilitator_demand_cards") + card_text(at, "facilitator_initiative_cards")
    assert ("Person 1" in authors) is not strict  # the console names authors unless the room is anonymous


def test_a_phase_change_made_elsewhere_redraws_the_console_once_from_its_page_listener(open_view, db):
    """The console's own listener (outside its fragments) follows the phase: one whole-page run, instead of each of
    its live fragments firing in turn."""
    room = make_room(db)
    at = open_view("facilitator", code=room.code, key=room.key)
    element, data = listener(at, "page")
    assert (data["field"], data["drawn"]) == ("phase", "inner_customer")
    ws.set_phase(db, room.code, room.key, "value_exchange")  # another tab moved the room
    at = trigger(at, element, "changed", {})
    assert " · Value exchange · 0 initiatives" in html_of(at)  # the status line
    assert listener(at, "page")[1]["drawn"] == "value_exchange"
    assert "hp_live_heard_page" not in at.session_state  # the fire was heard and is spent
