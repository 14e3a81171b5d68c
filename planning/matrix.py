"""The value-exchange matrix: one numbered dot per rated initiative, the same numbers on every screen and export.

`matrix_numbers` is the legend (number -> title) a caller draws beside the chart; the numbers follow the
ranking, so the wall, the phones and every summary agree.
"""

import math
from dataclasses import dataclass

import numpy as np
import plotly.graph_objects as go

from planning.analytics import MIDPOINT, Dashboard, InitiativeStats, Quadrant
from planning.charts import FONT, QUADRANT_COLOURS, plain

HEIGHT = 560
LABEL_PX = 18  # dot numbers and quadrant names: readable from the back of the room at 1920x1080
RANGE = (-1.0, 11.0)  # room for the largest dot (radius 22 px, 0.8 units on a phone) and its jitter
LABEL_NUMBERS = 8  # more initiatives at one spot show the first 7 and "+N"; the legend and ranking list all
PHONE_UNIT = (27.0, 38.0)  # pixels per unit on a 390 px phone, the tightest screen: labels are placed for it
PLACES = ("middle right", "middle left", "top center", "bottom center",
          "top right", "bottom right", "top left", "bottom left")


@dataclass(frozen=True)
class Dot:
    number: int
    initiative: InitiativeStats
    x: float  # value returned to the company (median), jittered
    y: float  # value to the customer (median), jittered
    size: float  # diameter in pixels


@dataclass(frozen=True)
class Label:
    """One number label: initiatives at the same medians share it, beside the group's outermost dot."""

    text: str
    dots: tuple[Dot, ...]

    def anchor(self, where: str) -> Dot:
        """The dot the label sits beside at text position `where`: the group's outermost one that way."""
        v, _, hz = where.partition(" ")
        dx, dy = {"right": 1, "left": -1}.get(hz, 0), {"top": 1, "bottom": -1}.get(v, 0)
        return max(self.dots, key=lambda d: dx * d.x * PHONE_UNIT[0] + dy * d.y * PHONE_UNIT[1] + d.size / 2)


def jitter(item_id: int) -> float:
    """A small, stable offset so initiatives with equal medians do not hide each other."""
    return ((item_id * 7919) % 11 - 5) * 0.04


def dot_size(votes: int, top_votes: int) -> float:
    """A dot's diameter in pixels: its area grows with its share of the most voted initiative's votes."""
    return 16 + 28 * math.sqrt(votes / top_votes) if top_votes else 16


def on_matrix(dash: Dashboard) -> list[InitiativeStats]:
    """The initiatives the matrix draws (rated on both axes), in the ranking's order."""
    return [i for i in dash.initiatives if i.quadrant is not None]


def matrix_numbers(dash: Dashboard) -> list[tuple[int, str]]:
    """The number each dot of the matrix carries and its initiative's title: 1, 2, … in the ranking's order."""
    return [(n, i.title) for n, i in enumerate(on_matrix(dash), start=1)]


def matrix_number_of(dash: Dashboard) -> dict[int, int]:
    """Initiative id -> the number its dot carries (only initiatives the matrix draws)."""
    return {i.id: n for n, i in enumerate(on_matrix(dash), start=1)}


def dots(dash: Dashboard) -> list[Dot]:
    """Every dot the matrix draws, numbered, at its jittered medians."""
    drawn = on_matrix(dash)
    top = max((i.votes for i in drawn), default=0)
    return [Dot(n, i, i.company.median + jitter(i.id), i.customer.median + jitter(i.id + 1), dot_size(i.votes, top))
            for n, i in enumerate(drawn, start=1)]


def labels(drawn: list[Dot]) -> list[Label]:
    """One label per group of dots at the same medians: their numbers, four to a line, two lines at most."""
    groups: dict[tuple[float, float], list[Dot]] = {}
    for d in drawn:
        groups.setdefault((d.initiative.company.median, d.initiative.customer.median), []).append(d)
    out = []
    for members in groups.values():
        numbers = [str(d.number) for d in members]
        if len(numbers) > LABEL_NUMBERS:  # a crowd at one spot: its first numbers and how many more
            numbers = [*numbers[:LABEL_NUMBERS - 1], f"+{len(numbers) - LABEL_NUMBERS + 1}"]
        out.append(Label("<br>".join(", ".join(numbers[k:k + 4]) for k in range(0, len(numbers), 4)),
                         tuple(members)))
    return out


