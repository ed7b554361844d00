"""Issue 13 point 5: certificates stay true to their basis and can be corrected.

Re-issuing supersedes (verification says "diganti" with a link, numbering stays gap-free);
revocation needs a reason from the list and a meaningful text, previewed; a change of scores or
attendance after issue is listed for the organiser; one certificate can be previewed first.
"""

import pytest
from django.urls import reverse

from ekraf.core.models import AuditEvent
from ekraf.credentials import multibase, openbadges, selectors, services
from ekraf.credentials.models import Certificate
from ekraf.trainings.models import Attendance
from tests import factories
from tests.credentials import factories as cf

pytestmark = pytest.mark.django_db


@pytest.fixture
def issued(diskominfo):
    training = cf.training(diskominfo, title="Bimtek Fotografi Produk")
    cf.registration(training, factories.user("a", full_name="Budi Hartono"))
    cf.registration(training, factories.user("b", full_name="Sari Wulandri"))
    cf.issue(training)
    return training, list(Certificate.objects.order_by("sequence"))


def test_reissue_supersedes_with_the_next_number_and_a_link(client, organiser, issued):
    training, (first, second) = issued
    new = services.reissue_certificate(
        organiser, second.code, holder_name="Sari Wulandari", reason="Nama peserta salah ketik"
    )
    old = Certificate.objects.get(pk=second.pk)
    assert new.sequence == second.sequence + 1  # gap-free: the next number, nothing skipped
    assert new.holder_name == "Sari Wulandari" and new.pdf and new.openbadge
    assert new.registration_id == second.registration_id and old.registration_id is None
    assert old.superseded_by_id == new.pk and old.revoked_at is None
    assert old.registration is None
    assert new.registration.full_name == "Sari Wulandari"
    assert AuditEvent.objects.filter(action="certificates.reissue").exists()

    page = client.get(reverse("credentials:verify_code", args=[old.code])).content.decode()
    assert "DIGANTI" in page and "DICABUT" not in page
    assert reverse("credentials:verify_code", args=[new.code]) in page
    answer = client.get(f"/api/v1/certificates/{old.code}").json()
    assert answer["status"] == "superseded" and answer["superseded_by"] == new.code
    assert answer["superseded_by_url"].endswith(f"/verifikasi/{new.code}")
    assert client.get(f"/api/v1/certificates/{new.code}").json()["status"] == "valid"
    # The old credential's slot in the status list is set; the new one's is not.
    bits = openbadges.status_bits(old.status_list)
    assert multibase.bit_is_set(bits, old.status_index) and not multibase.bit_is_set(
        bits, new.status_index
    )
    # Wallet and the organiser's count show the current one only.
    assert list(selectors.wallet(old.holder)) == [new]
    row = selectors.trainings_for_certificates(organiser).get(pk=training.pk)
    assert row.issued_count == 2


def test_a_reissue_is_refused_twice_revoked_or_without_a_reason(organiser, other_organiser, issued):
    _training, (first, second) = issued
    with pytest.raises(services.DomainError, match="minimal 15 karakter"):
        services.reissue_certificate(organiser, first.code, holder_name="Budi", reason="salah")
    with pytest.raises(services.DomainError):
        services.reissue_certificate(
            other_organiser, first.code, holder_name="Budi H", reason="Nama peserta salah ketik"
        )
    services.reissue_certificate(
        organiser, first.code, holder_name="Budi H.", reason="Nama peserta salah ketik"
    )
    with pytest.raises(services.Conflict):
        services.reissue_certificate(
            organiser, first.code, holder_name="Budi H", reason="Nama peserta salah ketik"
        )
    with pytest.raises(services.Conflict):  # a superseded one is not revoked: its successor is
        services.revoke_certificate(organiser, first.code, "Data peserta keliru sekali")
    services.revoke_certificate(organiser, second.code, "Peserta tidak pernah hadir di kelas")
    with pytest.raises(services.Conflict):
        services.reissue_certificate(
            organiser, second.code, holder_name="Sari", reason="Nama peserta salah ketik"
        )
    assert Certificate.objects.count() == 3


def test_reissue_page(client, organiser, issued):
    training, (first, _second) = issued
    client.force_login(organiser)
    url = reverse("credentials:reissue", args=[first.code])
    page = client.get(url)
    assert page.status_code == 200 and "Budi Hartono" in page.content.decode()
    bad = client.post(url, {"holder_name": "Budi Hartono, S.T.", "reason": "salah"})
    body = bad.content.decode()
    assert bad.status_code == 200 and "minimal 15 karakter" in body
    assert "Budi Hartono, S.T." in body  # what was typed is kept
    done = client.post(
        url, {"holder_name": "Budi Hartono, S.T.", "reason": "Gelar peserta belum tercantum"}
    )
    assert done.status_code == 302
    assert Certificate.objects.get(pk=first.pk).superseded_by.holder_name == "Budi Hartono, S.T."
    manage = client.get(reverse("credentials:manage_training", args=[training.public_id]))
    assert "Terbitkan ulang" in manage.content.decode()


