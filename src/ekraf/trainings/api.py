"""The trainings API: catalogue, creating trainings, their registration questions, registering,
cancelling, check-in, scores.

Thin like the pages: parse, call a service or selector, answer. Every refusal is a DomainError
that api/api.py turns into a 4xx JSON answer ({"code", "detail"}); identifiers in paths are the
public ids (random), never database ids.
"""

from typing import Literal

from django.db.models import Prefetch
from django.utils.translation import gettext as _
from ninja import Field, Router, Schema, Status
from ninja.pagination import LimitOffsetPagination, paginate

from ekraf.accounts import permissions
from ekraf.accounts import services as account_services
from ekraf.api.auth import authenticated
from ekraf.api.errors import ErrorOut
from ekraf.core.errors import DomainError, NotFound
from ekraf.core.models import Agency, Region, Space

from . import notices, selectors, services
from .models import Attendance, Registration, Session, Training
from .schemas import (
    ERRORS,
    CategoryOut,
    CheckinIn,
    CheckinOut,
    QuestionOut,
    QuestionsIn,
    RegistrationIn,
    RegistrationOut,
    ScoresIn,
    ScoresOut,
    SessionOut,
    TrainingCancelIn,
    TrainingIn,
    TrainingItem,
    TrainingOut,
    training_url,
)

router = Router(tags=["Pelatihan"])


def _viewer(request):
    """The caller on public endpoints: a valid token's user, the session's user, or None."""
    header = request.headers.get("Authorization", "")
    if header.lower().startswith("bearer "):
        user = account_services.user_for_token(header[7:].strip())
        if user is not None:
            return user
    user = getattr(request, "user", None)
    return user if user is not None and user.is_authenticated else None


# --- helpers ---------------------------------------------------------------------------------


def _training_out(training: Training, viewer=None) -> TrainingOut:
    manager = permissions.can_manage_training(viewer, training)
    sessions = list(training.sessions.all())
    return TrainingOut(
        id=training.public_id,
        title=training.title,
        kind=training.kind,
        status=training.status,
        agency=training.agency.code,
        agency_name=training.agency.name,
        audience=training.audience,
        description=training.description,
        learning_outcomes=training.learning_outcomes,
        hours=training.hours,
        selection_mode=training.selection_mode,
        registration_opens_at=training.registration_opens_at,
        registration_closes_at=training.registration_closes_at,
        cancellation_deadline=services.cancellation_deadline(
            training, sessions[0].starts_at if sessions else None
        ),
        completion_min_attendance=training.completion_min_attendance,
        completion_min_post_test=training.completion_min_post_test,
        url=training_url(training),
        sessions=[
            SessionOut(
                id=s.public_id,
                title=s.title,
                starts_at=s.starts_at,
                ends_at=s.ends_at,
                place=notices.place_of(s, reveal_link=manager),
                space=s.space.code if s.space_id else None,
                online=bool(s.online_url),
            )
            for s in sessions
        ],
        categories=[
            CategoryOut(
                id=c.pk,
                name=c.name,
                seats=c.seats,
                seats_left=c.left,
                waiting=c.waiting,
                audience=c.audience,
                residents_only=c.residents_only,
                min_age=c.min_age,
                max_age=c.max_age,
            )
            for c in selectors.categories_with_counts(training)
        ],
        required_profile_fields=services.required_profile_fields(training),
        questions=[
            QuestionOut(
                id=q.pk,
                kind=q.kind,
                label=q.label,
                help_text=q.help_text,
                choices=list(q.choices),
                required=q.required,
            )
            for q in services.questions_of(training)
        ],
    )


def _registration_out(registration: Registration) -> RegistrationOut:
    return RegistrationOut(
        id=registration.public_id,
        training=registration.training.public_id,
        status=registration.status,
        category=registration.category.name,
        full_name=registration.full_name,
        ticket_code=registration.ticket_code,
        ticket_url=notices.ticket_link(registration),
        waitlist_position=selectors.waitlist_position(registration),
        offer_expires_at=registration.offer_expires_at,
        created_at=registration.created_at,
    )


def _load_training(training_id: str) -> Training:
    if not selectors.is_public_id(training_id):
        raise NotFound(_("Pelatihan tidak ditemukan."))
    training = (
        services.with_has_questions(Training.objects)
        .select_related("agency")
        .prefetch_related(Prefetch("sessions", queryset=Session.objects.select_related("space")))
        .filter(public_id=training_id)
        .first()
    )
    if training is None:
        raise NotFound(_("Pelatihan tidak ditemukan."))
    return training


# --- endpoints -------------------------------------------------------------------------------


