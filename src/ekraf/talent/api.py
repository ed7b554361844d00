"""The talent app's part of the API at /api/v1 (mounted by ekraf.api.api): the directory and
speaker requests (journey 9).

As thin as the pages: the same selectors (`search_directory`, with the same filters) and the
same services, so the same permission rules. Refusals are DomainErrors that api/api.py turns into
{"code", "detail", …}: 409 `overlap` (with `clash`) when the speaker is already booked at an
overlapping time, 409 `illegal_transition` when the booking's or request's state does not allow
the step.
"""

from datetime import datetime

from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema, Status
from ninja.pagination import paginate

from ekraf.accounts import permissions
from ekraf.api.auth import authenticated
from ekraf.api.errors import choice
from ekraf.core.errors import NotFound
from ekraf.core.models import Agency, Region
from ekraf.creators.api import CreatorOut, ErrorOut, Pages
from ekraf.creators.models import CreatorProfile, Pathway

from . import selectors, services
from .models import SpeakerBooking, SpeakerRequest

router = Router(tags=["Talenta"])


class SpeakerClashOut(Schema):
    id: str
    starts_at: datetime
    ends_at: datetime


class SpeakerConflictOut(ErrorOut):
    clash: SpeakerClashOut | None = None


ERRORS = {400: ErrorOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 409: SpeakerConflictOut}


class AssessedOut(Schema):
    pathway: Pathway
    training: str | None = Field(None, description="public id pelatihan yang menjadi bukti")
    note: str
    evidence: dict
    assessed_at: datetime

    @staticmethod
    def resolve_training(obj):
        return obj.training.public_id if obj.training_id else None


class TalentOut(CreatorOut):
    bio: str
    assessed_pathways: list[AssessedOut] = Field(
        description="jalur hasil penilaian penyelenggara (pathways = minat yang dinyatakan sendiri)"
    )

    @staticmethod
    def resolve_assessed_pathways(obj):
        return list(obj.assessed_pathways.all())


@router.get(
    "/talent",
    response={200: list[TalentOut], **ERRORS},
    auth=authenticated,
    summary="Direktori talenta (staf perangkat daerah, penyelenggara, administrator)",
)
@paginate(Pages, page_size=25)
def list_talent(
    request,
    q: str = "",
    pathway: Pathway | None = None,
    pathway_kind: str = Query("", description="'' (dinilai atau minat), assessed, declared"),
    subsector: str = "",
    kecamatan: str = "",
    kelurahan: str = "",
    platform: str = "",
    min_followers: int | None = None,
    certificate: str = Query("", description="public id pelatihan: memegang sertifikatnya"),
    available_from: datetime | None = None,
    available_to: datetime | None = None,
    sort: str = Query("", description="relevansi, nama, -pengikut, terbaru"),
):
    """Hanya pelaku yang menyetujui direktori talenta. Pencarian teks atas nama, nama tampilan,
    bio, keterampilan dan nama akun (PostgreSQL: full-text `simple` + unaccent, trigram bila tak
    ada yang cocok persis). `available_from`/`available_to`: tidak terjadwal di periode itu.
    Email dan telepon mengikuti aturan kontak yang sama dengan halaman."""
    permissions.require(permissions.can_use_talent_directory(request.auth))
    filters = selectors.DirectoryFilters(
        q=q.strip()[:100],
        pathway=pathway or "",
        pathway_kind=pathway_kind if pathway_kind in ("assessed", "declared") else "",
        subsector=subsector[:40],
        kecamatan=kecamatan[:20],
        kelurahan=kelurahan[:20],
        platform=platform[:12],
        min_followers=min_followers if min_followers and min_followers > 0 else None,
        certificate=certificate[:16],
        available_from=available_from,
        available_to=available_to,
        sort=sort,
    )
    return selectors.search_directory(filters)


# --- speaker requests ---------------------------------------------------------------------------


class SpeakerBookingOut(Schema):
    id: str
    request: str
    creator: str = Field(description="public id pelaku")
    creator_name: str
    starts_at: datetime
    ends_at: datetime
    status: choice(SpeakerBooking.Status)
    decline_reason: str
    rating: int | None
    rating_comment: str

    @staticmethod
    def resolve_id(obj):
        return obj.public_id

    @staticmethod
    def resolve_request(obj):
        return obj.request.public_id

    @staticmethod
    def resolve_creator(obj):
        return obj.creator.public_id

    @staticmethod
    def resolve_creator_name(obj):
        return obj.creator.name


class SpeakerRequestOut(Schema):
    id: str
    agency: str
    event: str
    topic: str
    pathway: str
    starts_at: datetime
    ends_at: datetime
    region: str | None
    venue: str
    audience: str
    audience_size: int | None
    format: SpeakerRequest.Format
    honorarium: int | None
    travel: str
    speakers_needed: int
    status: choice(SpeakerRequest.Status)

    @staticmethod
    def resolve_id(obj):
        return obj.public_id

    @staticmethod
    def resolve_agency(obj):
        return obj.agency.code

    @staticmethod
    def resolve_region(obj):
        return obj.region.code if obj.region_id else None


class SpeakerRequestDetailOut(SpeakerRequestOut):
    bookings: list[SpeakerBookingOut]

    @staticmethod
    def resolve_bookings(obj):
        return list(obj.bookings.all())


