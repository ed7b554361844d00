"""Request ids: taken from the proxy's X-Request-ID or made here, echoed back, put in logs."""

import contextvars
import logging
import re
import time
import uuid

from django.http import QueryDict
from django.utils.functional import SimpleLazyObject, empty

_request_id: contextvars.ContextVar[str | None] = contextvars.ContextVar("request_id", default=None)
_SAFE = re.compile(r"^[A-Za-z0-9._-]{1,64}$")
log = logging.getLogger("ekraf.request")


def current_request_id() -> str | None:
    return _request_id.get()


def bind_request_id(value: str | None) -> contextvars.Token:
    """Make `value` the id on log lines of this context (a worker's task, a periodic run)."""
    return _request_id.set(value)


class RequestIdMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        incoming = request.META.get("HTTP_X_REQUEST_ID", "")
        request_id = incoming if _SAFE.match(incoming) else uuid.uuid4().hex
        token = _request_id.set(request_id)
        request.request_id = request_id
        started = time.monotonic()
        try:
            response = self.get_response(request)
            response["X-Request-ID"] = request_id
            log.info(
                "%s %s %s",
                request.method,
                request.path,
                response.status_code,
                extra={
                    "method": request.method,
                    "path": request.path,
                    "status": response.status_code,
                    "duration_ms": round((time.monotonic() - started) * 1000, 1),
                    "user_id": _user_id_if_known(request),
                },
            )
            return response
        finally:
            _request_id.reset(token)


def _user_id_if_known(request):
    """The user's id when the request already looked the user up; never loads the session
    for a log line (public pages such as verification stay free of session reads)."""
    user = getattr(request, "user", None)
    if isinstance(user, SimpleLazyObject) and user._wrapped is empty:
        return None
    return getattr(user, "pk", None)


class IndonesianByDefaultMiddleware:
    """Indonesian unless the person chose English with the language switch.

    Many phones in Indonesia run their system in English; a city's platform still speaks
    Indonesian first, so the browser's Accept-Language is not used to pick the language — only
    the choice stored by the switch (the language cookie).
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.META.pop("HTTP_ACCEPT_LANGUAGE", None)
        return self.get_response(request)


class NulCharactersMiddleware:
    """NUL characters in the address never reach a view.

    PostgreSQL cannot store or even compare text holding NUL: any such value that reached a
    query (a code or id from the URL, a search term) raised DataError, a 500, on nearly every
    page and API endpoint. No object has a NUL in its identifier, so such a path is 404. In a
    page's query string (a search box, a filter) a NUL means nothing and is dropped; the API
    answers 400, so integrations learn they sent something wrong.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        api = request.path.startswith("/api/")
        if "\x00" in request.path:
            return _refuse(request, api, 404)
        if any("\x00" in key or "\x00" in "".join(values) for key, values in request.GET.lists()):
            if api:
                return _refuse(request, api, 400)
            clean = QueryDict(mutable=True)
            for key, values in request.GET.lists():
                clean.setlist(key.replace("\x00", ""), [v.replace("\x00", "") for v in values])
            clean._mutable = False
            request.GET = clean
        return self.get_response(request)


def _refuse(request, api: bool, status: int):
    from django.http import JsonResponse
    from django.utils.translation import gettext as _

    from .views import error_400, error_404

    if api:
        if status == 404:
            return JsonResponse(
                {"code": "not_found", "detail": _("Data tidak ditemukan.")}, status=404
            )
        message = _("Alamat berisi karakter yang tidak sah.")
        return JsonResponse({"code": "invalid", "detail": message}, status=400)
    return error_404(request) if status == 404 else error_400(request)


class UnavailableMiddleware:
    """A database or Redis that stops answering mid-request answers 503 with a page that needs
    neither, in Indonesian, instead of a 500 (`unavailable_response`). Exceptions raised in a
    view arrive here; those raised in another middleware (a session read from Redis) reach
    Django's 500 handler, which asks the same function (core.views.error_500)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        return unavailable_response(request, exception)


def unavailable_response(request, exception):
    """The 503 answer to an outage of the database or of Redis; None for any other exception.

    A dropped database connection killed the request's transaction with it, so nothing of the
    request was written, and the page says so; the broken connection is closed, so the next
    request opens a fresh one (or the pool hands one). A Redis outage (sessions, caches, rate
    limits) may come after the view's work was committed, so that page promises nothing."""
    from django.db import InterfaceError, OperationalError, connections
    from django.http import HttpResponse, JsonResponse
    from django.template.loader import render_to_string
    from django.utils.translation import gettext as _
    from redis.exceptions import RedisError

    if isinstance(exception, OperationalError | InterfaceError):
        log.error("database unavailable during %s %s: %s", request.method, request.path, exception)
        for conn in connections.all(initialized_only=True):
            if conn.in_atomic_block:
                continue  # a test's transaction; it is rolled back by its owner
            try:
                conn.close()
            except Exception:  # noqa: BLE001 - it is broken already
                log.debug("closing a broken connection failed", exc_info=True)
        code = "database_unavailable"
        message = _(
            "Basis data tidak dapat dihubungi saat ini. Tidak ada yang tersimpan dari "
            "permintaan Anda; silakan coba lagi dalam beberapa saat."
        )
    elif isinstance(exception, RedisError):
        log.error("Redis unavailable during %s %s: %s", request.method, request.path, exception)
        code = "service_unavailable"
        message = _(
            "Sebagian layanan tidak dapat dihubungi saat ini. Silakan coba lagi dalam beberapa "
            "saat; bila Anda baru saja menyimpan sesuatu, periksa apakah sudah tersimpan."
        )
    else:
        return None
    if request.path.startswith("/api/"):
        response = JsonResponse({"detail": message, "code": code}, status=503)
    else:
        page = render_to_string("core/unavailable.html", {"message": message}, request=None)
        response = HttpResponse(page, status=503)
    response["Retry-After"] = "30"
    return response
