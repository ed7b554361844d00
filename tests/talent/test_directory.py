"""The talent directory: consent decides who appears, contact follows the one rule, every filter
narrows, text search finds names, bios, skills and handles (accents ignored), and the page costs
a constant number of queries."""

from datetime import timedelta

import pytest
from django.urls import reverse

from ekraf.creators import services as creator_services
from ekraf.creators.models import Channel, Consent
from ekraf.talent import search, selectors
from ekraf.talent.models import AssessedPathway, DirectoryEntry, SpeakerBooking
from tests import factories
from tests.talent import factories as tf

pytestmark = pytest.mark.django_db


def names(**params):
    filters = selectors.DirectoryFilters.from_query(params)
    return [p.full_name for p in selectors.search_directory(filters)]


def test_only_creators_with_directory_consent_appear(city):
    tf.talent("Dewi Setuju")
    tf.talent("Budi Tidak", consent=False)
    assert names() == ["Dewi Setuju"]


def test_withdrawing_consent_hides_the_creator_at_once(city):
    dewi = tf.talent("Dewi Setuju")
    Consent.objects.filter(profile=dewi, purpose="talent_directory").update(
        withdrawn_at=dewi.created_at
    )
    assert names() == []
    assert selectors.directory_creator(dewi.public_id) is None


def test_staff_page_of_a_creator_without_consent_is_not_found(client, staff):
    hidden = tf.talent("Budi Tidak", consent=False)
    client.force_login(staff)
    assert client.get(reverse("talent:creator", args=[hidden.public_id])).status_code == 404


def test_text_search_matches_name_bio_skill_and_handle_without_accents(city):
    dewi = tf.talent("Déwi Sartika")
    creator_services.update_profile(
        dewi.user,
        dewi,
        creator_services.ProfileInput(skills="fotografi produk", bio="Suka batik tulis"),
    )
    search.refresh([dewi.pk])
    tf.talent("Budi Santoso")
    assert names(q="dewi") == ["Déwi Sartika"]
    assert names(q="DÉWI") == ["Déwi Sartika"]
    assert names(q="batik") == ["Déwi Sartika"]
    assert names(q="fotografi prod") == ["Déwi Sartika"]
    handle = Channel.objects.filter(profile=dewi).first().handle
    assert names(q=handle) == ["Déwi Sartika"]
    assert names(q="zzzz") == []


@pytest.mark.postgres
def test_trigram_finds_a_misspelt_name_when_nothing_matches_exactly(city):
    tf.talent("Dewi Sartika")
    tf.talent("Budi Santoso")
    assert names(q="sartikka") == ["Dewi Sartika"]


def test_search_document_follows_profile_changes_after_commit(
    city, django_capture_on_commit_callbacks
):
    dewi = tf.talent("Dewi Sartika")
    with django_capture_on_commit_callbacks(execute=True):
        creator_services.update_profile(
            dewi.user, dewi, creator_services.ProfileInput(bio="Pembicara literasi digital")
        )
    assert "literasi" in DirectoryEntry.objects.get(creator=dewi).text
    assert names(q="literasi") == ["Dewi Sartika"]


def test_one_commit_refreshes_a_creator_once_however_many_signals_fire(
    city, django_capture_on_commit_callbacks, monkeypatch
):
    dewi = tf.talent("Dewi Sartika")
    calls = []
    real = search.refresh
    monkeypatch.setattr(search, "refresh", lambda ids: calls.append(list(ids)) or real(ids))
    with django_capture_on_commit_callbacks(execute=True):
        # The profile, its skills and its subsectors: three signals, one commit.
        creator_services.update_profile(
            dewi.user,
            dewi,
            creator_services.ProfileInput(bio="Fotografer kuliner", skills="fotografi produk"),
        )
        from ekraf.core.models import Subsector

        dewi.subsectors.add(Subsector.objects.get(code="kuliner"))
    assert calls == [[dewi.pk]]
    assert names(q="fotografer", subsector="kuliner") == ["Dewi Sartika"]


