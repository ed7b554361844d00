"""A person downloads everything held about them, and can delete their account."""

import io
import json

import pytest
from django.contrib.auth import authenticate
from django.test import RequestFactory
from django.urls import reverse

from ekraf.accounts import personal_data
from ekraf.accounts.models import User
from ekraf.core.models import AuditEvent
from ekraf.creators import services
from ekraf.creators.models import Channel, Consent, CreatorProfile, PathwayInterest
from tests import factories
from tests.creators import factories as cf

pytestmark = pytest.mark.django_db


def full_profile():
    profile = cf.creator(
        "Ayu Kartika",
        phone="+6281234567890",
        nik=cf.NIK_WOMAN,
        gender="P",
        birth_year=1995,
        channels=[("instagram", "@ayu.ngalam", 18400), ("tiktok", "@ayu.ngalam", 52000)],
        public=True,
    )
    services.update_profile(
        profile.user,
        profile,
        services.ProfileInput(
            bio="Konten kreator kuliner.", skills="editing video", pathways=["narasumber"]
        ),
    )
    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", (50, 50)).save(out, "PNG")
    services.set_photo(profile.user, profile, services.process_photo(out))
    profile.refresh_from_db()
    return profile


def test_export_holds_everything(client, city):
    profile = full_profile()
    client.force_login(profile.user)
    assert client.get(reverse("creators:export_my_data")).status_code == 200  # the explanation
    response = client.post(reverse("creators:export_my_data"))
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith('attachment; filename="data-saya-')
    data = json.loads(response.content)
    assert data["account"]["email"] == profile.user.email
    assert data["account"]["roles"] == [{"role": "creator", "agency": None}]
    creator = data["creators"]
    assert creator["full_name"] == "Ayu Kartika"
    assert creator["phone"] == "+6281234567890"
    assert creator["nik"] == cf.NIK_WOMAN  # their own, for them only
    assert creator["kelurahan"] == "Dinoyo" and creator["kecamatan"] == "Lowokwaru"
    assert creator["skills"] == ["editing video"]
    assert creator["pathway_interests"] == ["narasumber"]
    assert {c["url"] for c in creator["channels"]} == {
        "https://www.instagram.com/ayu.ngalam/",
        "https://www.tiktok.com/@ayu.ngalam",
    }
    assert {c["purpose"] for c in creator["consents"]} == {
        "public_profile",
        "talent_directory",
        "nik",
    }
    assert creator["photo"].startswith("data:image/jpeg;base64,")


def test_export_includes_every_registered_section(client, city, monkeypatch):
    monkeypatch.setitem(
        personal_data._EXPORTERS, "trainings", lambda user: [{"training": "Bimtek"}]
    )
    user = factories.user("kreator", role="creator")
    client.force_login(user)
    data = json.loads(client.post(reverse("creators:export_my_data")).content)
    assert data["trainings"] == [{"training": "Bimtek"}]
    assert data["creators"] is None  # no profile yet


def test_delete_needs_the_password(client, city):
    profile = full_profile()
    client.force_login(profile.user)
    response = client.post(
        reverse("creators:delete_account"), {"password": "salah", "confirm": "on"}
    )
    assert "Kata sandi salah" in response.content.decode()
    response = client.post(reverse("creators:delete_account"), {"password": factories.PASSWORD})
    assert response.status_code == 200  # the confirmation box is required
    profile.refresh_from_db()
    assert profile.deleted_at is None


def test_delete_account_anonymises_and_keeps_what_others_rely_on(
    client, city, monkeypatch, django_capture_on_commit_callbacks
):
    profile = full_profile()
    user = profile.user
    old_email = user.email
    photo_name = profile.photo.name
    storage = profile.photo.storage
    erased = []
    monkeypatch.setitem(personal_data._ERASERS, "trainings", erased.append)
    client.force_login(user)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("creators:delete_account"),
            {"password": factories.PASSWORD, "confirm": "on"},
        )
    assert response.status_code == 302
    assert erased == [user]  # other apps scrubbed their copies in the same transaction

    profile.refresh_from_db()
    user.refresh_from_db()
    assert profile.deleted_at is not None
    assert profile.full_name == "Pelaku dihapus" and profile.display_name == ""
    assert (profile.phone, profile.nik_encrypted, profile.nik_hash, profile.nik_masked) == (
        "",
        "",
        "",
        "",
    )
    assert profile.bio == "" and not profile.photo and profile.kelurahan is None
    assert profile.birth_year is None and profile.gender == ""
    assert not Channel.objects.filter(profile=profile).exists()
    assert not Consent.objects.filter(profile=profile).exists()
    assert not PathwayInterest.objects.filter(profile=profile).exists()
    assert not profile.skills.exists()
    assert not storage.exists(photo_name)
    # Kept: the rows (so registrations and certificates still point somewhere), anonymised.
    assert CreatorProfile.objects.filter(pk=profile.pk).exists()
    assert user.email.endswith("@invalid.example") and not user.is_active
    assert (
        authenticate(
            RequestFactory().post("/masuk/"), username=old_email, password=factories.PASSWORD
        )
        is None
    )
    assert client.get(reverse("creators:my_profile")).status_code == 302  # logged out
    assert AuditEvent.objects.filter(action="accounts.deleted", target_id=str(user.pk)).exists()
    # The phone and NIK are free again for a new account.
    again = cf.creator(phone="+6281234567890", nik=cf.NIK_WOMAN, gender="P")
    assert again.nik_hash


def test_deletion_is_all_or_nothing(client, city, monkeypatch):
    profile = full_profile()

    def broken(user):
        raise RuntimeError("eraser failed")

    monkeypatch.setitem(personal_data._ERASERS, "zzz", broken)
    with pytest.raises(RuntimeError):
        services.delete_account(profile.user, factories.PASSWORD)
    profile.refresh_from_db()
    assert profile.deleted_at is None and profile.phone == "+6281234567890"
    assert User.objects.get(pk=profile.user_id).is_active


def test_account_page_links_profile_export_and_delete(client, creator_user):
    client.force_login(creator_user)
    body = client.get(reverse("accounts:account")).content.decode()
    for name in ("creators:my_profile", "creators:export_my_data", "creators:delete_account"):
        assert reverse(name) in body
