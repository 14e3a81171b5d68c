"""A follow-up's backup (planning/backup/, schema 5): what it carries as history survives a restore, the chain
travels by join code, and a restore keeps a link where that session is on the server, or says what it left out."""

import io
import json

import pytest
from openpyxl import load_workbook

from planning import followup
from planning.__main__ import main as cli
from planning.errors import InvalidInput
from planning.export import export_workshop, import_backup
from planning.plan import actions as ac
from planning.plan.review import review_action
from planning.selfcheck import selfcheck_results
from tests.factories import make_finished_room, make_room
from tests.services.test_backup import rows_everywhere
from tests.services.test_export import AT, FORMULA

LEFT_OUT = "The restore left out links to other sessions."


@pytest.fixture
def chain(db):
    """A finished room A and its follow-up B, whose plan was reviewed: (a_code, a_key, b_code, b_key)."""
    a = make_finished_room(db)
    created = followup.start_followup(db, a.code, a.key)
    b_code, b_key = created.workshop.code, created.facilitator_key
    plan = {x.what: x.id for x in ac.list_actions(db, b_code)}
    review_action(db, b_code, b_key, plan["Build it"], "late", new_due="2027-05-31", reason="The vendor slipped")
    review_action(db, b_code, b_key, plan["Go-live"], "dropped", reason=FORMULA)
    return a.code, a.key, b_code, b_key


def _doc(db, code: str, key: str) -> dict:
    return json.loads(export_workshop(db, code, key, "json", AT).data)


def _restore(db, doc: dict):
    return import_backup(db, json.dumps(doc).encode())


def _same(doc: dict) -> dict:
    """The backup without its export time and the chain's codes."""
    out = {k: v for k, v in doc.items() if k != "exported_at"}
    out["workshop"] = {k: v for k, v in doc["workshop"].items() if k not in ("follows", "followed_by")}
    return out


def test_a_follow_up_s_backup_carries_the_chain_and_its_history(db, chain):
    a_code, a_key, b_code, b_key = chain
    doc = _doc(db, b_code, b_key)
    assert doc["schema_version"] == 5 and (doc["workshop"]["follows"], doc["workshop"]["followed_by"]) == (a_code, None)
    assert _doc(db, a_code, a_key)["workshop"]["followed_by"] == b_code
    assert sorted(d["carried_votes"] for d in doc["demands"]) == [1, 3]
    assert {i["title"]: i["last_session"]["votes"] for i in doc["initiatives"]} == {"Live tracking": 3,
                                                                                    "Monthly invoice": 0}
    assert {x["what"]: (x["carried_due"], x["review"], x["review_reason"]) for x in doc["actions"]} == {
        "Design the page": ("2027-03-10", None, None), "Build it": ("2027-03-31", "late", "The vendor slipped"),
        "Go-live": ("2027-04-01", "dropped", FORMULA)}
    assert [r["baseline"] for r in doc["selfcheck"]] == [True]


def test_a_restore_keeps_the_history_and_says_which_link_it_left_out(db, chain):
    a_code, _, b_code, b_key = chain
    doc = _doc(db, b_code, b_key)
    restored = _restore(db, doc)
    code, key = restored.workshop.code, restored.facilitator_key
    said = f"{LEFT_OUT} It followed session {a_code}, which already has a follow-up on this server."
    assert restored.dropped == said
    chain_now = followup.get_chain(db, code, key)
    assert chain_now.follows is None and chain_now.dropped == said
    assert _same(_doc(db, code, key)) == _same(doc)  # everything else came back as it was
    assert [r.baseline for r in selfcheck_results(db, code)] == [True]
    assert {x.what: x.review for x in ac.list_actions(db, code)} == {"Design the page": None, "Build it": "late",
                                                                     "Go-live": "dropped"}
    assert not [m for m in _doc(db, code, key)["moderation"] if m["action"] == followup.CHAIN_DROPPED]


