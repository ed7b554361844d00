"""PDF signing behind one small interface, chosen by settings.PDF_SIGNER.

* ``local`` (default): a PAdES baseline (B-B) signature with the platform's certificate
  (keys.pades_material): ETSI.CAdES.detached sub-filter, SHA-256, the ESS
  signing-certificate-v2 attribute. A PDF reader shows the signature and whether the document
  changed after signing; it names the signer as trusted once the reader trusts the issuing CA.
* ``none``: PDFs are not signed (the QR token and the verification page still protect them).
* a dotted path to a class with the ``PdfSigner`` interface, e.g. a client for the state CA's
  signing gateway (BSrE). No such client ships with Ekraf: it needs the gateway's API
  documentation and credentials, which this project does not have. See docs/certificates.md.

pyHanko writes the signature field and the incremental update (its low-level PdfCMSEmbedder
protocol, the one meant for remote signers). The CMS SignedData itself is assembled here from
DER pieces prepared once per certificate: pyHanko's general-purpose CMS builder re-encodes the
certificates on every signature, which made it the most expensive step of bulk issuance.
pyHanko's validator checks the result in tests/credentials/test_pdf.py.
"""

from __future__ import annotations

import hashlib
import io
from dataclasses import dataclass
from functools import cache, cached_property
from typing import Protocol

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, padding, rsa
from django.conf import settings
from django.utils.module_loading import import_string

from . import keys


class PdfSigner(Protocol):
    """Sign a finished PDF; return the signed bytes (or the same bytes when not signing)."""

    def sign(self, pdf: bytes, *, reason: str, location: str) -> bytes: ...


class NoSigner:
    def sign(self, pdf: bytes, *, reason: str, location: str) -> bytes:
        return pdf


# --- a minimal DER writer -----------------------------------------------------------------------


