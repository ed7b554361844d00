"""A second crafted city for the talent, programme, newsroom and conversion indicators (kept
apart from crafted.py so that its creators do not change the figures computed there).

March 2026 (WIB) unless said otherwise. People: P1 (Dinoyo → Lowokwaru), P2 (Arjosari →
Blimbing), P3 (no kelurahan), N2, N3 (creators), the reporter R and N1 (users only).

- TAL-01 (assessed pathways): P1 content creator (5th) and narasumber (6th), P2 content
  creator (20th); P3 motivator on 1 April 00:30 WIB (31 March in UTC: April).
- TAL-02 (speaker bookings accepted/completed, month of start): request Q1 of Diskominfo in
  kelurahan Dinoyo on the 10th: P1 accepted, P2 declined; Q2 of Diskopindag in kecamatan
  Blimbing on the 12th: P2 completed, P3 withdrawn; Q3 of Diskominfo without a region on the
  20th 14:00–16:00: P1 completed, P3 only shortlisted.
- PRG (deliverables approved, month of approval): programme G1 of Diskominfo with hashtags
  #malangbeken #kotakreatif, G2 of Diskopindag without hashtags. D1 (P1, G1) approved on the
  5th, readings 100 views / 10+2+1+0 then (latest, 20th) 300 / 30+5+3+2; D2 (P2, G1) approved
  on the 25th, 50 / 5+0+0+1; D3 (P2, G1) only submitted, 1 000 views (not counted); D4 (P3,
  G2) approved on the 15th, no reading; D5 (P1, G1) approved 2 April, 70 views. N2's
  deliverable approved 2 September 10:00, N3's 2 September 13:00.
- BER-01 (stories published, month of publication): by P1 in Dinoyo on the 3rd; by R in
  Arjosari on 31 March 23:30 WIB (April in UTC: March); by R without a kelurahan on the 15th;
  one retracted (published on the 10th) and one scheduled (not counted); by N1 in Dinoyo on
  20 February; by R in Dinoyo on 5 April.
- KNV-01 (finished in March, active within 6 months): Diskominfo training K1 with sessions on
  27 February and 2 March (finished 2 March 12:00): P1, P2, R, N1, N2, N3 passed, N4 not;
  Diskominfo training K2 on 25 March: P1 passed again (counted once). Diskopindag training
  K3 on 20 March 09–12: P1 passed. Active: P1 (D1 on 5 March; Q3 at 14:00 on the 20th after
  K3), P2 (Q2 on the 12th), R (story 31 March), N2 (2 September 10:00 ≤ 2 September 12:00);
  not active: N1 (story before finishing), N3 (13:00 is after the window closed at 12:00).
  Diskominfo 4 of 6, Diskopindag 1 of 1.
- KNV-01 of a recent month: Diskominfo training K4 that ended ten days ago: N5 (an accepted
  booking in five days: not happened yet) and N6 (a booking completed yesterday) passed: 1 of 2.
"""

import datetime as dt

from django.utils import timezone

from ekraf.newsroom.models import Story
from ekraf.programs.models import Deliverable, Engagement, MetricReading, Programme, ProgrammeRole
from ekraf.talent.models import AssessedPathway, SpeakerBooking, SpeakerRequest
from tests import factories

from .crafted import creator, register, training

MARCH = dt.date(2026, 3, 1)
APRIL = dt.date(2026, 4, 1)
SEPTEMBER = dt.date(2026, 9, 1)


def moment(month, day, hour=10, minute=0):
    return timezone.make_aware(dt.datetime(month.year, month.month, day, hour, minute))


def assessed(profile, pathway, when):
    return AssessedPathway.objects.create(creator=profile, pathway=pathway, assessed_at=when)


def speaker_request(agency, region, start, hours=2):
    return SpeakerRequest.objects.create(
        agency=agency,
        event="Seminar",
        topic="Konten kota",
        region=region,
        starts_at=start,
        ends_at=start + dt.timedelta(hours=hours),
    )


def booking(request, profile, status):
    return SpeakerBooking.objects.create(
        request=request,
        creator=profile,
        starts_at=request.starts_at,
        ends_at=request.ends_at,
        status=status,
    )


def programme(agency, hashtags):
    obj = Programme.objects.create(
        agency=agency,
        title="Kampanye",
        objective="Citra kota",
        hashtags=hashtags,
        starts_on=dt.date(2026, 1, 1),
        ends_on=dt.date(2026, 12, 31),
        status="running",
    )
    role = ProgrammeRole.objects.create(programme=obj, pathway="content_creator", seats=10)
    return obj, role


