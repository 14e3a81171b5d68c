"""Hard text through every export, each file opened by its own kind of reader: the visible text is what was typed.

One workshop carries the corpus (tests/hard_text.py) as initiative titles and customer values, demands, names,
owners and actions. Readers: openpyxl (XLSX), csv (CSV), markdown-it-py and Streamlit's own st.markdown in a
browser (Markdown), pypdfium2's text and a rendered page (PDF), Chromium (HTML).
"""

from __future__ import annotations  # the annotations name Playwright types, which may be missing

import csv
import io
import shutil
import subprocess
import sys
import unicodedata
import zipfile
from datetime import UTC, datetime

import pypdfium2
import pytest
from markdown_it import MarkdownIt
from openpyxl import load_workbook

from planning import demands, participants, workshops
from planning.db import Database
from planning.export import export_workshop
from planning.initiatives import choose_initiative
from planning.markdown import WORD_JOINER
from planning.pdf_fonts import FALLBACKS, MARKER
from planning.plan.actions import add_action
from planning.ratings import rate_initiative
from planning.text import safe_cell
from tests.conftest import missing
from tests.e2e.conftest import free_port, stop, wait_healthy
from tests.factories import make_initiative
from tests.hard_text import HARD_TEXT

AT = datetime(2026, 11, 23, 9, 30, tzinfo=UTC)
TEXTS = list(HARD_TEXT.values())
NAMES = ["Zoë \"Z\" O'Brien <zo>", "李小龙", "שרה כהן", "محمد", "=cmd|' /C calc'!A0"]
TITLE = 'Hard text: "quotes" & <b>tags</b> 需要 مرحبا'


@pytest.fixture(scope="module")
def exports(sqlite_template, tmp_path_factory) -> dict[str, bytes]:
    """The corpus workshop, exported once in every format this module reads."""
    path = tmp_path_factory.mktemp("hard") / "hard.db"
    shutil.copy(sqlite_template, path)
    db = Database(f"sqlite:///{path}")
    created = workshops.create_workshop(db, title=TITLE, company="Northwind & <Co>", segment='shippers who say "now"')
    code, key = created.workshop.code, created.facilitator_key
    tokens = [participants.join_workshop(db, code, name).token for name in NAMES]
    workshops.set_phase(db, code, key, "inner_customer")
    for n, text in enumerate(TEXTS[:10]):
        demands.add_demand(db, tokens[n % len(tokens)], text)
    workshops.set_phase(db, code, key, "value_exchange")
    ids = [make_initiative(db, tokens[n % 3], text, customer_value=text).id for n, text in enumerate(TEXTS)]
    workshops.set_phase(db, code, key, "score_vote")
    for n, item in enumerate(ids):
        for k, token in enumerate(tokens[:3]):
            rate_initiative(db, token, item, "customer", (n + k) % 11)
            rate_initiative(db, token, item, "company", (2 * n + k) % 11)
    workshops.set_phase(db, code, key, "plan")
    for n, item in enumerate(ids[:4]):
        choose_initiative(db, code, key, item)
        add_action(db, code, key, item, TEXTS[-n - 1], NAMES[n], "2027-03-31", "not_started")
    out = {fmt: export_workshop(db, code, key, fmt, AT).data for fmt in ("html", "pdf", "md", "xlsx", "csv")}
    db.dispose()
    return out


def _column(rows: list[list[object]], name: str) -> list[object]:
    index = rows[0].index(name)
    return [row[index] for row in rows[1:]]


def test_xlsx_cells_read_as_typed(exports):
    book = load_workbook(io.BytesIO(exports["xlsx"]))
    initiatives = [[c.value for c in row] for row in book["initiatives"].iter_rows()]
    assert _column(initiatives, "title") == TEXTS and _column(initiatives, "customer_value") == TEXTS
    assert _column([[c.value for c in row] for row in book["demands"].iter_rows()], "text") == TEXTS[:10]
    assert _column([[c.value for c in row] for row in book["participants"].iter_rows()], "name") == NAMES
    assert [c.quotePrefix for c in book["initiatives"]["C"][1:]] == [t[:1] in "=+-@" for t in TEXTS]


def test_csv_cells_read_as_typed_with_formula_starters_defused(exports):
    with zipfile.ZipFile(io.BytesIO(exports["csv"])) as z:
        rows = list(csv.reader(io.StringIO(z.read("initiatives.csv").decode("utf-8-sig"))))
    assert _column(rows, "title") == [safe_cell(t) for t in TEXTS]


def test_markdown_reads_as_typed_in_a_commonmark_renderer(exports):
    tokens = MarkdownIt("commonmark", {"html": True}).enable(["table", "strikethrough"]).parse(
        exports["md"].decode())
    inline = [child for token in tokens for child in token.children or []]
    assert {t.type for t in inline} <= {"text", "strong_open", "strong_close", "softbreak"}
    cells = {t.content.replace(WORD_JOINER, "") for t in inline if t.type == "text"}
    assert set(TEXTS) <= cells  # each title is a whole table cell
    assert f"{TITLE}" in cells and {"Northwind & <Co>", 'shippers who say "now"'} <= cells


