"""E-certificates and professional-certification referrals."""

from __future__ import annotations

from .roles import can_act_for, can_organise_for


def can_issue_certificates(user, agency_id: int | None) -> bool:
    """Issue e-certificates for a training: its agency's organisers and administrators."""
    return can_organise_for(user, agency_id)


def can_revoke_certificate(user, agency_id: int | None) -> bool:
    """Revoke a certificate: organisers of the issuing agency and administrators."""
    return can_organise_for(user, agency_id)


def can_manage_signatories(user, agency_id: int | None) -> bool:
    return can_organise_for(user, agency_id)


def can_view_certificate(user, certificate) -> bool:
    """Download a certificate's files: its holder, the issuing agency's staff, administrators."""
    if user is None or not getattr(user, "is_authenticated", False):
        return False
    return certificate.holder_id == user.pk or can_act_for(user, certificate.agency_id)


def can_request_referral(user) -> bool:
    return bool(getattr(user, "is_authenticated", False) and user.is_active)


def can_work_referrals(user, agency_id: int | None) -> bool:
    """Work the professional-certification referral queue: staff of the receiving agency."""
    return can_act_for(user, agency_id)


def can_bind_holder_did(user, certificate) -> bool:
    """Bind a DID as a credential's subject: the holder only (it speaks for them)."""
    return bool(
        user is not None
        and getattr(user, "is_authenticated", False)
        and certificate.holder_id == user.pk
    )
