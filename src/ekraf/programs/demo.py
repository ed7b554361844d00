"""Demo programmes at every stage, through the real services: Disporapar's open call (journey 8,
with applications and invitations), a running campaign with delivered and approved content,
and a closed one with metrics read twice (after 7 and 30 days) — so the recommendations show a
delivery record and the totals add up. Messages go to the outbox as already sent.
"""

from __future__ import annotations

from datetime import datetime, time, timedelta

from django.contrib.auth import get_user_model
from django.utils import timezone

from ekraf.core.models import Agency, OutboxMessage, Region, Subsector
from ekraf.creators.models import Consent, CreatorProfile

from . import services
from .models import Engagement, Programme, State


def _programme(staff, agency, title, start, days, status, subsectors, hashtag, seats=10):
    p = services.create_programme(
        staff,
        services.ProgrammeInput(
            agency_id=agency.pk,
            title=title,
            objective="Mengangkat citra Kota Malang lewat konten kreator lokal.",
            starts_on=start,
            ends_on=start + timedelta(days=days),
            due_on=start + timedelta(days=days - 3),
            roles=[
                services.RoleInput("content_creator", seats),
                services.RoleInput("narasumber", 1),
            ],
            hashtags=[hashtag, "#MalangKota"],
            mentions=["@pemkotmalang"],
            subsector_ids=list(
                Subsector.objects.filter(code__in=subsectors).values_list("pk", flat=True)
            ),
            district_ids=list(
                Region.objects.filter(level="kecamatan")
                .order_by("code")
                .values_list("pk", flat=True)[:2]
            ),
            platform="instagram",
            content_format="Reels 30–60 detik",
            paid_partnership=True,
            usage_rights_until=start + timedelta(days=365),
            honorarium=750_000,
        ),
    )
    for step in {"open": ["open"], "running": ["open", "running"], "closed": ["open", "running"]}[
        status
    ]:
        p = services.set_status(staff, p, step)
    return p


def _read_at(posted_on, days):
    """When the numbers were read: `days` after posting, or now if that is still to come."""
    return min(
        timezone.make_aware(datetime.combine(posted_on + timedelta(days=days), time(9))),
        timezone.now(),
    )


def _deliver(creator, engagement, programme, posted_on, views, later_views=None):
    d = services.submit_deliverable(
        creator.user,
        engagement,
        services.DeliverableInput(
            url=f"https://www.instagram.com/reel/DEMO{engagement.pk}X{views}/",
            posted_on=posted_on,
            hashtags=programme.hashtags,
            metrics=services.MetricsInput(
                views=views,
                likes=views // 12,
                comments=views // 90,
                shares=views // 150,
                saves=views // 200,
                source="Instagram Insights (tangkapan layar)",
                read_at=_read_at(posted_on, 7),
            ),
        ),
    )
    if later_views:
        services.record_metrics(
            creator.user,
            d,
            services.MetricsInput(
                views=later_views,
                likes=later_views // 12,
                comments=later_views // 90,
                shares=later_views // 150,
                saves=later_views // 200,
                source="Instagram Insights 30 hari",
                read_at=_read_at(posted_on, 30),
            ),
        )
    return d


def build(ctx) -> None:
    User = get_user_model()
    staff = User.objects.filter(username="staf").first()
    agency = Agency.objects.filter(code="disporapar").first()
    if staff is None or agency is None:
        ctx.out.write("  (lewati: login staf atau Disporapar belum ada)")
        return
    if Programme.objects.exists():
        return
    creators = list(
        CreatorProfile.objects.filter(
            deleted_at__isnull=True,
            consents__purpose=Consent.Purpose.TALENT_DIRECTORY,
            consents__withdrawn_at__isnull=True,
        )
        .select_related("user")
        .order_by("pk")[:12]
    )
    if len(creators) < 6:
        ctx.out.write("  (lewati: kreator dengan persetujuan direktori belum cukup)")
        return
    today = timezone.localdate()
    closed = _programme(
        staff,
        agency,
        "Festival Kuliner Malang 2026",
        today - timedelta(days=90),
        30,
        "closed",
        ("kuliner", "fotografi"),
        "#KulinerMalang",
        seats=3,
    )
    running = _programme(
        staff,
        agency,
        "Malang Heritage Walk",
        today - timedelta(days=10),
        40,
        "running",
        ("fotografi", "film-animasi-video"),
        "#MalangHeritage",
        seats=4,
    )
    open_call = _programme(
        staff,
        agency,
        "Kampanye #MalangBeken: Branding Kota",
        today + timedelta(days=14),
        30,
        "open",
        ("kuliner", "fotografi"),
        "#MalangBeken",
    )
    role = {p.pk: p.roles.get(pathway="content_creator") for p in (closed, running, open_call)}
    # Closed: three creators, content approved, metrics after 7 and 30 days.
    for i, creator in enumerate(creators[:3]):
        e = services.invite(staff, closed, role[closed.pk], creator)
        services.transition(creator.user, e, State.ACCEPTED)
        _deliver(
            creator,
            e,
            closed,
            closed.starts_on + timedelta(days=5 + i * 8),
            4000 + 2500 * i,
            9000 + 4000 * i,
        )
        services.transition(staff, Engagement.objects.get(pk=e.pk), State.APPROVED)
    services.set_status(staff, closed, "closed")
    # Running: one approved, one sent back for revision, one still to deliver.
    for i, creator in enumerate(creators[3:6]):
        e = services.invite(staff, running, role[running.pk], creator)
        services.transition(creator.user, e, State.ACCEPTED)
        if i < 2:
            _deliver(creator, e, running, today - timedelta(days=2), 2500 + 1000 * i)
            to = State.APPROVED if i == 0 else State.REVISION_REQUESTED
            services.transition(
                staff,
                Engagement.objects.get(pk=e.pk),
                to,
                note=""
                if i == 0
                else "Sebutkan @pemkotmalang di keterangan dan pasang label kemitraan.",
            )
    # Open call: two applications and an invitation waiting for an answer.
    for creator in creators[6:8]:
        services.apply(
            creator.user,
            open_call,
            role[open_call.pk],
            pitch="Saya biasa membuat konten kuliner dan siap mengikuti brief.",
            links=["https://www.instagram.com/p/CONTOH/"],
        )
    if len(creators) > 8:
        services.invite(staff, open_call, role[open_call.pk], creators[8])
    OutboxMessage.objects.filter(kind__startswith="programs.", status="pending").update(
        status=OutboxMessage.Status.SENT, sent_at=timezone.now()
    )
    ctx.out.write(
        f"  {Programme.objects.count()} program (terbuka, berjalan, selesai), "
        f"{Engagement.objects.count()} keterlibatan"
    )