def test_catch_up_builds_missing_documents(city):
    tf.talent("Dewi Sartika")
    DirectoryEntry.objects.all().delete()
    assert search.catch_up() == 1
    assert names(q="sartika") == ["Dewi Sartika"]


def test_pathway_filter_assessed_declared_or_either(city, django_capture_on_commit_callbacks):
    declared = tf.talent("Ani Minat", pathways=["narasumber"])
    assessed = tf.talent("Bayu Dinilai")
    # The assessment reaches the search document when its transaction commits.
    with django_capture_on_commit_callbacks(execute=True):
        AssessedPathway.objects.create(creator=assessed, pathway="narasumber")
    tf.talent("Citra Lain", pathways=["content_creator"])
    assert names(pathway="narasumber") == ["Ani Minat", "Bayu Dinilai"]
    assert names(pathway="narasumber", pathway_kind="assessed") == ["Bayu Dinilai"]
    assert names(pathway="narasumber", pathway_kind="declared") == ["Ani Minat"]
    del declared


def test_subsector_filter(city):
    tf.talent("Foto", subsectors=("fotografi",))
    tf.talent("Masak", subsectors=("kuliner",))
    assert names(subsector="kuliner") == ["Masak"]


def test_subsector_change_moves_the_creator_between_filters_after_commit(
    city, django_capture_on_commit_callbacks
):
    from ekraf.core.models import Subsector

    masak = tf.talent("Masak", subsectors=("kuliner",))
    with django_capture_on_commit_callbacks(execute=True):
        masak.subsectors.set([Subsector.objects.get(code="fotografi")])
    assert names(subsector="kuliner") == []
    assert names(subsector="fotografi") == ["Masak"]


def test_filter_values_no_facet_can_have_find_nobody(city):
    tf.talent("Masak", subsectors=("kuliner",))
    assert names(subsector="kuliner' | 'listed") == []
    assert names(pathway="x y") == []
    assert names(kecamatan="'") == []


def test_consent_withdrawn_without_a_document_refresh_still_hides_the_creator(city):
    """The document's "listed" word only narrows; consent itself is read live."""
    dewi = tf.talent("Dewi Setuju", subsectors=("kuliner",))
    creator_services.withdraw_consent(dewi, Consent.Purpose.TALENT_DIRECTORY)
    assert " listed " in DirectoryEntry.objects.get(creator=dewi).facets
    assert names(subsector="kuliner") == []
    assert names(q="dewi") == []


def test_kecamatan_and_kelurahan_filters(city):
    dinoyo = tf.talent("Di Dinoyo", village="Dinoyo")
    tf.talent("Di Klojen", village="Klojen")
    assert names(kelurahan=dinoyo.kelurahan.code) == ["Di Dinoyo"]
    assert names(kecamatan=dinoyo.kelurahan.parent.code) == ["Di Dinoyo"]


def test_platform_and_minimum_followers_on_that_platform(city):
    tf.talent("Ig Besar", channels=[("instagram", "https://www.instagram.com/igbesar/", 50_000)])
    tf.talent("Ig Kecil", channels=[("instagram", "https://www.instagram.com/igkecil/", 500)])
    tf.talent("Tt Besar", channels=[("tiktok", "https://www.tiktok.com/@ttbesar", 90_000)])
    assert names(platform="tiktok") == ["Tt Besar"]
    assert names(platform="instagram", min_followers="10000") == ["Ig Besar"]
    assert names(min_followers="10000") == ["Ig Besar", "Tt Besar"]
    assert names(sort="-pengikut") == ["Tt Besar", "Ig Besar", "Ig Kecil"]


def test_certificate_filter(city, diskominfo):
    from tests.credentials import factories as credf

    holder = tf.talent("Pemegang")
    tf.talent("Tanpa Sertifikat")
    training = credf.training(diskominfo)
    credf.registration(training, holder.user)
    credf.issue(training)
    assert holder.user.certificates.count() == 1
    assert names(certificate=training.public_id) == ["Pemegang"]


