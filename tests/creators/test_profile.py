"""A creator keeps their own profile: created on first visit, edited on a phone, checked."""

import io

import pytest
from django.urls import reverse
from PIL import Image

from ekraf.core.errors import Conflict, NotAllowed
from ekraf.creators import nik as nik_rules
from ekraf.creators import services
from ekraf.creators.models import Consent, CreatorProfile
from ekraf.creators.services import duplicates
from tests import factories
from tests.creators import factories as cf

pytestmark = pytest.mark.django_db


def profile_post(**overrides):
    data = {
        "full_name": "Ayu Kartika Sari",
        "display_name": "Ayu Ngalam",
        "gender": "P",
        "birth_year": "1995",
        "phone": "0812-3456-7890",
        "kelurahan": "35.73.05.1004",  # Dinoyo
        "subsectors": ["film-animasi-video", "kuliner"],
        "skills": "Editing video, review kuliner; editing VIDEO",
        "bio": "Suka <b>kuliner</b> & jalan-jalan",
        "pathways": ["content_creator", "narasumber"],
        "nik": "",
        "kanal-TOTAL_FORMS": "2",
        "kanal-INITIAL_FORMS": "0",
        "kanal-MIN_NUM_FORMS": "0",
        "kanal-MAX_NUM_FORMS": "12",
        "kanal-0-platform": "instagram",
        "kanal-0-value": "https://www.instagram.com/Ayu.Ngalam/?igsh=abc",
        "kanal-0-followers": "12,5rb",
        "kanal-0-followers_read_on": "",
        "kanal-1-platform": "tiktok",
        "kanal-1-value": "",
        "kanal-1-followers": "",
        "kanal-1-followers_read_on": "",
    }
    return data | overrides


def test_profile_is_created_lazily_for_a_creator(client, creator_user):
    assert not CreatorProfile.objects.filter(user=creator_user).exists()
    client.force_login(creator_user)
    response = client.get(reverse("creators:my_profile"))
    assert response.status_code == 200
    profile = CreatorProfile.objects.get(user=creator_user)
    assert profile.full_name == creator_user.full_name
    assert profile.source == CreatorProfile.Source.SIGNUP


def test_staff_without_creator_role_gets_no_profile(client, organiser):
    client.force_login(organiser)
    assert client.get(reverse("creators:my_profile")).status_code == 403
    with pytest.raises(NotAllowed):
        services.ensure_profile(organiser)


def test_sign_up_then_profile_works(client, city):
    from ekraf.accounts import services as account_services

    user = account_services.create_account(
        email="baru@contoh.id", password="Kreatif-Malang-2024", full_name="Orang Baru"
    )
    client.force_login(user)
    assert client.get(reverse("creators:edit_profile")).status_code == 200


def test_edit_profile_with_a_channel(client, creator_user):
    client.force_login(creator_user)
    response = client.post(reverse("creators:edit_profile"), profile_post())
    assert response.status_code == 302, response.content.decode()[:3000]
    profile = CreatorProfile.objects.get(user=creator_user)
    assert profile.display_name == "Ayu Ngalam"
    assert profile.phone == "+6281234567890"
    assert profile.kelurahan.name == "Dinoyo"
    assert sorted(s.code for s in profile.subsectors.all()) == ["film-animasi-video", "kuliner"]
    assert [s.name for s in profile.skills.all()] == ["Editing video", "review kuliner"]
    assert profile.bio == "Suka kuliner & jalan-jalan"  # tags dropped, plain text kept
    assert sorted(p.pathway for p in profile.pathway_interests.all()) == [
        "content_creator",
        "narasumber",
    ]
    channel = profile.channels.get()
    assert (channel.platform, channel.handle, channel.url) == (
        "instagram",
        "ayu.ngalam",
        "https://www.instagram.com/ayu.ngalam/",
    )
    assert channel.followers == 12500
    assert channel.followers_read_on is not None
    creator_user.refresh_from_db()
    assert creator_user.full_name == "Ayu Kartika Sari"

    # The page shows it all back; editing again keeps the channel, clearing it removes it.
    body = client.get(reverse("creators:my_profile")).content.decode()
    assert "ayu.ngalam" in body and "+6281234567890" in body
    form = client.get(reverse("creators:edit_profile")).content.decode()
    assert 'value="@ayu.ngalam"' in form
    client.post(
        reverse("creators:edit_profile"),
        profile_post(**{"kanal-0-value": "", "kanal-INITIAL_FORMS": "1"}),
    )
    assert not profile.channels.exists()


