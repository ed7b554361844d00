"""Journeys 4 and 6: the holder's wallet, and referrals for professional certification."""

import json
from urllib.parse import parse_qs, urlparse

import pytest
from django.urls import reverse

from ekraf.accounts import personal_data
from ekraf.core.models import OutboxMessage
from ekraf.credentials import services
from ekraf.credentials.models import Certificate, Referral
from tests import factories
from tests.credentials import factories as cf

pytestmark = pytest.mark.django_db


@pytest.fixture
def holder(diskominfo):
    person = factories.user("ayu", full_name="Ayu Kartika")
    training = cf.training(diskominfo, title="Bimtek Konten Kreator")
    cf.registration(training, person)
    cf.issue(training)
    return person


@pytest.fixture
def disnaker_staff(city):
    return factories.user(
        "disnaker", role="agency_staff", agency=factories.agency("disnaker-pmptsp")
    )


def test_wallet_offers_pdf_open_badges_share_whatsapp_and_linkedin(client, holder):
    cert = Certificate.objects.get()
    client.force_login(holder)
    response = client.get(reverse("credentials:wallet"))
    body = response.content.decode()
    assert cert.display_code in body and cert.number in body
    assert f"/sertifikat-saya/{cert.code}/pdf" in body
    assert f"/sertifikat-saya/{cert.code}/openbadges.json" in body
    assert f"/sertifikat-saya/{cert.code}/openbadges.jwt" in body
    assert f"http://127.0.0.1:8000/verifikasi/{cert.code}" in body
    item = response.context["items"][0]
    assert item["whatsapp_url"].startswith("https://wa.me/?text=")
    linkedin = urlparse(item["linkedin_url"])
    assert (linkedin.netloc, linkedin.path) == ("www.linkedin.com", "/profile/add")
    params = parse_qs(linkedin.query)
    assert params["startTask"] == ["CERTIFICATION_NAME"]
    assert params["organizationName"] == ["Dinas Komunikasi dan Informatika"]
    assert params["issueYear"] == [str(cert.issued_on.year)]
    assert params["issueMonth"] == [str(cert.issued_on.month)]
    assert params["certUrl"] == [f"http://127.0.0.1:8000/verifikasi/{cert.code}"]
    assert params["certId"] == [cert.number]
    assert "Bimtek Konten Kreator" in params["name"][0]
    assert "style=" not in body


def test_someone_else_cannot_download_the_open_badge(client, holder):
    cert = Certificate.objects.get()
    client.force_login(factories.user("other"))
    assert client.get(f"/sertifikat-saya/{cert.code}/openbadges.json").status_code == 403


def test_referral_journey(client, holder, disnaker_staff):
    client.force_login(holder)
    page = client.get(reverse("credentials:referrals")).content.decode()
    assert "BNSP" in page and "LSP" in page and "Bimtek Konten Kreator" in page
    response = client.post(
        reverse("credentials:referrals"),
        {"scheme": "Content Creator", "motivation": "Ingin", "phone": "0812 3456 7890"},
    )
    assert response.status_code == 302
    referral = Referral.objects.get()
    assert referral.phone == "+6281234567890"  # E.164: the wa.me link staff use needs it
    assert referral.agency.code == "disnaker-pmptsp"
    assert referral.training_record[0]["training"] == "Bimtek Konten Kreator"
    assert referral.training_record[0]["certificate_number"] == Certificate.objects.get().number
    assert OutboxMessage.objects.filter(kind="referral_new", recipient=disnaker_staff).exists()
    # A second open referral is refused.
    again = client.post(reverse("credentials:referrals"), {"scheme": "Fotografer"})
    assert Referral.objects.count() == 1 and again.status_code == 200

    client.force_login(disnaker_staff)
    queue = client.get(reverse("credentials:referral_queue")).content.decode()
    assert "Ayu Kartika" in queue
    url = reverse("credentials:referral_detail", args=[referral.public_id])
    missing_lsp = client.post(url, {"status": "forwarded", "note": ""})
    assert "Sebutkan LSP tujuan" in missing_lsp.content.decode()
    client.post(url, {"status": "forwarded", "lsp_name": "LSP Digital", "note": "Berkas dikirim"})
    client.post(url, {"status": "scheduled", "scheduled_for": "2030-02-01", "note": "TUK MCC"})
    skip = client.post(url, {"status": "received", "note": "x"})
    assert skip.status_code == 200  # not an allowed step: form error, nothing changes
    client.post(url, {"status": "certified", "note": "Selamat, kompeten"})
    referral.refresh_from_db()
    assert referral.status == "certified" and referral.lsp_name == "LSP Digital"
    assert [e.status for e in referral.events.all()] == [
        "received",
        "forwarded",
        "scheduled",
        "certified",
    ]
    updates = OutboxMessage.objects.filter(kind="referral_update", recipient=holder)
    assert updates.count() == 3

    client.force_login(holder)
    mine = client.get(reverse("credentials:referrals")).content.decode()
    assert "Tersertifikasi" in mine and "Selamat, kompeten" in mine and "TUK MCC" in mine


@pytest.mark.parametrize("phone", ["+62", "12345", "0812"])
def test_a_referral_phone_that_is_no_number_is_refused_with_the_form_kept(client, holder, phone):
    client.force_login(holder)
    response = client.post(
        reverse("credentials:referrals"),
        {"scheme": "Content Creator", "motivation": "Ingin bekerja", "phone": phone},
    )
    assert response.status_code == 200
    assert "Nomor telepon tidak valid" in " ".join(response.context["form"].errors["phone"])
    assert response.context["form"]["motivation"].value() == "Ingin bekerja"
    assert not Referral.objects.exists()


def test_only_the_receiving_agency_works_the_queue(client, holder, organiser, disnaker_staff):
    referral = services.request_referral(holder, scheme="Fotografer")
    client.force_login(organiser)
    assert client.get(reverse("credentials:referral_queue")).status_code == 403
    url = reverse("credentials:referral_detail", args=[referral.public_id])
    assert client.get(url).status_code == 403
    with pytest.raises(services.DomainError):
        services.advance_referral(organiser, referral, status="forwarded", lsp_name="X")
    declined = services.advance_referral(
        disnaker_staff, referral, status="declined", note="Skema belum tersedia di Malang"
    )
    assert declined.status == "declined"
    with pytest.raises(services.DomainError):
        services.advance_referral(disnaker_staff, referral, status="forwarded", lsp_name="X")


def test_personal_data_export_and_deletion_keep_certificates(holder, disnaker_staff):
    services.request_referral(
        holder, scheme="Content Creator", motivation="cerita", phone="+6281234567890"
    )
    exported = personal_data.export_for(holder)["credentials"]
    assert exported["certificates"][0]["training"] == "Bimtek Konten Kreator"
    assert exported["referrals"][0]["motivation"] == "cerita"
    json.dumps(exported)
    personal_data.erase_for(holder)
    referral = Referral.objects.get()
    assert referral.motivation == "" and referral.phone == "" and referral.training_record == []
    cert = Certificate.objects.get()
    assert cert.holder_name == "Ayu Kartika"  # kept: verifiers depend on it
