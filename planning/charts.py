"""Plotly figures: data in, `go.Figure` out (graph_objects only: they are cheap to rebuild every tick)."""

import html
import math
import textwrap
from datetime import date

import plotly.graph_objects as go

from planning.analytics import MIDPOINT, QUADRANT_ADVICE, Balance, Dashboard, InitiativeStats, Quadrant
from planning.models import (
    AREA_LABELS,
    LEVEL_LABELS,
    STATUS_LABELS,
    STEP_VALUE_LABELS,
    ActionStatus,
    Area,
    Level,
    StepValue,
)
from planning.plan.actions import ActionView
from planning.plan.process import ProcessMap
from planning.selfcheck import RunResult

# Okabe-Ito: distinguishable with the common colour-vision deficiencies.
QUADRANT_COLOURS = {
    Quadrant.WIN_WIN: "#009E73",
    Quadrant.FIND_THE_RETURN: "#0072B2",
    Quadrant.SELF_SERVING: "#D55E00",
    Quadrant.DROP: "#7F7F7F",
}
FONT = {"size": 18}


def _plain(text: str, width: int = 60) -> str:
    """User text for Plotly, which reads a little HTML: escaped, then wrapped with <br>."""
    return "<br>".join(html.escape(line) for line in textwrap.wrap(text, width) or [""])


def _fmt(value: float | None) -> str:
    return "–" if value is None else f"{value:g}"


def _hover(i: InitiativeStats, dash: Dashboard) -> str:
    demands = [_plain("• " + dash.demand_text(d), 70) for d in i.demand_ids[:4]]
    few = " (fewer than 3 ratings)" if i.customer.few or i.company.few else ""
    lines = [
        f"<b>{_plain(i.title)}</b>",
        f"Value to the customer: {_fmt(i.customer.median)} (spread {_fmt(i.customer.spread)}, n={i.customer.n})",
        f"Value to the company: {_fmt(i.company.median)} (spread {_fmt(i.company.spread)}, n={i.company.n}){few}",
        f"Votes: {i.votes}",
        "Answers: " + ("<br>" + "<br>".join(demands) if demands else "no recorded demand"),
    ]
    return "<br>".join(lines)


def jitter(item_id: int) -> float:
    """A small, stable offset so initiatives with equal medians do not hide each other."""
    return ((item_id * 7919) % 11 - 5) * 0.04


def value_exchange_matrix(dash: Dashboard) -> go.Figure:
    """Value returned to the company (x) against value to the customer (y), at the medians; size = votes."""
    fig = go.Figure()
    for q in Quadrant:
        items = [i for i in dash.initiatives if i.quadrant == q]
        fig.add_trace(go.Scatter(
            x=[i.company.median + jitter(i.id) for i in items],
            y=[i.customer.median + jitter(i.id + 1) for i in items],
            mode="markers", name=f"{q.value} ({len(items)})",
            marker={"size": [16 + 9 * math.sqrt(i.votes) for i in items], "color": QUADRANT_COLOURS[q],
                    "symbol": ["circle-open" if i.customer.few or i.company.few else "circle" for i in items],
                    "line": {"width": 2, "color": QUADRANT_COLOURS[q]}, "opacity": 0.85},
            hovertext=[_hover(i, dash) for i in items], hoverinfo="text",
        ))
    for name, x, y in [(Quadrant.WIN_WIN, 10.4, 10.4), (Quadrant.FIND_THE_RETURN, -0.4, 10.4),
                       (Quadrant.SELF_SERVING, 10.4, -0.4), (Quadrant.DROP, -0.4, -0.4)]:
        fig.add_annotation(x=x, y=y, text=f"<b>{name.value}</b><br>{QUADRANT_ADVICE[name]}", showarrow=False,
                           xanchor="right" if x > 5 else "left", yanchor="top" if y > 5 else "bottom",
                           font={"size": 15, "color": QUADRANT_COLOURS[name]})
    fig.add_shape(type="line", x0=MIDPOINT, x1=MIDPOINT, y0=-0.5, y1=10.5, line={"dash": "dot", "color": "#555"})
    fig.add_shape(type="line", y0=MIDPOINT, y1=MIDPOINT, x0=-0.5, x1=10.5, line={"dash": "dot", "color": "#555"})
    fig.update_layout(
        font=FONT, height=560, margin={"l": 10, "r": 10, "t": 10, "b": 10},
        xaxis={"title": "Value returned to the company (median)", "range": [-0.5, 10.5], "dtick": 1},
        yaxis={"title": "Value to the customer (median)", "range": [-0.5, 10.5], "dtick": 1},
        legend={"orientation": "h", "y": -0.15}, plot_bgcolor="white",
    )
    fig.update_xaxes(gridcolor="#eee", zeroline=False)
    fig.update_yaxes(gridcolor="#eee", zeroline=False)
    return fig


def balance_bars(balance: Balance) -> go.Figure:
    """Initiatives per quadrant, in the quadrant colours."""
    quadrants = list(Quadrant)
    fig = go.Figure(go.Bar(
        x=[balance.counts[q] for q in quadrants], y=[q.value for q in quadrants], orientation="h",
        marker={"color": [QUADRANT_COLOURS[q] for q in quadrants]},
        text=[balance.counts[q] for q in quadrants], textposition="auto", hoverinfo="skip",
    ))
    fig.update_layout(font=FONT, height=260, margin={"l": 10, "r": 10, "t": 10, "b": 10},
                      yaxis={"autorange": "reversed"}, xaxis={"title": "initiatives", "dtick": 1},
                      plot_bgcolor="white")
    return fig


