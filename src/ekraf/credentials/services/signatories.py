"""Who signs: an agency's signatories and the (one or two) that sign a training's
certificates."""

from __future__ import annotations

import logging

from django.utils.translation import gettext as _

from ekraf.accounts import permissions
from ekraf.core import validation
from ekraf.core.errors import DomainError
from ekraf.core.services import audit
from ekraf.trainings.models import Training

from ..models import (
    Signatory,
    TrainingSignatories,
)

log = logging.getLogger(__name__)


# --- signatories -----------------------------------------------------------------------------------


def save_signatory(actor, signatory: Signatory) -> Signatory:
    """Create or update a signatory of an agency the actor organises for."""
    permissions.require(permissions.can_manage_signatories(actor, signatory.agency_id))
    # Printed on every certificate: one line each, no control or bidi characters.
    signatory.name = validation.line(signatory.name, field="name", max_length=150)
    signatory.title = validation.line(signatory.title, field="title", max_length=200)
    signatory.full_clean()
    signatory.save()
    audit(actor, "certificates.signatory", signatory)
    return signatory


def set_training_signatories(actor, training: Training, first, second=None):
    permissions.require(permissions.can_manage_signatories(actor, training.agency_id))
    for person in (first, second):
        if person is not None and (person.agency_id != training.agency_id or not person.is_active):
            raise DomainError(
                _("Penandatangan harus pejabat aktif dari perangkat daerah penyelenggara.")
            )
    if second is not None and second.pk == first.pk:
        raise DomainError(_("Pilih dua penandatangan yang berbeda."), field="second")
    row, _created = TrainingSignatories.objects.update_or_create(
        training=training, defaults={"first": first, "second": second}
    )
    return row
