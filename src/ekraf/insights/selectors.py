"""The committee dashboard's figures: a fixed handful of grouped queries, whatever the size of
the city (each figure is one GROUP BY in the database, never a loop over rows in Python)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.db.models import Count, Q
from django.db.models.functions import TruncMonth

from ekraf.core.models import Agency, Region, Subsector
from ekraf.creators.models import CreatorProfile
from ekraf.credentials.models import Certificate
from ekraf.trainings.models import Registration, Training


@dataclass
class Row:
    label: str
    count: int
    share: float = 0.0  # of the largest row, 0..1, for the bars


@dataclass
class AgencyTrainings:
    agency: str
    trainings: int
    finished: int
    participants: int  # confirmed registrations of finished trainings
    completed: int

    @property
    def completion_rate(self) -> float | None:
        return self.completed / self.participants if self.participants else None


@dataclass
class Month:
    month: dt.date
    issued: int
    revoked: int
    share: float = 0.0


@dataclass
class Dashboard:
    creators: int = 0
    by_subsector: list[Row] = field(default_factory=list)
    by_kecamatan: list[Row] = field(default_factory=list)
    trainings: list[AgencyTrainings] = field(default_factory=list)
    certificates_by_month: list[Month] = field(default_factory=list)

    @property
    def trainings_total(self) -> int:
        return sum(row.trainings for row in self.trainings)

    @property
    def participants(self) -> int:
        return sum(row.participants for row in self.trainings)

    @property
    def completed(self) -> int:
        return sum(row.completed for row in self.trainings)

    @property
    def completion_rate(self) -> float | None:
        return self.completed / self.participants if self.participants else None

    @property
    def certificates(self) -> int:
        return sum(month.issued for month in self.certificates_by_month)

    @property
    def revoked(self) -> int:
        return sum(month.revoked for month in self.certificates_by_month)


def _shares(rows, value=lambda row: row.count):
    largest = max((value(row) for row in rows), default=0)
    for row in rows:
        row.share = value(row) / largest if largest else 0.0
    return rows


ACTIVE_CREATORS = Q(deleted_at__isnull=True)


def creators_total() -> int:
    return CreatorProfile.objects.filter(ACTIVE_CREATORS).count()


def creators_by_subsector() -> list[Row]:
    rows = (
        Subsector.objects.annotate(n=Count("creators", filter=Q(creators__deleted_at__isnull=True)))
        .order_by("-n", "position")
        .values_list("name_id", "n")
    )
    return _shares([Row(name, n) for name, n in rows])


def creators_by_kecamatan() -> list[Row]:
    counted = (
        CreatorProfile.objects.filter(ACTIVE_CREATORS)
        .values("kelurahan__parent_id")
        .annotate(n=Count("id"))
        .values_list("kelurahan__parent_id", "n")
    )
    by_id = dict(counted)
    names = Region.objects.filter(level=Region.Level.DISTRICT).order_by("name")
    rows = [Row(name, by_id.pop(pk, 0)) for pk, name in names.values_list("pk", "name")]
    rows.sort(key=lambda row: (-row.count, row.label))
    unknown = sum(by_id.values())
    if unknown:
        rows.append(Row(str(_unknown_area()), unknown))
    return _shares(rows)


def _unknown_area():
    from django.utils.translation import gettext

    return gettext("Belum diisi / luar kota")


def trainings_by_agency() -> list[AgencyTrainings]:
    finished = Training.Status.FINISHED
    trainings = dict(
        (agency_id, (total, done))
        for agency_id, total, done in Training.objects.exclude(status=Training.Status.DRAFT)
        .values("agency_id")
        .annotate(total=Count("id"), done=Count("id", filter=Q(status=finished)))
        .values_list("agency_id", "total", "done")
    )
    participants = {
        agency_id: (confirmed, completed)
        for agency_id, confirmed, completed in Registration.objects.filter(
            status=Registration.Status.CONFIRMED, training__status=finished
        )
        .values("training__agency_id")
        .annotate(confirmed=Count("id"), completed=Count("id", filter=Q(completed=True)))
        .values_list("training__agency_id", "confirmed", "completed")
    }
    names = dict(
        Agency.objects.filter(pk__in=set(trainings) | set(participants)).values_list(
            "pk", "short_name"
        )
    )
    rows = [
        AgencyTrainings(
            agency=names.get(pk, "?"),
            trainings=trainings.get(pk, (0, 0))[0],
            finished=trainings.get(pk, (0, 0))[1],
            participants=participants.get(pk, (0, 0))[0],
            completed=participants.get(pk, (0, 0))[1],
        )
        for pk in names
    ]
    return sorted(rows, key=lambda row: (-row.trainings, row.agency))


def certificates_by_month() -> list[Month]:
    rows = (
        Certificate.objects.annotate(month=TruncMonth("issued_on"))
        .values("month")
        .annotate(issued=Count("id"), revoked=Count("id", filter=Q(revoked_at__isnull=False)))
        .order_by("month")
        .values_list("month", "issued", "revoked")
    )
    return _shares(
        [Month(month, issued, revoked) for month, issued, revoked in rows], lambda m: m.issued
    )


def dashboard() -> Dashboard:
    return Dashboard(
        creators=creators_total(),
        by_subsector=creators_by_subsector(),
        by_kecamatan=creators_by_kecamatan(),
        trainings=trainings_by_agency(),
        certificates_by_month=certificates_by_month(),
    )
