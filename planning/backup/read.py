"""An uploaded backup read one row at a time, checked, and kept compact until it is written.

The file is never parsed whole: the top-level object is walked member by member and each list one row
at a time (json's C decoder for each row), so memory follows the rows kept, not the JSON's objects.
Every refusal is a fixed sentence: it may name a section or a row number, never the file's own text.
"""

from array import array
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

from pydantic import BaseModel, TypeAdapter, ValidationError

from planning.backup import jsonrows
from planning.backup.dump import responses
from planning.backup.rules import check
from planning.backup.schema import (
    FORMAT,
    LIMIT_NAMES,
    LIMITS,
    MAX_BACKUP_BYTES,
    READABLE_VERSIONS,
    REQUIRED,
    ROWS,
    SECTIONS,
    BAction,
    BDemand,
    BInitiative,
    BModeration,
    BParticipant,
    BProcessStep,
    BRating,
    BSelfCheckRun,
    BSelfCheckRunV3,
    BWorkshop,
    Moment,
)
from planning.errors import InvalidInput
from planning.models import Axis

NOT_JSON = "This file is not a Hyperplan backup (it is not complete JSON)"
NOT_BACKUP = "This file is not a Hyperplan backup"
EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
_MOMENT = TypeAdapter(Moment)
WORDS = {"participants": "the participants", "demands": "the demands", "demand_votes": "the votes on demands",
         "initiatives": "the initiatives", "ratings": "the ratings", "initiative_votes": "the votes on initiatives",
         "moderation": "the moderation record", "selfcheck": "the self-check", "actions": "the plan's actions",
         "process_steps": "the process maps", "workshop": "the workshop's settings", "exported_at": "the export time"}


def damaged(why: str) -> InvalidInput:
    return InvalidInput(f"This backup is damaged or altered ({why})")


