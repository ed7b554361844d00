"""The committee dashboard on a phone: reached from the Kelola menu, readable, no script or
CSP error (the bars are <progress> elements, not styled divs)."""

import pytest

from tests import factories
from tests.e2e.conftest import login

pytestmark = pytest.mark.django_db(transaction=True)


def test_committee_member_opens_the_dashboard_on_a_phone(page):
    factories.ensure_city()
    member = factories.user("komite", role="committee")
    login(page, member.username, factories.PASSWORD)
    page.get_by_role("button", name="Buka menu").click()
    page.get_by_role("button", name="Kelola").click()
    page.get_by_role("link", name="Dasbor komite").click()
    assert page.get_by_role("heading", name="Dasbor Komite Ekonomi Kreatif").is_visible()
    assert page.get_by_role("heading", name="Pelaku ekraf per subsektor").is_visible()
    assert page.locator("progress").count() >= 17
