"""Every write of the programs app: programmes and their status, the engagement state machine
(invitations and applications), deliverables and their metrics, reviews, reminders.

Permission checks come first in each function (accounts/permissions/programs.py), so the pages
and the API cannot disagree; every state change is recorded as a Transition and in the audit
trail (`core.services.audit`), and refused with a Conflict (409) when the state does not allow it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from urllib.parse import urlsplit, urlunsplit

from django.db import IntegrityError, transaction
from django.db.models import Count
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from ekraf.accounts import permissions
from ekraf.core.errors import Conflict, DomainError, NotAllowed
from ekraf.core.notifications import notify, wa_link
from ekraf.core.services import audit
from ekraf.core.uploads import accept_image
from ekraf.creators import channels

from . import matching
from .models import (
    COMMITTED_STATES,
    Deliverable,
    Engagement,
    MetricReading,
    Programme,
    ProgrammeRole,
    State,
    Transition,
)

S = Programme.Status

# --- programmes ---------------------------------------------------------------------------------

_TAG = re.compile(r"^#?[\w]{2,60}$")


def clean_tags(raw, prefix: str = "#") -> list[str]:
    """'#MalangKota, #Kuliner' or a list → ['#malangkota', '#kuliner'] (unique, in order)."""
    items = raw if isinstance(raw, list | tuple) else re.split(r"[\s,]+", raw or "")
    out: list[str] = []
    for item in items:
        item = str(item).strip()
        if not item:
            continue
        bare = item.lstrip("#@")
        if not _TAG.match(bare):
            raise DomainError(
                _("Tagar atau akun tidak sah: %(t)s") % {"t": item[:60]}, field="hashtags"
            )
        tag = prefix + bare.lower()
        if tag not in out:
            out.append(tag)
    return out


@dataclass
class RoleInput:
    pathway: str
    seats: int = 1


@dataclass
class ProgrammeInput:
    agency_id: int
    title: str
    objective: str
    starts_on: date
    ends_on: date
    roles: list[RoleInput]
    hashtags: list[str] = field(default_factory=list)
    mentions: list[str] = field(default_factory=list)
    subsector_ids: list[int] = field(default_factory=list)
    district_ids: list[int] = field(default_factory=list)
    open_call: bool = True
    platform: str = "instagram"
    content_format: str = ""
    deliverables_per_creator: int = 1
    due_on: date | None = None
    paid_partnership: bool = False
    usage_rights_until: date | None = None
    honorarium: int | None = None


def create_programme(user, data: ProgrammeInput, *, request=None) -> Programme:
    permissions.require(permissions.can_manage_programmes_of(user, data.agency_id))
    title = (data.title or "").strip()
    if not title:
        raise DomainError(_("Judul program wajib diisi."), field="title")
    if not (data.objective or "").strip():
        raise DomainError(_("Tujuan program wajib diisi."), field="objective")
    if data.ends_on < data.starts_on:
        raise DomainError(_("Tanggal selesai tidak boleh sebelum tanggal mulai."), field="ends_on")
    if data.due_on and not (data.starts_on <= data.due_on <= data.ends_on):
        raise DomainError(_("Tenggat konten harus di dalam periode program."), field="due_on")
    if not data.roles:
        raise DomainError(_("Tambahkan sedikitnya satu peran."), field="roles")
    from ekraf.creators.models import Channel, Pathway

    for role in data.roles:
        if role.pathway not in Pathway.values:
            raise DomainError(_("Peran tidak dikenal."), field="roles")
        if not 1 <= role.seats <= 500:
            raise DomainError(_("Jumlah orang per peran 1 sampai 500."), field="roles")
    if data.platform not in Channel.Platform.values:
        raise DomainError(_("Platform tidak dikenal."), field="platform")
    with transaction.atomic():
        programme = Programme.objects.create(
            agency_id=data.agency_id,
            title=title[:200],
            objective=data.objective.strip()[:2000],
            hashtags=clean_tags(data.hashtags),
            mentions=clean_tags(data.mentions, "@"),
            starts_on=data.starts_on,
            ends_on=data.ends_on,
            open_call=data.open_call,
            platform=data.platform,
            content_format=data.content_format[:80],
            deliverables_per_creator=max(1, data.deliverables_per_creator),
            due_on=data.due_on,
            paid_partnership=data.paid_partnership,
            usage_rights_until=data.usage_rights_until,
            honorarium=data.honorarium,
            created_by=user,
        )
        programme.subsectors.set(data.subsector_ids)
        programme.districts.set(data.district_ids)
        ProgrammeRole.objects.bulk_create(
            ProgrammeRole(programme=programme, pathway=r.pathway, seats=r.seats) for r in data.roles
        )
        audit(user, "programs.programme_created", programme, request=request)
    return programme


STATUS_FLOW = {S.DRAFT: (S.OPEN,), S.OPEN: (S.RUNNING, S.CLOSED), S.RUNNING: (S.CLOSED,)}


def set_status(user, programme: Programme, status: str, *, request=None) -> Programme:
    """draft → open → running → closed. Closing completes the approved engagements."""
    permissions.require(permissions.can_manage_programme(user, programme))
    with transaction.atomic():
        programme = Programme.objects.select_for_update().get(pk=programme.pk)
        if status not in STATUS_FLOW.get(programme.status, ()):
            raise Conflict(
                _("Status program tidak bisa diubah dari %(a)s ke %(b)s.")
                % {"a": programme.get_status_display(), "b": dict(S.choices).get(status, status)},
                code="illegal_transition",
            )
        before = programme.status
        programme.status = status
        programme.save(update_fields=["status"])
        if status == S.CLOSED:
            for engagement in programme.engagements.filter(state=State.APPROVED):
                _move(engagement, State.COMPLETED, user, "", refresh=False)
            # Closing turns the programme's engagements into delivery records.
            matching.refresh_creators(programme.engagements.values_list("creator_id", flat=True))
        audit(
            user,
            "programs.programme_status",
            programme,
            detail={"from": before, "to": status},
            request=request,
        )
    return programme


# --- the engagement state machine ---------------------------------------------------------------

# (from, to) → who may take the step: "creator" (the engaged creator), "staff" (the
# programme's agency), "both". Anything else is illegal.
TRANSITIONS: dict[tuple[str, str], str] = {
    (State.INVITED, State.ACCEPTED): "creator",
    (State.INVITED, State.DECLINED): "creator",
    (State.INVITED, State.WITHDRAWN): "staff",
    (State.APPLIED, State.ACCEPTED): "staff",
    (State.APPLIED, State.DECLINED): "staff",
    (State.APPLIED, State.WITHDRAWN): "creator",
    (State.ACCEPTED, State.WITHDRAWN): "both",
    (State.ACCEPTED, State.DELIVERED): "creator",
    (State.REVISION_REQUESTED, State.DELIVERED): "creator",
    (State.DELIVERED, State.REVISION_REQUESTED): "staff",
    (State.DELIVERED, State.APPROVED): "staff",
    (State.APPROVED, State.COMPLETED): "staff",
}


def _side(user, engagement: Engagement) -> set[str]:
    sides = set()
    if getattr(user, "is_authenticated", False) and engagement.creator.user_id == user.pk:
        sides.add("creator")
    if permissions.can_manage_programme(user, engagement.programme):
        sides.add("staff")
    return sides


def _move(
    engagement: Engagement, to: str, actor, note: str, request=None, *, refresh: bool = True
) -> Engagement:
    before = engagement.state
    engagement.state = to
    fields = ["state"]
    now = timezone.now()
    if to == State.ACCEPTED:
        engagement.accepted_at = now
        fields.append("accepted_at")
    if to == State.COMPLETED:
        engagement.completed_at = now
        fields.append("completed_at")
    engagement.save(update_fields=fields)
    # The creator's programme counts and delivery record feed every role's snapshot.
    if refresh:
        matching.refresh_creators([engagement.creator_id])
    Transition.objects.create(
        engagement=engagement, from_state=before, to_state=to, actor=actor, note=note[:1000]
    )
    audit(
        actor,
        f"programs.engagement_{to}",
        engagement,
        detail={"from": before, "to": to},
        request=request,
    )
    return engagement


def transition(user, engagement: Engagement, to: str, *, note: str = "", request=None):
    """Take one step of the state machine, or refuse it: 404 if the user may not see the
    engagement, 403 if the step is the other side's, 409 if the state does not allow it."""
    if not permissions.can_view_engagement(user, engagement):
        raise NotAllowed(_("Anda tidak berwenang untuk tindakan ini."))
    with transaction.atomic():
        engagement = (
            Engagement.objects.select_for_update(of=("self",))
            .select_related("programme", "role", "creator__user")
            .get(pk=engagement.pk)
        )
        who = TRANSITIONS.get((engagement.state, to))
        if who is None:
            raise Conflict(
                _("Tidak bisa mengubah status dari \u201c%(a)s\u201d ke \u201c%(b)s\u201d.")
                % {
                    "a": engagement.get_state_display(),
                    "b": dict(State.choices).get(to, to),
                },
                code="illegal_transition",
                data={"state": engagement.state},
            )
        sides = _side(user, engagement)
        if who != "both" and who not in sides or not sides:
            raise NotAllowed(
                _("Langkah ini dilakukan oleh pihak lain.")
                if sides
                else _("Anda tidak berwenang untuk tindakan ini.")
            )
        if to == State.DECLINED and who == "creator" and not note.strip():
            raise DomainError(_("Tuliskan alasan menolak undangan."), field="note")
        if to == State.REVISION_REQUESTED and not note.strip():
            raise DomainError(_("Tuliskan apa yang perlu direvisi."), field="note")
        if to == State.ACCEPTED:
            _check_seats(engagement)
        if (
            to == State.DELIVERED
            and not engagement.deliverables.exclude(state=Deliverable.Status.APPROVED).exists()
        ):
            raise Conflict(_("Kirim sedikitnya satu konten dulu."), code="no_deliverable")
        if engagement.programme.status == S.CLOSED and to != State.COMPLETED:
            raise Conflict(_("Program sudah selesai."), code="programme_closed")
        _move(engagement, to, user, note, request)
        if to in (State.REVISION_REQUESTED, State.APPROVED):
            status = (
                Deliverable.Status.APPROVED
                if to == State.APPROVED
                else Deliverable.Status.REVISION_REQUESTED
            )
            pending = engagement.deliverables.filter(state=Deliverable.Status.SUBMITTED)
            pending.update(
                state=status,
                review_note=note[:1000],
                approved_at=timezone.now() if to == State.APPROVED else None,
            )
        _notify_transition(engagement, to, note)
    return engagement


