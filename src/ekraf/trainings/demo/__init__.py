"""Demo trainings: past, running and upcoming, for Diskominfo and Diskopindag, so every screen
has data — the catalogue, tickets, waiting lists and an open offer, the door, scores and
completion, feedback, and the papers.

Runs after the creators demo and picks its participants from the registry. Rows are written in
bulk (a few hundred registrations in well under a second); seat rules hold by construction,
since nothing else runs during the demo load. The messages people "received" are written to the
outbox as already sent, so the organiser's pages show them (with their wa.me links) and nothing
is mailed out when the demo loads.

The package, by what each part makes: `plans` (the trainings), `people` (who registers),
`registrations`, `questions` (an organiser's own questions and the answers), `attendance` (the
door, scores, completion, feedback) and `history` (the messages people were sent).
"""

from __future__ import annotations

import random
import secrets
from datetime import timedelta
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.utils import timezone

from ekraf.core.models import Agency, Space, Subsector

from .. import services
from ..models import QuotaCategory, Registration, Session, Training
from .attendance import _attendance_and_results
from .history import _at, _History, _told
from .people import _people
from .plans import PLANS, Plan
from .questions import ASKING, _questions_and_answers
from .registrations import _registrations

__all__ = ["PLANS", "Plan", "build"]


def build(ctx) -> None:
    now = timezone.now()
    User = get_user_model()
    kreator = User.objects.filter(username="kreator").first()
    organisers = {
        "diskominfo": User.objects.filter(username="penyelenggara").first(),
        "diskopindag": User.objects.filter(username="penyelenggara2").first(),
    }
    agencies = {a.code: a for a in Agency.objects.filter(code__in=["diskominfo", "diskopindag"])}
    if len(agencies) < 2:
        ctx.out.write("  (lewati: perangkat daerah belum dimuat)")
        return
    spaces = {s.code: s for s in Space.objects.all()}
    subsectors = {s.code: s for s in Subsector.objects.all()}
    people = _people(ctx, sum(p.registrants for p in PLANS))
    history = _History(now)
    cursor = 0
    for plan in PLANS:
        chosen = people[cursor : cursor + plan.registrants]
        cursor += plan.registrants
        if len(chosen) < plan.registrants:  # a small registry: reuse from the start
            chosen += people[: plan.registrants - len(chosen)]
        _build_training(
            ctx, plan, chosen, agencies, spaces, subsectors, organisers, kreator, history, now
        )
    history.save()
    ctx.out.write(f"  {len(PLANS)} pelatihan, {Registration.objects.count()} pendaftaran")


def _build_training(
    ctx, plan, profiles, agencies, spaces, subsectors, organisers, kreator, history, now
):
    rng = ctx.rng
    running = plan.days == 0
    first_start = _at(plan.days, plan.start_hour, now)
    if running:  # in progress right now, whatever the hour the demo is loaded
        first_start = timezone.localtime(now).replace(
            minute=0, second=0, microsecond=0
        ) - timedelta(hours=1)
    organiser = organisers.get(plan.agency)
    training = Training.objects.create(
        agency=agencies[plan.agency],
        title=plan.title,
        kind=plan.kind,
        audience=plan.audience,
        description=plan.description,
        learning_outcomes=plan.outcomes,
        hours=plan.hours,
        status=plan.status,
        selection_mode=Training.SelectionMode.SELECTION
        if plan.selection
        else Training.SelectionMode.FIRST_COME,
        registration_opens_at=first_start - timedelta(days=21) if plan.days > 0 else None,
        registration_closes_at=first_start - timedelta(days=1) if plan.days > 0 else None,
        completion_min_attendance=100,
        completion_min_post_test=Decimal(plan.post_test) if plan.post_test else None,
        published_at=None if plan.status == "draft" else first_start - timedelta(days=21),
        cancelled_reason="Narasumber berhalangan; pelatihan dijadwalkan ulang."
        if plan.status == "cancelled"
        else "",
        created_by=organiser,
    )
    training.subsectors.set([subsectors[c] for c in plan.subsectors if c in subsectors])
    sessions = []
    for i in range(plan.sessions):
        start = first_start + timedelta(days=i)
        room = spaces.get(plan.rooms[i % len(plan.rooms)]) if plan.rooms else None
        sessions.append(
            Session(
                training=training,
                title=f"Hari {i + 1}" if plan.sessions > 1 else "",
                starts_at=start,
                ends_at=start + timedelta(hours=min(plan.hours // plan.sessions or 2, 8) or 2),
                space=room,
                online_url="https://zoom.us/j/81234567890" if plan.online else "",
                self_checkin=running and i == 0,
                checkin_secret=secrets.token_hex(32) if running and i == 0 else "",
            )
        )
    sessions = Session.objects.bulk_create(sessions)
    categories = QuotaCategory.objects.bulk_create(
        [
            QuotaCategory(training=training, name=name, seats=seats, audience=audience, position=i)
            for i, (name, seats, audience) in enumerate(plan.categories)
        ]
    )
    training.refresh_from_db()
    deadline = services.cancellation_deadline(training, first_start)
    registrations = _registrations(
        plan, training, categories, profiles, kreator, rng, first_start, now
    )
    registrations = Registration.objects.bulk_create(registrations, batch_size=500)
    # Realistic registration times, in queue order (the waiting list follows created_at).
    opened = first_start - timedelta(days=21)
    for i, r in enumerate(registrations):
        r.created_at = opened + timedelta(minutes=7 * i + rng.randint(0, 6))
    Registration.objects.bulk_update(registrations, ["created_at"], batch_size=500)
    for r in registrations:
        r.training = training
        _told(history, r, sessions, deadline, first_start)
    if plan.title in ASKING:
        # A random stream of its own, so the other trainings' demo data stays as it was.
        _questions_and_answers(training, registrations, random.Random(plan.title))  # noqa: S311 - demo data
    if plan.status == "finished" or running:
        _attendance_and_results(
            training,
            sessions,
            registrations,
            organiser,
            history,
            rng,
            now,
            finished=plan.status == "finished",
            online=plan.online,
        )