class Paging(LimitOffsetPagination):
    """Limit and offset bounded, so no value a client sends overflows the database."""

    class Input(Schema):
        limit: int = Field(50, ge=1, le=200)
        offset: int = Field(0, ge=0, le=1_000_000)

    def __init__(self, **kwargs):
        super().__init__(max_limit=200, **kwargs)


@router.get(
    "/trainings",
    response=list[TrainingItem],
    auth=None,
    summary="Katalog pelatihan (yang diumumkan; penyelenggara: mine=true untuk semua miliknya)",
)
@paginate(Paging)
def list_trainings(
    request,
    q: str = "",
    kind: Training.Kind | None = None,
    agency: str = "",
    when: Literal["mendatang", "lalu"] = "mendatang",
    open_only: bool = False,
    mine: bool = False,
):
    if "\x00" in q or "\x00" in agency:
        raise DomainError(_("Karakter NUL tidak diperbolehkan."), code="invalid")
    viewer = _viewer(request)
    if mine:
        if viewer is None:
            raise DomainError(
                "Perlu masuk untuk melihat pelatihan milik Anda.", code="unauthenticated"
            )
        return selectors.organiser_trainings(viewer, q=q)
    filters = selectors.CatalogueFilters(
        q=q, kind=kind or "", agency=agency, when=when, open_only=open_only
    )
    return selectors.catalogue(filters)


@router.post(
    "/trainings",
    response={201: TrainingOut, **ERRORS},
    auth=authenticated,
    summary="Buat pelatihan (penyelenggara perangkat daerah itu)",
)
def create_training(request, payload: TrainingIn):
    agency = Agency.objects.filter(code=payload.agency).first()
    if agency is None:
        raise NotFound(_("Perangkat daerah tidak ditemukan."), field="agency")
    spaces = {
        s.code: s
        for s in Space.objects.filter(code__in=[x.space for x in payload.sessions if x.space])
    }
    sessions = []
    for s in payload.sessions:
        if s.space and s.space not in spaces:
            raise NotFound(
                _("Ruang '%(code)s' tidak ditemukan.") % {"code": s.space}, field="sessions"
            )
        sessions.append(
            services.SessionInput(
                starts_at=s.starts_at,
                ends_at=s.ends_at,
                title=s.title,
                space=spaces.get(s.space) if s.space else None,
                address=s.address,
                online_url=s.online_url,
                self_checkin=s.self_checkin,
            )
        )
    categories = [
        services.CategoryInput(
            name=c.name,
            seats=c.seats,
            audience=c.audience,
            residents_only=c.residents_only,
            min_age=c.min_age,
            max_age=c.max_age,
        )
        for c in payload.categories
    ]
    fields = payload.dict(exclude={"agency", "sessions", "categories", "publish"})
    training = services.create_training(
        request.auth, agency=agency, fields=fields, sessions=sessions, categories=categories
    )
    if payload.publish:
        services.publish_training(request.auth, training)
    return Status(201, _training_out(_load_training(training.public_id), request.auth))


@router.get(
    "/trainings/{training_id}",
    response={200: TrainingOut, 404: ErrorOut},
    auth=None,
    summary="Satu pelatihan: sesi, kuota dan sisa kursi per kategori",
)
def get_training(request, training_id: str):
    viewer = _viewer(request)
    training = _load_training(training_id)
    if training.status == Training.Status.DRAFT and not permissions.can_manage_training(
        viewer, training
    ):
        raise NotFound(_("Pelatihan tidak ditemukan."))
    return _training_out(training, viewer)


@router.put(
    "/trainings/{training_id}/questions",
    response={200: TrainingOut, **ERRORS},
    auth=authenticated,
    summary="Atur pertanyaan pendaftaran dan data profil wajib (penyelenggara), sekaligus",
)
def put_questions(request, training_id: str, payload: QuestionsIn):
    """The organiser's questions page, by API: the same service, the same checks and messages
    (a choice question needs two choices, at most 20 questions, a closed training refused)."""
    training = _load_training(training_id)
    if training.status == Training.Status.DRAFT and not permissions.can_manage_training(
        request.auth, training
    ):
        raise NotFound(_("Pelatihan tidak ditemukan."))
    items = [services.QuestionInput(**question.model_dump()) for question in payload.questions]
    services.save_questions(request.auth, training, items, payload.required_profile_fields)
    return _training_out(_load_training(training_id), request.auth)


