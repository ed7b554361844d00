"""Markdown to HTML for stories: markdown-it-py (CommonMark, raw HTML off) and then nh3.

Two lines of defence: the parser never passes raw HTML through (it is escaped as text), and
nh3 keeps only a small allow-list of tags and attributes, only http(s)/mailto links, and adds
rel="nofollow noopener ugc" to every link, whatever the parser produced.
"""

from __future__ import annotations

import nh3
from markdown_it import MarkdownIt

ALLOWED_TAGS = {
    "p", "br", "strong", "em", "a", "ul", "ol", "li", "blockquote",
    "h2", "h3", "h4", "code", "pre", "hr",
}  # fmt: skip
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}}
URL_SCHEMES = {"http", "https", "mailto"}

_parser = MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": False})
# Headings of the story start at h2 (h1 is the title); images come only as reviewed photos.
_parser.disable(["image"])


def sanitise(html: str) -> str:
    return nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=URL_SCHEMES,
        link_rel="nofollow noopener ugc",
        strip_comments=True,
    )


def render(text: str) -> str:
    """Safe HTML for a story body written in Markdown."""
    html = _parser.render(text or "")
    html = html.replace("<h1>", "<h2>").replace("</h1>", "</h2>")
    return sanitise(html)
