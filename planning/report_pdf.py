"""The summary as a PDF, drawn with fpdf2 (no browser): page 1 is what an executive reads first (see
pdf_summary), then the detail. Every text goes through the fonts' `clean`, so nothing is lost unsaid."""

from fpdf import FPDF, FontFace

from planning.analytics import AxisStats
from planning.matrix import matrix_number_of
from planning.models import AREA_LABELS, LEVEL_LABELS, STEP_VALUE_LABELS
from planning.pdf_fonts import MARKER, Glyphs, describe
from planning.pdf_summary import CHOSEN, MATRIX_MM, TOP_DEMANDS, matrix
from planning.since import NEW_SHOWN

FAMILY = "NotoSans"
PADDING = 1.2  # mm each side of a table cell
CHOSEN_MM = 30  # page 1 keeps room for the heading and the first chosen initiatives
WORD_MM = 32  # a longer word in a table cell breaks rather than squeezing the other columns


class _Pdf(FPDF):
    def __init__(self) -> None:
        super().__init__(format="A4")
        self.glyphs = Glyphs(self)
        self.set_auto_page_break(True, margin=15)

    def footer(self) -> None:
        self.set_y(-12)
        self.set_font(FAMILY, size=8)
        self.set_text_color(120)
        self.cell(0, 8, f"Hyperplan summary · page {self.page_no()}", align="C")

    def para(self, height: float, text: str) -> None:
        """A paragraph across the page; the next one starts at the left margin below it."""
        text = self.glyphs.clean(text)
        self.glyphs.shape(text)
        self.multi_cell(0, height, text, new_x="LMARGIN", new_y="NEXT")

    def fits(self, height: float, text: str, keep: float = 0) -> bool:
        """Whether a paragraph of `text` fits on this page with `keep` mm left below it."""
        text = self.glyphs.clean(text)
        self.glyphs.shape(text)
        needed = self.multi_cell(0, height, text, dry_run=True, output="HEIGHT")
        return self.get_y() + needed + keep <= self.page_break_trigger

    def heading(self, text: str, size: float = 13) -> None:
        self.ln(2.5)
        self.set_font(FAMILY, "B", size)
        self.set_text_color(0, 80, 130)
        self.para(size * 0.55, text)
        self.set_text_color(20)
        self.set_font(FAMILY, size=9.5)

    def _widest(self, texts: list[str], style: str = "") -> float:
        """The widest word of `texts` (words longer than WORD_MM may still break)."""
        self.set_font(FAMILY, style, 9.5)
        return min(WORD_MM, max((self.get_string_width(w) for t in texts for w in str(t).split()), default=0))

    def _widths(self, header: list[str], rows: list[list[object]], weights: list[float], right: set[int]):
        """Column widths: no header word and no ordinary word of a cell splits; a column of numbers keeps its
        whole header on one line when the page is wide enough; what is left goes by `weights`."""
        floor = [max(self._widest([h], "B"), self._widest([r[c] for r in rows])) + 2 * PADDING + 0.5
                 for c, h in enumerate(header)]
        self.set_font(FAMILY, "B", 9.5)
        whole = [self.get_string_width(h) + 2 * PADDING + 0.5 if c in right else 0 for c, h in enumerate(header)]
        if sum(max(f, w) for f, w in zip(floor, whole, strict=True)) <= self.epw:
            floor = [max(f, w) for f, w in zip(floor, whole, strict=True)]
        self.set_font(FAMILY, size=9.5)
        free = max(0.0, self.epw - sum(floor))
        return [f + free * w / sum(weights) for f, w in zip(floor, weights, strict=True)]

    def table(self, header: list[str], rows: list[list[object]], weights: list[float], right: set[int] = frozenset()):
        """A table whose header words and ordinary words never split across lines."""
        widths = self._widths(header, rows, weights, right)
        self.set_draw_color(190)
        self.set_line_width(0.2)
        texts = [[self.glyphs.clean(value) for value in row] for row in [header, *rows]]
        self.glyphs.shape(*(t for row in texts for t in row))
        with super().table(col_widths=widths, width=self.epw, text_align="LEFT", line_height=4.6, padding=PADDING,
                           headings_style=FontFace(emphasis="BOLD", fill_color=(235, 241, 247))) as table:
            for n, row in enumerate(texts):
                cells = table.row()
                for c, value in enumerate(row):
                    cells.cell(value, align="RIGHT" if c in right and n else None)


