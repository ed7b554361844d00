"""Point 10: the demo gives past trainings' participants assessed pathways and the `staf` login
speaker requests at every stage, with ratings."""

import io

import pytest

from ekraf.core.demokit import DemoContext
from ekraf.talent import demo
from ekraf.talent.models import AssessedPathway, DirectoryEntry, SpeakerBooking, SpeakerRequest

pytestmark = pytest.mark.django_db


def test_demo_builds_pathways_and_speaker_requests(city, settings):
    from ekraf.accounts import demo as accounts_demo
    from ekraf.creators import demo as creators_demo
    from ekraf.trainings import demo as trainings_demo

    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    ctx = DemoContext(seed=2024, out=io.StringIO())
    accounts_demo.build(ctx)
    creators_demo.build(ctx)
    trainings_demo.build(ctx)
    demo.build(ctx)
    assert AssessedPathway.objects.filter(training__isnull=False).exists()
    assert DirectoryEntry.objects.exists()
    statuses = set(SpeakerRequest.objects.values_list("status", flat=True))
    assert {"completed", "booked", "open"} <= statuses
    assert SpeakerBooking.objects.filter(rating__isnull=False).count() == 2
