"""The demo gives the indicators twelve months of history, rollups and an open-data release."""

import io

import pytest
from django.db.models import Sum

from ekraf.core.demokit import DemoContext
from ekraf.insights import demo, rollups
from ekraf.insights.models import Release, Rollup

pytestmark = pytest.mark.django_db


def test_twelve_months_of_history(city, settings):
    from ekraf.accounts import demo as accounts_demo
    from ekraf.creators import demo as creators_demo

    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    ctx = DemoContext(seed=2024, out=io.StringIO())
    accounts_demo.build(ctx)
    creators_demo.build(ctx)
    demo.build(ctx)
    months = set(Rollup.objects.filter(code="KRE-06").values_list("month", flat=True))
    assert len(months) >= 10  # sign-ups spread over the year
    first = rollups.current_month().replace(year=rollups.current_month().year - 1)
    levels = dict(
        Rollup.objects.filter(code="KRE-01", month__gte=first)
        .values_list("month")
        .annotate(n=Sum("value"))
    )
    ordered = [levels[m] for m in sorted(levels)]
    assert ordered == sorted(ordered) and ordered[0] < ordered[-1]  # the registry grows
    assert Release.objects.count() == 1
