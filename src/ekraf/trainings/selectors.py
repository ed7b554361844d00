"""Reads of the trainings app for pages, the API, papers and other apps, without N+1 queries.

Counts per training come from correlated subqueries rather than joins, so a training with many
sessions and registrations is still one row (joins would multiply the counts).
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal

from django.db.models import (
    Avg,
    Count,
    Exists,
    F,
    IntegerField,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
)
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext as _

from ekraf.accounts import permissions
from ekraf.core import ids
from ekraf.core.errors import NotFound
from ekraf.core.models import OutboxMessage

from .models import Attendance, Feedback, QuotaCategory, Registration, Session, Training

Status = Registration.Status
TStatus = Training.Status
PUBLIC_STATUSES = (TStatus.PUBLISHED, TStatus.CLOSED, TStatus.FINISHED, TStatus.CANCELLED)


def _count(qs: QuerySet):
    """A correlated COUNT(*) subquery (0 when there are no rows)."""
    return Coalesce(
        Subquery(
            qs.order_by()
            .values(qs.model._meta.get_field("training").attname)
            .annotate(n=Count("pk"))
            .values("n")[:1],
            output_field=IntegerField(),
        ),
        Value(0),
    )


def is_public_id(value: str) -> bool:
    """Shaped like our random ids (so a NUL byte or junk never reaches the database)."""
    return bool(value) and len(value) <= 16 and ids.is_valid(value)


def clean_text(value: str, limit: int = 100) -> str:
    """A search term from a query string: no NUL bytes, trimmed, bounded."""
    return (value or "").replace("\x00", "").strip()[:limit]


def with_summary(qs: QuerySet) -> QuerySet:
    """Trainings annotated with what a list needs: first/last session, number of sessions,
    seats, seats held, people waiting, and the place of the first session."""
    sessions = Session.objects.filter(training=OuterRef("pk"))
    first = sessions.order_by("starts_at")
    return qs.select_related("agency").annotate(
        first_start=Subquery(first.values("starts_at")[:1]),
        last_end=Subquery(sessions.order_by("-ends_at").values("ends_at")[:1]),
        first_space=Subquery(first.values("space__name")[:1]),
        first_address=Subquery(first.values("address")[:1]),
        first_online=Subquery(first.values("online_url")[:1]),
        session_count=_count(Session.objects.filter(training=OuterRef("pk"))),
        seats_total=Coalesce(
            Subquery(
                QuotaCategory.objects.filter(training=OuterRef("pk"))
                .order_by()
                .values("training_id")
                .annotate(n=Sum("seats"))
                .values("n")[:1]
            ),
            Value(0),
        ),
        seats_held=_count(
            Registration.objects.filter(training=OuterRef("pk"), status__in=Registration.HOLDS_SEAT)
        ),
        waiting=_count(
            Registration.objects.filter(training=OuterRef("pk"), status=Status.WAITLISTED)
        ),
        applied=_count(Registration.objects.filter(training=OuterRef("pk"), status=Status.APPLIED)),
    )


@dataclass
class CatalogueFilters:
    q: str = ""
    kind: str = ""
    agency: str = ""  # agency code
    subsector: str = ""  # subsector code
    month: str = ""  # YYYY-MM of the first session
    mode: str = ""  # "luring" | "daring"
    when: str = "mendatang"  # "mendatang" | "lalu"
    open_only: bool = False


def catalogue(filters: CatalogueFilters | None = None, now: datetime | None = None) -> QuerySet:
    """Public trainings, soonest first (upcoming) or latest first (past)."""
    filters = filters or CatalogueFilters()
    now = now or timezone.now()
    qs = with_summary(Training.objects.filter(status__in=PUBLIC_STATUSES))
    if filters.when == "lalu":
        qs = qs.filter(last_end__lt=now).order_by("-first_start", "pk")
    else:
        qs = qs.filter(last_end__gte=now).exclude(status=TStatus.CANCELLED)
        qs = qs.order_by("first_start", "pk")
    q = clean_text(filters.q)
    if q:
        qs = qs.filter(Q(title__icontains=q) | Q(description__icontains=q))
    if filters.kind:
        qs = qs.filter(kind=filters.kind)
    if filters.agency:
        qs = qs.filter(agency__code=clean_text(filters.agency, 40))
    if filters.subsector:
        qs = qs.filter(subsectors__code=clean_text(filters.subsector, 40))
    if filters.month:
        try:
            year, month = (int(p) for p in filters.month.split("-", 1))
            qs = qs.filter(first_start__year=year, first_start__month=month)
        except ValueError:
            pass
    online = Session.objects.filter(training=OuterRef("pk")).exclude(online_url="")
    onsite = Session.objects.filter(training=OuterRef("pk")).filter(
        Q(space__isnull=False) | ~Q(address="")
    )
    if filters.mode == "daring":
        qs = qs.filter(Exists(online))
    elif filters.mode == "luring":
        qs = qs.filter(Exists(onsite))
    if filters.open_only:
        qs = qs.filter(status=TStatus.PUBLISHED).filter(
            Q(registration_closes_at__isnull=True) | Q(registration_closes_at__gt=now),
            Q(registration_opens_at__isnull=True) | Q(registration_opens_at__lte=now),
            first_start__gt=now,
        )
    return qs


def upcoming(limit: int = 4, now=None) -> list[Training]:
    """For the home page: the next trainings open to the public (one query)."""
    now = now or timezone.now()
    return list(
        with_summary(Training.objects.filter(status__in=(TStatus.PUBLISHED, TStatus.CLOSED)))
        .filter(last_end__gte=now)
        .order_by("first_start", "pk")[:limit]
    )


def categories_with_counts(training: Training) -> list[QuotaCategory]:
    """Each category with `held` (confirmed + offered), `waiting` and `left` seats."""
    categories = list(
        training.categories.annotate(
            held=Count(
                "registrations", filter=Q(registrations__status__in=Registration.HOLDS_SEAT)
            ),
            waiting=Count("registrations", filter=Q(registrations__status=Status.WAITLISTED)),
            confirmed=Count("registrations", filter=Q(registrations__status=Status.CONFIRMED)),
            offered=Count("registrations", filter=Q(registrations__status=Status.OFFERED)),
            applied=Count("registrations", filter=Q(registrations__status=Status.APPLIED)),
        ).order_by("position", "pk")
    )
    for category in categories:
        category.left = max(category.seats - category.held, 0)
    return categories


def training_for_public(public_id: str, user=None) -> Training:
    """A training anyone may see (drafts only to its organisers)."""
    if not is_public_id(public_id):
        raise NotFound(_("Pelatihan tidak ditemukan."))
    from .services.questions import with_has_questions

    training = (
        with_has_questions(Training.objects)
        .select_related("agency")
        .prefetch_related(
            Prefetch("sessions", queryset=Session.objects.select_related("space")),
            "subsectors",
        )
        .filter(public_id=public_id)
        .first()
    )
    if training is None:
        raise NotFound(_("Pelatihan tidak ditemukan."))
    if training.status == TStatus.DRAFT and not permissions.can_manage_training(user, training):
        raise NotFound(_("Pelatihan tidak ditemukan."))
    return training


def training_for_manager(user, public_id: str) -> Training:
    """A training the user organises; another agency's training is refused (403)."""
    if not is_public_id(public_id):
        raise NotFound(_("Pelatihan tidak ditemukan."))
    training = (
        Training.objects.select_related("agency")
        .prefetch_related(
            Prefetch("sessions", queryset=Session.objects.select_related("space")),
            "subsectors",
        )
        .filter(public_id=public_id)
        .first()
    )
    if training is None:
        raise NotFound(_("Pelatihan tidak ditemukan."))
    permissions.require(
        permissions.can_manage_training(user, training),
        "Pelatihan ini milik perangkat daerah lain; Anda tidak bisa mengelolanya.",
    )
    return training