def deliverable(programme_role, profile, approved_at=None, readings=()):
    obj, role = programme_role
    engagement, _ = Engagement.objects.get_or_create(
        programme=obj, role=role, creator=profile, defaults={"state": "approved"}
    )
    d = Deliverable.objects.create(
        engagement=engagement,
        platform="instagram",
        url="https://www.instagram.com/p/uji/",
        posted_on=dt.date(2026, 3, 1),
        state="approved" if approved_at else "submitted",
        approved_at=approved_at,
    )
    for read_at, views, likes, comments, shares, saves in readings:
        MetricReading.objects.create(
            deliverable=d,
            read_at=read_at,
            views=views,
            likes=likes,
            comments=comments,
            shares=shares,
            saves=saves,
            source="tangkapan layar",
        )
    return d


def story(author, village, published_at, status="published"):
    region = factories.village(village) if village else None
    return Story.objects.create(
        author=author,
        region=region,
        district=region.parent if region else None,
        status=status,
        title="Berita",
        published_at=published_at,
    )


def build(diskominfo, diskopindag):
    p1 = creator("Dinoyo", "P", 1990)
    p2 = creator("Arjosari", "L", 1995)
    p3 = creator(None, "", 2000)
    n2 = creator("Dinoyo", "P", 1999)
    n3 = creator("Dinoyo", "L", 1998)
    reporter, n1 = factories.user("pewarta"), factories.user("pewarta")

    assessed(p1, "content_creator", moment(MARCH, 5))
    assessed(p1, "narasumber", moment(MARCH, 6))
    assessed(p2, "content_creator", moment(MARCH, 20))
    assessed(p3, "motivator", moment(APRIL, 1, 0, 30))

    blimbing = factories.village("Arjosari").parent
    q1 = speaker_request(diskominfo, factories.village("Dinoyo"), moment(MARCH, 10, 9))
    booking(q1, p1, "accepted")
    booking(q1, p2, "declined")
    q2 = speaker_request(diskopindag, blimbing, moment(MARCH, 12, 9))
    booking(q2, p2, "completed")
    booking(q2, p3, "withdrawn")
    q3 = speaker_request(diskominfo, None, moment(MARCH, 20, 14))
    booking(q3, p1, "completed")
    booking(q3, p3, "shortlisted")

    g1 = programme(diskominfo, ["#malangbeken", "#kotakreatif"])
    g2 = programme(diskopindag, [])
    deliverable(
        g1,
        p1,
        moment(MARCH, 5),
        [(moment(MARCH, 6), 100, 10, 2, 1, 0), (moment(MARCH, 20), 300, 30, 5, 3, 2)],
    )
    deliverable(g1, p2, moment(MARCH, 25), [(moment(MARCH, 26), 50, 5, 0, 0, 1)])
    deliverable(g1, p2, None, [(moment(MARCH, 26), 1000, 0, 0, 0, 0)])
    deliverable(g2, p3, moment(MARCH, 15))
    deliverable(g1, p1, moment(APRIL, 2), [(moment(APRIL, 3), 70, 0, 0, 0, 0)])
    deliverable(g1, n2, moment(SEPTEMBER, 2, 10))
    deliverable(g1, n3, moment(SEPTEMBER, 2, 13))

    story(p1.user, "Dinoyo", moment(MARCH, 3))
    story(reporter, "Arjosari", moment(MARCH, 31, 23, 30))
    story(reporter, None, moment(MARCH, 15))
    story(reporter, "Dinoyo", moment(MARCH, 10), status="retracted")
    story(reporter, "Dinoyo", None, status="scheduled")
    story(n1, "Dinoyo", moment(dt.date(2026, 2, 1), 20))
    story(reporter, "Dinoyo", moment(APRIL, 5))

    k1, c1 = training(diskominfo, "finished", [dt.date(2026, 2, 27), dt.date(2026, 3, 2)], 10)
    for user in (p1.user, p2.user, reporter, n1, n2.user, n3.user):
        register(k1, c1, completed=True, user=user)
    register(k1, c1, completed=False, user=factories.user("peserta"))
    k2, c2 = training(diskominfo, "finished", [dt.date(2026, 3, 25)], 10)
    register(k2, c2, completed=True, user=p1.user)
    k3, c3 = training(diskopindag, "finished", [dt.date(2026, 3, 20)], 10)
    register(k3, c3, completed=True, user=p1.user)
    return {"p1": p1, "p2": p2, "p3": p3, "reporter": reporter}


def build_recent(diskominfo) -> dt.date:
    """K4, ended ten days ago; returns the month it is counted in."""
    now = timezone.now()
    ended = timezone.localdate(now - dt.timedelta(days=10))
    n5, n6 = creator("Dinoyo", "P", 2001), creator("Dinoyo", "L", 2002)
    k4, c4 = training(diskominfo, "finished", [ended], 10)
    register(k4, c4, completed=True, user=n5.user)
    register(k4, c4, completed=True, user=n6.user)
    soon = speaker_request(diskominfo, None, now + dt.timedelta(days=5))
    booking(soon, n5, "accepted")
    done = speaker_request(diskominfo, None, now - dt.timedelta(days=1, hours=3))
    booking(done, n6, "completed")
    return ended.replace(day=1)
