"""Issue 13, point 3: check-in that survives the venue's Wi-Fi. The door phone keeps the
session's ticket list (only what the door needs) and syncs the scans it accepted offline; the
server counts a ticket once, at the earliest time, however many phones checked it."""

import json
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from ekraf.core.errors import NotAllowed
from ekraf.trainings import services
from ekraf.trainings.models import Attendance, Registration
from tests.trainings import factories as tf

pytestmark = pytest.mark.django_db
S = Registration.Status


@pytest.fixture
def session(training):
    return training.sessions.order_by("starts_at").first()


def test_the_kept_list_holds_what_the_door_needs_and_no_personal_data(
    organiser, training, other_training, session, django_assert_num_queries
):
    ayu = tf.register(training, full_name="Ayu Lestari", phone="0812 3456 7890")
    gone = tf.register(training, full_name="Budi Santoso")
    services.cancel_registration(gone.user, gone)
    stranger = tf.register(other_training)  # same day (both start in a week)
    services.check_in(organiser, session, ayu.ticket_code)
    with django_assert_num_queries(3):
        kept = services.offline_ticket_list(organiser, session)
    assert set(kept["tickets"]) == {ayu.ticket_code, gone.ticket_code}
    entry = kept["tickets"][ayu.ticket_code]
    assert set(entry) == {"name", "category", "refusal", "at"}
    assert entry["name"] == "Ayu Lestari" and entry["at"] and not entry["refusal"]
    assert (
        kept["tickets"][gone.ticket_code]["refusal"] == "Budi Santoso: Tiket ini sudah dibatalkan."
    )
    assert kept["others"] == {stranger.ticket_code: "Pelatihan Foto Produk UMKM"}
    text = json.dumps(kept)
    assert "+62" not in text and "@" not in text


def test_two_phones_offline_count_a_ticket_once_at_the_earliest_time(organiser, training, session):
    r = tf.register(training)
    now = timezone.now()
    early, late = now - timedelta(minutes=20), now - timedelta(minutes=5)
    phone_b = services.sync_check_ins(
        organiser, session, [{"code": r.ticket_code, "at": late.isoformat()}], now=now
    )
    assert [x.outcome for x in phone_b] == ["checked_in"]
    phone_a = services.sync_check_ins(
        organiser, session, [{"code": r.ticket_code.lower(), "at": int(early.timestamp() * 1000)}]
    )
    assert [x.outcome for x in phone_a] == ["earlier"]
    # Re-sending either batch changes nothing.
    again = services.sync_check_ins(
        organiser, session, [{"code": r.ticket_code, "at": late.isoformat()}]
    )
    assert [x.outcome for x in again] == ["already"]
    attendance = Attendance.objects.get()
    assert abs(attendance.checked_in_at - early) < timedelta(milliseconds=1)


def test_sync_refuses_what_the_door_would_refuse_and_bounds_client_times(
    organiser, training, other_training, session
):
    small = tf.training(training.agency, categories=(("Umum", 1),))
    session = small.sessions.first()
    ok = tf.register(small)
    waitlisted = tf.register(small)
    assert waitlisted.status == S.WAITLISTED
    stranger = tf.register(other_training)
    now = timezone.now()
    results = services.sync_check_ins(
        organiser,
        session,
        [
            {"code": stranger.ticket_code, "at": now.isoformat()},
            {"code": "ZZZZZZZZZZ", "at": now.isoformat()},
            {"code": waitlisted.ticket_code, "at": now.isoformat()},
            {"code": ok.ticket_code, "at": (now + timedelta(days=1)).isoformat()},
            {"code": ok.ticket_code, "at": (now - timedelta(days=30)).isoformat()},
            {"code": ok.ticket_code, "at": "2024-01-25T09:12:00"},  # no time zone
        ],
        now=now,
    )
    assert len(results) == 6 and all(r.outcome == "refused" for r in results)
    messages = " | ".join(r.message for r in results)
    assert "Tiket ini untuk pelatihan lain: Pelatihan Foto Produk UMKM." in messages
    assert "Kode tiket ZZZZZZZZZZ tidak dikenal." in messages
    assert "masih di daftar tunggu" in messages
    assert messages.count("Waktu pindai") == 3
    assert not Attendance.objects.exists()
    with pytest.raises(Exception, match="paling banyak"):
        services.sync_check_ins(organiser, session, [{"code": "X", "at": 0}] * 501)


def test_only_the_trainings_organisers_see_its_list_or_sync(other_organiser, session):
    with pytest.raises(NotAllowed):
        services.offline_ticket_list(other_organiser, session)
    with pytest.raises(NotAllowed):
        services.sync_check_ins(other_organiser, session, [])


def test_the_sync_page_answers_json_and_rejects_garbage(client, organiser, training, session):
    r = tf.register(training)
    client.force_login(organiser)
    url = reverse("trainings:manage_checkin_sync", args=[training.public_id, session.public_id])
    at = (timezone.now() - timedelta(minutes=3)).isoformat()
    response = client.post(
        url, json.dumps({"scans": [{"code": r.ticket_code, "at": at}]}), "application/json"
    )
    assert response.status_code == 200
    body = response.json()
    assert body["results"][0]["outcome"] == "checked_in"
    assert body["checked_in"] == 1
    assert client.post(url, b"{not json", "application/json").status_code == 400
    assert client.post(url, json.dumps({"scans": "x"}), "application/json").status_code == 400
    tickets = reverse(
        "trainings:manage_checkin_tickets", args=[training.public_id, session.public_id]
    )
    listed = client.get(tickets)
    assert listed.status_code == 200 and r.ticket_code in listed.json()["tickets"]
    assert "no-store" in listed["Cache-Control"]