def _axis(a: AxisStats) -> str:
    if a.median is None:
        return "not yet rated"
    return f"{a.median:g} (spread {a.spread:g}, n={a.n})" + (" – fewer than 3" if a.few else "")


def _front(pdf: _Pdf, report, warn: bool) -> None:
    """Page 1: purpose, the top demands, the matrix with its legend, the chosen initiatives and their owners."""
    _purpose(pdf, report, warn)
    drawn = any(i.quadrant for i in report.dashboard.initiatives)
    _top_demands(pdf, report, keep=(MATRIX_MM if drawn else 0) + CHOSEN_MM)
    if drawn:
        pdf.heading("Value to customers against value returned to the company", 11)
        matrix(pdf, report)
    _chosen(pdf, report)


def _purpose(pdf: _Pdf, report, warn: bool) -> None:
    w = report.workshop
    pdf.set_font(FAMILY, "B", 18)
    pdf.para(8.5, w.title)
    pdf.set_font(FAMILY, size=9.5)
    people = f"{report.people_count} participants" + (" (anonymous)" if report.people is None else "")
    pdf.para(4.8, f"A Hyper-planning workshop of {w.company}, planning from the side of {w.segment}: the room spoke "
                  "as the customer, recorded what customers demand, then proposed initiatives that give customers "
                  f"new value and return value to the company, rated them and voted. Held {w.created_at:%d %B %Y}; "
                  f"{people}; phase reached: {report.phase}. Exported {report.exported_at:%d %B %Y, %H:%M} UTC.")
    if warn:
        pdf.set_text_color(180, 60, 0)
        pdf.para(4.8, f"Some characters could not be drawn in this PDF: they show as {MARKER}, and the last page "
                      "lists the texts they belong to.")
        pdf.set_text_color(20)


def _top_demands(pdf: _Pdf, report, keep: float) -> None:
    """The most voted demands, as many as fit while `keep` mm stay free for the rest of page 1."""
    pdf.heading("What customers demand most", 11)
    for n, d in enumerate(report.demands[:TOP_DEMANDS], start=1):
        line = f"{n}. {d.text} ({d.votes} vote{'s' if d.votes != 1 else ''})"
        if not pdf.fits(4.6, line, keep + 5):
            pdf.para(4.6, "…and more in “What customers demanded”.")
            return
        pdf.para(4.6, line)
    if not report.demands:
        pdf.para(4.6, "No demands were recorded.")


def _chosen(pdf: _Pdf, report) -> None:
    pdf.heading("What the room chose to do", 11)
    ranked = [report.initiatives[i.id] for i in report.dashboard.initiatives if report.initiatives[i.id].chosen]
    for n, v in enumerate(ranked):
        owners = list(dict.fromkeys(a.owner for a in report.actions if a.initiative_id == v.id))
        actions = sum(1 for a in report.actions if a.initiative_id == v.id)
        line = f"• {v.title}: " + (f"owned by {', '.join(owners)} ({actions} action{'s' * (actions != 1)})"
                                   if owners else "no owner yet")
        if n == CHOSEN or not pdf.fits(4.6, line, 5):
            pdf.para(4.6, f"…and {len(ranked) - n} more: see “The plan”.")
            break
        pdf.para(4.6, line)
    if not ranked:
        pdf.para(4.6, "No initiative has been chosen yet.")


