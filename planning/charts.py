"""Plotly figures: data in, `go.Figure` out (graph_objects only: they are cheap to rebuild every tick)."""

import functools
import html
import textwrap
from collections.abc import Sequence
from datetime import date

import plotly.graph_objects as go

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
from planning.plan.actions import ActionView
from planning.plan.process import ProcessMap
from planning.plan.schedule import Schedule
from planning.selfcheck import RunResult

# Okabe-Ito: distinguishable with the common colour-vision deficiencies.
QUADRANT_COLOURS = {
    Quadrant.WIN_WIN: "#009E73",
    Quadrant.FIND_THE_RETURN: "#0072B2",
    Quadrant.SELF_SERVING: "#D55E00",
    Quadrant.DROP: "#7F7F7F",
}
FONT = {"size": 18}


@functools.lru_cache(maxsize=8192)  # the matrix's hovers wrap the same demands again after every change
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
DAY_MS = 86_400_000
# Label sizes that fit a 390 px phone (about 36 characters a line at 15 px) and read on a 1920 px wall.
PHONE, WALL = {"font": 15, "wrap": 34}, {"font": 26, "wrap": 56}  # the wall: nothing under 24 px


def _lines(text: str, width: int, most: int) -> str:
    """User text for a Plotly label: wrapped to `width`, at most `most` lines (cut with an ellipsis), escaped."""
    lines = textwrap.wrap(" ".join(text.split()), width) or [""]
    if len(lines) > most:
        lines = [*lines[:most - 1], lines[most - 1][:width - 1] + "…"]
    return "<br>".join(plain(line, width + 5) for line in lines)


def _day(ordinal: int) -> str:
    return date.fromordinal(ordinal).isoformat()


def _rows(actions: Sequence[ActionView], size: dict) -> tuple[list, dict[int, float], float]:
    """Where each label and bar goes, in text lines from the top: an initiative heading when there are
    several, then per action its label (up to 3 lines, full width: nothing to clip on a phone) and its bar."""
    labels, bar_y, y = [], {}, 0.0
    several = len({a.initiative_id for a in actions}) > 1
    for n, a in enumerate(sorted(actions, key=lambda a: (a.initiative_id, a.due, a.id))):
        if several and (n == 0 or a.initiative_id != labels[-1][2]):
            labels.append((y + (0.4 if n else 0), f"<b>{_lines(a.initiative, size['wrap'], 2)}</b>", a.initiative_id))
            y += 1.6 + (0.4 if n else 0)
        text = _lines(f"{a.what} — {a.owner}", size["wrap"], 3)
        labels.append((y, text, a.initiative_id))
        y += text.count("<br>") + 1
        bar_y[a.id] = y + 0.55
        y += 1.5
    return labels, bar_y, y


def _links(plan: Schedule, bar_y: dict[int, float], pairs) -> tuple[list, list]:
    xs, ys = [], []
    for a, d in pairs:
        xs += [_day(plan.end[d]), _day(plan.end[d]), _day(plan.begin[a]), None]
        ys += [bar_y[d], (bar_y[d] + bar_y[a]) / 2, bar_y[a], None]
    return xs, ys


def _link_traces(fig: go.Figure, plan: Schedule, bar_y: dict[int, float], actions: Sequence[ActionView]) -> None:
    links = [(a.id, d) for a in actions for d in a.depends_on if d in bar_y]
    conflicts = set(plan.conflicts)
    for name, pairs, line in [
        ("Waits for", [x for x in links if x not in plan.critical_links and x not in conflicts],
         {"color": "#888", "width": 1.5}),
        ("Critical path", sorted(plan.critical_links), {"color": "#000", "width": 3.5}),
        ("Starts too early", sorted(conflicts), {"color": "#D00000", "width": 2.5, "dash": "dash"}),
    ]:
        if pairs or name == "Critical path":
            xs, ys = _links(plan, bar_y, pairs)
            fig.add_trace(go.Scatter(x=xs, y=ys, mode="lines", name=name, line=line, hoverinfo="skip"))


def _bar_hover(a: ActionView, plan: Schedule) -> str:
    when = f"{a.due}" if a.milestone else f"{plan.first_day(a.id)} – {a.due}"
    return (f"{plain(a.what)}<br>Owner: {plain(a.owner)}<br>{'Milestone: ' if a.milestone else ''}{when}"
            f"<br>{a.status_label}{' · critical path' if a.id in plan.critical else ''}"
            f"{' · OVERDUE' if a.id in plan.overdue else ''}")


