"""The PDF: what it prints, a QR that scans at 150 dpi and verifies, a PAdES signature that
pyHanko validates and that breaks when one byte changes."""

import datetime as dt
import hashlib
import io

import pypdfium2
import pytest
import zxingcpp
from asn1crypto import x509 as asn1_x509
from cryptography import x509
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.hazmat.primitives.serialization import Encoding, NoEncryption, PrivateFormat
from cryptography.x509.oid import NameOID
from django.conf import settings
from django.core.files.storage import default_storage
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign.validation import validate_pdf_signature
from pyhanko_certvalidator import ValidationContext
from pypdf import PdfReader

from ekraf.credentials import keys, services
from ekraf.credentials.models import Certificate
from tests import factories
from tests.credentials import factories as cf

pytestmark = pytest.mark.django_db


@pytest.fixture
def certificate(diskominfo):
    cf.signatory(diskominfo, name="Rahmawati Ningsih, S.Kom., M.T.", title="Kepala Bidang")
    training = cf.training(
        diskominfo, title="Bimtek Konten Kreator: Branding Kota Malang yang Berkelanjutan"
    )
    person = factories.user("ayu", full_name="Ayu Kartika Sari")
    cf.registration(training, person, name="Ayu Kartika Sari Dewi Çelik Ñúñez")
    cf.issue(training)
    return Certificate.objects.get()


def pdf_bytes(cert) -> bytes:
    with default_storage.open(cert.pdf, "rb") as fh:
        return fh.read()


def test_the_pdf_prints_every_field_and_says_it_is_not_a_competency_certificate(certificate):
    data = pdf_bytes(certificate)
    reader = PdfReader(io.BytesIO(data))
    page = reader.pages[0]
    assert (float(page.mediabox.width), float(page.mediabox.height)) == pytest.approx(
        (841.89, 595.28), abs=0.1
    )  # A4 landscape
    text = " ".join(page.extract_text().split())
    for expected in (
        "E-SERTIFIKAT",
        "KELULUSAN",
        "Ayu Kartika Sari Dewi Çelik Ñúñez",  # Unicode names print (embedded DejaVu)
        certificate.number,
        certificate.display_code,
        "16 jam pelajaran (JP)",
        "24–25 Januari 2024",
        "Malang Creative Center",
        f"Malang, {certificate.issued_on.day}",
        "Rahmawati Ningsih, S.Kom., M.T.",
        "NIP. 197501012000032001",
        "BUKAN sertifikat kompetensi profesi (BNSP)",
        "PEMERINTAH KOTA MALANG",
    ):
        assert expected in text, expected
    fonts = [page["/Resources"]["/Font"][name] for name in page["/Resources"]["/Font"]]
    assert fonts and all("DejaVuSerif" in str(font["/BaseFont"]) for font in fonts)
    # Embedded (a subset of the TrueType program travels inside the PDF), not a system font.
    assert all("/FontFile2" in font["/FontDescriptor"] for font in fonts)


def test_the_qr_scans_at_150_dpi_and_leads_to_valid(certificate, client):
    document = pypdfium2.PdfDocument(pdf_bytes(certificate))
    image = document[0].render(scale=150 / 72).to_pil()
    found = zxingcpp.read_barcodes(image)
    assert len(found) == 1 and found[0].format == zxingcpp.BarcodeFormat.QRCode
    url = found[0].text
    assert url.startswith(settings.BASE_URL.upper() + "/V/")
    response = client.get(url.removeprefix(settings.BASE_URL.upper()))
    body = response.content.decode()
    assert response.status_code == 200
    assert "ASLI dan berlaku" in body and certificate.number in body
    assert int(found[0].extra["Version"]) <= 10 and found[0].ec_level == "Q"


def trust_local_ca() -> ValidationContext:
    ca = asn1_x509.Certificate.load(keys.local_ca_certificate().public_bytes(Encoding.DER))
    return ValidationContext(trust_roots=[ca])


