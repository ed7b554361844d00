"""The foundation in a phone browser: menu, sign-up errors, sign-in, staff navigation."""

import pytest
from django.core import mail

from ekraf.core import notifications
from tests import factories
from tests.e2e.conftest import login

pytestmark = pytest.mark.django_db(transaction=True)


def test_signup_on_a_phone_keeps_input_and_verifies(page, live_server):
    factories.ensure_city()
    page.goto("/")
    page.get_by_role("button", name="Buka menu").click()
    page.get_by_role("link", name="Daftar", exact=True).click()
    page.get_by_label("Nama lengkap").fill("Wahyu Setiawan")
    page.get_by_label("Email").fill("wahyu@contoh.id")
    page.get_by_label("Kata sandi", exact=True).fill("Kreatif-Malang-2024")
    page.get_by_label("Ulangi kata sandi").fill("berbeda-2024")
    page.get_by_role("button", name="Buat akun").click()
    assert page.get_by_text("Kedua kata sandi tidak sama.").is_visible()
    assert page.get_by_label("Nama lengkap").input_value() == "Wahyu Setiawan"
    assert page.get_by_label("Ulangi kata sandi").get_attribute("aria-invalid") == "true"

    page.get_by_label("Kata sandi", exact=True).fill("Kreatif-Malang-2024")
    page.get_by_label("Ulangi kata sandi").fill("Kreatif-Malang-2024")
    page.get_by_label("Saya telah membaca").check()
    page.get_by_role("button", name="Buat akun").click()
    assert page.get_by_role("heading", name="Periksa email Anda").is_visible()

    notifications.send_pending()  # the worker's part
    link = next(word for word in mail.outbox[-1].body.split() if "/verifikasi-email/" in word)
    page.goto(link.replace("http://127.0.0.1:8000", live_server.url))
    assert page.get_by_text("Email Anda sudah terverifikasi").is_visible()


def test_organiser_sees_the_kelola_menu(page):
    organiser = factories.user("org", role="organiser", agency=factories.agency("diskominfo"))
    login(page, organiser.username, factories.PASSWORD)
    page.get_by_role("button", name="Buka menu").click()
    page.get_by_role("button", name="Kelola").click()
    assert page.get_by_role("link", name="Token API").is_visible()


def test_a_reader_switches_the_language_from_the_menu_and_back(page, accessibility):
    """The menu's language link brings the reader back to the page they were on, in English,
    with the choice kept for the next page; the way back is the same link in Indonesian. Both
    languages' pages are checked by axe."""
    factories.ensure_city()
    page.goto("/pelatihan/?q=batik")
    page.get_by_role("button", name="Buka menu").click()
    page.get_by_role("link", name="English").click()
    page.wait_for_url("**/pelatihan/?q=batik")
    assert page.locator("html").get_attribute("lang") == "en"
    page.goto("/")
    assert page.locator("html").get_attribute("lang") == "en"  # kept in the language cookie
    page.get_by_role("button", name="Open menu").click()
    accessibility.check(page)  # the English menu, open
    page.get_by_role("link", name="Bahasa Indonesia").click()
    page.wait_for_url(lambda url: url.endswith("/"))
    assert page.locator("html").get_attribute("lang") == "id"
