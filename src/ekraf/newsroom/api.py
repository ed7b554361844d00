"""The newsroom app's part of the API at /api/v1 (mounted by ekraf.api.api).

Published stories are public; writers create and edit their own; editors move stories through
the workflow (services/workflow.py, the one table of transitions). An illegal transition is
409 with code `illegal_transition`; another editor's running lock is 409 `locked`.
"""

from __future__ import annotations

from datetime import datetime

from django.utils.translation import gettext as _
from ninja import Query, Router, Schema
from pydantic import ValidationError

from ekraf.accounts import permissions
from ekraf.api.auth import authenticated, viewer
from ekraf.api.errors import ErrorOut
from ekraf.core.errors import DomainError, NotFound

from . import selectors, services
from .models import Story

router = Router(tags=["Berita pewarta warga"])


ERRORS = {400: ErrorOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut, 422: ErrorOut}


class PhotoOut(Schema):
    id: str
    url: str
    caption: str
    credit: str
    licence: str


class CorrectionOut(Schema):
    summary: str
    created_at: datetime


class StoryOut(Schema):
    id: str
    status: str
    title: str
    lead: str
    body: str
    body_html: str
    kelurahan: str | None
    kecamatan: str | None
    tags: list[str]
    byline: str | None
    published_at: datetime | None
    scheduled_at: datetime | None
    url: str
    photos: list[PhotoOut]
    corrections: list[CorrectionOut]
    retraction_reason: str | None = None


class SourceIn(Schema):
    name: str
    how: str


class StoryIn(Schema):
    title: str | None = None
    lead: str | None = None
    body: str | None = None
    kelurahan: str | None = None
    tags: list[str] | None = None
    subsectors: list[str] | None = None
    sources: list[SourceIn] | None = None
    byline_consent: bool | None = None


class StoryFilters(Schema):
    kecamatan: str | None = None
    kelurahan: str | None = None
    tag: str | None = None
    limit: int = 20
    offset: int = 0


class ActionIn(Schema):
    notes: str | None = None
    reason: str | None = None
    note: str | None = None
    summary: str | None = None
    at: datetime | None = None
    title: str | None = None
    lead: str | None = None
    body: str | None = None


def _out(story: Story) -> StoryOut:
    from django.urls import reverse

    line = selectors.byline(story) if story.is_public else None
    return StoryOut(
        id=story.public_id,
        status=story.status,
        title=story.title,
        lead=story.lead,
        body=story.body if story.status != Story.Status.RETRACTED else "",
        body_html=story.body_html if story.status != Story.Status.RETRACTED else "",
        kelurahan=story.region.code if story.region_id else None,
        kecamatan=story.district.code if story.district_id else None,
        tags=story.tags,
        byline=line["name"] if line else None,
        published_at=story.published_at,
        scheduled_at=story.scheduled_at,
        url=reverse("newsroom:story", args=[story.public_id]),
        photos=[
            PhotoOut(
                id=p.public_id,
                url=reverse("newsroom:photo", args=[p.public_id]),
                caption=p.caption,
                credit=p.credit,
                licence=p.licence,
            )
            for p in story.photos.all()
        ],
        corrections=[
            CorrectionOut(summary=c.summary, created_at=c.created_at)
            for c in story.corrections.all()
        ],
        retraction_reason=story.retraction_reason or None,
    )


def _story_for(request, story_id: str) -> Story:
    story = (
        Story.objects.filter(public_id=story_id)
        .select_related("region", "district", "author", "author__creator_profile")
        .prefetch_related("photos", "corrections")
        .first()
    )
    if story is None:
        raise NotFound("Berita tidak ditemukan.")
    public = story.status in (Story.Status.PUBLISHED, Story.Status.RETRACTED)
    if not public and not permissions.can_view_story_draft(viewer(request), story):
        raise NotFound("Berita tidak ditemukan.")
    return story


def _data(payload: StoryIn) -> dict:
    data = payload.dict(exclude_unset=True)
    if "kelurahan" in data:
        data["region"] = data.pop("kelurahan") or ""
    return data


