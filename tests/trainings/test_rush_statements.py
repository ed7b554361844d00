"""Issue 13, point 9: the rush. Each registration through the API costs a fixed, small number
of statements — nothing read twice, the outbox row one INSERT — and its confirmation is not a
worker job of its own: one batched sweep a moment later sends the rush's messages together."""

import json

import pytest

from ekraf.accounts import services as accounts
from ekraf.core import notifications
from ekraf.core.models import OutboxMessage
from ekraf.trainings.models import Registration
from tests.trainings import factories as tf

pytestmark = pytest.mark.django_db

# token + its last use (2), training + sessions (2), profile and last registration for the
# defaults (2), categories, the one-active-registration check, then the seat transaction:
# savepoint, category lock, seat count, savepoint + INSERT + release (fresh codes), outbox
# INSERT, release. In production the two outer savepoints are BEGIN/COMMIT.
STATEMENTS_PER_REGISTRATION = 21  # 16 for the registration, 5 for its entry in the audit hash chain


def test_a_registration_costs_a_fixed_number_of_statements(
    client, training, django_assert_num_queries
):
    category = training.categories.first()
    url = f"/api/v1/trainings/{training.public_id}/registrations"
    for _ in range(3):  # the first, a middle one, a later one: the same cost
        _record, token = accounts.create_api_token(tf.person(), "rush")
        with django_assert_num_queries(STATEMENTS_PER_REGISTRATION):
            response = client.post(
                url,
                json.dumps({"category_id": category.pk}),
                content_type="application/json",
                HTTP_AUTHORIZATION=f"Bearer {token}",
            )
        assert response.status_code == 201, response.content
    assert Registration.objects.filter(status="confirmed").count() == 3


def test_an_unknown_category_is_still_a_404_on_category_id(client, training):
    _record, token = accounts.create_api_token(tf.person(), "rush")
    response = client.post(
        f"/api/v1/trainings/{training.public_id}/registrations",
        json.dumps({"category_id": 999999}),
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {token}",
    )
    assert response.status_code == 404
    assert response.json()["field"] == "category_id"


def test_a_rush_enqueues_one_sweep_not_one_job_per_registration(
    training, django_capture_on_commit_callbacks, monkeypatch
):
    from ekraf.core import tasks

    enqueued = []
    monkeypatch.setattr(notifications, "_sweep_until", 0.0)

    class Job:
        def __init__(self, kind):
            self.kind = kind

        def enqueue(self, *args):
            enqueued.append(self.kind)

        def using(self, **options):
            assert options["run_after"]  # a moment later, to gather the rush
            return self

    monkeypatch.setattr(tasks, "send_outbox_message", Job("one"))
    monkeypatch.setattr(tasks, "send_pending_outbox", Job("sweep"))
    with django_capture_on_commit_callbacks(execute=True):
        for _ in range(5):
            tf.register(training)
    assert enqueued == ["sweep"]
    assert OutboxMessage.objects.filter(status="pending").count() == 5
    assert notifications.send_pending() == 5  # what the sweep does: all of them, one connection
