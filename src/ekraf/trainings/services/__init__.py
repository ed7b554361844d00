"""Every write of the trainings app, one module per use case: the training's life
(editing), registration, the waiting list, check-in, scores, completion, feedback,
reminders and personal data. Pages and the API call these; nothing else writes.

How no seat is ever sold twice — the seat lock, its order and what may happen under it —
is written down once, in ``locking.py``.

Callers keep importing the package (``from ekraf.trainings import services;
services.register(...)``): every name of the modules is re-exported here.
"""

from .checkin import (  # noqa: F401
    SELF_CHECKIN_WINDOW,
    CheckinRefused,
    CheckinResult,
    _already,
    _checkin_refusal,
    _record_attendance,
    check_in,
    self_check_in,
    self_checkin_code,
    set_self_checkin,
    undo_check_in,
)
from .checkin_sync import (  # noqa: F401
    MAX_SYNC_SCANS,
    offline_ticket_list,
    sync_check_ins,
)
from .common import (  # noqa: F401
    TICKET_EVENTS,
    Status,
    TStatus,
    _dedupe,
    _first_start,
    _now,
    _tell,
    cancellation_deadline,
    require_manager,
)
from .completion import (  # noqa: F401
    _compute_completion,
    _fmt,
    _recompute_if_finished,
    completion_of,
    compute_completion,
)
from .editing import (  # noqa: F401
    CATEGORY_FIELDS,
    SESSION_FIELDS,
    TRAINING_FIELDS,
    CategoryInput,
    SessionInput,
    _apply_categories,
    _apply_sessions,
    _check_session,
    _check_training_fields,
    _differs,
    _hold_rooms,
    _release_rooms,
    _tell_schedule_changed,
    cancel_training,
    close_registration,
    create_training,
    duplicate_training,
    finish_training,
    publish_training,
    update_training,
)
from .feedback import (  # noqa: F401
    clean_feedback,
    feedback_refusal,
    give_feedback,
)
from .locking import (  # noqa: F401
    _lock,
    _seat_counts,
    _supports_of,
)
from .messaging import (  # noqa: F401
    group_members,
    message_group,
    message_groups,
)
from .personal_data import (  # noqa: F401
    erase_person,
    export_person,
)
from .questions import (  # noqa: F401
    MAX_QUESTIONS,
    QuestionInput,
    answer_field,
    clean_answer,
    clean_answers,
    missing_profile_refusal,
    questions_of,
    required_profile_fields,
    save_missing_to_profile,
    save_questions,
    store_answers,
    with_has_questions,
)
from .registration import (  # noqa: F401
    CODE_ATTEMPTS,
    Applicant,
    _age_in,
    _answers,
    _clean_applicant,
    _decide_seat,
    _insert_with_fresh_codes,
    _least_full,
    _training_year,
    applicant_defaults,
    cancel_registration,
    category_refusal,
    creator_profile_of,
    eligible_categories,
    is_resident,
    may_offer_phone_for_profile,
    normalise_phone,
    register,
    registration_refusal,
    save_phone_to_profile,
)
from .reminders import (  # noqa: F401
    send_reminders,
)
from .scores import (  # noqa: F401
    ATTEMPTS,
    UNSET,
    ImportRow,
    ScoreImport,
    _score,
    apply_score_import,
    attempt_choices,
    preview_score_import,
    save_score_grid,
    set_scores,
)
from .waitinglist import (  # noqa: F401
    _offer_expiry,
    _offer_free_seats,
    accept_offer,
    decide_applications,
    decline_offer,
    expire_offers,
    fill_from_waitlist,
    load_offer,
)
