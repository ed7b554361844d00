"""The demo: published stories with photos in all five kecamatan, a correction, a complaint,
stories in review and one sent back — the `editor` login has work."""

import io

import pytest
from django.urls import reverse

from ekraf.accounts.models import User
from ekraf.core.demokit import DemoContext
from ekraf.core.models import Region
from ekraf.newsroom import demo
from ekraf.newsroom.models import Complaint, Correction, Story

S = Story.Status


@pytest.fixture
def demo_city(city):
    from ekraf.accounts import demo as accounts_demo

    ctx = DemoContext(seed=2024, out=io.StringIO())
    accounts_demo.build(ctx)
    demo.build(ctx)
    return ctx


def test_demo_covers_every_kecamatan_and_gives_the_editor_work(demo_city, client):
    published = Story.objects.filter(status=S.PUBLISHED)
    districts = set(Region.objects.filter(level="kecamatan").values_list("pk", flat=True))
    assert set(published.values_list("district", flat=True)) == districts
    assert all(s.photos.exists() for s in published)
    assert Correction.objects.exists() and Complaint.objects.filter(outcome="").exists()
    assert Story.objects.filter(status=S.CHANGES_REQUESTED).count() == 1
    assert Story.objects.filter(status__in=[S.SUBMITTED, S.IN_REVIEW]).count() >= 2
    client.force_login(User.objects.get(username="editor"))
    page = client.get(reverse("newsroom:desk")).content.decode()
    assert page.count('href="/kelola/redaksi/') >= 3
