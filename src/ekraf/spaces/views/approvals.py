"""The space manager's decisions: the queue of requests waiting, the calendar with requesters'
details, approving (a whole series, clashing requests refused) and declining with a reason."""

from __future__ import annotations

from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from ekraf.core.errors import DomainError

from .. import selectors, services
from ..forms import ApproveForm, ReasonForm
from .base import _form_error, manager_page
from .grid import _calendar_context


@manager_page
def manage_queue(request):
    groups = selectors.queue()
    return render(
        request,
        "spaces/manage/queue.html",
        {"groups": groups, "count": sum(len(g.requests) for g in groups)},
    )


@manager_page
def manage_calendar(request):
    context = _calendar_context(
        request, selectors.calendar_rooms(), details=True, rooms_key="centre"
    )
    return render(request, "spaces/calendar.html", {**context, "manage": True})


@manager_page
def manage_approve(request, public_id):
    found = selectors.booking(public_id)
    form = ApproveForm(
        request.POST if request.method == "POST" else None,
        initial={"whole_series": bool(found.series_id)},
    )
    if request.method == "POST" and form.is_valid():
        try:
            plan = services.approve(
                request.user,
                found,
                whole_series=form.cleaned_data["whole_series"],
                skip_clashes=form.cleaned_data["skip_clashes"],
            )
            text = _("Disetujui: %(n)s tanggal.") % {"n": len(plan.approve)}
            if plan.refuse:
                text += " " + _("%(n)s permohonan yang bentrok ditolak.") % {"n": len(plan.refuse)}
            if plan.blocked:
                text += " " + _("%(n)s tanggal dilewati.") % {"n": len(plan.blocked)}
            messages.success(request, text)
            return redirect("spaces:manage_queue")
        except DomainError as exc:
            messages.error(request, exc.message)
    whole = form.data.get("whole_series") == "on" if form.is_bound else bool(found.series_id)
    plan = services.plan_approval(found, whole_series=whole)
    return render(
        request, "spaces/manage/approve.html", {"booking": found, "plan": plan, "form": form}
    )


@manager_page
def manage_decline(request, public_id):
    found = selectors.booking(public_id)
    form = ReasonForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.decline(
                request.user,
                found,
                form.cleaned_data["reason"],
                whole_series=request.POST.get("whole_series") == "on",
            )
            messages.success(request, _("Permohonan ditolak; pemohon diberi tahu."))
            return redirect("spaces:manage_queue")
        except DomainError as exc:
            _form_error(form, exc)
    return render(request, "spaces/manage/decline.html", {"booking": found, "form": form})
