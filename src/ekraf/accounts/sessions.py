"""Sessions a person is signed in with, and ending credentials when they should end.

Every sign-in records its session (UserSession) so the person sees their browsers and can end
each one, and so a password change or reset can end all of them and revoke every API token of
the account (`end_all_credentials`, from a signal on the User row: the reset link, the admin
site's password form and `changepassword` all pass through it).
"""

from __future__ import annotations

from importlib import import_module

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ekraf.core.clientip import client_ip
from ekraf.core.errors import DomainError

from .models import ApiToken, User, UserSession


def _store():
    return import_module(settings.SESSION_ENGINE).SessionStore


def record_sign_in(sender, request, user, **kwargs) -> None:
    """user_logged_in: remember this browser's session."""
    session = getattr(request, "session", None)
    if session is None:
        return
    if session.session_key is None:
        session.save()
    UserSession.objects.update_or_create(
        session_key=session.session_key,
        defaults={
            "user": user,
            "ip_address": (client_ip(request) or "")[:64],
            "user_agent": request.META.get("HTTP_USER_AGENT", "")[:200],
        },
    )


def session_key_changed(old_key: str | None, new_key: str | None) -> None:
    """After a session's key is cycled (e.g. the second sign-in step), follow it."""
    if old_key and new_key and old_key != new_key:
        UserSession.objects.filter(session_key=old_key).update(session_key=new_key)


def record_sign_out(sender, request, user, **kwargs) -> None:
    session = getattr(request, "session", None)
    if session is not None and session.session_key:
        UserSession.objects.filter(session_key=session.session_key).delete()


def active_sessions(user, current_key: str | None = None) -> list[UserSession]:
    rows = list(UserSession.objects.filter(user=user))
    for row in rows:
        row.is_current = row.session_key == current_key
    return rows


def end_session(user, session_id: int) -> None:
    """End one of the person's own sessions (the browser is signed out at its next request)."""
    row = UserSession.objects.filter(pk=session_id, user=user).first()
    if row is None:
        raise DomainError(_("Sesi tidak ditemukan atau sudah berakhir."))
    _store()(session_key=row.session_key).delete()
    row.delete()


@transaction.atomic
def end_all_credentials(user, *, keep_session_key: str | None = None) -> None:
    """Every session of the account ends and every API token is revoked."""
    store = _store()
    rows = UserSession.objects.filter(user=user)
    if keep_session_key:
        rows = rows.exclude(session_key=keep_session_key)
    for key in list(rows.values_list("session_key", flat=True)):
        store(session_key=key).delete()
    rows.delete()
    ApiToken.objects.filter(user=user, revoked_at__isnull=True).update(revoked_at=timezone.now())


def password_changed(sender, instance: User, created: bool, **kwargs) -> None:
    """post_save of User: a new password hash ends every credential of the account."""
    if created or getattr(instance, "_password", None) is None:
        return
    end_all_credentials(instance)
