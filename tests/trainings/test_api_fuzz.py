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
