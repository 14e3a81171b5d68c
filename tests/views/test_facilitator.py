import pytest

from planning import demands as dm
from planning import initiatives as im
from planning import workshops as ws
from tests.factories import make_initiative, make_room
from tests.views.conftest import html_of, room_in


@pytest.mark.parametrize("who", ["wrong key", "participant token"])
def test_a_wrong_key_gets_a_refusal_and_no_controls(open_view, db, who):
    room = make_room(db)
    at = open_view("facilitator", code=room.code, key="nope" if who == "wrong key" else room.tokens[0])
    assert [e.value for e in at.error] == ["This facilitator link is not valid for this workshop"]
    assert not [b for b in at.button if b.key and b.key.startswith("facilitator_")]


def test_phase_buttons_move_the_room(open_view, db):
    room = make_room(db, phase="lobby")
    at = open_view("facilitator", code=room.code, key=room.key)
    at.button(key="facilitator_phase_inner_customer").click().run()
    assert ws.get_workshop(db, room.code).phase == "inner_customer"
    at.button(key="facilitator_phase_lobby").click().run()
    assert ws.get_workshop(db, room.code).phase == "lobby"


def test_timer_starts_and_stops(open_view, db):
    room = make_room(db)
    at = open_view("facilitator", code=room.code, key=room.key)
    at.number_input(key="facilitator_minutes").set_value(2.0)
    at.button(key="facilitator_timer_start").click().run()
    assert 110 < ws.get_workshop(db, room.code).seconds_left() <= 120
    at.button(key="facilitator_timer_stop").click().run()
    assert ws.get_workshop(db, room.code).timer_ends_at is None


def test_room_settings_toggle_and_reveal(open_view, db):
    room = make_room(db)
    at = open_view("facilitator", code=room.code, key=room.key)
    revision = ws.get_workshop(db, room.code).revision
    at.toggle(key=f"facilitator_anonymous_{revision}_0").set_value(True).run()
    assert ws.get_workshop(db, room.code).anonymous
    revision = ws.get_workshop(db, room.code).revision
    at.toggle(key=f"facilitator_private_{revision}_0").set_value(True).run()
    assert ws.get_workshop(db, room.code).items_private
    at.button(key="facilitator_reveal").click().run()
    assert not ws.get_workshop(db, room.code).items_private


def test_a_refused_setting_change_leaves_no_flipped_toggle(open_view, db):
    room = make_room(db)
    ws.lock_workshop(db, room.code, room.key)
    at = open_view("facilitator", code=room.code, key=room.key)
    revision = ws.get_workshop(db, room.code).revision
    at.toggle(key=f"facilitator_anonymous_{revision}_0").set_value(True).run()
    assert [e.value for e in at.error] == ["The workshop is locked: it can be read but not changed"]
    assert not ws.get_workshop(db, room.code).anonymous
    at.number_input(key="facilitator_minutes").set_value(3.0).run()  # any later rerun
    assert not at.error and not at.toggle(key=f"facilitator_anonymous_{revision}_1").value


def test_vote_budget_form_saves_and_refuses_a_cap_above_the_budget(open_view, db):
    room = make_room(db)
    at = open_view("facilitator", code=room.code, key=room.key)
    at.number_input[1].set_value(3)
    at.number_input[2].set_value(4)
    [save] = [b for b in at.button if b.label == "Save votes"]
    save.click().run()
    assert "The cap per item must be between 1 and the vote budget" in [e.value for e in at.error]
    at.number_input[2].set_value(2)
    [save] = [b for b in at.button if b.label == "Save votes"]
    save.click().run()
    assert (ws.get_workshop(db, room.code).vote_budget, ws.get_workshop(db, room.code).vote_cap) == (3, 2)


def test_lock_and_unlock(open_view, db):
    room = make_room(db)
    at = open_view("facilitator", code=room.code, key=room.key)
    at.button(key="facilitator_lock").click().run()
    assert ws.get_workshop(db, room.code).locked
    at.button(key="facilitator_lock").click().run()
    assert not ws.get_workshop(db, room.code).locked


