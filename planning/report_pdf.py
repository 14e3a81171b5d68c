"""The summary as a PDF, drawn with fpdf2 (no browser): demands, the value-exchange matrix, the ranking."""

from pathlib import Path

from fpdf import FPDF, FontFace

from planning.analytics import MIDPOINT, Quadrant
from planning.charts import QUADRANT_COLOURS
from planning.matrix import jitter
from planning.models import AREA_LABELS, LEVEL_LABELS, STEP_VALUE_LABELS

FONTS = Path(__file__).parent / "fonts"


def _rgb(hex_colour: str) -> tuple[int, int, int]:
    return tuple(int(hex_colour[i:i + 2], 16) for i in (1, 3, 5))


class _Pdf(FPDF):
    def footer(self) -> None:
        self.set_y(-12)
        self.set_font("DejaVu", size=8)
        self.set_text_color(120)
        self.cell(0, 8, f"Hyperplan summary · page {self.page_no()}", align="C")


def _para(pdf: FPDF, height: float, text: str) -> None:
    """A paragraph across the page; the next one starts at the left margin below it."""
    pdf.multi_cell(0, height, text, new_x="LMARGIN", new_y="NEXT")


def _heading(pdf: FPDF, text: str) -> None:
    pdf.ln(3)
    pdf.set_font("DejaVu", "B", 13)
    pdf.set_text_color(0, 80, 130)
    _para(pdf, 7, text)
    pdf.set_text_color(20)
    pdf.set_font("DejaVu", size=9.5)


def _table(pdf: FPDF, header: list[str], rows: list[list[str]], widths: list[int]) -> None:
    with pdf.table(col_widths=widths, text_align="LEFT", line_height=4.6,
                   headings_style=FontFace(emphasis="BOLD", fill_color=(235, 241, 247))) as table:
        for row in [header, *rows]:
            cells = table.row()
            for value in row:
                cells.cell(str(value))


def _matrix(pdf: FPDF, report) -> None:
    """Axes 0-10, quadrant lines at the midpoint, one dot per rated initiative at its medians."""
    x0, y0, size = pdf.l_margin + 12, pdf.get_y() + 4, 110
    scale = size / 10.5
    pdf.set_draw_color(180)
    pdf.rect(x0, y0, size, size)
    pdf.set_dash_pattern(dash=1, gap=1)
    pdf.line(x0 + MIDPOINT * scale, y0, x0 + MIDPOINT * scale, y0 + size)
    pdf.line(x0, y0 + size - MIDPOINT * scale, x0 + size, y0 + size - MIDPOINT * scale)
    pdf.set_dash_pattern()
    pdf.set_font("DejaVu", size=7)
    for q, (qx, qy) in {Quadrant.FIND_THE_RETURN: (1, 1), Quadrant.WIN_WIN: (MIDPOINT + 0.2, 1),
                        Quadrant.DROP: (1, 9.6), Quadrant.SELF_SERVING: (MIDPOINT + 0.2, 9.6)}.items():
        pdf.set_text_color(*_rgb(QUADRANT_COLOURS[q]))
        pdf.text(x0 + qx * scale, y0 + qy * scale, q.value)
    for i in report.dashboard.initiatives:
        if i.quadrant is None:
            continue
        pdf.set_fill_color(*_rgb(QUADRANT_COLOURS[i.quadrant]))
        r = 1.2 + 0.5 * i.votes ** 0.5
        cx = x0 + (i.company.median + jitter(i.id)) * scale
        cy = y0 + size - (i.customer.median + jitter(i.id + 1)) * scale
        pdf.circle(x=cx, y=cy, radius=r, style="F")
    pdf.set_text_color(60)
    for tick in (0, 5, 10):
        pdf.text(x0 + tick * scale - 1, y0 + size + 3.5, str(tick))
        pdf.text(x0 - 4, y0 + size - tick * scale + 1, str(tick))
    pdf.text(x0 + 18, y0 + size + 8, "Value returned to the company (median) →")
    with pdf.rotation(90, x0 - 7, y0 + size - 18):
        pdf.text(x0 - 7, y0 + size - 18, "Value to the customer (median) →")
    pdf.set_y(y0 + size + 12)
    pdf.set_text_color(20)
    pdf.set_fill_color(255)
    pdf.set_font("DejaVu", size=9.5)


