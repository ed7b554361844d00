"""Check-in at the door: the scanning page, its offline ticket list and sync, the projector's QR."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from ekraf.core.errors import DomainError

from .. import selectors, services, tickets
from ..forms import (
    CheckinForm,
)
from ..models import Attendance
from .base import organiser_page


@organiser_page
def manage_checkin(request, public_id, session_id):
    training = selectors.training_for_manager(request.user, public_id)
    session = selectors.session_of(training, session_id)
    wants_json = "application/json" in request.headers.get("Accept", "")
    form = CheckinForm(request.POST or None)
    result = None
    if request.method == "POST" and form.is_valid():
        method = (
            Attendance.Method.SCAN if request.POST.get("via") == "scan" else Attendance.Method.TYPED
        )
        try:
            outcome = services.check_in(
                request.user, session, form.cleaned_data["code"], method=method
            )
            result = {
                "outcome": outcome.outcome,
                "message": outcome.message,
                "name": outcome.registration.full_name,
                "category": outcome.registration.category.name,
                "time": timezone.localtime(outcome.attendance.checked_in_at).strftime("%H.%M"),
            }
        except DomainError as exc:
            result = {"outcome": "refused", "message": exc.message, "code": exc.code}
        if wants_json:
            board = selectors.checkin_board(session, limit=0)
            result["checked_in"] = board["checked_in"]
            result["confirmed"] = board["confirmed"]
            return JsonResponse(result, status=200)
        form = CheckinForm()
    elif request.method == "POST" and wants_json:
        return JsonResponse({"outcome": "refused", "message": _("Tulis kode tiket.")}, status=200)
    return render(
        request,
        "trainings/manage/checkin.html",
        {
            "training": training,
            "session": session,
            "sessions": list(training.sessions.all()),
            "form": form,
            "result": result,
            "board": selectors.checkin_board(session),
            "today": timezone.localdate() == timezone.localtime(session.starts_at).date(),
        },
    )


@never_cache
@organiser_page
def manage_checkin_tickets(request, public_id, session_id):
    """The ticket list the door phone keeps for offline check-in (only what the door needs)."""
    training = selectors.training_for_manager(request.user, public_id)
    session = selectors.session_of(training, session_id)
    response = JsonResponse(services.offline_ticket_list(request.user, session))
    response["Cache-Control"] = "private, no-store"
    return response


@organiser_page
@require_POST
def manage_checkin_sync(request, public_id, session_id):
    """The scans a door phone accepted offline: idempotent, the earliest time wins."""
    import json

    training = selectors.training_for_manager(request.user, public_id)
    session = selectors.session_of(training, session_id)
    if len(request.body) > 200_000:
        return JsonResponse({"message": _("Terlalu banyak data."), "code": "too_large"}, status=400)
    try:
        payload = json.loads(request.body or b"{}")
        scans = payload.get("scans") if isinstance(payload, dict) else None
        results = services.sync_check_ins(request.user, session, scans)
    except (ValueError, UnicodeDecodeError):
        return JsonResponse({"message": _("Data tidak sah."), "code": "invalid"}, status=400)
    except DomainError as exc:
        return JsonResponse({"message": exc.message, "code": exc.code}, status=400)
    board = selectors.checkin_board(session, limit=0)
    return JsonResponse(
        {
            "results": [
                {
                    "code": r.code,
                    "outcome": r.outcome,
                    "at": r.checked_in_at.isoformat() if r.checked_in_at else None,
                    "message": r.message,
                }
                for r in results
            ],
            "checked_in": board["checked_in"],
            "confirmed": board["confirmed"],
        }
    )


@organiser_page
def manage_projector(request, public_id, session_id):
    training = selectors.training_for_manager(request.user, public_id)
    session = selectors.session_of(training, session_id)
    if request.method == "POST":
        try:
            services.set_self_checkin(request.user, session, request.POST.get("enabled") == "1")
        except DomainError as exc:
            messages.error(request, exc.message)
        return redirect("trainings:manage_projector", training.public_id, session.public_id)
    return render(
        request,
        "trainings/manage/projector.html",
        {"training": training, "session": session, "window": services.SELF_CHECKIN_WINDOW},
    )


@organiser_page
@never_cache
def manage_projector_qr(request, public_id, session_id):
    training = selectors.training_for_manager(request.user, public_id)
    session = selectors.session_of(training, session_id)
    if not session.self_checkin:
        raise Http404
    url = settings.BASE_URL + reverse(
        "trainings:self_checkin", args=[session.public_id, services.self_checkin_code(session)]
    )
    response = HttpResponse(tickets.qr_svg(url, scale=10), content_type="image/svg+xml")
    response["Cache-Control"] = "no-store"
    return response
