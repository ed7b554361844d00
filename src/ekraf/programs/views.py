"""Pages of the programs app: public open calls and applying, a creator's engagements (both
sides see the same engagement page with its history), and agency staff's programmes,
recommendations with reasons, invitations and reviews; the administrators' exposure report.
Views parse, call a service or selector and render; domain errors become messages."""

from __future__ import annotations

import functools

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from ekraf.accounts import permissions
from ekraf.core.errors import DomainError, NotAllowed, NotFound, domain_pages
from ekraf.core.models import Agency
from ekraf.creators.models import CreatorProfile

from . import matching, selectors, services
from .forms import ApplyForm, DeliverableForm, NoteForm, ProgrammeForm
from .models import Programme, State


def staff_page(view):
    @login_required
    @domain_pages
    @functools.wraps(view)
    def wrapper(request, *args, **kwargs):
        if not permissions.can_manage_programmes(request.user):
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return wrapper


def _managed(request, public_id) -> Programme:
    found = selectors.programme(public_id)
    if not permissions.can_manage_programme(request.user, found):
        raise Http404
    return found


# --- public and creators ------------------------------------------------------------------------


def open_calls(request):
    return render(request, "programs/open_calls.html", {"programmes": selectors.open_calls()})


@domain_pages
def open_call(request, public_id):
    programme = selectors.visible_programme(request.user, public_id)
    roles = list(programme.roles.all())
    form = ApplyForm(request.POST or None)
    form.fields["role"].choices = [(r.pk, r.get_pathway_display()) for r in roles]
    if request.method == "POST":
        if not request.user.is_authenticated:
            return redirect(f"/masuk/?next={request.path}")
        if form.is_valid():
            role = next(r for r in roles if r.pk == form.cleaned_data["role"])
            try:
                engagement = services.apply(
                    request.user,
                    programme,
                    role,
                    pitch=form.cleaned_data["pitch"],
                    links=form.cleaned_data["links"].splitlines(),
                    request=request,
                )
            except DomainError as exc:
                form.add_error(exc.field if exc.field in form.fields else None, exc.message)
            else:
                messages.success(request, _("Pendaftaran Anda terkirim."))
                return redirect("programs:engagement", engagement.public_id)
    return render(
        request,
        "programs/open_call.html",
        {
            "programme": programme,
            "form": form,
            "can_apply": permissions.can_apply_to_programmes(request.user)
            and programme.status == Programme.Status.OPEN
            and programme.open_call,
        },
    )


@login_required
def my_engagements(request):
    return render(
        request,
        "programs/mine.html",
        {"engagements": selectors.my_engagements(request.user)},
    )


ACTIONS = {
    "terima": State.ACCEPTED,
    "tolak": State.DECLINED,
    "batal": State.WITHDRAWN,
    "kirim": State.DELIVERED,
    "revisi": State.REVISION_REQUESTED,
    "setujui": State.APPROVED,
    "selesai": State.COMPLETED,
}


def _actions_for(user, engagement):
    sides = services._side(user, engagement)
    out = []
    for slug, to in ACTIONS.items():
        who = services.TRANSITIONS.get((engagement.state, to))
        if who and (who == "both" and sides or who in sides):
            out.append({"slug": slug, "label": dict(State.choices)[to], "to": to})
    return out


@login_required
@domain_pages
def engagement(request, public_id):
    found = selectors.visible_engagement(request.user, public_id)
    is_creator = found.creator.user_id == request.user.pk
    can_deliver = is_creator and found.state in (
        State.ACCEPTED,
        State.REVISION_REQUESTED,
        State.DELIVERED,
    )
    return render(
        request,
        "programs/engagement.html",
        {
            "e": found,
            "actions": _actions_for(request.user, found),
            "note_form": NoteForm(),
            "deliver_form": DeliverableForm() if can_deliver else None,
            "wa": services.share_link(found)
            if permissions.can_see_creator_contact(request.user, found.creator)
            else "",
        },
    )


@require_POST
@login_required
@domain_pages
def engagement_action(request, public_id, action):
    found = selectors.visible_engagement(request.user, public_id)
    to = ACTIONS.get(action)
    if to is None:
        raise Http404
    form = NoteForm(request.POST)
    note = form.cleaned_data["note"] if form.is_valid() else ""
    try:
        services.transition(request.user, found, to, note=note, request=request)
    except DomainError as exc:
        if isinstance(exc, NotFound | NotAllowed):
            raise
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Status diperbarui: %(s)s.") % {"s": dict(State.choices)[to]})
    return redirect("programs:engagement", found.public_id)


