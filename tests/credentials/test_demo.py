"""The credentials demo shows a re-issued certificate (the old one "diganti") and a revoked one
with a listed reason."""

import io

import pytest
from django.urls import reverse

from ekraf.core.demokit import DemoContext
from ekraf.credentials import demo
from ekraf.credentials.models import Certificate

pytestmark = pytest.mark.django_db


def test_demo_has_a_reissued_and_a_revoked_certificate(client, city, settings):
    from ekraf.accounts import demo as accounts_demo
    from ekraf.trainings import demo as trainings_demo

    ctx = DemoContext(seed=2024, out=io.StringIO())
    accounts_demo.build(ctx)
    trainings_demo.build(ctx)
    demo.build(ctx)
    old = Certificate.objects.filter(superseded_at__isnull=False).select_related("superseded_by")
    assert old.count() == 1
    replaced = old.get()
    assert replaced.superseded_by.holder_name.endswith(", S.Kom.")
    page = client.get(reverse("credentials:verify_code", args=[replaced.code])).content.decode()
    assert "DIGANTI" in page and replaced.superseded_by.code in page
    revoked = Certificate.objects.get(revoked_at__isnull=False)
    assert revoked.revoked_category == "issued_in_error"
