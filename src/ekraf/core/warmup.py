"""What a web process would otherwise do on its first request, done once before the server
forks its workers.

gunicorn imports the application in its master (`preload_app`) and forks every worker from
it: at start, and again whenever a worker is recycled (`max_requests`) or a deploy reloads.
What Django does lazily — importing the URLconf (with the API's ~450 pydantic schemas),
building the translation catalogs, compiling the page shell — was paid by the first visitor
of each new worker: 0.8–1.3 s measured, and under load a worker recycles every few seconds,
so the benchmark saw multi-second p99 latencies on a view that does nothing. Done here, it is
shared by every worker (copy-on-write) and paid once per deploy.

It opens no database or cache connection, and closes any that something opened: a socket
made before the fork would be shared by every worker.
"""

from __future__ import annotations

import logging
import time

logger = logging.getLogger(__name__)

# The shell every page extends, and the error pages a worker may have to render first.
SHELL_TEMPLATES = ("base.html", "core/error.html")


def warm() -> float:
    """Import, build and compile what every request needs; the seconds it took."""
    from django.conf import settings
    from django.core.cache import caches
    from django.db import connections
    from django.template.loader import get_template
    from django.urls import get_resolver
    from django.utils import translation

    started = time.monotonic()
    resolver = get_resolver()
    for code, _name in settings.LANGUAGES:
        with translation.override(code):
            translation.gettext("Masuk")  # builds the language's merged catalog
            resolver.reverse_dict  # noqa: B018 - imports every URLconf, per language
    for name in SHELL_TEMPLATES:
        get_template(name)
    connections.close_all()
    caches.close_all()
    seconds = time.monotonic() - started
    logger.info("web process warmed in %.2f s", seconds)
    return seconds
