"""Dot votes within the facilitator's budget and cap per item: on demands, then on initiatives."""

from dataclasses import dataclass

from sqlmodel import Session, select

from planning import moderation
from planning.access import bump, participant_by_token, require_unlocked
from planning.db import Database
from planning.errors import InvalidInput, NotAllowed, NotFound
from planning.models import PHASE_LABELS, Demand, DemandVote, Initiative, InitiativeVote, Participant, Phase, Workshop


@dataclass(frozen=True)
class Ballot:
    budget: int
    cap: int
    used: int

    @property
    def left(self) -> int:
        return max(0, self.budget - self.used)


@dataclass(frozen=True)
class _Kind:
    item: type[Demand] | type[Initiative]
    vote: type[DemandVote] | type[InitiativeVote]
    fk: str
    phase: Phase


DEMANDS = _Kind(Demand, DemandVote, "demand_id", Phase.INNER_CUSTOMER)
INITIATIVES = _Kind(Initiative, InitiativeVote, "initiative_id", Phase.SCORE_VOTE)


def _used(s: Session, k: _Kind, w: Workshop, p: Participant, root_of: dict[int, int]) -> int:
    """Dots spent on items still shown (hiding an item gives its dots back)."""
    hidden = set(s.exec(select(k.item.id).where(k.item.workshop_id == w.id, k.item.hidden)).all())
    rows = s.exec(select(getattr(k.vote, k.fk), k.vote.dots).where(k.vote.participant_id == p.id))
    return sum(dots for item_id, dots in rows if root_of.get(item_id, item_id) not in hidden)


def _ballot(db: Database, k: _Kind, token: str) -> Ballot:
    with db.read() as s:
        w, p = participant_by_token(s, token)
        return Ballot(w.vote_budget, w.vote_cap, _used(s, k, w, p, moderation.roots(s, k.item, w)))


def _votable(s: Session, k: _Kind, token: str, item_id: object):
    w, p = participant_by_token(s, token)
    require_unlocked(w)
    noun = moderation.noun(k.item)
    if w.phase != k.phase:
        raise NotAllowed(f"Votes on {noun}s can be changed only during the {PHASE_LABELS[k.phase]} phase")
    if k.item is Demand and w.private_until_reveal and not w.revealed:
        raise NotAllowed("Voting opens when the facilitator reveals everyone's demands")
    try:
        item = moderation.find(s, k.item, w, item_id)
    except NotFound:
        raise NotFound(f"That {noun} is not on the board") from None
    if item.hidden:
        raise NotFound(f"That {noun} is not on the board")
    if item.merged_into_id is not None:
        raise InvalidInput(f"That {noun} was merged into another: vote on that one")
    return w, p, item


def _mine_under(s: Session, k: _Kind, p: Participant, root_id: int, root_of: dict[int, int]) -> list:
    under = [i for i, r in root_of.items() if r == root_id]
    fk = getattr(k.vote, k.fk)
    return list(s.exec(select(k.vote).where(k.vote.participant_id == p.id, fk.in_(under)).order_by(fk != root_id)))


def _cast(db: Database, k: _Kind, token: str, item_id: int) -> Ballot:
    with db.write() as s:
        w, p, item = _votable(s, k, token, item_id)
        root_of = moderation.roots(s, k.item, w)  # read once: this runs inside the write lock
        used = _used(s, k, w, p, root_of)
        if used >= w.vote_budget:
            raise NotAllowed(f"You have used all {w.vote_budget} of your votes")
        rows = _mine_under(s, k, p, item.id, root_of)
        if sum(r.dots for r in rows) >= w.vote_cap:
            raise NotAllowed(f"At most {w.vote_cap} votes can go on one {moderation.noun(k.item)}")
        own = next((r for r in rows if getattr(r, k.fk) == item.id), None)
        if own is None:
            s.add(k.vote(workshop_id=w.id, participant_id=p.id, dots=1, **{k.fk: item.id}))
        else:
            own.dots += 1
        bump(s, w, room=k.item is Demand)
        return Ballot(w.vote_budget, w.vote_cap, used + 1)