def _check_seats(engagement: Engagement) -> None:
    role = ProgrammeRole.objects.select_for_update().get(pk=engagement.role_id)
    taken = role.engagements.filter(state__in=COMMITTED_STATES).count()
    if taken >= role.seats:
        raise Conflict(_("Semua kursi untuk peran ini sudah terisi."), code="role_full")


def invite(user, programme: Programme, role: ProgrammeRole, creator, *, note="", request=None):
    permissions.require(permissions.can_manage_programme(user, programme))
    if role.programme_id != programme.pk:
        raise DomainError(_("Peran bukan bagian dari program ini."), field="role")
    if programme.status == S.CLOSED:
        raise Conflict(_("Program sudah selesai."), code="programme_closed")
    if creator.deleted_at is not None:
        raise DomainError(_("Kreator tidak ditemukan."), field="creator")
    return _create_engagement(user, programme, role, creator, State.INVITED, note, [], request)


def apply(user, programme: Programme, role: ProgrammeRole, *, pitch="", links=(), request=None):
    profile = getattr(user, "creator_profile", None)
    permissions.require(permissions.can_apply_to_programmes(user) and profile is not None)
    if role.programme_id != programme.pk:
        raise DomainError(_("Peran bukan bagian dari program ini."), field="role")
    if not (programme.open_call and programme.status == S.OPEN):
        raise Conflict(_("Program ini tidak menerima pendaftaran."), code="not_open")
    clean_links = []
    for link in list(links)[:5]:
        link = (link or "").strip()
        if link:
            parts = urlsplit(link)
            if parts.scheme not in ("http", "https") or not parts.netloc:
                raise DomainError(_("Tautan karya harus diawali https://."), field="links")
            clean_links.append(link[:300])
    return _create_engagement(
        user, programme, role, profile, State.APPLIED, (pitch or "")[:1000], clean_links, request
    )