def test_pades_signature_is_valid_and_breaks_when_one_byte_changes(certificate):
    data = pdf_bytes(certificate)
    status = validate_pdf_signature(
        PdfFileReader(io.BytesIO(data)).embedded_signatures[0], trust_local_ca()
    )
    assert status.intact and status.valid and status.trusted and status.bottom_line
    # Covers its whole revision; what follows is only validation data and archive timestamps.
    assert status.coverage.name == "ENTIRE_REVISION"
    assert status.diff_result.modification_level.name == "LTA_UPDATES"
    assert status.md_algorithm == "sha256"

    # Change one byte inside the signed content (a byte of the page's drawing stream).
    tampered = bytearray(data)
    offset = data.index(b"stream", data.index(b"/Length")) + 20
    tampered[offset] ^= 0x01
    reader = PdfFileReader(io.BytesIO(bytes(tampered)))
    status = validate_pdf_signature(reader.embedded_signatures[0], trust_local_ca())
    assert not status.intact  # the document digest no longer matches
    assert not status.bottom_line  # so the signature is judged invalid


def test_the_cms_carries_exactly_the_pades_baseline_b_signed_attributes(certificate):
    """ETSI EN 319 142-1 B-B: content-type, message-digest and signing-certificate-v2 naming
    the signer's certificate; no signing-time (the PDF's /M carries it). pyHanko's validator
    checks signing-certificate-v2 only when present, so its presence is asserted here. B-T:
    the one unsigned attribute is the signature timestamp."""
    embedded = PdfFileReader(io.BytesIO(pdf_bytes(certificate))).embedded_signatures[0]
    assert embedded.sig_object["/SubFilter"] == "/ETSI.CAdES.detached"
    signed_data = embedded.signed_data
    assert signed_data["encap_content_info"]["content_type"].native == "data"
    assert signed_data["encap_content_info"]["content"].native is None  # detached
    signer_info = embedded.signer_info
    attrs = {a["type"].native: a["values"] for a in signer_info["signed_attrs"]}
    assert set(attrs) == {"content_type", "message_digest", "signing_certificate_v2"}
    assert [v.native for v in attrs["content_type"]] == ["data"]
    assert len(attrs["message_digest"]) == 1
    signer = embedded.signer_cert
    (ess,) = attrs["signing_certificate_v2"]
    (cert_id,) = ess["certs"]
    assert cert_id["hash_algorithm"]["algorithm"].native == "sha256"
    assert cert_id["cert_hash"].native == hashlib.sha256(signer.dump()).digest()
    issuer_serial = cert_id["issuer_serial"]
    assert issuer_serial["serial_number"].native == signer.serial_number
    assert issuer_serial["issuer"][0].chosen == signer.issuer
    assert signer_info["sid"].chosen["serial_number"].native == signer.serial_number
    assert signer_info["digest_algorithm"]["algorithm"].native == "sha256"
    unsigned = [a["type"].native for a in signer_info["unsigned_attrs"]]
    assert unsigned == ["signature_time_stamp_token"]
    assert embedded.sig_object["/M"]  # the signing time a reader shows


def _ca_cert(common_name, issuer, issuer_key, key, *, ca):
    now = dt.datetime.now(dt.UTC)
    subject = x509.Name(
        [
            x509.NameAttribute(NameOID.COUNTRY_NAME, "ID"),
            x509.NameAttribute(NameOID.ORGANIZATION_NAME, "Balai Besar Sertifikasi Elektronik"),
            x509.NameAttribute(NameOID.COMMON_NAME, common_name),
        ]
    )
    return (
        x509.CertificateBuilder()
        .subject_name(subject)
        .issuer_name(issuer or subject)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(days=1))
        .not_valid_after(now + dt.timedelta(days=365))
        .add_extension(x509.BasicConstraints(ca=ca, path_length=None), critical=True)
        .add_extension(
            x509.KeyUsage(
                digital_signature=not ca,
                content_commitment=not ca,
                key_encipherment=False,
                data_encipherment=False,
                key_agreement=False,
                key_cert_sign=ca,
                crl_sign=ca,
                encipher_only=False,
                decipher_only=False,
            ),
            critical=True,
        )
        .sign(issuer_key, hashes.SHA256())
    )


