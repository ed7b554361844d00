"""The demo city shows every trainings screen with data."""

import io

import pytest
from django.db.models import Count
from django.utils import timezone

from ekraf.accounts.models import User
from ekraf.core.demokit import DemoContext
from ekraf.core.models import OutboxMessage
from ekraf.trainings import demo
from ekraf.trainings.models import Attendance, Feedback, Registration, Training

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo_city(city, settings):
    from ekraf.accounts import demo as accounts_demo

    ctx = DemoContext(seed=2024, out=io.StringIO())
    accounts_demo.build(ctx)
    demo.build(ctx)
    return ctx


def test_demo_has_past_running_and_upcoming_trainings(demo_city):
    now = timezone.now()
    trainings = {t.title: t for t in Training.objects.all()}
    journey = trainings["Bimtek Konten Kreator: Branding Kota"]
    assert journey.agency.code == "diskominfo" and journey.status == "published"
    statuses = dict(
        Registration.objects.filter(training=journey).values_list("status").annotate(n=Count("pk"))
    )
    assert statuses["confirmed"] + statuses["offered"] == 30
    assert statuses["offered"] == 1 and statuses["waitlisted"] > 0
    offer = Registration.objects.get(training=journey, status="offered")
    assert offer.offer_expires_at > now
    assert {t.agency.code for t in trainings.values()} == {"diskominfo", "diskopindag"}
    assert {t.status for t in trainings.values()} >= {
        "draft",
        "published",
        "closed",
        "finished",
        "cancelled",
    }
    finished = [t for t in trainings.values() if t.status == "finished"]
    for t in finished:
        assert Attendance.objects.filter(session__training=t).exists()
        assert Registration.objects.filter(training=t, completed=True).exists()
        assert Registration.objects.filter(training=t, completed=False).exists()
        assert Feedback.objects.filter(registration__training=t).exists()
    running = trainings["Pelatihan Pemasaran Digital untuk UMKM"]
    first = running.sessions.order_by("starts_at").first()
    assert first.starts_at <= now <= first.ends_at and first.self_checkin
    assert Attendance.objects.filter(session=first).exists()
    assert Registration.objects.filter(status="applied").exists()  # selection mode
    # The people were told, and the organiser can forward each message.
    assert OutboxMessage.objects.filter(dedupe_key__startswith="trn:", status="sent").count() > 200
    assert not OutboxMessage.objects.filter(status="pending").exists()


def test_demo_creator_holds_a_ticket_and_a_completion(demo_city):
    kreator = User.objects.get(username="kreator")
    mine = Registration.objects.filter(user=kreator).select_related("training")
    upcoming = [r for r in mine if r.training.status == "published" and r.status == "confirmed"]
    completed = [r for r in mine if r.training.status == "finished" and r.completed]
    assert upcoming and completed


def test_demo_pages_render(client, demo_city):
    from django.urls import reverse

    assert client.get(reverse("trainings:catalogue")).status_code == 200
    client.force_login(User.objects.get(username="penyelenggara"))
    for t in Training.objects.filter(agency__code="diskominfo"):
        for name in (
            "manage_detail",
            "manage_participants",
            "manage_scores",
            "manage_feedback",
            "manage_report",
        ):
            assert (
                client.get(reverse(f"trainings:{name}", args=[t.public_id])).status_code == 200
            ), (t, name)


def test_demo_has_a_finished_training_whose_waiting_list_was_told(demo_city):
    unseated = Registration.objects.filter(status="unseated", training__status="finished")
    assert unseated.exists()
    told = OutboxMessage.objects.filter(kind="training.unseated", status="sent")
    assert told.count() == unseated.count()


def test_demo_training_asks_its_own_questions_and_gets_multi_question_feedback(demo_city):
    from ekraf.trainings import selectors
    from ekraf.trainings.models import RegistrationAnswer

    journey = Training.objects.get(title="Bimtek Konten Kreator: Branding Kota")
    assert journey.required_profile_fields == ["gender", "kelurahan"]
    kinds = list(journey.questions.values_list("kind", flat=True))
    assert kinds == ["short", "single", "multiple", "yesno", "long"]
    assert RegistrationAnswer.objects.filter(registration__training=journey).count() > 100
    past = Training.objects.get(title="Pelatihan Konten Kreator Angkatan I")
    assert past.questions.exists()
    summary = selectors.feedback_summary(past)
    rated = {a.key for a in summary.aspects if a.count}
    assert rated == {"overall", "materi", "narasumber", "tempat", "waktu"}
    assert any(texts for _question, texts in summary.open_answers)
