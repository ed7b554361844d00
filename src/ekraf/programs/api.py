"""The programs app's part of the API at /api/v1 (mounted by ekraf.api.api): programmes,
recommendations with reasons, invitations, applications, the engagement state machine and
deliverables.

As thin as the pages: the same services and selectors, so the same permission rules and the
same reasons (`matching.recommend`). A step the engagement's state does not allow answers 409
with code `illegal_transition`.
"""

from __future__ import annotations

from datetime import date, datetime

from django.utils.translation import gettext as _
from ninja import Field, Router, Schema, Status

from ekraf.accounts import permissions
from ekraf.api.auth import authenticated, viewer
from ekraf.api.errors import ErrorOut
from ekraf.core.errors import DomainError, NotFound
from ekraf.core.models import Region, Subsector
from ekraf.creators.models import CreatorProfile

from . import matching, selectors, services
from .models import Engagement, Programme, State

router = Router(tags=["Program perangkat daerah"])


ERRORS = {400: ErrorOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut, 422: ErrorOut}


class RoleOut(Schema):
    id: int
    pathway: str
    seats: int


class ProgrammeOut(Schema):
    id: str
    agency: str
    title: str
    objective: str
    status: str
    open_call: bool
    hashtags: list[str]
    mentions: list[str]
    subsectors: list[str]
    districts: list[str]
    starts_on: date
    ends_on: date
    platform: str
    content_format: str
    deliverables_per_creator: int
    due_on: date | None
    paid_partnership: bool
    usage_rights_until: date | None
    honorarium: int | None
    roles: list[RoleOut]


class RoleIn(Schema):
    pathway: str
    seats: int = 1


class ProgrammeIn(Schema):
    agency: str = Field(..., description="Kode perangkat daerah, mis. diskominfo")
    title: str
    objective: str
    starts_on: date
    ends_on: date
    roles: list[RoleIn]
    hashtags: list[str] = []
    mentions: list[str] = []
    subsectors: list[str] = Field([], description="Kode subsektor")
    districts: list[str] = Field([], description="Kode kecamatan (Kemendagri)")
    open_call: bool = True
    platform: str = "instagram"
    content_format: str = ""
    deliverables_per_creator: int = 1
    due_on: date | None = None
    paid_partnership: bool = False
    usage_rights_until: date | None = None
    honorarium: int | None = None


class ReasonOut(Schema):
    code: str
    label: str
    points: float


class CandidateOut(Schema):
    creator: str
    name: str
    score: float
    reasons: list[ReasonOut]
    programmes_this_year: int
    position: int


class ExcludedOut(Schema):
    creator: str
    name: str
    reasons: list[ReasonOut]


class RecommendationsOut(Schema):
    role: int
    candidates: list[CandidateOut]
    excluded: list[ExcludedOut]
    excluded_counts: dict[str, int]


class InvitationIn(Schema):
    role: int
    creator: str = Field(..., description="public_id profil kreator")
    note: str = ""


class ApplicationIn(Schema):
    role: int
    pitch: str = ""
    links: list[str] = []


class TransitionOut(Schema):
    from_state: str
    to_state: str
    actor: str | None
    note: str
    at: datetime


class ReadingOut(Schema):
    read_at: datetime
    views: int
    likes: int
    comments: int
    shares: int
    saves: int
    source: str


class DeliverableOut(Schema):
    id: int
    platform: str
    url: str
    posted_on: date
    state: str
    hashtags: list[str]
    readings: list[ReadingOut]


class EngagementOut(Schema):
    id: str
    programme: str
    role: int
    creator: str
    state: str
    pitch: str
    transitions: list[TransitionOut]
    deliverables: list[DeliverableOut]


class NoteIn(Schema):
    note: str = ""


class MetricsIn(Schema):
    views: int = 0
    likes: int = 0
    comments: int = 0
    shares: int = 0
    saves: int = 0
    source: str
    read_at: datetime | None = None


class DeliverableIn(Schema):
    url: str
    posted_on: date
    hashtags: list[str] = []
    platform: str = ""
    metrics: MetricsIn | None = None


def _programme_out(p: Programme) -> dict:
    return {
        "id": p.public_id,
        "agency": p.agency.code,
        "title": p.title,
        "objective": p.objective,
        "status": p.status,
        "open_call": p.open_call,
        "hashtags": p.hashtags,
        "mentions": p.mentions,
        "subsectors": [s.code for s in p.subsectors.all()],
        "districts": [d.code for d in p.districts.all()],
        "starts_on": p.starts_on,
        "ends_on": p.ends_on,
        "platform": p.platform,
        "content_format": p.content_format,
        "deliverables_per_creator": p.deliverables_per_creator,
        "due_on": p.due_on,
        "paid_partnership": p.paid_partnership,
        "usage_rights_until": p.usage_rights_until,
        "honorarium": p.honorarium,
        "roles": [{"id": r.pk, "pathway": r.pathway, "seats": r.seats} for r in p.roles.all()],
    }


