"""Fuzzing finds nothing: the API answers what its OpenAPI document says, for every role.

Schemathesis generates requests from the API's own OpenAPI document (valid ones, and ones that
break the schema on purpose) and sends them through Django's WSGI application, anonymous and
with the API token of each role of the permission matrix's world (tests/security/world.py: a
creator, an organiser and a staff member of agency A, an editor, a space manager, a committee
member, an administrator), so every operation runs its real code, not only its 401/403.

Each answer passes schemathesis's checks: no server error, a status code the operation
documents, the documented content type, and a body that matches the documented schema (errors
included: every 4xx carries `code`). Runs are derandomised and bounded (EXAMPLES per role), so a failure reproduces and the file stays within a few minutes.

Found so far, on PostgreSQL: NUL characters in paths, queries and bodies, page numbers beyond any
integer, follower counts beyond the column; status codes the operations answered but did not
document (401 on token-only reads, 422 on queries, 429 on throttled writes).
"""

import collections

import pytest
import schemathesis
from django.core.handlers.wsgi import WSGIHandler
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from hypothesis import HealthCheck, Phase, given
from hypothesis import settings as hsettings
from hypothesis import strategies as st
from schemathesis.checks import not_a_server_error
from schemathesis.core.failures import Failure, FailureGroup
from schemathesis.generation import GenerationMode
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from ekraf.api.api import api
from tests.security.conftest import matrix_settings  # noqa: F401 (a fixture used by world)

pytestmark = pytest.mark.django_db

ROLES = ("anon", "creator", "org_a", "staff", "editor", "space", "comm", "admin")
EXAMPLES = 80  # per role, valid and invalid requests mixed
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
]


# The reads anyone may make that need no parameter. Which operations the 80 draws reach
# depends on which of the project's modules are imported (Hypothesis draws on constants it
# finds in the code under test): anonymous, for whom most operations need a token, one set of
# draws was all 401s once the whole suite was collected. These are called by hand after them.
PUBLIC_READS = (
    "/api/v1/regions",
    "/api/v1/subsectors",
    "/api/v1/agencies",
    "/api/v1/trainings",
    "/api/v1/programmes",
    "/api/v1/spaces",
    "/api/v1/stories",
    "/api/v1/open-data/releases",
    "/api/v1/open-data/catalog",
)


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
def world(db, request):
    from tests.security.world import build

    request.getfixturevalue("matrix_settings")

    return build()


def _schema(app):
    schema = schemathesis.openapi.from_dict(api.get_openapi_schema())
    schema.app = app
    return schema


@pytest.mark.parametrize("role", ROLES)
def test_the_api_keeps_its_contract(wsgi_app, world, role):
    token = world.tokens.get(role)
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    answers: collections.Counter = collections.Counter()
    failures = {}

    schema = _schema(wsgi_app)
    cases = st.one_of(
        schema.as_strategy(generation_mode=GenerationMode.POSITIVE),
        schema.as_strategy(generation_mode=GenerationMode.NEGATIVE),
    )

    @given(case=cases)
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
        try:
            case.validate_response(response, checks=CHECKS, headers=headers)
        except (Failure, FailureGroup) as exc:
            failures.setdefault(
                (case.method, case.path, response.status_code),
                f"{case.method} {case.formatted_path} query={case.query} body={case.body!r} "
                f"-> {response.status_code} {response.text[:200]}\n{exc}",
            )

    run()
    assert not failures, f"{len(failures)} failures as {role}:\n" + "\n\n".join(
        list(failures.values())[:15]
    )
    # Valid requests reach the operations' own code: the public reads answer 2xx in their
    # documented shape, called once each whatever the draws were (below).
    for path in PUBLIC_READS:
        case = schema[path]["GET"].Case()
        response = case.call(headers=headers)
        assert 200 <= response.status_code < 300, (path, response.status_code, response.text[:200])
        case.validate_response(response, checks=CHECKS, headers=headers)
    if token:
        # With a token, some drawn requests get past authentication and succeed too.
        assert any(200 <= status < 300 for (_m, _p, status) in answers), sorted(answers)


def test_no_two_schemas_share_a_component_name(monkeypatch):
    """Ninja names OpenAPI components by class name and keeps the last one: two `Status` enums
    (bookings, requests) became one, and valid answers failed their own documented schema."""
    import json

    from ninja.openapi.schema import OpenAPISchema

    seen = collections.defaultdict(set)
    original = OpenAPISchema.add_schema_definitions

    def spy(self, definitions):
        for name, definition in definitions.items():
            seen[name].add(json.dumps(definition, sort_keys=True))
        return original(self, definitions)

    monkeypatch.setattr(OpenAPISchema, "add_schema_definitions", spy)
    api.get_openapi_schema()
    # Ninja's own pagination inputs are query parameters, never a body or an answer.
    clashes = {name for name, variants in seen.items() if len(variants) > 1} - {"Input"}
    assert not clashes
