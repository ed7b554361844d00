"""Staff revealing a creator's full NIK: a relation to the person, a meaningful reason and an
hourly budget per staff member, every reveal (and every refusal for the budget) audited.
Alone in its module because it is the one place the registry hands out a full NIK to staff."""

from __future__ import annotations

from django.conf import settings
from django.utils.translation import gettext as _

from ekraf.accounts import permissions
from ekraf.accounts.models import User
from ekraf.core import validation
from ekraf.core.errors import DomainError
from ekraf.core.services import audit

from .. import nik as nik_rules
from ..models import CreatorProfile

NIK_REVEAL_BUDGET_WINDOW = 3600


def reveal_nik(actor: User, profile: CreatorProfile, *, reason: str = "", request=None) -> str:
    """The full NIK, for staff allowed to see it; every reveal is written to the audit log.

    Three gates, in this order: the actor must have a relation to the person
    (`permissions.can_reveal_nik_of`), the reason must mean something (`validation.reason`),
    and each staff member has a budget of reveals per hour (`NIK_REVEALS_PER_HOUR`, the shared
    throttle), so a stolen staff session cannot walk the registry."""
    from ekraf.core import throttle

    permissions.require(
        permissions.can_reveal_nik_of(actor, profile), _("Anda tidak berwenang membuka NIK ini.")
    )
    if not profile.nik_encrypted:
        raise DomainError(_("Pelaku ini tidak mengisi NIK."))
    reason = validation.reason(reason, field="reason")
    budget = throttle.Budget("nik-reveal", settings.NIK_REVEALS_PER_HOUR, NIK_REVEAL_BUDGET_WINDOW)
    if budget.take(f"user:{actor.pk}") is None:
        audit(
            actor, "creators.nik_reveal_refused", profile, detail={"why": "rate"}, request=request
        )
        raise DomainError(
            _("Terlalu banyak NIK dibuka. Coba lagi dalam %(n)d menit.")
            % {"n": throttle.minutes(budget.retry_after(f"user:{actor.pk}"))},
            code="rate_limited",
        )
    value = nik_rules.decrypt(profile.nik_encrypted)
    audit(
        actor,
        "creators.nik_revealed",
        profile,
        detail={"masked": profile.nik_masked, "reason": reason},
        request=request,
    )
    return value