def _since(pdf: _Pdf, x) -> None:
    """A follow-up's "since the last session": the plan's outcomes, the self-check's shift, demands, initiatives."""
    pdf.heading("Since the last session")
    pdf.para(5, (f"This session follows “{x.follows.title}”, held {x.follows.created_at:%d %B %Y}. " if x.follows
                 else "This session carries on from an earlier one. ") + "It carried over the demands, the chosen "
             "initiatives, the plan and the self-check; the people joined anew.")
    pdf.heading("What became of the plan", 11)
    if x.plan_rows:
        pdf.para(5, f"{x.review.summary}.")
        pdf.table(["Initiative", "Action", "Owner", "Planned last session", "Outcome", "New due date, reason"],
                  [list(row) for row in x.plan_rows], [3, 4, 2, 3, 1, 4])
    else:
        pdf.para(5, "No plan was carried from the last session.")
    _since_selfcheck(pdf, x)
    _since_items(pdf, x)


def _since_selfcheck(pdf: _Pdf, x) -> None:
    pdf.heading("The self-check, then and now", 11)
    if not x.shift:
        pdf.para(5, "The self-check has not been run again in this session." if x.baseline
                 else "The last session ran no self-check.")
        return
    pdf.para(5, f"Run {x.shift.before.number} of the last session ({x.shift.before.respondents} answered) against "
                f"run {x.shift.after.number} of this one ({x.shift.after.respondents} answered); means from 3 "
                "(doing great) to 0 (at risk): a positive shift is a better rating.")
    pdf.table(["Area", "Then (mean)", "Now (mean)", "Shift", "Needs attention or worse, then → now"],
              [list(row) for row in x.shift_rows], [3, 1, 1, 1, 2], right={1, 2, 3})


def _since_items(pdf: _Pdf, x) -> None:
    pdf.heading("Demands and initiatives", 11)
    pdf.para(5, f"Demands new in this session: {len(x.new_demands)}; carried from the last: "
                f"{len(x.carried_demands)}. Initiatives new: {len(x.new_initiatives)}; carried: "
                f"{len(x.carried_initiatives)}.")
    if x.demand_rows:
        pdf.table(["Carried demand", "Votes last session", "Votes now"], [list(r) for r in x.demand_rows],
                  [6, 1, 1], right={1, 2})
        pdf.ln(2)
    if x.initiative_rows:
        pdf.table(["Carried initiative", "Votes last session", "Quadrant last session", "Votes now", "Quadrant now"],
                  [list(r) for r in x.initiative_rows], [4, 1, 2, 1, 2], right={1, 3})
    more = "; …" if len(x.new_demands) > NEW_SHOWN else "."
    if x.new_demands:
        pdf.para(5, "New demands, most voted first: "
                 + "; ".join(f"{d.text} ({d.votes})" for d in x.new_demands[:NEW_SHOWN]) + more)
    if x.new_initiative_rows:
        pdf.para(5, "New initiatives: " + "; ".join(f"{t} ({v} votes, {q})" for t, v, q in x.new_initiative_rows)
                 + ".")


def _demands(pdf: _Pdf, report) -> None:
    d = report.dashboard
    answered = {c.demand_id: c.answered_by for c in d.coverage}
    if report.people is not None:
        pdf.heading("Who took part")
        pdf.para(5, ", ".join(report.people) or "Nobody joined.")
    pdf.heading("What customers demanded")
    pdf.table(["#", "Demand, in the customer's words", "Votes", "Initiatives answering"],
              [[n, x.text, x.votes, answered.get(x.id, 0)] for n, x in enumerate(report.demands[:10], start=1)]
              or [["", "No demands were recorded.", "", ""]], [0, 10, 0, 0], right={0, 2, 3})
    if len(report.demands) > 10:
        pdf.para(5, f"…and {len(report.demands) - 10} more demands in the data export.")
    gaps = [c for c in d.coverage if c.unanswered_top]
    pdf.heading("Top demands nothing answers")
    pdf.para(5, "\n".join(f"• {c.text} ({c.votes} votes)" for c in gaps)
             or "None: every top demand is answered by at least one initiative.")