@dataclass
class Ratings:
    """Ratings as columns of machine integers: 18 bytes a rating instead of a few hundred as objects."""

    participant: array = field(default_factory=lambda: array("i"))
    initiative: array = field(default_factory=lambda: array("i"))
    customer: bytearray = field(default_factory=bytearray)  # 1: value to the customer, 0: to the company
    score: bytearray = field(default_factory=bytearray)
    micros: array = field(default_factory=lambda: array("q"))  # updated_at, microseconds since 1970 in UTC

    def add(self, r: BRating) -> None:
        self.participant.append(r.participant)
        self.initiative.append(r.initiative)
        self.customer.append(r.axis == Axis.CUSTOMER)
        self.score.append(r.score)
        self.micros.append((r.updated_at - EPOCH) // timedelta(microseconds=1))

    def __len__(self) -> int:
        return len(self.score)

    def row(self, n: int) -> tuple[int, int, Axis, int, datetime]:
        axis = Axis.CUSTOMER if self.customer[n] else Axis.COMPANY
        at = EPOCH + timedelta(microseconds=self.micros[n])
        return self.participant[n], self.initiative[n], axis, self.score[n], at


@dataclass
class Checked:
    """A backup that passed every check, ready to be written."""

    version: int = 0
    workshop: BWorkshop | None = None
    participants: list[BParticipant] = field(default_factory=list)
    demands: list[BDemand] = field(default_factory=list)
    initiatives: list[BInitiative] = field(default_factory=list)
    demand_votes: list[tuple[int, int, int]] = field(default_factory=list)  # (participant, demand, dots)
    initiative_votes: list[tuple[int, int, int]] = field(default_factory=list)
    ratings: Ratings = field(default_factory=Ratings)
    moderation: list[BModeration] = field(default_factory=list)
    selfcheck: list[BSelfCheckRun] = field(default_factory=list)
    actions: list[BAction] = field(default_factory=list)
    process_steps: list[BProcessStep] = field(default_factory=list)


def _keep(b: Checked, section: str, row) -> None:
    if section == "ratings":
        b.ratings.add(row)
    elif section in ("demand_votes", "initiative_votes"):
        item = row.demand if section == "demand_votes" else row.initiative
        getattr(b, section).append((row.participant, item, row.dots))
    else:
        getattr(b, section).append(row)


def _bounded(doc: jsonrows.Document, section: str) -> Iterator[object]:
    """The section's rows, refused as soon as there are more than a restore takes."""
    for n, value in enumerate(doc.elements()):
        if n >= LIMITS[section]:
            raise InvalidInput(f"This backup holds more {LIMIT_NAMES[section]} than Hyperplan restores "
                               f"(at most {LIMITS[section]:,})")
        yield value


def _rows(doc: jsonrows.Document, b: Checked, section: str) -> None:
    for n, value in enumerate(_bounded(doc, section)):
        _keep(b, section, _valid(ROWS[section], value, section, n))


def _valid(model: type[BaseModel] | TypeAdapter, value: object, section: str, n: int | None = None):
    try:
        return model.validate_python(value) if isinstance(model, TypeAdapter) else model.model_validate(value)
    except ValidationError:
        where = WORDS[section] if n is None else f"{WORDS[section]}, row {n + 1}"
        raise damaged(f"first problem in {where}") from None


def _selfcheck(raw: list, version: int, people: set[int]) -> list[BSelfCheckRun]:
    """Runs as version 4 keeps them; older versions' answers are checked, then lose their participant and time."""
    if version >= 4:
        return [_valid(BSelfCheckRun, run, "selfcheck", n) for n, run in enumerate(raw)]
    runs = [_valid(BSelfCheckRunV3, run, "selfcheck", n) for n, run in enumerate(raw)]
    answers = [[(x.participant, x.area) for x in r.ratings] for r in runs]
    if any(p not in people for run in answers for p, _ in run):
        raise damaged("a row points at nothing")
    if any(len(set(run)) != len(run) for run in answers):
        raise damaged("a vote or rating appears twice")
    return [BSelfCheckRun(number=r.number, opened_at=r.opened_at, closed_at=r.closed_at,
                          responses=responses((x.participant, x.area, x.level) for x in r.ratings)) for r in runs]


class _Reader:
    """Takes the top-level members as they come (any order), each checked and kept compact."""

    def __init__(self) -> None:
        self.b, self.seen, self.raw_selfcheck = Checked(), set(), []

    def take(self, key: str, doc: jsonrows.Document) -> None:
        if key not in SECTIONS:
            raise damaged("it has a section Hyperplan does not know") if "format" in self.seen else \
                InvalidInput(NOT_BACKUP)
        if key in self.seen:
            raise damaged("a section appears twice")
        self.seen.add(key)
        if key in ROWS:
            _rows(doc, self.b, key)
        elif key == "selfcheck":
            self.raw_selfcheck = list(_bounded(doc, "selfcheck"))
        else:
            self._single(key, doc.value())

    def _single(self, key: str, value: object) -> None:
        if key == "format" and value != FORMAT:
            raise InvalidInput(NOT_BACKUP)
        if key == "schema_version":
            if isinstance(value, bool) or value not in READABLE_VERSIONS:
                raise InvalidInput("This backup has a schema version this Hyperplan cannot read (it reads "
                                   f"versions {', '.join(map(str, READABLE_VERSIONS))})")
            self.b.version = value
        elif key == "exported_at":
            _valid(_MOMENT, value, key)
        elif key == "workshop":
            self.b.workshop = _valid(BWorkshop, value, key)

    def finish(self) -> Checked:
        if "format" not in self.seen:
            raise InvalidInput(NOT_BACKUP)
        if not REQUIRED <= self.seen:
            raise damaged("a section is missing")
        self.b.selfcheck = _selfcheck(self.raw_selfcheck, self.b.version, {p.id for p in self.b.participants})
        return self.b


def parse(data: bytes) -> Checked:
    """A checked backup from uploaded bytes, or a refusal before anything is written.

    Raises: InvalidInput (too big, not JSON, not a backup, unknown version, a bad row, a broken rule).
    """
    if len(data) > MAX_BACKUP_BYTES:
        raise InvalidInput(f"A backup can be at most {MAX_BACKUP_BYTES // (1024 * 1024)} MB")
    try:
        doc = jsonrows.Document(data.decode("utf-8-sig"))
    except UnicodeDecodeError:
        raise InvalidInput(NOT_JSON) from None
    reader = _Reader()
    try:
        for key in doc.members():
            reader.take(key, doc)
        doc.end()
    except jsonrows.NotAnObject:
        raise InvalidInput(NOT_BACKUP) from None
    except jsonrows.NotAList as error:
        raise damaged("a section that holds rows does not") from error
    except jsonrows.Broken:
        raise InvalidInput(NOT_JSON) from None
    except jsonrows.TooDeep:
        raise damaged("it nests deeper than any backup") from None
    checked = reader.finish()
    check(checked)
    return checked
