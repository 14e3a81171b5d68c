"""Ratings: each participant scores each initiative 0-10 on both axes, independently."""

from collections.abc import Callable, Hashable
from dataclasses import dataclass

from sqlalchemy import case, func
from sqlmodel import Session, select

from planning import moderation
from planning.access import bump, participant_by_token, require_unlocked, workshop_by_code
from planning.db import Database
from planning.errors import InvalidInput, NotAllowed, NotFound
from planning.models import Axis, Initiative, Participant, Phase, Rating, SelfCheckRating, Workshop, utcnow
from planning.participants import counted

SCALE = range(0, 11)


@dataclass(frozen=True)
class MyRatings:
    scores: dict[tuple[int, Axis], int]  # (initiative id, axis) -> score: only the asker's own
    rated: int  # initiatives rated on both axes
    total: int  # initiatives to rate


@dataclass(frozen=True)
class RoomProgress:
    finished: int  # participants who rated every initiative on both axes
    started: int
    participants: int  # those who took part (see participants.counted): not a ghost who only joined
    initiatives: int


def _shown_ids(s: Session, w: Workshop) -> list[int]:
    query = select(Initiative.id).where(
        Initiative.workshop_id == w.id, ~Initiative.hidden, Initiative.merged_into_id.is_(None)
    )
    return list(s.exec(query).all())


def rate_initiative(db: Database, token: str, initiative_id: int, axis: str, score: int) -> None:
    """Set one's own score of an initiative on one axis, during Score & vote.

    Raises: InvalidInput (score outside 0-10, unknown axis), NotAllowed (phase), NotFound, WorkshopLocked.
    """
    if isinstance(score, bool) or not isinstance(score, int) or score not in SCALE:
        raise InvalidInput("A rating is a whole number from 0 to 10")
    try:
        axis = Axis(axis)
    except ValueError:
        raise InvalidInput("Rate the value to the customer or the value to the company") from None
    with db.write() as s:
        w, p = participant_by_token(s, token)
        require_unlocked(w)
        if w.phase != Phase.SCORE_VOTE:
            raise NotAllowed("Ratings can be given or changed only during the Score & vote phase")
        item = moderation.find(s, Initiative, w, initiative_id)
        if item.hidden or item.merged_into_id is not None:
            raise NotFound("That initiative is not on the board")
        row = s.exec(select(Rating).where(
            Rating.participant_id == p.id, Rating.initiative_id == item.id, Rating.axis == axis
        )).first()
        if row is None:
            s.add(Rating(workshop_id=w.id, initiative_id=item.id, participant_id=p.id, axis=axis, score=score))
        else:
            row.score, row.updated_at = score, utcnow()
        bump(s, w, room=False)


def get_my_ratings(db: Database, token: str) -> MyRatings:
    """The asker's own scores and progress ("12 of 18 rated"); never anyone else's. Raises: NotFound."""
    with db.read() as s:
        w, p = participant_by_token(s, token)
        shown = set(_shown_ids(s, w))
        rows = s.exec(select(Rating.initiative_id, Rating.axis, Rating.score).where(Rating.participant_id == p.id))
        scores = {(i, Axis(a)): v for i, a, v in rows if i in shown}
        both = sum(1 for i in shown if (i, Axis.CUSTOMER) in scores and (i, Axis.COMPANY) in scores)
        return MyRatings(scores, both, len(shown))


def rating_progress(db: Database, code: str) -> RoomProgress:
    """How many participants have finished rating: counts only, never individual scores."""
    with db.read() as s:
        return progress_of(s, workshop_by_code(s, code))


def progress_of(s: Session, w: Workshop) -> RoomProgress:
    """`rating_progress` inside an open session. People the facilitator removed count nowhere."""
    shown = _shown_ids(s, w)
    per_person = (
        select(Rating.participant_id, func.count().label("n"))
        .where(Rating.workshop_id == w.id, Rating.initiative_id.in_(shown))
        .group_by(Rating.participant_id)
        .subquery()
    )
    removed = select(Participant.id).where(Participant.workshop_id == w.id, Participant.removed)
    started, finished = s.exec(select(
        func.count(), func.coalesce(func.sum(case((per_person.c.n >= 2 * len(shown), 1), else_=0)), 0)
    ).select_from(per_person).where(per_person.c.participant_id.not_in(removed))).one() if shown else (0, 0)
    people = s.exec(select(func.count()).where(counted(w))).one()
    return RoomProgress(int(finished), int(started), people, len(shown))


Row = Rating | SelfCheckRating


def fold_pairs(s: Session, kept: dict[Hashable, Row], incoming: list[Row], key: Callable[[Row], Hashable],
               into_id: int) -> int:
    """Give `incoming` rows (a duplicate's) to participant `into_id`, whose own rows are `kept` by `key`; where
    both rated the same thing, the later rating stays. Returns how many pairs there were."""
    pairs = 0
    for row in incoming:
        mine = kept.get(key(row))
        if mine is not None:
            pairs += 1
            s.delete(mine if row.updated_at > mine.updated_at else row)
            s.flush()  # before the move: one rating per person and thing
            if row.updated_at <= mine.updated_at:
                continue
        row.participant_id = into_id
    return pairs


def fold_ratings(s: Session, dup: Participant, into: Participant) -> int:
    """A duplicate's ratings become the person's (see `fold_pairs`); returns how many pairs there were."""
    kept = {(r.initiative_id, r.axis): r for r in s.exec(select(Rating).where(Rating.participant_id == into.id))}
    theirs = s.exec(select(Rating).where(Rating.participant_id == dup.id)).all()
    return fold_pairs(s, kept, list(theirs), lambda r: (r.initiative_id, r.axis), into.id)