def label_box(where: str, label: Label, unit: tuple[float, float] = PHONE_UNIT,
              font: float = LABEL_PX) -> tuple[float, float, float, float]:
    """Where Plotly draws `label` at text position `where` (offset: radius / 0.8 + 1), in pixels, y up."""
    lines = label.text.split("<br>")
    w, h = 0.62 * font * max(len(line) for line in lines), 1.25 * font * len(lines)
    dot = label.anchor(where)
    cx, cy, r = dot.x * unit[0], dot.y * unit[1], dot.size / 1.6 + 1
    v, _, hz = where.partition(" ")
    x0 = {"right": cx + r, "left": cx - r - w}.get(hz, cx - w / 2)
    y0 = {"top": cy + r, "bottom": cy - r - h}.get(v, cy - h / 2)
    return x0, y0, x0 + w, y0 + h


def _overlaps(boxes: np.ndarray, others: np.ndarray) -> np.ndarray:
    """For each box (x0, y0, x1, y1 per row) the summed area it shares with `others` (rows alike)."""
    w = np.minimum(boxes[:, None, 2], others[None, :, 2]) - np.maximum(boxes[:, None, 0], others[None, :, 0])
    h = np.minimum(boxes[:, None, 3], others[None, :, 3]) - np.maximum(boxes[:, None, 1], others[None, :, 1])
    return (np.clip(w, 0, None) * np.clip(h, 0, None)).sum(axis=1)


def place(found: list[Label], drawn: list[Dot], unit: tuple[float, float] = PHONE_UNIT,
          font: float = LABEL_PX) -> list[str]:
    """A text position per label, greedily in ranking order: the least overlap with dots, labels and the frame."""
    frame = np.array([[RANGE[0] * unit[0], RANGE[0] * unit[1], RANGE[1] * unit[0], RANGE[1] * unit[1]]])
    obstacles = np.array([(d.x * unit[0] - d.size / 2, d.y * unit[1] - d.size / 2,
                           d.x * unit[0] + d.size / 2, d.y * unit[1] + d.size / 2) for d in drawn]).reshape(-1, 4)
    chosen = []
    for label in found:
        boxes = np.array([label_box(where, label, unit, font) for where in PLACES])
        outside = (boxes[:, 2] - boxes[:, 0]) * (boxes[:, 3] - boxes[:, 1]) - _overlaps(boxes, frame)
        best = int(np.argmin(4 * outside + _overlaps(boxes, obstacles)))  # the first of equals, in PLACES' order
        chosen.append(PLACES[best])
        obstacles = np.vstack([obstacles, boxes[best:best + 1]])  # later labels keep clear of this one
    return chosen


def _fmt(value: float | None) -> str:
    return "–" if value is None else f"{value:g}"


def _hover(d: Dot, dash: Dashboard) -> str:
    i = d.initiative
    demands = [plain("• " + dash.demand_text(x), 70) for x in i.demand_ids[:4]]
    few = " (fewer than 3 ratings)" if i.customer.few or i.company.few else ""
    return "<br>".join([
        f"<b>{d.number} · {plain(i.title)}</b>",
        f"Value to the customer: {_fmt(i.customer.median)} (spread {_fmt(i.customer.spread)}, n={i.customer.n})",
        f"Value to the company: {_fmt(i.company.median)} (spread {_fmt(i.company.spread)}, n={i.company.n}){few}",
        f"Votes: {i.votes}",
        "Answers: " + ("<br>" + "<br>".join(demands) if demands else "no recorded demand"),
    ])


def _each(values: list):
    """One value for every point when they agree (Plotly checks a list item by item: most of a large matrix's cost)."""
    return values[0] if values and all(v == values[0] for v in values) else values