def _engagement_out(e: Engagement) -> dict:
    return {
        "id": e.public_id,
        "programme": e.programme.public_id,
        "role": e.role_id,
        "creator": e.creator.public_id,
        "state": e.state,
        "pitch": e.pitch,
        "transitions": [
            {
                "from_state": t.from_state,
                "to_state": t.to_state,
                "actor": t.actor.username if t.actor else None,
                "note": t.note,
                "at": t.at,
            }
            for t in e.transitions.all()
        ],
        "deliverables": [
            {
                "id": d.pk,
                "platform": d.platform,
                "url": d.url,
                "posted_on": d.posted_on,
                "state": d.state,
                "hashtags": d.hashtags,
                "readings": list(d.readings.all()),
            }
            for d in e.deliverables.all()
        ],
    }


@router.get(
    "/programmes",
    response=list[ProgrammeOut],
    auth=None,
    summary="Program: panggilan terbuka untuk semua; staf melihat juga program perangkat daerahnya",
)
def list_programmes(request):
    user = viewer(request)
    rows = list(selectors.open_calls())
    if user is not None and permissions.can_manage_programmes(user):
        seen = {p.pk for p in rows}
        rows += [p for p in selectors.managed_programmes(user) if p.pk not in seen]
    return [_programme_out(p) for p in rows]


@router.post(
    "/programmes",
    response={201: ProgrammeOut, **ERRORS},
    auth=authenticated,
    summary="Buat program (draf) untuk perangkat daerah Anda",
)
def create_programme(request, payload: ProgrammeIn):
    from ekraf.core.models import Agency

    agency = Agency.objects.filter(code=payload.agency).first()
    if agency is None:
        raise DomainError(_("Perangkat daerah tidak dikenal."), field="agency")
    permissions.require(permissions.can_manage_programmes_of(request.auth, agency.pk))
    programme = services.create_programme(
        request.auth,
        services.ProgrammeInput(
            agency_id=agency.pk,
            title=payload.title,
            objective=payload.objective,
            starts_on=payload.starts_on,
            ends_on=payload.ends_on,
            roles=[services.RoleInput(r.pathway, r.seats) for r in payload.roles],
            hashtags=payload.hashtags,
            mentions=payload.mentions,
            subsector_ids=list(
                Subsector.objects.filter(code__in=payload.subsectors).values_list("pk", flat=True)
            ),
            district_ids=list(
                Region.objects.filter(
                    level=Region.Level.DISTRICT, code__in=payload.districts
                ).values_list("pk", flat=True)
            ),
            open_call=payload.open_call,
            platform=payload.platform,
            content_format=payload.content_format,
            deliverables_per_creator=payload.deliverables_per_creator,
            due_on=payload.due_on,
            paid_partnership=payload.paid_partnership,
            usage_rights_until=payload.usage_rights_until,
            honorarium=payload.honorarium,
        ),
        request=request,
    )
    return Status(201, _programme_out(selectors.programme(programme.public_id)))


@router.get(
    "/programmes/{programme_id}",
    response={200: ProgrammeOut, 404: ErrorOut},
    auth=None,
    summary="Satu program (draf dan undangan tertutup hanya untuk perangkat daerahnya)",
)
def get_programme(request, programme_id: str):
    return _programme_out(selectors.visible_programme(viewer(request), programme_id))


def _managed(request, programme_id: str) -> Programme:
    programme = selectors.programme(programme_id)
    if not permissions.can_manage_programme(request.auth, programme):
        raise NotFound(_("Program tidak ditemukan."))
    return programme


@router.get(
    "/programmes/{programme_id}/recommendations",
    response={200: RecommendationsOut, **ERRORS},
    auth=authenticated,
    summary="Rekomendasi kreator untuk satu peran, dengan skor dan alasan [{code, label, points}]",
)
def recommendations(request, programme_id: str, role: int):
    programme = _managed(request, programme_id)
    found = next((r for r in programme.roles.all() if r.pk == role), None)
    if found is None:
        raise NotFound(_("Peran tidak ditemukan."))
    found.programme = programme
    result = matching.recommend(found, viewer=request.auth)
    return {
        "role": found.pk,
        "candidates": [
            {
                "creator": c.profile.public_id,
                "name": c.profile.name,
                "score": c.score,
                "reasons": [r.__dict__ for r in c.reasons],
                "programmes_this_year": c.programmes_this_year,
                "position": c.position,
            }
            for c in result.candidates
        ],
        "excluded": [
            {
                "creator": x.profile.public_id,
                "name": x.profile.name,
                "reasons": [r.__dict__ for r in x.reasons],
            }
            for x in result.excluded
        ],
        "excluded_counts": result.excluded_counts,
    }


