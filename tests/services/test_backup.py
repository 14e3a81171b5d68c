"""The JSON backup's restore: all or nothing, every malformed file refused cleanly, others' writes never held up."""

import copy
import json
import threading
import time

import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st
from sqlmodel import SQLModel, func, select, text

import bench.restore
from bench.seed import SMALL
from planning import demands as dm
from planning import initiatives as im
from planning import votes
from planning import workshops as ws
from planning.__main__ import main as cli
from planning.access import normalise_code
from planning.analytics import get_dashboard
from planning.backup import schema, write
from planning.errors import InvalidInput, NotAllowed, NotFound, PlanningError
from planning.export import FORMATS, export_as_operator, export_workshop, import_backup
from planning.models import Workshop
from planning.participants import join_workshop
from planning.plan.actions import list_actions
from planning.plan.process import list_process_maps
from planning.ratings import get_my_ratings, rating_progress
from planning.selfcheck import get_my_selfcheck, investment_view, selfcheck_results
from tests.factories import make_room
from tests.services.test_export import AT, full_room


def _strip(document: bytes) -> dict:
    data = json.loads(document)
    data.pop("exported_at")
    return data


def rows_everywhere(db) -> dict[str, int]:
    """How many rows each table holds: a refused or failed restore leaves every count as it was."""
    with db.read() as s:
        return {t.name: s.exec(select(func.count()).select_from(t)).one() for t in SQLModel.metadata.sorted_tables}


@pytest.fixture
def good(db) -> tuple[bytes, dict]:
    room = full_room(db)
    data = export_workshop(db, room.code, room.key, "json", AT).data
    return data, json.loads(data)


def test_backup_round_trip_gives_the_same_content(db, good):
    first, doc = good
    restored = import_backup(db, first)
    again = export_workshop(db, restored.workshop.code, restored.facilitator_key, "json").data
    assert _strip(again) == _strip(first)
    assert len(doc["actions"]) == 1 and [p["position"] for p in doc["process_steps"]] == [1, 2]
    assert doc["schema_version"] == 5 and len(doc["moderation"]) >= 8 and len(doc["selfcheck"]) == 2
    assert [i["chosen"] for i in doc["initiatives"]] == [True, False, False]
    assert doc["selfcheck"][0]["responses"] == [{"marketing": "great"}, {"marketing": "risk"}]


V5_FIELDS = {"workshop": ("follows", "followed_by"), "demands": ("carried_votes",), "initiatives": ("last_session",),
             "selfcheck": ("baseline",), "actions": ("carried_status", "carried_due", "review", "review_reason")}


def _as_version_4(doc: dict) -> dict:
    """The backup as version 4 wrote it: nothing of follow-ups."""
    old = copy.deepcopy(doc)
    old["schema_version"] = 4
    for section, fields in V5_FIELDS.items():
        for row in [old[section]] if section == "workshop" else old[section]:
            for name in fields:
                del row[name]
    return old


def _as_version_3(doc: dict) -> dict:
    old = _as_version_4(doc)
    old["schema_version"] = 3
    for run in old["selfcheck"]:
        run["ratings"] = [{"participant": n, "area": a, "level": lv, "updated_at": "2026-11-23T09:00:00Z"}
                          for n, answers in enumerate(run.pop("responses"), start=1) for a, lv in answers.items()]
    return old


