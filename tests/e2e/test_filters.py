"""Filter forms work without JavaScript and by keyboard: a visible button submits them; picking
an option with the pointer submits at once (progressive enhancement); arrowing through the
options from the keyboard does not jump away on the first step."""

import pytest

from ekraf.credentials import services
from tests import factories
from tests.e2e.conftest import login

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def queue(city):
    staff = factories.user(
        "disnaker", role="agency_staff", agency=factories.agency("disnaker-pmptsp")
    )
    ayu = factories.user("ayu", full_name="Ayu Diterima")
    budi = factories.user("budi", full_name="Budi Diteruskan")
    services.request_referral(ayu, scheme="Content Creator")
    forwarded = services.request_referral(budi, scheme="Fotografer")
    services.advance_referral(staff, forwarded, status="forwarded", lsp_name="LSP Digital")
    return staff


def test_the_referral_filter_by_keyboard_and_by_pointer(page, queue):
    login(page, queue.username, factories.PASSWORD)
    page.goto("/kelola/rujukan/")
    assert page.get_by_text("Ayu Diterima").is_visible()
    assert page.get_by_text("Budi Diteruskan").is_visible()

    # Keyboard: arrowing to an option does not leave the page; Enter applies the filter.
    select = page.get_by_label("Status")
    select.focus()
    select.press("ArrowDown")
    page.wait_for_timeout(300)
    assert "status=" not in page.url
    assert page.get_by_text("Budi Diteruskan").is_visible()
    select.press("Enter")
    page.wait_for_url("**/kelola/rujukan/?status=received")
    assert page.get_by_text("Ayu Diterima").is_visible()
    assert page.get_by_text("Budi Diteruskan").count() == 0

    # The visible button, reached by Tab, works too.
    select = page.get_by_label("Status")
    select.focus()
    select.press("ArrowDown")
    page.keyboard.press("Tab")
    page.keyboard.press("Enter")
    page.wait_for_url("**/kelola/rujukan/?status=forwarded")
    assert page.get_by_text("Budi Diteruskan").is_visible()

    # Pointer (or finger): choosing an option submits at once.
    page.get_by_label("Status").select_option("")
    page.wait_for_url("**/kelola/rujukan/?status=")
    assert page.get_by_text("Ayu Diterima").is_visible()


def test_the_referral_filter_works_without_javascript(open_context, queue):
    page = open_context(java_script_enabled=False).new_page()
    login(page, queue.username, factories.PASSWORD)
    page.goto("/kelola/rujukan/")
    page.get_by_label("Status").select_option("forwarded")
    assert "status=" not in page.url  # nothing happens by itself without JavaScript
    page.get_by_role("button", name="Saring").click()
    page.wait_for_url("**/kelola/rujukan/?status=forwarded")
    assert page.get_by_text("Budi Diteruskan").is_visible()
    assert page.get_by_text("Ayu Diterima").count() == 0
