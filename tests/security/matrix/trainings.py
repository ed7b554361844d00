"""Rows of the permission matrix: trainings (catalogue, registration, tickets, the organiser's
pages) and its API. Format: tests/security/README.md."""

from django.core import signing

from ekraf.trainings import notices
from ekraf.trainings import services as training_services
from tests.security.world import HIDDEN_EMAIL, HIDDEN_PHONE
from tests.trainings import factories as tf
from tests.trainings.test_api import new_training

from . import table

WORLD_ORDER = 20

ROWS = table("""
route                                                anon      creator   org_a     org_b     staff     editor    space     comm      admin
trainings:catalogue                                  ok        ok        ok        ok        ok        ok        ok        ok        ok
trainings:my_trainings                               login     ok        ok        ok        ok        ok        ok        ok        ok
trainings:ticket                                     login     ok        ok        not_found not_found not_found not_found not_found ok
trainings:ticket_qr                                  login     ok        ok        not_found not_found not_found not_found not_found ok
trainings:ticket_pdf                                 login     ok        ok        not_found not_found not_found not_found not_found ok
trainings:cancel                                     login     method    method    method    method    method    method    method    method
trainings:respond_offer                              login     method    method    method    method    method    method    method    method
trainings:feedback                                   login     ok        forbidden not_found not_found not_found not_found not_found forbidden
trainings:ticket_link                                ok        ok        ok        ok        ok        ok        ok        ok        ok
trainings:ticket_link_qr                             ok        ok        ok        ok        ok        ok        ok        ok        ok
trainings:ticket_link_pdf                            ok        ok        ok        ok        ok        ok        ok        ok        ok
trainings:offer                                      conflict  conflict  conflict  conflict  conflict  conflict  conflict  conflict  conflict
trainings:self_checkin                               login     ok        ok        ok        ok        ok        ok        ok        ok
trainings:detail                                     ok        ok        ok        ok        ok        ok        ok        ok        ok
trainings:ics                                        ok        ok        ok        ok        ok        ok        ok        ok        ok
trainings:register                                   login     redirect  ok        ok        ok        ok        ok        ok        ok
trainings:manage_list                                login     forbidden ok        ok        forbidden forbidden forbidden forbidden ok
trainings:manage_create                              login     forbidden ok        ok        forbidden forbidden forbidden forbidden ok
trainings:manage_detail                              login     forbidden ok        forbidden forbidden forbidden forbidden forbidden ok
trainings:manage_edit                                login     forbidden ok        forbidden forbidden forbidden forbidden forbidden ok
trainings:manage_questions                           login     forbidden ok        forbidden forbidden forbidden forbidden forbidden ok
trainings:manage_status                              login     forbidden method    method    forbidden forbidden forbidden forbidden method
trainings:manage_cancel                              login     forbidden ok        forbidden forbidden forbidden forbidden forbidden ok
trainings:manage_duplicate                           login     forbidden ok        forbidden forbidden forbidden forbidden forbidden ok
trainings:manage_message                             login     forbidden ok        forbidden forbidden forbidden forbidden forbidden ok
trainings:manage_participants                        login     forbidden ok        forbidden forbidden forbidden forbidden forbidden ok
trainings:manage_participants_xlsx                   login     forbidden ok        forbidden forbidden forbidden forbidden forbidden ok
trainings:manage_register_other                      login     forbidden ok        forbidden forbidden forbidden forbidden forbidden ok
trainings:manage_participant                         login     forbidden ok        forbidden forbidden forbidden forbidden forbidden ok
trainings:manage_checkin                             login     forbidden ok        forbidden forbidden forbidden forbidden forbidden ok
trainings:manage_checkin_tickets                     login     forbidden ok        forbidden forbidden forbidden forbidden forbidden ok
trainings:manage_checkin_sync                        login     forbidden method    method    forbidden forbidden forbidden forbidden method
trainings:manage_projector                           login     forbidden ok        forbidden forbidden forbidden forbidden forbidden ok
trainings:manage_projector_qr                        login     forbidden ok        forbidden forbidden forbidden forbidden forbidden ok
trainings:manage_scores                              login     forbidden ok        forbidden forbidden forbidden forbidden forbidden ok
trainings:manage_score_import                        login     forbidden redirect  forbidden forbidden forbidden forbidden forbidden redirect
trainings:manage_completion                          login     forbidden method    method    forbidden forbidden forbidden forbidden method
trainings:manage_attendance_sheet                    login     forbidden ok        forbidden forbidden forbidden forbidden forbidden ok
trainings:manage_report                              login     forbidden ok        forbidden forbidden forbidden forbidden forbidden ok
trainings:manage_feedback                            login     forbidden ok        forbidden forbidden forbidden forbidden forbidden ok
GET /api/v1/trainings                                ok        ok        ok        ok        ok        ok        ok        ok        ok
POST /api/v1/trainings                               login     forbidden ok        forbidden forbidden forbidden forbidden forbidden ok
GET /api/v1/trainings/{training_id}                  ok        ok        ok        ok        ok        ok        ok        ok        ok
PUT /api/v1/trainings/{training_id}/questions       login     forbidden ok        forbidden forbidden forbidden forbidden forbidden ok
POST /api/v1/trainings/{training_id}/registrations   login     conflict  ok        ok        ok        ok        ok        ok        ok
POST /api/v1/registrations/{registration_id}/cancel  login     ok        ok        not_found not_found not_found not_found not_found ok
POST /api/v1/checkins                                login     forbidden ok        forbidden forbidden forbidden forbidden forbidden ok
PUT /api/v1/registrations/{registration_id}/scores   login     forbidden ok        not_found not_found not_found not_found not_found ok
""")