def test_saving_the_profile_unchanged_keeps_every_channel_as_it_was(client, city):
    links = [
        ("linkedin", "https://www.linkedin.com/company/kopi-ngalam"),
        ("youtube", "https://www.youtube.com/channel/UC1234567890abcdefghijkl"),
        ("youtube", "https://www.youtube.com/c/AyuKreasi"),
        ("facebook", "https://www.facebook.com/profile.php?id=100012345678"),
        ("instagram", "@ayu.ngalam"),
    ]
    profile = cf.creator("Ayu", channels=[(p, v, None) for p, v in links])
    before = sorted(profile.channels.values_list("url", flat=True))
    client.force_login(profile.user)
    page = client.get(reverse("creators:edit_profile"))
    shown = [f.initial for f in page.context["formset"].forms if f.initial]
    data = profile_post(**{"kanal-TOTAL_FORMS": str(len(shown)), "kanal-1-value": ""})
    for i, initial in enumerate(shown):
        data[f"kanal-{i}-platform"] = initial["platform"]
        data[f"kanal-{i}-value"] = initial["value"]
        data[f"kanal-{i}-followers"] = ""
        data[f"kanal-{i}-followers_read_on"] = ""
    response = client.post(reverse("creators:edit_profile"), data)
    assert response.status_code == 302, response.context["form"].errors
    # The company page stayed a company page (it had become linkedin.com/in/kopi-ngalam), the
    # channel id and /c/ name their own links (had become youtube.com/@…), and so on.
    assert sorted(profile.channels.values_list("url", flat=True)) == before


def test_errors_keep_what_was_typed_and_are_tied_to_fields(client, creator_user):
    client.force_login(creator_user)
    response = client.post(
        reverse("creators:edit_profile"),
        profile_post(
            phone="12345",
            birth_year="1800",
            **{"kanal-1-value": "https://www.tiktok.com/ayu", "kanal-0-value": "ayu..ngalam"},
        ),
    )
    body = response.content.decode()
    assert response.status_code == 200
    assert "Nomor telepon tidak valid" in body
    assert "Tahun lahir harus antara" in body
    assert "bukan akun TikTok" in body
    assert "Nama akun Instagram tidak sah" in body
    assert 'value="12345"' in body and 'value="Ayu Ngalam"' in body
    assert 'value="https://www.tiktok.com/ayu"' in body
    assert "aria-invalid" in body
    assert CreatorProfile.objects.get(user=creator_user).phone == ""


def test_nik_is_stored_protected_and_shown_masked(client, creator_user):
    client.force_login(creator_user)
    response = client.post(
        reverse("creators:edit_profile"),
        profile_post(nik="3573 0552 0395 0013", nik_consent="on"),
    )
    assert response.status_code == 302
    profile = CreatorProfile.objects.get(user=creator_user)
    assert profile.nik_masked == "3573••••••••0013"
    assert profile.nik_hash == nik_rules.keyed_hash(cf.NIK_WOMAN)
    assert nik_rules.decrypt(profile.nik_encrypted) == cf.NIK_WOMAN
    assert cf.active_consent(profile, Consent.Purpose.NIK)
    body = client.get(reverse("creators:my_profile")).content.decode()
    assert "3573••••••••0013" in body and cf.NIK_WOMAN not in body
    # The edit form never puts the NIK back into the page.
    assert cf.NIK_WOMAN not in client.get(reverse("creators:edit_profile")).content.decode()

    # Removing it clears every trace and withdraws the consent.
    client.post(reverse("creators:edit_profile"), profile_post(remove_nik="on"))
    profile.refresh_from_db()
    assert (profile.nik_encrypted, profile.nik_hash, profile.nik_masked) == ("", "", "")
    assert not cf.active_consent(profile, Consent.Purpose.NIK)