def session_of(training: Training, session_public_id: str) -> Session:
    for session in training.sessions.all():
        if session.public_id == session_public_id:
            return session
    raise NotFound(_("Sesi tidak ditemukan."))


def organiser_trainings(user, status: str = "", q: str = "") -> QuerySet:
    qs = with_summary(permissions.organised_trainings(user, Training.objects.all()))
    if status:
        qs = qs.filter(status=status)
    q = clean_text(q)
    if q:
        qs = qs.filter(title__icontains=q)
    return qs.order_by(F("first_start").desc(nulls_first=True), "-pk")


def my_registrations(user) -> list[Registration]:
    """The person's registrations, upcoming first; with sessions for the schedule."""
    qs = (
        Registration.objects.filter(user=user)
        .select_related("training__agency", "category")
        .prefetch_related(
            Prefetch("training__sessions", queryset=Session.objects.select_related("space"))
        )
        .annotate(
            first_start=Subquery(
                Session.objects.filter(training=OuterRef("training"))
                .order_by("starts_at")
                .values("starts_at")[:1]
            )
        )
        .order_by(F("first_start").desc(nulls_last=True), "-created_at")
    )
    return list(qs)


def registration_for(user, public_id: str) -> Registration:
    if not is_public_id(public_id):
        raise NotFound(_("Tiket tidak ditemukan."))
    registration = (
        Registration.objects.select_related("training__agency", "category", "kelurahan", "user")
        .filter(public_id=public_id)
        .first()
    )
    if registration is None or not permissions.can_view_registration(user, registration):
        raise NotFound(_("Tiket tidak ditemukan."))
    return registration


