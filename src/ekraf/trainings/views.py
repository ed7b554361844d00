"""Pages of the trainings app: the public catalogue and tickets, and the organiser's pages.

Views parse input, call a service or selector, and render. Domain errors become form errors or
messages; NotFound and NotAllowed become the 404 and 403 pages.
"""

from __future__ import annotations

import functools
from datetime import timedelta
from urllib.parse import quote

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.core import signing
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from ekraf.accounts import permissions
from ekraf.core.errors import DomainError, NotAllowed, NotFound, domain_pages
from ekraf.core.models import Space
from ekraf.core.selectors import current_city

from . import calendar, notices, papers, selectors, services, tickets
from .forms import (
    CancelTrainingForm,
    CatalogueFilterForm,
    CategoryFormSet,
    CheckinForm,
    DuplicateTrainingForm,
    FeedbackForm,
    GroupMessageForm,
    RegisterOtherForm,
    RegistrationForm,
    ScoreImportForm,
    SessionFormSet,
    TrainingForm,
    category_initial,
    session_initial,
)
from .imports import LIMITS, ImportFileError, read_upload
from .models import Attendance, Registration, Training

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


# =============================================================================================
# Public: catalogue, detail, calendar, registration, tickets
# =============================================================================================


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


def _ticket_context(request, registration, *, via_link_token=None):
    training = registration.training
    sessions = list(training.sessions.select_related("space"))
    now = timezone.now()
    deadline = services.cancellation_deadline(training, sessions[0].starts_at if sessions else None)
    is_owner = request.user.is_authenticated and request.user.pk == registration.user_id
    if via_link_token:
        qr_url = reverse("trainings:ticket_link_qr", args=[via_link_token])
        pdf_url = reverse("trainings:ticket_link_pdf", args=[via_link_token])
    else:
        qr_url = reverse("trainings:ticket_qr", args=[registration.public_id])
        pdf_url = reverse("trainings:ticket_pdf", args=[registration.public_id])
    can_cancel = (
        is_owner
        and registration.status in Registration.ACTIVE
        and (deadline is None or now <= deadline)
    )
    return {
        "registration": registration,
        "training": training,
        "sessions": sessions,
        "code_grouped": notices.display_code(registration.ticket_code),
        "qr_url": qr_url,
        "pdf_url": pdf_url,
        "is_owner": is_owner,
        "can_cancel": can_cancel,
        "deadline": deadline,
        "position": selectors.waitlist_position(registration),
        "feedback_open": is_owner and services.feedback_refusal(registration) is None,
        "has_feedback": hasattr(registration, "feedback"),
        "now": now,
    }


@login_required
@domain_pages
def ticket(request, public_id):
    registration = selectors.registration_for(request.user, public_id)
    return render(request, "trainings/ticket.html", _ticket_context(request, registration))


def _confirmed_or_404(registration):
    if registration.status != Status.CONFIRMED:
        raise Http404


@login_required
@domain_pages
def ticket_qr(request, public_id):
    registration = selectors.registration_for(request.user, public_id)
    _confirmed_or_404(registration)
    if request.GET.get("format") == "png":
        return _png(tickets.qr_png(registration.ticket_code))
    return _svg(tickets.qr_svg(registration.ticket_code))


@login_required
@domain_pages
def ticket_pdf(request, public_id):
    registration = selectors.registration_for(request.user, public_id)
    return _ticket_pdf_response(registration)


def _ticket_pdf_response(registration):
    _confirmed_or_404(registration)
    sessions = list(registration.training.sessions.select_related("space"))
    pdf = tickets.ticket_pdf(registration, sessions, _platform_name())
    return _pdf(pdf, f"tiket-{registration.ticket_code}.pdf")


def _registration_from_link(token):
    try:
        public_id = signing.loads(token, salt=notices.TICKET_LINK_SALT)
    except signing.BadSignature as exc:
        raise Http404 from exc
    try:
        return selectors.registration_by_public_id(public_id)
    except NotFound as exc:
        raise Http404 from exc