def test_a_restore_keeps_the_links_to_sessions_on_this_server_that_are_free(db, chain):
    _, _, b_code, b_key = chain
    before, after = make_room(db, phase="plan"), make_room(db, phase="lobby")
    doc = _doc(db, b_code, b_key)
    doc["workshop"].update(follows=before.code, followed_by=after.code)  # as on a server where these are free
    restored = _restore(db, doc)
    assert restored.dropped is None
    chain_now = followup.get_chain(db, restored.workshop.code, restored.facilitator_key)
    assert (chain_now.follows.code, chain_now.followed_by.code, chain_now.dropped) == (before.code, after.code, None)
    assert followup.get_chain(db, after.code, after.key).follows.code == restored.workshop.code


def test_a_restore_leaves_out_sessions_not_on_this_server_and_one_that_follows_another(db, chain):
    a_code, a_key, b_code, _ = chain
    doc = _doc(db, a_code, a_key)
    doc["workshop"]["follows"] = "ZZZZ2222"
    restored = _restore(db, doc)  # A again: B, which it was followed by, follows A here
    assert restored.dropped == (f"{LEFT_OUT} It followed session ZZZZ2222, which is not on this server. Session "
                                f"{b_code} followed it, but follows another session here.")
    chain_now = followup.get_chain(db, restored.workshop.code, restored.facilitator_key)
    assert (chain_now.earlier, chain_now.later) == ((), ())
    assert followup.get_chain(db, b_code, chain[3]).follows.code == a_code  # B keeps its own link


def test_the_command_line_says_what_a_restore_left_out(db, chain, tmp_path, monkeypatch, capsys):
    a_code, a_key, b_code, b_key = chain
    path = tmp_path / "b.json"
    path.write_bytes(export_workshop(db, b_code, b_key, "json", AT).data)
    monkeypatch.setenv("DATABASE_URL", db.url)
    assert cli(["import", str(path)]) == 0
    assert f"It followed session {a_code}, which already has a follow-up on this server." in capsys.readouterr().out


def test_the_data_exports_hold_the_history_and_no_formula_runs(db, chain):
    _, _, b_code, b_key = chain
    book = load_workbook(io.BytesIO(export_workshop(db, b_code, b_key, "xlsx", AT).data))
    header = [c.value for c in book["actions"][1]]
    reasons = [row[header.index("review_reason")] for row in book["actions"].iter_rows(min_row=2)]
    dropped = next(c for c in reasons if c.value == FORMULA)
    assert dropped.data_type == "s" and dropped.quotePrefix
    assert {"carried_status", "carried_due", "review"} <= set(header)
    assert "last_session_votes" in [c.value for c in book["initiatives"][1]]
    assert "carried_votes" in [c.value for c in book["demands"][1]]


def _set_action(field: str, value):
    def change(doc: dict) -> None:
        doc["actions"][0][field] = value
    return change


@pytest.mark.parametrize(("change", "message"), [
    (lambda d: d["workshop"].update(follows="AAAA2222", followed_by="AAAA2222"), "follows the session that follows"),
    (lambda d: d["workshop"].update(follows="abcd2345"), "damaged or altered"),
    (lambda d: d["workshop"].update(followed_by="<b>X</b>"), "damaged or altered"),
    (lambda d: d["demands"][0].update(carried_votes=-1), "damaged or altered"),
    (lambda d: d["initiatives"][0]["last_session"].update(customer_median=11), "damaged or altered"),
    (lambda d: d["initiatives"][0]["last_session"].update(votes="many"), "damaged or altered"),
    (lambda d: d["selfcheck"][0].update(baseline="maybe"), "damaged or altered"),
    (lambda d: d["actions"][0].update(review="postponed"), "damaged or altered"),
    (lambda d: d["actions"][0].update(carried_status=None, carried_due=None, review="done"),
     "Only actions carried from the last session are reviewed"),
    (lambda d: next(x for x in d["actions"] if x["review"] == "dropped").update(review_reason=None),
     "Say why the action was dropped"),
    (lambda d: d["actions"][0].update(review_reason="x" * 301), "at most 300 characters"),
])
def test_a_follow_up_s_bad_backup_is_refused_and_writes_nothing(db, chain, change, message):
    doc = _doc(db, chain[2], chain[3])
    change(doc)
    before = rows_everywhere(db)
    with pytest.raises(InvalidInput, match=message):
        _restore(db, doc)
    assert rows_everywhere(db) == before

