"""A small crafted city whose every indicator is computed by hand in the tests.

March 2026 (WIB):
- creators: A (Dinoyo, P, 1990, fotografi+kuliner, pathway content creator), B (Dinoyo, L,
  2004, fotografi), C (Arjosari, P, no birth year, no subsector), D (no kelurahan, gender
  blank, 1960), E registered in March and removed in March (not counted at the end of March),
  F registered in April (not counted in March).
- Diskominfo training T1 (finished, 2 sessions in March): 4 confirmed (3 completed, 1 not),
  1 cancelled, 1 waitlisted; attendance 3 + 2 of the 8 confirmed × sessions; scores of two
  participants: 60→80 and 70→75; seats 5.
- Diskopindag training T2 (finished, 1 session in March): 2 confirmed (1 completed); seats 2.
- Diskominfo training T3 (published, first session in April): not in March.
- certificates: 2 issued in March by Diskominfo, one of them revoked in April.
- referrals: 2 in March to Disnaker (one certified, one received).
- room: open Mondays 08–12 (5 Mondays in March 2026 = 1 200 minutes); one approved booking of
  2 hours and one released booking (not counted) in March → 10 %.
"""

import datetime as dt
import itertools
from decimal import Decimal

from django.utils import timezone

from ekraf.core.models import Subsector
from ekraf.creators.models import CreatorProfile, PathwayInterest
from ekraf.credentials.models import Certificate, Referral, StatusList
from ekraf.insights.indicators import AGENCY, COUNT, Indicator
from ekraf.spaces.models import Booking, OpeningHours
from ekraf.trainings.models import Attendance, QuotaCategory, Registration, Session, Training
from tests import factories

MARCH = dt.date(2026, 3, 1)
APRIL = dt.date(2026, 4, 1)
_seq = itertools.count(1)


def at(day: dt.date, hour=10):
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour)))


def creator(village, gender, birth_year, subsectors=(), created=MARCH, deleted=None, path=None):
    user = factories.user("kreator")
    profile = CreatorProfile.objects.create(
        user=user,
        full_name=user.full_name,
        kelurahan=factories.village(village) if village else None,
        gender=gender,
        birth_year=birth_year,
        deleted_at=at(deleted) if deleted else None,
    )
    CreatorProfile.objects.filter(pk=profile.pk).update(created_at=at(created))
    profile.subsectors.set(Subsector.objects.filter(code__in=subsectors))
    if path:
        PathwayInterest.objects.create(profile=profile, pathway=path)
    return profile


def training(agency, status, days, seats):
    obj = Training.objects.create(
        agency=agency, title=f"Bimtek {next(_seq)}", status=status, hours=8
    )
    for day in days:
        Session.objects.create(training=obj, starts_at=at(day, 9), ends_at=at(day, 12))
    category = QuotaCategory.objects.create(training=obj, name="Umum", seats=seats)
    return obj, category


def register(
    training_obj,
    category,
    status="confirmed",
    completed=None,
    village=None,
    pre=None,
    post=None,
    user=None,
):
    user = user or factories.user("peserta")
    return Registration.objects.create(
        training=training_obj,
        category=category,
        user=user,
        status=status,
        full_name=user.full_name,
        completed=completed,
        kelurahan=factories.village(village) if village else None,
        pre_test_score=Decimal(pre) if pre is not None else None,
        post_test_score=Decimal(post) if post is not None else None,
    )


def certificate(registration, issued_on, revoked_at=None):
    n = next(_seq)
    status_list, _ = StatusList.objects.get_or_create(
        agency=registration.training.agency,
        number=1,
        defaults={"scramble_a": 1, "scramble_b": 0},
    )
    return Certificate.objects.create(
        status_list=status_list,
        status_index=n,
        identity_salt="garam",
        recipient_hash="sha256$uji",
        code=f"CODE{n:08d}",
        number=f"{n}/X/2026",
        agency=registration.training.agency,
        year=issued_on.year,
        sequence=n,
        registration=registration,
        training=registration.training,
        holder=registration.user,
        kind="completion",
        holder_name=registration.full_name,
        training_title=registration.training.title,
        training_kind="Bimtek",
        agency_name="Dinas",
        agency_short_name="Dinas",
        issued_on=issued_on,
        revoked_at=at(revoked_at) if revoked_at else None,
        revoked_reason="Data keliru" if revoked_at else "",
    )


def build(diskominfo, diskopindag):
    creator("Dinoyo", "P", 1990, ["fotografi", "kuliner"], path="content_creator")
    creator("Dinoyo", "L", 2004, ["fotografi"])
    creator("Arjosari", "P", None)
    creator(None, "", 1960)
    creator("Dinoyo", "L", 1990, ["musik"], deleted=dt.date(2026, 3, 20))
    creator("Dinoyo", "L", 1990, ["musik"], created=APRIL)

    t1, c1 = training(diskominfo, "finished", [dt.date(2026, 3, 3), dt.date(2026, 3, 4)], 5)
    r1 = register(t1, c1, completed=True, village="Dinoyo", pre=60, post=80)
    r2 = register(t1, c1, completed=True, village="Dinoyo", pre=70, post=75)
    register(t1, c1, completed=True, village="Arjosari")
    r4 = register(t1, c1, completed=False)
    register(t1, c1, status="cancelled")
    register(t1, c1, status="waitlisted")
    sessions = list(t1.sessions.order_by("starts_at"))
    for reg, session in (
        (r1, sessions[0]),
        (r1, sessions[1]),
        (r2, sessions[0]),
        (r2, sessions[1]),
        (r4, sessions[0]),
    ):
        Attendance.objects.create(
            registration=reg, session=session, checked_in_at=session.starts_at, method="manual"
        )
    t2, c2 = training(diskopindag, "finished", [dt.date(2026, 3, 10)], 2)
    register(t2, c2, completed=True, village="Dinoyo")
    register(t2, c2, completed=False, village="Dinoyo")
    t3, c3 = training(diskominfo, "published", [dt.date(2026, 4, 7)], 10)
    register(t3, c3)

    certificate(r1, dt.date(2026, 3, 25))
    certificate(r2, dt.date(2026, 3, 26), revoked_at=dt.date(2026, 4, 2))

    disnaker = factories.agency("disnaker-pmptsp")
    for status in ("certified", "received"):
        user = factories.user("rujuk")
        referral = Referral.objects.create(
            user=user,
            agency=disnaker,
            full_name=user.full_name,
            scheme="Fotografer",
            status=status,
        )
        Referral.objects.filter(pk=referral.pk).update(created_at=at(dt.date(2026, 3, 15)))

    from tests.spaces import factories as sf

    room = sf.room("ruang-workshop")
    OpeningHours.objects.filter(room=room).delete()
    OpeningHours.objects.create(room=room, weekday=0, opens=dt.time(8), closes=dt.time(12))
    for status, day in (("approved", dt.date(2026, 3, 2)), ("released", dt.date(2026, 3, 9))):
        Booking.objects.create(
            space=room.space,
            status=status,
            starts_at=at(day, 9),
            ends_at=at(day, 11),
            until=at(day, 11),
            title="Kelas foto",
        )
    return {"t1": t1, "t2": t2, "room": room}


def unavailable_indicator() -> Indicator:
    """Every indicator of issue 15 has its source now: a made-up one stands for the next."""
    return Indicator(
        code="XXX-01",
        name="Indikator uji",
        theme="talent",
        concept="Uji",
        formula="Σ uji",
        unit=COUNT,
        classification=(AGENCY,),
        sources=("nowhere.Model",),
        requires=("nowhere.Model",),
    )
