"""Point 10: the demo has a programme at every stage — an open call with applications, a
running one with delivered content, a closed one with metrics read twice."""

import io

import pytest

from ekraf.core.demokit import DemoContext
from ekraf.programs import demo, selectors
from ekraf.programs.models import Deliverable, MetricReading, Programme

pytestmark = pytest.mark.django_db


def test_demo_programmes_at_every_stage(city, settings):
    from ekraf.accounts import demo as accounts_demo
    from ekraf.creators import demo as creators_demo

    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    ctx = DemoContext(seed=2024, out=io.StringIO())
    accounts_demo.build(ctx)
    creators_demo.build(ctx)
    demo.build(ctx)
    assert set(Programme.objects.values_list("status", flat=True)) == {"open", "running", "closed"}
    closed = Programme.objects.get(status="closed")
    assert Deliverable.objects.filter(engagement__programme=closed, state="approved").count() == 3
    assert MetricReading.objects.filter(deliverable__engagement__programme=closed).count() == 6
    [total] = selectors.reach_totals([closed], "programme")
    assert total["reach"] > 0 and total["engagement"] > 0
    assert Programme.objects.get(status="open").engagements.filter(state="applied").exists()
