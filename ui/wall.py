"""The wall's parts: a join strip, items in a grid that pages by itself, the matrix with its legend, one
initiative revealed at a time, all sized to be read from the back of the room.

Sizes are in vw, so a 16:9 projector of any resolution shows the same picture; at 1920 px wide: body 28.8 px,
small 25 px, the phase prompt 36.5 px, headings 40 px. User text is always escaped (`ui.esc`).

Every slot of the wall holds exactly one element or block, whatever the phase (an empty one where nothing is to be
shown). A redraw then replaces what was there. Streamlit clears what a run did not draw only when that run ends
normally; when another fragment's timed rerun (the live watchdog's) lands during it, the run ends "early for rerun"
and a clock the facilitator had stopped stayed on the wall (measured in the browser: 2 runs of 4).
"""

from collections.abc import Sequence
from pathlib import Path
from urllib.parse import urlsplit

import plotly.graph_objects as go
import streamlit as st

import ui
from planning.analytics import QUADRANT_ADVICE, Dashboard, InitiativeStats, get_dashboard
from planning.demands import DemandView
from planning.initiatives import InitiativeView
from planning.matrix import matrix_number_of, matrix_numbers, value_exchange_matrix
from planning.models import Phase
from planning.plan.review import PlanReview, detail_of, planned_of
from planning.ratings import RoomProgress
from planning.workshops import WorkshopView
from ui.clock import clock

REVIEW_A_PAGE = 4  # carried actions a page of the plan review: two lines each, beside the lobby's names
PAGE_SECONDS = 8.0  # how long the wall shows one page of a list before it turns by itself
DEMANDS_A_PAGE, INITIATIVES_A_PAGE, LEGEND_A_PAGE, NAMES_SHOWN = 9, 6, 12, 60
NAME_CHARACTERS = 560  # about six rows of name chips at 1920 px: the lobby never runs off the screen
MATRIX_PX = 760
CHART_CONFIG = {"displayModeBar": False, "responsive": True, "staticPlot": True}

CSS = (Path(__file__).with_name("wall.css")).read_text(encoding="utf-8")


def style() -> None:
    st.html(f"<style>{CSS}</style>")


def _join_address() -> str:
    """Where phones join, without the scheme people need not type."""
    url = urlsplit(ui.link("join"))
    return f"{url.netloc}{url.path}"


def header(w: WorkshopView) -> None:
    """The lobby's big join block, or after it a strip (code, join address, small QR) that leaves the screen to
    the content; the timer beside either."""
    lobby = w.phase == Phase.LOBBY
    info, timer, qr = st.columns([5, 2, 2.2] if lobby else [6, 2.4, 0.8], vertical_alignment="center")
    people = f'<span class="hp-count">{w.participant_count} in the room</span>'
    state = f"{ui.esc(w.phase_label)}{' · locked' if w.locked else ''}"
    if lobby:
        info.html(f'<div class="hp-w"><div class="hp-lobby-join">Join at <strong>{ui.esc(_join_address())}</strong>'
                  f'</div><p class="hp-lobby-code" data-testid="hp-join-code">{ui.esc(w.code)}</p>'
                  f'<div>{people} · {state}</div></div>')
    else:
        info.html(f'<div class="hp-w hp-strip"><span class="hp-strip-code" data-testid="hp-join-code">'
                  f'{ui.esc(w.code)}</span><div class="hp-strip-state">Join at <strong>{ui.esc(_join_address())}'
                  f'</strong><br>{people} · {state}</div></div>')
    if w.seconds_left() is None:
        timer.empty()
    else:
        with timer:
            clock(w.seconds_left(), key="big_screen_clock", size="wall")
    qr.html(f'<div class="hp-w">{ui.qr_html(ui.link("join", code=w.code), "Scan to join" if lobby else None)}</div>')
    if w.wall_selfcheck:  # the self-check's results take the screen: the phase's prompt would mislead
        st.empty()
    else:
        ui.prompt(w)


def names(w: WorkshopView, joined: Sequence[str]) -> None:
    """Who joined, newest first, as typed (none in an anonymous workshop)."""
    if w.anonymous:
        st.html('<div class="hp-w"><p>Names stay off the wall: this workshop is anonymous.</p></div>')
        return
    if not joined:
        st.html('<div class="hp-w"><p>No one has joined yet: scan the code to be the first.</p></div>')
        return
    shown, room = [], NAME_CHARACTERS
    for name in joined[:NAMES_SHOWN]:
        room -= len(name) + 4  # a chip's padding is worth about four characters
        if room < 0:
            break
        shown.append(name)
    more = w.participant_count - len(shown)
    chips = "".join(f"<li>{ui.esc(name)}</li>" for name in shown)
    tail = f'<li class="hp-count">and {more} more</li>' if more > 0 else ""
    st.html(f'<div class="hp-w"><h2 class="hp-w-h">Who joined</h2>'
            f'<ul class="hp-names" aria-label="Who joined">{chips}{tail}</ul></div>')


