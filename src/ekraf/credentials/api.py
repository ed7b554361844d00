"""E-certificate API: issue (as a background job), follow the job, verify, revoke."""

import datetime as dt

from django.http import HttpRequest, HttpResponse
from ninja import Field, Router, Schema, Status

from ekraf.accounts import permissions
from ekraf.api.auth import authenticated
from ekraf.core.errors import NotFound
from ekraf.trainings.models import Training

from . import codes, ratelimit, selectors, services

router = Router(tags=["E-sertifikat"])


class JobOut(Schema):
    id: str
    status: str
    done: int
    total: int
    failed: int
    training: str
    failures: list[dict] = []


class CertificateOut(Schema):
    status: str  # valid | revoked | superseded (diganti: re-issued, see superseded_by)
    code: str
    number: str
    kind: str
    holder_name: str
    training: str
    training_kind: str
    agency: str
    hours: int
    starts_on: dt.date | None = None
    ends_on: dt.date | None = None
    place: str
    issued_on: dt.date
    revoked_at: dt.datetime | None = None
    revoked_reason: str = ""
    revoked_category: str = ""
    revoked_category_label: str = ""
    superseded_at: dt.datetime | None = None
    superseded_by: str = ""
    superseded_by_url: str = ""


class RevokeIn(Schema):
    category: str = Field(
        "other",
        description=(
            "jenis alasan: wrong_data, misconduct, issued_in_error, holder_request, other"
        ),
    )
    reason: str = Field(
        max_length=300,
        description="ditampilkan pada verifikasi (15–300 karakter, minimal 3 kata)",
    )


def _job_out(job) -> dict:
    return {
        "id": job.public_id,
        "status": job.status,
        "done": job.done,
        "total": job.total,
        "failed": job.failed,
        "training": job.training.public_id,
        "failures": [
            {"registration": f.registration_id, "reason": f.reason} for f in job.failures.all()
        ],
    }


@router.post(
    "/trainings/{training_id}/certificates",
    response={202: JobOut},
    auth=authenticated,
    summary="Terbitkan e-sertifikat untuk semua peserta yang memenuhi syarat (proses latar)",
)
def issue_for_training(request: HttpRequest, training_id: str):
    training = Training.objects.filter(public_id=training_id).select_related("agency").first()
    if training is None:
        raise NotFound("Pelatihan tidak ditemukan.")
    job = services.start_issuance(request.auth, training)
    return Status(202, _job_out(selectors.job(job.public_id)))


@router.get("/jobs/{job_id}", response=JobOut, auth=authenticated, summary="Kemajuan penerbitan")
def job_status(request: HttpRequest, job_id: str):
    job = selectors.job(job_id)
    if job is None or not permissions.can_issue_certificates(request.auth, job.training.agency_id):
        raise NotFound("Proses tidak ditemukan.")
    return _job_out(job)


class VerifyMiss(Schema):
    status: str  # mistyped | unknown
    code: str  # mistyped | not_found
    detail: str


class RateLimited(Schema):
    code: str
    detail: str


@router.get(
    "/certificates/{code}",
    response={200: CertificateOut, 404: VerifyMiss, 429: RateLimited},
    summary="Verifikasi e-sertifikat (publik): status dan data yang tercetak",
    description=(
        "Terbuka untuk peramban dari situs mana pun (`Access-Control-Allow-Origin: *`). "
        "404 dengan `status: mistyped` bila huruf pemeriksa kode tidak cocok (salah ketik), "
        "`status: unknown` bila kode tidak ada."
    ),
)
def verify(request: HttpRequest, code: str, response: HttpResponse):
    """The answer as JSON bytes kept beside the answer itself, one cache round trip in all
    (with the rate limit's count): a QR is scanned again and again, and validating and encoding
    the same answer anew each time cost more than the rest of the request. The bytes are keyed
    by the answer's status, as the page's HTML is, so a revocation or re-issue (which changes
    the status) is never answered with the old bytes."""
    # Browser-based verifiers on any site may read every answer (the 404 and 429 too).
    response["Access-Control-Allow-Origin"] = "*"
    parsed = codes.parse(code)  # a mistyped code is refused before any cache or query
    json_keys = {s: _json_key(parsed, s) for s in selectors.ANSWER_STATUSES} if parsed else {}
    wanted = selectors.verification_keys(parsed, json_keys.values()) if parsed else []
    allowed, fetched = ratelimit.allow_and_fetch(request, "verify", wanted)
    if not allowed:
        return Status(
            429,
            {
                "code": "rate_limited",
                "detail": "Terlalu banyak permintaan; coba lagi dalam satu menit.",
            },
        )
    answer, kept = (
        selectors.verification_and(parsed, tuple(json_keys.values()), fetched=fetched)
        if parsed
        else (None, {})
    )
    if answer is None:
        if not parsed and codes.is_mistyped(code):
            miss = {"status": "mistyped", "code": "mistyped"}
            miss["detail"] = "Kode salah ketik — periksa huruf yang mirip."
        else:
            miss = {"status": "unknown", "code": "not_found"}
            miss["detail"] = "E-sertifikat tidak ditemukan."
        return Status(404, miss)
    key = json_keys[answer["status"]]
    body = kept.get(key)
    if body is None:
        from ekraf.api.api import api  # the API imports this router: not at module level

        data = CertificateOut.model_validate(answer).model_dump()
        body = api.renderer.render(request, data, response_status=200)
        selectors.keep_answer_bytes(key, body)
    # ninja's own response (its content type, the header above), returned as is: not encoded again
    response.content = body
    return response


def _json_key(code: str, status: str) -> str:
    # Bump v1 when CertificateOut changes, so a deploy never serves bytes of the old shape.
    return f"verify:json:v1:{status}:{code}"


@router.post(
    "/certificates/{code}/revoke",
    response=CertificateOut,
    auth=authenticated,
    summary="Cabut e-sertifikat dengan alasan (penyelenggara perangkat daerah penerbit)",
)
def revoke(request: HttpRequest, code: str, payload: RevokeIn):
    cert = services.revoke_certificate(
        request.auth, code, payload.reason, category=payload.category, request=request
    )
    return selectors.public_view(cert)