def registration_by_public_id(public_id: str) -> Registration:
    if not is_public_id(public_id):
        raise NotFound(_("Pendaftaran tidak ditemukan."))
    registration = (
        Registration.objects.select_related("training__agency", "category", "kelurahan", "user")
        .filter(public_id=public_id)
        .first()
    )
    if registration is None:
        raise NotFound(_("Pendaftaran tidak ditemukan."))
    return registration


def waitlist_position(registration: Registration) -> int | None:
    if registration.status != Status.WAITLISTED:
        return None
    return (
        Registration.objects.filter(category_id=registration.category_id, status=Status.WAITLISTED)
        .filter(
            Q(created_at__lt=registration.created_at)
            | Q(created_at=registration.created_at, pk__lt=registration.pk)
        )
        .count()
        + 1
    )


@dataclass
class ParticipantFilters:
    status: str = ""
    category: str = ""  # category id
    q: str = ""


def hide_contacts(viewer, registrations: list[Registration]) -> list[Registration]:
    """Blank, in these in-memory rows, every phone and e-mail the viewer may not see
    (permissions.can_see_registration_contact), and the same on their outbox messages (whose
    wa.me links carry the phone); such a row is marked `contact_hidden` and can no longer be
    saved. Two queries at most, whatever the number of rows."""
    from ekraf.creators import selectors as creators

    me = getattr(viewer, "pk", None)
    others = {r.user_id for r in registrations if r.registered_by_id and r.user_id != me}
    profiles = (
        creators.profiles_for_contact(others) if others and not permissions.is_admin(viewer) else {}
    )
    for registration in registrations:
        visible = permissions.can_see_registration_contact(
            viewer, registration, profiles.get(registration.user_id)
        )
        registration.contact_hidden = not visible
        if not visible:
            _blank_contact(registration)
    return registrations


def _blank_contact(registration: Registration) -> None:
    registration.email = registration.phone = ""
    registration.contact_masked = True  # Registration.save refuses such a copy
    for message in getattr(registration, "messages", []):
        message.to_email = message.to_phone = ""
        message.contact_masked = True


def participants(
    training: Training, filters: ParticipantFilters | None = None, *, viewer
) -> list[Registration]:
    """Registrations of a training with everything the participant list shows: category,
    kecamatan, check-ins per session, feedback, and the latest outbox message (one query each,
    whatever the number of participants). Contacts the viewer may not see are blank, and a
    search never finds a row by them."""
    filters = filters or ParticipantFilters()
    qs = (
        training.registrations.select_related("category", "kelurahan__parent", "user")
        .prefetch_related(
            Prefetch("attendances", queryset=Attendance.objects.order_by("checked_in_at"))
        )
        .annotate(has_feedback=Exists(Feedback.objects.filter(registration=OuterRef("pk"))))
        .order_by("category__position", "created_at", "pk")
    )
    if filters.status:
        qs = qs.filter(status=filters.status)
    if filters.category:
        qs = qs.filter(category_id=filters.category)
    q = clean_text(filters.q)
    if q:
        qs = qs.filter(
            Q(full_name__icontains=q)
            | Q(ticket_code__iexact=q)
            | Q(email__icontains=q)
            | Q(phone__icontains=q)
        )
    rows = list(qs)
    messages = messages_by_registration(training)
    for row in rows:
        row.checkins = {a.session_id: a for a in row.attendances.all()}
        row.messages = messages.get(row.public_id, [])
        row.last_message = row.messages[0] if row.messages else None
    hide_contacts(viewer, rows)
    if q:
        # A hidden phone or e-mail must not be confirmed by a search that finds it.
        needle = q.lower()
        rows = [
            r
            for r in rows
            if needle in r.full_name.lower()
            or r.ticket_code.lower() == needle
            or needle in r.email.lower()
            or needle in r.phone
        ]
    return rows


def participant(viewer, training: Training, public_id: str) -> Registration | None:
    """One registration of the training as the participant page shows it, with its outbox
    messages, its contact hidden as on the list."""
    registration = (
        training.registrations.select_related("category", "kelurahan__parent", "user")
        .filter(public_id=public_id)
        .first()
        if is_public_id(public_id)
        else None
    )
    if registration is None:
        return None
    registration.messages = messages_by_registration(training).get(registration.public_id, [])
    hide_contacts(viewer, [registration])
    return registration


