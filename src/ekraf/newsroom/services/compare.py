"""One-click comparisons for the editor: the current version against the last submitted one
or the published one — title, lead, body, and photos with their captions and credits."""

from __future__ import annotations

import difflib
import re

from django.utils.html import escape
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from ..models import Story, StoryRevision

_TOKENS = re.compile(r"\s+|[^\s]+")


def word_diff(old: str, new: str) -> str:
    """HTML with <del> and <ins> around the words that changed (everything escaped)."""
    a, b = _TOKENS.findall(old or ""), _TOKENS.findall(new or "")
    out = []
    for op, i1, i2, j1, j2 in difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        if op == "equal":
            out.append(escape("".join(a[i1:i2])))
            continue
        if i2 > i1:
            out.append(f"<del>{escape(''.join(a[i1:i2]))}</del>")
        if j2 > j1:
            out.append(f"<ins>{escape(''.join(b[j1:j2]))}</ins>")
    return mark_safe("".join(out))  # noqa: S308 - every piece is escaped above


def _photo_lines(photos: list[dict]) -> str:
    return "\n".join(f"[{p['id']}] {p['caption']} — {p['credit']} ({p['licence']})" for p in photos)


def baseline(story: Story, against: str) -> StoryRevision | None:
    kinds = {
        "submitted": [StoryRevision.Kind.SUBMITTED],
        "published": [StoryRevision.Kind.PUBLISHED, StoryRevision.Kind.CORRECTION],
    }[against]
    return story.revisions.filter(kind__in=kinds).order_by("-number").first()


def compare(story: Story, against: str, revision: StoryRevision | None = None) -> dict:
    """{'base': revision or None, 'current': revision, 'sections': [(label, html, changed)]}."""
    current = revision or story.revisions.order_by("-number").first()
    base = baseline(story, against)
    sections = []
    for label, attr in ((_("Judul"), "title"), (_("Teras"), "lead"), (_("Isi"), "body")):
        old = getattr(base, attr, "") if base else ""
        new = getattr(current, attr, "") if current else ""
        sections.append((label, word_diff(old, new), old != new))
    old_p = _photo_lines(base.photos) if base else ""
    new_p = _photo_lines(current.photos) if current else ""
    sections.append((_("Foto"), word_diff(old_p, new_p), old_p != new_p))
    return {"base": base, "current": current, "sections": sections}
