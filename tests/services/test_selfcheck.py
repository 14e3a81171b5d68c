import threading

import pytest
from sqlmodel import select

from planning import workshops as ws
from planning.errors import InvalidInput, NotAllowed, WorkshopLocked
from planning.initiatives import choose_initiative, hide_initiative, list_shown_initiatives
from planning.models import Area, Level, Participant, SelfCheckRating, SelfCheckRun
from planning.selfcheck import (
    close_selfcheck,
    get_my_selfcheck,
    investment_view,
    open_selfcheck,
    rate_area,
    respondent_key,
    selfcheck_results,
)
from tests.factories import make_initiative, make_room


def test_a_run_opens_at_any_phase_takes_one_changeable_rating_per_area_and_closes(db):
    room = make_room(db, phase="lobby")
    assert open_selfcheck(db, room.code, room.key) == 1
    rate_area(db, room.tokens[0], "strategy", "great")
    rate_area(db, room.tokens[0], "strategy", "risk")
    assert get_my_selfcheck(db, room.tokens[0]).levels == {Area.STRATEGY: Level.RISK}
    assert get_my_selfcheck(db, room.tokens[1]).levels == {}
    close_selfcheck(db, room.code, room.key)
    with pytest.raises(NotAllowed, match="not open"):
        rate_area(db, room.tokens[0], "strategy", "great")
    [run] = selfcheck_results(db, room.code)
    assert (run.number, run.open, run.respondents) == (1, False, 1)
    assert run.distribution[Area.STRATEGY] == {Level.GREAT: 0, Level.IMPROVE: 0, Level.PROMPT: 0, Level.RISK: 1}


@pytest.mark.parametrize(("area", "level"), [("weather", "great"), ("strategy", "superb"), ("", ""), (None, None)])
def test_rate_area_refuses_unknown_areas_and_levels(db, area, level):
    room = make_room(db)
    open_selfcheck(db, room.code, room.key)
    with pytest.raises(InvalidInput):
        rate_area(db, room.tokens[0], area, level)
    assert get_my_selfcheck(db, room.tokens[0]).levels == {}


def test_only_the_facilitator_opens_and_closes_and_not_twice(db):
    room = make_room(db)
    with pytest.raises(NotAllowed):
        open_selfcheck(db, room.code, room.tokens[0])
    with pytest.raises(InvalidInput, match="not open"):
        close_selfcheck(db, room.code, room.key)
    open_selfcheck(db, room.code, room.key)
    with pytest.raises(InvalidInput, match="open already"):
        open_selfcheck(db, room.code, room.key)
    with pytest.raises(NotAllowed):
        close_selfcheck(db, room.code, room.tokens[0])
    ws.lock_workshop(db, room.code, room.key)
    with pytest.raises(WorkshopLocked):
        rate_area(db, room.tokens[0], "strategy", "great")


def test_results_name_the_weakest_areas_and_compare_runs(db):
    room = make_room(db, participants_count=2)
    open_selfcheck(db, room.code, room.key)
    for token in room.tokens:
        rate_area(db, token, "marketing", "risk")
        rate_area(db, token, "process_design", "prompt")
        rate_area(db, token, "strategy", "improve")
    close_selfcheck(db, room.code, room.key)
    assert open_selfcheck(db, room.code, room.key) == 2
    rate_area(db, room.tokens[0], "marketing", "improve")
    first, second = selfcheck_results(db, room.code)
    assert first.weakest == (Area.MARKETING, Area.PROCESS_DESIGN)
    assert (first.means[Area.MARKETING], first.means[Area.STRATEGY], first.means[Area.RELATIONSHIPS]) == (0, 2, None)
    assert second.open and second.means[Area.MARKETING] == 2
    assert first.honesty_note is None