@never_cache
def ticket_link(request, token):
    """The ticket from the e-mail link: works without signing in (the link is the key)."""
    registration = _registration_from_link(token)
    context = _ticket_context(request, registration, via_link_token=token)
    return render(request, "trainings/ticket.html", context)


def ticket_link_qr(request, token):
    registration = _registration_from_link(token)
    _confirmed_or_404(registration)
    if request.GET.get("format") == "png":
        return _png(tickets.qr_png(registration.ticket_code))
    return _svg(tickets.qr_svg(registration.ticket_code))


def ticket_link_pdf(request, token):
    return _ticket_pdf_response(_registration_from_link(token))


@login_required
@require_POST
@domain_pages
def cancel(request, public_id):
    registration = selectors.registration_for(request.user, public_id)
    try:
        services.cancel_registration(
            request.user, registration, reason=request.POST.get("reason", "")
        )
    except DomainError as exc:
        messages.error(request, exc.message)
        return redirect("trainings:ticket", registration.public_id)
    messages.success(request, _("Pendaftaran Anda dibatalkan. Terima kasih sudah memberi kabar."))
    return redirect("trainings:my_trainings")


@login_required
@require_POST
@domain_pages
def respond_offer(request, public_id):
    registration = selectors.registration_for(request.user, public_id)
    try:
        if request.POST.get("answer") == "terima":
            services.accept_offer(registration, actor=request.user)
            messages.success(request, _("Kursi Anda terkonfirmasi. Sampai jumpa!"))
        else:
            services.decline_offer(registration, actor=request.user)
            messages.info(request, _("Tawaran ditolak; kursi diberikan ke peserta berikutnya."))
    except DomainError as exc:
        messages.error(request, exc.message)
    return redirect("trainings:ticket", registration.public_id)


