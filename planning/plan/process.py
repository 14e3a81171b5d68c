"""Process value maps: the ordered steps of a workflow a chosen initiative changes, judged by customer value."""

from dataclasses import dataclass

from sqlalchemy import func
from sqlmodel import Session, select

from planning.access import bump, facilitated, in_workshop, require_unlocked, workshop_by_code
from planning.db import Database
from planning.errors import InvalidInput
from planning.models import Initiative, ProcessStep, StepValue, Workshop
from planning.plan.actions import chosen_initiative
from planning.text import clean_text


@dataclass(frozen=True)
class StepView:
    id: int
    position: int
    actor: str
    what: str
    information: str
    value: StepValue


@dataclass(frozen=True)
class ProcessMap:
    initiative_id: int
    initiative: str
    steps: tuple[StepView, ...]

    @property
    def actors(self) -> tuple[str, ...]:
        """The swimlanes, in the order they first appear."""
        return tuple(dict.fromkeys(s.actor for s in self.steps))

    @property
    def adding_share(self) -> float | None:
        """The share of steps that add value for the customer."""
        return sum(s.value == StepValue.ADDS for s in self.steps) / len(self.steps) if self.steps else None

    @property
    def to_remove(self) -> tuple[StepView, ...]:
        """Steps with no value to the customer: candidates to remove."""
        return tuple(s for s in self.steps if s.value == StepValue.NONE)


def _fields(actor: str, what: str, information: str, value: object) -> dict:
    try:
        value = StepValue(value)
    except ValueError:
        raise InvalidInput("A step adds value, enables, or adds none") from None
    info = (information or "").strip()
    return {"actor": clean_text(actor, what="Who does it", max_length=80),
            "what": clean_text(what, what="What happens", max_length=300),
            "information": clean_text(info, what="The information", max_length=300) if info else "", "value": value}


def _step(s: Session, w: Workshop, step_id: object) -> ProcessStep:
    return in_workshop(s, ProcessStep, w, step_id, "step")


def add_step(db: Database, code: str, key: str, initiative_id: int, actor: str, what: str, information: str,
             value: str) -> int:
    """Append a step to a chosen initiative's process map; returns its id. Raises: InvalidInput, NotAllowed."""
    fields = _fields(actor, what, information, value)
    with db.write() as s:
        w = facilitated(s, code, key)
        require_unlocked(w)
        item = chosen_initiative(s, w, initiative_id)
        last = s.exec(select(func.max(ProcessStep.position)).where(ProcessStep.initiative_id == item.id)).one()
        step = ProcessStep(workshop_id=w.id, initiative_id=item.id, position=(last or 0) + 1, **fields)
        s.add(step)
        s.flush()
        bump(s, w)
        return step.id


def edit_step(db: Database, code: str, key: str, step_id: int, actor: str, what: str, information: str,
              value: str) -> None:
    """Change a step. Raises: InvalidInput, NotFound, NotAllowed, WorkshopLocked."""
    fields = _fields(actor, what, information, value)
    with db.write() as s:
        w = facilitated(s, code, key)
        require_unlocked(w)
        step = _step(s, w, step_id)
        for name, v in fields.items():
            setattr(step, name, v)
        bump(s, w)


def move_step(db: Database, code: str, key: str, step_id: int, offset: int) -> None:
    """Swap a step with its neighbour (offset -1 earlier, +1 later); at either end nothing moves."""
    if offset not in (-1, 1):
        raise InvalidInput("A step moves one place at a time")
    with db.write() as s:
        w = facilitated(s, code, key)
        require_unlocked(w)
        step = _step(s, w, step_id)
        steps = list(s.exec(select(ProcessStep).where(ProcessStep.initiative_id == step.initiative_id)
                            .order_by(ProcessStep.position)))
        i = steps.index(step)
        if 0 <= i + offset < len(steps):
            other = steps[i + offset]
            step.position, other.position = other.position, step.position
            bump(s, w)


def delete_step(db: Database, code: str, key: str, step_id: int) -> None:
    """Remove a step. Raises: NotFound, NotAllowed, WorkshopLocked."""
    with db.write() as s:
        w = facilitated(s, code, key)
        require_unlocked(w)
        s.delete(_step(s, w, step_id))
        bump(s, w)


def maps_of(s: Session, w: Workshop) -> list[ProcessMap]:
    steps = s.exec(select(ProcessStep).where(ProcessStep.workshop_id == w.id)
                   .order_by(ProcessStep.initiative_id, ProcessStep.position)).all()
    titles = dict(s.exec(select(Initiative.id, Initiative.title).where(Initiative.workshop_id == w.id)).all())
    maps: dict[int, list[StepView]] = {}
    for st in steps:
        maps.setdefault(st.initiative_id, []).append(
            StepView(st.id, st.position, st.actor, st.what, st.information, StepValue(st.value)))
    return [ProcessMap(i, titles[i], tuple(v)) for i, v in maps.items()]


def list_process_maps(db: Database, code: str) -> list[ProcessMap]:
    """Every initiative's process map (everyone in the room may read them)."""
    with db.read() as s:
        return maps_of(s, workshop_by_code(s, code))
