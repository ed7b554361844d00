"""What every page module of spaces shares: the space-manager decorator and a domain error
put on the form field it concerns."""

from __future__ import annotations

import functools

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied

from ekraf.accounts import permissions
from ekraf.core.errors import DomainError, domain_pages


def manager_page(view):
    @login_required
    @domain_pages
    @functools.wraps(view)
    def wrapper(request, *args, **kwargs):
        if not permissions.can_manage_spaces(request.user):
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return wrapper


def _form_error(form, exc: DomainError) -> None:
    field = exc.field if exc.field in form.fields else None
    if exc.field in ("starts_at", "ends_at"):
        field = "start_time" if exc.field == "starts_at" else "end_time"
    form.add_error(field, exc.message)
