"""Pages of the talent app: the directory, a creator seen by staff, the pathway grid of a
training, speaker requests (agency side) and the speaker's own invitations."""

from __future__ import annotations

import functools

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Exists, OuterRef
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from ekraf.accounts import permissions
from ekraf.core.errors import DomainError, NotAllowed, NotFound, domain_pages
from ekraf.core.selectors import districts, subsectors
from ekraf.creators.forms import kelurahan_choices
from ekraf.creators.models import Channel, CreatorProfile, Pathway

from . import forms, selectors, services
from .models import SpeakerBooking, SpeakerRequest

PAGE_SIZE = 25


def _pages(view):
    """Signed in, and the domain's NotFound/NotAllowed as 404/403 (core.errors.domain_pages)."""
    return login_required(domain_pages(view))


def directory_page(view):
    @_pages
    @functools.wraps(view)
    def wrapper(request, *args, **kwargs):
        if not permissions.can_use_talent_directory(request.user):
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return wrapper


def _filter_choices() -> dict:
    from ekraf.credentials.models import Certificate
    from ekraf.trainings.models import Training

    villages = kelurahan_choices()
    return {
        "pathways": Pathway.choices,
        "subsector_choices": [(s.code, s.name) for s in subsectors()],
        "district_choices": [(d.code, d.name) for d in districts()],
        "village_choices": villages[1:],
        "platforms": Channel.Platform.choices,
        "training_choices": list(
            Training.objects.filter(Exists(Certificate.objects.filter(training=OuterRef("pk"))))
            .order_by("-created_at")
            .values_list("public_id", "title")[:200]
        ),
        "sorts": [
            ("relevansi", _("Paling relevan")),
            ("nama", _("Nama")),
            ("-pengikut", _("Pengikut terbanyak")),
            ("terbaru", _("Terbaru terdaftar")),
        ],
    }


def _directory_context(request, filters, *, base_url_name="talent:directory", extra=None):
    page = Paginator(selectors.search_directory(filters), PAGE_SIZE).get_page(
        request.GET.get("hal")
    )
    page.object_list = selectors.mark_for_viewer(request.user, page.object_list)
    return {"filters": filters, "page": page, **_filter_choices(), **(extra or {})}


@directory_page
def directory(request):
    filters = selectors.DirectoryFilters.from_query(request.GET)
    return render(request, "talent/directory.html", _directory_context(request, filters))


@directory_page
def creator(request, public_id):
    profile = selectors.directory_creator(public_id)
    if profile is None:
        raise Http404
    profile = selectors.mark_for_viewer(request.user, [profile])[0]
    registrations, certificates = selectors.creator_trainings(profile)
    return render(
        request,
        "talent/creator.html",
        {
            "profile": profile,
            "registrations": registrations,
            "certificates": certificates,
            "programmes": selectors.programme_history(profile),
            "speaker": selectors.speaker_record(profile),
            "open_requests": selectors.open_requests_for(request.user),
        },
    )


# --- the pathway grid of a training -------------------------------------------------------------


@_pages
def pathway_grid(request, public_id):
    from ekraf.trainings.selectors import training_for_manager

    training = training_for_manager(request.user, public_id)
    permissions.require(permissions.can_assess_pathways(request.user, training))
    rows = selectors.pathway_grid(training)
    if request.method == "POST":
        choices, notes = {}, {}
        for row in rows:
            key = str(row.registration.pk)
            choices[row.registration.pk] = set(request.POST.getlist(f"p-{key}"))
            notes[row.registration.pk] = request.POST.get(f"n-{key}", "")
        try:
            added, removed = services.assess_class(request.user, training, choices, notes)
        except DomainError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(
                request,
                _("Jalur talenta disimpan: %(added)s ditambah, %(removed)s dihapus.")
                % {"added": added, "removed": removed},
            )
            return redirect(request.path)
    return render(
        request,
        "talent/pathway_grid.html",
        {"training": training, "rows": rows, "pathways": Pathway.choices},
    )


# --- speaker requests (agency side) -------------------------------------------------------------


def speaker_page(view):
    @_pages
    @functools.wraps(view)
    def wrapper(request, *args, **kwargs):
        if not permissions.can_request_speakers(request.user):
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return wrapper