LEVEL_COLOURS = {Level.GREAT: "#009E73", Level.IMPROVE: "#56B4E9", Level.PROMPT: "#E69F00", Level.RISK: "#D55E00"}


def selfcheck_bars(run: RunResult) -> go.Figure:
    """How the room rated each area: stacked counts per level, best level first, areas in the brief's order."""
    areas = list(Area)
    fig = go.Figure([
        go.Bar(name=LEVEL_LABELS[level], y=[AREA_LABELS[a] for a in areas],
               x=[run.distribution[a][level] for a in areas], orientation="h",
               marker={"color": LEVEL_COLOURS[level]}, hovertemplate="%{y}: %{x}<extra></extra>")
        for level in Level
    ])
    fig.update_layout(barmode="stack", font=FONT, height=380, margin={"l": 10, "r": 10, "t": 10, "b": 10},
                      yaxis={"autorange": "reversed"}, xaxis={"title": "participants", "dtick": 1},
                      legend={"orientation": "h", "y": -0.25}, plot_bgcolor="white")
    return fig


STATUS_COLOURS = {ActionStatus.NOT_STARTED: "#999999", ActionStatus.IN_PROGRESS: "#0072B2",
                  ActionStatus.DONE: "#009E73", ActionStatus.BLOCKED: "#D55E00"}
STEP_COLOURS = {StepValue.ADDS: "#009E73", StepValue.ENABLES: "#56B4E9", StepValue.NONE: "#D55E00"}


def plan_timeline(actions: list[ActionView], today: date) -> go.Figure:
    """Actions on their due dates, one row per initiative, labelled by owner, coloured by status; overdue ringed."""
    fig = go.Figure()
    for status in ActionStatus:
        items = [a for a in actions if a.status == status]
        fig.add_trace(go.Scatter(
            x=[a.due.isoformat() for a in items], y=[_plain(a.initiative, 40) for a in items], mode="markers+text",
            text=[_plain(a.owner, 20) for a in items], textposition="top center",
            name=STATUS_LABELS[status], hovertext=[f"{_plain(a.what)}<br>Owner: {_plain(a.owner)}<br>Due {a.due}"
                                                   f"{' — OVERDUE' if a.overdue(today) else ''}" for a in items],
            hoverinfo="text", marker={"size": 16, "color": STATUS_COLOURS[status],
                                      "line": {"width": [4 if a.overdue(today) else 0 for a in items],
                                               "color": "#D00000"}},
        ))
    fig.add_vline(x=today.isoformat(), line={"dash": "dot", "color": "#555"})
    fig.update_layout(font=FONT, height=max(260, 90 + 60 * len({a.initiative for a in actions})),
                      margin={"l": 10, "r": 10, "t": 10, "b": 10}, legend={"orientation": "h", "y": -0.3},
                      xaxis={"title": "due date (red ring: overdue)"}, plot_bgcolor="white")
    return fig


def swimlanes(process: ProcessMap) -> go.Figure:
    """The flow across functions: one lane per actor, steps in order, the information travelling on each hop."""
    lanes = list(process.actors)
    xs = list(range(1, len(process.steps) + 1))
    ys = [lanes.index(s.actor) for s in process.steps]
    fig = go.Figure(go.Scatter(x=xs, y=ys, mode="lines", line={"color": "#bbb", "width": 2}, hoverinfo="skip",
                               showlegend=False))
    for value in StepValue:
        steps = [(x, y, s) for x, y, s in zip(xs, ys, process.steps, strict=True) if s.value == value]
        fig.add_trace(go.Scatter(
            x=[x for x, _, _ in steps], y=[y for _, y, _ in steps], mode="markers+text", name=STEP_VALUE_LABELS[value],
            text=[_plain(s.what, 18) for _, _, s in steps], textposition="top center",
            marker={"size": 22, "color": STEP_COLOURS[value], "symbol": "square"}, hoverinfo="text",
            hovertext=[f"{_plain(s.actor)}: {_plain(s.what)}" for _, _, s in steps],
        ))
    for x, (a, b) in enumerate(zip(process.steps, process.steps[1:], strict=False), start=1):
        if a.information:
            fig.add_annotation(x=x + 0.5, y=(lanes.index(a.actor) + lanes.index(b.actor)) / 2,
                               text=f"<i>{_plain(a.information, 20)}</i>", showarrow=False, font={"size": 12})
    fig.update_layout(font=FONT, height=max(260, 120 * len(lanes)), margin={"l": 10, "r": 10, "t": 30, "b": 10},
                      yaxis={"tickvals": list(range(len(lanes))), "ticktext": [_plain(a, 24) for a in lanes],
                             "autorange": "reversed", "range": [-0.6, len(lanes) - 0.4]},
                      xaxis={"title": "step", "dtick": 1}, legend={"orientation": "h", "y": -0.25},
                      plot_bgcolor="white")
    return fig
