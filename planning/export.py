"""Exports: a summary that stands on its own (HTML, PDF, Markdown), the data (XLSX, CSV) and the backup (JSON).

The buttons in the facilitator console and `python -m planning export` both call `export_workshop`.
"""

import csv
import gc
import io
import zipfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from operator import itemgetter
from pathlib import Path

import jinja2
from sqlmodel import Session, select

from planning import backup as bk
from planning import xlsx
from planning.access import facilitated, require_organiser, workshop_by_code
from planning.analytics import QUADRANT_ADVICE, Dashboard, dashboard_of
from planning.backup.dump import pseudonym
from planning.backup.schema import BLastSession
from planning.charts import QUADRANT_COLOURS
from planning.db import Database
from planning.demands import DemandView
from planning.demands import views_in as demand_views
from planning.errors import InvalidInput
from planning.initiatives import InitiativeView
from planning.initiatives import views_in as initiative_views
from planning.markdown import md_escape
from planning.matrix import dots, matrix_number_of, value_exchange_matrix
from planning.models import (
    AREA_LABELS,
    LEVEL_LABELS,
    PHASE_LABELS,
    STEP_VALUE_LABELS,
    Participant,
    Phase,
    Workshop,
    utcnow,
)
from planning.plan.actions import ActionView, actions_of
from planning.plan.process import ProcessMap, maps_of
from planning.report_pdf import to_pdf
from planning.selfcheck import RunResult, results_of
from planning.since import NEW_SHOWN, SinceLast, since_last
from planning.text import safe_cell
from planning.workshops import CreatedWorkshop

FORMATS = {
    "html": ("text/html", "summary"), "pdf": ("application/pdf", "summary"), "md": ("text/markdown", "summary"),
    "xlsx": ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "data"),
    "csv": ("application/zip", "data"), "json": ("application/json", "backup"),
}
TOP_DEMANDS = 10
_TEMPLATES = jinja2.Environment(
    loader=jinja2.FileSystemLoader(Path(__file__).parent / "templates"),
    autoescape=jinja2.select_autoescape(enabled_extensions=("html.j2",), default_for_string=True),
    undefined=jinja2.StrictUndefined, keep_trailing_newline=True,
)


@dataclass(frozen=True)
class Exported:
    file_name: str
    mime: str
    data: bytes


@dataclass(frozen=True)
class Report:
    """What a summary says, gathered in one transaction."""

    workshop: Workshop
    exported_at: datetime
    people: tuple[str, ...] | None  # None when the workshop is anonymous
    people_count: int
    demands: tuple[DemandView, ...]  # shown ones, most voted first
    initiatives: dict[int, InitiativeView]
    dashboard: Dashboard
    selfcheck: tuple[RunResult, ...] = ()
    actions: tuple[ActionView, ...] = ()
    maps: tuple[ProcessMap, ...] = ()
    since: SinceLast | None = None  # a follow-up: what changed since the last session

    @property
    def phase(self) -> str:
        return PHASE_LABELS[Phase(self.workshop.phase)]

    def demand_text(self, demand_id: int) -> str:
        return self.dashboard.demand_text(demand_id) or f"demand #{demand_id}"


def _report(s: Session, w: Workshop, exported_at: datetime) -> Report:
    people = s.exec(select(Participant.name).where(Participant.workshop_id == w.id).order_by(Participant.id)).all()
    demands, dashboard, actions = tuple(demand_views(s, w)), dashboard_of(s, w), tuple(actions_of(s, w))
    runs = tuple(r for r in results_of(s, w) if r.respondents)
    return Report(
        workshop=w, exported_at=exported_at, people=None if w.anonymous else tuple(people),
        people_count=len(people), demands=demands, initiatives={i.id: i for i in initiative_views(s, w)},
        dashboard=dashboard, selfcheck=runs, actions=actions, maps=tuple(maps_of(s, w)),
        since=since_last(s, w, demands, dashboard, actions, runs),
    )