@router.post(
    "/trainings/{training_id}/registrations",
    response={201: RegistrationOut, **ERRORS},
    auth=authenticated,
    summary="Daftar: pelaku ekraf untuk diri sendiri, atau penyelenggara untuk seorang pelaku",
)
def register(request, training_id: str, payload: RegistrationIn):
    actor = request.auth
    training = _load_training(training_id)
    if training.status == Training.Status.DRAFT and not permissions.can_manage_training(
        actor, training
    ):
        raise NotFound(_("Pelatihan tidak ditemukan."))
    user = actor
    if payload.creator_id:
        from ekraf.creators.models import CreatorProfile

        permissions.require(
            permissions.can_register_others(actor, training),
            _("Hanya penyelenggara pelatihan ini yang bisa mendaftarkan orang lain."),
        )
        profile = (
            CreatorProfile.objects.select_related("user")
            .filter(public_id=payload.creator_id.upper(), deleted_at__isnull=True)
            .first()
        )
        if profile is None:
            raise NotFound(_("Pelaku ekraf tidak ditemukan."), field="creator_id")
        user = profile.user
    defaults = services.applicant_defaults(user, viewer=actor)
    kelurahan = defaults.get("kelurahan")
    if payload.kelurahan:
        kelurahan = Region.objects.filter(
            code=payload.kelurahan, level=Region.Level.VILLAGE
        ).first()
        if kelurahan is None:
            raise NotFound(_("Kelurahan tidak ditemukan."), field="kelurahan")

    def pick(name, fallback=""):
        value = getattr(payload, name)
        return value if value is not None else defaults.get(name, fallback)

    applicant = services.Applicant(
        full_name=pick("full_name"),
        phone=pick("phone"),
        email=user.email if user.pk == actor.pk else defaults.get("email", ""),
        gender=pick("gender"),
        birth_year=pick("birth_year", None),
        kelurahan=kelurahan,
        origin=pick("origin"),
        audience=pick("audience", Registration.Audience.PUBLIC) or Registration.Audience.PUBLIC,
        motivation=pick("motivation"),
    )
    # The service resolves the category among the training's own (one read, not two).
    registration = services.register(
        actor,
        training,
        applicant,
        category_id=payload.category_id,
        user=user,
        answers=payload.answers,
    )
    return Status(201, _registration_out(registration))


@router.post(
    "/registrations/{registration_id}/cancel",
    response={200: RegistrationOut, **ERRORS},
    auth=authenticated,
    summary="Batalkan pendaftaran (peserta sampai batas waktu, atau penyelenggara)",
)
def cancel_registration(request, registration_id: str, payload: TrainingCancelIn):
    registration = selectors.registration_for(request.auth, registration_id)
    registration = services.cancel_registration(request.auth, registration, reason=payload.reason)
    return _registration_out(registration)


@router.post(
    "/checkins",
    response={201: CheckinOut, 200: CheckinOut, **ERRORS},
    auth=authenticated,
    summary="Check-in tiket di satu sesi (201 baru; 200 sudah check-in, tidak mengubah apa pun)",
)
def check_in(request, payload: CheckinIn):
    session = (
        Session.objects.select_related("training").filter(public_id=payload.session_id).first()
        if selectors.is_public_id(payload.session_id)
        else None
    )
    if session is None:
        raise NotFound(_("Sesi tidak ditemukan."), field="session_id")
    result = services.check_in(
        request.auth, session, payload.ticket_code, method=Attendance.Method.SCAN
    )
    body = CheckinOut(
        status="checked_in" if result.outcome == "checked_in" else "already_checked_in",
        message=result.message,
        registration_id=result.registration.public_id,
        full_name=result.registration.full_name,
        category=result.registration.category.name,
        checked_in_at=result.attendance.checked_in_at,
    )
    return Status(201 if result.outcome == "checked_in" else 200, body)


@router.put(
    "/registrations/{registration_id}/scores",
    response={200: ScoresOut, **ERRORS},
    auth=authenticated,
    summary="Nilai pre-test/post-test seorang peserta (penyelenggara); kolom yang dikirim saja",
)
def put_scores(request, registration_id: str, payload: ScoresIn):
    registration = selectors.registration_for(request.auth, registration_id)
    sent = payload.model_fields_set
    registration = services.set_scores(
        request.auth,
        registration,
        pre=payload.pre_test_score if "pre_test_score" in sent else services.UNSET,
        post=payload.post_test_score if "post_test_score" in sent else services.UNSET,
    )
    registration.refresh_from_db(fields=["completed", "completion_reason"])
    return ScoresOut(
        id=registration.public_id,
        pre_test_score=registration.pre_test_score,
        post_test_score=registration.post_test_score,
        completed=registration.completed,
        completion_reason=registration.completion_reason,
    )
