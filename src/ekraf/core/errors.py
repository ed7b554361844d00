"""Domain errors raised by services; pages turn them into messages, the API into 4xx answers."""


class DomainError(Exception):
    """A rule of the domain refused the request. The message is for the user (Indonesian)."""

    status = 400
    code = "invalid"

    def __init__(
        self,
        message,
        *,
        code: str | None = None,
        field: str | None = None,
        data: dict | None = None,
    ):
        super().__init__(message)
        self.message = message
        self.field = field
        # Extra, JSON-ready facts for the API answer (e.g. the booking a clash is with).
        self.data = data or {}
        if code:
            self.code = code


class NotAllowed(DomainError):
    status = 403
    code = "forbidden"


class NotFound(DomainError):
    status = 404
    code = "not_found"


class Conflict(DomainError):
    status = 409
    code = "conflict"


def domain_pages(view):
    """For page views: a service's NotFound becomes the 404 page, NotAllowed the 403 page
    (the API turns the same errors into its JSON answers)."""
    import functools

    from django.core.exceptions import PermissionDenied
    from django.http import Http404

    @functools.wraps(view)
    def wrapper(request, *args, **kwargs):
        try:
            return view(request, *args, **kwargs)
        except NotFound as exc:
            raise Http404(exc.message) from exc
        except NotAllowed as exc:
            raise PermissionDenied(exc.message) from exc

    return wrapper
