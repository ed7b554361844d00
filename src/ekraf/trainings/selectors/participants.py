"""The participant list an organiser sees: registrations with their check-ins, feedback,
answers and outbox messages (one query each, whatever the number of participants), and
`hide_contacts`, which blanks every phone and e-mail the viewer may not see. Kept apart
because whose contact an organiser may read is decided here for every page, paper and export
that shows participants."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from django.db.models import Exists, OuterRef, Prefetch, Q

from ekraf.accounts import permissions
from ekraf.core.models import OutboxMessage

from ..models import Attendance, Feedback, Registration, Training
from .common import clean_text, is_public_id


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
    from ..models import RegistrationAnswer

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
