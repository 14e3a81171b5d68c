import re
import time
import uuid
from datetime import timedelta
from types import SimpleNamespace

import pytest

from planning import access
from planning import workshops as ws
from planning.access import CODE_ALPHABET, digest
from planning.errors import InvalidInput, NotAllowed, NotFound, WorkshopLocked
from planning.export import import_backup
from planning.models import Phase, Workshop, utcnow
from tests.factories import make_room


def test_create_workshop_draws_a_long_unambiguous_code_and_keeps_only_the_key_hash(db):
    created = ws.create_workshop(db, title=" Freight ", company="Northwind", segment="shippers")
    assert re.fullmatch(f"[{CODE_ALPHABET}]{{8}}", created.workshop.code)
    assert not set("01OIL") & set(created.workshop.code)
    assert len(created.facilitator_key) >= 24
    assert created.workshop.title == "Freight"
    with db.read() as s:
        row = s.query(Workshop).filter_by(join_code=created.workshop.code).one()
        assert row.facilitator_key_hash == digest(created.facilitator_key)
        assert created.facilitator_key not in {row.facilitator_key_hash, row.join_code, row.title}


def test_create_workshop_codes_differ(db):
    codes = {ws.create_workshop(db, title="T", company="C", segment="S").workshop.code for _ in range(5)}
    assert len(codes) == 5


@pytest.mark.parametrize(("fields", "message"), [
    ({"title": "  "}, "The title cannot be empty"),
    ({"company": ""}, "The company cannot be empty"),
    ({"segment": "x" * 301}, "at most 300 characters"),
    ({"title": "a\x00b"}, "control characters"),
])
def test_create_workshop_refuses_bad_fields(db, fields, message):
    with pytest.raises(InvalidInput, match=message):
        ws.create_workshop(db, **{"title": "T", "company": "C", "segment": "S", **fields})
    with db.read() as s:
        assert s.query(Workshop).count() == 0


def test_create_workshop_needs_the_organiser_passcode_when_set(db):
    with pytest.raises(NotAllowed, match="passcode"):
        ws.create_workshop(db, title="T", company="C", segment="S", passcode="guess", organiser_passcode="s3cret")
    created = ws.create_workshop(db, title="T", company="C", segment="S", passcode="s3cret",
                                 organiser_passcode="s3cret")
    assert created.workshop.title == "T"


def test_get_workshop_accepts_a_code_typed_loosely(db):
    room = make_room(db)
    loose = f" {room.code[:4].lower()}-{room.code[4:]} "
    assert ws.get_workshop(db, loose).code == room.code


def test_get_workshop_refuses_a_wrong_code(db):
    with pytest.raises(NotFound, match="No workshop has that code"):
        ws.get_workshop(db, "NOPE2345")


CONTROLS = [
    (ws.set_phase, ("value_exchange",)),
    (ws.start_timer, (5,)),
    (ws.stop_timer, ()),
    (ws.set_anonymous, (True,)),
    (ws.set_private_until_reveal, (True,)),
    (ws.reveal_items, (True,)),
    (ws.reveal_results, (True,)),
    (ws.set_vote_budget, (7, 2)),
    (ws.set_item_limits, (20, 5)),
    (ws.lock_workshop, ()),
    (ws.unlock_workshop, ()),
]


@pytest.mark.parametrize(("control", "args"), CONTROLS, ids=[c.__name__ for c, _ in CONTROLS])
@pytest.mark.parametrize("who", ["wrong key", "participant token", "empty key", "no key"])
def test_facilitator_controls_refuse_anyone_but_the_facilitator(db, control, args, who):
    room = make_room(db)
    key = {"wrong key": "x" * 32, "participant token": room.tokens[0], "empty key": "", "no key": None}[who]
    before = ws.get_workshop(db, room.code)
    with pytest.raises(NotAllowed, match="facilitator link is not valid"):
        control(db, room.code, key, *args)
    assert ws.get_workshop(db, room.code) == before


@pytest.mark.parametrize(("control", "args"), CONTROLS[:-2], ids=[c.__name__ for c, _ in CONTROLS[:-2]])
def test_a_locked_workshop_refuses_every_control_but_unlock(db, control, args):
    room = make_room(db)
    ws.lock_workshop(db, room.code, room.key)
    before = ws.get_workshop(db, room.code)
    with pytest.raises(WorkshopLocked):
        control(db, room.code, room.key, *args)
    assert ws.get_workshop(db, room.code) == before
    assert not ws.unlock_workshop(db, room.code, room.key).locked


