"""Programmes, roles and creators ready for matching, built through the services."""

from __future__ import annotations

import datetime

from django.utils import timezone

from ekraf.core.models import Region, Subsector
from ekraf.creators import services as creator_services
from ekraf.creators.models import Consent, PathwayInterest
from ekraf.programs import services
from tests import factories
from tests.creators import factories as cf


def staff(agency):
    return factories.user("staf", role="agency_staff", agency=agency)


def programme(
    agency,
    *,
    by=None,
    title="Kampanye Branding Kota",
    subsectors=("kuliner", "fotografi"),
    districts=("Lowokwaru",),
    starts_in=10,
    days=30,
    hashtags="#MalangBeken",
    status="open",
    roles=(("content_creator", 10),),
    **extra,
):
    by = by or staff(agency)
    start = timezone.localdate() + datetime.timedelta(days=starts_in)
    p = services.create_programme(
        by,
        services.ProgrammeInput(
            agency_id=agency.pk,
            title=title,
            objective="Membangun citra kota",
            starts_on=start,
            ends_on=start + datetime.timedelta(days=days),
            roles=[services.RoleInput(p, n) for p, n in roles],
            hashtags=hashtags,
            subsector_ids=list(
                Subsector.objects.filter(code__in=subsectors).values_list("pk", flat=True)
            ),
            district_ids=list(
                Region.objects.filter(level="kecamatan", name__in=districts).values_list(
                    "pk", flat=True
                )
            ),
            **extra,
        ),
    )
    if status in ("open", "running", "closed"):
        services.set_status(by, p, "open")
    if status in ("running", "closed"):
        services.set_status(by, p, "running")
    if status == "closed":
        services.set_status(by, p, "closed")
    p.refresh_from_db()
    p._staff = by
    return p


def candidate(name, *, consent=True, pathway="content_creator", **kwargs):
    profile = cf.creator(name, **kwargs)
    if consent:
        creator_services.give_consent(profile, Consent.Purpose.TALENT_DIRECTORY)
    if pathway:
        PathwayInterest.objects.create(profile=profile, pathway=pathway)
    return profile
