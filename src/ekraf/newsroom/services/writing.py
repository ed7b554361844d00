"""Writing a story: the draft, its text (every save, autosave included, is a revision), its
photos through the one upload gate, and the rule that a substantive edit after approval sends
the story back to review."""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext as _

from ekraf.accounts import permissions
from ekraf.core import validation
from ekraf.core.errors import Conflict, DomainError
from ekraf.core.models import Region, Subsector
from ekraf.core.services import audit
from ekraf.core.uploads import accept_image

from .. import notices
from ..models import MAX_PHOTOS, Story, StoryPhoto, StoryRevision, Topic
from . import markdown
from .common import hold_lock, locked_story, revise

TEXT_FIELDS = ("title", "lead", "body")
MAX_SOURCES = 10


def start_story(actor) -> Story:
    """A new, empty draft of the actor's (the page and the API then save into it)."""
    permissions.require(
        permissions.can_write_stories(actor),
        _("Hanya pewarta warga yang bisa menulis berita; minta izin kepada editor."),
    )
    story = Story.objects.create(author=actor)
    audit(actor, "newsroom.story.create", story)
    return story


def _clean(data: dict) -> dict:
    """The fields of `data` that are present, checked as both the page and the API need."""
    clean: dict = {}
    if "title" in data:
        clean["title"] = validation.line(
            data["title"], field="title", max_length=160, label=_("Judul")
        )
    if "lead" in data:
        clean["lead"] = validation.text(
            data["lead"], field="lead", max_length=600, label=_("Teras berita")
        )
    if "body" in data:
        clean["body"] = validation.text(
            data["body"], field="body", max_length=40_000, label=_("Isi")
        )
    if "region" in data:
        code = data["region"]
        region = None
        if code:
            region = (
                Region.objects.select_related("parent")
                .filter(level=Region.Level.VILLAGE)
                .filter(**({"pk": code} if isinstance(code, int) else {"code": str(code)}))
                .first()
            )
            if region is None:
                raise DomainError(_("Pilih kelurahan dari daftar."), field="region")
        clean["region"] = region
    if "tags" in data:
        tags = list(dict.fromkeys(data["tags"] or []))
        valid = set(Topic.values)
        if any(t not in valid for t in tags):
            raise DomainError(_("Pilih topik dari daftar."), field="tags")
        clean["tags"] = tags
    if "subsectors" in data:
        codes = list(dict.fromkeys(data["subsectors"] or []))
        found = list(Subsector.objects.filter(code__in=codes))
        if len(found) != len(codes):
            raise DomainError(_("Pilih subsektor dari daftar."), field="subsectors")
        clean["subsectors"] = found
    if "sources" in data:
        sources = []
        for item in data["sources"] or []:
            name = validation.line(item.get("name", ""), field="sources", max_length=120)
            how = validation.line(item.get("how", ""), field="sources", max_length=200)
            if name:
                if not how:
                    raise DomainError(
                        _("Tulis bagaimana narasumber %(name)s dihubungi.") % {"name": name},
                        field="sources",
                    )
                sources.append({"name": name, "how": how})
        if len(sources) > MAX_SOURCES:
            raise DomainError(_("Paling banyak 10 narasumber."), field="sources")
        clean["sources"] = sources
    if "byline_consent" in data:
        clean["byline_consent"] = bool(data["byline_consent"])
    return clean


def _may_edit(story: Story, actor) -> None:
    if not permissions.can_change_story(actor, story):
        if story.status in (Story.Status.PUBLISHED,):
            raise Conflict(
                _("Berita yang sudah terbit hanya diubah lewat koreksi oleh editor."),
                code="illegal_transition",
            )
        if permissions.can_view_story_draft(actor, story):
            raise Conflict(
                _("Berita ini tidak bisa diubah dalam status %(status)s.")
                % {"status": story.get_status_display()},
                code="illegal_transition",
            )
        permissions.require(False)
    if (
        story.status == Story.Status.IN_REVIEW
        and story.author_id == actor.pk
        and not permissions.can_edit_newsroom(actor)
    ):
        raise Conflict(_("Editor sedang meninjau berita ini; tunggu hasilnya."), code="in_review")
    if story.status == Story.Status.IN_REVIEW and permissions.can_edit_newsroom(actor):
        hold_lock(story, actor)


