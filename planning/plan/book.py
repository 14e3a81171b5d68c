"""The process book: the chosen initiatives' workflows as swimlanes and step tables, for software vendors.

A buyer hands it to vendors so they demonstrate support for this company's process, step by step,
rather than a generic demo: each step says who does it, the information that moves with the work and
its value to the customer, next to an empty column to fill in during the demonstration.
"""

from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

import jinja2
from fpdf import FPDF, FontFace

from planning.models import STEP_VALUE_LABELS, StepValue
from planning.pdf_fonts import Glyphs
from planning.plan.process import ProcessMap

STEP_COLOURS = {StepValue.ADDS: (0, 158, 115), StepValue.ENABLES: (86, 180, 233), StepValue.NONE: (213, 94, 0)}
STEPS_PER_BAND = 8  # swimlane columns on one A4 landscape width
DEMO = "Show us how your product supports this step"
_TEMPLATES = jinja2.Environment(loader=jinja2.FileSystemLoader(Path(__file__).parent / "templates"),
                                autoescape=True, undefined=jinja2.StrictUndefined)


@dataclass(frozen=True)
class Workflow:
    process: ProcessMap
    customer_value: str  # what the customer gets from the initiative


@dataclass(frozen=True)
class Book:
    title: str
    company: str
    segment: str
    code: str
    stamp: datetime
    workflows: tuple[Workflow, ...]


def to_html(book: Book) -> bytes:
    """One offline HTML file (user text escaped), printable in landscape."""
    return _TEMPLATES.get_template("process_book.html.j2").render(b=book, values=STEP_VALUE_LABELS).encode()


class _Pdf(FPDF):
    def footer(self) -> None:
        self.set_y(-10)
        self.set_font("NotoSans", size=8)
        self.set_text_color(120)
        self.cell(0, 6, f"Hyperplan process book · page {self.page_no()}", align="C")


def _para(pdf: FPDF, height: float, text: str, size: float = 10, style: str = "") -> None:
    pdf.set_font("NotoSans", style, size)
    pdf.multi_cell(0, height, _drawable(pdf, text), new_x="LMARGIN", new_y="NEXT")


def _drawable(pdf: FPDF, text: str) -> str:
    """Text the PDF's fonts can draw (a marker where none can), shaped when its script needs it."""
    text = pdf.glyphs.clean(text)
    pdf.glyphs.shape(text)
    return text


def _fit(pdf: FPDF, text: str, width: float, lines: int) -> str:
    """Text wrapped to `width` and cut to `lines` lines, with an ellipsis when cut."""
    rows = pdf.multi_cell(width, 3.2, _drawable(pdf, text), dry_run=True, output="LINES")
    return "\n".join(rows[:lines - 1] + [rows[lines - 1].rstrip() + "…"]) if len(rows) > lines else "\n".join(rows)


def _band(pdf: FPDF, m: ProcessMap, first: int) -> None:
    """Swimlanes for up to STEPS_PER_BAND steps from `first`: one lane per function, boxes joined in order."""
    steps, lanes = m.steps[first:first + STEPS_PER_BAND], list(m.actors)
    label_w, lane_h = 38, 17
    col_w = (pdf.w - pdf.l_margin - pdf.r_margin - label_w) / STEPS_PER_BAND
    if pdf.get_y() + lane_h * len(lanes) > pdf.h - 18:
        pdf.add_page()
    x0, y0 = pdf.l_margin, pdf.get_y() + 2
    pdf.set_font("NotoSans", "B", 8)
    for n, actor in enumerate(lanes):
        pdf.set_fill_color(243, 246, 249) if n % 2 == 0 else pdf.set_fill_color(255)
        pdf.rect(x0, y0 + n * lane_h, pdf.w - pdf.l_margin - pdf.r_margin, lane_h, style="F")
        pdf.set_xy(x0 + 1, y0 + n * lane_h + 1)
        pdf.multi_cell(label_w - 2, 3.4, _fit(pdf, actor, label_w - 2, 4))
    centres = []
    pdf.set_font("NotoSans", size=7)
    for n, step in enumerate(steps):
        x, y = x0 + label_w + n * col_w + 2, y0 + lanes.index(step.actor) * lane_h + 1.5
        pdf.set_draw_color(*STEP_COLOURS[step.value])
        pdf.set_line_width(0.6)
        pdf.rect(x, y, col_w - 4, lane_h - 3)
        pdf.set_xy(x + 0.5, y + 0.5)
        text = _fit(pdf, f"{first + n + 1}. {step.what}", col_w - 5, 3 if step.information else 4)
        if step.information:  # what moves on with the work to the next step
            text += "\n" + _fit(pdf, f"→ {step.information}", col_w - 5, 1)
        pdf.multi_cell(col_w - 5, 3.2, text)
        centres.append((x, x + col_w - 4, y + (lane_h - 3) / 2))
    pdf.set_draw_color(90)
    pdf.set_line_width(0.3)
    for (_, right, ya), (left, _, yb) in zip(centres, centres[1:], strict=False):
        pdf.line(right, ya, left, yb)
    pdf.set_y(y0 + lane_h * len(lanes) + 3)


