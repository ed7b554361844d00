"""Every write of the credentials app, one module per use case; the names callers use
(`services.issue_certificates`, `services.revoke_certificate`…) are all here.

- issuance: who qualifies, what a training's certificates print, numbers and status slots;
- files: the PDF and the signed Open Badges credential of a certificate;
- jobs: issuance in the background, in chunks, resumed when a worker died;
- signatories: who signs;
- revocation, reissue: withdrawing a certificate, or replacing it with a corrected one;
- referrals: professional-certification referrals, and the holder's personal data.
"""

# The errors every use case raises, as callers and tests have always caught them.
from ekraf.core.errors import Conflict, DomainError, NotFound  # noqa: F401

from .files import (  # noqa: F401
    DID_PATTERN,
    PREVIEW_MARK,
    bind_holder_did,
    draw_pdf,
    jwt_name,
    openbadge_storage_name,
    pdf_storage_name,
    preview_pdf,
    store_credential,
    store_pdf,
)
from .issuance import (  # noqa: F401
    TrainingPrint,
    eligible_registrations,
    format_number,
    issue_certificate,
    issue_certificates,
    new_certificate,
    signatories_for,
)
from .jobs import (  # noqa: F401
    ENQUEUE_GRACE,
    ISSUE_CHUNK,
    STALL_AFTER,
    job_is_stalled,
    mark_job_failed,
    resume_issuance,
    resume_stalled_jobs,
    run_issuance_job,
    start_issuance,
)
from .referrals import (  # noqa: F401
    advance_referral,
    erase_personal_data,
    export_personal_data,
    referral_agency,
    request_referral,
    training_record,
)
from .reissue import reissue_certificate  # noqa: F401
from .revocation import (  # noqa: F401
    clean_revocation,
    ensure_status_list_published,
    meaningful_text,
    public_reason,
    revoke_certificate,
)
from .signatories import save_signatory, set_training_signatories  # noqa: F401