@never_cache
def offer(request, token, action):
    """Accept/decline links from the offer e-mail. GET only shows a button (mail scanners
    follow links); POST acts. The signed link is the key, so no sign-in is needed."""
    if action not in ("terima", "tolak"):
        raise Http404
    error = None
    registration = None
    try:
        registration = services.load_offer(token)
    except DomainError as exc:
        error = exc.message
    if request.method == "POST" and registration is not None:
        try:
            if action == "terima":
                services.accept_offer(registration)
                messages.success(request, _("Kursi Anda terkonfirmasi. Sampai jumpa!"))
            else:
                services.decline_offer(registration)
                messages.info(request, _("Tawaran ditolak. Terima kasih sudah memberi kabar."))
            return redirect(
                "trainings:ticket_link",
                signing.dumps(registration.public_id, salt=notices.TICKET_LINK_SALT),
            )
        except DomainError as exc:
            error = exc.message
    return render(
        request,
        "trainings/offer.html",
        {"registration": registration, "action": action, "error": error},
        status=200 if error is None else 409,
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
    from .models import Session

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


def home_panel(request) -> dict:
    return {"trainings": selectors.upcoming(limit=3)}


# =============================================================================================
# Organiser pages (/kelola/pelatihan/…)
# =============================================================================================


@organiser_page
def manage_list(request):
    status = request.GET.get("status", "")
    if status not in Training.Status.values:
        status = ""
    trainings = selectors.organiser_trainings(
        request.user, status=status, q=request.GET.get("q", "")
    )
    page = Paginator(trainings, 25).get_page(request.GET.get("halaman"))
    return render(
        request,
        "trainings/manage/list.html",
        {
            "page": page,
            "trainings": page.object_list,
            "status": status,
            "statuses": Training.Status.choices,
        },
    )


def _organiser_agencies(user):
    from ekraf.core.models import Agency

    ids = permissions.organiser_agency_ids(user)
    qs = Agency.objects.filter(is_active=True, kind=Agency.Kind.AGENCY)
    return qs if ids is None else qs.filter(pk__in=ids)


def _training_form_page(request, training=None):
    past_warning = ""
    agencies = list(_organiser_agencies(request.user)) if training is None else None
    data = request.POST if request.method == "POST" else None
    form = TrainingForm(data, instance=training, agencies=agencies)
    sessions = SessionFormSet(
        data, prefix="sesi", initial=session_initial(training) if training else None
    )
    categories = CategoryFormSet(
        data,
        prefix="kategori",
        initial=category_initial(training) if training else [{"name": _("Umum"), "seats": 30}],
    )
    if (
        request.method == "POST"
        and form.is_valid()
        and sessions.is_valid()
        and categories.is_valid()
    ):
        spaces = {s.pk: s for s in Space.objects.all()}
        session_inputs = [
            f.to_input(spaces)
            for f in sessions.forms
            if f.has_changed() or f.cleaned_data.get("id")
        ]
        category_inputs = [f.to_input() for f in categories.forms if f.cleaned_data]
        try:
            if training is None:
                if not agencies:
                    raise NotAllowed(_("Anda bukan penyelenggara perangkat daerah mana pun."))
                agency = form.cleaned_data.get("agency") or agencies[0]
                training = services.create_training(
                    request.user,
                    agency=agency,
                    fields=form.training_fields(),
                    sessions=session_inputs,
                    categories=category_inputs,
                    subsectors=form.cleaned_data.get("subsectors"),
                )
                messages.success(
                    request, _("Pelatihan tersimpan sebagai draf. Periksa lalu umumkan.")
                )
            else:
                services.update_training(
                    request.user,
                    training,
                    fields=form.training_fields(),
                    sessions=session_inputs,
                    categories=category_inputs,
                    subsectors=form.cleaned_data.get("subsectors"),
                    confirm_past=request.POST.get("confirm_past") == "1",
                )
                messages.success(request, _("Perubahan tersimpan."))
            return redirect("trainings:manage_detail", training.public_id)
        except NotAllowed:
            raise
        except DomainError as exc:
            if exc.code == "session_in_past":
                past_warning = exc.message
            else:
                form.add_error(exc.field if exc.field in form.fields else None, exc.message)
    return render(
        request,
        "trainings/manage/form.html",
        {
            "form": form,
            "sessions": sessions,
            "categories": categories,
            "training": training,
            "past_warning": past_warning,
        },
    )


@organiser_page
def manage_create(request):
    return _training_form_page(request)


@organiser_page
def manage_edit(request, public_id):
    training = selectors.training_for_manager(request.user, public_id)
    if training.status in (Training.Status.FINISHED, Training.Status.CANCELLED):
        messages.warning(
            request, _("Pelatihan yang sudah selesai atau dibatalkan tidak bisa diubah.")
        )
        return redirect("trainings:manage_detail", training.public_id)
    return _training_form_page(request, training)


@organiser_page
def manage_message(request, public_id):
    """A message to a group through the outbox; afterwards the wa.me links and the numbers the
    organiser may see (contact consent), to send the same text by WhatsApp."""
    from ekraf.core.notifications import wa_link

    training = selectors.training_for_manager(request.user, public_id)
    form = GroupMessageForm(request.POST or None, initial={"group": "confirmed"})
    sent = None
    if request.method == "POST" and form.is_valid():
        try:
            sent = services.message_group(
                request.user,
                training,
                form.cleaned_data["group"],
                form.cleaned_data["subject"],
                form.cleaned_data["body"],
            )
        except DomainError as exc:
            form.add_error(exc.field if exc.field in form.fields else None, exc.message)
        else:
            selectors.hide_contacts(request.user, sent)
            text = f"{training.title}: {form.cleaned_data['body']}"
            for r in sent:
                r.wa = wa_link(text, r.phone) if r.phone else ""
            messages.success(
                request, _("Pesan masuk antrean untuk %(n)s peserta.") % {"n": len(sent)}
            )
    return render(
        request,
        "trainings/manage/message.html",
        {
            "training": training,
            "form": form,
            "sent": sent,
            "numbers": "\n".join(r.phone for r in sent or [] if r.phone),
            "hidden": sum(1 for r in sent or [] if r.contact_hidden),
        },
    )


@organiser_page
def manage_duplicate(request, public_id):
    """*Duplikat*: the same training on new dates, as a draft to check and publish."""
    training = selectors.training_for_manager(request.user, public_id)
    first = training.sessions.order_by("starts_at").first()
    form = DuplicateTrainingForm(
        request.POST or None,
        initial={
            "title": training.title,
            "first_day": (timezone.localdate(first.starts_at) + timedelta(days=28))
            if first
            else None,
        },
    )
    if request.method == "POST" and form.is_valid():
        try:
            copy = services.duplicate_training(
                request.user,
                training,
                first_day=form.cleaned_data["first_day"],
                title=form.cleaned_data["title"],
            )
        except DomainError as exc:
            form.add_error(exc.field if exc.field in form.fields else None, exc.message)
        else:
            messages.success(request, _("Salinan tersimpan sebagai draf. Periksa lalu umumkan."))
            return redirect("trainings:manage_edit", copy.public_id)
    return render(request, "trainings/manage/duplicate.html", {"training": training, "form": form})


@organiser_page
def manage_detail(request, public_id):
    training = selectors.training_for_manager(request.user, public_id)
    summary = selectors.with_summary(Training.objects.filter(pk=training.pk)).get()
    return render(
        request,
        "trainings/manage/detail.html",
        {
            "training": training,
            "summary": summary,
            "sessions": list(training.sessions.all()),
            "categories": selectors.categories_with_counts(training),
            "public_url": settings.BASE_URL
            + reverse("trainings:detail", args=[training.public_id]),
            "now": timezone.now(),
        },
    )


@organiser_page
@require_POST
def manage_status(request, public_id):
    training = selectors.training_for_manager(request.user, public_id)
    action = request.POST.get("action")
    actions = {
        "publish": (services.publish_training, _("Pelatihan diumumkan; pendaftaran dibuka.")),
        "close": (services.close_registration, _("Pendaftaran ditutup.")),
        "reopen": (services.publish_training, _("Pendaftaran dibuka kembali.")),
        "finish": (
            services.finish_training,
            _("Pelatihan dinyatakan selesai; kelulusan dihitung."),
        ),
    }
    if action not in actions:
        raise Http404
    function, success = actions[action]
    try:
        function(request.user, training)
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, success)
    return redirect("trainings:manage_detail", training.public_id)


