"""The plan's downloads, parsed back: Microsoft Project XML (and MPXJ, a reference importer), the CSV for
Jira and Asana, and the process book (HTML and PDF)."""

import csv
import io
import json
import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET
from datetime import UTC, datetime

import pypdfium2
import pytest

from planning import workshops as ws
from planning.errors import InvalidInput, NotAllowed
from planning.initiatives import choose_initiative
from planning.plan import actions as ac
from planning.plan import process as pr
from planning.plan.files import plan_file
from tests.conftest import missing
from tests.factories import make_initiative, make_room

AT = datetime(2027, 3, 15, 9, 30, tzinfo=UTC)
NS = {"p": "http://schemas.microsoft.com/project"}
HOSTILE = "<b>Pilot</b> & =SUM(A1)"


@pytest.fixture
def plan(db):
    """Two chosen initiatives; a chain Design -> Build -> Go-live (milestone) and a cross-initiative link."""
    room = make_room(db, phase="value_exchange")
    track = make_initiative(db, room.tokens[0], "Live tracking", customer_value="I see my pallets <live>").id
    cold = make_initiative(db, room.tokens[1], "Cold chain").id
    for item in (track, cold):
        choose_initiative(db, room.code, room.key, item)
    ws.set_phase(db, room.code, room.key, "plan")
    add = lambda item, what, owner, due, **kw: ac.add_action(db, room.code, room.key, item, what, owner, due, **kw)  # noqa: E731
    room.design = add(track, "Design, then review", "Dagny [ops], North", "2027-03-10", start="2027-03-01")
    room.build = add(track, HOSTILE, "Hank", "2027-03-31", depends_on=(room.design,), status="in_progress")
    room.live = add(track, "Go-live", "Dagny [ops], North", "2027-04-01", milestone=True, depends_on=(room.build,))
    room.fit = add(cold, "Fit trucks", "Hank", "2027-04-30", duration=10, depends_on=(room.build,), status="done")
    for actor, what, info, value in [("Customer", "Books a pickup", "pallet count", "adds"),
                                     ("Sales", "Re-keys the <booking>", "", "none"),
                                     ("Dispatch", "Plans the route", "address & time window", "enables")]:
        pr.add_step(db, room.code, room.key, track, actor, what, info, value)
    room.track, room.cold = track, cold
    return room


def _tasks(root: ET.Element) -> dict[str, ET.Element]:
    return {t.findtext("p:Name", namespaces=NS): t for t in root.iterfind("p:Tasks/p:Task", NS)}


def test_the_mspdi_file_carries_outline_dates_links_milestones_and_owners(db, plan):
    got = plan_file(db, plan.code, plan.key, "mspdi", AT)
    assert got.file_name == f"hyperplan-{plan.code}-plan.xml" and got.mime == "application/xml"
    root = ET.fromstring(got.data)
    assert root.tag == "{http://schemas.microsoft.com/project}Project"
    tasks = _tasks(root)
    assert list(tasks) == ["Live tracking", "Design, then review", HOSTILE, "Go-live", "Cold chain", "Fit trucks"]
    get = lambda name, field: tasks[name].findtext(f"p:{field}", namespaces=NS)  # noqa: E731
    assert [(get(n, "OutlineNumber"), get(n, "Summary")) for n in tasks] == [
        ("1", "1"), ("1.1", "0"), ("1.2", "0"), ("1.3", "0"), ("2", "1"), ("2.1", "0")]
    assert (get("Design, then review", "Start"), get("Design, then review", "Finish"),
            get("Design, then review", "Duration")) == ("2027-03-01T08:00:00", "2027-03-10T17:00:00", "PT80H0M0S")
    assert (get(HOSTILE, "Start"), get(HOSTILE, "ConstraintType")) == ("2027-03-11T08:00:00", "0")
    assert (get("Go-live", "Milestone"), get("Go-live", "Start"), get("Go-live", "Duration")) == (
        "1", "2027-04-01T17:00:00", "PT0H0M0S")
    assert (get("Fit trucks", "Start"), get("Fit trucks", "PercentComplete")) == ("2027-04-21T08:00:00", "100")
    uid = {name: t.findtext("p:UID", namespaces=NS) for name, t in tasks.items()}
    links = {name: [(link.findtext("p:PredecessorUID", namespaces=NS), link.findtext("p:Type", namespaces=NS))
                    for link in t.iterfind("p:PredecessorLink", NS)] for name, t in tasks.items()}
    assert links[HOSTILE] == [(uid["Design, then review"], "1")] and links["Go-live"] == [(uid[HOSTILE], "1")]
    assert links["Fit trucks"] == [(uid[HOSTILE], "1")]
    assert [get(n, "Critical") for n in ("Design, then review", HOSTILE, "Go-live", "Fit trucks")] == [
        "0", "0", "0", "1"]  # Fit trucks is anchored on 21 April (its duration): only it sets the end date
    resources = {r.findtext("p:UID", namespaces=NS): r.findtext("p:Name", namespaces=NS)
                 for r in root.iterfind("p:Resources/p:Resource", NS)}
    assert sorted(resources.values()) == ["Dagny (ops) North", "Hank"]
    assigned = {(a.findtext("p:TaskUID", namespaces=NS), resources[a.findtext("p:ResourceUID", namespaces=NS)])
                for a in root.iterfind("p:Assignments/p:Assignment", NS)}
    assert assigned == {(uid["Design, then review"], "Dagny (ops) North"), (uid[HOSTILE], "Hank"),
                        (uid["Go-live"], "Dagny (ops) North"), (uid["Fit trucks"], "Hank")}
    assert len(root.findall("p:Calendars/p:Calendar/p:WeekDays/p:WeekDay", NS)) == 7


