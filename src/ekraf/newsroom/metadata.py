"""Open Graph and schema.org NewsArticle metadata of a story page."""

from __future__ import annotations

import json

from django.conf import settings
from django.urls import reverse
from django.utils.html import escape

from . import selectors


def _abs(path: str) -> str:
    return settings.BASE_URL + path


def news_article(story, city_name: str = "") -> dict:
    url = _abs(reverse("newsroom:story", args=[story.public_id]))
    line = selectors.byline(story)
    data = {
        "@context": "https://schema.org",
        "@type": "NewsArticle",
        "headline": story.title,
        "description": story.lead,
        "url": url,
        "mainEntityOfPage": url,
        "datePublished": story.published_at.isoformat() if story.published_at else None,
        "dateModified": story.updated_at.isoformat(),
        "author": {"@type": "Person", "name": line["name"] if line else "Pewarta warga"},
        "keywords": story.tags,
        "contentLocation": {"@type": "Place", "name": story.region.label if story.region else ""},
        "image": [_abs(reverse("newsroom:photo", args=[p.public_id])) for p in story.photos.all()],
    }
    if city_name:
        data["publisher"] = {"@type": "GovernmentOrganization", "name": city_name}
    corrections = list(story.corrections.all())
    if corrections:
        data["correction"] = [
            {
                "@type": "CorrectionComment",
                "text": c.summary,
                "datePublished": c.created_at.isoformat(),
            }
            for c in corrections
        ]
    return data


def head(story, city_name: str = "") -> str:
    """The <meta> and JSON-LD tags for the page's head (every value escaped)."""
    url = _abs(reverse("newsroom:story", args=[story.public_id]))
    tags = [
        ("og:type", "article"),
        ("og:title", story.title),
        ("og:description", story.lead),
        ("og:url", url),
        ("og:site_name", city_name),
        ("article:published_time", story.published_at.isoformat() if story.published_at else ""),
    ]
    photo = next(iter(story.photos.all()), None)
    if photo is not None:
        tags.append(("og:image", _abs(reverse("newsroom:photo", args=[photo.public_id]))))
        tags.append(("og:image:alt", photo.caption))
    html = [f'<meta property="{k}" content="{escape(v)}">' for k, v in tags if v]
    html.append(f'<meta name="description" content="{escape(story.lead)}">')
    html.append(f'<link rel="canonical" href="{escape(url)}">')
    payload = json.dumps(news_article(story, city_name), ensure_ascii=False)
    payload = payload.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
    html.append(f'<script type="application/ld+json">{payload}</script>')
    return "\n".join(html)
