"""Rows of the permission matrix: e-certificates (verification, wallet, issuance, revocation,
signatories, Open Badges) and referrals, pages and API. Format: tests/security/README.md."""

import json

from ekraf.credentials import keys, tokens
from ekraf.credentials import services as credential_services
from tests.credentials import factories as cf

from . import table

WORLD_ORDER = 30

ROWS = table("""
route                                                anon      creator   org_a     org_b     staff     editor    space     comm      admin
credentials:verify                                   ok        ok        ok        ok        ok        ok        ok        ok        ok
/verifikasi/                                         ok        ok        ok        ok        ok        ok        ok        ok        ok
credentials:verify_code                              ok        ok        ok        ok        ok        ok        ok        ok        ok
credentials:verify_token                             ok        ok        ok        ok        ok        ok        ok        ok        ok
credentials:verify_qr                                ok        ok        ok        ok        ok        ok        ok        ok        ok
credentials:verify_offline                           ok        ok        ok        ok        ok        ok        ok        ok        ok
credentials:verify_offline_worker                    ok        ok        ok        ok        ok        ok        ok        ok        ok
credentials:verify_offline_status                    ok        ok        ok        ok        ok        ok        ok        ok        ok
credentials:pki_crl                                  ok        ok        ok        ok        ok        ok        ok        ok        ok
credentials:pki_ca                                   ok        ok        ok        ok        ok        ok        ok        ok        ok
credentials:ob_did                                   ok        ok        ok        ok        ok        ok        ok        ok        ok
credentials:ob_key                                   ok        ok        ok        ok        ok        ok        ok        ok        ok
credentials:ob_key_jwk                               ok        ok        ok        ok        ok        ok        ok        ok        ok
credentials:ob_achievement_image                     ok        ok        ok        ok        ok        ok        ok        ok        ok
credentials:jwks                                     ok        ok        ok        ok        ok        ok        ok        ok        ok
credentials:ob_issuer                                ok        ok        ok        ok        ok        ok        ok        ok        ok
credentials:ob_status_list                           ok        ok        ok        ok        ok        ok        ok        ok        ok
credentials:ob_achievement                           ok        ok        ok        ok        ok        ok        ok        ok        ok
credentials:wallet                                   login     ok        ok        ok        ok        ok        ok        ok        ok
credentials:certificate_pdf                          login     ok        ok        forbidden ok        forbidden forbidden forbidden ok
credentials:certificate_openbadge                    login     ok        ok        forbidden ok        forbidden forbidden forbidden ok
credentials:certificate_openbadge_jwt                login     ok        ok        forbidden ok        forbidden forbidden forbidden ok
credentials:referrals                                login     ok        ok        ok        ok        ok        ok        ok        ok
credentials:manage                                   login     forbidden ok        ok        forbidden forbidden forbidden forbidden ok
credentials:manage_training                          login     forbidden ok        forbidden forbidden forbidden forbidden forbidden ok
credentials:job                                      login     forbidden ok        forbidden forbidden forbidden forbidden forbidden ok
credentials:job_status                               login     forbidden ok        forbidden forbidden forbidden forbidden forbidden ok
credentials:job_resume                               method    method    method    method    method    method    method    method    method
credentials:signatories                              login     forbidden ok        ok        forbidden forbidden forbidden forbidden ok
credentials:signatory_edit                           login     forbidden ok        not_found forbidden forbidden forbidden forbidden ok
credentials:revoke                                   login     forbidden ok        forbidden forbidden forbidden forbidden forbidden ok
credentials:reissue                                  login     forbidden ok        forbidden forbidden forbidden forbidden forbidden ok
credentials:preview_pdf                              login     forbidden ok        forbidden forbidden forbidden forbidden forbidden ok
credentials:referral_queue                           login     forbidden forbidden forbidden forbidden forbidden forbidden forbidden ok
credentials:referral_detail                          login     forbidden forbidden forbidden forbidden forbidden forbidden forbidden ok
POST /api/v1/trainings/{training_id}/certificates    login     forbidden ok        forbidden forbidden forbidden forbidden forbidden ok
GET /api/v1/jobs/{job_id}                            login     not_found ok        not_found not_found not_found not_found not_found ok
GET /api/v1/certificates/{code}                      ok        ok        ok        ok        ok        ok        ok        ok        ok
POST /api/v1/certificates/{code}/revoke              login     forbidden ok        forbidden forbidden forbidden forbidden forbidden ok
""")


