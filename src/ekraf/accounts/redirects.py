"""Where to go after signing up, verifying or signing in: a `next` of this site only."""

from django.utils.http import url_has_allowed_host_and_scheme


def safe_next(request, target: str | None, default: str = "") -> str:
    """`target` if it is a path (or URL) on this site, else `default`: never an open redirect."""
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return default


def next_of(request, default: str = "") -> str:
    """The validated `next` of this request (form field first, then the query string)."""
    return safe_next(request, request.POST.get("next") or request.GET.get("next"), default)