def _retract(db: Database, k: _Kind, token: str, item_id: int) -> Ballot:
    with db.write() as s:
        w, p, item = _votable(s, k, token, item_id)
        root_of = moderation.roots(s, k.item, w)
        rows = _mine_under(s, k, p, item.id, root_of)
        if not rows:
            raise InvalidInput(f"You have no vote on that {moderation.noun(k.item)} to take back")
        if rows[0].dots > 1:
            rows[0].dots -= 1
        else:
            s.delete(rows[0])
        s.flush()
        bump(s, w, room=k.item is Demand)
        return Ballot(w.vote_budget, w.vote_cap, _used(s, k, w, p, root_of))


def get_ballot(db: Database, token: str) -> Ballot:
    """How many dots the participant has for demands, and has spent. Raises: NotFound."""
    return _ballot(db, DEMANDS, token)


def cast_vote(db: Database, token: str, demand_id: int) -> Ballot:
    """Put one dot on a demand. Raises: NotAllowed past the budget or the cap per demand, or out of phase."""
    return _cast(db, DEMANDS, token, demand_id)


def retract_vote(db: Database, token: str, demand_id: int) -> Ballot:
    """Take one dot back from a demand. Raises: InvalidInput when there is none to take."""
    return _retract(db, DEMANDS, token, demand_id)


def get_initiative_ballot(db: Database, token: str) -> Ballot:
    """How many dots the participant has for initiatives, and has spent. Raises: NotFound."""
    return _ballot(db, INITIATIVES, token)


def cast_initiative_vote(db: Database, token: str, initiative_id: int) -> Ballot:
    """Put one dot on an initiative, during Score & vote. Raises: NotAllowed past budget or cap."""
    return _cast(db, INITIATIVES, token, initiative_id)


def retract_initiative_vote(db: Database, token: str, initiative_id: int) -> Ballot:
    """Take one dot back from an initiative. Raises: InvalidInput when there is none to take."""
    return _retract(db, INITIATIVES, token, initiative_id)


def get_my_initiative_dots(db: Database, token: str) -> dict[int, int]:
    """The asker's own dots per initiative (merged duplicates counted on their target)."""
    with db.read() as s:
        w, p = participant_by_token(s, token)
        root_of = moderation.roots(s, Initiative, w)
        dots: dict[int, int] = {}
        query = select(InitiativeVote.initiative_id, InitiativeVote.dots).where(InitiativeVote.participant_id == p.id)
        for item_id, n in s.exec(query):
            root = root_of.get(item_id, item_id)
            dots[root] = dots.get(root, 0) + n
        return dots


def _fold(s: Session, k: _Kind, w: Workshop, dup: Participant, into: Participant) -> int:
    root_of = moderation.roots(s, k.item, w)
    hidden = set(s.exec(select(k.item.id).where(k.item.workshop_id == w.id, k.item.hidden)).all())
    fk = getattr(k.vote, k.fk)
    own = {getattr(r, k.fk): r for r in s.exec(select(k.vote).where(k.vote.participant_id == into.id))}
    on_root: dict[int, int] = {}
    for item_id, row in own.items():
        on_root[root_of.get(item_id, item_id)] = on_root.get(root_of.get(item_id, item_id), 0) + row.dots
    used, dropped = _used(s, k, w, into, root_of), 0
    for row in s.exec(select(k.vote).where(k.vote.participant_id == dup.id).order_by(fk, k.vote.id)).all():
        item_id = getattr(row, k.fk)
        root = root_of.get(item_id, item_id)
        room = w.vote_cap - on_root.get(root, 0)
        if root not in hidden:  # dots on hidden items are given back, so they spend no budget
            room = min(room, w.vote_budget - used)
        keep = max(0, min(row.dots, room))
        dropped += row.dots - keep
        on_root[root] = on_root.get(root, 0) + keep
        used += keep if root not in hidden else 0
        if keep and item_id in own:
            own[item_id].dots += keep
        if keep and item_id not in own:
            row.participant_id, row.dots = into.id, keep
        else:
            s.delete(row)
    return dropped


def fold_votes(s: Session, w: Workshop, dup: Participant, into: Participant) -> int:
    """A duplicate's dots, on demands and on initiatives, become the person's as far as the budget and the cap
    per item allow: the person's own come first, and the duplicate's past either are dropped (returned)."""
    return _fold(s, DEMANDS, w, dup, into) + _fold(s, INITIATIVES, w, dup, into)
