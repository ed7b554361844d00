"""Rows of the permission matrix: spaces (rooms and calendars for everyone, a requester's own
bookings, the space manager's pages) and its API. Format: tests/security/README.md.

The world's creator has asked for Ruang Workshop next Monday (pending, with a request letter)."""

from datetime import timedelta
from urllib.parse import urlencode

from tests.spaces import factories as sf

from . import table

WORLD_ORDER = 60

ROWS = table("""
route                                             anon      creator   org_a     org_b     staff     editor    space     comm      admin
spaces:rooms                                      ok        ok        ok        ok        ok        ok        ok        ok        ok
spaces:calendar                                   ok        ok        ok        ok        ok        ok        ok        ok        ok
spaces:room                                       ok        ok        ok        ok        ok        ok        ok        ok        ok
spaces:room_ics                                   ok        ok        ok        ok        ok        ok        ok        ok        ok
spaces:request                                    login     ok        ok        ok        ok        ok        ok        ok        ok
spaces:my_bookings                                login     ok        ok        ok        ok        ok        ok        ok        ok
spaces:booking                                    login     ok        not_found not_found not_found not_found ok        not_found ok
spaces:booking_letter                             login     ok        not_found not_found not_found not_found ok        not_found ok
# POST-only pages: a GET is refused before anything is decided.
spaces:booking_move                               login     method    method    method    method    method    method    method    method
spaces:booking_cancel                             login     method    method    method    method    method    method    method    method
spaces:manage_queue                               login     forbidden forbidden forbidden forbidden forbidden ok        forbidden ok
spaces:manage_calendar                            login     forbidden forbidden forbidden forbidden forbidden ok        forbidden ok
spaces:manage_desk                                login     forbidden forbidden forbidden forbidden forbidden ok        forbidden ok
spaces:manage_day_pdf                             login     forbidden forbidden forbidden forbidden forbidden ok        forbidden ok
spaces:manage_prices                              login     forbidden forbidden forbidden forbidden forbidden ok        forbidden ok
spaces:manage_room                                login     forbidden forbidden forbidden forbidden forbidden ok        forbidden ok
spaces:book_direct                                login     forbidden forbidden forbidden forbidden forbidden ok        forbidden ok
spaces:approve                                    login     forbidden forbidden forbidden forbidden forbidden ok        forbidden ok
spaces:decline                                    login     forbidden forbidden forbidden forbidden forbidden ok        forbidden ok
spaces:check_in                                   login     forbidden forbidden forbidden forbidden forbidden method    forbidden method
spaces:release                                    login     forbidden forbidden forbidden forbidden forbidden method    forbidden method
GET /api/v1/spaces                                ok        ok        ok        ok        ok        ok        ok        ok        ok
# The centre's availability needs ?from=&to= (no path parameter to build a query with here):
# without them every caller gets 422. tests/spaces/test_api.py covers the answers.
GET /api/v1/spaces/availability                   bad       bad       bad       bad       bad       bad       bad       bad       bad
GET /api/v1/spaces/{space_id}                     ok        ok        ok        ok        ok        ok        ok        ok        ok
GET /api/v1/spaces/{space_id}/availability        ok        ok        ok        ok        ok        ok        ok        ok        ok
GET /api/v1/spaces/{space_id}/quote               bad       bad       bad       bad       bad       bad       bad       bad       bad
# A request is multipart (its letter is a file); the matrix sends JSON, so signed-in callers
# get 422. Who may book (and book directly) is tested in tests/spaces/test_api.py.
POST /api/v1/spaces/{space_id}/bookings           login     bad       bad       bad       bad       bad       bad       bad       bad
GET /api/v1/bookings/{booking_id}                 login     ok        not_found not_found not_found not_found ok        not_found ok
POST /api/v1/bookings/{booking_id}/approve        login     forbidden not_found not_found not_found not_found ok        not_found ok
POST /api/v1/bookings/{booking_id}/decline        login     forbidden not_found not_found not_found not_found ok        not_found ok
POST /api/v1/bookings/{booking_id}/cancel         login     ok        not_found not_found not_found not_found ok        not_found ok
# Check-in opens an hour before the start: the manager's answer is 409 (a week early).
POST /api/v1/bookings/{booking_id}/check-in       login     forbidden not_found not_found not_found not_found conflict  not_found conflict
""")


def world(w):
    room = sf.room("ruang-workshop")
    day = sf.monday(1)
    w.room_booking = sf.request(
        room.space, sf.at(day, 10), sf.at(day, 12), user=w.creator, title="Diskusi Kreator"
    )
    w.room_day = day


def _availability(w):
    start = sf.at(w.room_day, 0)
    query = urlencode({"from": start.isoformat(), "to": (start + timedelta(days=7)).isoformat()})
    return f"/api/v1/spaces/ruang-workshop/availability?{query}"


ARGS = {
    "spaces:room": lambda w: {"code": "ruang-workshop"},
    "spaces:room_ics": lambda w: {"code": "ruang-workshop"},
    "spaces:request": lambda w: {"code": "ruang-workshop"},
    "spaces:manage_room": lambda w: {"code": "ruang-workshop"},
    "spaces:book_direct": lambda w: {"code": "ruang-workshop"},
    "spaces:manage_day_pdf": lambda w: {"day": f"{w.room_day:%Y-%m-%d}"},
    **{
        f"spaces:{name}": lambda w: {"public_id": w.room_booking.public_id}
        for name in ("booking", "booking_move", "booking_cancel", "booking_letter")
    },
    "spaces:approve": lambda w: {"public_id": w.room_booking.public_id},
    "spaces:decline": lambda w: {"public_id": w.room_booking.public_id},
    "spaces:check_in": lambda w: {"public_id": w.room_booking.public_id},
    "spaces:release": lambda w: {"public_id": w.room_booking.public_id},
    "/api/v1/spaces/{space_id}": lambda w: {"space_id": "ruang-workshop"},
    "/api/v1/spaces/{space_id}/availability": _availability,
    "/api/v1/spaces/{space_id}/quote": lambda w: {"space_id": "ruang-workshop"},
    "/api/v1/spaces/{space_id}/bookings": lambda w: {"space_id": "ruang-workshop"},
    **{
        f"/api/v1/bookings/{{booking_id}}{tail}": lambda w: {"booking_id": w.room_booking.public_id}
        for tail in ("", "/approve", "/decline", "/cancel", "/check-in")
    },
}
BODIES = {
    "POST /api/v1/bookings/{booking_id}/decline": lambda w: {"reason": "Dipakai acara Pemkot"},
}
