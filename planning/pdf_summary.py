"""Page 1 of the PDF summary, what an executive reads first: the purpose, the top demands, the value-exchange
matrix with its numbered dots and legend, and the chosen initiatives with their owners."""

from dataclasses import replace

from fpdf import FPDF

from planning.analytics import MIDPOINT, Quadrant
from planning.charts import QUADRANT_COLOURS
from planning.matrix import RANGE, Dot, dots, label_box, labels, place

PLOT = 86.0  # mm, the matrix's square
DOT_MM = 0.11  # a dot of 16 px on screen is 1.8 mm across here
LABEL_PT = 7.5
TOP_DEMANDS = 5
CHOSEN = 8
MATRIX_MM = 9 + 5 + PLOT + 14 + 4  # its heading, the quadrant names above, the plot, ticks, title, names below


def rgb(hex_colour: str) -> tuple[int, int, int]:
    return tuple(int(hex_colour[i:i + 2], 16) for i in (1, 3, 5))


def _text_at(pdf: FPDF, x: float, y: float, text: str, align: str = "L") -> None:
    """One line with its baseline at y; align R ends it at x."""
    text = pdf.glyphs.clean(text)
    pdf.glyphs.shape(text)
    width = pdf.get_string_width(text)
    pdf.text(x - width if align == "R" else x - width / 2 if align == "C" else x, y, text)


def _frame(pdf: FPDF, x0: float, y0: float) -> None:
    """Grid, midpoint lines, ticks and axis titles of the plot whose top-left corner is (x0, y0)."""
    scale = PLOT / (RANGE[1] - RANGE[0])
    pdf.set_draw_color(235)
    pdf.set_line_width(0.15)
    for v in range(11):
        pdf.line(x0 + (v - RANGE[0]) * scale, y0, x0 + (v - RANGE[0]) * scale, y0 + PLOT)
        pdf.line(x0, y0 + PLOT - (v - RANGE[0]) * scale, x0 + PLOT, y0 + PLOT - (v - RANGE[0]) * scale)
    pdf.set_draw_color(90)
    pdf.set_dash_pattern(dash=0.8, gap=0.8)
    mid = (MIDPOINT - RANGE[0]) * scale
    pdf.line(x0 + mid, y0, x0 + mid, y0 + PLOT)
    pdf.line(x0, y0 + PLOT - mid, x0 + PLOT, y0 + PLOT - mid)
    pdf.set_dash_pattern()
    pdf.set_draw_color(180)
    pdf.rect(x0, y0, PLOT, PLOT)
    pdf.set_font(size=7)
    pdf.set_text_color(70)
    for v in range(0, 11, 2):
        _text_at(pdf, x0 + (v - RANGE[0]) * scale, y0 + PLOT + 3.2, str(v), "C")
        _text_at(pdf, x0 - 1.2, y0 + PLOT - (v - RANGE[0]) * scale + 1, str(v), "R")
    _text_at(pdf, x0 + PLOT / 2, y0 + PLOT + 7.5, "Value returned to the company", "C")
    with pdf.rotation(90, x0 - 6.5, y0 + PLOT / 2):
        _text_at(pdf, x0 - 6.5, y0 + PLOT / 2, "Value to the customer", "C")


def _dots(pdf: FPDF, drawn: list[Dot], x0: float, y0: float) -> None:
    scale = PLOT / (RANGE[1] - RANGE[0])
    for d in sorted(drawn, key=lambda d: -d.size):  # small dots on top of big ones
        colour = rgb(QUADRANT_COLOURS[d.initiative.quadrant])
        few = d.initiative.customer.few or d.initiative.company.few
        pdf.set_fill_color(*colour)
        pdf.set_draw_color(*colour)
        pdf.set_line_width(0.35)
        pdf.circle(x=x0 + (d.x - RANGE[0]) * scale, y=y0 + PLOT - (d.y - RANGE[0]) * scale, radius=d.size / 2,
                   style="D" if few else "FD")
    pdf.set_font(size=LABEL_PT)
    pdf.set_text_color(25)
    found = labels(drawn)
    font_mm = LABEL_PT * 0.3528
    for label, where in zip(found, place(found, drawn, (scale, scale), font_mm), strict=True):
        box = label_box(where, label, (scale, scale), font_mm)
        lines = label.text.split("<br>")
        for k, line in enumerate(lines):  # box is y-up in data millimetres from value 0
            baseline = y0 + PLOT - (box[3] - RANGE[0] * scale) + font_mm * (1.05 + 1.25 * k)
            _text_at(pdf, x0 + box[0] - RANGE[0] * scale, baseline, line)


