"""Issue 9, point 7: input is checked once, in the services, for pages and the API alike.

The API took `javascript:` as a session's online link that the form refused; a CR/LF in a
training title made every e-mail about that training fail and stay pending; right-to-left
override characters were stored and shown. Each is tried here through the API and the page,
and the outbox is shown to send whatever subject reaches it.
"""

from datetime import timedelta

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone
from hypothesis import given
from hypothesis import strategies as st

from ekraf.core import notifications, validation
from ekraf.core.errors import DomainError
from ekraf.core.models import OutboxMessage, Space
from ekraf.trainings.models import Training
from tests.trainings import factories as tf
from tests.trainings.test_api import bearer, new_training
from tests.trainings.test_lifecycle import training_post

RLO = "\u202e"


def _api_create(client, organiser, **changes):
    body = new_training(**changes)
    return client.post(
        "/api/v1/trainings", body, content_type="application/json", **bearer(organiser)
    )


def _with_session(**session):
    body = new_training()
    body["sessions"][0].update(session)
    return body


# --- the session's online link --------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize(
    "link", ["javascript:alert(document.cookie)", "data:text/html,<script>1</script>", "ftp://x.id"]
)
def test_api_refuses_an_online_link_that_is_not_http(client, organiser, link):
    body = _with_session(online_url=link)
    response = client.post(
        "/api/v1/trainings", body, content_type="application/json", **bearer(organiser)
    )
    assert response.status_code == 400
    assert response.json()["code"] == "invalid_url" and response.json()["field"] == "online_url"
    assert not Training.objects.exists()


@pytest.mark.django_db
def test_the_page_refuses_the_same_link_with_the_same_rule(client, organiser):
    room = Space.objects.get(code="ruang-workshop")
    data = training_post(room)
    data["sesi-0-online_url"] = "javascript:alert(1)"
    client.force_login(organiser)
    response = client.post(reverse("trainings:manage_create"), data)
    assert response.status_code == 200
    assert not Training.objects.exists()


# --- line breaks in titles, and the outbox ----------------------------------------------------


@pytest.mark.django_db
def test_api_refuses_a_training_title_with_a_line_break(client, organiser):
    response = _api_create(client, organiser, title="Bimtek\r\nBcc: semua@contoh.id")
    assert response.status_code == 400
    assert response.json()["field"] == "title" and "satu baris" in response.json()["detail"]


@pytest.mark.django_db
def test_the_page_refuses_a_training_title_with_a_line_break(client, organiser):
    room = Space.objects.get(code="ruang-workshop")
    client.force_login(organiser)
    response = client.post(
        reverse("trainings:manage_create"), training_post(room, title="Bimtek\nBaru")
    )
    assert response.status_code == 200
    assert "satu baris" in response.content.decode()
    assert not Training.objects.exists()


@pytest.mark.django_db
def test_a_subject_with_a_line_break_is_still_sent(settings):
    """Rows queued before the check (or by code that forgot it) are sent, not stuck pending."""
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    message = notifications.notify(
        kind="test", subject="Bimtek\r\nBaru\u202e", body="Halo", email="a@contoh.id"
    )
    assert message.subject == "Bimtek Baru"
    OutboxMessage.objects.filter(pk=message.pk).update(subject="Judul\nlama\r\nrusak")
    assert notifications.deliver(message.pk)
    message.refresh_from_db()
    assert message.status == OutboxMessage.Status.SENT
    assert mail.outbox[-1].subject == "Judul lama rusak"


@pytest.mark.django_db
def test_training_emails_are_sent_even_for_an_old_title_with_a_line_break(settings, diskominfo):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    training = tf.training(diskominfo)
    Training.objects.filter(pk=training.pk).update(title="Bimtek\r\nLama")
    training.refresh_from_db()
    tf.register(training)
    notifications.send_pending()
    assert not OutboxMessage.objects.filter(status=OutboxMessage.Status.PENDING).exists()
    assert mail.outbox and "\n" not in mail.outbox[-1].subject


# --- bidirectional overrides and other invisible characters ----------------------------------


