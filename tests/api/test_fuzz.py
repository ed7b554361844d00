"""The API answers anything a client can send with 2xx/4xx, never 5xx.

Schemathesis generates requests from the API's own OpenAPI document (valid ones, and ones
that break the schema on purpose) and sends them through Django's WSGI application, anonymous
and with the token of a user who is both an organiser and a creator (so the staff endpoints
and `/me/profile` run their real code, not just a 401/403). Each run is bounded by a fixed
number of examples per generation mode, and derandomised so a failure reproduces. It found,
on PostgreSQL: NUL characters in paths, queries and bodies, page numbers beyond any integer,
follower counts beyond the column.
"""

import collections

import pytest
import schemathesis
from django.core.handlers.wsgi import WSGIHandler
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from django.test import Client
from hypothesis import HealthCheck, Phase, given
from hypothesis import settings as hsettings
from schemathesis.generation import GenerationMode

from ekraf.accounts import services as account_services
from ekraf.api.api import api
from ekraf.credentials import keys
from tests import factories
from tests.credentials import factories as cf

pytestmark = pytest.mark.django_db

# Examples are drawn over every operation of the API: with the spaces routes (11 more) 150 no
# longer reached GET /api/v1/creators with a valid query at all.
EXAMPLES = 300


@pytest.fixture
def wsgi_app():
    """Django's WSGI application, without what Django's own test client also switches off:
    closing "old" connections at each request, which would close the test's transaction."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield WSGIHandler()
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture
def token(settings, tmp_path, diskominfo):
    settings.VERIFY_RATE_PER_MINUTE = 100_000  # the limiter is tested elsewhere
    settings.CREDENTIAL_KEYS_DIR = tmp_path / "keys"
    keys.forget()
    keys.init()
    person = factories.user("fuzzer", role="organiser", agency=diskominfo)
    account_services.grant_role(person, "creator")
    training = cf.training(diskominfo)
    cf.registration(training)
    cf.issue(training)
    yield account_services.create_api_token(person, "fuzz")[1]
    keys.forget()


def _schema(app):
    schema = schemathesis.openapi.from_dict(api.get_openapi_schema())
    schema.app = app
    return schema


@pytest.mark.parametrize("mode", [GenerationMode.POSITIVE, GenerationMode.NEGATIVE])
@pytest.mark.parametrize("authenticated", [True, False], ids=["token", "anonymous"])
def test_no_request_makes_the_api_fail_with_5xx(wsgi_app, token, mode, authenticated):
    headers = {"Authorization": f"Bearer {token}"} if authenticated else {}
    answers: collections.Counter = collections.Counter()
    failures = []

    @given(case=_schema(wsgi_app).as_strategy(generation_mode=mode))
    @hsettings(
        max_examples=EXAMPLES,
        deadline=None,
        derandomize=True,
        database=None,
        phases=[Phase.explicit, Phase.generate],
        suppress_health_check=list(HealthCheck),
    )
    def run(case):
        response = case.call(headers=headers)
        answers[(case.method, case.path, response.status_code)] += 1
        if response.status_code >= 500:
            failures.append(
                f"{case.method} {case.formatted_path} query={case.query} body={case.body!r} "
                f"-> {response.status_code}"
            )

    run()
    assert not failures, "\n".join(failures[:20])
    if authenticated and mode == GenerationMode.POSITIVE:
        # The token works, so the authenticated endpoints ran their own code. Which of them
        # the 150 derandomised draws reach shifts with the schema (one draw in ~25 operations):
        # at least one answered 200, and the token is shown to work on each directly.
        reached = {path for (_method, path, status) in answers if status == 200}
        assert reached & {"/api/v1/me/profile", "/api/v1/creators"}, sorted(answers)
        client = Client(HTTP_AUTHORIZATION=f"Bearer {token}")
        for path in ("/api/v1/me/profile", "/api/v1/creators"):
            assert client.get(path).status_code == 200, path