def _create_engagement(user, programme, role, creator, state, note, links, request):
    try:
        with transaction.atomic():
            engagement = Engagement.objects.create(
                programme=programme,
                role=role,
                creator=creator,
                state=state,
                pitch=note if state == State.APPLIED else "",
                links=links,
            )
            Transition.objects.create(
                engagement=engagement, from_state="", to_state=state, actor=user, note=note
            )
            audit(user, f"programs.engagement_{state}", engagement, request=request)
            _notify_transition(engagement, state, note)
    except IntegrityError as exc:
        raise Conflict(
            _("Kreator ini sudah tercatat pada peran tersebut."), code="already_engaged"
        ) from exc
    return engagement


# --- deliverables -------------------------------------------------------------------------------


def normalise_content_url(platform: str, value: str) -> str:
    """A content link checked against the platform's hosts (the channel rules of
    creators/channels.py), https, without tracking parameters or fragments."""
    value = (value or "").strip()
    if not value:
        raise DomainError(_("Tautan konten wajib diisi."), field="url")
    if len(value) > 300:
        raise DomainError(_("Tautan terlalu panjang (maksimal 300 karakter)."), field="url")
    if "://" not in value:
        value = "https://" + value
    try:
        parts = urlsplit(value)
    except ValueError as exc:
        raise DomainError(_("Tautan tidak sah."), field="url") from exc
    host = (parts.hostname or "").lower()
    if parts.scheme not in ("http", "https") or not host or "." not in host:
        raise DomainError(_("Tautan tidak sah."), field="url")
    rule = channels.RULES.get(platform)
    if rule is None:
        raise DomainError(_("Platform tidak dikenal."), field="platform")
    if rule.hosts and not channels.host_matches(host, rule.hosts):
        raise DomainError(
            _("Tautan ini bukan tautan %(p)s.") % {"p": channels.platform_label(platform)},
            field="url",
        )
    if not parts.path.strip("/"):
        raise DomainError(_("Tautan harus menunjuk ke konten, bukan ke beranda."), field="url")
    keep = "" if rule.hosts else parts.query
    if "youtube" in platform and parts.query:
        keep = "&".join(q for q in parts.query.split("&") if q.startswith("v="))
    return urlunsplit(("https", host.removeprefix("www."), parts.path.rstrip("/"), keep, ""))


