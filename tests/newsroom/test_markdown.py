"""The story body is Markdown rendered by markdown-it-py and sanitised by nh3."""

import pytest

from ekraf.newsroom.services.markdown import render, sanitise

ATTACKS = [
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(1)>",
    "[klik](javascript:alert(1))",
    "[klik](JaVaScRiPt:alert(1))",
    "[klik](&#106;avascript:alert(1))",
    "[klik](data:text/html;base64,PHNjcmlwdD4=)",
    "[klik](vbscript:msgbox(1))",
    "<iframe src='https://evil.example'></iframe>",
    "<a href='https://ok.example' onclick='steal()'>x</a>",
    "<svg onload=alert(1)>",
    "<style>body{display:none}</style>",
    "<object data='x.swf'></object>",
    "<form action='https://evil.example'><input></form>",
    "![foto](https://evil.example/track.gif)",
    '<div style="position:fixed">x</div>',
    "<!-- <script>x</script> -->",
]
# What a story body may hold; the words of an attack shown as text (escaped) are harmless.
ALLOWED_TAGS = {"p", "h2", "h3", "h4", "strong", "em", "a", "ul", "ol", "li", "blockquote",
                "code", "pre", "br", "hr", "div"}  # fmt: skip
SAFE_SCHEMES = ("https://", "http://", "mailto:", "#", "/")


def assert_harmless(html: str) -> None:
    """No element outside the allowed set, no event handler or style attribute, and no link
    whose target is not http(s), mail or on-site: checked on the parsed tree, not the text."""
    import lxml.html

    if not html.strip():
        return
    root = lxml.html.fragment_fromstring(html, create_parent="div")
    for element in root.iter():
        if not isinstance(element.tag, str):  # a comment survived as a comment: inert
            continue
        assert element.tag in ALLOWED_TAGS, (element.tag, html)
        for name, value in element.attrib.items():
            assert not name.lower().startswith("on") and name.lower() != "style", (name, html)
            if name in ("href", "src", "action", "data"):
                assert value.strip().lower().startswith(SAFE_SCHEMES), (name, value, html)


@pytest.mark.parametrize("attack", ATTACKS)
def test_render_removes_attack(attack):
    html = render(attack)
    assert_harmless(html)
    assert "<img" not in html.lower()  # no tracking pixels: photos come through the upload gate


@pytest.mark.parametrize("attack", ATTACKS)
def test_sanitiser_alone_removes_attack_even_as_raw_html(attack):
    """The second line of defence holds even if the parser passed raw HTML through."""
    if attack.startswith("!["):  # markdown syntax, not HTML: nothing for nh3 to remove
        return
    assert_harmless(sanitise(attack))


def test_allowed_markup_survives_with_safe_links():
    html = render("## Judul\n\n**tebal** _miring_ [tautan](https://malangkota.go.id)\n\n- satu")
    assert "<h2>Judul</h2>" in html
    assert "<strong>tebal</strong>" in html and "<em>miring</em>" in html
    assert 'href="https://malangkota.go.id"' in html
    assert 'rel="nofollow noopener ugc"' in html
    assert "<li>satu</li>" in html


def test_a_first_level_heading_becomes_h2():
    assert render("# Besar") == "<h2>Besar</h2>\n"
