"""The creator registry in the API: staff search, a creator's own profile, import status."""

import datetime

from django.utils.translation import gettext as _
from ninja import Field, Router, Schema, Status
from ninja.pagination import PageNumberPagination, paginate

from ekraf.accounts import permissions
from ekraf.api.auth import authenticated
from ekraf.api.errors import ErrorOut
from ekraf.core.errors import NotFound

from . import imports, selectors, services
from .models import Channel, CreatorProfile, Pathway

router = Router(tags=["Pelaku ekraf"])


class Pages(PageNumberPagination):
    """Page numbers within reach: a huge page made an offset the database cannot hold (500)."""

    class Input(Schema):
        page: int = Field(1, ge=1, le=1_000_000)
        page_size: int | None = Field(None, ge=1)  # capped at NINJA_PAGINATION_MAX_PER_PAGE_SIZE


class RegionRef(Schema):
    code: str
    name: str


class ChannelOut(Schema):
    platform: Channel.Platform
    handle: str
    url: str
    followers: int | None
    followers_read_on: datetime.date | None


def _contact_visible(obj, context) -> bool:
    """The same rule as the pages and exports (permissions.can_see_creator_contact), for the
    caller of this request."""
    request = (context or {}).get("request")
    return permissions.can_see_creator_contact(getattr(request, "auth", None), obj)


class CreatorOut(Schema):
    public_id: str
    full_name: str
    display_name: str
    email: str | None = Field(
        description="null bila pelaku tidak bersedia dihubungi (lihat contact_hidden)"
    )
    phone: str | None = Field(
        description="E.164, misalnya +6281234567890; kosong bila tidak diisi; null bila pelaku "
        "tidak bersedia dihubungi (lihat contact_hidden)"
    )
    contact_hidden: bool = Field(
        description="true: email dan telepon disembunyikan karena pelaku tidak menyetujui "
        "direktori talenta dan tidak diimpor oleh perangkat daerah Anda"
    )
    gender: str
    birth_year: int | None
    kecamatan: RegionRef | None
    kelurahan: RegionRef | None
    subsectors: list[str] = Field(description="kode subsektor")
    skills: list[str]
    pathways: list[Pathway]
    channels: list[ChannelOut]
    source: CreatorProfile.Source
    created_at: datetime.datetime

    @staticmethod
    def resolve_email(obj, context):
        return obj.user.email if _contact_visible(obj, context) else None

    @staticmethod
    def resolve_phone(obj, context):
        return obj.phone if _contact_visible(obj, context) else None

    @staticmethod
    def resolve_contact_hidden(obj, context):
        return not _contact_visible(obj, context)

    @staticmethod
    def resolve_kecamatan(obj):
        return obj.kelurahan.parent if obj.kelurahan else None

    @staticmethod
    def resolve_subsectors(obj):
        return [s.code for s in obj.subsectors.all()]

    @staticmethod
    def resolve_skills(obj):
        return [s.name for s in obj.skills.all()]

    @staticmethod
    def resolve_pathways(obj):
        return [p.pathway for p in obj.pathway_interests.all()]

    @staticmethod
    def resolve_channels(obj):
        return list(obj.channels.all())


class ConsentOut(Schema):
    purpose: str
    text_version: str
    given_at: datetime.datetime


def _active(obj):
    return [c for c in obj.consents.all() if c.withdrawn_at is None]


class CreatorDetailOut(CreatorOut):
    bio: str
    nik_masked: str = Field(description="NIK tersamar; NIK lengkap tidak pernah lewat API")
    consents: list[ConsentOut] = Field(description="persetujuan yang sedang aktif")

    @staticmethod
    def resolve_consents(obj):
        return _active(obj)


@router.get(
    "/creators",
    response=list[CreatorOut],
    auth=authenticated,
    summary="Cari pelaku ekraf (staf perangkat daerah, penyelenggara, administrator)",
)
@paginate(Pages, page_size=25)
def list_creators(
    request,
    q: str = "",
    subsector: str = "",
    kecamatan: str = "",
    kelurahan: str = "",
    platform: Channel.Platform | None = None,
    pathway: Pathway | None = None,
):
    """Pencarian nama, email, telepon atau nama akun; saring dengan kode subsektor, kode
    wilayah Kemendagri (kecamatan/kelurahan), platform kanal dan jalur minat. Email dan telepon
    hanya dicari (dan ditampilkan) untuk pelaku yang kontaknya boleh Anda lihat."""
    permissions.require(permissions.can_view_creator_registry(request.auth))
    filters = selectors.CreatorFilters(
        q=q.strip()[:100],
        subsector=subsector[:40],
        kecamatan=kecamatan[:20],
        kelurahan=kelurahan[:20],
        platform=platform or "",
        pathway=pathway or "",
    )
    return selectors.search_creators(filters, viewer=request.auth)


@router.get(
    "/creators/{public_id}",
    response=CreatorDetailOut,
    auth=authenticated,
    summary="Profil satu pelaku ekraf (staf)",
)
def get_creator(request, public_id: str):
    permissions.require(permissions.can_view_creator_registry(request.auth))
    profile = selectors.creator_for_staff(public_id)
    if profile is None or profile.deleted_at is not None:
        raise NotFound(_("Pelaku tidak ditemukan."))
    return profile


# --- the creator's own profile ----------------------------------------------------------------