def _len(n: int) -> bytes:
    if n < 0x80:
        return bytes([n])
    body = n.to_bytes((n.bit_length() + 7) // 8, "big")
    return bytes([0x80 | len(body)]) + body


def _tlv(tag: int, content: bytes) -> bytes:
    return bytes([tag]) + _len(len(content)) + content


def _seq(*parts: bytes) -> bytes:
    return _tlv(0x30, b"".join(parts))


def _set(*parts: bytes) -> bytes:
    return _tlv(0x31, b"".join(sorted(parts)))  # DER: SET OF sorted by encoding


def _int(value: int) -> bytes:
    body = value.to_bytes(max(1, (value.bit_length() + 8) // 8), "big", signed=True)
    return _tlv(0x02, body)


def _oid(dotted: str) -> bytes:
    first, second, *rest = (int(p) for p in dotted.split("."))
    out = bytearray([first * 40 + second])
    for value in rest:
        chunk = [value & 0x7F]
        value >>= 7
        while value:
            chunk.append(0x80 | (value & 0x7F))
            value >>= 7
        out.extend(reversed(chunk))
    return _tlv(0x06, bytes(out))


def _octets(data: bytes) -> bytes:
    return _tlv(0x04, data)


OID_DATA = "1.2.840.113549.1.7.1"
OID_SIGNED_DATA = "1.2.840.113549.1.7.2"
OID_CONTENT_TYPE = "1.2.840.113549.1.9.3"
OID_MESSAGE_DIGEST = "1.2.840.113549.1.9.4"
OID_SIGNING_CERT_V2 = "1.2.840.113549.1.9.16.2.47"
OID_SHA256 = "2.16.840.1.101.3.4.2.1"
OID_ECDSA_SHA256 = "1.2.840.10045.4.3.2"
OID_RSA_SHA256 = "1.2.840.113549.1.1.11"
SHA256_ALG = _seq(_oid(OID_SHA256))


@dataclass(frozen=True)
class _CmsTemplate:
    """Everything of a SignedData that does not change from one signature to the next."""

    key: object
    certificates: bytes  # [0] IMPLICIT SET OF Certificate
    sid: bytes  # IssuerAndSerialNumber
    signature_alg: bytes
    content_type_attr: bytes
    signing_cert_attr: bytes

    @cached_property
    def reserved_hex(self) -> int:
        """Hex characters to reserve in the PDF for this signer's CMS: a trial signature's size
        and a margin (ECDSA signatures vary by a few bytes). A certificate from a real CA
        travels with its chain (BSrE: three RSA-4096 certificates, over 10 KB), so no fixed
        size fits every installation."""
        return 2 * (len(self.signed_data(bytes(32))) + 256)

    def signed_data(self, document_digest: bytes) -> bytes:
        digest_attr = _seq(_oid(OID_MESSAGE_DIGEST), _set(_octets(document_digest)))
        attrs = sorted([self.content_type_attr, digest_attr, self.signing_cert_attr])
        # The signature covers the attributes DER-encoded as a SET (tag 0x31) ...
        to_sign = _tlv(0x31, b"".join(attrs))
        if isinstance(self.key, rsa.RSAPrivateKey):
            signature = self.key.sign(to_sign, padding.PKCS1v15(), hashes.SHA256())
        else:
            signature = self.key.sign(to_sign, ec.ECDSA(hashes.SHA256()))
        signer_info = _seq(
            _int(1),
            self.sid,
            SHA256_ALG,
            _tlv(0xA0, b"".join(attrs)),  # ... and is embedded as [0] IMPLICIT.
            self.signature_alg,
            _octets(signature),
        )
        signed_data = _seq(
            _int(1),
            _set(SHA256_ALG),
            _seq(_oid(OID_DATA)),
            self.certificates,
            _set(signer_info),
        )
        return _seq(_oid(OID_SIGNED_DATA), _tlv(0xA0, signed_data))


def _template(material: keys.PadesMaterial) -> _CmsTemplate:
    cert = material.cert
    cert_der = cert.public_bytes(serialization.Encoding.DER)
    chain_der = [c.public_bytes(serialization.Encoding.DER) for c in material.chain]
    issuer_der = cert.issuer.public_bytes()
    sid = _seq(issuer_der, _int(cert.serial_number))
    if isinstance(material.key, rsa.RSAPrivateKey):
        signature_alg = _seq(_oid(OID_RSA_SHA256), b"\x05\x00")
    elif isinstance(material.key, ec.EllipticCurvePrivateKey):
        signature_alg = _seq(_oid(OID_ECDSA_SHA256))
    else:
        raise TypeError("PAdES signing key must be RSA or ECDSA")
    # ESSCertIDv2 with SHA-256 (the default algorithm, so omitted) and the issuer/serial.
    issuer_serial = _seq(_seq(_tlv(0xA4, issuer_der)), _int(cert.serial_number))
    ess_cert_id = _seq(_octets(hashlib.sha256(cert_der).digest()), issuer_serial)
    signing_cert_attr = _seq(_oid(OID_SIGNING_CERT_V2), _set(_seq(_seq(ess_cert_id))))
    return _CmsTemplate(
        key=material.key,
        certificates=_tlv(0xA0, b"".join(sorted({cert_der, *chain_der}))),
        sid=sid,
        signature_alg=signature_alg,
        content_type_attr=_seq(_oid(OID_CONTENT_TYPE), _set(_oid(OID_DATA))),
        signing_cert_attr=signing_cert_attr,
    )


@cache
def _cached_template(material: keys.PadesMaterial) -> _CmsTemplate:
    return _template(material)


def preload() -> None:
    """Import pyHanko's signing modules now (the worker, before it forks): they are imported
    lazily, so that web processes, which never sign, do not carry them."""
    from pyhanko.pdf_utils import incremental_writer  # noqa: F401
    from pyhanko.sign.signers import cms_embedder, pdf_byterange  # noqa: F401


class LocalPadesSigner:
    """PAdES B-B with the platform's own certificate (see module docstring)."""

    def sign(self, pdf: bytes, *, reason: str, location: str) -> bytes:
        from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
        from pyhanko.sign.fields import SigSeedSubFilter
        from pyhanko.sign.signers.cms_embedder import PdfCMSEmbedder, SigIOSetup, SigObjSetup
        from pyhanko.sign.signers.pdf_byterange import SignatureObject

        template = _cached_template(keys.pades_material())
        writer = IncrementalPdfFileWriter(io.BytesIO(pdf))
        coroutine = PdfCMSEmbedder().write_cms(field_name="EkrafSignature", writer=writer)
        next(coroutine)
        placeholder = SignatureObject(
            subfilter=SigSeedSubFilter.PADES,
            reason=reason,
            location=location,
            name=_subject_common_name(keys.pades_material().cert),
            bytes_reserved=template.reserved_hex,
        )
        coroutine.send(SigObjSetup(sig_placeholder=placeholder))
        output = io.BytesIO()
        prepared, output = coroutine.send(SigIOSetup(md_algorithm="sha256", output=output))
        coroutine.send(template.signed_data(prepared.document_digest))
        return output.getvalue()


def _subject_common_name(cert: x509.Certificate) -> str:
    names = cert.subject.get_attributes_for_oid(x509.oid.NameOID.COMMON_NAME)
    return str(names[0].value) if names else ""


_SIGNERS = {"local": LocalPadesSigner, "none": NoSigner}


def pdf_signer() -> PdfSigner:
    """The signer settings.PDF_SIGNER names (one instance per process and setting)."""
    return _signer_for(settings.PDF_SIGNER)


@cache
def _signer_for(name: str) -> PdfSigner:
    cls = _SIGNERS.get(name) or import_string(name)
    return cls()
