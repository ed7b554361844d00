"""The story body is Markdown rendered by markdown-it-py and sanitised by nh3."""

import pytest

from ekraf.newsroom.services.markdown import render, sanitise

# (attack, what must not survive)
ATTACKS = [
    ("<script>alert(1)</script>", "<script"),
    ("<img src=x onerror=alert(1)>", "onerror"),
    ("[klik](javascript:alert(1))", "javascript:"),
    ("[klik](JaVaScRiPt:alert(1))", "avascript:"),
    ("[klik](&#106;avascript:alert(1))", "avascript:"),
    ("[klik](data:text/html;base64,PHNjcmlwdD4=)", "data:"),
    ("[klik](vbscript:msgbox(1))", "vbscript:"),
    ("<iframe src='https://evil.example'></iframe>", "<iframe"),
    ("<a href='https://ok.example' onclick='steal()'>x</a>", "onclick"),
    ("<svg onload=alert(1)>", "<svg"),
    ("<style>body{display:none}</style>", "<style"),
    ("<object data='x.swf'></object>", "<object"),
    ("<form action='https://evil.example'><input></form>", "<form"),
    ("![foto](https://evil.example/track.gif)", "<img"),
    ('<div style="position:fixed">x</div>', "style="),
    ("<!-- <script>x</script> -->", "<script"),
]


@pytest.mark.parametrize(("attack", "forbidden"), ATTACKS)
def test_render_removes_attack(attack, forbidden):
    assert forbidden.lower() not in render(attack).lower()


@pytest.mark.parametrize(("attack", "forbidden"), ATTACKS)
def test_sanitiser_alone_removes_attack_even_as_raw_html(attack, forbidden):
    """The second line of defence holds even if the parser passed raw HTML through."""
    if forbidden == "<img":  # markdown syntax, not HTML: nothing for nh3 to remove
        return
    assert forbidden.lower() not in sanitise(attack).lower()


def test_allowed_markup_survives_with_safe_links():
    html = render("## Judul\n\n**tebal** _miring_ [tautan](https://malangkota.go.id)\n\n- satu")
    assert "<h2>Judul</h2>" in html
    assert "<strong>tebal</strong>" in html and "<em>miring</em>" in html
    assert 'href="https://malangkota.go.id"' in html
    assert 'rel="nofollow noopener ugc"' in html
    assert "<li>satu</li>" in html


def test_a_first_level_heading_becomes_h2():
    assert render("# Besar") == "<h2>Besar</h2>\n"