def test_a_certificate_from_a_real_ca_with_a_long_chain_signs(settings, tmp_path, diskominfo):
    """A CA's certificate travels with its chain (root, intermediate: RSA-4096 for BSrE). The
    signature placeholder had a fixed 4 KiB, and every PDF failed with 'ByteRange payload
    larger than expected'."""
    root_key, mid_key, key = (rsa.generate_private_key(65537, 4096) for _ in range(3))
    root = _ca_cert("Root CA Uji G1", None, root_key, root_key, ca=True)
    mid = _ca_cert("CA Uji Tanda Tangan G2", root.subject, root_key, mid_key, ca=True)
    leaf = _ca_cert("Diskominfo Kota Malang", mid.subject, mid_key, key, ca=False)
    (tmp_path / "signer.pem").write_bytes(leaf.public_bytes(Encoding.PEM))
    (tmp_path / "signer-key.pem").write_bytes(
        key.private_bytes(Encoding.PEM, PrivateFormat.PKCS8, NoEncryption())
    )
    (tmp_path / "chain.pem").write_bytes(
        mid.public_bytes(Encoding.PEM) + root.public_bytes(Encoding.PEM)
    )
    settings.PDF_SIGNING_CERT = str(tmp_path / "signer.pem")
    settings.PDF_SIGNING_KEY = str(tmp_path / "signer-key.pem")
    settings.PDF_SIGNING_CHAIN = [str(tmp_path / "chain.pem")]
    keys.forget()
    training = cf.training(diskominfo)
    cf.registration(training)
    job = cf.issue(training)
    assert job.failed == 0, list(job.failures.values_list("reason", flat=True))
    data = pdf_bytes(Certificate.objects.get())
    trust = ValidationContext(
        trust_roots=[asn1_x509.Certificate.load(root.public_bytes(Encoding.DER))]
    )
    # Without EKRAF_TSA_URL the signing time is stamped by the platform's local authority.
    status = validate_pdf_signature(
        PdfFileReader(io.BytesIO(data)).embedded_signatures[0],
        trust,
        ts_validation_context=trust_local_ca(),
    )
    assert status.intact and status.valid and status.trusted and status.bottom_line
    assert status.timestamp_validity.valid


def test_signer_none_leaves_pdfs_unsigned(settings, diskominfo):
    settings.PDF_SIGNER = "none"
    training = cf.training(diskominfo)
    cf.registration(training)
    cf.issue(training)
    data = pdf_bytes(Certificate.objects.get())
    assert PdfFileReader(io.BytesIO(data)).embedded_signatures == []


def test_a_configured_signer_class_is_used(settings, diskominfo):
    settings.PDF_SIGNER = "tests.credentials.test_pdf.StampingSigner"
    training = cf.training(diskominfo)
    cf.registration(training)
    cf.issue(training)
    assert pdf_bytes(Certificate.objects.get()).endswith(b"%signed-by-test\n")


class StampingSigner:
    def sign(self, pdf, *, reason, location):
        return pdf + b"%signed-by-test\n"


def test_holder_and_staff_download_others_cannot(client, certificate, organiser, other_organiser):
    url = f"/sertifikat-saya/{certificate.code}/pdf"
    client.force_login(certificate.holder)
    response = client.get(url)
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert b"".join(response.streaming_content).startswith(b"%PDF")
    client.force_login(organiser)
    assert client.get(url).status_code == 200
    client.force_login(other_organiser)
    assert client.get(url).status_code == 403
    client.force_login(factories.user("someone"))
    assert client.get(url).status_code == 403
    client.logout()
    assert client.get(url).status_code == 302


def test_pdf_files_are_stored_under_a_private_prefix(certificate, client):
    assert certificate.pdf.startswith("private/credentials/pdf/")
    assert client.get(f"/media/{certificate.pdf}").status_code == 404


def test_two_signatories_and_agency_logo_fallback_to_city(diskopindag):
    training = cf.training(diskopindag)
    first = cf.signatory(diskopindag, name="Pejabat Satu")
    second = cf.signatory(diskopindag, name="Pejabat Dua")
    services.set_training_signatories(factories.user("adm", role="admin"), training, first, second)
    cf.registration(training)
    cf.issue(training)
    cert = Certificate.objects.get()
    text = PdfReader(io.BytesIO(pdf_bytes(cert))).pages[0].extract_text()
    assert "Pejabat Satu" in text and "Pejabat Dua" in text
    assert services.TrainingPrint.of(training).logo.startswith("city/")  # no agency logo