def _dot_trace(q: Quadrant, drawn: list[Dot], dash: Dashboard, lit: int | None) -> go.Scatter:
    colour = QUADRANT_COLOURS[q]
    return go.Scatter(
        x=[d.x for d in drawn], y=[d.y for d in drawn], mode="markers", name=f"{q.value} ({len(drawn)})",
        marker={"size": [d.size for d in drawn], "color": colour,
                "symbol": _each(["circle-open" if d.initiative.customer.few or d.initiative.company.few else "circle"
                                 for d in drawn]),
                "opacity": _each([0.2 if lit not in (None, d.initiative.id) else 0.85 for d in drawn]),
                "line": {"width": _each([5 if d.initiative.id == lit else 2 for d in drawn]),
                         "color": _each(["#111" if d.initiative.id == lit else colour for d in drawn])}},
        hovertext=[_hover(d, dash) for d in drawn], hoverinfo="text", showlegend=False,
    )


def _label_trace(drawn: list[Dot], lit: int | None) -> go.Scatter:
    """The numbers, on invisible copies of their anchor dots so Plotly offsets the text past the dot."""
    found = labels(drawn)
    places = place(found, drawn)
    anchors = [lb.anchor(where) for lb, where in zip(found, places, strict=True)]
    on = [lit is not None and any(d.initiative.id == lit for d in lb.dots) for lb in found]
    return go.Scatter(
        x=[d.x for d in anchors], y=[d.y for d in anchors], mode="markers+text", name="numbers",
        marker={"size": [d.size for d in anchors], "opacity": 0}, hoverinfo="skip", showlegend=False,
        text=[f"<b>{lb.text}</b>" if hit else lb.text for lb, hit in zip(found, on, strict=True)],
        textposition=places,
        textfont={"size": LABEL_PX,
                  "color": _each(["#bbb" if lit is not None and not hit else "#1d1d1d" for hit in on])},
    )


def _quadrant_labels(drawn: list[Dot]) -> list[dict]:
    """Each quadrant's name and count outside the plot, at its corner: clear of the dots, ticks and titles."""
    spots = {Quadrant.FIND_THE_RETURN: (0, 1, 2), Quadrant.WIN_WIN: (1, 1, 2),
             Quadrant.DROP: (0, 0, -88), Quadrant.SELF_SERVING: (1, 0, -88)}  # below the x title
    return [{"xref": "paper", "yref": "paper", "x": x, "y": y, "yshift": shift, "showarrow": False,
             "xanchor": "left" if x == 0 else "right", "yanchor": "bottom" if y == 1 else "top",
             "text": f"<b>{q.value}</b> ({sum(1 for d in drawn if d.initiative.quadrant == q)})",
             "font": {"size": LABEL_PX, "color": QUADRANT_COLOURS[q]}} for q, (x, y, shift) in spots.items()]


def value_exchange_matrix(dash: Dashboard, highlight: int | None = None) -> go.Figure:
    """Value returned to the company (x) against value to the customer (y) at the medians; area = votes.

    Every dot carries its number from `matrix_numbers`; `highlight` (an initiative id) dims the other dots.
    """
    drawn = dots(dash)
    lit = highlight if any(d.initiative.id == highlight for d in drawn) else None
    fig = go.Figure([_dot_trace(q, [d for d in drawn if d.initiative.quadrant == q], dash, lit) for q in Quadrant])
    fig.add_trace(_label_trace(drawn, lit))
    for annotation in _quadrant_labels(drawn):
        fig.add_annotation(annotation)
    dotted = {"dash": "dot", "color": "#555"}
    fig.add_shape(type="line", x0=MIDPOINT, x1=MIDPOINT, y0=RANGE[0], y1=RANGE[1], line=dotted)
    fig.add_shape(type="line", y0=MIDPOINT, y1=MIDPOINT, x0=RANGE[0], x1=RANGE[1], line=dotted)
    axis = {"range": list(RANGE), "tickvals": list(range(11)), "gridcolor": "#eee", "zeroline": False,
            "fixedrange": True, "automargin": False, "ticklen": 4}
    fig.update_layout(
        font=FONT, height=HEIGHT, showlegend=False, plot_bgcolor="white",
        margin={"l": 72, "r": 16, "t": 40, "b": 120},
        xaxis={**axis, "title": {"text": "Value returned to the company"}},
        yaxis={**axis, "title": {"text": "Value to the customer"}},
    )
    return fig