def test_available_filter_excludes_creators_committed_in_the_period(city, staff, diskominfo):
    busy = tf.talent("Sibuk", pathways=["narasumber"])
    tf.talent("Luang", pathways=["narasumber"])
    request = tf.speaker_request(staff, diskominfo)
    SpeakerBooking.objects.create(
        request=request,
        creator=busy,
        starts_at=request.starts_at,
        ends_at=request.ends_at,
        status=SpeakerBooking.Status.ACCEPTED,
    )
    window = {
        "available_from": (request.starts_at + timedelta(minutes=30)).isoformat(),
        "available_to": (request.ends_at + timedelta(hours=1)).isoformat(),
    }
    assert names(**window) == ["Luang"]
    later = {
        "available_from": (request.ends_at).isoformat(),
        "available_to": (request.ends_at + timedelta(hours=1)).isoformat(),
    }
    assert names(**later) == ["Luang", "Sibuk"]
    assert set(selectors.committed_creator_ids(request.starts_at, request.ends_at)) == {busy.pk}


def test_directory_page_counts_pages_and_hides_contact_without_permission(
    client, staff, diskopindag
):
    # Imported by another agency and consented: contact visible (consent); a creator's own
    # agency import without consent is not in the directory at all.
    tf.talent("Dewi Kontak", phone="+6281234500001")
    client.force_login(staff)
    page = client.get(reverse("talent:directory"))
    assert page.status_code == 200
    assert "Dewi Kontak" in page.text and "+6281234500001" in page.text
    assert "1 talenta" in page.text


def test_contact_hidden_when_the_rule_says_so(client, staff, monkeypatch):
    from ekraf.accounts import permissions

    tf.talent("Dewi Kontak", phone="+6281234500002")
    monkeypatch.setattr(permissions, "can_see_creator_contact", lambda user, profile: False)
    client.force_login(staff)
    page = client.get(reverse("talent:directory"))
    assert "Dewi Kontak" in page.text
    assert "+6281234500002" not in page.text
    detail = client.get(
        reverse(
            "talent:creator",
            args=[selectors.search_directory(selectors.DirectoryFilters()).first().public_id],
        )
    )
    assert "+6281234500002" not in detail.text


def test_creators_and_outsiders_are_refused(client, city):
    client.force_login(factories.user("kreator", role="creator"))
    assert client.get(reverse("talent:directory")).status_code == 403


def test_directory_page_query_count_is_constant(client, staff, django_assert_num_queries):
    for i in range(3):
        tf.talent(f"Talenta {i}", pathways=["narasumber"])
    client.force_login(staff)
    client.get(reverse("talent:directory"))  # warm caches (city, nav)
    import re

    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as few:
        client.get(reverse("talent:directory"), {"q": "talenta", "pathway": "narasumber"})
    for i in range(3, 12):
        profile = tf.talent(f"Talenta {i}", pathways=["narasumber"])
        AssessedPathway.objects.create(creator=profile, pathway="motivator")
    with django_assert_num_queries(len(few.captured_queries)):
        page = client.get(reverse("talent:directory"), {"q": "talenta", "pathway": "narasumber"})
    assert re.search(r"12 talenta", page.text)


def test_staff_creator_view_query_count_is_constant(
    client, staff, diskominfo, django_assert_num_queries
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    dewi = tf.talent("Dewi Pembicara", pathways=["narasumber"])
    client.force_login(staff)
    url = reverse("talent:creator", args=[dewi.public_id])
    client.get(url)
    with CaptureQueriesContext(connection) as few:
        client.get(url)
    for i in range(4):
        request = tf.speaker_request(staff, diskominfo, start=tf.at(days=3 + i))
        SpeakerBooking.objects.create(
            request=request,
            creator=dewi,
            starts_at=request.starts_at,
            ends_at=request.ends_at,
            status=SpeakerBooking.Status.ACCEPTED,
        )
        AssessedPathway.objects.create(
            creator=dewi,
            pathway=["motivator", "content_creator", "citizen_reporter", "narasumber"][i],
        )
    with django_assert_num_queries(len(few.captured_queries)):
        page = client.get(url)
    assert page.status_code == 200 and "Seminar Ekonomi Kreatif" in page.text