@router.get(
    "/stories",
    response={200: list[StoryOut], 404: ErrorOut, 422: ErrorOut},
    auth=None,
    summary="Berita yang terbit (terbaru dulu), bisa disaring per kecamatan/kelurahan/topik",
)
def list_stories(request, filters: Query[StoryFilters]):
    qs = selectors.published().prefetch_related("corrections")
    if filters.kecamatan:
        qs = qs.filter(district__code=filters.kecamatan)
    if filters.kelurahan:
        qs = qs.filter(region__code=filters.kelurahan)
    if filters.tag:
        qs = selectors.with_tag(qs, filters.tag)
    limit = max(1, min(filters.limit, 100))
    offset = max(0, filters.offset)
    return [_out(s) for s in qs[offset : offset + limit]]


@router.get(
    "/stories/{story_id}",
    response={200: StoryOut, 404: ErrorOut},
    auth=None,
    summary="Satu berita (yang belum terbit hanya untuk penulisnya dan editor)",
)
def get_story(request, story_id: str):
    return _out(_story_for(request, story_id))


@router.post(
    "/stories",
    response={201: StoryOut, **ERRORS},
    auth=authenticated,
    summary="Buat draf berita (pewarta warga)",
)
def create_story(request, payload: StoryIn):
    story = services.start_story(request.user)
    data = _data(payload)
    if data:
        services.save_story(story, request.user, data)
    return 201, _out(_story_for(request, story.public_id))


@router.put(
    "/stories/{story_id}",
    response={200: StoryOut, **ERRORS},
    auth=authenticated,
    summary="Ubah berita (perubahan isi setelah disetujui mengembalikannya ke peninjauan)",
)
def update_story(request, story_id: str, payload: StoryIn):
    story = _story_for(request, story_id)
    if not permissions.can_view_story_draft(request.user, story):
        raise NotFound("Berita tidak ditemukan.")
    services.save_story(story, request.user, _data(payload))
    return _out(_story_for(request, story_id))


_ACTION_ARGS = {
    "submit": (),
    "review": (),
    "request_changes": ("notes",),
    "approve": (),
    "publish": ("at",),
    "reject": ("reason",),
    "correct": ("summary", "title", "lead", "body"),
    "retract": ("reason", "note"),
}


def _action_input(request) -> dict:
    """The optional JSON body of a workflow step: none at all (a bare POST) is allowed."""
    try:
        if request.content_type == "application/json":
            raw = (request.body or b"").strip()
            if not raw:
                return {}
            return ActionIn.model_validate_json(raw).model_dump(exclude_unset=True)
        return ActionIn.model_validate(request.POST.dict()).model_dump(exclude_unset=True)
    except ValidationError as exc:
        raise DomainError(_("Isi permintaan tidak valid."), code="invalid") from exc


_ACTION_BODY = {
    "requestBody": {
        "required": False,
        "content": {"application/json": {"schema": ActionIn.model_json_schema()}},
    }
}


def _action_view(action: str):
    def handler(request, story_id: str):
        given = _action_input(request)
        story = _story_for(request, story_id)
        if not permissions.can_view_story_draft(request.user, story):
            raise NotFound("Berita tidak ditemukan.")
        kwargs = {k: given[k] for k in _ACTION_ARGS[action] if given.get(k) is not None}
        if action in ("request_changes", "reject", "correct", "retract"):
            for name in _ACTION_ARGS[action][:1]:
                kwargs.setdefault(name, "")
        services.run(action, story, request.user, request=request, **kwargs)
        return _out(_story_for(request, story_id))

    handler.__name__ = f"story_{action}"
    return handler


for _action in _ACTION_ARGS:
    router.post(
        f"/stories/{{story_id}}/{_action.replace('_', '-')}",
        response={200: StoryOut, **ERRORS},
        auth=authenticated,
        summary=f"Alur redaksi: {_action.replace('_', '-')}",
        operation_id=f"newsroom_story_{_action}",
        openapi_extra=_ACTION_BODY,
    )(_action_view(_action))
