"""The door and the results of running and finished demo trainings: attendance, scores,
completion and feedback."""

from __future__ import annotations

import random
from datetime import timedelta
from decimal import Decimal

from .. import notices, services
from ..models import FEEDBACK_ASPECTS, Attendance, Feedback, Registration
from .plans import COMMENTS

S = Registration.Status

OPEN_ANSWERS = {
    "bermanfaat": [
        "Praktik menyunting video langsung di ponsel.",
        "Cara menyusun kalender konten sebulan.",
        "Tips pencahayaan murah untuk foto produk.",
        "",
    ],
    "topik": ["Monetisasi YouTube", "Iklan berbayar di Instagram", "Fotografi produk", ""],
}


def _attendance_and_results(
    training, sessions, registrations, organiser, history, rng, now, *, finished, online=False
):
    confirmed = [r for r in registrations if r.status == S.CONFIRMED]
    attendances = []
    for r in confirmed:
        is_kreator = r.user.username == "kreator"
        for i, session in enumerate(sessions):
            if session.starts_at > now:
                continue
            if finished:
                present = is_kreator or rng.random() < (0.92 if i == 0 else 0.82)
            else:
                present = rng.random() < 0.6
            if present:
                attendances.append(
                    Attendance(
                        registration=r,
                        session=session,
                        checked_in_at=session.starts_at
                        - timedelta(minutes=20)
                        + timedelta(minutes=rng.randint(0, 45)),
                        method=rng.choice(
                            ["scan", "scan", "scan", "typed", "manual", "self"]
                            if session.self_checkin
                            else ["scan", "scan", "typed", "manual"]
                        ),
                        checked_in_by=organiser,
                    )
                )
    Attendance.objects.bulk_create(attendances, batch_size=500)
    if not finished:
        return
    for r in confirmed:
        r.pre_test_score = Decimal(rng.randint(30, 75))
        gain = rng.randint(5, 40)
        r.post_test_score = Decimal(min(100, int(r.pre_test_score) + gain))
        if r.user.username == "kreator":
            r.pre_test_score, r.post_test_score = Decimal(55), Decimal(88)
    if training.completion_min_post_test is None:
        for r in confirmed:
            r.pre_test_score = r.post_test_score = None
    Registration.objects.bulk_update(
        confirmed, ["pre_test_score", "post_test_score"], batch_size=500
    )
    attended = {}
    for a in attendances:
        attended[a.registration_id] = attended.get(a.registration_id, 0) + 1
    for r in confirmed:
        r.completed, reason = services.completion_of(
            training, len(sessions), attended.get(r.pk, 0), r.post_test_score
        )
        r.completion_reason = reason[:200]
        if r.completed:
            history.add(r, notices.completed(r), "completed")
    Registration.objects.bulk_update(confirmed, ["completed", "completion_reason"], batch_size=500)
    present = [r for r in confirmed if attended.get(r.pk)]
    aspects = [k for k in FEEDBACK_ASPECTS if not (online and k == "tempat")]
    extra = random.Random(training.title)  # noqa: S311 - demo; the other draws stay as they were

    def feedback(r):
        rating = rng.choice([5, 5, 4, 4, 4, 3, 5, 2])
        return Feedback(
            registration=r,
            rating=rating,
            aspect_ratings={
                k: max(1, min(5, rating + extra.choice([-1, 0, 0, 0, 1]))) for k in aspects
            },
            open_answers={
                k: text for k, choices in OPEN_ANSWERS.items() if (text := extra.choice(choices))
            },
            comment=rng.choice(COMMENTS),
        )

    Feedback.objects.bulk_create(
        [feedback(r) for r in present if rng.random() < 0.6 or r.user.username == "kreator"]
    )