def world(w):
    w.training = tf.training(w.agency_a, title="Bimtek Konten Kreator: Branding Kota")
    w.session = w.training.sessions.first()
    training_services.set_self_checkin(w.users["org_a"], w.session, True)
    w.session.refresh_from_db()
    # An administrator (who may see every contact) puts the creator in agency A's training:
    # the contact is stored, and agency A's organiser must still not see it.
    w.registration = training_services.register(
        w.users["admin"],
        w.training,
        training_services.Applicant(
            full_name="Kirana Tertutup", phone=HIDDEN_PHONE, email=HIDDEN_EMAIL, audience="umum"
        ),
        user=w.creator,
    )
    w.ticket_token = notices.ticket_link(w.registration).rstrip("/").rsplit("/", 1)[-1]
    w.offer_token = signing.dumps({"r": w.registration.public_id, "x": 0}, salt=notices.OFFER_SALT)
    w.checkin_code = training_services.self_checkin_code(w.session)


def _training(w):
    return {"public_id": w.training.public_id}


def _ticket(w):
    return {"public_id": w.registration.public_id}


def _session(w):
    return {"public_id": w.training.public_id, "session_id": w.session.public_id}


ARGS = {
    "trainings:detail": _training,
    "trainings:ics": _training,
    "trainings:register": _training,
    "trainings:manage_*": _training,
    "trainings:manage_participant": lambda w: {
        "public_id": w.training.public_id,
        "registration_id": w.registration.public_id,
    },
    "trainings:manage_checkin": _session,
    "trainings:manage_checkin_tickets": _session,
    "trainings:manage_checkin_sync": _session,
    "trainings:manage_projector": _session,
    "trainings:manage_projector_qr": _session,
    "trainings:manage_attendance_sheet": _session,
    "trainings:ticket*": _ticket,
    "trainings:cancel": _ticket,
    "trainings:respond_offer": _ticket,
    "trainings:feedback": _ticket,
    "trainings:ticket_link*": lambda w: {"token": w.ticket_token},
    "trainings:offer": lambda w: {"token": w.offer_token, "action": "terima"},
    "trainings:self_checkin": lambda w: {"session_id": w.session.public_id, "code": w.checkin_code},
    "/api/v1/trainings/{training_id}": lambda w: {"training_id": w.training.public_id},
    "/api/v1/trainings/{training_id}/registrations": lambda w: {
        "training_id": w.training.public_id
    },
    "/api/v1/trainings/{training_id}/questions": lambda w: {"training_id": w.training.public_id},
    "/api/v1/registrations/{registration_id}/cancel": lambda w: {
        "registration_id": w.registration.public_id
    },
    "/api/v1/registrations/{registration_id}/scores": lambda w: {
        "registration_id": w.registration.public_id
    },
}
BODIES = {
    "POST /api/v1/trainings": lambda w: new_training("diskominfo"),
    "POST /api/v1/trainings/{training_id}/registrations": lambda w: {},
    "PUT /api/v1/trainings/{training_id}/questions": lambda w: {"questions": []},
    "POST /api/v1/registrations/{registration_id}/cancel": lambda w: {"reason": "Berhalangan"},
    "POST /api/v1/checkins": lambda w: {
        "ticket_code": w.registration.ticket_code,
        "session_id": w.session.public_id,
    },
    "PUT /api/v1/registrations/{registration_id}/scores": lambda w: {"post_test_score": 80},
}
