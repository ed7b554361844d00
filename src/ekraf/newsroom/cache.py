"""The portal's cache: the expensive part of each /berita/ page (its main content and head
metadata, rendered) is kept under a generation number; publication, correction and retraction
bump the generation, so every page that might show the story is recomputed — there is no list
of URLs to forget one of. The page around it (menu, the signed-in person's name) is
rendered per request for a signed-in visitor, so nothing personal is ever shared.

An anonymous visitor (no session cookie, no messages cookie, no query string but `halaman`)
sees the same page as every other anonymous visitor, so the whole page is cached too
(`anonymous_page`): stored with the generation it was built under, read in one round trip
together with the current generation, and served only when the two match. The menu's language
switch is a link (core.views.switch_language), so a portal page holds no CSRF token and its
answer sets no CSRF cookie; should a portal page ever hold a form, its token is stored as a
marker and each visitor gets their own put back.
Such a request never reads the session, the user or the navigation; a bump makes every stored
page stale at once, so a correction or retraction shows on the next request.

A Redis that is down costs readers speed, never a page: the generation is an
ekraf.core.cache.VersionedCache, so a failed cache operation is logged once as a warning on
this module's logger and the page is built from the database and not kept; a publication's
bump lost meanwhile is made before this process uses the cache again, so the pages Redis kept
under the old generation are not served after recovery (see VersionedCache).
"""

from __future__ import annotations

import contextvars
import functools
import hashlib
import logging
import re
import time
from collections.abc import Callable

from django.conf import settings
from django.http import HttpResponse
from django.middleware.csrf import get_token
from django.utils.translation import get_language
from django.views.decorators.vary import vary_on_cookie

from ekraf.core.cache import VersionedCache
from ekraf.core.selectors import current_city

GENERATION_KEY = "newsroom:generation"
TIMEOUT = 300
# Bump when the portal's frame (base.html or a portal template) changes in a way a deploy must
# show at once; static files with new names already make new keys.
PAGE_VERSION = 1
CSRF_MARK = "@@csrf@@"
# What {% csrf_token %} writes; the value is masked afresh on every call, so it is found here.
_CSRF_INPUT = re.compile(r'(<input type="hidden" name="csrfmiddlewaretoken" value=")[^"]*(">)')
_QUERY = re.compile(r"(halaman=\d{1,6})?")
_CACHED_STATUSES = (200, 410)


def _fresh_generation() -> int:
    """A starting number no earlier generation had (milliseconds): if the key is lost (a Redis
    flush or eviction), parts and pages kept under the old numbers are never taken as current."""
    return time.time_ns() // 1_000_000


logger = logging.getLogger(__name__)
store = VersionedCache(GENERATION_KEY, logger, start=_fresh_generation)

# The generation the anonymous page cache just read, for the parts of the page it builds on a
# miss (one cache round trip fewer; the page is kept under that generation anyway).
_known = contextvars.ContextVar("newsroom_generation", default=None)


def generation() -> int | None:
    """The current generation; None while the cache is not to be used (it failed)."""
    known = _known.get()
    if known is not None:
        return known
    return store.version()


def clear() -> None:
    """Forget every cached portal part (after a publication, correction or retraction). Never
    raises for the cache: a publication must not fail because Redis is down."""
    store.bump()


def cached(name: str, build: Callable[[], dict]) -> dict:
    """`build()`'s result (a dict of strings and numbers) from the cache, or built and kept."""
    language = get_language()
    return store.cached(
        lambda current: f"newsroom:{current}:{language}:{name}",
        build,
        TIMEOUT,
        current=generation(),
    )


# --- whole pages for anonymous visitors ---------------------------------------------------------


def is_anonymous_reader(request) -> bool:
    """A GET the anonymous page cache may answer: no cookie that could make the page personal
    (a session: signed in, a second step owed, messages; the messages cookie) and no query
    string but the page number (so arbitrary query strings cannot fill the cache)."""
    from django.contrib.messages.storage.cookie import CookieStorage

    return (
        request.method == "GET"
        and settings.SESSION_COOKIE_NAME not in request.COOKIES
        and CookieStorage.cookie_name not in request.COOKIES
        and _QUERY.fullmatch(request.META.get("QUERY_STRING", "")) is not None
    )


def _page_key(request) -> str:
    city = current_city()
    city_part = f"{city.pk}.{city.updated_at.timestamp():.0f}" if city else "-"
    version = f"{PAGE_VERSION}.{_static_fingerprint()}.{city_part}"
    return f"newsroom:page:{version}:{get_language()}:{request.get_full_path()}"


@functools.cache
def _static_fingerprint() -> str:
    from django.templatetags.static import static

    names = static("bootstrap/css/bootstrap.min.css") + static("ekraf/app.css")
    names += static("bootstrap/js/bootstrap.bundle.min.js") + static("ekraf/app.js")
    return hashlib.sha256(names.encode()).hexdigest()[:8]


def anonymous_page(view):
    """Serve the view's page to anonymous readers from the cache (see the module's docstring).
    One cache round trip on a hit; on a miss the view runs as for anyone, and its 200 or 410
    page is kept for the generation read before it ran (a bump meanwhile makes it stale)."""

    @functools.wraps(view)
    def wrapper(request, *args, **kwargs):
        if not is_anonymous_reader(request):
            return view(request, *args, **kwargs)
        key = _page_key(request)
        current, stored = store.get_with_version(key)
        if current is not None and stored is not None and stored[0] == current:
            _generation, status, html = stored
            if CSRF_MARK in html:  # a form on the page: this visitor's own token
                html = html.replace(CSRF_MARK, get_token(request))
            return HttpResponse(html, status=status)
        reset = _known.set(current)
        try:
            response = view(request, *args, **kwargs)
        finally:
            _known.reset(reset)
        user = getattr(request, "user", None)
        anonymous = user is None or not user.is_authenticated
        if current is not None and anonymous and response.status_code in _CACHED_STATUSES:
            html = _CSRF_INPUT.sub(rf"\g<1>{CSRF_MARK}\g<2>", response.content.decode())
            store.set(key, (current, response.status_code, html), TIMEOUT)
        return response

    # Such a request never reads the session, so the session middleware does not say it; but a
    # signed-in visitor gets another page at the same address, and a shared cache before the
    # site (a proxy, the browser's back button) must not mix the two.
    return vary_on_cookie(wrapper)
