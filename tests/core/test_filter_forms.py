"""Every auto-submitting filter form also has a visible submit button, so it works without
JavaScript and by keyboard (tests/e2e/test_filters.py drives one in a browser)."""

import re

import pytest
from django.urls import reverse

from tests import factories

pytestmark = pytest.mark.django_db


def autosubmit_forms(html: str) -> list[str]:
    return re.findall(r"<form[^>]*data-autosubmit[^>]*>.*?</form>", html, flags=re.S)


def test_filter_forms_have_a_submit_button(client, organiser, city):
    disnaker = factories.user(
        "disnaker", role="agency_staff", agency=factories.agency("disnaker-pmptsp")
    )
    pages = [
        (disnaker, reverse("credentials:referral_queue")),
        (organiser, reverse("trainings:manage_list")),
    ]
    for user, url in pages:
        client.force_login(user)
        response = client.get(url, {"status": ""})
        assert response.status_code == 200
        forms = autosubmit_forms(response.content.decode())
        assert forms, url
        for form in forms:
            assert re.search(r'<button[^>]*type="submit"', form), url
