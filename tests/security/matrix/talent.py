"""Rows of the permission matrix: talent (the directory and a creator in it, the pathway grid,
speaker requests, the speaker's own page) and its API. Format: tests/security/README.md.

The world: a consented talent (w.talent) in the directory; a speaker request of agency A with
the world's creator shortlisted (w.speaker_booking, built directly: the world's creator withholds
the directory consent, which the shortlist service requires)."""

from datetime import timedelta

from django.utils import timezone

from ekraf.talent.models import SpeakerBooking
from tests.talent import factories as tf

from . import table

WORLD_ORDER = 55

ROWS = table("""
route                                               anon      creator   org_a     org_b     staff     editor    space     comm      admin
talent:directory                                    login     forbidden ok        ok        ok        forbidden forbidden forbidden ok
talent:creator                                      login     forbidden ok        ok        ok        forbidden forbidden forbidden ok
# The grid belongs to the training's organisers (another agency's organiser is refused).
talent:pathway_grid                                 login     forbidden ok        forbidden forbidden forbidden forbidden forbidden ok
talent:speaker_requests                             login     forbidden ok        ok        ok        forbidden forbidden forbidden ok
# Another agency's request does not exist for them.
talent:speaker_request                              login     forbidden ok        not_found ok        forbidden forbidden forbidden ok
# A person without a creator profile has no talent page.
talent:my_speaking                                  login     ok        not_found not_found not_found not_found not_found not_found not_found
GET /api/v1/talent                                  login     forbidden ok        ok        ok        forbidden forbidden forbidden ok
GET /api/v1/speaker-requests                        login     forbidden ok        ok        ok        forbidden forbidden forbidden ok
POST /api/v1/speaker-requests                       login     forbidden ok        forbidden ok        forbidden forbidden forbidden ok
GET /api/v1/speaker-requests/{public_id}            login     not_found ok        not_found ok        not_found not_found not_found ok
POST /api/v1/speaker-requests/{public_id}/shortlist login     not_found ok        not_found ok        not_found not_found not_found ok
POST /api/v1/speaker-requests/{public_id}/cancel    login     not_found ok        not_found ok        not_found not_found not_found ok
GET /api/v1/speaker-bookings                        login     ok        ok        ok        ok        ok        ok        ok        ok
# Only the shortlisted speaker answers.
POST /api/v1/speaker-bookings/{public_id}/accept    login     ok        forbidden forbidden forbidden forbidden forbidden forbidden forbidden
POST /api/v1/speaker-bookings/{public_id}/decline   login     ok        forbidden forbidden forbidden forbidden forbidden forbidden forbidden
POST /api/v1/speaker-bookings/{public_id}/withdraw  login     forbidden ok        forbidden ok        forbidden forbidden forbidden ok
# A shortlisted (not yet accepted) speaker cannot be rated: 409 for those allowed to rate.
POST /api/v1/speaker-bookings/{public_id}/rate      login     forbidden conflict  forbidden conflict  forbidden forbidden forbidden conflict
""")


def world(w):
    w.talent = tf.talent("Talenta Dunia", pathways=["narasumber"])
    start = (timezone.now() + timedelta(days=9)).replace(hour=9, minute=0, second=0, microsecond=0)
    w.speaker_request = tf.speaker_request(w.users["staff"], w.agency_a, start=start)
    w.speaker_booking = SpeakerBooking.objects.create(
        request=w.speaker_request,
        creator=w.profile,
        starts_at=w.speaker_request.starts_at,
        ends_at=w.speaker_request.ends_at,
    )


def _request(w):
    return {"public_id": w.speaker_request.public_id}


def _booking(w):
    return {"public_id": w.speaker_booking.public_id}


ARGS = {
    "talent:creator": lambda w: {"public_id": w.talent.public_id},
    "talent:pathway_grid": lambda w: {"public_id": w.finished.public_id},
    "talent:speaker_request": _request,
    "/api/v1/speaker-requests/{public_id}": _request,
    "/api/v1/speaker-requests/{public_id}/shortlist": _request,
    "/api/v1/speaker-requests/{public_id}/cancel": _request,
    **{
        f"/api/v1/speaker-bookings/{{public_id}}/{tail}": _booking
        for tail in ("accept", "decline", "withdraw", "rate")
    },
}


def _new_request(w):
    start = timezone.now() + timedelta(days=12)
    return {
        "agency": "diskominfo",
        "event": "Seminar Matriks",
        "topic": "Uji izin",
        "starts_at": start.isoformat(),
        "ends_at": (start + timedelta(hours=2)).isoformat(),
    }


BODIES = {
    "POST /api/v1/speaker-requests": _new_request,
    "POST /api/v1/speaker-requests/{public_id}/shortlist": lambda w: {
        "creator": w.talent.public_id
    },
    "POST /api/v1/speaker-bookings/{public_id}/decline": lambda w: {"reason": "Berhalangan"},
    "POST /api/v1/speaker-bookings/{public_id}/rate": lambda w: {"rating": 4},
}