def test_phases_move_forward_and_back_and_stop_the_timer(db):
    room = make_room(db, phase="lobby")
    for phase in [*Phase, Phase.LOBBY, Phase.SCORE_VOTE]:
        ws.start_timer(db, room.code, room.key, 1)
        w = ws.set_phase(db, room.code, room.key, phase)
        assert (w.phase, w.timer_ends_at) == (phase, None)


def test_set_phase_refuses_an_unknown_phase(db):
    room = make_room(db)
    with pytest.raises(InvalidInput, match="not a phase"):
        ws.set_phase(db, room.code, room.key, "party")


def test_review_reveals_results_and_going_back_hides_them(db):
    room = make_room(db)
    assert ws.set_phase(db, room.code, room.key, "review").results_revealed
    assert ws.set_phase(db, room.code, room.key, "closed").results_revealed
    assert not ws.set_phase(db, room.code, room.key, "score_vote").results_revealed
    assert ws.reveal_results(db, room.code, room.key, True).results_revealed


def test_timer_counts_down_on_the_server_clock(db):
    room = make_room(db)
    w = ws.start_timer(db, room.code, room.key, 2)
    assert 119 <= w.seconds_left() <= 120
    assert w.seconds_left(now=utcnow() + timedelta(minutes=5)) == 0
    assert ws.stop_timer(db, room.code, room.key).seconds_left() is None


@pytest.mark.parametrize("minutes", [0, -1, 241, "5", None])
def test_start_timer_refuses_odd_durations(db, minutes):
    room = make_room(db)
    with pytest.raises(InvalidInput):
        ws.start_timer(db, room.code, room.key, minutes)


@pytest.mark.parametrize(("budget", "cap"), [(0, 1), (51, 3), (5, 6), (5, 0), ("5", 1)])
def test_set_vote_budget_refuses_out_of_range(db, budget, cap):
    room = make_room(db)
    with pytest.raises(InvalidInput):
        ws.set_vote_budget(db, room.code, room.key, budget, cap)
    assert (ws.get_workshop(db, room.code).vote_budget, ws.get_workshop(db, room.code).vote_cap) == (5, 3)


@pytest.mark.parametrize(("per_person", "per_minute"), [(0, 5), (1001, 5), (50, 0), (50, 121), ("50", 5), (50, True)])
def test_set_item_limits_refuses_out_of_range(db, per_person, per_minute):
    room = make_room(db)
    with pytest.raises(InvalidInput, match="Items one person may add"):
        ws.set_item_limits(db, room.code, room.key, per_person, per_minute)
    w = ws.get_workshop(db, room.code)
    assert (w.items_per_person, w.items_per_minute) == (50, 10)
    assert (ws.set_item_limits(db, room.code, room.key, 1000, 120).items_per_person, w.items_per_minute) == (1000, 10)


def test_the_organiser_passcode_allows_ten_wrong_tries_then_none_for_ten_minutes(db, monkeypatch):
    passcode = f"passcode-{uuid.uuid4()}"  # its own count: the limit is kept per organiser passcode
    for _ in range(access.PASSCODE_TRIES):
        with pytest.raises(NotAllowed, match="not right"):
            ws.create_workshop(db, title="T", company="C", segment="S", passcode="guess", organiser_passcode=passcode)
    for given in ("guess", passcode):  # a guess that lands now must not be told apart
        with pytest.raises(NotAllowed, match="Too many wrong organiser passcodes"):
            ws.create_workshop(db, title="T", company="C", segment="S", passcode=given, organiser_passcode=passcode)
    with pytest.raises(NotAllowed, match="Too many wrong organiser passcodes"):  # restores share the limit
        import_backup(db, b"{}", passcode=passcode, organiser_passcode=passcode)
    later = time.monotonic() + access.PASSCODE_WINDOW_S + 1
    monkeypatch.setattr(access, "time", SimpleNamespace(monotonic=lambda: later))  # ten minutes on
    assert ws.create_workshop(db, title="T", company="C", segment="S", passcode=passcode,
                              organiser_passcode=passcode).workshop.title == "T"


def test_every_control_bumps_the_revision_live_screens_poll(db):
    room = make_room(db)
    before = ws.get_revision(db, room.code)
    ws.set_anonymous(db, room.code, room.key, True)
    assert ws.get_revision(db, room.code) == before + 1


