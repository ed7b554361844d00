"""Every write of the spaces app, one module per use case: the rules and the price (rules),
the one way a booking holds a room (holds), requests and their changes (requests), the space
manager's decisions and the lapse of undecided requests (decisions), the front desk (desk),
training sessions' holds (training), and each room's settings and prices (rooms).
Callers import the package: `from ekraf.spaces import services`.
"""

from .decisions import Plan, approve, decline, lapse_open_requests, plan_approval  # noqa: F401
from .desk import RELEASE_AFTER, can_release, check_in, release, send_reminders  # noqa: F401
from .holds import find_clash, room_of  # noqa: F401
from .requests import (  # noqa: F401
    MAX_WEEKS,
    BookingInput,
    cancel_booking,
    move_booking,
    promote_queued,
    quote_request,
    submit_request,
)
from .rooms import (  # noqa: F401
    DEFAULT_HOURS,
    ROOM_FIELDS,
    PriceInput,
    add_blackout,
    add_photo,
    create_room_for,
    remove_blackout,
    remove_photo,
    room_by_code,
    set_hours,
    set_price,
    update_room,
)
from .rules import Quote, check_rules, quote, rupiah, weekday_name  # noqa: F401
from .training import release_training_holds, sync_training_holds  # noqa: F401
