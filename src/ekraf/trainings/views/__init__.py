"""Pages of the trainings app: the public catalogue and tickets, and the organiser's pages.

Views parse input, call a service or selector, and render. Domain errors become form errors or
messages; NotFound and NotAllowed become the 404 and 403 pages.

One module per use case (public, registrations, participation, manage, checkin, scores,
questions);
urls.py and the apps refer to them as `views.<name>`, re-exported here.
"""

from .base import (
    organiser_page,
)
from .checkin import (
    manage_checkin,
    manage_checkin_sync,
    manage_checkin_tickets,
    manage_projector,
    manage_projector_qr,
)
from .manage import (
    manage_attendance_sheet,
    manage_cancel,
    manage_create,
    manage_detail,
    manage_duplicate,
    manage_edit,
    manage_list,
    manage_message,
    manage_participant,
    manage_participants,
    manage_participants_xlsx,
    manage_register_other,
    manage_report,
    manage_status,
)
from .participation import (
    feedback,
    self_checkin,
)
from .public import (
    catalogue,
    detail,
    home_panel,
    ics,
    my_trainings,
    register,
    share_text,
)
from .questions import manage_questions
from .registrations import (
    cancel,
    offer,
    respond_offer,
    ticket,
    ticket_link,
    ticket_link_pdf,
    ticket_link_qr,
    ticket_pdf,
    ticket_qr,
)
from .scores import (
    manage_completion,
    manage_feedback,
    manage_score_import,
    manage_scores,
)

__all__ = [
    "cancel",
    "catalogue",
    "detail",
    "feedback",
    "home_panel",
    "ics",
    "manage_attendance_sheet",
    "manage_cancel",
    "manage_checkin",
    "manage_checkin_sync",
    "manage_checkin_tickets",
    "manage_completion",
    "manage_create",
    "manage_detail",
    "manage_duplicate",
    "manage_edit",
    "manage_feedback",
    "manage_list",
    "manage_message",
    "manage_participant",
    "manage_participants",
    "manage_participants_xlsx",
    "manage_projector",
    "manage_projector_qr",
    "manage_questions",
    "manage_register_other",
    "manage_report",
    "manage_score_import",
    "manage_scores",
    "manage_status",
    "my_trainings",
    "offer",
    "organiser_page",
    "register",
    "respond_offer",
    "self_checkin",
    "share_text",
    "ticket",
    "ticket_link",
    "ticket_link_pdf",
    "ticket_link_qr",
    "ticket_pdf",
    "ticket_qr",
]
