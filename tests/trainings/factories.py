"""Factories for trainings tests: a training with sessions and quota categories, people to
register, and the applicant data a registration form would send."""

import itertools
from datetime import timedelta

from django.utils import timezone

from ekraf.core.models import Space
from ekraf.trainings import services
from ekraf.trainings.models import QuotaCategory, Session, Training
from tests import factories

_seq = itertools.count(1)


def training(
    agency,
    *,
    title=None,
    status=Training.Status.PUBLISHED,
    categories=(("Umum", 30),),
    sessions=2,
    starts_in=timedelta(days=7),
    session_hours=3,
    space_code="ruang-workshop",
    selection_mode=Training.SelectionMode.FIRST_COME,
    **fields,
) -> Training:
    """A training of `agency` whose first session starts `starts_in` from now, one session per
    day. Categories are (name, seats) or dicts of QuotaCategory fields."""
    n = next(_seq)
    t = Training.objects.create(
        agency=agency,
        title=title or f"Bimtek Uji {n}",
        status=status,
        selection_mode=selection_mode,
        published_at=timezone.now() if status != Training.Status.DRAFT else None,
        **fields,
    )
    space = Space.objects.filter(code=space_code).first() if space_code else None
    start = timezone.now() + starts_in
    for i in range(sessions):
        Session.objects.create(
            training=t,
            starts_at=start + timedelta(days=i),
            ends_at=start + timedelta(days=i, hours=session_hours),
            space=space,
            address="" if space else "Jl. Besar Ijen No. 1",
        )
    for position, category in enumerate(categories):
        data = (
            {"name": category[0], "seats": category[1]} if isinstance(category, tuple) else category
        )
        QuotaCategory.objects.create(training=t, position=position, **data)
    return t


def person(prefix="peserta", **extra):
    return factories.user(prefix, role="creator", **extra)


def applicant(user, **overrides) -> services.Applicant:
    data = {
        "full_name": user.full_name or user.username,
        "email": user.email,
        "phone": "",
        "audience": "umum",
    }
    data.update(overrides)
    return services.Applicant(**data)


def register(training, user=None, *, category=None, actor=None, now=None, **overrides):
    user = user or person()
    return services.register(
        actor or user, training, applicant(user, **overrides), category=category, user=user, now=now
    )