def _steps_table(pdf: FPDF, m: ProcessMap) -> None:
    widths = [8, 34, 62, 52, 30, 91]
    with pdf.table(col_widths=widths, text_align="LEFT", line_height=4.4,
                   headings_style=FontFace(emphasis="BOLD", fill_color=(235, 241, 247))) as table:
        for row in [["#", "Who", "What happens", "Information that moves with the work", "Value to the customer",
                     DEMO]] + [[str(n), s.actor, s.what, s.information or "—", STEP_VALUE_LABELS[s.value], "\n\n\n"]
                               for n, s in enumerate(m.steps, start=1)]:
            cells = table.row()
            for value in row:
                cells.cell(_drawable(pdf, value))


def _intro(pdf: FPDF, book: Book) -> None:
    _para(pdf, 9, f"Process book: {book.title}", 17, "B")
    _para(pdf, 5, f"{book.company} · prepared {book.stamp:%d %B %Y} · workshop {book.code}", 9)
    pdf.ln(2)
    _para(pdf, 5, f"{book.company} is choosing software to support the workflows in this book. Each was mapped in "
                  f"a Hyper-planning workshop by {book.company}'s own people, from the side of its customers "
                  f"({book.segment}): every step shows who does it, the information that moves with the work, and "
                  "the value the step adds for the customer.")
    _para(pdf, 5, "To vendors: please demonstrate how your product supports each step, in this order, with this "
                  "information, rather than a general demonstration. The last column of each table is left empty: "
                  "it is filled in during your demonstration. Steps marked \"No customer value\" are ones we would "
                  "like to remove; show us how your product makes them unnecessary.")


def to_pdf(book: Book) -> bytes:
    """The book as an A4 landscape PDF (creation date = the export time, so equal books are equal files)."""
    pdf = _Pdf(orientation="landscape", format="A4")
    pdf.set_creation_date(book.stamp)
    pdf.set_title(f"{book.title} — process book")
    pdf.glyphs = Glyphs(pdf)  # the summary's fonts: every script, and a visible marker where none can draw
    pdf.set_auto_page_break(True, margin=14)
    pdf.add_page()
    _intro(pdf, book)
    if not book.workflows:
        _para(pdf, 6, "No process has been mapped for the chosen initiatives yet.")
    for n, f in enumerate(book.workflows, start=1):
        m = f.process
        pdf.add_page()
        _para(pdf, 8, f"Workflow {n}: {m.initiative}", 14, "B")
        if f.customer_value:
            _para(pdf, 5, f"What the customer gets: {f.customer_value}")
        _para(pdf, 5, f"{len(m.steps)} steps across {len(m.actors)} functions; {m.adding_share:.0%} add value for "
                      "the customer. Box colours: green adds value, blue enables, orange no customer value.", 9)
        for first in range(0, len(m.steps), STEPS_PER_BAND):
            _band(pdf, m, first)
        _steps_table(pdf, m)
    return bytes(pdf.output())
