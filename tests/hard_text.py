"""Text people really type, that formats and renderers tend to lose or garble: one corpus for every reader test.

Each entry fits an initiative's title (120 characters)."""

HARD_TEXT = {
    "quotes": "She said \"ship it\" and it's 'done'",
    "markup": "<b>bold</b> & <script>alert(1)</script> &amp; &lt;x&gt; &#39;",
    "markdown": "*stars* _under_ `code` [link](http://x.example) ![img](y) ~~gone~~ a\\b | pipe",
    "blocks": "# not a heading #",
    "list": "- not a list item",
    "numbered": "1. not numbered",
    "quote_block": "> not a quote",
    "rule": "---",
    "streamlit": ":red[alert] :material/home: :smile: :+1: :small[tiny] $x^2$ and $5",
    "rewrites": "A -> B <- C >= D <= E ~= F -- G :streamlit: :material_home:",
    "formula": "=HYPERLINK(\"http://evil.example\",\"x\")",
    "formula_starters": "+1 call me -5 @here",
    "cjk": "需要更快的交货 日本語のテキスト 한국어 텍스트",
    "arabic": "نريد التسليم في الوقت المحدد",
    "hebrew": "אנחנו רוצים משלוח מהיר",
    "emoji": "Faster 🚚 please 👍🏽 👩‍👩‍👧 🇫🇷",
    "combining": "Cafe\u0301 man\u0303ana Z\u0335a\u0336l\u0337",
    "zero_width": "zero\u200bwidth\u200cnon\u200djoiner",
    "long_word": "Donaudampfschifffahrtsgesellschaftskapitänswitwenrentenversicherungsanstaltsbetriebsratsvorsitz",
    "excel_escape": "_x0041_ stays _x0041_",
    "greek_cyrillic": "Ωμέγα και Привет мир",
}
