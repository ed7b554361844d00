"""A synthetic city at scale: Faker id_ID names, the real reference data, bulk inserts.

Rows are written through ekraf.bench.bulk (COPY on PostgreSQL), so the full scale — 100k
creators, 5k trainings, 500k registrations, 1M attendance rows, 200k certificates — takes
minutes, not hours. Everything is drawn from one seeded generator: two runs build the same
city.
"""

from __future__ import annotations

import datetime as dt
import io
import random
import secrets
import time
from dataclasses import dataclass

from django.core.management import call_command
from django.db import DatabaseError, connection, transaction
from django.utils import timezone
from faker import Faker

from . import bulk

FULL = {
    "creators": 100_000,
    "trainings": 5_000,
    "registrations": 500_000,
    "attendance": 1_000_000,
    "certificates": 200_000,
    "bookings": 50_000,
}
QUICK = {
    "creators": 5_000,
    "trainings": 250,
    "registrations": 25_000,
    "attendance": 50_000,
    "certificates": 10_000,
    "bookings": 50_000,  # the spaces target is set at 50,000 rows; cheap to load at any scale
}
UNUSABLE_PASSWORD = "!bench"  # no one logs in with a password: sessions are made directly
ORGANISER_AGENCIES = ("diskominfo", "diskopindag", "disporapar", "disnaker-pmptsp")


@dataclass
class City:
    counts: dict
    seconds: float
    organiser_id: int
    committee_id: int
    staff_id: int
    agency_ids: list[int]


def _names(faker: Faker, rng: random.Random, n: int) -> list[str]:
    firsts = list({faker.first_name() for _ in range(3000)})
    lasts = list({faker.last_name() for _ in range(3000)})
    return [f"{rng.choice(firsts)} {rng.choice(lasts)}" for _ in range(n)]


def unique_codes(length: int):
    """Random public codes without repeats: at half a million rows even 40-bit codes collide
    (birthday bound), which the database's unique constraint would refuse mid-COPY."""
    from ekraf.core.ids import random_code

    seen = set()
    while True:
        code = random_code(length)
        if code not in seen:
            seen.add(code)
            yield code


def prepare_schema() -> None:
    quiet = io.StringIO()
    call_command("migrate", interactive=False, verbosity=0, stdout=quiet)
    call_command("createcachetable", verbosity=0, stdout=quiet)
    call_command("load_city", verbosity=0, stdout=quiet)
    call_command("credential_keys", "init", verbosity=0, stdout=quiet)


def _staff_user(username: str, role: str, agency=None):
    from ekraf.accounts import services as accounts
    from ekraf.accounts.models import User

    user = User.objects.create_user(
        username=username, email=f"{username}@bench.ekraf.id", full_name=username.title()
    )
    user.email_verified_at = timezone.now()
    user.save(update_fields=["email_verified_at"])
    accounts.grant_role(user, role, agency)
    return user


# A room's day in the synthetic city: five uses with the buffer between them (30 minutes).
BOOKING_SLOTS = ((8, 0, 10, 0), (10, 30, 12, 30), (13, 0, 15, 0), (15, 30, 17, 30), (18, 0, 20, 0))


