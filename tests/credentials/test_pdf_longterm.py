"""PAdES B-T, B-LT and B-LTA: a certificate PDF earned today still validates after its signing
certificate has expired (checked with pyHanko's AdES validator at a future validation time);
poppler's pdfsig, a validator this project does not use, shows the signing time; one changed
byte still fails; the periodic job keeps the archive timestamps ahead of their certificates."""

import asyncio
import dataclasses
import datetime as dt
import io
import os
import shutil
import subprocess

import pytest
from asn1crypto import crl as asn1_crl
from asn1crypto import x509 as asn1_x509
from cryptography import x509
from cryptography.hazmat.primitives import serialization
from django.core.files.storage import default_storage
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign.validation import ades
from pyhanko.sign.validation.policy_decl import (
    CertValidationPolicySpec,
    LocalKnowledge,
    PdfSignatureValidationSpec,
    RevinfoOnlineFetchingRule,
    RevocationInfoGatheringSpec,
    SignatureValidationSpec,
)
from pyhanko_certvalidator.context import ValidationTimingInfo
from pyhanko_certvalidator.policy_decl import (
    CertRevTrustPolicy,
    RevocationCheckingPolicy,
    RevocationCheckingRule,
)
from pyhanko_certvalidator.registry import SimpleTrustManager
from pyhanko_certvalidator.revinfo.archival import CRLContainer

from ekraf.credentials import archive, keys
from ekraf.credentials.models import Certificate
from tests.credentials import factories as cf

pytestmark = pytest.mark.django_db


@pytest.fixture
def certificate(diskominfo):
    training = cf.training(diskominfo)
    cf.registration(training)
    cf.issue(training)
    return Certificate.objects.get()


def pdf_bytes(cert) -> bytes:
    with default_storage.open(cert.pdf, "rb") as fh:
        return fh.read()


def crl_at(moment: dt.datetime) -> CRLContainer:
    """The local CA's revocation list as a validator would fetch it then from /pki/ca.crl."""
    return CRLContainer(asn1_crl.CertificateList.load(keys.crl_der(moment - dt.timedelta(hours=1))))


def validate_at(data: bytes, moment: dt.datetime):
    """ETSI EN 319 102-1 long-term (LTA) validation at `moment`, nothing fetched online: the
    local CA is the trust anchor, revocation info is required for every certificate, and the
    only information from `moment` itself is that day's revocation list."""
    ca = asn1_x509.Certificate.load(
        keys.local_ca_certificate().public_bytes(serialization.Encoding.DER)
    )
    required = RevocationCheckingRule.CRL_OR_OCSP_REQUIRED
    policy = CertValidationPolicySpec(
        trust_manager=SimpleTrustManager.build([ca]),
        revinfo_policy=CertRevTrustPolicy(RevocationCheckingPolicy(required, required)),
    )
    spec = SignatureValidationSpec(
        cert_validation_policy=policy,
        revinfo_gathering_policy=RevocationInfoGatheringSpec(
            online_fetching_rule=RevinfoOnlineFetchingRule.LOCAL_ONLY
        ),
    )
    spec = dataclasses.replace(spec, local_knowledge=LocalKnowledge(known_crls=[crl_at(moment)]))
    signature = PdfFileReader(io.BytesIO(data)).embedded_regular_signatures[0]
    timing = ValidationTimingInfo(
        validation_time=moment, best_signature_time=moment, point_in_time_validation=True
    )
    return asyncio.run(
        ades.ades_lta_validation(signature, PdfSignatureValidationSpec(spec), timing_info=timing)
    )


def test_the_pdf_validates_long_after_its_signing_certificate_expired(certificate):
    data = pdf_bytes(certificate)
    signer_expiry = keys.pades_material().cert.not_valid_after_utc
    later = signer_expiry + dt.timedelta(days=365)  # 2032 for a certificate of 2026

    result = validate_at(data, later)
    assert result.ades_subindic.name == "OK", result.ades_subindic
    status = result.api_status
    assert status.intact and status.valid and status.bottom_line
    assert status.validation_time == later > signer_expiry
    stamp = status.timestamp_validity
    assert stamp is not None and stamp.valid and stamp.intact
    assert abs(stamp.timestamp - certificate.issued_at) < dt.timedelta(minutes=5)


def test_one_changed_byte_fails_the_long_term_validation(certificate):
    data = bytearray(pdf_bytes(certificate))
    offset = data.index(b"stream", data.index(b"/Length")) + 20
    data[offset] ^= 0x01
    later = keys.pades_material().cert.not_valid_after_utc + dt.timedelta(days=365)
    result = validate_at(bytes(data), later)
    assert result.ades_subindic.name != "OK"
    assert not result.api_status.bottom_line


def test_the_pdf_carries_its_validation_data_and_a_document_timestamp(certificate):
    reader = PdfFileReader(io.BytesIO(pdf_bytes(certificate)))
    dss = reader.root["/DSS"]
    assert len(dss["/Certs"]) >= 3  # signer, timestamping certificate, local CA
    assert len(dss["/CRLs"]) == 1
    (archive_stamp,) = reader.embedded_timestamp_signatures
    assert archive_stamp.sig_object["/SubFilter"] == "/ETSI.RFC3161"
    tsa = keys.tsa_material().cert
    assert certificate.pdf_timestamped_until == tsa.not_valid_after_utc
    # The local timestamping authority names itself and its own policy, nobody else's.
    assert "Local Timestamping" in tsa.subject.rfc4514_string()
    info = archive_stamp.signed_data["encap_content_info"]["content"].parsed
    assert info["policy"].dotted == keys.LOCAL_TSA_POLICY