MPXJ_READER = """
import json, sys, jpype, mpxj
jpype.startJVM()
from org.mpxj.reader import UniversalProjectReader
project = UniversalProjectReader().read(sys.argv[1])
tasks = []
for t in project.getTasks():
    if t.getName() is None:
        continue
    tasks.append({"name": str(t.getName()), "start": str(t.getStart()), "finish": str(t.getFinish()),
                  "milestone": bool(t.getMilestone()), "summary": bool(t.getSummary()),
                  "level": int(t.getOutlineLevel()),
                  "predecessors": [str(r.getPredecessorTask().getName()) for r in t.getPredecessors()],
                  "types": [str(r.getType()) for r in t.getPredecessors()],
                  "owners": [str(a.getResource().getName()) for a in t.getResourceAssignments()]})
print(json.dumps(tasks))
jpype.shutdownJVM()
"""


def test_mpxj_a_reference_importer_reads_the_mspdi_file_as_planned(db, plan, tmp_path):
    try:
        import jpype  # noqa: F401
        import mpxj  # noqa: F401
    except ImportError:
        missing("the mpxj and JPype1 packages are not installed (pip install -r requirements-dev.txt)")
    if shutil.which("java") is None:
        missing("MPXJ needs a Java runtime (apt-get install default-jre-headless)")
    path = tmp_path / "plan.xml"
    path.write_bytes(plan_file(db, plan.code, plan.key, "mspdi", AT).data)
    script = tmp_path / "read.py"
    script.write_text(MPXJ_READER)
    done = subprocess.run([sys.executable, str(script), str(path)], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr[-2000:]
    tasks = {t["name"]: t for t in json.loads(done.stdout.strip().splitlines()[-1])}
    assert [n for n, t in tasks.items() if t["summary"]] == ["Live tracking", "Cold chain"]
    assert (tasks["Design, then review"]["start"], tasks["Design, then review"]["finish"]) == (
        "2027-03-01T08:00", "2027-03-10T17:00")
    assert tasks[HOSTILE]["predecessors"] == ["Design, then review"] and tasks[HOSTILE]["types"] == ["FS"]
    assert tasks["Go-live"]["milestone"] and tasks["Go-live"]["predecessors"] == [HOSTILE]
    assert tasks["Fit trucks"]["predecessors"] == [HOSTILE] and tasks["Fit trucks"]["level"] == 2
    assert tasks["Design, then review"]["owners"] == ["Dagny (ops) North"] and tasks[HOSTILE]["owners"] == ["Hank"]


def test_the_csv_lists_dependencies_first_in_columns_jira_and_asana_import(db, plan):
    got = plan_file(db, plan.code, plan.key, "csv", AT)
    rows = list(csv.reader(io.StringIO(got.data.decode("utf-8-sig"))))
    assert rows[0] == ["Name", "Description", "Section", "Assignee", "Start Date", "Due Date", "Dependencies",
                       "Issue ID", "Issue Type", "Status", "Labels", "Blocked By"]
    body = [dict(zip(rows[0], row, strict=True)) for row in rows[1:]]
    assert [r["Name"] for r in body] == ["Design, then review", HOSTILE, "Go-live", "Fit trucks"]
    design, build, live, fit = body
    assert (design["Start Date"], design["Due Date"], design["Issue ID"], design["Section"]) == (
        "03/01/2027", "03/10/2027", "1", "Live tracking")
    assert (build["Dependencies"], build["Blocked By"], build["Status"]) == ("Design, then review", "1", "In Progress")
    assert (live["Start Date"], live["Labels"], live["Blocked By"]) == ("", "milestone", "2")
    assert (fit["Section"], fit["Start Date"], fit["Status"], fit["Dependencies"]) == (
        "Cold chain", "04/21/2027", "Done", HOSTILE)
    numbers = {r["Issue ID"] for r in body}
    assert all(r["Blocked By"] in numbers | {""} for r in body)


def test_the_process_book_keeps_user_text_literal_and_leaves_the_demo_column_empty(db, plan):
    html = plan_file(db, plan.code, plan.key, "book-html", AT).data.decode()
    assert "Re-keys the &lt;booking&gt;" in html and "<booking>" not in html
    assert "I see my pallets &lt;live&gt;" in html and "address &amp; time window" in html
    assert html.count("Show us how your product supports this step") == 1
    assert html.count('<td class="demo"></td>') == 3 and html.count('class="lane"') == 3
    assert "Cold chain" not in html  # no process map: not in the book
    pdf = pypdfium2.PdfDocument(plan_file(db, plan.code, plan.key, "book-pdf", AT).data)
    text = "\n".join(page.get_textpage().get_text_range() for page in pdf)
    assert "Workflow 1: Live tracking" in text and "Re-keys the <booking>" in text.replace("\r", "")
    assert "Show us how your product" in text and "No customer value" in text and len(pdf) == 2


@pytest.mark.parametrize(("who", "fmt", "error"), [("participant", "mspdi", NotAllowed),
                                                   ("facilitator", "docx", InvalidInput)])
def test_plan_files_are_the_facilitators_in_known_formats(db, plan, who, fmt, error):
    with pytest.raises(error):
        plan_file(db, plan.code, plan.key if who == "facilitator" else plan.tokens[0], fmt, AT)