def test_moderation_hides_merges_and_undoes(open_view, db):
    room = make_room(db)
    keep = dm.add_demand(db, room.tokens[0], "Warn me early")
    dup = dm.add_demand(db, room.tokens[1], "Tell me about delays")
    at = open_view("facilitator", code=room.code, key=room.key)
    at.button(key=f"facilitator_hide_{dup.id}").click().run()
    assert [d.id for d in dm.list_shown_demands(db, room.code)] == [keep.id]
    at.button(key=f"facilitator_hide_{dup.id}").click().run()
    at.selectbox(key=f"facilitator_merge_into_{dup.id}").set_value(
        next(d for d in dm.list_demands(db, room.code, room.key) if d.id == keep.id))
    at.button(key=f"facilitator_merge_{dup.id}").click().run()
    assert dm.list_shown_demands(db, room.code)[0].merged == (dup.id,)
    at.button(key=f"facilitator_unmerge_{dup.id}").click().run()
    assert len(dm.list_shown_demands(db, room.code)) == 2


def test_facilitator_edits_a_demand_and_sees_hostile_text_literally(open_view, db):
    room = make_room(db)
    d = dm.add_demand(db, room.tokens[0], "<img src=x onerror=alert(1)> :red[x]")
    at = open_view("facilitator", code=room.code, key=room.key)
    assert "&lt;img src=x onerror=alert(1)&gt; :red[x]" in html_of(at)
    [box] = [t for t in at.text_area if t.value == d.text]
    box.input("Tidied")
    [save] = [b for b in at.button if b.key == f"FormSubmitter:facilitator_edit_{d.id}-Save"]
    save.click().run()
    assert dm.list_shown_demands(db, room.code)[0].text == "Tidied"


def test_initiatives_tab_hides_an_initiative_and_scoring_shows_progress(open_view, db):
    room = make_room(db)
    for token in room.tokens[1:]:  # progress counts those who took part
        dm.add_demand(db, token, "Warn me early")
    ws.set_phase(db, room.code, room.key, "value_exchange")
    item = make_initiative(db, room.tokens[0], "Live tracking")
    ws.set_phase(db, room.code, room.key, "score_vote")
    at = open_view("facilitator", code=room.code, key=room.key)
    assert any("0 of 3 participants have rated all 1 initiatives" in m.value for m in at.markdown)
    at.button(key=f"facilitator_hide_initiative_{item.id}").click().run()
    assert im.list_shown_initiatives(db, room.code) == []
    at.button(key="facilitator_results").click().run()
    assert ws.get_workshop(db, room.code).results_revealed


def test_the_console_offers_every_export(open_view, db):
    room = make_room(db)
    at = open_view("facilitator", code=room.code, key=room.key)
    labels = [b.proto.label for b in at.get("download_button")]
    assert sorted(labels) == sorted(["Summary (HTML)", "Summary (PDF)", "Summary (Markdown)", "Data (Excel)",
                                     "Data (CSV, zip)", "Backup (JSON)"])


def test_the_console_opens_and_closes_the_self_check_and_chooses_initiatives(open_view, db):
    room = make_room(db, phase="value_exchange")
    item = make_initiative(db, room.tokens[0], "Live tracking")
    at = open_view("facilitator", code=room.code, key=room.key)
    at.button(key="facilitator_selfcheck_open").click().run()
    assert ws.get_workshop(db, room.code).selfcheck_run == 1
    at.button(key="facilitator_selfcheck_close").click().run()
    assert ws.get_workshop(db, room.code).selfcheck_run is None
    at.button(key=f"facilitator_choose_{item.id}").click().run()
    assert [i.chosen for i in im.list_shown_initiatives(db, room.code)] == [True]


@pytest.mark.parametrize("phase", ["lobby", "inner_customer", "value_exchange", "score_vote", "review", "plan",
                                   "closed"])
@pytest.mark.parametrize("strict", [False, True], ids=["open", "anonymous-private-locked"])
def test_every_phase_renders_and_keeps_user_text_literal(open_view, db, phase, strict):
    room = room_in(db, phase, anonymous=strict, private=strict, locked=strict)
    at = open_view("facilitator", code=room.code, key=room.key)
    body = html_of(at)
    assert "&lt;b&gt;Warn&lt;/b&gt; me :red[early]" in body and "<b>" not in body
    assert ("Person 1" in body) is not strict  # the console names authors unless the room is anonymous