def room_bookings(n: int, rng: random.Random, now, first_user: int, people: int) -> int:
    """`n` bookings of the creative centre's rooms, back to back from about two years ago to
    half a year ahead (Monday to Saturday, five a day per room), most approved; holds never
    overlap, so the exclusion constraint accepts every row of the COPY."""
    from ekraf.core.models import Space
    from ekraf.spaces.models import Booking

    spaces = list(Space.objects.order_by("pk").values_list("pk", flat=True))
    if not n or not spaces:
        return 0
    per_day = len(spaces) * len(BOOKING_SLOTS)
    days_needed = -(-n * 7 // (per_day * 6))
    first_day = timezone.localdate(now) - dt.timedelta(days=max(0, days_needed - 180))
    statuses = ["approved"] * 17 + ["pending", "declined", "cancelled"]
    codes = unique_codes(12)

    def rows():
        made, day = 0, first_day
        while made < n:
            if day.weekday() < 6:
                for space in spaces:
                    for h1, m1, h2, m2 in BOOKING_SLOTS:
                        if made >= n:
                            return
                        start = timezone.make_aware(dt.datetime.combine(day, dt.time(h1, m1)))
                        end = timezone.make_aware(dt.datetime.combine(day, dt.time(h2, m2)))
                        made += 1
                        yield {
                            "id": first_booking + made,
                            "public_id": next(codes),
                            "space_id": space,
                            "source": "request",
                            "status": rng.choice(statuses),
                            "starts_at": start,
                            "ends_at": end,
                            "until": end + dt.timedelta(minutes=30),
                            "requester_id": first_user + rng.randrange(people) if people else None,
                            "title": f"Kegiatan Komunitas {made}",
                            "organisation": "Komunitas Kreatif Malang",
                            "contact_name": f"Penanggung Jawab {made}",
                            "attendees": rng.randint(5, 40),
                            "use_class": "sosial",
                            "quoted_price": 0,
                        }
            day += dt.timedelta(days=1)

    first_booking = bulk.next_id(Booking) - 1
    with transaction.atomic():
        return bulk.insert(Booking, rows())


def build(counts: dict, *, seed: int = 2024, out=print) -> City:
    """Fill an empty, migrated database with a synthetic city of the given size."""
    from ekraf.accounts.models import User
    from ekraf.core.models import Agency, Region, Subsector
    from ekraf.creators.models import CreatorProfile
    from ekraf.credentials.models import Certificate, CertificateCounter, StatusList
    from ekraf.trainings.models import Attendance, QuotaCategory, Registration, Session, Training

    started = time.monotonic()
    rng = random.Random(seed)  # noqa: S311 - synthetic data
    faker = Faker("id_ID")
    faker.seed_instance(seed)
    now = timezone.now()
    villages = list(Region.objects.filter(level=Region.Level.VILLAGE).values_list("pk", flat=True))
    subsectors = list(Subsector.objects.values_list("pk", flat=True))
    agencies = list(Agency.objects.filter(code__in=ORGANISER_AGENCIES).order_by("code"))
    agency_ids = [a.pk for a in agencies]

    organiser = _staff_user("bench-penyelenggara", "organiser", agencies[0])
    committee = _staff_user("bench-komite", "committee")
    staff = _staff_user("bench-staf", "agency_staff", agencies[0])

    # Creators: users, profiles, subsectors.
    n = counts["creators"]
    names = _names(faker, rng, n)
    first_user = bulk.next_id(User)
    first_profile = bulk.next_id(CreatorProfile)
    joined = [now - dt.timedelta(days=rng.randint(0, 900)) for _ in range(n)]
    with transaction.atomic():
        bulk.insert(
            User,
            (
                {
                    "id": first_user + i,
                    "username": f"kreator{i}",
                    "email": f"kreator{i}@bench.ekraf.id",
                    "full_name": names[i],
                    "password": UNUSABLE_PASSWORD,
                    "is_active": True,
                    "date_joined": joined[i],
                    "email_verified_at": joined[i],
                }
                for i in range(n)
            ),
        )
        bulk.insert(
            CreatorProfile,
            (
                {
                    "id": first_profile + i,
                    "user_id": first_user + i,
                    "full_name": names[i],
                    "kelurahan_id": rng.choice(villages) if rng.random() < 0.93 else None,
                    "gender": rng.choice("LP"),
                    "birth_year": rng.randint(1970, 2007),
                    "phone": f"+62812{10_000_000 + i:08d}",  # unique, as the registry requires
                    "created_at": joined[i],
                    "updated_at": joined[i],
                }
                for i in range(n)
            ),
        )
        through = CreatorProfile.subsectors.through
        first_link = bulk.next_id(through)
        links = []
        for i in range(n):
            for subsector in rng.sample(subsectors, rng.choice((1, 1, 2, 3))):
                links.append((first_profile + i, subsector))
        bulk.insert(
            through,
            (
                {"id": first_link + k, "creatorprofile_id": p, "subsector_id": s}
                for k, (p, s) in enumerate(links)
            ),
        )
    out(f"  {n} pelaku ekraf, {len(links)} subsektor mereka")

    # Trainings with two sessions and two quota categories each.
    t = counts["trainings"]
    first_training = bulk.next_id(Training)
    first_session = bulk.next_id(Session)
    first_category = bulk.next_id(QuotaCategory)
    starts = [
        now - dt.timedelta(days=rng.randint(-60, 1000), hours=rng.randint(0, 8)) for _ in range(t)
    ]
    topics = [
        "Konten Kreator",
        "Fotografi Produk",
        "Videografi",
        "Pemasaran Digital",
        "Desain Grafis",
        "Kuliner Kekinian",
        "Podcast",
        "Branding Kota",
    ]
    kinds = ["bimtek", "workshop", "pelatihan"]
    with transaction.atomic():
        bulk.insert(
            Training,
            (
                {
                    "id": first_training + i,
                    "agency_id": agency_ids[i % len(agency_ids)],
                    "title": f"{kinds[i % 3].title()} {rng.choice(topics)} Angkatan {i + 1}",
                    "kind": kinds[i % 3],
                    "hours": rng.choice((8, 16, 24, 32)),
                    "status": "finished" if starts[i] < now - dt.timedelta(days=2) else "published",
                    "certificate_kind": "completion",
                    "completion_min_attendance": 100,
                    "created_at": starts[i] - dt.timedelta(days=30),
                    "updated_at": starts[i],
                    "published_at": starts[i] - dt.timedelta(days=28),
                }
                for i in range(t)
            ),
        )
        bulk.insert(
            Session,
            (
                {
                    "id": first_session + 2 * i + day,
                    "training_id": first_training + i,
                    "starts_at": starts[i] + dt.timedelta(days=day),
                    "ends_at": starts[i] + dt.timedelta(days=day, hours=7),
                    "address": "Malang Creative Center, Jl. A. Yani Utara No. 53",
                }
                for i in range(t)
                for day in range(2)
            ),
        )
        bulk.insert(
            QuotaCategory,
            (
                {
                    "id": first_category + 2 * i + c,
                    "training_id": first_training + i,
                    "name": ("Umum", "ASN")[c],
                    "seats": 70,
                    "position": c,
                }
                for i in range(t)
                for c in range(2)
            ),
        )
    out(f"  {t} pelatihan, {2 * t} sesi")

    # Registrations: distinct people per training; most confirmed, ~75% of those completed.
    r = counts["registrations"]
    per_training = max(1, r // t)
    first_registration = bulk.next_id(Registration)
    registrations = []  # (id, training index, user offset, completed)
    for i in range(t):
        people = rng.sample(range(n), min(per_training, n))
        for person in people:
            if len(registrations) >= r:
                break
            completed = rng.random() < 0.75
            registrations.append((first_registration + len(registrations), i, person, completed))
    tickets, public_ids = unique_codes(8), unique_codes(10)
    with transaction.atomic():
        bulk.insert(
            Registration,
            (
                {
                    "id": rid,
                    "ticket_code": next(tickets),
                    "public_id": next(public_ids),
                    "training_id": first_training + i,
                    "category_id": first_category + 2 * i + (rid % 2),
                    "user_id": first_user + person,
                    "status": "confirmed",
                    "full_name": names[person],
                    "email": f"kreator{person}@bench.ekraf.id",
                    "kelurahan_id": None,
                    "created_at": starts[i] - dt.timedelta(days=rng.randint(3, 25)),
                    "confirmed_at": starts[i] - dt.timedelta(days=3),
                    "completed": completed,
                }
                for rid, i, person, completed in registrations
            ),
        )
    out(f"  {len(registrations)} pendaftaran")

    # Attendance: both sessions of every registration, up to the count asked for.
    a = counts["attendance"]
    first_attendance = bulk.next_id(Attendance)
    with transaction.atomic():
        bulk.insert(
            Attendance,
            (
                {
                    "id": first_attendance + 2 * k + day,
                    "registration_id": rid,
                    "session_id": first_session + 2 * i + day,
                    "checked_in_at": starts[i] + dt.timedelta(days=day, minutes=rng.randint(0, 50)),
                    "method": "scan",
                }
                for k, (rid, i, _person, _completed) in enumerate(registrations[: a // 2])
                for day in range(2)
            ),
        )
    out(f"  {min(a, 2 * len(registrations))} kehadiran")

    # Certificates for completed registrations of finished trainings, numbered per agency-year.
    c = counts["certificates"]
    trainings = {
        pk: (agency_id, title, hours, status)
        for pk, agency_id, title, hours, status in Training.objects.values_list(
            "pk", "agency_id", "title", "hours", "status"
        )
    }
    agency_names = {a.pk: (a.name, a.short_name, a.code) for a in agencies}
    sequences: dict[tuple[int, int], int] = {}
    first_certificate = bulk.next_id(Certificate)
    rows = []
    for rid, i, person, completed in registrations:
        if len(rows) >= c:
            break
        training_id = first_training + i
        agency_id, title, hours, status = trainings[training_id]
        if not completed or status != "finished":
            continue
        issued = (starts[i] + dt.timedelta(days=2)).date()
        key = (agency_id, issued.year)
        sequences[key] = sequences.get(key, 0) + 1
        rows.append((rid, training_id, person, agency_id, title, hours, issued, sequences[key]))
    status_lists = {}
    with transaction.atomic():
        for agency_id in agency_ids:
            needed = sum(1 for row in rows if row[3] == agency_id)
            for number in range(1, needed // StatusList.SIZE + 2):
                status_lists[(agency_id, number)] = StatusList.objects.create(
                    agency_id=agency_id,
                    number=number,
                    scramble_a=secrets.randbelow(StatusList.SIZE // 2) * 2 + 1,
                    scramble_b=secrets.randbelow(StatusList.SIZE),
                )
        allocated: dict[int, int] = {}

        def slot(agency_id):
            k = allocated.get(agency_id, 0)
            allocated[agency_id] = k + 1
            status_list = status_lists[(agency_id, k // StatusList.SIZE + 1)]
            return status_list.pk, status_list.slot(k % StatusList.SIZE)

        from ekraf.credentials import codes

        def certificate_rows():
            for k, (rid, training_id, person, agency_id, title, hours, issued, seq) in enumerate(
                rows
            ):
                name, short, code = agency_names[agency_id]
                list_id, index = slot(agency_id)
                yield {
                    "id": first_certificate + k,
                    "code": codes.new_code(),
                    "number": f"{seq:05d}/{code.upper()}/E-SERT/{issued.year}",
                    "agency_id": agency_id,
                    "year": issued.year,
                    "sequence": seq,
                    "registration_id": rid,
                    "training_id": training_id,
                    "holder_id": first_user + person,
                    "kind": "completion",
                    "holder_name": names[person],
                    "training_title": title,
                    "training_kind": "Bimtek",
                    "agency_name": name,
                    "agency_short_name": short,
                    "city_name": "Kota Malang",
                    "hours": hours,
                    "starts_on": issued - dt.timedelta(days=2),
                    "ends_on": issued - dt.timedelta(days=1),
                    "place": "Malang Creative Center",
                    "signing_place": "Malang",
                    "issued_on": issued,
                    "issued_at": timezone.make_aware(dt.datetime.combine(issued, dt.time(10))),
                    "status_list_id": list_id,
                    "status_index": index,
                    "identity_salt": secrets.token_hex(8),
                    "recipient_hash": "sha256$" + secrets.token_hex(32),
                }

        bulk.insert(Certificate, certificate_rows())
        for (agency_id, number), status_list in status_lists.items():
            used = max(
                0,
                min(StatusList.SIZE, allocated.get(agency_id, 0) - (number - 1) * StatusList.SIZE),
            )
            StatusList.objects.filter(pk=status_list.pk).update(allocated=used)
        for (agency_id, year), last in sequences.items():
            CertificateCounter.objects.update_or_create(
                agency_id=agency_id, year=year, defaults={"last_sequence": last}
            )
    out(f"  {len(rows)} e-sertifikat")
    booked = room_bookings(counts.get("bookings", 0), rng, now, first_user, n)
    out(f"  {booked} pemesanan ruang")
    if connection.vendor == "postgresql":
        # What PostgreSQL's manual advises after a bulk load: without VACUUM the first reads of
        # every COPYed page write hint bits, and autovacuum then rewrites the tables while the
        # scenarios run, so the first scenario would measure the load, not the platform.
        # The same for the checkpoint: gigabytes of freshly written pages would otherwise be
        # flushed (spread over minutes) while the first scenario runs. Needs a superuser or
        # pg_checkpoint; without, the server flushes them on its own schedule.
        with connection.cursor() as cursor:
            cursor.execute("VACUUM (FREEZE, ANALYZE)")
            try:
                with transaction.atomic():
                    cursor.execute("CHECKPOINT")
            except DatabaseError:
                pass
    return City(
        counts={
            "creators": n,
            "trainings": t,
            "registrations": len(registrations),
            "attendance": min(a, 2 * len(registrations)),
            "certificates": len(rows),
            "bookings": booked,
        },
        seconds=time.monotonic() - started,
        organiser_id=organiser.pk,
        committee_id=committee.pk,
        staff_id=staff.pk,
        agency_ids=agency_ids,
    )
