"""The API's error contract, the parts fuzzing kept finding: an anonymous POST answers 401 (not
a CSRF 403), ninja's own refusals carry `code`, and a JSON array is no profile."""

import pytest
from django.test import Client

from ekraf.accounts import services as account_services
from tests import factories

pytestmark = pytest.mark.django_db


def test_anonymous_api_post_answers_401_not_a_csrf_403(city):
    browser = Client(enforce_csrf_checks=True)
    response = browser.post("/api/v1/trainings", {}, content_type="application/json")
    assert response.status_code == 401
    assert response.json()["code"] == "unauthenticated"


def test_a_signed_in_browser_session_still_needs_csrf_and_the_answer_has_a_code(city):
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(
        factories.user("org", role="organiser", agency=factories.agency("diskominfo"))
    )
    response = browser.post("/api/v1/trainings", {}, content_type="application/json")
    assert response.status_code == 403
    assert response.json()["code"] == "forbidden"


@pytest.mark.parametrize("body", ["[]", '[{"full_name": "X"}]', "[1, 2]", '"teks"', "12"])
def test_a_json_array_or_scalar_as_profile_body_is_refused_with_4xx_and_code(city, body):
    person = factories.user("kreator", role="creator")
    token = account_services.create_api_token(person, "uji")[1]
    response = Client().put(
        "/api/v1/me/profile",
        body,
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {token}",
    )
    assert 400 <= response.status_code < 500
    assert "code" in response.json()
