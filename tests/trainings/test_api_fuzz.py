"""The trainings API fuzzed from its own OpenAPI with schemathesis: whatever a client sends,
the answer is never a 5xx."""

import pytest
import schemathesis
from hypothesis import HealthCheck, settings

from ekraf.accounts import services as account_services
from ekraf.wsgi import application
from tests import factories
from tests.trainings import factories as tf

schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", application).include(
    tag="Pelatihan"
)


@pytest.fixture(autouse=True)
def _keep_the_test_connection():
    """Calling the WSGI app directly fires request_started/finished, whose handler closes the
    connection (and with it the test's transaction on PostgreSQL); the test client unhooks it
    the same way."""
    from django.core.signals import request_finished, request_started
    from django.db import close_old_connections

    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture
def token(db, settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    organiser = factories.user("fuzz", role="organiser", agency=factories.agency("diskominfo"))
    training = tf.training(factories.agency("diskominfo"))
    tf.register(training)
    _, token = account_services.create_api_token(organiser, "fuzz")
    return token


@pytest.mark.django_db
@schema.parametrize()
@settings(max_examples=15, deadline=None, suppress_health_check=list(HealthCheck))
def test_no_5xx(case, token):
    response = case.call(headers={"Authorization": f"Bearer {token}"})
    assert response.status_code < 500, (case.method, case.path, response.text[:500])
