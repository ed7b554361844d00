"""Reads of the newsroom for pages, the API and the feeds, each in a fixed number of queries."""

from __future__ import annotations

import json
from dataclasses import dataclass

from django.db import connection
from django.db.models import Count, Prefetch, QuerySet
from django.utils import timezone

from ekraf.core.models import Region

from .models import Complaint, Correction, Story, StoryPhoto

S = Story.Status
PAGE_SIZE = 20


def _public_photos():
    return Prefetch("photos", queryset=StoryPhoto.objects.order_by("position", "id"))


def published() -> QuerySet:
    """Published stories, newest first, with what a list shows (region, author, first photo)."""
    return (
        Story.objects.filter(status=S.PUBLISHED)
        .select_related("region", "district", "author", "author__creator_profile")
        .prefetch_related(_public_photos())
        .order_by("-published_at", "-pk")
    )


def published_in(region: Region) -> QuerySet:
    if region.level == Region.Level.DISTRICT:
        return published().filter(district=region)
    return published().filter(region=region)


def public_story(public_id: str) -> Story | None:
    """A story the public may see at its address: published, or retracted (its notice)."""
    return (
        Story.objects.filter(public_id=public_id, status__in=[S.PUBLISHED, S.RETRACTED])
        .select_related("region__parent", "district", "author", "author__creator_profile")
        .prefetch_related(
            _public_photos(),
            Prefetch("corrections", queryset=Correction.objects.order_by("created_at")),
            Prefetch(
                "complaints",
                queryset=Complaint.objects.filter(outcome=Complaint.Outcome.REPLY).order_by(
                    "decided_at"
                ),
                to_attr="replies",
            ),
        )
        .first()
    )


def byline(story: Story) -> dict | None:
    """The reporter's display name and public profile, only with their consent."""
    if not story.byline_consent:
        return None
    profile = getattr(story.author, "creator_profile", None)
    name = (profile.name if profile else "") or str(story.author)
    return {"name": name, "profile": profile}


def public_profile_link(profile) -> str | None:
    if profile is None:
        return None
    from ekraf.creators.selectors import has_public_profile

    if not has_public_profile(profile):
        return None
    from django.urls import reverse

    return reverse("creators:public_profile", args=[profile.public_id])


def region_by_code(code: str) -> Region | None:
    return (
        Region.objects.filter(code=code, level__in=[Region.Level.DISTRICT, Region.Level.VILLAGE])
        .select_related("parent")
        .first()
    )


def districts() -> list[Region]:
    return list(Region.objects.filter(level=Region.Level.DISTRICT).order_by("name"))


def corrections() -> QuerySet:
    return (
        Correction.objects.filter(story__status=S.PUBLISHED)
        .select_related("story")
        .order_by("-created_at")
    )


def my_stories(user) -> QuerySet:
    return Story.objects.filter(author=user).select_related("region").order_by("-updated_at")


def editable_story(public_id: str) -> Story | None:
    return (
        Story.objects.filter(public_id=public_id)
        .select_related("region", "district", "author", "locked_by")
        .prefetch_related("photos", "subsectors")
        .first()
    )


@dataclass
class DeskFilters:
    status: str = ""
    district: str = ""
    assignee: str = ""
    due: str = ""

    @classmethod
    def from_query(cls, params) -> DeskFilters:
        return cls(**{k: params.get(k, "") for k in ("status", "district", "assignee", "due")})


DESK_STATUSES = [S.SUBMITTED, S.IN_REVIEW, S.CHANGES_REQUESTED, S.APPROVED, S.SCHEDULED]


def desk(filters: DeskFilters, editor) -> QuerySet:
    qs = Story.objects.exclude(status=S.DRAFT).select_related(
        "region", "district", "author", "locked_by"
    )
    statuses = [filters.status] if filters.status else DESK_STATUSES
    if filters.due in ("terlambat", "pengaduan") and not filters.status:
        statuses = [S.PUBLISHED]  # complaints are filed against published stories only
    qs = qs.filter(status__in=statuses)
    if filters.district:
        qs = qs.filter(district__code=filters.district)
    if filters.assignee == "saya":
        qs = qs.filter(locked_by=editor, locked_until__gt=timezone.now())
    elif filters.assignee == "bebas":
        qs = qs.exclude(locked_until__gt=timezone.now())
    if filters.due == "terlambat":
        qs = qs.filter(complaints__outcome="", complaints__due_at__lt=timezone.now()).distinct()
    elif filters.due == "pengaduan":
        qs = qs.filter(complaints__outcome="").distinct()
    return qs.order_by("submitted_at", "pk")


def status_counts() -> dict[str, int]:
    rows = Story.objects.values_list("status").annotate(n=Count("pk"))
    counts = {status: 0 for status in S.values}
    counts.update(dict(rows))
    return counts


def open_complaints() -> QuerySet:
    return Complaint.objects.filter(outcome="").select_related("story").order_by("due_at")


def decided_complaints() -> QuerySet:
    return (
        Complaint.objects.exclude(outcome="")
        .select_related("story", "decided_by")
        .order_by("-decided_at")
    )


def with_tag(qs: QuerySet, tag: str) -> QuerySet:
    """Stories carrying a topic tag. PostgreSQL answers JSON containment (`tags @> ["umkm"]`);
    SQLite has no such lookup, so there the stored JSON text is searched for the quoted tag
    (tags are slugs from `Topic`, so a quoted match is the whole tag)."""
    if connection.vendor == "postgresql":
        return qs.filter(tags__contains=[tag])
    return qs.filter(tags__icontains=json.dumps(tag))
