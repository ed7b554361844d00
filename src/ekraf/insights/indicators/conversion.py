"""Trained → active: of the people who finished (passed) a training in a month, the share who
within six months afterwards delivered approved programme content, published a citizen story,
or spoke at a speaker request.

A person finishes a training when their confirmed registration of a finished training is
marked passed; the moment is the end of the training's last session (local time), and the
month of that moment is the month they are counted in. A person is counted once per agency
per month (the agency that ran the training); they are active when one of the three things
happened after one of that month's finishes and no later than six calendar months after it:
- a deliverable of theirs approved (its approval time);
- a story of theirs published and still published (its publication time);
- a speaker booking of theirs accepted or completed whose session has ended (its start).
"""

from __future__ import annotations

import calendar
import datetime as dt
from collections import defaultdict

from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ekraf.newsroom.models import Story
from ekraf.programs.models import Deliverable
from ekraf.talent.models import SpeakerBooking
from ekraf.trainings.models import Registration, Training

from . import AGENCY, PERCENT, Figure, Indicator, bounds, register

WINDOW_MONTHS = 6
SPOKE = (SpeakerBooking.Status.ACCEPTED, SpeakerBooking.Status.COMPLETED)


def add_months(moment: dt.datetime, months: int) -> dt.datetime:
    """The same local wall-clock time `months` later (the 31st becomes the month's last day)."""
    local = timezone.localtime(moment)
    index = local.month - 1 + months
    year, month = local.year + index // 12, index % 12 + 1
    day = min(local.day, calendar.monthrange(year, month)[1])
    naive = local.replace(tzinfo=None, year=year, month=month, day=day)
    return timezone.make_aware(naive, timezone.get_current_timezone())


def finishes(month) -> list[tuple[str, int, dt.datetime]]:
    """(agency code, user id, finished at) of every passed registration finished that month."""
    start, end = bounds(month)
    trainings = (
        Training.objects.filter(status=Training.Status.FINISHED)
        .annotate(finished_at=Max("sessions__ends_at"))
        .filter(finished_at__gte=start, finished_at__lt=end)
    )
    ends = dict(trainings.values_list("id", "finished_at"))
    rows = Registration.objects.filter(
        training_id__in=list(ends), status=Registration.Status.CONFIRMED, completed=True
    ).values_list("training__agency__code", "user_id", "training_id")
    return [(agency, user, ends[training]) for agency, user, training in rows]


def activity(user_ids, start, end) -> dict[int, list[dt.datetime]]:
    """user id → the moments they were active in [start, end): three small queries."""
    out: dict[int, list[dt.datetime]] = defaultdict(list)
    if not user_ids:
        return out
    queries = (
        Deliverable.objects.filter(
            state=Deliverable.Status.APPROVED,
            approved_at__gte=start,
            approved_at__lt=end,
            engagement__creator__user_id__in=user_ids,
        ).values_list("engagement__creator__user_id", "approved_at"),
        Story.objects.filter(
            status=Story.Status.PUBLISHED,
            published_at__gte=start,
            published_at__lt=end,
            author_id__in=user_ids,
        ).values_list("author_id", "published_at"),
        SpeakerBooking.objects.filter(
            status__in=SPOKE,
            starts_at__gte=start,
            starts_at__lt=end,
            ends_at__lte=timezone.now(),
            creator__user_id__in=user_ids,
        ).values_list("creator__user_id", "starts_at"),
    )
    for query in queries:
        for user, moment in query:
            out[user].append(moment)
    return out


def converted(month) -> list[Figure]:
    done = finishes(month)
    if not done:
        return []
    start, end = bounds(month)
    moments = activity({user for _a, user, _f in done}, start, add_months(end, WINDOW_MONTHS))
    people: dict[tuple[str, int], list[dt.datetime]] = defaultdict(list)
    for agency, user, finished_at in done:
        people[agency, user].append(finished_at)
    value, base = defaultdict(int), defaultdict(int)
    for (agency, user), finished in people.items():
        base[agency] += 1
        if any(
            f < moment <= add_months(f, WINDOW_MONTHS)
            for f in finished
            for moment in moments.get(user, ())
        ):
            value[agency] += 1
    return [Figure(value[a], base[a], agency=a) for a in base]


register(
    Indicator(
        code="KNV-01",
        name=_("Konversi terlatih → aktif (6 bulan)"),
        theme="conversion",
        concept=_(
            "Bagian orang yang lulus pelatihan dan dalam 6 bulan sesudahnya menghasilkan konten "
            "program yang disetujui, menerbitkan berita warga, atau menjadi narasumber."
        ),
        formula=_("Σ lulusan bulan itu yang aktif dalam 6 bulan ÷ Σ lulusan bulan itu × 100"),
        unit=PERCENT,
        classification=(AGENCY,),
        sources=(
            "trainings.Training",
            "trainings.Session",
            "trainings.Registration",
            "programs.Deliverable",
            "newsroom.Story",
            "talent.SpeakerBooking",
        ),
        caveats=_(
            "Bulan lulus = bulan sesi terakhir pelatihan (WIB). Satu orang dihitung sekali per "
            "perangkat daerah per bulan. Angka bulan-bulan terakhir masih bisa naik selama "
            "jendela 6 bulan berjalan; rollup bulan itu dihitung ulang oleh tugas berkala "
            "sampai jendelanya tertutup."
        ),
        revisable_months=WINDOW_MONTHS + 1,
        compute=converted,
    )
)