@pytest.mark.parametrize(
    "reason",
    ["salah", "Salah data!!!!!!!!!", "123456789012345678", "     a b c d e      "],
)
def test_a_revocation_reason_must_say_something(organiser, issued, reason):
    _training, (first, _second) = issued
    with pytest.raises(services.DomainError, match="minimal 15 karakter dan 3 kata"):
        services.revoke_certificate(organiser, first.code, reason)
    with pytest.raises(services.DomainError, match="Pilih jenis alasan"):
        services.revoke_certificate(organiser, first.code, "Nama peserta keliru", category="x")


def test_revocation_page_previews_what_verifiers_read_then_revokes(client, organiser, issued):
    _training, (first, _second) = issued
    client.force_login(organiser)
    url = reverse("credentials:revoke", args=[first.code])
    short = client.post(url, {"category": "wrong_data", "reason": "salah"})
    assert "minimal 15 karakter" in short.content.decode()
    assert 'value="wrong_data" selected' in short.content.decode()
    data = {"category": "misconduct", "reason": "Jawaban post-test hasil menyalin"}
    preview = client.post(url, data).content.decode()
    assert "Pelanggaran atau kecurangan: Jawaban post-test hasil menyalin" in preview
    assert Certificate.objects.get(pk=first.pk).revoked_at is None  # only a preview
    assert client.post(url, {**data, "step": "confirm"}).status_code == 302
    cert = Certificate.objects.get(pk=first.pk)
    assert cert.revoked_category == "misconduct"
    page = client.get(reverse("credentials:verify_code", args=[cert.code])).content.decode()
    assert "Pelanggaran atau kecurangan: Jawaban post-test hasil menyalin" in page


def test_revocation_api_takes_the_category(organiser, issued):
    from tests.credentials.test_api import api

    _training, (first, _second) = issued
    client = api(organiser)
    url = f"/api/v1/certificates/{first.code}/revoke"
    short = client.post(url, {"category": "wrong_data", "reason": "salah"}, "application/json")
    assert short.status_code == 400
    bad = client.post(
        url, {"category": "nope", "reason": "Nama peserta keliru"}, "application/json"
    )
    assert bad.status_code == 400
    ok = client.post(
        url, {"category": "holder_request", "reason": "Peserta meminta dicabut"}, "application/json"
    )
    assert ok.status_code == 200
    assert ok.json()["revoked_category_label"] == "Permintaan peserta"


def test_changes_after_issue_are_listed_for_the_organiser(
    client, organiser, diskominfo, django_assert_max_num_queries
):
    training = cf.training(diskominfo)
    regs = [cf.registration(training) for _ in range(3)]
    participation = cf.training(diskominfo, kind="participation")
    attendee = cf.registration(participation, completed=False, attended=True)
    cf.issue(training)
    cf.issue(participation)
    assert selectors.certificates_with_changed_basis(training) == []
    regs[0].completed = False
    regs[0].completion_reason = "post-test 50 < 70"
    regs[0].save()
    regs[1].status = "cancelled"
    regs[1].save()
    with django_assert_max_num_queries(1):
        changed = selectors.certificates_with_changed_basis(training)
    assert [c.registration_id for c in changed] == sorted(
        [regs[0].pk, regs[1].pk], key=lambda pk: Certificate.objects.get(registration_id=pk).number
    )
    Attendance.objects.filter(registration=attendee).delete()
    assert [
        c.registration_id for c in selectors.certificates_with_changed_basis(participation)
    ] == [attendee.pk]
    client.force_login(organiser)
    page = client.get(reverse("credentials:manage_training", args=[training.public_id]))
    body = page.content.decode()
    assert "basis-changed" in body and "post-test 50 &lt; 70" in body


def test_preview_is_one_unnumbered_certificate_marked_contoh(client, organiser, diskominfo):
    training = cf.training(diskominfo)
    cf.registration(training, factories.user("z", full_name="Zaenal Arifin"))
    client.force_login(organiser)
    response = client.get(reverse("credentials:preview_pdf", args=[training.public_id]))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    assert Certificate.objects.count() == 0  # nothing issued, nothing numbered
    from ekraf.credentials.models import CertificateCounter

    assert not CertificateCounter.objects.filter(last_sequence__gt=0).exists()
    empty = cf.training(diskominfo)
    refused = client.get(reverse("credentials:preview_pdf", args=[empty.public_id]))
    assert refused.status_code == 302


def test_lowering_a_post_test_after_issue_warns_with_the_certificate(client, organiser, diskominfo):
    """The tracker's case: a post-test lowered after issuing left a valid completion
    certificate beside "not passed", with no warning."""
    training = cf.training(diskominfo)
    training.completion_min_post_test = 70
    training.save(update_fields=["completion_min_post_test"])
    reg = cf.registration(training, attended=True)
    cf.issue(training)
    cert = Certificate.objects.get()
    client.force_login(organiser)
    url = reverse("trainings:manage_scores", args=[training.public_id])
    response = client.post(url, {f"pre_{reg.pk}": "", f"post_{reg.pk}": "50"}, follow=True)
    body = response.content.decode()
    assert "tidak lagi sesuai" in body and cert.number in body