@transaction.atomic
def save_story(story_or_id, actor, data: dict, *, kind: str = StoryRevision.Kind.SAVE):
    """Save the fields present in `data`. Returns (story, revision or None): an autosave that
    changes nothing is not a new revision; every other save is."""
    story = locked_story(story_or_id)
    _may_edit(story, actor)
    clean = _clean(data)
    subsectors = clean.pop("subsectors", None)
    substantive = any(
        field in clean and clean[field] != getattr(story, field) for field in TEXT_FIELDS
    )
    for field, value in clean.items():
        setattr(story, field, value)
    if "region" in clean:
        story.district = clean["region"].parent if clean["region"] else None
    if "body" in clean:
        story.body_html = markdown.render(story.body)
    if permissions.can_edit_newsroom(actor) and story.author_id != actor.pk:
        kind = StoryRevision.Kind.EDITOR if kind != StoryRevision.Kind.AUTOSAVE else kind
    _back_to_review_if_needed(story, actor, substantive)
    story.save()
    if subsectors is not None:
        story.subsectors.set(subsectors)
    revision = None
    if substantive or kind != StoryRevision.Kind.AUTOSAVE:
        revision = revise(story, actor, kind)
    return story, revision


def _back_to_review_if_needed(story: Story, actor, substantive: bool) -> None:
    """A substantive edit of an approved (or scheduled) story sends it back to review."""
    if not substantive or story.status not in (Story.Status.APPROVED, Story.Status.SCHEDULED):
        return
    story.status = Story.Status.SUBMITTED
    story.scheduled_at = None
    audit(actor, "newsroom.story.back_to_review", story, detail={"by": actor.pk})
    notices.tell_writer(story, "back_to_review")


@transaction.atomic
def add_photo(
    story_or_id,
    actor,
    uploaded,
    *,
    caption: str,
    credit: str,
    licence: str,
    taken_by_reporter: bool = True,
    owner: str = "",
    identifiable_people: bool = False,
    minor_or_victim: bool = False,
    people_consent: bool = False,
) -> StoryPhoto:
    """A photo through the upload gate (sniffed, bounded, upright, re-encoded without EXIF,
    GPS, serials, dates or thumbnails, colour profile kept), with its statements."""
    story = locked_story(story_or_id)
    _may_edit(story, actor)
    if story.photos.count() >= MAX_PHOTOS:
        raise DomainError(_("Paling banyak 10 foto per berita."), field="photo")
    caption = validation.line(
        caption, field="caption", max_length=300, required=True, label=_("Keterangan foto")
    )
    credit = validation.line(
        credit, field="credit", max_length=120, required=True, label=_("Kredit foto")
    )
    owner = validation.line(owner, field="owner", max_length=120)
    if licence not in StoryPhoto.Licence.values:
        raise DomainError(_("Pilih lisensi foto."), field="licence")
    if not taken_by_reporter and not owner:
        raise DomainError(
            _("Tulis siapa pemilik foto ini bila bukan Anda yang memotret."), field="owner"
        )
    if minor_or_victim and not people_consent:
        raise DomainError(
            _(
                "Foto yang menampilkan anak di bawah umur atau korban hanya boleh dimuat bila "
                "mereka (atau walinya) sudah setuju."
            ),
            field="people_consent",
        )
    if minor_or_victim:
        identifiable_people = True
    clean = accept_image(uploaded, "story_photo", field="photo")
    photo = StoryPhoto(
        story=story,
        caption=caption,
        credit=credit,
        licence=licence,
        taken_by_reporter=taken_by_reporter,
        owner=owner,
        identifiable_people=identifiable_people,
        minor_or_victim=minor_or_victim,
        people_consent=people_consent,
        position=story.photos.count(),
    )
    photo.image.save(clean.name, clean.content, save=False)
    photo.save()
    _back_to_review_if_needed(story, actor, True)
    story.save()
    revise(story, actor, StoryRevision.Kind.SAVE)
    audit(actor, "newsroom.photo.add", story, detail={"photo": photo.public_id})
    return photo


@transaction.atomic
def remove_photo(photo: StoryPhoto, actor) -> None:
    story = locked_story(photo.story_id)
    _may_edit(story, actor)
    photo.image.delete(save=False)
    photo.delete()
    _back_to_review_if_needed(story, actor, True)
    story.save()
    revise(story, actor, StoryRevision.Kind.SAVE)
    audit(actor, "newsroom.photo.remove", story, detail={"photo": photo.public_id})


@transaction.atomic
def grant_reporter(actor, user) -> None:
    """An editor lets someone write stories without the citizen-reporter pathway."""
    from ..models import ReporterGrant

    permissions.require(permissions.can_edit_newsroom(actor))
    ReporterGrant.objects.get_or_create(user=user, defaults={"granted_by": actor})
    user.__dict__.pop("_ekraf_may_write_stories", None)
    audit(actor, "newsroom.reporter.grant", user)
