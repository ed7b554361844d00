"""The portal's cache: the expensive part of each /berita/ page (its main content and head
metadata, rendered) is kept under a generation number; publication, correction and retraction
bump the generation, so every page that might show the story is recomputed — there is no list
of URLs to forget one of. The page around it (menu, CSRF token of the language form, CSP
nonce) is rendered per request, so nothing personal or per-visitor is ever shared.
"""

from __future__ import annotations

from collections.abc import Callable

from django.core.cache import cache
from django.utils.translation import get_language

GENERATION_KEY = "newsroom:generation"
TIMEOUT = 300


def generation() -> int:
    value = cache.get(GENERATION_KEY)
    if value is None:
        cache.add(GENERATION_KEY, 1, None)
        value = cache.get(GENERATION_KEY) or 1
    return value


def clear() -> None:
    """Forget every cached portal part (after a publication, correction or retraction)."""
    try:
        cache.incr(GENERATION_KEY)
    except ValueError:
        cache.set(GENERATION_KEY, 2, None)


def cached(name: str, build: Callable[[], dict]) -> dict:
    """`build()`'s result (a dict of strings and numbers) from the cache, or built and kept."""
    key = f"newsroom:{generation()}:{get_language()}:{name}"
    value = cache.get(key)
    if value is None:
        value = build()
        cache.set(key, value, TIMEOUT)
    return value
