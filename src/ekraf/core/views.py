"""Public pages of the platform itself: home, privacy notice, health check, error pages."""

import logging
import sys
import uuid

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import connection
from django.http import Http404, HttpResponseRedirect, JsonResponse
from django.shortcuts import render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from . import home as home_panels
from . import uploads
from .middleware import unavailable_response

log = logging.getLogger(__name__)


def home(request):
    return render(request, "core/home.html", {"panels": home_panels.panels_for(request)})


def privacy(request):
    return render(request, "core/privacy.html")


@require_safe
@never_cache
def switch_language(request, code):
    """The menu's language switch: a plain link that stores the choice in the language cookie
    (what IndonesianByDefaultMiddleware reads) and goes back to `next`.

    A link rather than Django's POST form, so that a page an anonymous visitor reads holds no
    CSRF token: such a page is the same for every visitor (the newsroom portal serves it from
    its cache as is) and its answer sets no CSRF cookie. The choice is only a preference, but
    another site must not make it for the visitor: when the browser says the request comes from
    elsewhere (`Sec-Fetch-Site` other than same-origin or a typed address), the visitor is sent
    on without the switch. `next` must be on this site (no open redirect)."""
    if code not in dict(settings.LANGUAGES):
        raise Http404
    target = request.GET.get("next", "")
    if not url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        target = "/"
    response = HttpResponseRedirect(target)
    if request.headers.get("Sec-Fetch-Site", "none") in ("same-origin", "none"):
        response.set_cookie(
            settings.LANGUAGE_COOKIE_NAME,
            code,
            max_age=settings.LANGUAGE_COOKIE_AGE,
            path=settings.LANGUAGE_COOKIE_PATH,
            domain=settings.LANGUAGE_COOKIE_DOMAIN,
            secure=settings.LANGUAGE_COOKIE_SECURE,
            httponly=settings.LANGUAGE_COOKIE_HTTPONLY,
            samesite=settings.LANGUAGE_COOKIE_SAMESITE,
        )
    return response


# Folders of the default storage that anyone may read; everything else is personal.
PUBLIC_MEDIA_PREFIXES = ("city/", "agencies/", "public/")


def public_media(request, path):
    """Public files (logos) from the default storage, whichever it is: the filesystem, or a
    private S3 bucket (its URLs point here, so pages load them from 'self' as the CSP wants,
    and the bucket is never exposed)."""
    if not path.startswith(PUBLIC_MEDIA_PREFIXES) or ".." in path.split("/"):
        raise Http404
    if not default_storage.exists(path):
        raise Http404
    # Served as the upload gate serves any stored file: its type from the name the gate gave
    # it (an old SVG or HTML "logo" is an attachment, never a page), nosniff, a sandbox.
    return uploads.serve(
        default_storage.open(path, "rb"),
        download_name=path.rsplit("/", 1)[-1],
        inline=True,
        personal=False,
    )


def _check_database() -> None:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()


def _check_queue() -> None:
    backend = settings.TASKS["default"]["BACKEND"]
    if backend.startswith("django_tasks_rq"):
        import django_rq

        django_rq.get_connection("default").ping()
    else:
        from django_tasks_db.models import DBTaskResult

        DBTaskResult.objects.exists()


def _check_storage() -> None:
    name = default_storage.save(f"healthz/{uuid.uuid4().hex}.txt", ContentFile(b"ok"))
    try:
        with default_storage.open(name) as fh:
            if fh.read() != b"ok":
                raise OSError("storage returned other bytes")
    finally:
        default_storage.delete(name)


@never_cache
def healthz(request):
    """200 when the database, the task queue and file storage all answer, 503 otherwise."""
    checks = {}
    for name, check in (
        ("database", _check_database),
        ("queue", _check_queue),
        ("storage", _check_storage),
    ):
        try:
            check()
            checks[name] = "ok"
        except Exception as exc:  # noqa: BLE001 - any failure is reported, not raised
            log.warning("healthz %s failed: %s", name, exc)
            checks[name] = f"error: {exc.__class__.__name__}"
    ok = all(value == "ok" for value in checks.values())
    return JsonResponse({"status": "ok" if ok else "error", **checks}, status=200 if ok else 503)


def error_403(request, exception=None):
    return render(request, "core/error.html", {"code": 403}, status=403)


def error_404(request, exception=None):
    return render(request, "core/error.html", {"code": 404}, status=404)


def error_500(request):
    """Django calls this inside its handler of the uncaught exception: an outage of the
    database or of Redis (raised in a middleware, where UnavailableMiddleware does not see it)
    gets the 503 page, anything else the 500 page."""
    exception = sys.exc_info()[1]
    outage = unavailable_response(request, exception) if exception is not None else None
    if outage is not None:
        return outage
    return render(request, "core/error.html", {"code": 500}, status=500)


def error_400(request, exception=None):
    return render(request, "core/error.html", {"code": 400}, status=400)