def test_nik_needs_consent_and_must_agree_with_gender_and_birth_year(client, creator_user):
    client.force_login(creator_user)
    body = client.post(
        reverse("creators:edit_profile"), profile_post(nik=cf.NIK_WOMAN)
    ).content.decode()
    assert "Centang persetujuan ini" in body
    body = client.post(
        reverse("creators:edit_profile"), profile_post(nik=cf.NIK_MAN, nik_consent="on")
    ).content.decode()
    assert "milik laki-laki" in body  # the form says gender P
    body = client.post(
        reverse("creators:edit_profile"),
        profile_post(nik=cf.NIK_WOMAN, nik_consent="on", birth_year="1996"),
    ).content.decode()
    assert "Tahun lahir dalam NIK (1995)" in body
    assert CreatorProfile.objects.get(user=creator_user).nik_hash == ""


def test_changing_gender_against_the_stored_nik_is_refused(creator_user):
    profile = cf.creator(nik=cf.NIK_MAN, gender="L", birth_year=1995)
    with pytest.raises(services.ProfileInvalid) as exc:
        services.update_profile(profile.user, profile, services.ProfileInput(gender="P"))
    assert "milik laki-laki" in exc.value.errors["gender"][0]


def test_second_account_with_the_same_nik_or_phone_is_caught(client, creator_user):
    first = cf.creator(phone="+6281234567890", nik=cf.NIK_WOMAN, gender="P")
    assert first.nik_hash
    client.force_login(creator_user)
    body = client.post(
        reverse("creators:edit_profile"),
        profile_post(nik="3573055203950013", nik_consent="on"),  # same NIK, same phone
    ).content.decode()
    assert "NIK tidak dapat diterima" in body
    assert "sudah terdaftar" not in body
    assert "Nomor telepon ini sudah dipakai akun lain" in body
    assert CreatorProfile.objects.get(user=creator_user).phone == ""


def test_the_database_is_the_last_line_against_duplicates(creator_user, monkeypatch):
    """If the early check is bypassed (a race), the unique constraint still refuses."""
    cf.creator(phone="+6281234567890", nik=cf.NIK_WOMAN, gender="P")
    profile = services.ensure_profile(creator_user)
    monkeypatch.setattr(duplicates, "duplicate_messages", lambda **kwargs: {})
    with pytest.raises(services.ProfileInvalid, match="NIK tidak dapat diterima"):
        services.update_profile(
            creator_user, profile, services.ProfileInput(nik=cf.NIK_WOMAN, gender="P")
        )
    profile.refresh_from_db()
    with pytest.raises(Conflict, match="Nomor telepon"):
        services.update_profile(
            creator_user, profile, services.ProfileInput(phone="0812 3456 7890")
        )


def test_a_taken_nik_answers_like_any_other_invalid_nik_no_existence_oracle(creator_user):
    """Same status, code, field and words for a NIK already registered and for an invalid
    one (serial 0000), so typing NIKs tells nobody who has an account."""
    cf.creator(nik=cf.NIK_WOMAN, gender="P")
    profile = services.ensure_profile(creator_user)
    answers = []
    for nik in (cf.NIK_WOMAN, cf.NIK_WOMAN[:12] + "0000"):
        with pytest.raises(services.ProfileInvalid) as exc:
            services.update_profile(
                creator_user, profile, services.ProfileInput(nik=nik, gender="P")
            )
        answers.append((exc.value.status, exc.value.code, exc.value.errors))
    assert answers[0] == answers[1]


def test_only_the_owner_edits_a_profile(creator_user):
    profile = cf.creator()
    with pytest.raises(NotAllowed):
        services.update_profile(creator_user, profile, services.ProfileInput(full_name="X"))


