"""RFC 3161 timestamps for the certificate PDFs (PAdES B-T and the archive timestamps of B-LTA).

With EKRAF_TSA_URL set, a timestamping authority answers over HTTP (pyHanko's
HTTPTimeStamper): the state CA's, or any. Without it the platform stamps the time itself with
its local timestamping certificate (keys.tsa_material), issued by its own local CA: the same
shape of signature out of the box, and a reader trusts it exactly as far as it trusts that CA.
Nothing here claims to be another authority: the local tokens name the local certificate and
carry the platform's own policy identifier.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
from functools import cache
from pathlib import Path

from asn1crypto import keys as asn1_keys
from asn1crypto import tsp
from asn1crypto import x509 as asn1_x509
from cryptography import x509
from cryptography.hazmat.primitives import serialization
from django.conf import settings
from pyhanko.sign.timestamps.api import TimeStamper
from pyhanko.sign.timestamps.common_utils import handle_tsp_response
from pyhanko.sign.timestamps.dummy_client import DummyTimeStamper

from . import keys


def asn1_certificate(cert: x509.Certificate) -> asn1_x509.Certificate:
    return asn1_x509.Certificate.load(cert.public_bytes(serialization.Encoding.DER))


class LocalTimeStamper(DummyTimeStamper):
    """pyHanko's in-process TSA, with the platform's own policy identifier.

    pyHanko ships it for tests; the protocol it speaks is the whole of RFC 3161 (it signs a
    TSTInfo over the requested imprint with the given key), which is what a local authority
    needs. Two things are changed: its default policy OID is another company's, so the
    platform's own replaces it; and it signs with RSA only, while the local keys are ECDSA
    P-256 (a fraction of a millisecond per certificate on the day of a bulk issuance)."""

    def _build_tst_info(self, message_imprint, dt, req) -> tsp.TSTInfo:
        info = super()._build_tst_info(message_imprint, dt, req)
        info["policy"] = tsp.ObjectIdentifier(keys.LOCAL_TSA_POLICY)
        return info

    def _sign_tst_info(self, tst_info_data: bytes, md_algorithm: str, dt):
        from asn1crypto import cms, core
        from cryptography.hazmat.primitives import hashes
        from cryptography.hazmat.primitives.asymmetric import ec
        from pyhanko.sign.general import as_signing_certificate_v2, simple_cms_attribute

        digest = hashes.Hash(hashes.SHA256())
        digest.update(tst_info_data)
        signed_attrs = cms.CMSAttributes(
            [
                simple_cms_attribute("content_type", "tst_info"),
                simple_cms_attribute("signing_time", cms.Time({"utc_time": core.UTCTime(dt)})),
                simple_cms_attribute(
                    "signing_certificate_v2", as_signing_certificate_v2(self.tsa_cert)
                ),
                simple_cms_attribute("message_digest", digest.finalize()),
            ]
        )
        signature = self._private.sign(signed_attrs.dump(), ec.ECDSA(hashes.SHA256()))
        return signature, signed_attrs

    def _build_signed_data(self, tst_info_data, md_algorithm, signature, signed_attrs) -> dict:
        from asn1crypto import algos

        data = super()._build_signed_data(tst_info_data, md_algorithm, signature, signed_attrs)
        (signer_info,) = data["signer_infos"]
        signer_info["signature_algorithm"] = algos.SignedDigestAlgorithm(
            {"algorithm": "sha256_ecdsa"}
        )
        return data


@cache
def _local_for(material: keys.TsaMaterial) -> LocalTimeStamper:
    key_der = material.key.private_bytes(
        serialization.Encoding.DER,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )
    stamper = LocalTimeStamper(
        tsa_cert=asn1_certificate(material.cert),
        tsa_key=asn1_keys.PrivateKeyInfo.load(key_der),
        certs_to_embed=[asn1_certificate(material.ca)],
    )
    stamper._private = material.key
    return stamper


@cache
def _remote_for(url: str) -> TimeStamper:
    from pyhanko.sign.timestamps.aiohttp_client import HTTPTimeStamper

    return HTTPTimeStamper(url, timeout=10)


def timestamper() -> TimeStamper:
    """The configured authority: EKRAF_TSA_URL, else the local timestamping certificate."""
    if settings.TSA_URL:
        return _remote_for(settings.TSA_URL)
    return _local_for(keys.tsa_material())


def run(coroutine):
    """Run one of pyHanko's coroutines to its end from synchronous code, also where this
    thread already runs an event loop (an ASGI server, a browser test's driver): there it runs
    in a thread of its own, since asyncio.run() refuses to nest."""
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return asyncio.run(coroutine)
    with concurrent.futures.ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(asyncio.run, coroutine).result()


def token(digest: bytes) -> bytes:
    """A timestamp token (DER ContentInfo) over a SHA-256 digest."""
    stamper = timestamper()
    if isinstance(stamper, DummyTimeStamper):
        nonce, request = stamper.request_cms(digest, "sha256")
        return handle_tsp_response(stamper.request_tsa_response(request), nonce).dump()
    return run(stamper.async_timestamp(digest, "sha256")).dump()


def validation_certificates() -> list[x509.Certificate]:
    """Certificates a validator needs for the timestamps, beyond what the tokens carry."""
    if settings.TSA_URL:
        return [
            c
            for path in settings.TSA_CHAIN
            for c in x509.load_pem_x509_certificates(Path(path).read_bytes())
        ]
    material = keys.tsa_material()
    return [material.cert, material.ca]