Table = list[dict] | tuple[list[str], list[tuple]]  # rows as dicts, or a header and rows in its order


def tables(b: bk.Backup, anonymous: bool, ratings: list[tuple] | None = None) -> dict[str, Table]:
    """The workshop as flat tables, one per sheet or CSV file (names hidden when anonymous); `ratings` as rows
    (bk.data_of) instead of the backup's.

    Self-check answers are rows of (run, area, level) sorted by what they say: no respondent, order or time.
    """
    people = [{"id": p.id, "name": pseudonym(p.id) if anonymous else p.name, "joined_at": p.joined_at}
              for p in b.participants]
    initiatives = [{**i.model_dump(exclude={"demands", "areas", "last_session"}),
                    "demands": "; ".join(map(str, i.demands)), "areas": "; ".join(AREA_LABELS[a] for a in i.areas),
                    **{f"last_session_{k}": v for k, v in (i.last_session.model_dump() if i.last_session
                                                           else dict.fromkeys(BLastSession.model_fields)).items()}}
                   for i in b.initiatives]
    return {
        "workshop": [{"field": k, "value": v} for k, v in b.workshop.model_dump().items()],
        "participants": people,
        "demands": [d.model_dump() for d in b.demands],
        "demand_votes": [v.model_dump() for v in b.demand_votes],
        "initiatives": initiatives,
        "ratings": (bk.RATING_COLUMNS, ratings if ratings is not None else [
            tuple(r.model_dump().values()) for r in b.ratings]),
        "initiative_votes": [v.model_dump() for v in b.initiative_votes],
        "moderation": [m.model_dump() for m in b.moderation],
        "selfcheck": [{"run": run.number, "area": area, "level": level} for run in b.selfcheck
                      for area, level in sorted((a, lv) for r in run.responses for a, lv in r.items())],
        "actions": [{**a.model_dump(exclude={"depends_on"}), "depends_on": "; ".join(map(str, a.depends_on))}
                    for a in b.actions],
        "process_steps": [p.model_dump() for p in b.process_steps],
    }


def _plain(value: object) -> object:
    if isinstance(value, datetime):
        return value.isoformat()
    return value.value if hasattr(value, "value") else value


def _columns(rows: Table) -> tuple[list[str], list[tuple]]:
    """A table's header and its rows as tuples in the header's order."""
    if isinstance(rows, tuple):
        return rows
    header = list(rows[0]) if rows else ["(empty)"]
    get = itemgetter(*header)
    return header, [get(r) for r in rows] if len(header) > 1 else [(get(r),) for r in rows]


def to_xlsx(sheets: dict[str, Table], exported_at: datetime) -> bytes:
    """One sheet per table: a frozen bold header, dates and times as real date cells, columns sized to their
    content; text is always text (a formula starter keeps Excel's quote prefix, shown as typed)."""
    return xlsx.workbook({name: _columns(rows) for name, rows in sheets.items()}, exported_at, "Hyperplan data",
                         lambda name: _entry(name, exported_at))


def to_csv_zip(sheets: dict[str, Table], exported_at: datetime) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as z:
        for name, rows in sheets.items():
            text = io.StringIO()
            writer = csv.writer(text)
            header, body = _columns(rows) if rows else ([], [])
            writer.writerow(header)
            writer.writerows([safe_cell(_plain(value)) for value in row] for row in body)
            z.writestr(_entry(f"{name}.csv", exported_at), text.getvalue().encode("utf-8-sig"))
    return buffer.getvalue()


