"""What every page module of trainings shares: the organiser-page decorator and file responses."""

from __future__ import annotations

import functools

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.utils.http import content_disposition_header

from ekraf.accounts import permissions
from ekraf.core.errors import domain_pages
from ekraf.core.selectors import current_city

from ..models import Registration

Status = Registration.Status


def organiser_page(view):
    """Signed in, organiser of some agency (or administrator); domain errors as pages."""

    @login_required
    @domain_pages
    @functools.wraps(view)
    def wrapper(request, *args, **kwargs):
        if not permissions.can_manage_trainings(request.user):
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return wrapper


def _pdf(content: bytes, filename: str, inline=True) -> HttpResponse:
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = content_disposition_header(not inline, filename)
    response["Cache-Control"] = "private, no-store"
    return response


def _svg(content: bytes) -> HttpResponse:
    response = HttpResponse(content, content_type="image/svg+xml")
    response["Cache-Control"] = "private, max-age=300"
    return response


def _png(content: bytes) -> HttpResponse:
    response = HttpResponse(content, content_type="image/png")
    response["Cache-Control"] = "private, max-age=300"
    return response


def _city_short_name() -> str:
    city = current_city()
    return city.short_name if city else ""


def _platform_name() -> str:
    city = current_city()
    return city.platform_name if city else "Ekraf"