def test_older_versions_still_restore_and_lose_who_answered(db, good):
    _, doc = good
    restored = import_backup(db, json.dumps(_as_version_4(doc)).encode())
    again = json.loads(export_workshop(db, restored.workshop.code, restored.facilitator_key, "json").data)
    assert _strip(json.dumps(again).encode()) == _strip(json.dumps(doc).encode())
    v3 = _as_version_3(doc)
    restored = import_backup(db, json.dumps(v3).encode())
    again = json.loads(export_workshop(db, restored.workshop.code, restored.facilitator_key, "json").data)
    assert again["selfcheck"] == doc["selfcheck"] and again["ratings"] == doc["ratings"]
    v1 = copy.deepcopy(v3)
    v1["schema_version"] = 1
    del v1["selfcheck"], v1["actions"], v1["process_steps"]
    for item in v1["initiatives"]:
        del item["chosen"]
    restored = import_backup(db, json.dumps(v1).encode())
    again = json.loads(export_workshop(db, restored.workshop.code, restored.facilitator_key, "json").data)
    assert again["selfcheck"] == [] and len(again["ratings"]) == len(doc["ratings"])


@pytest.mark.parametrize(("change", "message"), [
    (lambda runs: runs[0]["ratings"][0].update(participant=99), "points at nothing"),
    (lambda runs: runs[0]["ratings"].append(dict(runs[0]["ratings"][0])), "appears twice"),
])
def test_an_old_self_check_answer_is_checked_before_it_loses_its_participant(db, good, change, message):
    _, doc = good
    old = _as_version_3(doc)
    change(old["selfcheck"])
    before = rows_everywhere(db)
    with pytest.raises(InvalidInput, match=message):
        import_backup(db, json.dumps(old).encode())
    assert rows_everywhere(db) == before


def _set(path: str, value):
    def change(doc: dict) -> dict:
        target = doc
        *parents, last = path.split(".")
        for part in parents:
            target = target[int(part)] if part.isdigit() else target[part]
        target[int(last) if last.isdigit() else last] = value
        return doc
    return change


def _merge(kind: str, pairs: list[tuple[int, int]]):
    def change(doc: dict) -> dict:
        for row, into in pairs:
            doc[kind][row - 1]["merged_into"] = into
        return doc
    return change


def _open_both_runs(doc: dict) -> dict:
    for run in doc["selfcheck"]:
        run["closed_at"] = None
    return doc


def _same_step_position(doc: dict) -> dict:
    doc["process_steps"][1]["position"] = doc["process_steps"][0]["position"]
    return doc


def _deep(doc: dict) -> bytes:
    return json.dumps(doc).replace('"moderation": [', '"moderation": [' + "[" * 100_000, 1).encode()


