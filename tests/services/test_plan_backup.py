"""The JSON backup carries the plan's dates, milestones and dependencies; older backups still restore."""

import json
from datetime import UTC, date, datetime

import pytest

from planning import workshops as ws
from planning.errors import InvalidInput
from planning.export import export_workshop, import_backup
from planning.initiatives import choose_initiative
from planning.plan import actions as ac
from tests.factories import make_initiative, make_room

AT = datetime(2027, 3, 15, 9, 30, tzinfo=UTC)


@pytest.fixture
def room(db):
    room = make_room(db, phase="value_exchange")
    item = make_initiative(db, room.tokens[0], "Live tracking").id
    choose_initiative(db, room.code, room.key, item)
    ws.set_phase(db, room.code, room.key, "plan")
    design = ac.add_action(db, room.code, room.key, item, "Design", "Dagny", "2027-03-10", start="2027-03-01")
    build = ac.add_action(db, room.code, room.key, item, "Build", "Hank", "2027-03-31", depends_on=(design,))
    ac.add_action(db, room.code, room.key, item, "Go-live", "Dagny", "2027-04-01", milestone=True,
                  depends_on=(design, build))
    return room


def _plan(db, code):
    actions = ac.list_actions(db, code)
    names = {a.id: a.what for a in actions}
    return [(a.what, a.start, a.milestone, sorted(names[d] for d in a.depends_on)) for a in actions]


def test_a_restored_backup_keeps_start_dates_milestones_and_dependencies(db, room):
    data = export_workshop(db, room.code, room.key, "json", AT).data
    doc = json.loads(data)
    assert [(a["id"], a["start"], a["milestone"], a["depends_on"]) for a in doc["actions"]] == [
        (1, "2027-03-01", False, []), (2, None, False, [1]), (3, None, True, [1, 2])]
    restored = import_backup(db, data)
    assert _plan(db, restored.workshop.code) == _plan(db, room.code) == [
        ("Design", date(2027, 3, 1), False, []), ("Build", None, False, ["Design"]),
        ("Go-live", None, True, ["Build", "Design"])]
    again = export_workshop(db, restored.workshop.code, restored.facilitator_key, "json", AT).data
    assert json.loads(again)["actions"] == doc["actions"]


def test_a_backup_from_before_dependencies_still_restores(db, room):
    doc = json.loads(export_workshop(db, room.code, room.key, "json", AT).data)
    for a in doc["actions"]:
        for field in ("id", "start", "milestone", "depends_on"):
            del a[field]
    restored = import_backup(db, json.dumps(doc).encode())
    assert [(w, s, m, d) for w, s, m, d in _plan(db, restored.workshop.code)] == [
        ("Design", None, False, []), ("Build", None, False, []), ("Go-live", None, False, [])]


@pytest.mark.parametrize(("change", "message"), [
    (lambda a: a[1].update(depends_on=[9]), "points at nothing"),
    (lambda a: a[0].update(depends_on=[1]), "points at nothing"),
    (lambda a: a[1].update(id=1), "appears twice"),
    (lambda a: a[1].update(id=None), "appears twice"),
])
def test_a_backup_with_broken_dependencies_is_refused(db, room, change, message):
    doc = json.loads(export_workshop(db, room.code, room.key, "json", AT).data)
    change(doc["actions"])
    with pytest.raises(InvalidInput, match=message):
        import_backup(db, json.dumps(doc).encode())
