"""Demo talent: assessed pathways for the participants of past trainings, the directory's search
documents, and speaker requests at every stage — two past sessions rated by the agency, one
upcoming with its speaker booked, one open with a shortlist awaiting answers (the `kreator`
login has an invitation when it is in the directory).

Runs after the creators and trainings demos (INSTALLED_APPS order). Upcoming requests go through
the real services (rules, no-overlap guarantee, notices); past ones, which the services refuse
to create in the past, are written as history. Notices are marked as already sent.
"""

from __future__ import annotations

from datetime import timedelta

from django.contrib.auth import get_user_model
from django.utils import timezone

from ekraf.core.errors import DomainError
from ekraf.core.models import OutboxMessage

from . import search, services
from .models import AssessedPathway, SpeakerBooking, SpeakerRequest

COMMENTS = [
    "Materi jelas dan dekat dengan peserta.",
    "Interaktif, peserta banyak bertanya.",
    "Baik, hanya sedikit melewati waktu.",
]


def build(ctx) -> None:
    search.rebuild()
    assessed = _pathways(ctx)
    made = _speakers(ctx)
    OutboxMessage.objects.filter(kind__startswith="speaker.", status="pending").update(
        status=OutboxMessage.Status.SENT, sent_at=timezone.now()
    )
    ctx.out.write(f"  {assessed} jalur talenta dinilai, {made} permintaan narasumber")


def _pathways(ctx) -> int:
    from ekraf.creators.models import CreatorProfile
    from ekraf.trainings.models import Registration, Training

    rows = []
    registrations = Registration.objects.filter(
        training__status=Training.Status.FINISHED, status=Registration.Status.CONFIRMED
    ).select_related("training")
    profiles = {
        p.user_id: p
        for p in CreatorProfile.objects.filter(
            user_id__in=registrations.values("user_id"), deleted_at__isnull=True
        )
    }
    for registration in registrations:
        profile = profiles.get(registration.user_id)
        if profile is None or registration.completed is False:
            continue
        score = float(registration.post_test_score or 70)
        pathways = ["content_creator"]
        if score >= 85:
            pathways.append("narasumber")
        elif ctx.rng.random() < 0.3:
            pathways.append("motivator")
        for pathway in pathways:
            rows.append(
                AssessedPathway(
                    creator=profile,
                    pathway=pathway,
                    training=registration.training,
                    note="Aktif berdiskusi dan presentasi baik."
                    if pathway != "content_creator"
                    else "",
                    evidence=services._evidence(registration),
                )
            )
    AssessedPathway.objects.bulk_create(rows, ignore_conflicts=True)
    return len(rows)


def _speakers(ctx) -> int:
    from ekraf.core.models import Agency

    from .selectors import _directory_base

    User = get_user_model()
    staff = User.objects.filter(username="staf").first()
    if staff is None:
        ctx.out.write("  (lewati narasumber: login staf belum ada)")
        return 0
    agency = Agency.objects.filter(pk__in=staff.role_grants.values("agency_id")).first()
    candidates = list(_directory_base().select_related("user").order_by("pk")[:6])
    if agency is None or len(candidates) < 2:
        return 0
    now = timezone.localtime()
    made = 0
    for days, speaker, rating in ((-20, candidates[0], 5), (-8, candidates[1], 4)):
        start = (now + timedelta(days=days)).replace(hour=9, minute=0, second=0, microsecond=0)
        request = SpeakerRequest.objects.create(
            agency=agency,
            event="Sarasehan Ekonomi Kreatif" if days < -10 else "Kelas Inspirasi Pelajar",
            topic="Membangun citra kota lewat konten",
            pathway="narasumber",
            starts_at=start,
            ends_at=start + timedelta(hours=2),
            audience="Pelaku UMKM dan pelajar",
            audience_size=80,
            honorarium=1_000_000,
            status=SpeakerRequest.Status.COMPLETED,
            created_by=staff,
        )
        SpeakerBooking.objects.create(
            request=request,
            creator=speaker,
            starts_at=request.starts_at,
            ends_at=request.ends_at,
            status=SpeakerBooking.Status.COMPLETED,
            shortlisted_by=staff,
            responded_at=start - timedelta(days=5),
            rating=rating,
            rating_comment=ctx.rng.choice(COMMENTS),
            rated_at=start + timedelta(hours=3),
            rated_by=staff,
        )
        made += 1
    try:
        start = (now + timedelta(days=6)).replace(hour=13, minute=0, second=0, microsecond=0)
        booked = services.create_request(
            staff,
            agency=agency,
            event="Festival Literasi Digital",
            topic="Menulis untuk media sosial",
            pathway="narasumber",
            starts_at=start,
            ends_at=start + timedelta(hours=2),
            audience="Mahasiswa",
            audience_size=150,
            honorarium=1_500_000,
            travel="Transport lokal ditanggung",
        )
        services.accept(candidates[0].user, services.shortlist(staff, booked, candidates[0]))
        start = (now + timedelta(days=10)).replace(hour=9, minute=0, second=0, microsecond=0)
        open_request = services.create_request(
            staff,
            agency=agency,
            event="Temu Motivator Wirausaha Muda",
            topic="Berani memulai usaha kreatif",
            pathway="motivator",
            starts_at=start,
            ends_at=start + timedelta(hours=3),
            audience="Pemuda karang taruna",
            audience_size=60,
            format=SpeakerRequest.Format.WORKSHOP,
        )
        shortlisted = [c for c in candidates[1:4]]
        kreator = _directory_base().filter(user__username="kreator").first()
        if kreator is not None and kreator not in shortlisted:
            shortlisted.append(kreator)
        for creator in shortlisted:
            services.shortlist(staff, open_request, creator)
        made += 2
    except DomainError as exc:
        ctx.out.write(f"  (narasumber: {exc.message})")
    return made
