"""Demo rooms and bookings: every room with a week of use — approved bookings, pending
requests (a pair that clash, so the `ruang` login's queue has a decision to make), a weekly
series, a declined request, direct bookings by the space manager — among the training
sessions the trainings demo put in the rooms (which get their holds here). Rooms get buffers,
facilities and commercial tariffs; the centre closes for a holiday.

Runs after the trainings demo (INSTALLED_APPS order), through the real services, so every
booking passed the rules and the no-overlap guarantee. Messages are written to the outbox as
already sent (nothing is mailed when the demo loads).
"""

from __future__ import annotations

import io
from datetime import datetime, time, timedelta

from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.utils import timezone

from ekraf.core.errors import DomainError
from ekraf.core.models import OutboxMessage, Space

from . import services
from .models import Blackout, Booking, UseClass

FACILITIES = {
    "hall": "Panggung\nTata suara\nProyektor dan layar besar\nAC",
    "auditorium": "Kursi teater 400\nTata suara dan lampu panggung\nProyektor\nRuang transit",
    "studio": "Peredam suara\nLampu studio\nKomputer penyunting",
    "meeting": "Meja rapat\nTV 65 inci\nPapan tulis\nAC",
    "workshop": "Meja kerja\nProyektor\nPapan tulis\nAC",
    "lab": "Dapur lengkap\nMeja saji\nLemari pendingin",
    "coworking": "Meja bersama\nWi-Fi\nStopkontak di setiap meja",
    "library": "Rak buku\nMeja baca\nWi-Fi",
}
BUFFERS = {"hall": 60, "auditorium": 60, "workshop": 30, "meeting": 15, "lab": 30, "studio": 15}
# Commercial tariffs (rupiah): per hour, per day, and weekend per hour / per day.
TARIFFS = {
    "main-hall": (750_000, 5_000_000, 1_000_000, 6_500_000),
    "auditorium": (1_000_000, 7_500_000, 1_250_000, 9_000_000),
    "podcast": (150_000, 900_000, 200_000, 1_200_000),
    "animasi-mocap": (300_000, 2_000_000, None, None),
    "food-lab": (250_000, 1_500_000, None, None),
    "ruang-rapat-3a": (100_000, 600_000, None, None),
    "ruang-workshop": (200_000, 1_200_000, 250_000, 1_500_000),
    "studio-foto": (175_000, 1_000_000, 225_000, 1_300_000),
    "ruang-fesyen": (150_000, 900_000, None, None),
}
REQUESTERS = [
    ("dimas.komunitasgame", "Dimas Pratama", "Komunitas Pengembang Game Malang"),
    ("sari.batik", "Sari Wulandari", "Paguyuban Batik Celaket"),
    ("rizky.podcast", "Rizky Ramadhan", "Ngopi Podcast Malang"),
    ("lina.kuliner", "Lina Marlina", "UMKM Kuliner Kayutangan"),
    ("andre.foto", "Andre Kurniawan", "Komunitas Fotografi Arema"),
    ("nadia.fesyen", "Nadia Putri", "Malang Fashion Collective"),
]
EVENTS = [
    "Diskusi Komunitas",
    "Kelas Membatik",
    "Rekaman Podcast",
    "Demo Masak",
    "Sesi Foto Produk",
    "Rapat Panitia",
    "Lokakarya Desain",
    "Temu Kreator",
]


def _letter() -> SimpleUploadedFile:
    from reportlab.pdfgen import canvas

    out = io.BytesIO()
    page = canvas.Canvas(out)
    page.drawString(72, 760, "Surat Permohonan Pemakaian Ruang Malang Creative Center")
    page.drawString(72, 740, "Kegiatan sosial/edukasi tanpa pungutan biaya kepada peserta.")
    page.showPage()
    page.save()
    return SimpleUploadedFile("surat.pdf", out.getvalue(), content_type="application/pdf")


