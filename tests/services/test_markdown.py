import re

import pytest
from markdown_it import MarkdownIt

from planning.markdown import WORD_JOINER, md_escape
from tests.hard_text import HARD_TEXT

COMMONMARK = MarkdownIt("commonmark", {"html": True}).enable(["table", "strikethrough"])
CONTEXTS = {  # where the summary template puts user text
    "heading": "# {}", "paragraph": "Workshop of {}.", "bold": "Held by **{}**.", "list": "- {} (3 votes)",
    "table": "| # | Demand |\n|---|---|\n| 1 | {} |", "quote": "> {}",
}


def visible(document: str) -> tuple[str, set[str]]:
    """The text a CommonMark reader shows, and the kinds of inline token it made."""
    texts, kinds = [], set()
    for token in COMMONMARK.parse(document):
        for child in token.children or []:
            kinds.add(child.type)
            texts.append(child.content)
    return "".join(texts).replace(WORD_JOINER, ""), kinds


@pytest.mark.parametrize("context", CONTEXTS)
@pytest.mark.parametrize("name", HARD_TEXT)
def test_user_text_reads_as_typed_in_commonmark(name, context):
    typed = HARD_TEXT[name]
    shown, kinds = visible(CONTEXTS[context].format(md_escape(typed)))
    assert typed in shown
    assert kinds <= {"text", "strong_open", "strong_close"}  # no emphasis, code, link, image, html, strike


@pytest.mark.parametrize("name", HARD_TEXT)
def test_streamlit_finds_none_of_its_own_syntax(name):
    escaped = md_escape(HARD_TEXT[name])
    # Streamlit loads its emoji plugin when the source holds :word:, and math when an unescaped $ pair remains
    assert not re.search(r":(?!material/|streamlit:)[\w+-][\w_+-]*:", escaped)
    assert not re.search(r"(?<!\\)\$", escaped) and ":material/" not in escaped
    assert not re.search(r"(?<![\\\w]):[a-z]", escaped)  # a directive needs an unescaped colon before a letter
    assert not re.search(r"(?<!\S)(<->|->|<-|--|>=|<=|~=)(?!\S)", escaped.replace("\\", ""))


@pytest.mark.parametrize("text", ["Ship it. Then call (soon)!", "C# and snake_case, 09:30", "50% off = cheaper",
                                  "Tell me early: please", "https://example.org/a-b"])
def test_plain_prose_is_left_alone(text):
    assert md_escape(text) == text


def test_lines_are_joined_so_no_block_can_start_inside():
    assert md_escape("first\n# second\n\n- third") == "first # second - third"
