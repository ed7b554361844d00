"""Reads of the trainings app for pages, the API, papers and other apps, without N+1 queries;
one module per use case, and the names callers use (`selectors.catalogue`,
`selectors.training_for_manager`…) are all here.

Counts per training come from correlated subqueries rather than joins, so a training with many
sessions and registrations is still one row (joins would multiply the counts).

- common: public statuses, the shape of a public id, search terms, the COUNT subquery;
- catalogue: the public catalogue and its filters, the home page's next trainings, the
  organiser's list (`with_summary` annotates a list row);
- training: one training for the public or for its organisers (404/403), a session of it, its
  quota categories with seats held and left;
- registrations: a person's tickets, one ticket for whoever may view it, the waiting-list
  place, completed registrations for other apps;
- participants: the organiser's participant list, answers and outbox messages, and
  `hide_contacts` (whose phone and e-mail the viewer may see);
- attendance: the door's numbers, a session's attendance sheet, the score grid;
- feedback: ratings per aspect, open answers and comments;
- reports: the activity report and the demand beside the seats.
"""

from .attendance import checkin_board, score_grid, sheet_rows  # noqa: F401
from .catalogue import (  # noqa: F401
    CatalogueFilters,
    catalogue,
    organiser_trainings,
    upcoming,
    with_summary,
)
from .common import PUBLIC_STATUSES, Status, TStatus, clean_text, is_public_id  # noqa: F401
from .feedback import AspectSummary, FeedbackSummary, feedback_summary  # noqa: F401
from .participants import (  # noqa: F401
    ParticipantFilters,
    answers_by_registration,
    hide_contacts,
    messages_by_registration,
    participant,
    participants,
)
from .registrations import (  # noqa: F401
    completion_of_user,
    my_registrations,
    registration_by_public_id,
    registration_for,
    waitlist_position,
)
from .reports import ReportData, demand_of, report  # noqa: F401
from .training import (  # noqa: F401
    categories_with_counts,
    session_of,
    training_for_manager,
    training_for_public,
)
