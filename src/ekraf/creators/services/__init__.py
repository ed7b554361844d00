"""Every write to the creator registry, one module per use case; the names callers use
(`services.update_profile`, `services.set_sharing`…) are all here.

- profile_input: what a person may change and `clean_profile`, every problem reported at once;
- profiles: creating the profile on first use and `update_profile`, which pages and API share;
- photos: the profile photo through the upload gate, old files deleted on commit;
- consent: the consent texts, giving and withdrawing consent, what the public profile shows;
- duplicates: a NIK, phone or e-mail already taken by another account, before the constraints;
- normalise: phone numbers (E.164), plain text and skill tags, shared with the import;
- nik_reveal: staff opening a full NIK, with a reason, under an hourly budget, audited;
- personal_data: the person's data export, its eraser, and deleting one's own account.
"""

# The errors every use case raises, as callers and tests have always caught them.
from ekraf.core.errors import Conflict, DomainError, NotAllowed  # noqa: F401

# Also reachable here as they always were (the demo data and tests use them).
from .. import channels as channel_rules  # noqa: F401
from ..models import CreatorProfile  # noqa: F401
from .consent import (  # noqa: F401
    CONSENT_TEXTS,
    ConsentText,
    SharingChoice,
    active_consents,
    give_consent,
    set_sharing,
    withdraw_consent,
)
from .duplicates import duplicate_messages  # noqa: F401
from .nik_reveal import NIK_REVEAL_BUDGET_WINDOW, reveal_nik  # noqa: F401
from .normalise import normalise_phone, parse_skills, plain_text  # noqa: F401
from .personal_data import (  # noqa: F401
    delete_account,
    erase_profile,
    export_for,
    export_profile,
)
from .photos import process_photo, set_photo  # noqa: F401
from .profile_input import (  # noqa: F401
    MAX_CHANNELS,
    MAX_SKILLS,
    ChannelInput,
    CleanChannel,
    CleanProfile,
    ProfileInput,
    ProfileInvalid,
    clean_profile,
)
from .profiles import ensure_profile, skills_for, update_profile  # noqa: F401