def _image(fmt="JPEG", size=(2000, 1500), exif=True) -> io.BytesIO:
    image = Image.new("RGB", size, (200, 30, 30))
    out = io.BytesIO()
    kwargs = {}
    if exif:
        data = Image.Exif()
        data[0x010F] = "KameraRahasia"  # Make
        data[0x0112] = 6  # Orientation: rotate 90°
        kwargs["exif"] = data.tobytes()
    image.save(out, fmt, **kwargs)
    out.seek(0)
    out.name = f"foto.{fmt.lower()}"
    return out


def test_photo_is_resized_stripped_private_and_gated(client, creator_user, settings):
    client.force_login(creator_user)
    response = client.post(reverse("creators:edit_profile"), profile_post(photo=_image()))
    assert response.status_code == 302
    profile = CreatorProfile.objects.get(user=creator_user)
    assert profile.photo.name.startswith(f"private/creators/photos/{profile.public_id}/")
    with profile.photo.open("rb") as fh:
        stored = Image.open(io.BytesIO(fh.read()))
        stored.load()
    assert stored.format == "JPEG"
    assert max(stored.size) == 800
    assert stored.size == (600, 800)  # EXIF orientation applied, then dropped
    assert not stored.getexif()
    assert b"KameraRahasia" not in profile.photo.open("rb").read()

    photo_url = reverse("creators:photo", args=[profile.public_id])
    assert client.get(photo_url).status_code == 200  # the owner
    # Never through /media/: only public folders are served there.
    assert client.get(settings.MEDIA_URL + profile.photo.name).status_code == 404
    client.logout()
    assert client.get(photo_url).status_code == 404  # not published
    services.set_sharing(
        creator_user,
        profile,
        services.SharingChoice(public_profile=True, talent_directory=False, show_photo=True),
    )
    assert client.get(photo_url).status_code == 200
    services.set_sharing(
        creator_user, profile, services.SharingChoice(public_profile=False, talent_directory=False)
    )
    assert client.get(photo_url).status_code == 404
    staff = factories.user("staf", role="agency_staff", agency=factories.agency("disporapar"))
    client.force_login(staff)
    assert client.get(photo_url).status_code == 200


def test_not_an_image_is_refused(client, creator_user):
    client.force_login(creator_user)
    fake = io.BytesIO(b"%PDF-1.4 not an image")
    fake.name = "foto.jpg"
    body = client.post(reverse("creators:edit_profile"), profile_post(photo=fake)).content.decode()
    assert "harus berupa gambar" in body
    gif = _image("GIF", exif=False)
    body = client.post(reverse("creators:edit_profile"), profile_post(photo=gif)).content.decode()
    assert "JPG, PNG atau WebP" in body


def test_replacing_the_photo_deletes_the_old_file(creator_user, django_capture_on_commit_callbacks):
    profile = services.ensure_profile(creator_user)
    with django_capture_on_commit_callbacks(execute=True):
        services.set_photo(creator_user, profile, services.process_photo(_image(size=(300, 300))))
    old = profile.photo.name
    storage = profile.photo.storage
    assert storage.exists(old)
    with django_capture_on_commit_callbacks(execute=True):
        services.set_photo(creator_user, profile, services.process_photo(_image(size=(300, 300))))
    assert not storage.exists(old)
    assert storage.exists(profile.photo.name)


def test_api_like_input_is_validated_too(creator_user):
    profile = services.ensure_profile(creator_user)
    with pytest.raises(services.ProfileInvalid) as exc:
        services.update_profile(
            creator_user,
            profile,
            services.ProfileInput(
                full_name="",
                kelurahan="99.99.99.9999",
                subsectors=["tidak-ada"],
                pathways=["astronaut"],
                channels=[
                    services.ChannelInput("instagram", "@ayu"),
                    services.ChannelInput("instagram", "instagram.com/ayu"),
                ],
            ),
        )
    errors = exc.value.errors
    assert set(errors) == {"full_name", "kelurahan", "subsectors", "pathways", "channels.1"}
    assert "sudah diisi di baris 1" in errors["channels.1"][0]