def answers_by_registration(training: Training) -> dict[int, dict[int, object]]:
    """Every answer to the training's questions, {registration id: {question id: value}}, in
    one query whatever the number of participants."""
    from .models import RegistrationAnswer

    grouped: dict[int, dict[int, object]] = defaultdict(dict)
    for registration_id, question_id, value in RegistrationAnswer.objects.filter(
        question__training=training
    ).values_list("registration_id", "question_id", "value"):
        grouped[registration_id][question_id] = value
    return grouped


def messages_by_registration(training: Training) -> dict[str, list[OutboxMessage]]:
    """Outbox messages of a training, newest first, keyed by registration public id."""
    prefix = f"trn:{training.public_id}:"
    grouped: dict[str, list[OutboxMessage]] = defaultdict(list)
    for message in OutboxMessage.objects.filter(dedupe_key__startswith=prefix).order_by(
        "-created_at", "-pk"
    ):
        grouped[message.dedupe_key[len(prefix) :].split(":", 1)[0]].append(message)
    return grouped


def checkin_board(session: Session, limit: int = 8) -> dict:
    """Numbers for the door: confirmed, checked in, and the latest check-ins."""
    confirmed = session.training.registrations.filter(status=Status.CONFIRMED).count()
    recent = list(
        Attendance.objects.filter(session=session)
        .select_related("registration__category")
        .order_by("-checked_in_at")[:limit]
    )
    checked_in = Attendance.objects.filter(session=session).count()
    return {"confirmed": confirmed, "checked_in": checked_in, "recent": recent}


def sheet_rows(session: Session) -> list[Registration]:
    """The attendance sheet of a session: every confirmed participant (and anyone who checked
    in), with their check-in time at this session when there is one."""
    attendance = Attendance.objects.filter(session=session, registration=OuterRef("pk"))
    return list(
        session.training.registrations.filter(
            Q(status=Status.CONFIRMED) | Q(attendances__session=session)
        )
        .distinct()
        .select_related("category", "kelurahan__parent")
        .annotate(checked_in_at=Subquery(attendance.values("checked_in_at")[:1]))
        .order_by("full_name", "pk")
    )


@dataclass
class AspectSummary:
    key: str
    label: str
    count: int = 0
    average: Decimal | None = None
    distribution: list[tuple[int, int]] = field(default_factory=list)  # (rating, count) 5..1


@dataclass
class FeedbackSummary:
    count: int = 0
    average: Decimal | None = None
    distribution: list[tuple[int, int]] = field(default_factory=list)  # (rating, count) 5..1
    comments: list[Feedback] = field(default_factory=list)
    # The overall rating first, then one per aspect (feedback given before aspects existed
    # counts only in the overall one).
    aspects: list[AspectSummary] = field(default_factory=list)
    open_answers: list[tuple[str, list[str]]] = field(default_factory=list)  # (question, texts)


def _aspect(key: str, label: str, ratings: list[int]) -> AspectSummary:
    if not ratings:
        return AspectSummary(key, label, distribution=[(r, 0) for r in (5, 4, 3, 2, 1)])
    counts = Counter(ratings)
    return AspectSummary(
        key,
        label,
        count=len(ratings),
        average=(Decimal(sum(ratings)) / len(ratings)).quantize(Decimal("0.1")),
        distribution=[(r, counts.get(r, 0)) for r in (5, 4, 3, 2, 1)],
    )


def feedback_summary(training: Training) -> FeedbackSummary:
    """Averages and distributions of the overall rating and of each aspect, the open answers
    and the comments: one query."""
    from .models import FEEDBACK_ASPECTS, FEEDBACK_OPEN_QUESTIONS

    feedback = list(
        Feedback.objects.filter(registration__training=training)
        .select_related("registration")
        .order_by("-created_at")
    )
    if not feedback:
        return FeedbackSummary()
    overall = _aspect("overall", _("Keseluruhan"), [f.rating for f in feedback])
    aspects = [overall] + [
        _aspect(
            key,
            str(label),
            [
                f.aspect_ratings[key]
                for f in feedback
                if isinstance((f.aspect_ratings or {}).get(key), int)
            ],
        )
        for key, label in FEEDBACK_ASPECTS.items()
    ]
    open_answers = [
        (
            str(label),
            [f.open_answers[key] for f in feedback if (f.open_answers or {}).get(key)],
        )
        for key, label in FEEDBACK_OPEN_QUESTIONS.items()
    ]
    return FeedbackSummary(
        count=len(feedback),
        average=overall.average,
        distribution=overall.distribution,
        comments=[f for f in feedback if f.comment],
        aspects=aspects,
        open_answers=open_answers,
    )