@login_required
@domain_pages
def submit_deliverable(request, public_id):
    found = selectors.visible_engagement(request.user, public_id)
    form = DeliverableForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            services.submit_deliverable(
                request.user,
                found,
                services.DeliverableInput(
                    url=d["url"],
                    posted_on=d["posted_on"],
                    hashtags=services.clean_tags(d["hashtags"]),
                    metrics=services.MetricsInput(
                        views=d["views"],
                        likes=d["likes"],
                        comments=d["comments"],
                        shares=d["shares"],
                        saves=d["saves"],
                        source=d["source"],
                        read_at=d["read_at"],
                    ),
                    screenshot=d["screenshot"],
                ),
                request=request,
            )
        except DomainError as exc:
            if isinstance(exc, NotFound | NotAllowed):
                raise
            form.add_error(exc.field if exc.field in form.fields else None, exc.message)
        else:
            messages.success(request, _("Konten terkirim untuk ditinjau."))
            return redirect("programs:engagement", found.public_id)
    return render(request, "programs/deliver.html", {"e": found, "form": form})


# --- agency staff -------------------------------------------------------------------------------


@staff_page
def manage_list(request):
    programmes = selectors.managed_programmes(request.user)
    return render(
        request,
        "programs/manage_list.html",
        {"programmes": programmes, "totals": selectors.reach_totals(programmes, "programme")},
    )


def _agencies(user):
    return permissions.scope_to_agencies(user, Agency.objects.all(), "pk").order_by("short_name")


@staff_page
def manage_create(request):
    form = ProgrammeForm(request.POST or None, agencies=_agencies(request.user))
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        roles = [services.RoleInput(d["pathway"], d["seats"])]
        if d.get("pathway2"):
            roles.append(services.RoleInput(d["pathway2"], d.get("seats2") or 1))
        try:
            programme = services.create_programme(
                request.user,
                services.ProgrammeInput(
                    agency_id=d["agency"].pk,
                    title=d["title"],
                    objective=d["objective"],
                    starts_on=d["starts_on"],
                    ends_on=d["ends_on"],
                    roles=roles,
                    hashtags=d["hashtags"],
                    mentions=d["mentions"],
                    subsector_ids=[s.pk for s in d["subsectors"]],
                    district_ids=[r.pk for r in d["districts"]],
                    open_call=d["open_call"],
                    platform=d["platform"],
                    content_format=d["content_format"],
                    deliverables_per_creator=d["deliverables_per_creator"],
                    due_on=d["due_on"],
                    paid_partnership=d["paid_partnership"],
                    usage_rights_until=d["usage_rights_until"],
                    honorarium=d["honorarium"],
                ),
                request=request,
            )
        except DomainError as exc:
            if isinstance(exc, NotAllowed):
                raise
            form.add_error(exc.field if exc.field in form.fields else None, exc.message)
        else:
            messages.success(request, _("Program tersimpan sebagai draf."))
            return redirect("programs:manage_detail", programme.public_id)
    return render(request, "programs/manage_form.html", {"form": form})


NEXT_STATUS = {
    Programme.Status.DRAFT: [Programme.Status.OPEN],
    Programme.Status.OPEN: [Programme.Status.RUNNING, Programme.Status.CLOSED],
    Programme.Status.RUNNING: [Programme.Status.CLOSED],
}


@staff_page
def manage_detail(request, public_id):
    programme = _managed(request, public_id)
    engagements = list(selectors.engagements_of(programme))
    taken = selectors.seats_taken(programme)
    roles = [{"role": r, "taken": taken.get(r.pk, 0)} for r in programme.roles.all()]
    return render(
        request,
        "programs/manage_detail.html",
        {
            "programme": programme,
            "roles": roles,
            "engagements": engagements,
            "next_status": [
                (s, Programme.Status(s).label) for s in NEXT_STATUS.get(programme.status, [])
            ],
            "totals": selectors.reach_totals([programme], "programme"),
        },
    )


@require_POST
@staff_page
def manage_status(request, public_id):
    programme = _managed(request, public_id)
    try:
        services.set_status(
            request.user, programme, request.POST.get("status", ""), request=request
        )
    except DomainError as exc:
        if isinstance(exc, NotAllowed):
            raise
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Status program diperbarui."))
    return redirect("programs:manage_detail", programme.public_id)


@staff_page
def recommendations(request, public_id, role_id):
    programme = _managed(request, public_id)
    role = next((r for r in programme.roles.all() if r.pk == role_id), None)
    if role is None:
        raise Http404
    role.programme = programme
    result = matching.recommend(role, viewer=request.user)
    return render(
        request,
        "programs/recommendations.html",
        {"programme": programme, "role": role, "result": result, "weights": matching.WEIGHTS},
    )


@require_POST
@staff_page
def manage_invite(request, public_id):
    programme = _managed(request, public_id)
    role = programme.roles.filter(pk=request.POST.get("role") or 0).first()
    creator = CreatorProfile.objects.filter(public_id=request.POST.get("creator", "")).first()
    if role is None or creator is None:
        raise Http404
    try:
        services.invite(request.user, programme, role, creator, request=request)
    except DomainError as exc:
        if isinstance(exc, NotAllowed):
            raise
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Undangan terkirim kepada %(n)s.") % {"n": creator.name})
    return redirect("programs:recommendations", programme.public_id, role.pk)


@login_required
def exposure_report(request):
    if not permissions.can_view_exposure(request.user):
        raise PermissionDenied
    return render(request, "programs/exposure.html", {"report": selectors.exposure_report()})
