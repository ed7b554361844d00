"""Factories for the talent tests: creators in (or out of) the directory, speaker requests."""

import itertools
from datetime import timedelta

from django.utils import timezone

from ekraf.accounts.models import Role
from ekraf.creators.models import PathwayInterest
from ekraf.talent import search, services
from tests import factories
from tests.creators import factories as cf

_seq = itertools.count(1)


def talent(name=None, *, consent=True, pathways=(), channels=None, **fields):
    """A creator; with `consent` in the talent directory (and its search document built)."""
    n = next(_seq)
    if channels is None:
        channels = [("instagram", f"https://www.instagram.com/talenta.uji{n}/", 1000 * n)]
    profile = cf.creator(name, public=consent, channels=channels, password=None, **fields)
    for pathway in pathways:
        PathwayInterest.objects.create(profile=profile, pathway=pathway)
    search.refresh([profile.pk])
    return profile


def staff(agency, role=Role.AGENCY_STAFF):
    return factories.user("staf", role=role, agency=agency)


def at(days=3, hour=9, minute=0):
    base = timezone.localtime() + timedelta(days=days)
    return base.replace(hour=hour, minute=minute, second=0, microsecond=0)


def speaker_request(actor, agency, *, start=None, hours=2, **fields):
    start = start or at()
    data = {
        "event": "Seminar Ekonomi Kreatif",
        "topic": "Branding kota lewat konten",
        "starts_at": start,
        "ends_at": start + timedelta(hours=hours),
        "audience": "Pelajar SMA",
        "audience_size": 120,
        "honorarium": 1_500_000,
    }
    data.update(fields)
    return services.create_request(actor, agency=agency, **data)