BAD = [  # (what the file does, the change, what the refusal says)
    ("is cut short", lambda b, d: b[: len(b) // 2], "not complete JSON"),
    ("is not UTF-8", lambda b, d: b"\xff\xfe garbage", "not complete JSON"),
    ("is a list", lambda b, d: b"[]", "not a Hyperplan backup"),
    ("is another format", _set("format", "other"), "not a Hyperplan backup"),
    ("has a newer version", _set("schema_version", 99), "schema version this Hyperplan cannot read"),
    ("has a version as text", _set("schema_version", "2"), "schema version this Hyperplan cannot read"),
    ("has a version as true", _set("schema_version", True), "schema version this Hyperplan cannot read"),
    ("has a long demand", _set("demands.0.text", "x" * 501), "at most 500 characters"),
    ("has a control character", _set("demands.0.text", "<ok>\x00"), "control characters"),
    ("has a lone surrogate", _set("demands.0.text", "ok \ud800"), "not valid Unicode"),
    ("has a score of 11", _set("ratings.0.score", 11), r"damaged or altered \(first problem in the ratings, row 1\)"),
    ("points at nothing", _set("demand_votes.0.demand", 999), "points at nothing"),
    ("repeats an id", _set("participants.1.id", 1), "appears twice"),
    ("has an unknown level", _set("selfcheck.0.responses.0.marketing", "perfect"), "damaged or altered"),
    ("has an unknown field", _set("workshop.injected", "x"), "damaged or altered"),
    ("has an unknown section", _set("extra", []), "a section Hyperplan does not know"),
    ("nests deeply", _deep, "nests deeper"),
    ("repeats a demand in an initiative", _set("initiatives.0.demands", [1, 1]), "names a demand or an area twice"),
    ("repeats an area in an initiative", _set("initiatives.0.areas", ["strategy", "strategy"]), "twice"),
    ("has a position of 2^31", _set("process_steps.0.position", 2**31), "damaged or altered"),
    ("has an id of 2^63", _set("participants.0.id", 2**63), "damaged or altered"),
    ("has a run number of 2^31", _set("selfcheck.0.number", 2**31), "damaged or altered"),
    ("has a time without timezone", _set("demands.0.created_at", "2026-11-23T09:30:00"), "damaged or altered"),
    ("has a time before year 1 in UTC", _set("demands.0.created_at", "0001-01-01T00:00:00+01:00"), "damaged"),
    ("has a time after 9999 in UTC", _set("ratings.0.updated_at", "9999-12-31T23:59:59-01:00"), "damaged"),
    ("has a due date out of range", _set("actions.0.due", "10000-01-01"), "damaged or altered"),
    ("merges a demand into itself", _merge("demands", [(1, 1)]), "A demand cannot be merged into itself"),
    ("merges demands in a cycle", _merge("demands", [(1, 2), (2, 1)]), "A demand cannot be merged into itself"),
    ("merges initiatives in a cycle", _merge("initiatives", [(1, 2), (2, 3), (3, 1)]),
     "An? initiative cannot be merged into itself"),
    ("has two open self-check runs", _open_both_runs, "The self-check is open already"),
    ("skips a run number", _set("selfcheck.1.number", 3), "not numbered 1, 2, 3"),
    ("repeats a step position", _same_step_position, "share a position"),
    ("caps votes above the budget", _set("workshop.vote_cap", 9), "cap per item must be between 1 and the vote"),
    ("has a budget of 0", _set("workshop.vote_budget", 0), "vote budget must be between 1 and 50"),
    ("has 51 dots on one demand", _set("demand_votes.0.dots", 51), "damaged or altered"),
    ("is over 40 MB", lambda b, d: b" " * (40 * 1024 * 1024 + 1), "at most 40 MB"),
]


@pytest.mark.parametrize(("change", "message"), [pytest.param(c, m, id=i) for i, c, m in BAD])
def test_a_bad_backup_is_refused_and_writes_nothing(db, good, change, message):
    data, doc = good
    bad = change(data, copy.deepcopy(doc)) if change.__code__.co_argcount == 2 else change(copy.deepcopy(doc))
    if isinstance(bad, dict):
        bad = json.dumps(bad).encode()
    before = rows_everywhere(db)
    with pytest.raises(InvalidInput, match=message):
        import_backup(db, bad)
    assert rows_everywhere(db) == before


@pytest.mark.parametrize("raw", [
    b'{"format": "hyperplan-backup", "schema_version": 4, "format": "hyperplan-backup"}',
    b'{"format": "hyperplan-backup", "schema_version": NaN}',
    b'{"format": "hyperplan-backup"} trailing',
    b'{"format": "hyperplan-backup", "demands": {}}',
    b'{"format": "hyperplan-backup", "schema_version": 4}',
    b'{"format": "hyperplan-backup", "schema_version": 1' + b"0" * 5000 + b"}",
    b"",
    b'{"format": "hyperplan-backup", "demands": [' + b"[" * 100_000 + b"]" * 100_000 + b"]}",
])
def test_odd_json_is_refused_cleanly(db, raw):
    with pytest.raises(InvalidInput):
        import_backup(db, raw)


HOSTILE = ":red[x] **bold** $x$ <b>i</b>"


@pytest.mark.parametrize("change", [
    _set(HOSTILE, 1), _set(f"workshop.{HOSTILE}", 1), _set(f"demands.0.{HOSTILE}", 1), _set("schema_version", HOSTILE),
    _set("format", HOSTILE), _set("demands.0.area", HOSTILE), _set("ratings.0.axis", HOSTILE),
])
def test_a_refusal_never_repeats_the_file(db, good, change):
    _, doc = good
    with pytest.raises(InvalidInput) as refused:
        import_backup(db, json.dumps(change(copy.deepcopy(doc))).encode())
    assert not [part for part in (":red", "**", "<b>", "$x$", "bold") if part in str(refused.value)]


@pytest.mark.parametrize("section", ["demands", "ratings", "selfcheck"])
def test_more_rows_than_a_restore_takes_are_refused_at_once(db, good, monkeypatch, section):
    _, doc = good
    monkeypatch.setitem(schema.LIMITS, section, 1)
    with pytest.raises(InvalidInput, match="than Hyperplan restores"):
        import_backup(db, json.dumps(doc).encode())


def test_what_the_app_reaches_by_itself_restores(db):
    """Dots on a hidden demand, past a lowered budget, past the cap after a merge: the app's own backups."""
    room = make_room(db, budget=4, cap=2)
    a, b, c = (dm.add_demand(db, room.tokens[0], t).id for t in ("A", "B", "C"))
    for demand in (a, a, b, b):
        votes.cast_vote(db, room.tokens[1], demand)
    dm.merge_demands(db, room.code, room.key, b, a)
    votes.cast_vote(db, room.tokens[2], c)
    dm.hide_demand(db, room.code, room.key, c)
    ws.set_vote_budget(db, room.code, room.key, 1, 1)
    data = export_workshop(db, room.code, room.key, "json", AT).data
    restored = import_backup(db, data)
    assert _strip(export_workshop(db, restored.workshop.code, restored.facilitator_key, "json", AT).data) == \
        _strip(data)


def test_a_restore_is_written_in_batches_under_a_code_nobody_can_type(db, good, monkeypatch):
    data, _ = good
    monkeypatch.setattr(write, "BATCH_ROWS", 3)
    seen, go_live = [], write._go_live

    def watched(db_, workshop_id, key, *chain):
        with db_.read() as s:
            pending = s.get(Workshop, workshop_id).join_code
        seen.append(pending)
        with pytest.raises(NotFound):
            ws.get_workshop(db_, pending)
        return go_live(db_, workshop_id, key, *chain)

    monkeypatch.setattr(write, "_go_live", watched)
    restored = import_backup(db, data)
    assert seen[0].startswith("~") and normalise_code(seen[0]) != seen[0] and len(seen[0]) == 16
    assert ws.get_workshop(db, restored.workshop.code).title == "Freight 2027"


def test_a_restore_that_fails_midway_leaves_nothing(db, good, monkeypatch):
    data, _ = good
    monkeypatch.setattr(write, "BATCH_ROWS", 2)
    before = rows_everywhere(db)

    def broken(*_):
        raise OSError("the disk went away")

    monkeypatch.setattr(write, "_selfcheck", broken)
    with pytest.raises(OSError):
        import_backup(db, data)
    assert rows_everywhere(db) == before


def test_a_crashed_restore_is_swept_later_and_a_running_one_is_not(db, good, monkeypatch):
    data, _ = good
    before = rows_everywhere(db)
    class Killed(BaseException):
        pass

    def killed(*_):
        raise Killed

    monkeypatch.setattr(write, "_go_live", killed)
    monkeypatch.setattr(write, "remove_pending", lambda *_: None)  # as if the process died mid-restore
    with pytest.raises(Killed):
        import_backup(db, data)
    monkeypatch.undo()
    write.sweep(db)
    assert rows_everywhere(db)["workshop"] == before["workshop"] + 1  # an hour has not passed: maybe running
    with db.write() as s:  # the restore began two hours ago
        w = s.exec(select(Workshop).where(Workshop.join_code.startswith("~"))).one()
        w.join_code = f"~{int(w.join_code[1:9], 16) - 7200:08x}{w.join_code[9:]}"
    write.sweep(db)
    assert rows_everywhere(db) == before


def test_a_second_restore_at_once_is_refused(db, good):
    data, _ = good
    before = rows_everywhere(db)
    with write.one_at_a_time(), pytest.raises(NotAllowed, match="Another backup is being restored"):
        import_backup(db, data)
    assert rows_everywhere(db) == before
    assert import_backup(db, data).workshop.title == "Freight 2027"


def test_restore_needs_the_organiser_passcode_when_set(db, good):
    data, _ = good
    with pytest.raises(NotAllowed):
        import_backup(db, data, passcode="no", organiser_passcode="yes")
    assert import_backup(db, data, passcode="yes", organiser_passcode="yes").workshop.title == "Freight 2027"


def test_a_restore_never_holds_up_another_workshop(db, good, monkeypatch):
    """While a restore writes in many short transactions, a participant elsewhere adds demands between them."""
    data, _ = good
    monkeypatch.setattr(write, "BATCH_ROWS", 1)
    room = make_room(db, participants_count=40)
    ws.set_item_limits(db, room.code, room.key, per_person=1000, per_minute=120)  # a busy room, not one person
    batches, added, waits = [], [], []
    insert = write._insert

    def timed_insert(*args, **kwargs):
        ids = insert(*args, **kwargs)
        batches.append(time.perf_counter())
        return ids

    monkeypatch.setattr(write, "_insert", timed_insert)
    worker = threading.Thread(target=import_backup, args=(db, data))
    worker.start()
    while worker.is_alive():
        start = time.perf_counter()
        dm.add_demand(db, room.tokens[len(added) % len(room.tokens)], "Tell me early")
        added.append(time.perf_counter())
        waits.append(added[-1] - start)
        time.sleep(0.01)  # a busy room's pace, within its people's limits per minute
    worker.join()
    assert sum(batches[0] < t < batches[-1] for t in added) >= 3
    assert max(waits) < 1.0


def test_the_command_line_exports_and_imports(db, good, tmp_path, monkeypatch, capsys):
    room = full_room(db)
    monkeypatch.setenv("DATABASE_URL", db.url)
    out = tmp_path / "backup.json"
    assert cli(["export", room.code, "--format", "json", "--out", str(out)]) == 0
    assert _strip(out.read_bytes()) == _strip(export_as_operator(db, room.code, "json").data)
    assert cli(["import", str(out)]) == 0
    assert "Restored as workshop" in capsys.readouterr().out
    assert cli(["export", "NOPE2345", "--format", "pdf", "--out", str(tmp_path / "x.pdf")]) == 2


def test_restored_self_check_keeps_its_results(db, good):
    data, _ = good
    restored = import_backup(db, data)
    first, second = selfcheck_results(db, restored.workshop.code)
    assert (first.respondents, second.respondents, second.open) == (2, 1, True)
    with db.read() as s:
        assert s.exec(text("SELECT count(*) FROM selfcheck_rating")).one()[0] == 6


# The fuzz test: a good backup, changed in 1 to 4 places at random (a value swapped for another, a row or key
# dropped, a row copied), is either refused cleanly or restores as a workshop every screen and export can show.
LEAF = st.one_of(
    st.none(), st.booleans(), st.integers(-3, 8), st.integers(), st.floats(allow_nan=False),
    st.sampled_from([2**31 - 1, 2**31, 2**63, 10**30, "", " x", "x" * 501, "ok \ud800", "a\x00", HOSTILE]),
    st.sampled_from(["2026-11-23T09:30:00Z", "2026-11-23T09:30:00", "0001-01-01T00:00:00+01:00",
                     "9999-12-31T23:59:59-01:00", "2027-03-31", "10000-01-01"]),
    st.sampled_from(["strategy", "marketing", "great", "risk", "customer", "company", "adds", "none", "done", "S",
                     "review", "plan", "closed", "lobby", "hyperplan-backup"]),
    st.text(max_size=12),
)
JSON = st.recursive(LEAF, lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=6), inner,
                                                                                           max_size=3), max_leaves=5)