def pdfsig(path) -> str:
    return subprocess.run(
        ["pdfsig", str(path)],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
        env={"TZ": "UTC", "PATH": os.environ.get("PATH", "")},
    ).stdout


@pytest.mark.skipif(
    shutil.which("pdfsig") is None,
    reason="poppler's pdfsig is not installed (apt-get install -y poppler-utils; CI installs it)",
)
def test_poppler_pdfsig_shows_the_signing_time_and_catches_a_changed_byte(certificate, tmp_path):
    data = pdf_bytes(certificate)
    good = tmp_path / "good.pdf"
    good.write_bytes(data)
    report = pdfsig(good)
    issued = certificate.issued_at.astimezone(dt.UTC)
    assert "Signature Field Name: EkrafSignature" in report
    assert f"Signing Time: {issued:%b %d %Y}" in report, report
    assert "Jan 01 1970" not in report.split("Signature #2")[0]
    assert "Signature Type: ETSI.CAdES.detached" in report
    assert "Signature Validation: Signature is Valid." in report

    tampered = bytearray(data)
    offset = data.index(b"stream", data.index(b"/Length")) + 20
    tampered[offset] ^= 0x01
    bad = tmp_path / "bad.pdf"
    bad.write_bytes(bytes(tampered))
    report = pdfsig(bad)
    assert "Signature is Valid." not in report.split("Signature #2")[0], report


def test_the_periodic_job_adds_archive_timestamps_before_the_authority_ends(
    diskominfo, monkeypatch
):
    # A timestamping certificate with half a year left (as one will be, some day).
    monkeypatch.setattr(keys, "TSA_YEARS", 0.5)
    keys.issue_tsa_certificate()
    training = cf.training(diskominfo)
    cf.registration(training)
    cf.issue(training)
    certificate = Certificate.objects.get()
    before, old_name = pdf_bytes(certificate), certificate.pdf
    until = certificate.pdf_timestamped_until
    assert until < keys.tsa_material().cert.not_valid_before_utc + dt.timedelta(days=200)

    # The job renews the local timestamping certificate (ten years again) and stamps each PDF
    # whose latest timestamp ends within a year with the new one.
    monkeypatch.setattr(keys, "TSA_YEARS", 10)
    assert archive.renew_due() == 1
    certificate.refresh_from_db()
    after = pdf_bytes(certificate)
    assert after.startswith(before)  # incremental: the signed revisions are untouched
    assert certificate.pdf_timestamped_until > until + dt.timedelta(days=365 * 9)
    assert len(PdfFileReader(io.BytesIO(after)).embedded_timestamp_signatures) == 2
    assert not default_storage.exists(old_name)  # replaced, not left behind
    # Idempotent: run again, nothing more is added.
    assert archive.renew_due() == 0
    certificate.refresh_from_db()
    assert pdf_bytes(certificate) == after
    # Long after both the first timestamping certificate and the signing certificate ended,
    # the chain of timestamps still proves the signature.
    later = keys.pades_material().cert.not_valid_after_utc + dt.timedelta(days=365)
    assert validate_at(after, later).ades_subindic.name == "OK"


def test_archive_stamps_go_on_after_a_crash_and_leave_a_newer_file_alone(certificate):
    """A run that read the PDF while another stored a new one does not overwrite it."""
    name, until = certificate.pdf, certificate.pdf_timestamped_until
    Certificate.objects.filter(pk=certificate.pk).update(pdf="private/other.pdf")
    assert archive.extend(certificate.pk, name, until - dt.timedelta(days=1)) is False
    assert Certificate.objects.get().pdf == "private/other.pdf"
    assert default_storage.exists(name)  # the file that was read is still there


def test_the_local_ca_publishes_its_revocation_list_and_certificate(client, certificate):
    response = client.get("/pki/ca.crl")
    assert response.status_code == 200 and response["Content-Type"] == "application/pkix-crl"
    crl = x509.load_der_x509_crl(response.content)
    assert list(crl) == []  # revokes nothing
    assert response["Access-Control-Allow-Origin"] == "*"
    ca = client.get("/pki/ca.pem")
    assert x509.load_pem_x509_certificate(ca.content).subject == crl.issuer
    points = keys.tsa_material().cert.extensions.get_extension_for_class(x509.CRLDistributionPoints)
    assert points.value[0].full_name[0].value.endswith("/pki/ca.crl")


def test_the_keys_command_creates_and_lists_the_timestamping_certificate(settings, tmp_path):
    from io import StringIO

    from django.core.management import call_command

    settings.CREDENTIAL_KEYS_DIR = tmp_path / "fresh"
    keys.forget()
    out = StringIO()
    call_command("credential_keys", "init", stdout=out)
    assert "sertifikat penanda waktu lokal" in out.getvalue()
    assert "Penanda waktu lokal" in out.getvalue() and "Local Timestamping" in out.getvalue()
    again = StringIO()
    call_command("credential_keys", "init", stdout=again)
    assert "Semua kunci sudah ada." in again.getvalue()