class SpeakerRequestIn(Schema):
    agency: str = Field(description="kode perangkat daerah")
    event: str
    topic: str
    pathway: str = "narasumber"
    starts_at: datetime
    ends_at: datetime
    region: str | None = Field(None, description="kode Kemendagri kecamatan/kelurahan")
    venue: str = ""
    audience: str = ""
    audience_size: int | None = Field(None, ge=0, le=1_000_000)
    format: str = "talk"
    honorarium: int | None = Field(None, ge=0, le=2_000_000_000)
    travel: str = ""
    speakers_needed: int = Field(1, ge=1, le=10)


class ShortlistIn(Schema):
    creator: str = Field(description="public id pelaku di direktori talenta")
    note: str = ""


class DeclineIn(Schema):
    reason: str = ""


class RateIn(Schema):
    rating: int = Field(ge=1, le=5)
    comment: str = ""


def _request_or_404(user, public_id) -> SpeakerRequest:
    found = selectors.speaker_request(public_id)
    if found is None or not permissions.can_manage_speaker_request(user, found):
        raise NotFound(_("Permintaan tidak ditemukan."))
    return found


def _booking_or_404(public_id) -> SpeakerBooking:
    found = (
        SpeakerBooking.objects.select_related("creator__user", "request__agency")
        .filter(public_id=public_id)
        .first()
    )
    if found is None:
        raise NotFound(_("Jadwal tidak ditemukan."))
    return found


@router.get(
    "/speaker-requests",
    response={200: list[SpeakerRequestOut], **ERRORS},
    auth=authenticated,
    summary="Permintaan narasumber perangkat daerah Anda",
)
def list_speaker_requests(request):
    permissions.require(permissions.can_request_speakers(request.auth))
    return selectors.speaker_requests_for(request.auth)


@router.post(
    "/speaker-requests",
    response={201: SpeakerRequestDetailOut, **ERRORS},
    auth=authenticated,
    summary="Minta narasumber atau motivator",
)
def create_speaker_request(request, body: SpeakerRequestIn):
    data = body.dict()
    agency = Agency.objects.filter(code=data.pop("agency")).first()
    if agency is None:
        raise NotFound(_("Perangkat daerah tidak ditemukan."))
    region_code = data.pop("region")
    region = None
    if region_code:
        region = Region.objects.filter(
            code=region_code, level__in=["kecamatan", "kelurahan"]
        ).first()
        if region is None:
            raise NotFound(_("Wilayah tidak ditemukan."))
    created = services.create_request(
        request.auth, agency=agency, region=region, request=request, **data
    )
    return Status(201, selectors.speaker_request(created.public_id))


@router.get(
    "/speaker-requests/{public_id}",
    response={200: SpeakerRequestDetailOut, **ERRORS},
    auth=authenticated,
    summary="Satu permintaan narasumber dengan daftar pendeknya",
)
def get_speaker_request(request, public_id: str):
    return _request_or_404(request.auth, public_id)


@router.post(
    "/speaker-requests/{public_id}/shortlist",
    response={201: SpeakerBookingOut, **ERRORS},
    auth=authenticated,
    summary="Masukkan pelaku dari direktori ke daftar pendek (ia diberi tahu)",
)
def shortlist(request, public_id: str, body: ShortlistIn):
    found = _request_or_404(request.auth, public_id)
    creator = CreatorProfile.objects.filter(public_id=body.creator).first()
    if creator is None:
        raise NotFound(_("Pelaku tidak ditemukan."))
    return Status(
        201, services.shortlist(request.auth, found, creator, note=body.note, request=request)
    )


@router.post(
    "/speaker-requests/{public_id}/cancel",
    response={200: SpeakerRequestOut, **ERRORS},
    auth=authenticated,
    summary="Batalkan permintaan (semua pembicaranya ditarik)",
)
def cancel(request, public_id: str):
    return services.cancel_request(
        request.auth, _request_or_404(request.auth, public_id), request=request
    )


@router.get(
    "/speaker-bookings",
    response={200: list[SpeakerBookingOut], **ERRORS},
    auth=authenticated,
    summary="Undangan dan jadwal Anda sebagai pembicara",
)
def my_bookings(request):
    return list(
        SpeakerBooking.objects.filter(creator__user=request.auth)
        .select_related("creator", "request")
        .order_by("-starts_at")
    )


@router.post(
    "/speaker-bookings/{public_id}/accept",
    response={200: SpeakerBookingOut, **ERRORS},
    auth=authenticated,
    summary="Pembicara menerima (409 bila bentrok dengan jadwal lain atau sudah penuh)",
)
def accept(request, public_id: str):
    return services.accept(request.auth, _booking_or_404(public_id), request=request)


@router.post(
    "/speaker-bookings/{public_id}/decline",
    response={200: SpeakerBookingOut, **ERRORS},
    auth=authenticated,
    summary="Pembicara menolak, dengan alasan",
)
def decline(request, public_id: str, body: DeclineIn):
    return services.decline(
        request.auth, _booking_or_404(public_id), reason=body.reason, request=request
    )


@router.post(
    "/speaker-bookings/{public_id}/withdraw",
    response={200: SpeakerBookingOut, **ERRORS},
    auth=authenticated,
    summary="Staf menarik pembicara dari kegiatan",
)
def withdraw(request, public_id: str):
    return services.withdraw(request.auth, _booking_or_404(public_id), request=request)


@router.post(
    "/speaker-bookings/{public_id}/rate",
    response={200: SpeakerBookingOut, **ERRORS},
    auth=authenticated,
    summary="Perangkat daerah menilai sesi (1–5 dan komentar) sesudah kegiatan",
)
def rate(request, public_id: str, body: RateIn):
    return services.rate(
        request.auth,
        _booking_or_404(public_id),
        rating=body.rating,
        comment=body.comment,
        request=request,
    )