@organiser_page
def manage_cancel(request, public_id):
    training = selectors.training_for_manager(request.user, public_id)
    form = CancelTrainingForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            told = services.cancel_training(request.user, training, form.cleaned_data["reason"])
        except DomainError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(
                request, _("Pelatihan dibatalkan; %(n)s pendaftar diberi tahu.") % {"n": told}
            )
            return redirect("trainings:manage_detail", training.public_id)
    active = training.registrations.filter(status__in=Registration.ACTIVE).count()
    return render(
        request,
        "trainings/manage/cancel.html",
        {"training": training, "form": form, "active": active},
    )


@organiser_page
def manage_participants(request, public_id):
    training = selectors.training_for_manager(request.user, public_id)
    if request.method == "POST":
        _participant_action(request, training)
        return redirect(request.get_full_path())
    filters = selectors.ParticipantFilters(
        status=request.GET.get("status", "") if request.GET.get("status") in Status.values else "",
        category=request.GET.get("kategori", "")
        if request.GET.get("kategori", "").isdigit()
        else "",
        q=request.GET.get("q", "").strip()[:100],
    )
    rows = selectors.participants(training, filters, viewer=request.user)
    categories = selectors.categories_with_counts(training)
    return render(
        request,
        "trainings/manage/participants.html",
        {
            "training": training,
            "rows": rows,
            "sessions": list(training.sessions.all()),
            "categories": categories,
            "filters": filters,
            "statuses": Status.choices,
            "selection": training.selection_mode == Training.SelectionMode.SELECTION,
        },
    )


def _warn_certificate_basis(request, training) -> None:
    """After scores, completion or attendance change: name the issued e-certificates whose
    basis no longer holds, for the organiser to re-issue or revoke (one query)."""
    from ekraf.credentials.selectors import certificates_with_changed_basis

    changed = certificates_with_changed_basis(training)
    if changed:
        numbers = ", ".join(c.number for c in changed[:10])
        more = len(changed) - 10
        messages.warning(
            request,
            _(
                "Perhatian: %(n)s e-sertifikat yang sudah terbit tidak lagi sesuai dengan nilai "
                "atau kehadiran peserta: %(numbers)s%(more)s. Periksa di halaman e-sertifikat "
                "pelatihan, lalu terbitkan ulang atau cabut."
            )
            % {
                "n": len(changed),
                "numbers": numbers,
                "more": (_(" dan %(n)s lainnya") % {"n": more}) if more > 0 else "",
            },
        )


