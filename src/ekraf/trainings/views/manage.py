"""The organiser's pages for a training: list, create/edit/duplicate, status, messages, participants, papers and report."""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from ekraf.accounts import permissions
from ekraf.core import spreadsheets
from ekraf.core.errors import DomainError, NotAllowed
from ekraf.core.models import Space

from .. import papers, selectors, services
from ..forms import (
    CancelTrainingForm,
    CategoryFormSet,
    DuplicateTrainingForm,
    GroupMessageForm,
    RegisterOtherForm,
    SessionFormSet,
    TrainingForm,
    category_initial,
    session_initial,
)
from ..models import Attendance, Registration, Training
from .base import Status, _city_short_name, _pdf, organiser_page


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
    sheet = papers.participants_sheet(
        training,
        rows,
        list(training.sessions.all()),
        list(training.questions.all()),
        selectors.answers_by_registration(training),
    )
    audit(request.user, "training.participants.export", training, request=request)
    # Written row by row to a temporary file and sent from there, as every export is.
    return spreadsheets.xlsx_response(f"peserta-{slugify(training.title)[:50]}.xlsx", [sheet])


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
