"""Consent gates the public profile; it shows only what the person chose, never contact data."""

import pytest
from django.urls import reverse
from django.utils import timezone

from ekraf.creators import services
from ekraf.creators.models import Consent
from tests.creators import factories as cf

pytestmark = pytest.mark.django_db


def test_no_consent_no_public_profile(client, city):
    profile = cf.creator("Dewi Tanpa Izin")
    assert (
        client.get(reverse("creators:public_profile", args=[profile.public_id])).status_code == 404
    )
    assert client.get(reverse("creators:public_profile", args=["TIDAKADA00"])).status_code == 404


def test_public_profile_shows_only_what_was_chosen(client, city):
    profile = cf.creator(
        "Rizky Pratama",
        phone="+6281234500001",
        nik=cf.NIK_MAN,
        gender="L",
        birth_year=1995,
        channels=[("instagram", "@rizky.mlg", 4200)],
    )
    services.update_profile(
        profile.user, profile, services.ProfileInput(bio="Fotografer UMKM di Lowokwaru.")
    )
    url = reverse("creators:public_profile", args=[profile.public_id])
    services.set_sharing(
        profile.user,
        profile,
        services.SharingChoice(public_profile=True, talent_directory=False),
    )
    body = client.get(url).content.decode()
    assert "Rizky Pratama" in body and "Fotografi" in body
    for hidden in ("Fotografer UMKM", "rizky.mlg", "Dinoyo", "/foto/"):
        assert hidden not in body
    for never in ("+6281234500001", "081234500001", "1995", "3573", "0012"):
        assert never not in body

    services.set_sharing(
        profile.user,
        profile,
        services.SharingChoice(
            public_profile=True, talent_directory=False, show_bio=True, show_area=True,
            show_channels=True,
        ),
    )  # fmt: skip
    body = client.get(url).content.decode()
    assert "Fotografer UMKM" in body and "rizky.mlg" in body and "Dinoyo" in body
    assert "+6281234500001" not in body and "1995" not in body


def test_withdrawing_consent_hides_the_profile_at_once(client, city):
    profile = cf.creator("Lestari", public=True)
    url = reverse("creators:public_profile", args=[profile.public_id])
    assert client.get(url).status_code == 200
    client.force_login(profile.user)
    response = client.post(reverse("creators:sharing"), {"talent_directory": "on"})
    assert response.status_code == 302
    client.logout()
    assert client.get(url).status_code == 404
    # History is kept: the withdrawn consent row remains, with its text version and dates.
    withdrawn = Consent.objects.get(profile=profile, purpose=Consent.Purpose.PUBLIC_PROFILE)
    assert withdrawn.withdrawn_at is not None
    assert withdrawn.text_version == services.CONSENT_TEXTS["public_profile"].version
    assert cf.active_consent(profile, Consent.Purpose.TALENT_DIRECTORY)


def test_giving_consent_again_starts_a_new_record(city):
    profile = cf.creator(public=True)
    choice = services.SharingChoice(public_profile=False, talent_directory=False)
    services.set_sharing(profile.user, profile, choice)
    choice.public_profile = True
    services.set_sharing(profile.user, profile, choice)
    services.set_sharing(profile.user, profile, choice)  # again: no duplicate
    rows = Consent.objects.filter(profile=profile, purpose="public_profile").order_by("given_at")
    assert [r.withdrawn_at is None for r in rows] == [False, True]


def test_sharing_page_lists_the_consent_history(client, city):
    profile = cf.creator(public=True)
    client.force_login(profile.user)
    body = client.get(reverse("creators:sharing")).content.decode()
    assert "Riwayat persetujuan" in body
    assert "Profil publik" in body and "2024.1" in body
    assert str(timezone.localdate().year) in body


def test_deleted_profile_has_no_public_page(client, city):
    profile = cf.creator(public=True)
    services.erase_profile(profile.user)
    assert (
        client.get(reverse("creators:public_profile", args=[profile.public_id])).status_code == 404
    )


def test_public_profile_query_count_is_constant(client, city):
    few = cf.creator(public=True, channels=[("instagram", "@satu", 1)])
    many = cf.creator(
        public=True,
        subsectors=("fotografi", "kuliner", "fesyen", "musik"),
        channels=[("instagram", "@dua", 1), ("tiktok", "@dua", 2), ("youtube", "@duaa", 3)],
    )
    services.update_profile(many.user, many, services.ProfileInput(skills="a, b, c, d, e"))

    def count(profile):
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        from ekraf.core.selectors import clear_city_memo

        clear_city_memo()  # each count includes reading the city, memoised after the first
        with CaptureQueriesContext(connection) as ctx:
            assert (
                client.get(reverse("creators:public_profile", args=[profile.public_id])).status_code
                == 200
            )
        return len(ctx)

    assert count(few) == count(many)


def test_saving_the_sharing_choice_returns_to_the_page_that_linked_here(client, city):
    """Talenta saya links here to change the directory consent: saving goes back there (a
    `next` of this site only), otherwise to Profil saya."""
    profile = cf.creator("Ayu")
    client.force_login(profile.user)
    url = reverse("creators:sharing")
    back = reverse("talent:my_speaking")
    page = client.get(reverse("talent:my_speaking"))
    assert f'href="{url}?next={back}"' in page.text
    form = client.get(f"{url}?next={back}")
    assert f'name="next" value="{back}"' in form.text
    response = client.post(url, {"talent_directory": "on", "next": back})
    assert response.status_code == 302 and response.url == back
    assert cf.active_consent(profile, Consent.Purpose.TALENT_DIRECTORY)
    response = client.post(url, {"talent_directory": "on", "next": "https://jahat.example/"})
    assert response.url == reverse("creators:my_profile")
    assert client.post(url, {}).url == reverse("creators:my_profile")