def _initiatives(pdf: _Pdf, report) -> None:
    d = report.dashboard
    if not d.initiatives:
        pdf.heading("Initiatives, ranked")
        pdf.para(5, "No initiatives were proposed.")
        return
    b = d.balance
    pdf.heading("Balance")
    counts = "; ".join(f"{q.value}: {n}" for q, n in b.counts.items())
    lean = " The room leans self-serving: its ideas return more to the company than they give customers." \
        if b.leans_self_serving else ""
    pdf.para(5, f"Mean value to customers {b.mean_customer or 0:.1f} (n={b.n_customer}); to the company "
                f"{b.mean_company or 0:.1f} (n={b.n_company}). {counts}.{lean}")
    pdf.heading("Initiatives, ranked")
    number = matrix_number_of(d)
    pdf.table(["#", "Initiative", "The customer gets", "Customer", "Company", "Votes", "Quadrant"],
              [[number.get(i.id, ""), i.title, report.initiatives[i.id].customer_value or "—", _axis(i.customer),
                _axis(i.company), i.votes, i.quadrant.value if i.quadrant else "not yet rated"]
               for i in d.initiatives], [0, 4, 5, 3, 3, 0, 2], right={0, 5})
    pdf.heading("Where the room was split")
    pdf.para(5, "\n".join(f"• {i.title}: spread {i.customer.spread:g} / {i.company.spread:g}" for i in d.disputed)
             or "No initiative split the room.")


def _plan(pdf: _Pdf, report) -> None:
    if report.actions:
        pdf.heading("The plan")
        today = report.exported_at.date()
        pdf.table(["Initiative", "Action", "Owner", "Due", "Status"],
                  [[a.initiative, a.what, a.owner, a.due.isoformat() + (" (overdue)" if a.overdue(today) else ""),
                    a.status_label] for a in report.actions], [4, 6, 3, 1, 1])
    for m in report.maps:
        pdf.heading(f"Process value map: {m.initiative}")
        pdf.table(["#", "Who", "What happens", "Information", "Value to the customer"],
                  [[n, st.actor, st.what, st.information or "—", STEP_VALUE_LABELS[st.value]]
                   for n, st in enumerate(m.steps, start=1)], [0, 3, 6, 4, 3], right={0})
        pdf.para(5, f"{m.adding_share:.0%} of {len(m.steps)} steps add value for the customer.")
    for run in report.selfcheck:
        pdf.heading(f"Customer-alignment self-check, run {run.number}{' of the last session' if run.baseline else ''}"
                    f" ({run.respondents} answered)")
        pdf.table(["Area", *LEVEL_LABELS.values()],
                  [[AREA_LABELS[a], *(counts[lv] for lv in LEVEL_LABELS)] for a, counts in run.distribution.items()],
                  [3, 1, 1, 1, 1], right={1, 2, 3, 4})
        pdf.para(5, "Weakest: " + ", ".join(AREA_LABELS[a] for a in run.weakest) + "."
                 + (f" {run.honesty_note}" if run.honesty_note else ""))


def _not_drawn(pdf: _Pdf) -> None:
    """The texts with characters no font could draw, each with the characters it lost."""
    missing = dict(pdf.glyphs.missing)
    pdf.heading("Text this PDF could not draw")
    pdf.para(5, f"No font available to this PDF has the characters below; each shows as {MARKER} where it occurs. "
                "The data export (XLSX, CSV) and the HTML summary keep the text as typed.")
    for text, lost in missing.items():
        pdf.para(5, f"• {text}")
        pdf.set_text_color(90)
        pdf.para(5, "   " + "; ".join(describe(c) for c in lost))
        pdf.set_text_color(20)


def _draw(report, warn: bool) -> _Pdf:
    pdf = _Pdf()
    pdf.set_creation_date(report.exported_at)
    pdf.set_title(f"{report.workshop.title} — Hyperplan summary")
    pdf.add_page()
    _front(pdf, report, warn)
    pdf.add_page()
    if report.since:
        _since(pdf, report.since)
    _demands(pdf, report)
    _initiatives(pdf, report)
    _plan(pdf, report)
    if pdf.glyphs.missing:
        _not_drawn(pdf)
    return pdf


def to_pdf(report) -> bytes:
    """The summary as PDF bytes (creation date = the export time, so equal exports are equal files). When some
    character cannot be drawn, the document is drawn again so that page 1 can say so."""
    pdf = _draw(report, warn=False)
    if pdf.glyphs.missing:
        pdf = _draw(report, warn=True)
    return bytes(pdf.output())