@dataclass
class MetricsInput:
    views: int = 0
    likes: int = 0
    comments: int = 0
    shares: int = 0
    saves: int = 0
    source: str = ""
    read_at: datetime | None = None


@dataclass
class DeliverableInput:
    url: str
    posted_on: date
    hashtags: list[str] = field(default_factory=list)
    platform: str = ""
    metrics: MetricsInput | None = None
    screenshot: object = None


def submit_deliverable(user, engagement: Engagement, data: DeliverableInput, *, request=None):
    """The creator hands in one piece of content; the engagement moves to "delivered"."""
    if not permissions.can_view_engagement(user, engagement):
        raise NotAllowed(_("Anda tidak berwenang untuk tindakan ini."))
    if engagement.creator.user_id != getattr(user, "pk", None):
        raise NotAllowed(_("Hanya kreator yang bersangkutan yang mengirim konten."))
    programme = engagement.programme
    platform = data.platform or programme.platform
    url = normalise_content_url(platform, data.url)
    today = timezone.localdate()
    if data.posted_on > today:
        raise DomainError(_("Tanggal unggah tidak boleh di masa depan."), field="posted_on")
    used = clean_tags(data.hashtags)
    missing = [t for t in programme.hashtags if t not in used]
    if missing:
        raise DomainError(
            _("Tagar wajib belum dipakai: %(t)s") % {"t": ", ".join(missing)}, field="hashtags"
        )
    if data.metrics is not None:
        _check_metrics(data.metrics)
    clean = (
        accept_image(data.screenshot, "evidence", field="screenshot") if data.screenshot else None
    )
    with transaction.atomic():
        engagement = Engagement.objects.select_for_update().get(pk=engagement.pk)
        if engagement.state not in (State.ACCEPTED, State.REVISION_REQUESTED, State.DELIVERED):
            raise Conflict(
                _("Konten hanya bisa dikirim setelah undangan atau pendaftaran diterima."),
                code="illegal_transition",
                data={"state": engagement.state},
            )
        deliverable = Deliverable(
            engagement=engagement,
            platform=platform,
            url=url,
            posted_on=data.posted_on,
            hashtags=used,
        )
        if clean is not None:
            deliverable.screenshot.save(clean.name, clean.content, save=False)
        deliverable.save()
        if data.metrics is not None:
            _reading(deliverable, data.metrics, user)
        audit(user, "programs.deliverable_submitted", deliverable, request=request)
        if engagement.state != State.DELIVERED:
            engagement.programme = programme
            transition(user, engagement, State.DELIVERED, request=request)
    return deliverable


