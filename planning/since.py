"""What changed since the last session, for a follow-up's summaries (HTML, Markdown, PDF): what became of the
plan, the self-check's shift per area, new and carried demands (their votes then and now), new and carried
initiatives. The rows are text, ready for any format; the summary escapes the room's words as its format needs."""

from dataclasses import dataclass

from sqlmodel import Session

from planning.analytics import Dashboard, InitiativeStats
from planning.demands import DemandView
from planning.followup import LastSession, SessionLink, chain_of, histories_of
from planning.models import AREA_LABELS, STATUS_LABELS, Workshop
from planning.plan.actions import ActionView
from planning.plan.review import PlanReview, detail_of
from planning.selfcheck import RunResult, Shift, shift_of

NEW_SHOWN = 10  # new demands listed by name; the rest are counted


@dataclass(frozen=True)
class CarriedInitiative:
    now: InitiativeStats
    then: LastSession


@dataclass(frozen=True)
class SinceLast:
    follows: SessionLink | None  # None when a restore left the link out of the chain
    review: PlanReview  # the carried actions and what became of them
    shift: Shift | None  # None until this session's self-check has answers
    baseline: bool  # the last session's self-check runs came along
    new_demands: tuple[DemandView, ...]  # shown ones, most voted first
    carried_demands: tuple[DemandView, ...]
    new_initiatives: tuple[InitiativeStats, ...]  # as ranked
    carried_initiatives: tuple[CarriedInitiative, ...]

    @property
    def plan_rows(self) -> list[tuple[str, str, str, str, str, str]]:
        """Initiative, action, owner, what was planned, the outcome, and the new due date and reason (or —)."""
        return [(a.initiative, a.what, a.owner, _planned(a), a.review_label, detail_of(a) or "—")
                for a in self.review.actions]

    @property
    def shift_rows(self) -> list[tuple[str, str, str, str, str]]:
        """Area, the mean then and now, the shift, and the share needing attention or worse, then → now."""
        return [(AREA_LABELS[x.area], _mean(x.mean_before), _mean(x.mean_after), _signed(x.change),
                 f"{_share(x.weak_before)} → {_share(x.weak_after)}") for x in (self.shift.areas if self.shift else ())]

    @property
    def demand_rows(self) -> list[tuple[str, int, int]]:
        """A carried demand, its votes in the last session and in this one."""
        return [(d.text, d.carried_votes, d.votes) for d in self.carried_demands]

    @property
    def initiative_rows(self) -> list[tuple[str, int, str, int, str]]:
        """A carried initiative: votes and quadrant in the last session, then in this one."""
        return [(c.now.title, c.then.votes, _quadrant(c.then.quadrant), c.now.votes, _quadrant(c.now.quadrant))
                for c in self.carried_initiatives]

    @property
    def new_initiative_rows(self) -> list[tuple[str, int, str]]:
        return [(i.title, i.votes, _quadrant(i.quadrant)) for i in self.new_initiatives]


def _planned(a: ActionView) -> str:
    return f"due {a.carried_due}, {STATUS_LABELS[a.carried_status].lower()}"


def _mean(value: float | None) -> str:
    return "–" if value is None else f"{value:.1f}"


def _signed(value: float | None) -> str:
    return "–" if value is None else f"{value:+.1f}"


def _share(value: float | None) -> str:
    return "–" if value is None else f"{value:.0%}"


def _quadrant(q) -> str:
    return q.value if q else "not yet rated"


def since_last(s: Session, w: Workshop, demands: tuple[DemandView, ...], dashboard: Dashboard,
               actions: tuple[ActionView, ...], runs: tuple[RunResult, ...]) -> SinceLast | None:
    """What changed since the last session; None for a workshop that follows none and carries nothing."""
    history = histories_of(s, w)
    review = PlanReview(tuple(a for a in actions if a.carried))
    baseline = any(r.baseline for r in runs)
    carried = tuple(d for d in demands if d.carried_votes is not None)
    follows = chain_of(s, w).follows
    if not (follows or history or carried or review.actions or baseline):
        return None
    return SinceLast(
        follows=follows, review=review, shift=shift_of(list(runs)), baseline=baseline,
        new_demands=tuple(d for d in demands if d.carried_votes is None), carried_demands=carried,
        new_initiatives=tuple(i for i in dashboard.initiatives if i.id not in history),
        carried_initiatives=tuple(CarriedInitiative(i, history[i.id]) for i in dashboard.initiatives
                                  if i.id in history))
