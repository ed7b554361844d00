"""A creator edits their profile on a phone: a channel typed as a handle, another as a link."""

import pytest

from ekraf.creators.models import CreatorProfile
from tests import factories
from tests.e2e.conftest import login

pytestmark = pytest.mark.django_db(transaction=True)


def test_edit_profile_with_channels_on_a_phone(page):
    factories.ensure_city()
    user = factories.user("kreator", role="creator", full_name="Ayu Kartika")
    login(page, user.username, factories.PASSWORD)
    page.get_by_role("button", name="Buka menu").click()
    page.get_by_role("navigation").get_by_role("link", name="Profil saya").click()
    page.get_by_role("link", name="Ubah profil").click()

    page.get_by_label("Nama tampilan").fill("Ayu Ngalam")
    page.get_by_label("Kelurahan domisili").select_option("35.73.05.1004")
    page.get_by_label("Kuliner").check()
    page.get_by_label("Nomor WhatsApp").fill("0812 3456 7890")
    page.get_by_label("Nama akun atau tautan").first.fill("https://instagram.com/ayu.ngalam")
    page.get_by_label("Jumlah pengikut").first.fill("12,5rb")
    # A second channel row, added by the page's script.
    page.get_by_role("button", name="+ Tambah kanal").click()
    page.get_by_label("Platform").nth(1).select_option("tiktok")
    page.get_by_label("Nama akun atau tautan").nth(1).fill("ayu.tiktok")  # no @ in the path
    page.get_by_role("button", name="Simpan profil").click()

    # TikTok handles are accepted without "@"; a link to a post is not an account.
    assert page.get_by_text("Profil Anda sudah disimpan.").is_visible()
    assert page.get_by_role("link", name="ayu.ngalam").is_visible()
    assert page.get_by_text("12500 pengikut").is_visible()
    profile = CreatorProfile.objects.get(user=user)
    assert {c.url for c in profile.channels.all()} == {
        "https://www.instagram.com/ayu.ngalam/",
        "https://www.tiktok.com/@ayu.tiktok",
    }

    # A wrong link is explained next to the field, and what was typed stays.
    page.get_by_role("link", name="Ubah profil").click()
    page.get_by_label("Nama akun atau tautan").first.fill("https://www.instagram.com/p/C1a2b3/")
    page.get_by_role("button", name="Simpan profil").click()
    assert page.get_by_text("bukan akun Instagram").is_visible()
    assert (
        page.get_by_label("Nama akun atau tautan").first.input_value()
        == "https://www.instagram.com/p/C1a2b3/"
    )
    assert page.get_by_label("Nama tampilan").input_value() == "Ayu Ngalam"