def to_pdf(report) -> bytes:
    """The summary as PDF bytes (creation date = the export time, so equal exports are equal files)."""
    w, d = report.workshop, report.dashboard
    pdf = _Pdf(format="A4")
    pdf.set_creation_date(report.exported_at)
    pdf.set_title(f"{w.title} — Hyperplan summary")
    pdf.add_font("DejaVu", "", str(FONTS / "DejaVuSans.ttf"))
    pdf.add_font("DejaVu", "B", str(FONTS / "DejaVuSans-Bold.ttf"))
    pdf.set_auto_page_break(True, margin=15)
    pdf.add_page()
    pdf.set_font("DejaVu", "B", 18)
    _para(pdf, 9, w.title)
    pdf.set_font("DejaVu", size=9.5)
    people = f"{report.people_count} participants" + (" (anonymous)" if report.people is None
                                                       else ": " + ", ".join(report.people))
    _para(pdf, 5, f"Hyper-planning workshop of {w.company}, planning from the side of {w.segment}. "
                         f"Held {w.created_at:%d %B %Y}; phase reached: {report.phase}; {people}. "
                         f"Exported {report.exported_at:%d %B %Y, %H:%M} UTC. Figures are medians; spread is the "
                         "interquartile range; n is the number of ratings.")
    answered = {c.demand_id: c.answered_by for c in d.coverage}
    _heading(pdf, "What customers demanded")
    _table(pdf, ["Demand, in the customer's words", "Votes", "Answered by"],
           [[x.text, x.votes, answered.get(x.id, 0)] for x in report.demands[:10]] or [["No demands.", "", ""]],
           [130, 20, 30])
    gaps = [c for c in d.coverage if c.unanswered_top]
    _heading(pdf, "Top demands nothing answers")
    _para(pdf, 5, "\n".join(f"• {c.text} ({c.votes} votes)" for c in gaps) or "None: every top demand is "
                   "answered by at least one initiative.")
    if d.initiatives:
        pdf.add_page()
        _heading(pdf, "Value to customers against value returned to the company")
        _matrix(pdf, report)
        b = d.balance
        counts = "; ".join(f"{q.value}: {n}" for q, n in b.counts.items())
        lean = " The room leans self-serving." if b.leans_self_serving else ""
        _para(pdf, 5, f"Mean value to customers {b.mean_customer or 0:.1f} (n={b.n_customer}); to the company "
                             f"{b.mean_company or 0:.1f} (n={b.n_company}). {counts}.{lean}")
        _heading(pdf, "Initiatives, ranked")

        def axis(a) -> str:
            return "not yet rated" if a.median is None else f"{a.median:g} (spread {a.spread:g}, n={a.n})" + (
                " – fewer than 3" if a.few else "")

        _table(pdf, ["Initiative", "The customer gets", "Customer", "Company", "Votes", "Quadrant"],
               [[i.title, report.initiatives[i.id].customer_value or "—", axis(i.customer), axis(i.company), i.votes,
                 i.quadrant.value if i.quadrant else "not yet rated"] for i in d.initiatives],
               [38, 52, 28, 28, 12, 22])
        _heading(pdf, "Where the room was split")
        _para(pdf, 5, "\n".join(f"• {i.title}: spread {i.customer.spread:g} / {i.company.spread:g}"
                                       for i in d.disputed) or "No initiative split the room.")
    if report.actions:
        _heading(pdf, "The plan")
        today = report.exported_at.date()
        _table(pdf, ["Initiative", "Action", "Owner", "Due", "Status"],
               [[a.initiative, a.what, a.owner, a.due.isoformat() + (" (overdue)" if a.overdue(today) else ""),
                 a.status_label] for a in report.actions], [40, 60, 30, 28, 22])
    for m in report.maps:
        _heading(pdf, f"Process value map: {m.initiative}")
        _table(pdf, ["#", "Who", "What happens", "Information", "Value to the customer"],
               [[n, st.actor, st.what, st.information or "—", STEP_VALUE_LABELS[st.value]]
                for n, st in enumerate(m.steps, start=1)], [8, 30, 62, 45, 35])
        _para(pdf, 5, f"{m.adding_share:.0%} of {len(m.steps)} steps add value for the customer.")
    for run in report.selfcheck:
        _heading(pdf, f"Customer-alignment self-check, run {run.number} ({run.respondents} answered)")
        _table(pdf, ["Area", *LEVEL_LABELS.values()],
               [[AREA_LABELS[a], *(counts[lv] for lv in LEVEL_LABELS)] for a, counts in run.distribution.items()],
               [40, 30, 40, 36, 44])
        _para(pdf, 5, "Weakest: " + ", ".join(AREA_LABELS[a] for a in run.weakest) + "."
              + (f" {run.honesty_note}" if run.honesty_note else ""))
    return bytes(pdf.output())
