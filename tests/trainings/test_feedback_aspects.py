"""Issue 13, point 7: feedback with several questions — a rating per aspect (materi,
narasumber, tempat, waktu) and open questions — summarised with charts on the organiser's
page and in the activity report; feedback given before aspects existed still counts."""

from datetime import timedelta

import pytest
from django.urls import reverse

from ekraf.core.errors import DomainError
from ekraf.trainings import services
from ekraf.trainings.models import Feedback, Registration
from tests.trainings import factories as tf
from tests.trainings.test_papers import pdf_text

pytestmark = pytest.mark.django_db


@pytest.fixture
def running(diskominfo):
    return tf.training(
        diskominfo, starts_in=timedelta(days=-1, hours=-1), categories=(("Umum", 20),)
    )


def _attended(training, organiser, name="Peserta"):
    r = Registration.objects.create(
        training=training,
        category=training.categories.first(),
        user=tf.person(),
        status="confirmed",
        full_name=name,
    )
    services.check_in(organiser, training.sessions.first(), r.ticket_code)
    return r


def test_journey_participants_rate_each_aspect_and_the_organiser_reads_the_summary(
    client, organiser, running
):
    wulan = _attended(running, organiser, "Wulan Sari")
    client.force_login(wulan.user)
    url = reverse("trainings:feedback", args=[wulan.public_id])
    form = client.get(url).content.decode()
    for label in (
        "Penilaian materi",
        "Penilaian narasumber",
        "Penilaian tempat",
        "Penilaian waktu",
    ):
        assert label in form
    assert "Apa yang paling bermanfaat" in form
    response = client.post(
        url,
        {
            "rating": "5",
            "aspect_materi": "5",
            "aspect_narasumber": "4",
            "aspect_tempat": "3",
            "aspect_waktu": "4",
            "open_bermanfaat": "Praktik membuat reels",
            "open_topik": "Fotografi produk",
            "comment": "Ruangan agak panas",
        },
    )
    assert response.status_code == 302
    given = Feedback.objects.get(registration=wulan)
    assert given.aspect_ratings == {"materi": 5, "narasumber": 4, "tempat": 3, "waktu": 4}
    assert given.open_answers["bermanfaat"] == "Praktik membuat reels"
    # A second participant skips the venue (an online session), a third gave feedback
    # before aspects existed: only the overall rating.
    services.give_feedback(
        (r := _attended(running, organiser)).user,
        r,
        4,
        aspects={"materi": 3, "narasumber": 5, "waktu": 2},
    )
    old = _attended(running, organiser)
    Feedback.objects.create(registration=old, rating=3, comment="Lumayan")

    client.force_login(organiser)
    page = client.get(reverse("trainings:manage_feedback", args=[running.public_id]))
    body = page.content.decode()
    assert "3 tanggapan" in body
    assert body.count('<svg class="ekraf-chart" role="img"') == 6  # averages + 5 aspects
    assert "<title" in body and "Materi: 4" in body  # the chart's text alternative
    assert "Praktik membuat reels" in body and "Fotografi produk" in body
    summary = services_summary(running)
    by_key = {a.key: a for a in summary.aspects}
    assert by_key["overall"].count == 3 and str(by_key["overall"].average) == "4.0"
    assert by_key["tempat"].count == 1 and str(by_key["tempat"].average) == "3.0"
    assert str(by_key["waktu"].average) == "3.0"
    assert dict(by_key["narasumber"].distribution) == {5: 1, 4: 1, 3: 0, 2: 0, 1: 0}

    report = pdf_text(
        client.get(reverse("trainings:manage_report", args=[running.public_id])).content
    )
    assert "Penilaian per aspek" in report and "Narasumber" in report
    assert "Praktik membuat reels" in report


def services_summary(training):
    from ekraf.trainings import selectors

    return selectors.feedback_summary(training)


def test_feedback_values_are_checked_in_the_service(organiser, running):
    r = _attended(running, organiser)
    with pytest.raises(DomainError) as bad:
        services.give_feedback(r.user, r, 5, aspects={"materi": 6})
    assert bad.value.field == "aspect_materi"
    with pytest.raises(DomainError):
        services.give_feedback(r.user, r, 5, aspects={"parkir": 4})
    with pytest.raises(DomainError):
        services.give_feedback(r.user, r, 5, aspects={"materi": True})
    assert not Feedback.objects.exists()


def test_the_feedback_page_costs_the_same_queries_for_3_or_12_answers(
    client, organiser, running, django_assert_max_num_queries
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def answer(n):
        for _ in range(n):
            r = _attended(running, organiser)
            services.give_feedback(
                r.user, r, 4, "ok", aspects={"materi": 4}, open_answers={"topik": "AI"}
            )

    client.force_login(organiser)
    url = reverse("trainings:manage_feedback", args=[running.public_id])
    answer(3)
    with CaptureQueriesContext(connection) as few:
        assert client.get(url).status_code == 200
    answer(9)
    with django_assert_max_num_queries(len(few)):
        client.get(url)