def world(w):
    w.finished = cf.training(w.agency_a, title="Bimtek Fotografi Produk")
    cf.registration(w.finished, w.creator, name="Kirana Tertutup")
    w.job = cf.issue(w.finished, w.users["org_a"])
    w.certificate = w.finished.certificates.get()
    w.signatory = w.agency_a.signatories.get()
    w.referral = credential_services.request_referral(w.creator, scheme="Fotografer Muda")
    qr_url, _qr = tokens.qr_for(
        tokens.QrClaims(
            code=w.certificate.code,
            holder_name=w.certificate.holder_name,
            training_title=w.certificate.training_title,
            agency=w.certificate.agency_short_name,
            issued_on=w.certificate.issued_on.isoformat(),
        )
    )
    w.qr_digits = qr_url.rstrip("/").rsplit("/", 1)[-1]
    # A QR printed before the compact form: a compact JWS at /v/<token>.
    legacy = {"c": w.certificate.code, "n": w.certificate.holder_name, "d": "2024-01-25"}
    w.qr_token = tokens.sign_compact(json.dumps(legacy, separators=(",", ":")).encode())
    w.kid = keys.keyring().active.kid


def _code(w):
    return {"code": w.certificate.code}


def _job(w):
    return {"public_id": w.job.public_id}


ARGS = {
    "credentials:verify_code": _code,
    "credentials:verify_token": lambda w: {"token": w.qr_token},
    "credentials:verify_qr": lambda w: {"digits": w.qr_digits},
    "credentials:ob_did": lambda w: {"agency_code": w.agency_a.code},
    "credentials:ob_key": lambda w: {"agency_code": w.agency_a.code, "kid": w.kid},
    "credentials:ob_key_jwk": lambda w: {"agency_code": w.agency_a.code, "kid": w.kid},
    "credentials:ob_achievement_image": lambda w: {"public_id": w.finished.public_id},
    "credentials:ob_issuer": lambda w: {"agency_code": w.agency_a.code},
    "credentials:ob_status_list": lambda w: {
        "agency_code": w.agency_a.code,
        "number": w.certificate.status_list.number,
    },
    "credentials:ob_achievement": lambda w: {"public_id": w.finished.public_id},
    "credentials:certificate_pdf": _code,
    "credentials:certificate_openbadge": _code,
    "credentials:certificate_openbadge_jwt": _code,
    "credentials:revoke": _code,
    "credentials:reissue": _code,
    "credentials:preview_pdf": lambda w: {"public_id": w.finished.public_id},
    "credentials:manage_training": lambda w: {"public_id": w.finished.public_id},
    "credentials:job": _job,
    "credentials:job_status": _job,
    "credentials:job_resume": _job,
    "credentials:signatory_edit": lambda w: {"pk": w.signatory.pk},
    "credentials:referral_detail": lambda w: {"public_id": w.referral.public_id},
    "/api/v1/trainings/{training_id}/certificates": lambda w: {"training_id": w.finished.public_id},
    "/api/v1/jobs/{job_id}": lambda w: {"job_id": w.job.public_id},
    "/api/v1/certificates/{code}": _code,
    "/api/v1/certificates/{code}/revoke": _code,
}
BODIES = {
    "POST /api/v1/certificates/{code}/revoke": lambda w: {
        "category": "wrong_data",
        "reason": "Nama peserta salah ketik",
    },
}
