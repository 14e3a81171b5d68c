"""Plotly figures: data in, `go.Figure` out (graph_objects only: they are cheap to rebuild every tick)."""

import html
import textwrap
from datetime import date

import plotly.graph_objects as go

from planning.actions import ActionView
from planning.analytics import Balance, Quadrant
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
from planning.process import ProcessMap
from planning.selfcheck import RunResult

# Okabe-Ito: distinguishable with the common colour-vision deficiencies.
QUADRANT_COLOURS = {
    Quadrant.WIN_WIN: "#009E73",
    Quadrant.FIND_THE_RETURN: "#0072B2",
    Quadrant.SELF_SERVING: "#D55E00",
    Quadrant.DROP: "#7F7F7F",
}
FONT = {"size": 18}


def plain(text: str, width: int = 60) -> str:
    """User text for Plotly, wrapped with <br>. Plotly reads a little HTML and decodes only a few entities, so
    only <, > and & are escaped: a quote escaped as &quot; would show as those six characters."""
    return "<br>".join(html.escape(line, quote=False) for line in textwrap.wrap(text, width) or [""])


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
            x=[a.due.isoformat() for a in items], y=[plain(a.initiative, 40) for a in items], mode="markers+text",
            text=[plain(a.owner, 20) for a in items], textposition="top center",
            name=STATUS_LABELS[status], hovertext=[f"{plain(a.what)}<br>Owner: {plain(a.owner)}<br>Due {a.due}"
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
            text=[plain(s.what, 18) for _, _, s in steps], textposition="top center",
            marker={"size": 22, "color": STEP_COLOURS[value], "symbol": "square"}, hoverinfo="text",
            hovertext=[f"{plain(s.actor)}: {plain(s.what)}" for _, _, s in steps],
        ))
    for x, (a, b) in enumerate(zip(process.steps, process.steps[1:], strict=False), start=1):
        if a.information:
            fig.add_annotation(x=x + 0.5, y=(lanes.index(a.actor) + lanes.index(b.actor)) / 2,
                               text=f"<i>{plain(a.information, 20)}</i>", showarrow=False, font={"size": 12})
    fig.update_layout(font=FONT, height=max(260, 120 * len(lanes)), margin={"l": 10, "r": 10, "t": 30, "b": 10},
                      yaxis={"tickvals": list(range(len(lanes))), "ticktext": [plain(a, 24) for a in lanes],
                             "autorange": "reversed", "range": [-0.6, len(lanes) - 0.4]},
                      xaxis={"title": "step", "dtick": 1}, legend={"orientation": "h", "y": -0.25},
                      plot_bgcolor="white")
    return fig