@pytest.mark.django_db
def test_api_registration_refuses_a_right_to_left_override_in_the_name(
    client, diskominfo, creator_user
):
    training = tf.training(diskominfo)
    response = client.post(
        f"/api/v1/trainings/{training.public_id}/registrations",
        {"full_name": f"Budi {RLO}gpj.exe"},
        content_type="application/json",
        **bearer(creator_user),
    )
    assert response.status_code == 400
    assert response.json()["field"] == "full_name" and "arah tulisan" in response.json()["detail"]


@pytest.mark.django_db
def test_the_registration_page_refuses_it_too(client, diskominfo, creator_user):
    training = tf.training(diskominfo)
    client.force_login(creator_user)
    response = client.post(
        reverse("trainings:register", args=[training.public_id]),
        {
            "full_name": f"Budi {RLO}gpj.exe",
            "audience": "umum",
            "phone": "0812 3456 7890",
            "category": str(training.categories.get().pk),
            "consent": "on",
        },
    )
    assert response.status_code == 200
    assert "arah tulisan" in response.content.decode()
    assert not training.registrations.exists()


@pytest.mark.django_db
def test_creator_profile_refuses_bidi_controls_by_api_and_page(client, creator_user):
    from ekraf.creators import services
    from tests.creators.test_profile import profile_post

    response = client.put(
        "/api/v1/me/profile",
        {"full_name": f"Ayu{RLO}", "display_name": "Ayu\u2066x"},
        content_type="application/json",
        **bearer(creator_user),
    )
    assert response.status_code in (400, 422)
    assert "arah tulisan" in response.content.decode()
    client.force_login(creator_user)
    body = client.post(
        reverse("creators:edit_profile"), profile_post(full_name=f"Ayu{RLO}Sari")
    ).content.decode()
    assert "arah tulisan" in body
    profile = services.ensure_profile(creator_user)
    assert RLO not in profile.full_name


@pytest.mark.django_db
def test_credentials_and_referrals_refuse_control_characters(creator_user, diskominfo):
    from ekraf.credentials import services as credentials

    with pytest.raises(DomainError, match="arah tulisan"):
        credentials.request_referral(creator_user, scheme=f"Fotografer{RLO}")
    with pytest.raises(DomainError, match="satu baris"):
        credentials.request_referral(creator_user, scheme="Fotografer\nMuda")


@pytest.mark.django_db
def test_session_address_and_category_names_are_one_line(organiser, diskominfo):
    from ekraf.trainings import services

    start = timezone.now() + timedelta(days=3)
    session = services.SessionInput(
        starts_at=start, ends_at=start + timedelta(hours=2), address="Jl. Ijen\r\nNo. 1"
    )
    category = services.CategoryInput(name="Umum", seats=10)
    with pytest.raises(DomainError, match="satu baris"):
        services.create_training(
            organiser,
            agency=diskominfo,
            fields={"title": "Bimtek"},
            sessions=[session],
            categories=[category],
        )
    session.address = "Jl. Ijen No. 1"
    with pytest.raises(DomainError, match="arah tulisan"):
        services.create_training(
            organiser,
            agency=diskominfo,
            fields={"title": "Bimtek"},
            sessions=[session],
            categories=[services.CategoryInput(name=f"Umum{RLO}", seats=10)],
        )


# --- the validators themselves ----------------------------------------------------------------


@given(st.text())
def test_a_line_that_passes_holds_no_break_control_or_bidi_character(value):
    try:
        clean = validation.line(value)
    except DomainError:
        return
    assert not set(clean) & (validation.BIDI | validation.INVISIBLE | {"\n", "\r", "\x00"})
    assert all(ord(c) >= 0x20 and not 0x7F <= ord(c) <= 0x9F for c in clean)


@given(st.text())
def test_header_safe_never_holds_a_line_break(value):
    assert not set(validation.header_safe(value)) & {"\n", "\r", "\x00", "\u2028", "\u202e"}


def test_multi_line_text_keeps_its_lines_with_unix_ends():
    assert validation.text("satu\r\ndua\rtiga\n\tempat") == "satu\ndua\ntiga\n\tempat"
    with pytest.raises(DomainError):
        validation.text(f"satu\n{RLO}dua")