def _paths(value, path=()):
    yield path
    children = value.items() if isinstance(value, dict) else enumerate(value) if isinstance(value, list) else ()
    for key, child in children:
        yield from _paths(child, (*path, key))


def _mutate(doc: dict, data) -> dict:
    """1 to 4 changes, where and which picked by a seeded random (every part of the file equally likely): a value
    replaced (mostly by one the file holds under the same key elsewhere, else any JSON), a key or a row dropped,
    or a row copied."""
    rng = data.draw(st.randoms(use_true_random=False), label="where")
    for _ in range(rng.randint(1, 4)):
        paths = [p for p in _paths(doc) if p and p[0] not in ("format", "schema_version")]
        leaves = [p for p in paths if not isinstance(_at(doc, p), dict | list)]
        change = rng.choices(["set", "drop", "copy"], weights=[8, 1, 1])[0]
        if change == "set" and leaves:
            *parents, last = rng.choice(leaves)
            same = [_at(doc, p) for p in leaves if p[-1] == last] if isinstance(last, str) else []
            new = rng.choice(same) if same and rng.random() < 0.8 else data.draw(JSON, label="value")
            _at(doc, parents)[last] = new
        elif change == "drop":
            *parents, last = rng.choice(paths)
            del _at(doc, parents)[last]
        elif rows := [p for p in paths if isinstance(_at(doc, p[:-1]), list)]:
            *parents, last = rng.choice(rows)
            _at(doc, parents).append(copy.deepcopy(_at(doc, parents)[last]))
    return doc