@dataclass
class ReportData:
    training: Training
    sessions: list[Session]
    categories: list[QuotaCategory]
    confirmed: int
    by_gender: list[tuple[str, int]]
    by_district: list[tuple[str, int]]
    attendance: list[tuple[Session, int]]
    attendance_rate: Decimal | None
    completed: int
    completion_rate: Decimal | None
    pre_average: Decimal | None
    post_average: Decimal | None
    feedback: FeedbackSummary
    cancelled: int
    demand: dict = field(default_factory=dict)


def demand_of(training: Training) -> dict:
    """How many wanted a seat, beside the seats (one query). There is no status history, so
    "waitlisted" counts everyone whose registration shows they waited: still waiting, offered
    a seat at some time, or told at the end there was none. "declined" is an offer refused
    or left to expire; "cancelled" the other cancellations."""
    offered_ever = Q(offered_at__isnull=False)
    return training.registrations.aggregate(
        applied=Count("pk"),
        waitlisted=Count(
            "pk", filter=Q(status__in=(Status.WAITLISTED, Status.UNSEATED)) | offered_ever
        ),
        offered=Count("pk", filter=offered_ever),
        declined=Count("pk", filter=offered_ever & Q(status=Status.CANCELLED)),
        cancelled=Count("pk", filter=Q(status=Status.CANCELLED, offered_at__isnull=True)),
        unseated=Count("pk", filter=Q(status=Status.UNSEATED)),
        rejected=Count("pk", filter=Q(status=Status.REJECTED)),
    )


def _rate(part: int, whole: int) -> Decimal | None:
    if not whole:
        return None
    return (Decimal(part) * 100 / whole).quantize(Decimal("0.1"))


def report(training: Training) -> ReportData:
    """What the activity report (laporan kegiatan) states, from a handful of aggregate queries."""
    sessions = list(training.sessions.select_related("space").order_by("starts_at"))
    confirmed_qs = training.registrations.filter(status=Status.CONFIRMED)
    confirmed = confirmed_qs.count()
    gender_names = {"L": "Laki-laki", "P": "Perempuan", "": "Tidak diisi"}
    by_gender = [
        (gender_names.get(row["gender"], row["gender"]), row["n"])
        for row in confirmed_qs.values("gender").annotate(n=Count("pk")).order_by("-n", "gender")
    ]
    by_district = [
        (row["kelurahan__parent__name"] or "Luar kota / tidak diisi", row["n"])
        for row in confirmed_qs.values("kelurahan__parent__name")
        .annotate(n=Count("pk"))
        .order_by("-n", "kelurahan__parent__name")
    ]
    per_session = dict(
        Attendance.objects.filter(session__training=training)
        .values_list("session")
        .annotate(n=Count("pk"))
    )
    attendance = [(s, per_session.get(s.pk, 0)) for s in sessions]
    total_possible = confirmed * len(sessions)
    scores = confirmed_qs.aggregate(
        pre=Avg("pre_test_score"),
        post=Avg("post_test_score"),
        completed=Count("pk", filter=Q(completed=True)),
    )

    def _q(value):
        return None if value is None else Decimal(value).quantize(Decimal("0.1"))

    return ReportData(
        training=training,
        sessions=sessions,
        categories=categories_with_counts(training),
        confirmed=confirmed,
        by_gender=by_gender,
        by_district=by_district,
        attendance=attendance,
        attendance_rate=_rate(sum(per_session.values()), total_possible),
        completed=scores["completed"],
        completion_rate=_rate(scores["completed"], confirmed),
        pre_average=_q(scores["pre"]),
        post_average=_q(scores["post"]),
        feedback=feedback_summary(training),
        cancelled=training.registrations.filter(status=Status.CANCELLED).count(),
        demand=demand_of(training),
    )


def score_grid(training: Training) -> list[Registration]:
    return list(
        training.registrations.filter(status=Status.CONFIRMED)
        .select_related("category")
        .annotate(attended=Count("attendances"))
        .order_by("full_name", "pk")
    )


def completion_of_user(user, training_ids=None) -> QuerySet:
    """For other apps (certificates): the user's completed registrations."""
    qs = Registration.objects.filter(user=user, completed=True).select_related("training__agency")
    if training_ids is not None:
        qs = qs.filter(training_id__in=training_ids)
    return qs