def _participant_action(request, training):
    """Row buttons send action="checkin:<registration>:<session>" or "undo:<attendance>";
    bulk buttons (selection mode) send confirm/waitlist/reject with the ticked ids;
    the participant page sends action="cancel" with a reason."""
    action, _sep, target = (request.POST.get("action") or "").replace("\x00", "").partition(":")
    try:
        if action == "checkin":
            registration_id, _sep, session_id = target.partition(":")
            registration = training.registrations.get(public_id=registration_id)
            session = selectors.session_of(training, session_id)
            result = services.check_in(
                request.user, session, registration.ticket_code, method=Attendance.Method.MANUAL
            )
            messages.success(request, result.message)
        elif action == "undo":
            attendance = Attendance.objects.select_related("session__training", "registration").get(
                pk=int(target), session__training=training
            )
            services.undo_check_in(request.user, attendance)
            messages.info(request, _("Check-in dibatalkan."))
            _warn_certificate_basis(request, training)
        elif action in ("confirm", "waitlist", "reject"):
            ids = [int(i) for i in request.POST.getlist("ids") if i.isdigit()]
            n = services.decide_applications(request.user, training, ids, action)
            messages.success(request, _("%(n)s pendaftar diputuskan.") % {"n": n})
        elif action == "cancel":
            registration = training.registrations.select_related(
                "training__agency", "category", "user"
            ).get(public_id=target)
            services.cancel_registration(
                request.user, registration, reason=request.POST.get("reason", "")
            )
            messages.success(
                request, _("Pendaftaran %(name)s dibatalkan.") % {"name": registration.full_name}
            )
        else:
            messages.error(request, _("Tindakan tidak dikenal."))
    except (Registration.DoesNotExist, Attendance.DoesNotExist, ValueError):
        messages.error(request, _("Data tidak ditemukan."))
    except DomainError as exc:
        messages.error(request, exc.message)


@organiser_page
def manage_participant(request, public_id, registration_id):
    training = selectors.training_for_manager(request.user, public_id)
    registration = selectors.participant(request.user, training, registration_id)
    if registration is None:
        raise Http404
    if request.method == "POST":
        _participant_action(request, training)
        return redirect(request.path)
    attendances = {a.session_id: a for a in registration.attendances.all()}
    sessions = [(s, attendances.get(s.pk)) for s in training.sessions.all()]
    return render(
        request,
        "trainings/manage/participant.html",
        {
            "training": training,
            "registration": registration,
            "sessions": sessions,
            "messages_sent": registration.messages,
            "answers": list(
                registration.answers.select_related("question").order_by(
                    "question__position", "question__pk"
                )
            ),
            "feedback": getattr(registration, "feedback", None)
            if hasattr(registration, "feedback")
            else None,
        },
    )


@organiser_page
def manage_register_other(request, public_id):
    training = selectors.training_for_manager(request.user, public_id)
    categories = list(training.categories.all())
    form = RegisterOtherForm(request.POST or None, categories=categories)
    if request.method == "POST" and form.is_valid():
        who = form.cleaned_data["who"].strip()
        User = get_user_model()
        user = (
            User.objects.filter(Q(email__iexact=who) | Q(creator_profile__public_id=who.upper()))
            .filter(is_active=True)
            .first()
        )
        if user is None:
            form.add_error("who", _("Akun dengan email atau ID itu tidak ditemukan."))
        else:
            category = next(c for c in categories if str(c.pk) == form.cleaned_data["category"])
            defaults = services.applicant_defaults(user, viewer=request.user)
            applicant = services.Applicant(
                full_name=defaults.get("full_name") or user.display_name,
                phone=defaults.get("phone", ""),
                email=defaults.get("email", ""),
                gender=defaults.get("gender", ""),
                birth_year=defaults.get("birth_year"),
                kelurahan=defaults.get("kelurahan"),
                origin=defaults.get("origin", ""),
                audience=defaults.get("audience", Registration.Audience.PUBLIC),
            )
            try:
                registration = services.register(
                    request.user, training, applicant, category=category, user=user
                )
            except DomainError as exc:
                form.add_error(exc.field if exc.field in form.fields else None, exc.message)
            else:
                messages.success(
                    request,
                    _("%(name)s terdaftar: %(status)s.")
                    % {"name": registration.full_name, "status": registration.get_status_display()},
                )
                return redirect("trainings:manage_participants", training.public_id)
    return render(
        request, "trainings/manage/register_other.html", {"training": training, "form": form}
    )


