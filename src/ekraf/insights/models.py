"""Tables of the insights app: the monthly rollups the dashboard reads, and the open-data
releases (immutable once published)."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class Rollup(models.Model):
    """One figure of one indicator for one month, cut by agency, kecamatan and one more key.

    The dimensions are stored as codes ("" = not cut that way): the agency's code, the
    kecamatan's Kemendagri code, and the indicator's own key (subsector code, gender, age band,
    room, status …). `value` is the count (or numerator); `base` the denominator of a rate.
    Rows are written only by `rollups.refresh_month`, which replaces a month's rows whole.
    """

    code = models.CharField(max_length=16)
    month = models.DateField()
    agency = models.CharField(max_length=40, blank=True, default="")
    kecamatan = models.CharField(max_length=13, blank=True, default="")
    key = models.CharField(max_length=40, blank=True, default="")
    value = models.BigIntegerField(default=0)
    base = models.BigIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["code", "month", "agency", "kecamatan", "key"], name="rollup_one_cell"
            )
        ]
        indexes = [models.Index(fields=["month", "code"])]

    def __str__(self):
        return f"{self.code} {self.month:%Y-%m} {self.agency}/{self.kecamatan}/{self.key}"


class RollupMonth(models.Model):
    """When a month's rollups were last recomputed (the freshness every page states)."""

    month = models.DateField(unique=True)
    refreshed_at = models.DateTimeField()
    duration_ms = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["month"]

    def __str__(self):
        return f"{self.month:%Y-%m} @ {self.refreshed_at:%Y-%m-%d %H:%M}"


class ImmutableError(Exception):
    pass


class Release(models.Model):
    """A monthly open-data release: suppressed, person-free tables, never changed once made.

    A correction is a new release of the same month with the next `revision` and a note that
    says what changed; the old one stays downloadable under its version.
    """

    month = models.DateField(_("bulan data"))
    revision = models.PositiveSmallIntegerField(default=1)
    version = models.CharField(max_length=20, unique=True)  # "2026-11" or "2026-11.r2"
    published_at = models.DateTimeField()
    data_as_of = models.DateTimeField()  # the rollups' freshness when it was cut
    note = models.TextField(_("catatan perubahan"))
    threshold = models.PositiveSmallIntegerField()
    datasets = models.JSONField(default=dict)  # code -> {"rows": n, "suppressed": n}

    class Meta:
        ordering = ["-month", "-revision"]
        constraints = [
            models.UniqueConstraint(fields=["month", "revision"], name="release_month_revision")
        ]

    def __str__(self):
        return self.version

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise ImmutableError("a published release is never changed")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ImmutableError("a published release is never deleted")


class ReleaseRow(models.Model):
    """One row of one dataset of a release, as published (suppressed cells are None)."""

    release = models.ForeignKey(Release, on_delete=models.PROTECT, related_name="rows")
    dataset = models.CharField(max_length=40)
    position = models.PositiveIntegerField()
    values = models.JSONField()

    class Meta:
        ordering = ["release", "dataset", "position"]
        constraints = [
            models.UniqueConstraint(
                fields=["release", "dataset", "position"], name="release_row_position"
            )
        ]

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise ImmutableError("a published release is never changed")
        super().save(*args, **kwargs)