def test_a_room_rating_most_areas_doing_great_gets_a_gentle_note(db):
    room = make_room(db, participants_count=2)
    open_selfcheck(db, room.code, room.key)
    for token in room.tokens:
        for area in ("relationships", "strategy", "marketing"):
            rate_area(db, token, area, "great")
    [run] = selfcheck_results(db, room.code)
    assert run.great_heavy == 2 and "rarely deserve" in run.honesty_note


def test_investment_view_sets_planned_initiatives_against_weak_areas(db):
    room = make_room(db, participants_count=2)
    assert investment_view(db, room.code) is None
    open_selfcheck(db, room.code, room.key)
    rate_area(db, room.tokens[0], "marketing", "risk")
    rate_area(db, room.tokens[0], "process_design", "prompt")
    rate_area(db, room.tokens[0], "strategy", "great")
    ws.set_phase(db, room.code, room.key, "value_exchange")
    a = make_initiative(db, room.tokens[0], "Portal", areas=["marketing"]).id
    b = make_initiative(db, room.tokens[1], "Account manager", areas=["relationships"]).id
    view = investment_view(db, room.code)
    assert (view.basis, view.weakest, view.unaddressed) == ("top-ranked", (Area.MARKETING, Area.PROCESS_DESIGN),
                                                            (Area.PROCESS_DESIGN,))
    choose_initiative(db, room.code, room.key, b)
    view = investment_view(db, room.code)
    assert view.basis == "chosen" and view.planned == (("Account manager", (Area.RELATIONSHIPS,)),)
    assert view.unaddressed == (Area.MARKETING, Area.PROCESS_DESIGN)
    assert [i.chosen for i in list_shown_initiatives(db, room.code) if i.id == b] == [True]
    with pytest.raises(NotAllowed):
        choose_initiative(db, room.code, room.tokens[0], a)
    hide_initiative(db, room.code, room.key, a)
    with pytest.raises(InvalidInput):
        choose_initiative(db, room.code, room.key, a)


def test_an_answer_is_stored_under_a_key_only_its_author_derives(db):
    room = make_room(db, participants_count=2)
    open_selfcheck(db, room.code, room.key)
    rate_area(db, room.tokens[0], "strategy", "risk")
    rate_area(db, room.tokens[0], "strategy", "improve")
    with db.read() as s:
        [row] = s.exec(select(SelfCheckRating)).all()
        [run_id] = s.exec(select(SelfCheckRun.id)).all()
        stored = {value for p in s.exec(select(Participant)).all() for value in (str(p.id), p.name, p.token_hash)}
    assert set(SelfCheckRating.__table__.columns.keys()) == {"run_id", "respondent", "area", "level"}
    assert (row.respondent, row.level) == (respondent_key(room.tokens[0], run_id), "improve")
    assert row.respondent not in stored and row.respondent != respondent_key(room.tokens[1], run_id)
    assert all(respondent_key(h, run_id) != row.respondent for h in stored)  # not from what the server keeps
    assert get_my_selfcheck(db, room.tokens[1]).levels == {}


def test_two_devices_of_one_person_rating_an_area_at_once_both_succeed(db):
    """Each of 24 (person, area) pairs is first rated from two threads at the same moment."""
    room = make_room(db, participants_count=4)
    open_selfcheck(db, room.code, room.key)
    errors = []

    def rate(token: str, area: Area, level: Level, start: threading.Barrier) -> None:
        start.wait()
        try:
            rate_area(db, token, area, level)
        except Exception as error:  # noqa: BLE001 - any failure is the finding
            errors.append(error)

    for token in room.tokens:
        for area in Area:
            start = threading.Barrier(2)
            pair = [threading.Thread(target=rate, args=(token, area, level, start)) for level in (Level.RISK,
                                                                                                 Level.GREAT)]
            for thread in pair:
                thread.start()
            for thread in pair:
                thread.join()
    assert errors == []
    assert all(len(get_my_selfcheck(db, token).levels) == 6 for token in room.tokens)
    [run] = selfcheck_results(db, room.code)
    assert run.respondents == 4 and all(sum(run.distribution[a].values()) == 4 for a in Area)
