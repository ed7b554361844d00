"""The demo registrations of one training: who got a seat, who waits, who was offered one,
who cancelled; seat rules hold by construction (nothing else runs during the demo load)."""

from __future__ import annotations

from datetime import timedelta

from .. import services
from ..models import Registration
from .plans import ORIGINS, PLANS

S = Registration.Status


def _snapshot(profile, category, rng) -> dict:
    return {
        "full_name": profile.full_name,
        "email": profile.user.email,
        "phone": profile.phone,
        "gender": profile.gender,
        "birth_year": profile.birth_year,
        "kelurahan": profile.kelurahan,
        "origin": rng.choice(ORIGINS),
        "audience": "asn" if category.audience == "asn" else "umum",
        "user": profile.user,
        "category": category,
    }


def _registrations(plan, training, categories, profiles, kreator, rng, first_start, now):
    rows = []
    held = {c.pk: 0 for c in categories}
    people = [(p, None) for p in profiles]
    # The demo creator: a ticket for the journey-1 training, a completion in the past one.
    if kreator is not None and plan.title in (PLANS[0].title, PLANS[1].title):
        people.insert(2, (None, kreator))
    for i, (profile, user) in enumerate(people):
        category = (
            categories[i % len(categories)] if len(categories) > 1 and i % 3 == 0 else categories[0]
        )
        if profile is not None:
            data = _snapshot(profile, category, rng)
        else:
            profile_of_user = services.creator_profile_of(user)
            data = {
                "full_name": profile_of_user.full_name if profile_of_user else user.display_name,
                "email": user.email,
                "phone": profile_of_user.phone if profile_of_user else "",
                "gender": profile_of_user.gender if profile_of_user else "P",
                "birth_year": profile_of_user.birth_year if profile_of_user else 1999,
                "kelurahan": profile_of_user.kelurahan if profile_of_user else None,
                "origin": "Komunitas Kreator Malang",
                "audience": "umum",
                "user": user,
                "category": categories[0],
            }
            category = categories[0]
        if plan.selection:
            status = S.APPLIED if i >= 6 else (S.CONFIRMED if i < 4 else S.REJECTED)
            data["motivation"] = rng.choice(
                [
                    "Ingin mengangkat potensi wisata kampung kami lewat tulisan.",
                    "Saya aktif di karang taruna dan sering menulis kegiatan warga.",
                    "Ingin belajar menulis berita yang benar dan tidak hoaks.",
                ]
            )
        elif held[category.pk] < category.seats:
            status = S.CONFIRMED
            held[category.pk] += 1
        else:
            status = S.WAITLISTED
        rows.append(
            Registration(
                training=training,
                status=status,
                confirmed_at=first_start - timedelta(days=10) if status == S.CONFIRMED else None,
                **data,
            )
        )
    if plan.status == "cancelled":
        for r in rows:
            r.status = S.CANCELLED
            r.cancelled_at = now - timedelta(days=1)
            r.cancel_reason = f"Pelatihan dibatalkan: {training.cancelled_reason}"[:200]
    elif plan.status == "finished":
        # Those still waiting when it finished did not get a seat, and were told (issue 13).
        for r in rows:
            if r.status == S.WAITLISTED:
                r.status = S.UNSEATED
                r.cancelled_at = first_start + timedelta(days=plan.sessions)
                r.cancel_reason = "Pelatihan selesai sebelum ada kursi"
    elif plan.title == PLANS[0].title:
        # Journey 2 as it stands today: three cancelled; two offers accepted, one still open.
        leavers = [r for r in rows if r.status == S.CONFIRMED and r.user != kreator][5:8]
        queue = [r for r in rows if r.status == S.WAITLISTED]
        for r in leavers:
            r.status, r.cancelled_at, r.cancel_reason = (
                S.CANCELLED,
                now - timedelta(days=2),
                "Dibatalkan oleh peserta",
            )
        for r in queue[:2]:
            r.status, r.confirmed_at, r.offered_at = (
                S.CONFIRMED,
                now - timedelta(days=1),
                now - timedelta(days=2),
            )
        queue[2].status = S.OFFERED
        queue[2].offered_at = now - timedelta(hours=8)
        queue[2].offer_expires_at = now + timedelta(hours=40)
    return rows