def pages(sections: list[tuple[str, list[str]]], per_page: int, empty: str) -> list[str]:
    """Each section's cards split into pages of `per_page`, each page with its section's heading, how many cards
    the section has and where the wall is in the cycle ("page 2 of 5")."""
    split = [(heading, len(cards), cards[n:n + per_page]) for heading, cards in sections
             for n in range(0, len(cards), per_page)]
    if not split:
        return [f'<div class="hp-w"><p>{ui.esc(empty)}</p></div>']
    return [f'<div class="hp-w"><div class="hp-w-bar"><h2 class="hp-w-h">{ui.esc(heading)}</h2>'
            f'<span class="hp-count" data-testid="hp-wall-page">{total} in all'
            f'{f" · page {n} of {len(split)}" if len(split) > 1 else ""}</span></div>'
            f'<div class="hp-grid">{"".join(cards)}</div></div>' for n, (heading, total, cards) in enumerate(split, 1)]


def _plural(n: int, word: str) -> str:
    return f"{n} {word}{'' if n == 1 else 's'}"


def demand_card(d: DemandView, *, top: bool = False) -> str:
    meta = [m for m in (d.author or "", _plural(d.votes, "vote") if d.votes else "") if m]
    tail = f'<p class="hp-wmeta hp-l1">{ui.esc(" · ".join(meta))}</p>' if meta else ""
    return f'<article class="hp-wcard{" hp-top" if top else ""}"><p class="hp-l4">{ui.esc(d.text)}</p>{tail}</article>'


def initiative_card(v: InitiativeView, demand_text: dict[int, str]) -> str:
    answers = [demand_text[d] for d in v.demand_ids if d in demand_text]
    answered = (f"Answers: {answers[0]}" + (f" (+{len(answers) - 1} more)" if len(answers) > 1 else "")
                if answers else "Answers no recorded demand")
    return (f'<article class="hp-wcard"><p class="hp-wtitle hp-l2">{ui.esc(v.title)}</p>'
            f'<p class="hp-l2"><span class="hp-wlabel">Customer gets:</span> {ui.esc(v.customer_value or "—")}</p>'
            f'<p class="hp-l2"><span class="hp-wlabel">Company gets:</span> {ui.esc(v.company_value or "—")}</p>'
            f'<p class="hp-wmeta hp-l1">{ui.esc(answered)}</p></article>')


def demand_pages(demands: list[DemandView]) -> list[str]:
    """The newest demands first, then (once the room has voted) a page of the most voted."""
    newest = sorted(demands, key=lambda d: (d.created_at, d.id), reverse=True)
    voted = sorted((d for d in demands if d.votes), key=lambda d: -d.votes)[:DEMANDS_A_PAGE]
    sections = [("Latest demands", [demand_card(d) for d in newest])]
    if voted:
        sections.append(("Most voted demands", [demand_card(d, top=True) for d in voted]))
    return pages(sections, DEMANDS_A_PAGE, "No demands yet: they appear here as the room adds them.")


def initiative_pages(heading: str, items: list[InitiativeView], demands: list[DemandView],
                     empty: str = "No initiatives yet: they appear here as the room proposes them.") -> list[str]:
    """The newest initiatives first, each with both sides of the exchange and the first demand it answers."""
    texts = {d.id: d.text for d in demands}
    newest = sorted(items, key=lambda i: (i.created_at is not None, i.created_at or 0, i.id), reverse=True)
    return pages([(heading, [initiative_card(i, texts) for i in newest])], INITIATIVES_A_PAGE, empty)


# The pages turn in the browser (no rerun on the server): a new drawing (the room changed) keeps the page shown and
# when it was turned, so a busy room does not hold the wall on page 1. Pages are our own HTML with every user text
# escaped by ui.esc before it gets here.
_PAGER_JS = """
export default function ({ data, parentElement }) {
  const root = parentElement.querySelector(".hp-pager");
  const state = (parentElement.hyperplanPager ||= { page: 0, turned: performance.now() });
  clearInterval(state.timer);
  const show = () => {
    state.page %= data.pages.length;
    root.innerHTML = data.pages[state.page];
  };
  show();
  if (data.pages.length > 1) {
    state.timer = setInterval(() => {
      if (performance.now() - state.turned < data.seconds * 1000 - 250) return;
      state.page += 1;
      state.turned = performance.now();
      show();
    }, 250);
  }
  return () => clearInterval(state.timer);
}
"""
_pager = st.components.v2.component("hyperplan_wall_pager", html='<div class="hp-pager"></div>', js=_PAGER_JS,
                                    isolate_styles=False)