def gantt(actions: Sequence[ActionView], plan: Schedule, today: date, *, wall: bool = False) -> go.Figure:
    """Actions as bars from their first day to their due date, milestones as diamonds, coloured by status;
    the critical path outlined in black and joined by heavy links, overdue work ringed in red."""
    size = WALL if wall else PHONE
    labels, bar_y, units = _rows(actions, size)
    fig = go.Figure()
    for status in ActionStatus:
        items = [a for a in actions if a.status == status and not a.milestone]
        fig.add_trace(go.Bar(
            base=[_day(plan.begin[a.id]) for a in items],
            x=[(plan.end[a.id] - plan.begin[a.id]) * DAY_MS for a in items],
            y=[bar_y[a.id] for a in items], orientation="h", width=0.9, name=STATUS_LABELS[status],
            marker={"color": STATUS_COLOURS[status], "line": {"color": "#000", "width": [
                3 if a.id in plan.critical else 0 for a in items]}},
            hovertext=[_bar_hover(a, plan) for a in items], hoverinfo="text"))
    marks = [a for a in actions if a.milestone]
    fig.add_trace(go.Scatter(
        x=[_day(plan.end[a.id]) for a in marks], y=[bar_y[a.id] for a in marks], mode="markers", name="Milestone",
        marker={"symbol": "diamond", "size": 20 if wall else 15, "color": [STATUS_COLOURS[a.status] for a in marks],
                "line": {"color": "#000", "width": [3 if a.id in plan.critical else 1 for a in marks]}},
        hovertext=[_bar_hover(a, plan) for a in marks], hoverinfo="text"))
    _link_traces(fig, plan, bar_y, actions)
    late = [a for a in actions if a.id in plan.overdue]
    fig.add_trace(go.Scatter(
        x=[f"{a.due.isoformat()} 12:00" for a in late], y=[bar_y[a.id] for a in late], mode="markers", name="Overdue",
        marker={"symbol": "circle-open", "size": 30 if wall else 24, "color": "#D00000", "line": {"width": 3.5}},
        hoverinfo="skip"))
    for y, text, _ in labels:
        fig.add_annotation(x=0, xref="paper", y=y, yref="y", text=text, showarrow=False, xanchor="left",
                           yanchor="top", align="left", font={"size": size["font"], "color": "#1d1d1d"})
    _gantt_axes(fig, plan, today, units, size)
    return fig


def _gantt_axes(fig: go.Figure, plan: Schedule, today: date, units: float, size: dict) -> None:
    first, last = min(plan.begin.values(), default=today.toordinal()), max(plan.end.values(), default=0)
    span = max(last - first, 7)
    start, end = first - max(1, span // 20), max(last, first + 7) + max(1, span // 20)
    line_px = size["font"] * 1.45
    if start <= today.toordinal() <= end:
        fig.add_vline(x=today.isoformat(), line={"dash": "dot", "color": "#555", "width": 2})
    fig.update_layout(
        font={"size": size["font"]}, height=int(units * line_px + 8 * line_px), bargap=0, barmode="overlay",
        margin={"l": 6, "r": 6, "t": int(2 * line_px), "b": 6}, plot_bgcolor="white", hovermode="closest",
        legend={"orientation": "h", "x": 0, "y": 0, "yanchor": "top", "font": {"size": size["font"] - 1}},
        xaxis={"type": "date", "side": "top", "range": [_day(start), _day(end)], "gridcolor": "#e5e5e5",
               "tickfont": {"size": size["font"] - 1}, "automargin": True},
        yaxis={"range": [units + 0.2, -0.3], "visible": False, "fixedrange": True},
    )


def swimlanes(process: ProcessMap, *, wall: bool = False) -> go.Figure:
    """The flow across functions: one lane per actor, named above it across the full width (no clipped labels
    on a phone), numbered steps in order, coloured by their value to the customer; the text is listed below."""
    size = WALL if wall else PHONE
    lanes = list(process.actors)
    xs = list(range(1, len(process.steps) + 1))
    ys = [lanes.index(s.actor) for s in process.steps]
    fig = go.Figure(go.Scatter(x=xs, y=ys, mode="lines", line={"color": "#999", "width": 2}, hoverinfo="skip",
                               showlegend=False))
    for value in StepValue:
        steps = [(x, y, s) for x, y, s in zip(xs, ys, process.steps, strict=True) if s.value == value]
        fig.add_trace(go.Scatter(
            x=[x for x, _, _ in steps], y=[y for _, y, _ in steps], mode="markers+text", name=STEP_VALUE_LABELS[value],
            text=[str(x) for x, _, _ in steps], textposition="middle center",
            textfont={"color": "white", "size": size["font"] - 2},
            marker={"size": 34 if wall else 26, "color": STEP_COLOURS[value], "symbol": "square"}, hoverinfo="text",
            hovertext=[f"{x}. {plain(s.actor)}: {plain(s.what)}" + (f"<br>→ {plain(s.information)}"
                                                                        if s.information else "")
                       for x, _, s in steps],
        ))
    for n, actor in enumerate(lanes):
        fig.add_hrect(y0=n - 0.5, y1=n + 0.5, fillcolor="#f3f6f9" if n % 2 == 0 else "white", line_width=0,
                      layer="below")
        fig.add_annotation(x=0, xref="paper", y=n - 0.47, text=f"<b>{_lines(actor, size['wrap'], 1)}</b>",
                           showarrow=False, xanchor="left", yanchor="top",
                           font={"size": size["font"] - 1, "color": "#1d1d1d"})
    lane_px = size["font"] * 5
    fig.update_layout(font={"size": size["font"]}, height=int(lane_px * len(lanes) + 5 * size["font"]),
                      margin={"l": 6, "r": 6, "t": 6, "b": 6}, plot_bgcolor="white",
                      yaxis={"visible": False, "range": [len(lanes) - 0.5, -0.5], "fixedrange": True},
                      xaxis={"title": None, "dtick": 1, "range": [0.4, len(xs) + 0.6], "showgrid": False,
                             "showticklabels": False,  # the steps are numbered in their boxes
                             "tickfont": {"size": size["font"] - 2}},  # explicit: Streamlit's theme would shrink them
                      legend={"orientation": "h", "x": 0, "y": 0, "yanchor": "top",
                              "font": {"size": size["font"] - 2}})
    return fig