def _requesters(ctx):
    User = get_user_model()
    people = []
    for username, name, organisation in REQUESTERS:
        user = User.objects.filter(username=username).first()
        if user is None:
            user = User.objects.create_user(
                username=username,
                email=f"{username}@demo.ekraf.invalid",
                password=ctx.password,
                full_name=name,
            )
            user.email_verified_at = timezone.now()
            user.save(update_fields=["email_verified_at"])
        people.append((user, organisation))
    return people


def _at(day, hour: int, minute: int = 0) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(hour, minute)))


def build(ctx) -> None:
    User = get_user_model()
    manager = (
        User.objects.filter(username="ruang").first()
        or User.objects.filter(is_superuser=True).first()
    )
    if manager is None or not Space.objects.exists():
        ctx.out.write("  (lewati: ruang atau login pengelola belum ada)")
        return
    from ekraf.accounts import permissions
    from ekraf.accounts import services as accounts

    if not permissions.can_manage_spaces(manager):
        accounts.grant_role(manager, "space_manager")
    _rooms(manager)
    held, skipped = _training_holds()
    people = _requesters(ctx)
    counts = _week(ctx, manager, people)
    # What the requesters "received" is history, not mail to send now.
    OutboxMessage.objects.filter(kind__startswith="room.", status="pending").update(
        status=OutboxMessage.Status.SENT, sent_at=timezone.now()
    )
    ctx.out.write(
        f"  {Booking.objects.exclude(source='training').count()} pemesanan ruang "
        f"({counts}), {held} sesi pelatihan menahan ruang"
        + (f", {skipped} sesi bentrok dilewati" if skipped else "")
    )


def _rooms(manager) -> None:
    for space in Space.objects.all():
        room = services.room_of(space)
        services.update_room(
            manager,
            room,
            {
                "facilities": FACILITIES.get(space.kind, ""),
                "buffer_minutes": BUFFERS.get(space.kind, 0),
                "needs_approval": space.kind not in ("coworking", "library"),
                "description": f"{space.name} di lantai {space.floor} Malang Creative Center.",
            },
        )
        tariff = TARIFFS.get(space.code)
        if tariff:
            services.set_price(
                manager,
                space,
                UseClass.COMMERCIAL,
                services.PriceInput(*tariff),
            )
    # The centre closes on the coming public holiday-like date: the Sunday after next is closed
    # anyway, so close the Saturday after next, for maintenance of the lifts.
    saturday = _maintenance_day()
    services.add_blackout(
        manager,
        None,
        kind=Blackout.Kind.MAINTENANCE,
        reason="Perawatan lift dan listrik gedung",
        starts_at=_at(saturday, 0),
        ends_at=_at(saturday + timedelta(days=1), 0),
    )


def _maintenance_day():
    """The Saturday after next, when the demo closes the centre for maintenance."""
    today = timezone.localdate()
    return today + timedelta(days=(5 - today.weekday()) % 7 + 7)


def _training_holds() -> tuple[int, int]:
    """The trainings demo writes its sessions in bulk: give those in rooms their holds."""
    from ekraf.trainings.models import Training

    held = skipped = 0
    trainings = (
        Training.objects.filter(sessions__space__isnull=False)
        .exclude(status=Training.Status.CANCELLED)
        .distinct()
        .select_related("agency")
        .prefetch_related("categories")
    )
    for training in trainings:
        try:
            with transaction.atomic():
                services.sync_training_holds(training)
            held += training.sessions.filter(space__isnull=False).count()
        except DomainError:
            skipped += 1
    return held, skipped


def _try(call, *args, **kwargs):
    try:
        with transaction.atomic():
            return call(*args, **kwargs)
    except DomainError:
        return None  # a training is there, or a rule says no: the demo moves on


