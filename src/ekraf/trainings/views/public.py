"""Public pages: the catalogue, a training's page and calendar, registering, my trainings, the home panel."""

from __future__ import annotations

from urllib.parse import quote

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.utils.text import slugify
from django.utils.translation import gettext as _

from ekraf.accounts import permissions
from ekraf.core.errors import DomainError, domain_pages

from .. import calendar, selectors, services
from ..forms import (
    CatalogueFilterForm,
    RegistrationForm,
)
from ..models import Registration, Training
from .base import Status


def catalogue(request):
    form = CatalogueFilterForm(request.GET or None)
    filters = selectors.CatalogueFilters()
    if form.is_valid():
        d = form.cleaned_data
        filters = selectors.CatalogueFilters(
            q=d.get("q", ""),
            kind=d.get("kind", ""),
            agency=d.get("agency", ""),
            mode=d.get("mode", ""),
            when=d.get("when") or "mendatang",
            open_only=d.get("open_only", False),
        )
    page = Paginator(selectors.catalogue(filters), 12).get_page(request.GET.get("halaman"))
    return render(
        request,
        "trainings/catalogue.html",
        {"form": form, "page": page, "trainings": page.object_list, "now": timezone.now()},
    )


def share_text(training, url: str) -> str:
    sessions = list(training.sessions.all())
    when = ""
    if sessions:
        from ekraf.core.templatetags.ekraf import tanggal

        when = f" — {tanggal(sessions[0].starts_at)}"
    return f"{training.title}{when}, oleh {training.agency.short_name}. Daftar di {url}"


@domain_pages
def detail(request, public_id):
    training = selectors.training_for_public(public_id, request.user)
    sessions = list(training.sessions.all())
    categories = selectors.categories_with_counts(training)
    mine = None
    if request.user.is_authenticated:
        mine = (
            Registration.objects.filter(
                training=training, user=request.user, status__in=Registration.ACTIVE
            )
            .select_related("category")
            .first()
        )
    first_start = sessions[0].starts_at if sessions else None
    refusal = services.registration_refusal(training, first_start=first_start)
    url = settings.BASE_URL + reverse("trainings:detail", args=[training.public_id])
    text = share_text(training, url)
    return render(
        request,
        "trainings/detail.html",
        {
            "training": training,
            "sessions": sessions,
            "categories": categories,
            "seats_left": sum(c.left for c in categories),
            "mine": mine,
            "refusal": refusal,
            "wa_share": f"https://wa.me/?text={quote(text)}",
            "can_manage": permissions.can_manage_training(request.user, training),
            "deadline": services.cancellation_deadline(training, first_start),
        },
    )


@domain_pages
def ics(request, public_id):
    training = selectors.training_for_public(public_id, request.user)
    body = calendar.training_ics(training, list(training.sessions.all()), timezone.now())
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    filename = f"{slugify(training.title)[:60] or 'pelatihan'}.ics"
    response["Content-Disposition"] = content_disposition_header(True, filename)
    return response


@login_required
@domain_pages
def register(request, public_id):
    training = selectors.training_for_public(public_id, request.user)
    existing = Registration.objects.filter(
        training=training, user=request.user, status__in=Registration.ACTIVE
    ).first()
    if existing is not None:
        messages.info(request, _("Anda sudah terdaftar di pelatihan ini."))
        return redirect("trainings:ticket", existing.public_id)
    refusal = services.registration_refusal(training)
    if refusal:
        messages.warning(request, refusal)
        return redirect("trainings:detail", training.public_id)
    if not permissions.can_register_for_training(request.user):
        messages.warning(request, _("Verifikasi email Anda dulu sebelum mendaftar pelatihan."))
        return redirect("accounts:resend_verification")
    categories = selectors.categories_with_counts(training)
    initial = services.applicant_defaults(request.user)
    if initial.get("kelurahan") is not None:
        initial["kelurahan"] = str(initial["kelurahan"].pk)
    form = RegistrationForm(
        request.POST or None,
        training=training,
        categories=categories,
        initial=initial,
        offer_save_phone=services.may_offer_phone_for_profile(request.user),
        questions=services.questions_of(training),
        profile_missing=_profile_missing(request.user, training),
    )
    if request.method == "POST" and form.is_valid():
        applicant = form.applicant(request.user.email)
        try:
            registration = services.register(
                request.user,
                training,
                applicant,
                category=form.chosen_category(),
                answers=form.answers(),
            )
        except DomainError as exc:
            if exc.code == "already_registered":
                messages.info(request, exc.message)
                return redirect("trainings:my_trainings")
            form.add_error(exc.field if exc.field in form.fields else None, exc.message)
        else:
            messages.success(request, _status_message(registration))
            if form.cleaned_data.get("save_phone"):
                if services.save_phone_to_profile(request.user, registration.phone):
                    messages.info(request, _("Nomor WhatsApp disimpan di profil Anda."))
                else:
                    messages.warning(
                        request, _("Nomor WhatsApp tidak disimpan: sudah dipakai akun lain.")
                    )
            if form.cleaned_data.get("save_profile") and services.save_missing_to_profile(
                request.user, applicant, form.profile_missing
            ):
                messages.info(request, _("Data Anda disimpan juga di profil."))
            return redirect("trainings:ticket", registration.public_id)
    return render(
        request,
        "trainings/register.html",
        {"training": training, "form": form, "categories": categories},
    )


def _profile_missing(user, training) -> list[str]:
    """The training's required profile fields the person's creator profile lacks and could
    hold (the registration form offers to save them there); no query when none is required."""
    wanted = [
        n
        for n in services.required_profile_fields(training)
        if n in ("gender", "kelurahan", "birth_year")
    ]
    if not wanted:
        return []
    profile = services.creator_profile_of(user)
    if profile is None:
        return wanted if permissions.is_creator(user) else []
    return [n for n in wanted if not getattr(profile, n)]


def _status_message(registration) -> str:
    if registration.status == Status.CONFIRMED:
        return _("Pendaftaran terkonfirmasi. Ini tiket Anda; kami juga mengirimnya lewat email.")
    if registration.status == Status.WAITLISTED:
        return _(
            "Kursi sudah penuh; Anda masuk daftar tunggu. Kami kabari lewat email bila ada "
            "kursi untuk Anda."
        )
    return _("Pendaftaran diterima dan menunggu seleksi penyelenggara.")


@login_required
def my_trainings(request):
    registrations = selectors.my_registrations(request.user)
    running = (Training.Status.PUBLISHED, Training.Status.CLOSED)
    active = [
        r for r in registrations if r.status in Registration.ACTIVE and r.training.status in running
    ]
    past = [r for r in registrations if r not in active]
    return render(request, "trainings/my_trainings.html", {"active": active, "past": past})


def home_panel(request) -> dict:
    return {"trainings": selectors.upcoming(limit=3)}