def _quadrant_names(pdf: FPDF, drawn: list[Dot], x0: float, y0: float) -> None:
    """Names and counts outside the plot at its corners, clear of every dot, tick and title."""
    pdf.set_font(style="B", size=7.5)
    spots = {Quadrant.FIND_THE_RETURN: (x0, y0 - 1.5, "L"), Quadrant.WIN_WIN: (x0 + PLOT, y0 - 1.5, "R"),
             Quadrant.DROP: (x0, y0 + PLOT + 11.5, "L"), Quadrant.SELF_SERVING: (x0 + PLOT, y0 + PLOT + 11.5, "R")}
    for q, (x, y, align) in spots.items():
        pdf.set_text_color(*rgb(QUADRANT_COLOURS[q]))
        _text_at(pdf, x, y, f"{q.value} ({sum(1 for d in drawn if d.initiative.quadrant == q)})", align)
    pdf.set_font(style="")


def _legend(pdf: FPDF, drawn: list[Dot], x: float, y: float, bottom: float) -> None:
    """Number -> title beside the matrix, as many as fit; the ranking lists them all."""
    width = pdf.w - pdf.r_margin - x
    pdf.set_font(size=8)
    for n, d in enumerate(drawn):
        title = pdf.glyphs.clean(d.initiative.title)
        pdf.glyphs.shape(title)
        height = pdf.multi_cell(width - 8, 3.6, title, dry_run=True, output="HEIGHT")
        if y + height > bottom - (4 if n < len(drawn) - 1 else 0):
            pdf.set_text_color(90)
            pdf.set_xy(x, y)
            pdf.multi_cell(width, 3.6, f"Numbers {d.number}–{drawn[-1].number}: see “Initiatives, ranked”.")
            return
        pdf.set_fill_color(*rgb(QUADRANT_COLOURS[d.initiative.quadrant]))
        pdf.circle(x=x + 1.2, y=y + 1.8, radius=1.1, style="F")
        pdf.set_text_color(25)
        pdf.set_xy(x + 2.6, y)
        pdf.cell(5.4, 3.6, str(d.number), align="R")
        pdf.set_xy(x + 8, y)
        pdf.multi_cell(width - 8, 3.6, title)
        y += height + 0.6


def matrix(pdf: FPDF, report) -> None:
    """The matrix (numbered dots, quadrant names outside the plot) with its legend beside it."""
    drawn = [replace(d, size=d.size * DOT_MM) for d in dots(report.dashboard)]
    x0, y0 = pdf.l_margin + 10, pdf.get_y() + 5
    _frame(pdf, x0, y0)
    _dots(pdf, drawn, x0, y0)
    _quadrant_names(pdf, drawn, x0, y0)
    _legend(pdf, drawn, x0 + PLOT + 8, y0 - 3, y0 + PLOT + 12)
    unrated = sum(1 for i in report.dashboard.initiatives if i.quadrant is None)
    pdf.set_xy(pdf.l_margin, y0 + PLOT + 14)
    pdf.set_font(size=8)
    pdf.set_text_color(90)
    if unrated:
        pdf.multi_cell(0, 4, f"Not yet rated on both axes, so not drawn: {unrated} initiative(s).",
                       new_x="LMARGIN", new_y="NEXT")
    pdf.set_text_color(20)
    pdf.set_draw_color(0)
    pdf.set_fill_color(255)
    pdf.set_line_width(0.2)