def _week(ctx, manager, people) -> str:
    rng = ctx.rng
    days = []
    day = timezone.localdate() + timedelta(days=1)
    while len(days) < 6:
        if day.weekday() < 6:
            days.append(day)
        day += timedelta(days=1)
    approved = pending = 0
    for n, space in enumerate(Space.objects.order_by("floor", "name")):
        capacity = max(1, min(space.capacity, 30))
        for i, day in enumerate(days):
            user, organisation = people[(n + i) % len(people)]
            hour = 9 + (n + i) % 3 * 2
            free = (n + i) % 3 != 0 or space.code not in TARIFFS
            booking = _try(
                services.submit_request,
                user,
                services.BookingInput(
                    space=space,
                    starts_at=_at(day, hour),
                    ends_at=_at(day, hour + 2),
                    title=f"{rng.choice(EVENTS)} {organisation.split()[-1]}",
                    attendees=max(1, capacity - rng.randint(0, capacity // 2)),
                    use_class=UseClass.FREE if free else UseClass.COMMERCIAL,
                    organisation=organisation,
                    contact_name=user.display_name,
                    contact_phone=f"0812{3000_0000 + n * 10 + i}",
                    letter=_letter() if free else None,
                ),
            )
            if booking is None:
                continue
            if booking.status == Booking.Status.PENDING and i % 3 != 2:
                _try(services.approve, manager, booking)
                approved += 1
            elif booking.is_open:
                pending += 1
    _specials(manager, people, days)
    return f"{approved} disetujui, {pending} menunggu"


def _specials(manager, people, days) -> None:
    """The cases every screen should show: a clashing pair in the queue, a weekly series, a
    declined request, a direct booking by the space manager."""
    auditorium = Space.objects.filter(code="auditorium").first()
    podcast = Space.objects.filter(code="podcast").first() or auditorium
    workshop = Space.objects.filter(code="ruang-workshop").first() or auditorium
    (dimas, dimas_org), (sari, sari_org), (rizky, rizky_org) = people[:3]

    def ask(user, org, space, day, start, end, title, **extra):
        return _try(
            lambda: services.submit_request(
                user,
                services.BookingInput(
                    space=space,
                    starts_at=_at(day, *start),
                    ends_at=_at(day, *end),
                    title=title,
                    attendees=extra.pop("attendees", 5),
                    organisation=org,
                    contact_name=user.display_name,
                    contact_phone="081234500001",
                    letter=_letter(),
                    **extra,
                ),
            )
        )

    late = days[2]
    ask(
        dimas,
        dimas_org,
        auditorium,
        late,
        (17, 0),
        (20, 0),
        "Malang Game Jam: Pembukaan",
        attendees=250,
    )
    ask(
        sari,
        sari_org,
        auditorium,
        late,
        (18, 0),
        (21, 0),
        "Pagelaran Batik Malangan",
        attendees=300,
    )
    series = ask(
        rizky, rizky_org, podcast, days[0], (19, 0), (20, 30), "Ngopi Podcast Mingguan", weeks=4
    )
    if series is not None:
        _try(lambda: services.approve(manager, series, whole_series=True, skip_clashes=True))
    declined = ask(dimas, dimas_org, workshop, days[4], (19, 0), (21, 0), "Nobar Turnamen E-sport")
    if declined is not None:
        _try(
            lambda: services.decline(
                manager, declined, "Ruang Workshop dipakai persiapan pameran pada malam itu."
            )
        )
    # Not on the maintenance day: when the demo is loaded on a Saturday (in the city's time),
    # the sixth day of its week is that closed Saturday and the booking was refused.
    direct_day = next(day for day in reversed(days) if day != _maintenance_day())
    _try(
        lambda: services.submit_request(
            manager,
            services.BookingInput(
                space=workshop,
                starts_at=_at(direct_day, 16, 0),
                ends_at=_at(direct_day, 18, 0),
                title="Rapat Koordinasi Pengelola MCC",
                attendees=12,
                organisation="Diskopindag",
            ),
            direct=True,
        )
    )