def _visible(text: str) -> str:
    """What a reader sees of a text: composed, without line breaks, spaces and invisible format characters."""
    text = unicodedata.normalize("NFC", text)
    return "".join(c for c in text if not c.isspace() and unicodedata.category(c) != "Cf")


def _fonts_installed() -> None:
    absent = [str(f.regular) for f in FALLBACKS if not f.regular.exists()]
    if absent:
        missing(f"system fonts missing: {absent} (apt-get install fonts-noto-cjk fonts-noto-color-emoji)")


def test_pdf_text_reads_as_typed(exports):
    _fonts_installed()
    pdf = pypdfium2.PdfDocument(exports["pdf"])
    text = "".join(page.get_textpage().get_text_range() for page in pdf)
    assert MARKER not in text and "could not be drawn" not in text
    seen = _visible(text)
    for typed in [TITLE, *TEXTS, *NAMES[:4]]:
        assert _visible(typed) in seen, typed


@pytest.mark.parametrize(("name", "probe"), [("cjk", "需要更快的交货"), ("cjk", "한국어"), ("arabic", "نريد"),
                                           ("hebrew", "אנחנו"), ("emoji", "🚚"), ("greek_cyrillic", "Привет"),
                                           ("combining", "Z\u0335a\u0336")])
def test_pdf_draws_every_script_where_its_text_is(exports, name, probe):
    """Ink (dark or coloured pixels) inside the box of every character of `probe`, on the rendered page."""
    _fonts_installed()
    pdf = pypdfium2.PdfDocument(exports["pdf"])
    page = pdf[1]  # the ranking: every title once in its own cell
    for index in range(2, len(pdf)):
        if HARD_TEXT[name][:3] in page.get_textpage().get_text_range():
            break
        page = pdf[index]
    textpage = page.get_textpage()
    text = textpage.get_text_range()
    assert probe in text, f"{name} is not on the page"
    start = len(text[:text.index(probe)].encode("utf-16-le")) // 2  # pdfium counts UTF-16 code units
    scale, height = 3, page.get_height()
    image = page.render(scale=scale).to_pil().convert("RGB")
    for i in range(start, start + len(probe.encode("utf-16-le")) // 2):
        left, bottom, right, top = textpage.get_charbox(i)
        box = image.crop((int(left * scale), int((height - top) * scale), int(right * scale) + 1,
                          int((height - bottom) * scale) + 1))
        assert any(min(px) < 160 or max(px) - min(px) > 60 for px in box.getdata()), (name, i)


def test_html_reads_as_typed_in_a_browser(exports, browser, tmp_path):
    path = tmp_path / "summary.html"
    path.write_bytes(exports["html"])
    page = browser.new_context(viewport={"width": 390, "height": 844}).new_page()
    page.goto(path.as_uri())
    page.locator("#value-exchange-matrix .scatterlayer .point").first.wait_for(state="attached", timeout=15_000)
    shown = page.locator("body").inner_text()
    for typed in [TITLE, *TEXTS, *NAMES]:
        assert typed in shown, typed
    legend = page.locator("ol.legend li span:nth-child(2)").all_inner_texts()
    assert sorted(legend) == sorted(TEXTS)
    assert page.evaluate("document.documentElement.scrollWidth") <= 390  # the long word wraps


def test_markdown_reads_as_typed_in_streamlit(exports, browser, tmp_path):
    """Streamlit's st.markdown adds directives, emoji shortcodes, icons, math and arrows to GFM: none fire."""
    (tmp_path / "summary.md").write_bytes(exports["md"])
    script = tmp_path / "show.py"
    script.write_text("from pathlib import Path\nimport streamlit as st\n"
                      "st.markdown(Path(__file__).with_name('summary.md').read_text(encoding='utf-8'))\n")
    port, log = free_port(), tmp_path / "streamlit.log"
    with log.open("wb") as out:
        proc = subprocess.Popen([sys.executable, "-m", "streamlit", "run", str(script), "--server.address",
                                 "127.0.0.1", "--server.port", str(port), "--server.headless", "true",
                                 "--browser.gatherUsageStats", "false", "--server.fileWatcherType", "none"],
                                cwd=tmp_path, stdout=out, stderr=subprocess.STDOUT)
    try:
        wait_healthy(f"http://127.0.0.1:{port}", proc, log)
        page = browser.new_page()
        page.goto(f"http://127.0.0.1:{port}/")
        markdown = page.get_by_test_id("stMarkdownContainer").first
        markdown.locator("table").first.wait_for(timeout=20_000)
        shown = markdown.inner_text().replace(WORD_JOINER, "")
        for typed in TEXTS:
            assert typed in shown, typed
        assert markdown.locator(".stMarkdownColoredText, .katex, [role=img], img").count() == 0
    finally:
        stop(proc)
