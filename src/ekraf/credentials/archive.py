"""Long-term validity of the certificate PDFs (PAdES B-LTA): archive timestamps, kept up.

Every signed PDF leaves issuance with a signature timestamp, its validation data (certificates
and the local CA's revocation list, in the Document Security Store) and a first document
timestamp over all of it (signing.py). That proves the signature was valid when it was made,
for as long as the last document timestamp can itself be validated, i.e. until its
timestamping certificate ends. Before then the periodic job below adds fresh validation data
and a new document timestamp (which covers the old ones), and so on: a certificate earned in
2026 still validates in 2040 and after, whatever happened to the keys in between.

The job is idempotent and resumable: each PDF is extended on its own, the row is updated only
if it still names the file that was read (another run, or a re-issue, wins otherwise), and a
crash leaves at most one unreferenced file, never a row without its PDF.
"""

from __future__ import annotations

import datetime as dt
import io
import logging

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.utils import timezone

from ekraf.core.ids import random_code

from . import keys, signing
from .models import Certificate

log = logging.getLogger(__name__)

# Extend a PDF's timestamps this long before the latest one's certificate ends: time enough
# for an operator to notice a failing authority (EKRAF_TSA_URL) and fix it.
ARCHIVE_BEFORE = dt.timedelta(days=365)
# PDFs extended per run of the periodic job (every minute): a few seconds of work at most.
BATCH = 200


def timestamp_horizon(pdf: bytes) -> dt.datetime | None:
    """When the certificate of the PDF's latest document timestamp ends (None: it has none)."""
    from pyhanko.pdf_utils.reader import PdfFileReader

    stamps = PdfFileReader(io.BytesIO(pdf)).embedded_timestamp_signatures
    if not stamps:
        return None
    return stamps[-1].signer_cert["tbs_certificate"]["validity"]["not_after"].native


def due(now: dt.datetime | None = None):
    now = now or timezone.now()
    return Certificate.objects.filter(pdf_timestamped_until__lt=now + ARCHIVE_BEFORE).exclude(
        pdf=""
    )


def renew_due(now: dt.datetime | None = None, limit: int = BATCH) -> int:
    """Add an archive timestamp to every PDF whose latest one ends within ARCHIVE_BEFORE."""
    now = now or timezone.now()
    rows = list(
        due(now).order_by("pdf_timestamped_until").values_list("pk", "pdf", "pdf_timestamped_until")
    )[:limit]
    if not rows:
        return 0
    if keys.renew_tsa_if_ending(now):
        log.info("local timestamping certificate renewed")
    extended = 0
    for pk, name, until in rows:
        result = extend(pk, name, until)
        if result is None:
            # The authority's certificate ends no later than the one already there: stamping
            # again would only grow the files. Say so and wait for a new certificate.
            log.warning("archive timestamps due but the timestamping certificate is not newer")
            break
        extended += result
    return extended


def extend(pk: int, name: str, until: dt.datetime | None) -> bool | None:
    """Fresh validation data and a document timestamp on one PDF. True when stored, False when
    another run changed the certificate first, None when the new timestamp would not reach
    further than the old one."""
    with default_storage.open(name, "rb") as fh:
        data = fh.read()
    data = signing.add_document_timestamp(signing.add_validation_data(data))
    horizon = timestamp_horizon(data)
    if horizon is None or (until is not None and horizon <= until):
        return None
    # A name of its own: S3 storage overwrites on save, and the old file stays until the row
    # names the new one.
    stored = default_storage.save(_next_name(name), ContentFile(data))
    updated = Certificate.objects.filter(pk=pk, pdf=name).update(
        pdf=stored, pdf_timestamped_until=horizon
    )
    if not updated:
        default_storage.delete(stored)
        return False
    default_storage.delete(name)
    return True


def _next_name(name: str) -> str:
    stem = name.removesuffix(".pdf").split("~", 1)[0]
    return f"{stem}~{random_code(6)}.pdf"