@speaker_page
def speaker_requests(request):
    form = forms.SpeakerRequestForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        agency = data.pop("agency")
        try:
            created = services.create_request(request.user, agency=agency, request=request, **data)
        except DomainError as exc:
            form.add_error(exc.field if exc.field in form.fields else None, exc.message)
        else:
            messages.success(
                request, _("Permintaan narasumber dibuat. Pilih kandidat dari direktori.")
            )
            return redirect("talent:speaker_request", created.public_id)
    return render(
        request,
        "talent/speaker_requests.html",
        {"form": form, "requests": selectors.speaker_requests_for(request.user)},
    )


@speaker_page
def speaker_request(request, public_id):
    speaker_request = selectors.speaker_request(public_id)
    if speaker_request is None or not permissions.can_manage_speaker_request(
        request.user, speaker_request
    ):
        raise Http404
    if request.method == "POST":
        _speaker_action(request, speaker_request)
        return redirect(request.get_full_path())
    params = request.GET.copy()
    params.setdefault("pathway", speaker_request.pathway)
    filters = selectors.DirectoryFilters.from_query(params)
    filters.available_from = speaker_request.starts_at
    filters.available_to = speaker_request.ends_at
    context = {
        "speaker_request": speaker_request,
        "bookings": list(speaker_request.bookings.all()),
        "Status": SpeakerBooking.Status,
    }
    if speaker_request.status == SpeakerRequest.Status.OPEN:
        context.update(_directory_context(request, filters))
    return render(request, "talent/speaker_request.html", context)


def _speaker_action(request, speaker_request):
    action, _sep, target = (request.POST.get("action") or "").partition(":")
    try:
        if action == "shortlist":
            profile = CreatorProfile.objects.filter(public_id=target).first()
            if profile is None:
                raise NotFound(_("Pelaku tidak ditemukan."))
            services.shortlist(
                request.user,
                speaker_request,
                profile,
                note=request.POST.get("note", ""),
                request=request,
            )
            messages.success(
                request, _("%(name)s masuk daftar pendek dan diberi tahu.") % {"name": profile.name}
            )
        elif action in ("withdraw", "rate"):
            booking = speaker_request.bookings.select_related("creator__user").get(public_id=target)
            if action == "withdraw":
                services.withdraw(request.user, booking, request=request)
                messages.info(request, _("Pembicara ditarik dari kegiatan ini."))
            else:
                try:
                    rating = int(request.POST.get("rating", ""))
                except ValueError:
                    rating = None
                services.rate(
                    request.user,
                    booking,
                    rating=rating,
                    comment=request.POST.get("comment", ""),
                    request=request,
                )
                messages.success(request, _("Terima kasih, penilaian disimpan."))
        elif action == "cancel":
            services.cancel_request(request.user, speaker_request, request=request)
            messages.info(request, _("Permintaan dibatalkan."))
    except SpeakerBooking.DoesNotExist:
        messages.error(request, _("Jadwal tidak ditemukan."))
    except NotAllowed as exc:
        raise PermissionDenied(exc.message) from exc
    except DomainError as exc:
        messages.error(request, exc.message)


# --- the speaker's side ---------------------------------------------------------------------------


@_pages
def my_speaking(request):
    """The creator's own talent page: assessed pathways beside declared ones, and invitations
    to speak, each answered here."""
    profile = CreatorProfile.objects.filter(user=request.user).first()
    if profile is None and permissions.is_creator(request.user):
        # A creator who never opened their profile still has this page (it is in the menu).
        from ekraf.creators.services import ensure_profile

        profile = ensure_profile(request.user)
    if profile is None or profile.deleted_at is not None:
        raise Http404
    if request.method == "POST":
        action, _sep, target = (request.POST.get("action") or "").partition(":")
        booking = (
            SpeakerBooking.objects.select_related("creator__user", "request__agency")
            .filter(public_id=target, creator=profile)
            .first()
        )
        if booking is None:
            raise Http404
        try:
            if action == "accept":
                services.accept(request.user, booking, request=request)
                messages.success(request, _("Anda terjadwal sebagai pembicara."))
            elif action == "decline":
                services.decline(
                    request.user, booking, reason=request.POST.get("reason", ""), request=request
                )
                messages.info(request, _("Undangan ditolak."))
        except DomainError as exc:
            messages.error(request, exc.message)
        return redirect("talent:my_speaking")
    return render(
        request,
        "talent/my_talent.html",
        {
            "profile": profile,
            "assessed": list(profile.assessed_pathways.select_related("training")),
            "declared": list(profile.pathway_interests.all()),
            "in_directory": selectors.in_directory(profile),
            "bookings": list(
                SpeakerBooking.objects.filter(creator=profile)
                .select_related("request__agency", "request__region")
                .order_by("-starts_at")
            ),
        },
    )