def _check_metrics(m: MetricsInput) -> None:
    for name in ("views", "likes", "comments", "shares", "saves"):
        value = getattr(m, name)
        if value is None or value < 0 or value > 2_000_000_000:
            raise DomainError(_("Angka metrik tidak sah."), field=name)
    if not (m.source or "").strip():
        raise DomainError(_("Sebutkan sumber angka (mis. Instagram Insights)."), field="source")
    if m.read_at and m.read_at > timezone.now() + timedelta(minutes=5):
        raise DomainError(_("Waktu baca tidak boleh di masa depan."), field="read_at")


def _reading(deliverable, m: MetricsInput, user) -> MetricReading:
    return MetricReading.objects.create(
        deliverable=deliverable,
        read_at=m.read_at or timezone.now(),
        views=m.views,
        likes=m.likes,
        comments=m.comments,
        shares=m.shares,
        saves=m.saves,
        source=m.source.strip()[:120],
        recorded_by=user,
    )


def record_metrics(user, deliverable: Deliverable, m: MetricsInput, *, request=None):
    """A later reading (after 7 or 30 days); earlier readings are kept."""
    engagement = deliverable.engagement
    sides = _side(user, engagement)
    permissions.require(bool(sides))
    _check_metrics(m)
    reading = _reading(deliverable, m, user)
    audit(user, "programs.metrics_recorded", deliverable, request=request)
    return reading


# --- notifications ------------------------------------------------------------------------------


def _notify_transition(engagement: Engagement, state: str, note: str) -> None:
    creator = engagement.creator
    programme = engagement.programme
    link = reverse("programs:engagement", args=[engagement.public_id])
    texts = {
        State.INVITED: _("Anda diundang ke program \u201c%(p)s\u201d."),
        State.ACCEPTED: _("Keikutsertaan Anda di program \u201c%(p)s\u201d diterima."),
        State.REVISION_REQUESTED: _("Konten Anda untuk \u201c%(p)s\u201d perlu revisi: %(n)s"),
        State.APPROVED: _("Konten Anda untuk \u201c%(p)s\u201d disetujui. Terima kasih!"),
    }
    if state not in texts:
        return
    body = texts[state] % {"p": programme.title, "n": note} + f"\n{link}"
    notify(
        kind=f"programs.{state}",
        subject=programme.title,
        body=body,
        user=creator.user,
        phone=creator.phone,
        wa_text=body,
        dedupe_key=f"programs:{engagement.pk}:{state}:{engagement.transitions.count()}",
    )


def send_due_reminders(today: date | None = None) -> int:
    """Remind creators whose content is due in 3 days or tomorrow (idempotent per day)."""
    today = today or timezone.localdate()
    sent = 0
    for days in (3, 1):
        due = today + timedelta(days=days)
        engagements = Engagement.objects.filter(
            state__in=(State.ACCEPTED, State.REVISION_REQUESTED),
            programme__due_on=due,
            programme__status__in=(S.OPEN, S.RUNNING),
        ).select_related("programme", "creator__user")
        for engagement in engagements:
            body = _("Pengingat: konten untuk \u201c%(p)s\u201d ditunggu paling lambat %(d)s.") % {
                "p": engagement.programme.title,
                "d": due.isoformat(),
            }
            message = notify(
                kind="programs.reminder",
                subject=engagement.programme.title,
                body=body,
                user=engagement.creator.user,
                phone=engagement.creator.phone,
                wa_text=body,
                dedupe_key=f"programs:reminder:{engagement.pk}:{due.isoformat()}:{days}",
            )
            sent += message is not None
    return sent


def share_link(engagement: Engagement) -> str:
    """A wa.me link staff can use to tell the creator about the engagement."""
    text = f"{engagement.programme.title}: {reverse('programs:engagement', args=[engagement.public_id])}"
    return wa_link(text, engagement.creator.phone)


__all__ = ["Count"]
