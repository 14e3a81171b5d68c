"""User text inside a Markdown document: it reads as typed in CommonMark/GFM renderers and in Streamlit's.

Only what would change meaning is escaped, so the file stays readable as plain text (a full stop stays a
full stop). Streamlit adds its own syntax on top of GFM: directives (`:red[x]`, `:small`), emoji
shortcodes (`:smile:`, loaded when the source holds any `:word:`), `:material/icon:`, `$math$`, and it
rewrites some text after parsing (`->` to an arrow, `:streamlit:` to its logo, `:material_x:` to an
icon), which no Markdown escape can prevent: there a word joiner (U+2060, invisible) splits the sequence.
"""

import re

WORD_JOINER = "\u2060"
# Always meaningful: escapes, code spans, emphasis, raw HTML and autolinks, links and images, table
# cells, GFM strikethrough, math (Streamlit, GitHub).
_ALWAYS = set("\\`*<[|~$")
_ASCII_WORD = set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_+-")
# Streamlit's after-parse rewrites: typographic arrows between spaces, its logo and icon shortcodes.
_REWRITTEN = re.compile(r"(?<!\S)(?:<->|->|<-|--|>=|<=|~=)(?!\S)|:(?=streamlit:)|:(?=material_\w+:)")
_BLOCK_START = re.compile(r"^(?:[>#]|[-+](?=\s|$)|\d{1,9}(?=[.)](?:\s|$))|(?:-[ \t]*){3,}$)")


def _colon_needs_escape(text: str, i: int) -> bool:
    """A colon that starts a Streamlit directive (`:red[`, `:small`) or closes an emoji shortcode (`:x:`)."""
    after = text[i + 1:i + 2]
    if after.isascii() and after.isalpha():
        return True
    k = i
    while k > 0 and text[k - 1] in _ASCII_WORD:
        k -= 1
    return k < i and k > 0 and text[k - 1] == ":"


def _underscore_needs_escape(text: str, i: int) -> bool:
    """`_` inside a word (snake_case) never makes emphasis; anywhere else it may."""
    return not (0 < i < len(text) - 1 and text[i - 1].isalnum() and text[i + 1].isalnum())


def _inline(text: str) -> str:
    out = []
    for i, ch in enumerate(text):
        escape = (ch in _ALWAYS or (ch == ":" and _colon_needs_escape(text, i))
                  or (ch == "_" and _underscore_needs_escape(text, i))
                  or (ch == "&" and re.match(r"&#?\w+;", text[i:]))
                  or (ch == "/" and text[:i].endswith(":material")))
        out.append("\\" + ch if escape else ch)
    return "".join(out)


def _start(text: str) -> str:
    """Escape what would open a block at the start of a line: heading, quote, list item, rule."""
    found = _BLOCK_START.match(text)
    if not found:
        return text
    at = found.end() if found.group().isdigit() else 0
    return text[:at] + "\\" + text[at:]


def md_escape(text: str) -> str:
    """User text that reads as typed inside Markdown: lines joined, only meaningful characters escaped."""
    text = re.sub(r"\s*\n\s*", " ", text)
    text = _REWRITTEN.sub(lambda m: m.group()[0] + WORD_JOINER + m.group()[1:], text)
    text = _start(_inline(text))
    return re.sub(r"(?<=\s)(#+)$", lambda m: "\\#" * len(m.group()), text)
