"""What a participant does during and after a training: self check-in and feedback."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache

from ekraf.core.errors import DomainError, domain_pages

from .. import selectors, services
from ..forms import (
    FeedbackForm,
)


@login_required
@domain_pages
def feedback(request, public_id):
    registration = selectors.registration_for(request.user, public_id)
    if registration.user_id != request.user.pk:
        raise PermissionDenied
    refusal = services.feedback_refusal(registration)
    form = FeedbackForm(request.POST or None)
    if request.method == "POST" and refusal is None and form.is_valid():
        try:
            services.give_feedback(
                request.user,
                registration,
                form.cleaned_data["rating"],
                form.cleaned_data.get("comment", ""),
                aspects=form.aspects(),
                open_answers=form.open_answers(),
            )
        except DomainError as exc:
            form.add_error(exc.field if exc.field in form.fields else None, exc.message)
        else:
            messages.success(request, _("Terima kasih atas umpan balik Anda."))
            return redirect("trainings:ticket", registration.public_id)
    return render(
        request,
        "trainings/feedback.html",
        {"registration": registration, "form": form, "refusal": refusal},
    )


@login_required
@never_cache
def self_checkin(request, session_id, code):
    from ..models import Session

    session = (
        Session.objects.select_related("training__agency").filter(public_id=session_id).first()
    )
    if session is None:
        raise Http404
    result, error = None, None
    if request.method == "POST":
        try:
            result = services.self_check_in(request.user, session, request.POST.get("code", ""))
        except DomainError as exc:
            error = exc.message
    else:
        valid = session.self_checkin and code in {
            services.self_checkin_code(session),
            services.self_checkin_code(session, window_offset=-1),
        }
        if not valid:
            error = _("Kode QR ini sudah berganti. Pindai lagi QR yang tampil di layar.")
    return render(
        request,
        "trainings/self_checkin.html",
        {
            "session": session,
            "training": session.training,
            "code": code,
            "result": result,
            "error": error,
        },
    )
