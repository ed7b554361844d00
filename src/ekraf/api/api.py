"""The one NinjaAPI at /api/v1: every app's router, and errors turned into clear 4xx answers."""

from csp.decorators import csp_update
from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import DataError
from django.http import Http404
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError, ValidationError
from ninja.parser import Parser

from ekraf.api.errors import document_errors
from ekraf.core.errors import DomainError


def _has_nul(value) -> bool:
    if isinstance(value, str):
        return "\x00" in value
    if isinstance(value, dict):
        return any(_has_nul(k) or _has_nul(v) for k, v in value.items())
    if isinstance(value, list):
        return any(_has_nul(item) for item in value)
    return False


class JsonParser(Parser):
    """JSON bodies, refusing any string that holds a NUL character ("\\u0000").

    PostgreSQL cannot store or compare such text: a NUL in a revocation reason, a log-in name
    or a region code reached the database and came back as a 500. Ninja answers a body the
    parser refuses with 400.
    """

    def parse_body(self, request):
        data = super().parse_body(request)
        if not isinstance(data, dict):
            # Every operation's body is an object; ninja read `[]` as "no fields sent", so an
            # array PUT to /me/profile answered 200 having changed nothing.
            raise ValueError("the request body must be a JSON object")
        if _has_nul(data):
            raise ValueError("NUL character in the request body")
        return data


class EkrafAPI(NinjaAPI):
    def get_openapi_schema(self, *args, **kwargs):
        # Every operation documents the error statuses the handlers below can answer.
        return document_errors(super().get_openapi_schema(*args, **kwargs))


api = EkrafAPI(
    title="Ekraf API",
    version="1",
    description=(
        "API platform ekonomi kreatif kota. Data referensi terbuka untuk umum; data pelaku, "
        "pelatihan dan sertifikat memerlukan token (`Authorization: Bearer …`, buat di "
        "halaman Akun → Token API atau lewat `POST /api/v1/auth/token`)."
    ),
    urls_namespace="api",
    parser=JsonParser(),
    docs_decorator=csp_update({"style-src": ["'unsafe-inline'"], "img-src": ["data:"]}),
)


def _error(request, status: int, code: str, message: str, /, **extra):
    # positional-only: a domain error's data may carry its own `status` or `code` keys (e.g. a
    # story's status in a 409) without colliding with the answer's (that was a 500)
    body = {**extra, "code": code, "detail": message}
    return api.create_response(request, body, status=status)


@api.exception_handler(DataError)
def on_data_error(request, exc: DataError):
    """Values the database cannot hold (NUL bytes, out-of-range numbers) are the client's error."""
    return _error(request, 400, "invalid", "Data yang dikirim tidak dapat diproses.")


@api.exception_handler(DomainError)
def on_domain_error(request, exc: DomainError):
    extra = {"field": exc.field} if exc.field else {}
    return _error(request, exc.status, exc.code, exc.message, **exc.data, **extra)


@api.exception_handler(PermissionDenied)
def on_permission_denied(request, exc):
    return _error(request, 403, "forbidden", str(exc) or "Anda tidak berwenang untuk ini.")


@api.exception_handler(Http404)
def on_not_found(request, exc):
    return _error(request, 404, "not_found", "Data tidak ditemukan.")


@api.exception_handler(AuthenticationError)
def on_unauthenticated(request, exc):
    return _error(request, 401, "unauthenticated", "Perlu masuk: kirim token API yang sah.")


_HTTP_CODES = {
    400: "invalid",
    401: "unauthenticated",
    403: "forbidden",
    404: "not_found",
    405: "method_not_allowed",
    409: "conflict",
    413: "too_large",
    429: "rate_limited",
}


@api.exception_handler(HttpError)
def on_http_error(request, exc: HttpError):
    """Ninja's own refusals (a CSRF failure, a throttle) carry `code` like every other error."""
    status = exc.status_code
    if isinstance(exc, AuthenticationError):
        return on_unauthenticated(request, exc)
    return _error(
        request, status, _HTTP_CODES.get(status, "error"), str(exc) or "Permintaan ditolak."
    )


@api.exception_handler(ValidationError)
def on_validation_error(request, exc: ValidationError):
    return _error(request, 422, "invalid", "Data yang dikirim tidak sah.", errors=exc.errors)


@api.exception_handler(DjangoValidationError)
def on_django_validation_error(request, exc: DjangoValidationError):
    errors = exc.message_dict if hasattr(exc, "error_dict") else {"__all__": exc.messages}
    return _error(request, 422, "invalid", "Data yang dikirim tidak sah.", errors=errors)


def _mount() -> None:
    from ekraf.accounts.api import router as accounts_router
    from ekraf.core.api import router as core_router
    from ekraf.creators.api import router as creators_router
    from ekraf.credentials.api import router as credentials_router
    from ekraf.insights.api import router as insights_router
    from ekraf.newsroom.api import router as newsroom_router
    from ekraf.programs.api import router as programs_router
    from ekraf.spaces.api import router as spaces_router
    from ekraf.talent.api import router as talent_router
    from ekraf.trainings.api import router as trainings_router

    # Django tries the API's paths in this order: verification, the API's busiest public call
    # (browser-based verifiers, wallets), comes first; no two routers share a path.
    api.add_router("", credentials_router)
    api.add_router("", core_router)
    api.add_router("", accounts_router)
    api.add_router("", creators_router)
    api.add_router("", trainings_router)
    api.add_router("", talent_router)
    api.add_router("", programs_router)
    api.add_router("", spaces_router)
    api.add_router("", newsroom_router)
    api.add_router("", insights_router)


_mount()
