"""Issue 13.1 in a phone browser: a new person goes from a training page to a ticket through
sign-up and the verification e-mail without losing the training. The number of screens is
kept here: a change that adds one fails this test and has to say why."""

import re

import pytest
from django.core import mail

from ekraf.accounts.models import User
from ekraf.core import notifications
from ekraf.creators.models import CreatorProfile
from ekraf.trainings.models import Registration
from tests import factories
from tests.trainings import factories as tf

pytestmark = pytest.mark.django_db(transaction=True)

# Training page, sign-up form, "check your e-mail", registration form (the verification link
# signs in and lands here, prefilled), ticket.
SCREENS_TO_TICKET = 5


def test_a_new_person_goes_from_a_training_page_to_the_ticket(page, settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    diskominfo = factories.agency("diskominfo")
    training = tf.training(diskominfo, title="Bimtek Konten Kreator: Branding Kota")
    screens = []
    page.on("load", lambda p: screens.append(p.url))

    page.goto(f"/pelatihan/{training.public_id}/")
    page.get_by_role("link", name="Daftar akun").click()
    page.wait_for_load_state()
    page.get_by_label("Nama lengkap").fill("Rina Ayuningtyas")
    page.get_by_label("Email").fill("rina@contoh.id")
    page.get_by_label("Kata sandi", exact=True).fill("Kreatif-Malang-2024")
    page.get_by_label("Ulangi kata sandi").fill("Kreatif-Malang-2024")
    page.get_by_label("Saya telah membaca kebijakan privasi").check()
    page.get_by_role("button", name="Buat akun").click()
    page.wait_for_load_state()
    assert page.get_by_role("heading", name="Periksa email Anda").is_visible()

    notifications.send_pending()  # what the worker does
    link = re.search(r"https?://\S+", mail.outbox[-1].body).group(0)
    page.goto(link[link.index("/verifikasi-email/") :])  # the person opens the e-mail's link
    page.wait_for_load_state()
    assert page.url.endswith(f"/pelatihan/{training.public_id}/daftar/")
    assert page.get_by_label("Nama lengkap").input_value() == "Rina Ayuningtyas"
    page.get_by_label("Nomor WhatsApp").fill("0812 3456 7890")
    page.get_by_label("Simpan nomor ini di profil saya").check()
    page.get_by_label("Saya setuju data ini dipakai").check()
    page.get_by_role("button", name="Kirim pendaftaran").click()
    page.wait_for_load_state()
    assert page.locator("#ticket-code").is_visible()

    user = User.objects.get(email="rina@contoh.id")
    assert Registration.objects.get(user=user).training == training
    assert CreatorProfile.objects.get(user=user).phone == "+6281234567890"
    assert len(screens) == SCREENS_TO_TICKET, screens