def paged(key: str, html_pages: list[str]) -> None:
    """The first of `html_pages`, then each in turn every PAGE_SECONDS, turned by the browser itself."""
    if html_pages:
        _pager(key=f"big_screen_pages_{key}", data={"pages": html_pages, "seconds": PAGE_SECONDS})


def progress(p: RoomProgress | None) -> str:
    """How many have rated every initiative, with a bar (HTML, to go above a page)."""
    if p is None:
        return ""
    share = p.finished / p.participants if p.participants else 0.0
    return (f'<div class="hp-w"><span class="hp-count" data-testid="hp-wall-progress"><strong>{p.finished}</strong>'
            f" of {p.participants} have rated all {_plural(p.initiatives, 'initiative')}</span>"
            f'<div class="hp-progress" role="progressbar" aria-label="Share of the room that has rated everything" '
            f'aria-valuenow="{round(share * 100)}" aria-valuemin="0" '
            f'aria-valuemax="100"><div style="width:{share:.0%}"></div></div></div>')


def private(w: WorkshopView) -> None:
    counted = (_plural(w.demand_count, "demand") if w.phase == Phase.INNER_CUSTOMER
               else _plural(w.initiative_count, "initiative"))
    st.html(f'<div class="hp-w"><p class="hp-w-h">{counted} so far</p>'
            "<p>Private until the facilitator reveals them: keep adding on your phone.</p></div>")


def styled(fig: go.Figure) -> go.Figure:
    """The matrix at wall size: numbers 26 px, ticks 24 px, axis titles and quadrant names 28 px."""
    fig.update_layout(height=MATRIX_PX, font={"size": 24}, margin={"l": 96, "r": 24, "t": 56, "b": 150},
                      xaxis={"tickfont": {"size": 24}, "title": {"font": {"size": 28}, "standoff": 12}},
                      yaxis={"tickfont": {"size": 24}, "title": {"font": {"size": 28}, "standoff": 12}})
    fig.update_traces(textfont_size=26, selector={"name": "numbers"})
    for note in fig.layout.annotations:
        note.font.size = 28
        note.yshift = 6 if note.yanchor == "bottom" else -98
    return fig


def matrix(fig: go.Figure, key: str) -> None:
    st.plotly_chart(fig, key=key, config=CHART_CONFIG, theme=None, width="stretch")


