"""Issue 13.1: "Daftar akun" on a training page keeps the training through sign-up, the
verification link and sign-in, and ends on its registration form, prefilled."""

import re
from urllib.parse import quote

import pytest
from django.core import mail
from django.urls import reverse

from ekraf.accounts.models import User
from ekraf.core import notifications
from ekraf.creators.models import CreatorProfile
from ekraf.trainings.models import Registration
from tests import factories
from tests.trainings import factories as tf

pytestmark = pytest.mark.django_db
PASSWORD = "Kreatif-Malang-2024"


@pytest.fixture(autouse=True)
def _fast_passwords(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def training(diskominfo):
    return tf.training(diskominfo, title="Bimtek Konten Kreator", categories=(("Umum", 30),))


def signup(client, next_url, email="siti@contoh.id"):
    data = {
        "full_name": "Siti Nurhaliza",
        "email": email,
        "password1": PASSWORD,
        "password2": PASSWORD,
        "agree": "on",
        "next": next_url,
    }
    return client.post(reverse("accounts:signup"), data)


def verification_path() -> str:
    notifications.send_pending()
    link = re.search(r"https?://\S+", mail.outbox[-1].body).group(0)
    return link[link.index("/verifikasi-email/") :]


def test_training_page_links_sign_up_and_sign_in_with_the_registration_form(client, training):
    register = reverse("trainings:register", args=[training.public_id])
    body = client.get(reverse("trainings:detail", args=[training.public_id])).content.decode()
    assert f"{reverse('accounts:signup')}?next={quote(register)}" in body
    assert f"{reverse('accounts:login')}?next={quote(register)}" in body
    # The sign-up page carries it in a hidden field and in its "Masuk" link, and back.
    signup_page = client.get(reverse("accounts:signup"), {"next": register}).content.decode()
    assert f'name="next" value="{register}"' in signup_page
    assert f"{reverse('accounts:login')}?next={quote(register)}" in signup_page
    login_page = client.get(reverse("accounts:login"), {"next": register}).content.decode()
    assert f"{reverse('accounts:signup')}?next={quote(register)}" in login_page


def test_next_survives_sign_up_and_the_verification_link(client, training):
    register = reverse("trainings:register", args=[training.public_id])
    assert signup(client, register).status_code == 302
    response = client.get(verification_path())
    assert response.status_code == 302 and response["Location"] == register
    # Signed in by the link (first use), the form is prefilled from the account.
    page = client.get(register)
    assert page.status_code == 200
    assert page.context["form"].initial["full_name"] == "Siti Nurhaliza"
    assert page.context["form"].initial["email"] == "siti@contoh.id"


def test_a_second_use_of_the_link_signs_in_nobody_and_sign_in_keeps_next(client, training):
    register = reverse("trainings:register", args=[training.public_id])
    signup(client, register)
    path = verification_path()
    client.get(path)
    client.logout()
    response = client.get(path)  # used before: verifies nothing, signs in nobody
    assert response["Location"] == register
    assert "_auth_user_id" not in client.session
    bounced = client.get(register)
    assert bounced.status_code == 302 and bounced["Location"].startswith(reverse("accounts:login"))
    login = client.post(
        bounced["Location"],
        {"username": "siti@contoh.id", "password": PASSWORD, "next": register},
    )
    assert login.status_code == 302 and login["Location"] == register


@pytest.mark.parametrize(
    "evil", ["https://evil.example/phish", "//evil.example/x", "https:/\\evil.example"]
)
def test_an_external_next_is_refused_everywhere(client, training, evil):
    page = client.get(reverse("accounts:signup"), {"next": evil})
    assert page.context["form"].initial["next"] == "" and page.context["next"] == ""
    signup(client, evil)
    response = client.get(verification_path())
    assert response["Location"] == reverse("accounts:account")
    client.logout()
    login = client.post(
        reverse("accounts:login"),
        {"username": "siti@contoh.id", "password": PASSWORD, "next": evil},
    )
    assert login.status_code == 302 and "evil.example" not in login["Location"]


def test_a_forged_next_in_the_link_is_refused(client, training):
    """The link's `next` is signed; even a signed external one is checked again on use."""
    from ekraf.accounts import services

    signup(client, "")
    user = User.objects.get()
    token = services.verification_token(user, "https://evil.example/")
    response = client.get(reverse("accounts:verify", args=[token]))
    assert response["Location"] == reverse("accounts:account")


def test_a_taken_email_answers_the_same_with_next(client, training, creator_user):
    register = reverse("trainings:register", args=[training.public_id])
    fresh = signup(client, register, email="baru@contoh.id")
    taken = signup(client, register, email=creator_user.email)
    assert fresh.status_code == taken.status_code == 302
    assert fresh["Location"] == taken["Location"]


def register_data(training, **extra):
    return {
        "category": training.categories.get().pk,
        "full_name": "Siti Nurhaliza",
        "phone": "081234567890",
        "audience": "umum",
        "kelurahan": factories.village("Dinoyo").pk,
        "consent": "on",
    } | extra


def test_the_whatsapp_number_is_offered_for_a_profile_without_one(client, training):
    register = reverse("trainings:register", args=[training.public_id])
    signup(client, register)
    client.get(verification_path())
    page = client.get(register)
    assert "save_phone" in page.context["form"].fields
    assert "Simpan nomor ini di profil saya" in page.content.decode()
    response = client.post(register, register_data(training, save_phone="on"))
    registration = Registration.objects.get()
    assert response["Location"] == reverse("trainings:ticket", args=[registration.public_id])
    user = User.objects.get(email="siti@contoh.id")
    assert CreatorProfile.objects.get(user=user).phone == "+6281234567890"
    # Now the profile has it: the next form is prefilled and offers nothing.
    other = tf.training(training.agency, title="Kelas Foto Produk")
    form = client.get(reverse("trainings:register", args=[other.public_id])).context["form"]
    assert "save_phone" not in form.fields
    assert form.initial["phone"] == "+6281234567890"


def test_the_number_is_not_saved_unless_asked_nor_over_another_profiles(client, training):
    register = reverse("trainings:register", args=[training.public_id])
    signup(client, register)
    client.get(verification_path())
    client.post(register, register_data(training))
    user = User.objects.get(email="siti@contoh.id")
    assert not CreatorProfile.objects.filter(user=user).exclude(phone="").exists()

    someone = tf.person()
    CreatorProfile.objects.create(user=someone, full_name="Lain", phone="+6281299998888")
    other = tf.training(training.agency, title="Kelas Foto Produk")
    response = client.post(
        reverse("trainings:register", args=[other.public_id]),
        register_data(other, phone="081299998888", save_phone="on"),
        follow=True,
    )
    assert "sudah dipakai akun lain" in response.content.decode()
    assert not CreatorProfile.objects.filter(user=user).exclude(phone="").exists()


def test_a_new_verification_link_keeps_next(client, training):
    register = reverse("trainings:register", args=[training.public_id])
    signup(client, register)
    login_page = client.get(reverse("accounts:login"), {"next": register}).content.decode()
    assert f"{reverse('accounts:resend_verification')}?next={quote(register)}" in login_page
    client.post(
        reverse("accounts:resend_verification"), {"email": "siti@contoh.id", "next": register}
    )
    response = client.get(verification_path())
    assert response["Location"] == register


def test_the_notice_to_a_taken_addresss_owner_signs_in_to_next(client, training, creator_user):
    register = reverse("trainings:register", args=[training.public_id])
    signup(client, register, email=creator_user.email)
    notifications.send_pending()
    assert f"/masuk/?next={quote(register, safe='')}" in mail.outbox[-1].body


def test_the_headers_sign_in_and_sign_up_keep_the_page_the_person_was_on(client, training):
    """ "Daftar" in the blue bar, not only the training page's own link, brings the person back
    to the page they left; on the account pages themselves the links carry no `next` (a loop)."""
    detail = reverse("trainings:detail", args=[training.public_id])
    body = client.get(detail).content.decode()
    assert f"{reverse('accounts:signup')}?next={quote(detail)}" in body
    assert f"{reverse('accounts:login')}?next={quote(detail)}" in body
    own = client.get(reverse("accounts:signup")).content.decode()
    assert f'href="{reverse("accounts:signup")}?next=' not in own