@router.post(
    "/programmes/{programme_id}/invitations",
    response={201: EngagementOut, **ERRORS},
    auth=authenticated,
    summary="Undang kreator ke satu peran (staf perangkat daerah program); 409 bila sudah tercatat",
)
def invite(request, programme_id: str, payload: InvitationIn):
    programme = _managed(request, programme_id)
    role = programme.roles.filter(pk=payload.role).first()
    creator = CreatorProfile.objects.filter(public_id=payload.creator).first()
    if role is None or creator is None:
        raise NotFound(_("Peran atau kreator tidak ditemukan."))
    e = services.invite(request.auth, programme, role, creator, note=payload.note, request=request)
    return Status(201, _engagement_out(selectors.engagement(e.public_id)))


@router.post(
    "/programmes/{programme_id}/applications",
    response={201: EngagementOut, **ERRORS},
    auth=authenticated,
    summary="Mendaftar ke panggilan terbuka (kreator); 409 bila tidak dibuka atau sudah mendaftar",
)
def apply(request, programme_id: str, payload: ApplicationIn):
    programme = selectors.visible_programme(request.auth, programme_id)
    role = programme.roles.filter(pk=payload.role).first()
    if role is None:
        raise NotFound(_("Peran tidak ditemukan."))
    e = services.apply(
        request.auth, programme, role, pitch=payload.pitch, links=payload.links, request=request
    )
    return Status(201, _engagement_out(selectors.engagement(e.public_id)))


def _visible(request, engagement_id: str) -> Engagement:
    return selectors.visible_engagement(request.auth, engagement_id)


@router.get(
    "/engagements/{engagement_id}",
    response={200: EngagementOut, **ERRORS},
    auth=authenticated,
    summary="Satu keterlibatan dengan riwayatnya (kreatornya dan perangkat daerah program)",
)
def get_engagement(request, engagement_id: str):
    return _engagement_out(_visible(request, engagement_id))


def _step(to: str, summary: str):
    def handler(request, engagement_id: str, payload: NoteIn):
        e = _visible(request, engagement_id)
        services.transition(request.auth, e, to, note=payload.note, request=request)
        return _engagement_out(selectors.engagement(e.public_id))

    handler.__name__ = f"engagement_{to}"
    return handler


for _path, _to, _summary in (
    ("accept", State.ACCEPTED, "Terima undangan (kreator) atau pendaftaran (staf)"),
    ("decline", State.DECLINED, "Tolak undangan (kreator, dengan alasan) atau pendaftaran (staf)"),
    ("withdraw", State.WITHDRAWN, "Batalkan keterlibatan"),
    ("submit", State.DELIVERED, "Nyatakan konten terkirim (kreator)"),
    ("approve", State.APPROVED, "Setujui konten (staf)"),
    ("request-revision", State.REVISION_REQUESTED, "Minta revisi dengan catatan (staf)"),
    ("complete", State.COMPLETED, "Tandai selesai (staf)"),
):
    router.post(
        f"/engagements/{{engagement_id}}/{_path}",
        response={200: EngagementOut, **ERRORS},
        auth=authenticated,
        summary=_summary + "; 409 bila status tidak mengizinkan",
    )(_step(_to, _summary))


@router.post(
    "/engagements/{engagement_id}/deliverables",
    response={201: EngagementOut, **ERRORS},
    auth=authenticated,
    summary="Kirim satu konten (kreator): tautan, tanggal unggah, tagar, metrik dengan sumbernya",
)
def add_deliverable(request, engagement_id: str, payload: DeliverableIn):
    e = _visible(request, engagement_id)
    m = payload.metrics
    services.submit_deliverable(
        request.auth,
        e,
        services.DeliverableInput(
            url=payload.url,
            posted_on=payload.posted_on,
            hashtags=payload.hashtags,
            platform=payload.platform,
            metrics=services.MetricsInput(**m.dict()) if m else None,
        ),
        request=request,
    )
    return Status(201, _engagement_out(selectors.engagement(e.public_id)))