def legend(dash: Dashboard, key: str) -> None:
    """Each dot's number and its initiative, paged by itself when long; the unrated and a lean noted below."""
    rows = [f'<li><b>{n}</b><span class="hp-l1">{ui.esc(t)}</span></li>'
            for n, t in matrix_numbers(dash)]
    count = max(1, -(-len(rows) // LEGEND_A_PAGE))
    unrated = sum(1 for i in dash.initiatives if i.quadrant is None)
    notes = (f"<p class='hp-wmeta'>{_plural(unrated, 'initiative')} not yet rated on both axes, so not drawn.</p>"
             if unrated else "")
    if dash.balance and dash.balance.leans_self_serving:
        notes += ('<p class="hp-note">The room leans self-serving: its ideas return more to the company than they '
                  "give customers.</p>")
    paged(f"{key}_legend", [
        f'<div class="hp-w"><div class="hp-w-bar"><h2 class="hp-w-h">Initiatives</h2><span class="hp-count" '
        f'data-testid="hp-wall-page">{f"page {n + 1} of {count}" if count > 1 else ""}</span></div>'
        f'<ol class="hp-legend" aria-label="Matrix legend">{"".join(rows[n * LEGEND_A_PAGE:(n + 1) * LEGEND_A_PAGE])}'
        f"</ol>{notes}</div>" for n in range(count)])


def _stat(value: float | None) -> str:
    return "–" if value is None else f"{value:g}"


def spotlight(dash: Dashboard, item: InitiativeStats, view: InitiativeView | None) -> None:
    """One initiative alone: its number, quadrant, medians, spread, n, votes, both sides and the demands it answers."""
    number = matrix_number_of(dash).get(item.id)
    where = (f"{item.quadrant.value}: {QUADRANT_ADVICE[item.quadrant]}" if item.quadrant
             else "not yet rated on both axes")
    rows = "".join(f"<tr><th>{axis}</th><td>{_stat(a.median)}</td><td>{_stat(a.spread)}</td><td>{a.n}</td></tr>"
                   for axis, a in (("To the customer", item.customer), ("To the company", item.company)))
    answers = [dash.demand_text(d) for d in item.demand_ids if dash.demand_text(d)]
    listed = "".join(f'<li class="hp-l1">{ui.esc(t)}</li>' for t in answers[:3])
    more = f'<li class="hp-count">and {len(answers) - 3} more</li>' if len(answers) > 3 else ""
    sides = "" if view is None else (
        f'<p class="hp-l2"><span class="hp-wlabel">Customer gets:</span> {ui.esc(view.customer_value or "—")}</p>'
        f'<p class="hp-l2"><span class="hp-wlabel">Company gets:</span> {ui.esc(view.company_value or "—")}</p>')
    st.html(f'<div class="hp-w" data-testid="hp-wall-spotlight"><p class="hp-w-h hp-l2">'
            f'{f"{number} · " if number else ""}{ui.esc(item.title)}</p><p>{ui.esc(where)} · '
            f'<span class="hp-count">{_plural(item.votes, "vote")}</span></p>'
            f'<table class="hp-stats"><tr><th></th><th>median</th><th>spread</th><th>n</th></tr>{rows}</table>'
            f'{sides}<p><span class="hp-wlabel">Answers:</span></p>'
            f'<ul class="hp-answers">{listed or "<li>no recorded demand</li>"}{more}</ul></div>')


@st.cache_resource(max_entries=16, show_spinner=False)  # shared, never changed: no copy per wall
def review_at(code: str, revision: int, spotlight: int | None) -> tuple[Dashboard, go.Figure | None]:
    """The dashboard and the wall's matrix (the spotlit dot highlighted), built once per revision for every wall."""
    dash = get_dashboard(ui.db(), code)
    if not dash.revealed or not dash.initiatives:
        return dash, None
    lit = spotlight if any(i.id == spotlight for i in dash.initiatives) else None
    return dash, styled(value_exchange_matrix(dash, highlight=lit))


def review(code: str, revision: int, w: WorkshopView, initiatives: Sequence[InitiativeView],
           p: RoomProgress | None) -> None:
    """The matrix with its legend beside it; in the reveal mode, the spotlit initiative beside it instead."""
    dash, fig = review_at(code, revision, w.spotlight_id)
    if not dash.revealed:
        st.html('<div class="hp-w"><p class="hp-w-h">Results appear when the facilitator reveals them.</p></div>'
                + progress(p))
        return
    if fig is None:
        st.html('<div class="hp-w"><p>No initiatives on the board yet.</p></div>')
        return
    item = next((i for i in dash.initiatives if i.id == w.spotlight_id), None)
    chart, side = st.columns([11, 9] if item else [5, 4], gap="large")
    with chart:
        matrix(fig, key="big_screen_matrix")
    with side:
        if item is None:
            legend(dash, "review")
        else:
            spotlight(dash, item, next((v for v in initiatives if v.id == item.id), None))


def plan_review(review: PlanReview) -> None:
    """A follow-up's review of the last session's plan: each carried action, its owner, what was planned and what
    became of it (done, late with its new date, dropped) with the reason, REVIEW_A_PAGE to a page; 28.8 px type."""
    rows = [f'<li class="hp-{a.review or "open"}"><span class="hp-outcome">{ui.esc(a.review_label)}</span><div>'
            f'<p class="hp-l2"><strong>{ui.esc(a.what)}</strong> · {ui.esc(a.owner)}</p>'
            f'<p class="hp-l3">{ui.esc(" · ".join(x for x in (planned_of(a), detail_of(a)) if x))}</p></div></li>'
            for a in review.actions]
    count = max(1, -(-len(rows) // REVIEW_A_PAGE))
    paged("plan_review", [
        f'<div class="hp-w" data-testid="hp-wall-review"><div class="hp-w-bar"><h2 class="hp-w-h">The plan from the '
        f'last session</h2><span class="hp-count">{ui.esc(review.summary)}'
        f'{f" · page {n + 1} of {count}" if count > 1 else ""}</span></div><ol class="hp-reviews" aria-label="The '
        f'plan from the last session">{"".join(rows[n * REVIEW_A_PAGE:(n + 1) * REVIEW_A_PAGE])}</ol></div>'
        for n in range(count)])
