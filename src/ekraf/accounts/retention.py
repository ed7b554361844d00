"""Accounts nobody finished opening are not kept (UU PDP: no data without a purpose).

A person who signed up themselves but never opened the verification link, never signed in and
has nothing attached (no registration) is deleted after `settings.UNVERIFIED_ACCOUNT_DAYS`
(EKRAF_UNVERIFIED_ACCOUNT_DAYS, default 14) by the periodic job `accounts.purge_unverified`.
Accounts made for someone by staff (an organiser registering a person, the creator import)
have no usable password and are not touched: the agency that made them answers for them.
Idempotent: running it twice, or from two schedulers, deletes nothing twice.
"""

from __future__ import annotations

import logging
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import ProtectedError
from django.utils import timezone

log = logging.getLogger(__name__)


def stale_unverified(now=None):
    from .models import User

    now = now or timezone.now()
    cutoff = now - timedelta(days=settings.UNVERIFIED_ACCOUNT_DAYS)
    return (
        User.objects.filter(
            email_verified_at__isnull=True,
            last_login__isnull=True,
            deleted_at__isnull=True,
            is_staff=False,
            date_joined__lt=cutoff,
            registrations__isnull=True,
        )
        .exclude(password__startswith="!")  # unusable: made by staff, not by the person
        .distinct()
    )


def purge_unverified(now=None) -> int:
    """Delete stale unverified accounts (each with every app's eraser first); the count."""
    from ekraf.core.services import audit

    from . import personal_data
    from .services import anonymise_user

    purged = 0
    for user in stale_unverified(now).iterator():
        with transaction.atomic():
            personal_data.erase_for(user)
            pk = user.pk
            try:
                with transaction.atomic():
                    user.delete()
            except ProtectedError:
                anonymise_user(user)  # a row still points at it: keep the husk, no identity
            audit(None, "accounts.unverified_purged", None, detail={"user": pk})
        purged += 1
    return purged