def test_private_mode_switched_on_hides_a_previous_reveal(db):
    room = make_room(db)
    ws.set_private_until_reveal(db, room.code, room.key, True)
    assert ws.reveal_items(db, room.code, room.key).items_private is False
    assert ws.set_private_until_reveal(db, room.code, room.key, True).items_private is True


def test_private_items_are_revealed_when_the_room_leaves_the_adding_phases(db):
    room = make_room(db)
    ws.set_private_until_reveal(db, room.code, room.key, True)
    assert ws.set_phase(db, room.code, room.key, "value_exchange").items_private
    assert not ws.set_phase(db, room.code, room.key, "score_vote").items_private


def test_what_participants_see_moves_the_room_revision_and_private_work_does_not(db):
    from planning import demands, ratings, selfcheck, votes
    from tests.factories import make_initiative

    room = make_room(db)
    other = ws.create_workshop(db, title="Other", company="C", segment="S").workshop.code
    seen = lambda: ws.get_revisions(db, [room.code, other, "NOSUCHCODE"])[ws.normalise_code(room.code)]  # noqa: E731
    before = seen()
    demand = demands.add_demand(db, room.tokens[0], "Call me before a pallet is late")
    votes.cast_vote(db, room.tokens[1], demand.id)
    after = seen()
    assert (after.revision, after.room) == (before.revision + 2, before.room + 2)
    assert after.phase == "inner_customer"
    ws.set_phase(db, room.code, room.key, "value_exchange")
    assert seen().phase == "value_exchange" == ws.get_workshop(db, room.code).revisions.phase  # pages redraw whole
    item = make_initiative(db, room.tokens[0], demand_ids=[demand.id])
    ws.set_phase(db, room.code, room.key, "score_vote")
    selfcheck.open_selfcheck(db, room.code, room.key)
    before = seen()
    ratings.rate_initiative(db, room.tokens[1], item.id, "customer", 7)
    votes.cast_initiative_vote(db, room.tokens[1], item.id)
    selfcheck.rate_area(db, room.tokens[1], "strategy", "great")
    from planning.participants import join_workshop
    join_workshop(db, room.code, "Late arrival")
    after = seen()
    assert (after.revision, after.room) == (before.revision + 4, before.room)
    assert set(ws.get_revisions(db, [room.code, other, "NOSUCHCODE"])) == {ws.normalise_code(room.code), other}


def test_the_reveal_mode_spotlights_one_initiative_on_the_board_during_review(db):
    from tests.factories import make_initiative

    room = make_room(db, phase="value_exchange")
    shown = make_initiative(db, room.tokens[0], "Track pallets")
    hidden = make_initiative(db, room.tokens[1], "Hidden one")
    from planning.initiatives import hide_initiative

    hide_initiative(db, room.code, room.key, hidden.id)
    with pytest.raises(InvalidInput, match="during Review"):
        ws.set_spotlight(db, room.code, room.key, shown.id)
    ws.set_phase(db, room.code, room.key, "review")
    before = ws.get_revisions(db, [room.code])[room.code]
    assert ws.set_spotlight(db, room.code, room.key, shown.id).spotlight_id == shown.id
    after = ws.get_revisions(db, [room.code])[room.code]
    assert (after.revision, after.room) == (before.revision + 1, before.room)  # the wall follows; phones need not
    for wrong in (hidden.id, 999, "1", True):
        with pytest.raises(NotFound):
            ws.set_spotlight(db, room.code, room.key, wrong)
    assert ws.get_workshop(db, room.code).spotlight_id == shown.id
    with pytest.raises(NotAllowed):
        ws.set_spotlight(db, room.code, "wrong key", None)
    assert ws.set_spotlight(db, room.code, room.key, None).spotlight_id is None
    ws.set_spotlight(db, room.code, room.key, shown.id)
    assert ws.set_phase(db, room.code, room.key, "plan").spotlight_id is None


def test_a_phase_change_keeps_the_timer_only_when_asked(db):
    room = make_room(db)
    ends = ws.start_timer(db, room.code, room.key, 5).timer_ends_at
    assert ws.set_phase(db, room.code, room.key, "value_exchange", keep_timer=True).timer_ends_at == ends
    assert ws.set_phase(db, room.code, room.key, "score_vote").timer_ends_at is None


def test_the_self_check_goes_on_the_wall_and_off_again(db):
    room = make_room(db)
    assert ws.show_selfcheck_on_wall(db, room.code, room.key, True).wall_selfcheck
    assert not ws.show_selfcheck_on_wall(db, room.code, room.key, False).wall_selfcheck
