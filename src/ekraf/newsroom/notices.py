"""What the newsroom tells writers and editors, through the one outbox (core/notifications)."""

from __future__ import annotations

from django.conf import settings
from django.urls import reverse
from django.utils.translation import gettext as _

from ekraf.core.notifications import notify, wa_link  # noqa: F401 - wa_link for templates


def _link(story) -> str:
    return settings.BASE_URL + reverse("newsroom:write", args=[story.public_id])


def tell_writer(story, action: str, note: str = "") -> None:
    """One message to the story's author about what just happened to it."""
    what = {
        "submitted": _("Berita Anda sudah diterima editor dan menunggu ditinjau."),
        "review": _("Editor mulai meninjau berita Anda."),
        "request_changes": _("Editor meminta perbaikan pada berita Anda."),
        "approve": _("Berita Anda disetujui editor."),
        "scheduled": _("Berita Anda dijadwalkan terbit."),
        "published": _("Berita Anda sudah terbit di portal berita."),
        "reject": _("Berita Anda tidak diterbitkan."),
        "correct": _("Berita Anda dikoreksi oleh editor."),
        "retract": _("Berita Anda dicabut dari portal."),
        "back_to_review": _("Berita Anda diubah setelah disetujui, jadi kembali ditinjau editor."),
    }[action]
    title = story.title or _("(tanpa judul)")
    body = f"{what}\n\n{title}\n"
    if note:
        body += f"\n{_('Catatan editor')}: {note}\n"
    body += f"\n{_link(story)}\n"
    notify(
        kind=f"newsroom.{action}",
        subject=f"{what} — {title}"[:200],
        body=body,
        user=story.author,
        dedupe_key=f"newsroom:{story.pk}:{action}:{story.revision_count}",
    )


def tell_editors(subject: str, body: str, key: str) -> None:
    from ekraf.accounts.models import Role, User

    for editor in User.objects.filter(role_grants__role=Role.EDITOR, is_active=True).distinct():
        notify(
            kind="newsroom.desk",
            subject=subject,
            body=body,
            user=editor,
            dedupe_key=f"{key}:{editor.pk}",
        )