class MyProfileOut(CreatorDetailOut):
    public_profile: bool
    talent_directory: bool
    show_photo: bool
    show_area: bool
    show_bio: bool
    show_channels: bool

    @staticmethod
    def resolve_public_profile(obj):
        return any(c.purpose == "public_profile" for c in _active(obj))

    @staticmethod
    def resolve_talent_directory(obj):
        return any(c.purpose == "talent_directory" for c in _active(obj))


class ChannelIn(Schema):
    platform: Channel.Platform
    account: str = Field(
        max_length=300, description="nama akun (@namaakun) atau tautan; dinormalisasi"
    )
    followers: int | str | None = Field(None, description="angka, atau '12,5rb', '1,2jt'")
    followers_read_on: datetime.date | None = Field(None, description="bawaan: hari ini")


class ProfileIn(Schema):
    """Fields left out stay as they are; null clears birth_year, kelurahan or nik."""

    full_name: str | None = Field(None, max_length=150)
    display_name: str | None = Field(None, max_length=80)
    gender: str | None = Field(None, description="'L', 'P' atau ''")
    birth_year: int | None = None
    kelurahan: str | None = Field(None, description="kode Kemendagri kelurahan")
    subsectors: list[str] | None = Field(None, description="kode subsektor")
    skills: list[str] | None = None
    bio: str | None = Field(None, max_length=2000)
    pathways: list[str] | None = None
    phone: str | None = Field(None, max_length=30)
    nik: str | None = Field(None, max_length=30, description="16 angka; '' atau null menghapus NIK")
    nik_consent: bool = Field(False, description="wajib true saat mengirim NIK baru")
    channels: list[ChannelIn] | None = Field(None, description="daftar lengkap; menggantikan")


def _my_profile(user) -> CreatorProfile:
    return selectors.creator_for_staff(services.ensure_profile(user).public_id)


@router.get(
    "/me/profile", response=MyProfileOut, auth=authenticated, summary="Profil saya (pelaku ekraf)"
)
def get_my_profile(request):
    return _my_profile(request.auth)


@router.put(
    "/me/profile",
    response={200: MyProfileOut, 422: ErrorOut},
    auth=authenticated,
    summary="Ubah profil saya",
)
def put_my_profile(request, payload: ProfileIn):
    """Kesalahan isian dijawab 422 dengan pesan per kolom (`errors`), dalam bahasa Indonesia."""
    user = request.auth
    profile = services.ensure_profile(user)
    sent = payload.model_fields_set
    data = services.ProfileInput()
    for name in (
        "full_name",
        "display_name",
        "gender",
        "bio",
        "phone",
        "subsectors",
        "skills",
        "pathways",
    ):
        if name in sent:
            value = getattr(payload, name)
            if value is None:
                value = [] if name in ("subsectors", "skills", "pathways") else ""
            setattr(data, name, value)
    for name in ("birth_year", "kelurahan"):
        if name in sent:
            setattr(data, name, getattr(payload, name))
            if getattr(payload, name) in (None, ""):
                data.unset.add(name)
    if "nik" in sent:
        data.nik = payload.nik or ""
        if data.nik and not payload.nik_consent:
            return Status(
                422,
                ErrorOut(
                    code="invalid",
                    detail=_("Setujui pemrosesan NIK (nik_consent: true) untuk menyimpan NIK."),
                    errors={"nik_consent": [_("Wajib disetujui untuk menyimpan NIK.")]},
                ),
            )
    if "channels" in sent:
        data.channels = [
            services.ChannelInput(
                platform=c.platform,
                value=c.account,
                followers=c.followers,
                followers_read_on=c.followers_read_on,
            )
            for c in payload.channels or []
        ]
    try:
        services.update_profile(user, profile, data)
    except services.ProfileInvalid as exc:
        return Status(422, ErrorOut(code="invalid", detail=exc.message, errors=exc.errors))
    return _my_profile(user)


# --- imports ----------------------------------------------------------------------------------


class ProblemOut(Schema):
    line: int
    column: str
    message: str
    kind: str


class ImportOut(Schema):
    id: str
    agency: str
    file_name: str
    status: str
    total_rows: int
    valid_rows: int
    error_rows: int
    duplicate_rows: int
    created_count: int
    nik_imported: bool = Field(
        description="kolom NIK diimpor: penyelenggara menyatakan NIK dikumpulkan dengan "
        "persetujuan tiap orang; false berarti kolom NIK diabaikan"
    )
    problems: list[ProblemOut]
    problems_truncated: bool
    created_at: datetime.datetime
    previewed_at: datetime.datetime | None
    committed_at: datetime.datetime | None


@router.get(
    "/creator-imports/{public_id}",
    response=ImportOut,
    auth=authenticated,
    summary="Status dan kesalahan satu impor (hanya perangkat daerah pemiliknya)",
)
def get_import(request, public_id: str):
    batch = imports.get_batch(request.auth, public_id)
    return {
        "id": batch.public_id,
        "agency": batch.agency.code,
        "file_name": batch.original_name,
        "status": batch.status,
        "total_rows": batch.total_rows,
        "valid_rows": batch.valid_rows,
        "error_rows": batch.error_rows,
        "duplicate_rows": batch.duplicate_rows,
        "created_count": batch.created_count,
        "nik_imported": batch.imports_nik,
        "problems": batch.problems,
        "problems_truncated": batch.problems_truncated,
        "created_at": batch.created_at,
        "previewed_at": batch.previewed_at,
        "committed_at": batch.committed_at,
    }