@organiser_page
def manage_participants_xlsx(request, public_id):
    from ekraf.core.services import audit

    training = selectors.training_for_manager(request.user, public_id)
    rows = selectors.participants(training, viewer=request.user)
    content = papers.participants_xlsx(
        training,
        rows,
        list(training.sessions.all()),
        list(training.questions.all()),
        selectors.answers_by_registration(training),
    )
    audit(request.user, "training.participants.export", training, request=request)
    response = HttpResponse(
        content, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    filename = f"peserta-{slugify(training.title)[:50]}.xlsx"
    response["Content-Disposition"] = content_disposition_header(True, filename)
    response["Cache-Control"] = "private, no-store"
    return response


@organiser_page
def manage_attendance_sheet(request, public_id, session_id):
    training = selectors.training_for_manager(request.user, public_id)
    session = selectors.session_of(training, session_id)
    rows = selectors.sheet_rows(session)
    pdf = papers.attendance_sheet_pdf(
        session, rows, city_short_name=_city_short_name(), signer=request.user.display_name
    )
    date = timezone.localtime(session.starts_at).strftime("%Y%m%d")
    return _pdf(pdf, f"daftar-hadir-{slugify(training.title)[:40]}-{date}.pdf")


@organiser_page
def manage_report(request, public_id):
    training = selectors.training_for_manager(request.user, public_id)
    pdf = papers.report_pdf(
        selectors.report(training),
        city_short_name=_city_short_name(),
        signer=request.user.display_name,
    )
    return _pdf(pdf, f"laporan-{slugify(training.title)[:50]}.pdf")


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


def _score_text(value) -> str:
    if value is None:
        return ""
    return f"{value:.2f}".rstrip("0").rstrip(".")


@organiser_page
def manage_scores(request, public_id):
    training = selectors.training_for_manager(request.user, public_id)
    rows = selectors.score_grid(training)
    for r in rows:
        r.pre_input, r.post_input = _score_text(r.pre_test_score), _score_text(r.post_test_score)
    errors = {}
    if request.method == "POST":
        scores = {
            r.pk: (request.POST.get(f"pre_{r.pk}", ""), request.POST.get(f"post_{r.pk}", ""))
            for r in rows
        }
        try:
            changed = services.save_score_grid(request.user, training, scores)
        except DomainError as exc:
            for r in rows:  # keep what was typed
                r.pre_input, r.post_input = scores[r.pk]
            errors["grid"] = exc.message
        else:
            messages.success(request, _("%(n)s nilai peserta tersimpan.") % {"n": changed})
            _warn_certificate_basis(request, training)
            return redirect("trainings:manage_scores", training.public_id)
    return render(
        request,
        "trainings/manage/scores.html",
        {
            "training": training,
            "rows": rows,
            "sessions_total": len(training.sessions.all()),
            "import_form": ScoreImportForm(),
            "errors": errors,
        },
    )


def _import_key(training) -> str:
    return f"trainings.score_import.{training.public_id}"


SCORE_SHEET = "trainings.scores"


@organiser_page
def manage_score_import(request, public_id):
    """Upload → preview (which attempt counts can be changed on the preview) → save. The file
    waits as a StoredSheet (core.spreadsheets), only its id in the session."""
    from ekraf.core import spreadsheets

    training = selectors.training_for_manager(request.user, public_id)
    if request.method != "POST":
        return redirect("trainings:manage_scores", training.public_id)
    key = _import_key(training)
    step = request.POST.get("step")
    if step in ("apply", "repreview"):
        kept = request.session.get(key) or {}
        sheet = spreadsheets.stored(request.user, SCORE_SHEET, kept.get("sheet", ""))
        if sheet is None:
            messages.error(request, _("Pratinjau sudah kedaluwarsa; unggah ulang berkasnya."))
            return redirect("trainings:manage_scores", training.public_id)
        attempt = request.POST.get("attempt") or kept.get("attempt", "latest")
        try:
            with sheet.file.open("rb") as fh:
                rows = read_upload(fh)
            preview = services.preview_score_import(
                request.user, training, rows, kept["test"], attempt
            )
            if step == "repreview":
                request.session[key] = {**kept, "attempt": preview.attempt}
                return render(
                    request,
                    "trainings/manage/score_import.html",
                    {
                        "training": training,
                        "preview": preview,
                        "form": None,
                        "attempt_choices": services.attempt_choices(),
                    },
                )
            n = services.apply_score_import(
                request.user,
                training,
                preview,
                skip_problems=request.POST.get("skip_problems") == "1",
            )
        except (DomainError, ImportFileError) as exc:
            messages.error(request, getattr(exc, "message", None) or str(exc))
            return redirect("trainings:manage_scores", training.public_id)
        spreadsheets.discard(sheet)
        del request.session[key]
        messages.success(request, _("%(n)s nilai diimpor.") % {"n": n})
        _warn_certificate_basis(request, training)
        return redirect("trainings:manage_scores", training.public_id)
    form = ScoreImportForm(request.POST, request.FILES)
    preview = None
    if form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            rows = read_upload(upload)
            preview = services.preview_score_import(
                request.user,
                training,
                rows,
                form.cleaned_data["test"],
                form.cleaned_data["attempt"] or "latest",
            )
            sheet = spreadsheets.keep(request.user, SCORE_SHEET, upload, LIMITS)
        except ImportFileError as exc:
            form.add_error("file", str(exc))
        except DomainError as exc:
            form.add_error("file", exc.message)
        else:
            old = request.session.get(key) or {}
            spreadsheets.discard(spreadsheets.stored(request.user, SCORE_SHEET, old.get("sheet")))
            request.session[key] = {
                "sheet": sheet.public_id,
                "test": form.cleaned_data["test"],
                "attempt": form.cleaned_data["attempt"] or "latest",
            }
    return render(
        request,
        "trainings/manage/score_import.html",
        {
            "training": training,
            "form": form,
            "preview": preview,
            "attempt_choices": services.attempt_choices(),
        },
    )


@organiser_page
@require_POST
def manage_completion(request, public_id):
    training = selectors.training_for_manager(request.user, public_id)
    try:
        counts = services.compute_completion(request.user, training)
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(
            request,
            _("Kelulusan dihitung: %(ok)s lulus, %(no)s belum lulus.")
            % {"ok": counts["completed"], "no": counts["not_completed"]},
        )
        _warn_certificate_basis(request, training)
    return redirect("trainings:manage_scores", training.public_id)


@organiser_page
def manage_feedback(request, public_id):
    from ekraf.insights import charts

    training = selectors.training_for_manager(request.user, public_id)
    summary = selectors.feedback_summary(training)
    rated = [a for a in summary.aspects if a.count]
    averages = (
        charts.bars(
            "fb-rata",
            _("Rata-rata penilaian per aspek (1–5)"),
            [(a.label, float(a.average)) for a in rated],
        )
        if rated
        else ""
    )
    aspect_charts = [
        (
            a,
            charts.bars(
                f"fb-{a.key}",
                _("Sebaran nilai %(aspect)s") % {"aspect": a.label.lower()},
                [(f"{rating} ★", n) for rating, n in a.distribution],
            ),
        )
        for a in rated
    ]
    return render(
        request,
        "trainings/manage/feedback.html",
        {
            "training": training,
            "summary": summary,
            "averages_chart": averages,
            "aspect_charts": aspect_charts,
        },
    )