def _entry(name: str, at: datetime) -> zipfile.ZipInfo:
    """A compressed zip entry stamped with the export time (so equal exports are equal bytes)."""
    info = zipfile.ZipInfo(name, (max(at.year, 1980), at.month, at.day, at.hour, at.minute, at.second // 2 * 2))
    info.compress_type = zipfile.ZIP_DEFLATED
    return info


_TEMPLATES.filters["md"] = md_escape


def render(template: str, report: Report, **extra) -> str:
    return _TEMPLATES.get_template(template).render(
        r=report, d=report.dashboard, area=AREA_LABELS, advice=QUADRANT_ADVICE, md=md_escape, levels=LEVEL_LABELS,
        step_values=STEP_VALUE_LABELS, today=report.exported_at.date(), new_shown=NEW_SHOWN,
        numbers=matrix_number_of(report.dashboard),
        legend=dots(report.dashboard), colours=QUADRANT_COLOURS, **extra
    )


def to_html(report: Report) -> bytes:
    matrix = value_exchange_matrix(report.dashboard) if report.dashboard.initiatives else None
    chart = matrix.to_html(full_html=False, include_plotlyjs=True, div_id="value-exchange-matrix",
                           config={"displayModeBar": False, "responsive": True}) if matrix else ""
    return render("summary.html.j2", report, chart=chart).encode()


def file_name(code: str, fmt: str, at: datetime | None = None) -> str:
    """hyperplan-CODE-summary-20261123-0930.pdf, -data-….xlsx, -backup-….json."""
    stamp = (at or utcnow()).strftime("%Y%m%d-%H%M")
    return f"hyperplan-{code}-{FORMATS[fmt][1]}-{stamp}.{'zip' if fmt == 'csv' else fmt}"


@contextmanager
def _no_gc_pauses() -> Iterator[None]:
    """The data exports build some 200,000 rows, tuples with no cycles, and every 700 allocations woke the cyclic
    collector to walk the growing heap: 0.55 of the large benchmark's 2.1 s XLSX. Memory is still freed by
    reference counting meanwhile; the collector is back on (if it was) when the file is built."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def _build(s: Session, w: Workshop, fmt: str, exported_at: datetime) -> Exported:
    if fmt not in FORMATS:
        raise InvalidInput("Export as html, pdf, md, xlsx, csv or json")
    mime = FORMATS[fmt][0]
    name = file_name(w.join_code, fmt, exported_at)
    if fmt == "json":
        with _no_gc_pauses():
            return Exported(name, mime, bk.to_json(bk.backup_of(s, w, exported_at)))
    if fmt in ("xlsx", "csv"):
        with _no_gc_pauses():
            backup, ratings = bk.data_of(s, w, exported_at)
            sheets = tables(backup, w.anonymous, ratings)
            return Exported(name, mime, (to_xlsx if fmt == "xlsx" else to_csv_zip)(sheets, exported_at))
    report = _report(s, w, exported_at)
    if fmt == "pdf":
        return Exported(name, mime, to_pdf(report))
    data = to_html(report) if fmt == "html" else render("summary.md.j2", report).encode()
    return Exported(name, mime, data)


def export_workshop(db: Database, code: str, key: str, fmt: str, exported_at: datetime | None = None) -> Exported:
    """The facilitator's export in one format. Raises: NotAllowed for a wrong key, InvalidInput for a format."""
    with db.read() as s:
        return _build(s, facilitated(s, code, key), fmt, (exported_at or utcnow()).replace(microsecond=0))


def export_as_operator(db: Database, code: str, fmt: str, exported_at: datetime | None = None) -> Exported:
    """The same export for whoever runs the server (the command line): they hold the database already."""
    with db.read() as s:
        return _build(s, workshop_by_code(s, code), fmt, (exported_at or utcnow()).replace(microsecond=0))


def import_backup(
    db: Database, data: bytes, *, passcode: str | None = None, organiser_passcode: str | None = None
) -> CreatedWorkshop:
    """Restore a JSON backup as a new workshop (new join code and facilitator key), all or nothing.

    Gated like creating a workshop; one restore at a time per server process; written in short transactions
    that never hold up other workshops (planning/backup/write.py).
    Raises: NotAllowed (organiser passcode, another restore running), InvalidInput (too big, malformed, wrong
    version, altered), before anything is written.
    """
    require_organiser(passcode, organiser_passcode)
    return bk.restore(db, data)
