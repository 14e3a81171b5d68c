"""The people in the room, for the facilitator: who joined and who took part; rename one, merge a duplicate
into another, remove one. For the wall's lobby, only the names of who joined.

Merging folds a duplicate (a second device, a closed tab, "priya" beside "Priya") into a person: their demands,
initiatives, votes and ratings follow, and the duplicate's link acts as that person from then on. Removing
keeps a person's contributions but stops them acting and counting in the room."""

from collections import Counter
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, update
from sqlmodel import Session, select

from planning import ratings, votes
from planning.access import bump, facilitated, in_workshop, record, require_unlocked, workshop_by_code
from planning.db import Database
from planning.errors import InvalidInput
from planning.models import (
    Demand,
    DemandVote,
    Initiative,
    InitiativeVote,
    Participant,
    Rating,
    Workshop,
)
from planning.participants import MAX_NAME, require_free_name
from planning.text import clean_name

# Where a person's contributions are: (model, how many a row counts for).
_CONTRIBUTIONS = {
    "demands": (Demand, None), "initiatives": (Initiative, None),
    "demand_votes": (DemandVote, DemandVote.dots), "initiative_votes": (InitiativeVote, InitiativeVote.dots),
    "ratings": (Rating, None),
}  # self-check answers are tied to no one (planning/selfcheck.py): they are nobody's contribution here


@dataclass(frozen=True)
class PersonView:
    id: int
    name: str
    joined_at: datetime
    demands: int
    initiatives: int
    votes: int  # dots, on demands and on initiatives
    ratings: int  # initiative ratings, one per axis
    removed: bool

    @property
    def took_part(self) -> bool:
        """They contributed something: a ghost who only joined did not."""
        return bool(self.demands or self.initiatives or self.votes or self.ratings)


@dataclass(frozen=True)
class Merged:
    person: PersonView  # the person the duplicate was merged into, with everything that followed
    dropped_votes: int  # the duplicate's dots past the budget or the cap per item
    replaced_ratings: int  # ratings both had given: the later one of each pair was kept


def _tallies(s: Session, w: Workshop) -> dict[str, Counter]:
    people = select(Participant.id).where(Participant.workshop_id == w.id)
    out = {}
    for kind, (model, amount) in _CONTRIBUTIONS.items():
        total = func.sum(amount) if amount is not None else func.count()
        out[kind] = Counter(dict(s.exec(select(model.participant_id, total).where(
            model.participant_id.in_(people)).group_by(model.participant_id)).all()))
    return out


def _views(s: Session, w: Workshop, only: int | None = None) -> list[PersonView]:
    t = _tallies(s, w)
    query = select(Participant).where(Participant.workshop_id == w.id, Participant.merged_into_id.is_(None))
    if only is not None:
        query = query.where(Participant.id == only)
    return [PersonView(p.id, p.name, p.joined_at, t["demands"][p.id], t["initiatives"][p.id],
                       t["demand_votes"][p.id] + t["initiative_votes"][p.id], t["ratings"][p.id], p.removed)
            for p in s.exec(query.order_by(Participant.joined_at, Participant.id))]


def list_people(db: Database, code: str, key: str) -> list[PersonView]:
    """Everyone who joined, in the order they joined (removed people included, merged duplicates folded in).

    Raises: NotFound, NotAllowed for anyone but the facilitator."""
    with db.read() as s:
        return _views(s, facilitated(s, code, key))


def list_joined_names(db: Database, code: str, limit: int = 60) -> tuple[str, ...]:
    """The names of the people in the room, for the wall's lobby: the newest first, at most `limit`; removed
    people and merged duplicates left out, and none at all when the workshop is anonymous.

    Raises: NotFound."""
    with db.read() as s:
        w = workshop_by_code(s, code)
        if w.anonymous:
            return ()
        return tuple(s.exec(select(Participant.name).where(
            Participant.workshop_id == w.id, Participant.merged_into_id.is_(None), ~Participant.removed,
        ).order_by(Participant.joined_at.desc(), Participant.id.desc()).limit(max(0, int(limit)))).all())


def _person(s: Session, w: Workshop, participant_id: object) -> Participant:
    """A person of this workshop, not merged into another. Raises: NotFound."""
    p = in_workshop(s, Participant, w, participant_id, "person")
    if p.merged_into_id is not None:
        raise InvalidInput("That person was merged into another: choose that one")
    return p


def rename_participant(db: Database, code: str, key: str, participant_id: int, name: str) -> PersonView:
    """Give a person another name, one no one else in the room has.

    Raises: InvalidInput (a bad or taken name, a merged person), NotFound, NotAllowed, WorkshopLocked."""
    name = clean_name(name, what="The name", max_length=MAX_NAME)
    with db.write() as s:
        w = facilitated(s, code, key)
        require_unlocked(w)
        p = _person(s, w, participant_id)
        require_free_name(s, w, name, but=p.id)
        record(s, w, "rename_person", f"workshop:{w.id}", f"{p.name} -> {name}")
        p.name = name
        bump(s, w)
        return _views(s, w, only=p.id)[0]


def remove_participant(db: Database, code: str, key: str, participant_id: int, removed: bool = True) -> PersonView:
    """Remove a person (their link stops working and they no longer count; what they contributed stays), or
    take them back with `removed=False`, if no one has taken their name meanwhile.

    Raises: InvalidInput (a merged person, a name taken meanwhile), NotFound, NotAllowed, WorkshopLocked."""
    with db.write() as s:
        w = facilitated(s, code, key)
        require_unlocked(w)
        p = _person(s, w, participant_id)
        if not removed:
            require_free_name(s, w, p.name, but=p.id)
        p.removed = bool(removed)
        record(s, w, "remove_person" if removed else "restore_person", f"workshop:{w.id}", p.name)
        bump(s, w)
        return _views(s, w, only=p.id)[0]


def merge_participants(db: Database, code: str, key: str, duplicate_id: int, into_id: int) -> Merged:
    """Fold a duplicate into a person: demands and initiatives change author; votes follow as far as the budget
    and the cap per item allow (the person's own dots come first, the duplicate's past them are dropped);
    where both rated the same initiative on the same axis (or the same self-check area), the later rating stays.
    The duplicate's link then acts as the person.

    Raises: InvalidInput (the same person, a merged or removed one), NotFound, NotAllowed, WorkshopLocked."""
    with db.write() as s:
        w = facilitated(s, code, key)
        require_unlocked(w)
        dup, into = _person(s, w, duplicate_id), _person(s, w, into_id)
        if dup.id == into.id:
            raise InvalidInput("A person cannot be merged into themselves")
        if dup.removed or into.removed:
            raise InvalidInput("Take a removed person back before merging them")
        for model in (Demand, Initiative):
            s.execute(update(model).where(model.participant_id == dup.id).values(participant_id=into.id))
        dropped = votes.fold_votes(s, w, dup, into)
        replaced = ratings.fold_ratings(s, dup, into)  # self-check answers are tied to no one: they stay as given
        s.execute(update(Participant).where(Participant.merged_into_id == dup.id).values(merged_into_id=into.id))
        dup.merged_into_id = into.id
        record(s, w, "merge_person", f"workshop:{w.id}", f"{dup.name} -> {into.name}")
        bump(s, w)
        s.flush()
        return Merged(_views(s, w, only=into.id)[0], dropped, replaced)