def _at(doc, path):
    for part in path:
        doc = doc[part]
    return doc


def _read_everything(db, code: str, key: str) -> None:
    """What every screen and export reads of a workshop; none of it may fail."""
    ws.get_workshop(db, code)
    get_dashboard(db, code)
    dm.list_demands(db, code, key)
    dm.list_shown_demands(db, code)
    im.list_initiatives(db, code, key)
    im.list_shown_initiatives(db, code)
    selfcheck_results(db, code)
    investment_view(db, code)
    list_actions(db, code)
    list_process_maps(db, code)
    rating_progress(db, code)
    for fmt in FORMATS:
        export_workshop(db, code, key, fmt)
    try:
        token = join_workshop(db, code, "Late arrival").token
    except NotAllowed:  # locked or closed: nobody joins, nothing more to read
        return
    dm.list_my_view(db, token)
    im.list_my_initiatives(db, token)
    votes.get_ballot(db, token)
    votes.get_initiative_ballot(db, token)
    votes.get_my_initiative_dots(db, token)
    get_my_ratings(db, token)
    get_my_selfcheck(db, token)


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture,
                                                                  HealthCheck.too_slow])
@given(data=st.data())
def test_any_changed_backup_is_refused_cleanly_or_restores_a_readable_workshop(db, good, data):
    _, doc = good
    changed = json.dumps(_mutate(copy.deepcopy(doc), data)).encode()
    before = rows_everywhere(db)
    try:
        restored = import_backup(db, changed)
    except PlanningError as refusal:
        event(f"refused: {str(refusal)[:80]}")
        assert rows_everywhere(db) == before
        return
    event("restored")
    _read_everything(db, restored.workshop.code, restored.facilitator_key)


def test_the_restore_benchmark_runs_small(sqlite_url, tmp_path):
    """bench/restore.py on the small benchmark workshop, so it keeps working; its full figures are in the README."""
    result = bench.restore.run(sqlite_url, {"small": SMALL}, tmp_path)["small"]
    assert not result["code"].startswith("not restored") and result["participants"] == 10
    for writer in ("thread", "process"):
        assert result[writer]["busy_errors"] == 0 and result[writer]["demands_during_restore"] >= 1
