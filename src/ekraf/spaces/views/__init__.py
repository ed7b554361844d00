"""Pages of the spaces app: rooms and their calendars for everyone (free/busy), asking for a
room and following one's requests, and the space manager's queue, calendar, front desk, rules
and prices.

Views parse, call a service or selector, and render; domain errors become form errors or
messages, NotFound/NotAllowed the 404/403 pages.

One module per use case (public, bookings, approvals, desk, room_settings, prices), with what
they share in base (the manager decorator) and grid (the calendar grid and its cache);
urls.py refers to them as `views.<name>`, re-exported here. No module may be named like a view
(a `rooms.py` would replace `views.rooms` with itself once imported).
"""

from .approvals import (
    manage_approve,
    manage_calendar,
    manage_decline,
    manage_queue,
)
from .base import (
    manager_page,
)
from .bookings import (
    booking,
    booking_cancel,
    booking_letter,
    booking_move,
    my_bookings,
    request_booking,
)
from .desk import (
    manage_book_direct,
    manage_check_in,
    manage_day_pdf,
    manage_desk,
    manage_release,
)
from .prices import manage_prices
from .public import (
    centre_calendar,
    room,
    room_ics,
    rooms,
)
from .room_settings import manage_room

__all__ = [
    "booking",
    "booking_cancel",
    "booking_letter",
    "booking_move",
    "centre_calendar",
    "manage_approve",
    "manage_book_direct",
    "manage_calendar",
    "manage_check_in",
    "manage_day_pdf",
    "manage_decline",
    "manage_desk",
    "manage_prices",
    "manage_queue",
    "manage_release",
    "manage_room",
    "manager_page",
    "my_bookings",
    "request_booking",
    "room",
    "room_ics",
    "rooms",
]
