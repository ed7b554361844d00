"""Journey 3: at the door the organiser checks tickets in on a phone; a second scan changes
nothing; a ticket of another training, a cancelled or waitlisted ticket is refused with the
reason. Manual check-in from the list; self check-in with a QR that changes every 30 s."""

import json
from datetime import UTC, datetime, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from ekraf.core.errors import Conflict, NotAllowed, NotFound
from ekraf.trainings import services
from ekraf.trainings.models import Attendance, Registration
from tests.trainings import factories as tf

pytestmark = pytest.mark.django_db
S = Registration.Status
NINE_TWELVE_WIB = datetime(2024, 1, 25, 2, 12, tzinfo=UTC)


@pytest.fixture
def session(training):
    return training.sessions.order_by("starts_at").first()


def test_scan_then_second_scan_changes_nothing(organiser, training, session):
    r = tf.register(training, full_name="Ayu Lestari")
    first = services.check_in(organiser, session, r.ticket_code, now=NINE_TWELVE_WIB)
    assert first.outcome == "checked_in"
    second = services.check_in(
        organiser, session, r.ticket_code, now=NINE_TWELVE_WIB + timedelta(minutes=5)
    )
    assert second.outcome == "already"
    assert second.message == "Ayu Lestari sudah check-in pukul 09.12."
    attendance = Attendance.objects.get()
    assert attendance.checked_in_at == NINE_TWELVE_WIB
    assert attendance.checked_in_by == organiser


def test_typed_code_is_forgiving(organiser, training, session):
    r = tf.register(training)
    code = r.ticket_code
    typed = f" {code[:5].lower()}-{code[5:].lower()} ".replace("0", "o").replace("1", "l")
    assert services.check_in(organiser, session, typed).outcome == "checked_in"


def test_tickets_of_eight_symbols_issued_before_still_check_in(organiser, training, session):
    from ekraf.trainings.notices import display_code

    r = tf.register(training)
    Registration.objects.filter(pk=r.pk).update(ticket_code="7K3MQ9TX")
    assert display_code("7K3MQ9TX") == "7K3M-Q9TX"  # as printed on those tickets
    assert services.check_in(organiser, session, "7k3m-q9tx").outcome == "checked_in"


def test_refusals_say_why(organiser, training, session, other_training):
    stranger = tf.register(other_training)
    with pytest.raises(
        Conflict, match="Tiket ini untuk pelatihan lain: Pelatihan Foto Produk UMKM"
    ):
        services.check_in(organiser, session, stranger.ticket_code)
    cancelled = tf.register(training)
    services.cancel_registration(cancelled.user, cancelled)
    with pytest.raises(Conflict, match="sudah dibatalkan") as exc:
        services.check_in(organiser, session, cancelled.ticket_code)
    assert exc.value.code == "cancelled"
    small = tf.training(training.agency, categories=(("Umum", 1),))
    tf.register(small)
    waiting = tf.register(small)
    with pytest.raises(Conflict, match="daftar tunggu"):
        services.check_in(organiser, small.sessions.first(), waiting.ticket_code)
    with pytest.raises(NotFound, match="tidak dikenal"):
        services.check_in(organiser, session, "ZZZZZZZZ")
    assert not Attendance.objects.exists()


def test_another_agencys_organiser_cannot_check_in(other_organiser, training, session):
    r = tf.register(training)
    with pytest.raises(NotAllowed):
        services.check_in(other_organiser, session, r.ticket_code)


def test_check_in_page_by_typed_code(client, organiser, training, session):
    r = tf.register(training, full_name="Bima Sakti")
    client.force_login(organiser)
    url = reverse("trainings:manage_checkin", args=[training.public_id, session.public_id])
    page = client.get(url).content.decode()
    assert "Kode tiket" in page and "trainings/checkin.js" in page
    response = client.post(url, {"code": r.ticket_code})
    assert "Bima Sakti berhasil check-in" in response.content.decode()
    again = client.post(url, {"code": r.ticket_code}, HTTP_ACCEPT="application/json")
    data = json.loads(again.content)
    assert data["outcome"] == "already" and "sudah check-in pukul" in data["message"]
    assert data["checked_in"] == 1 and data["confirmed"] == 1


def test_check_in_page_json_for_the_scanner(client, organiser, training, session, other_training):
    stranger = tf.register(other_training)
    client.force_login(organiser)
    url = reverse("trainings:manage_checkin", args=[training.public_id, session.public_id])
    data = client.post(
        url, {"code": stranger.ticket_code, "via": "scan"}, HTTP_ACCEPT="application/json"
    ).json()
    assert data == {
        "outcome": "refused",
        "message": "Tiket ini untuk pelatihan lain: Pelatihan Foto Produk UMKM.",
        "code": "other_training",
        "checked_in": 0,
        "confirmed": 0,
    }


def test_check_in_page_refuses_another_agencys_organiser(
    client, other_organiser, training, session
):
    client.force_login(other_organiser)
    url = reverse("trainings:manage_checkin", args=[training.public_id, session.public_id])
    assert client.get(url).status_code == 403
    assert client.post(url, {"code": "X"}).status_code == 403


def test_check_in_endpoint_query_count_is_constant(
    client, organiser, training, session, django_assert_num_queries
):
    """The same number of queries whether the session has 1 or 28 check-ins already."""
    url = reverse("trainings:manage_checkin", args=[training.public_id, session.public_id])
    client.force_login(organiser)
    people = [tf.register(training) for _ in range(30)]
    client.post(url, {"code": people[0].ticket_code}, HTTP_ACCEPT="application/json")

    def measure(code):
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        with CaptureQueriesContext(connection) as ctx:
            response = client.post(url, {"code": code}, HTTP_ACCEPT="application/json")
        assert response.json()["outcome"] == "checked_in"
        return len(ctx.captured_queries)

    few = measure(people[1].ticket_code)
    for r in people[2:29]:
        services.check_in(organiser, session, r.ticket_code)
    many = measure(people[29].ticket_code)
    assert few == many


def test_api_check_in_query_count_is_constant(client, organiser, training, session):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from ekraf.accounts import services as account_services

    _, token = account_services.create_api_token(organiser, "pintu")
    headers = {"HTTP_AUTHORIZATION": f"Bearer {token}"}
    people = [tf.register(training) for _ in range(30)]

    def measure(code):
        with CaptureQueriesContext(connection) as ctx:
            response = client.post(
                "/api/v1/checkins",
                {"ticket_code": code, "session_id": session.public_id},
                content_type="application/json",
                **headers,
            )
        assert response.status_code == 201, response.content
        return len(ctx.captured_queries)

    measure(people[0].ticket_code)  # the token's first use is recorded once
    few = measure(people[1].ticket_code)
    for r in people[2:29]:
        services.check_in(organiser, session, r.ticket_code)
    assert measure(people[29].ticket_code) == few


def test_manual_check_in_from_the_participant_list(client, organiser, training, session):
    r = tf.register(training, full_name="Citra Kirana")
    client.force_login(organiser)
    url = reverse("trainings:manage_participants", args=[training.public_id])
    page = client.get(url).content.decode()
    action = f"checkin:{r.public_id}:{session.public_id}"
    assert action in page
    client.post(url, {"action": action})
    attendance = Attendance.objects.get(registration=r)
    assert attendance.method == Attendance.Method.MANUAL
    page = client.get(url).content.decode()
    assert "✓" in page
    # Undo from the participant's page (a mistaken click).
    detail = reverse("trainings:manage_participant", args=[training.public_id, r.public_id])
    client.post(detail, {"action": f"undo:{attendance.pk}"})
    assert not Attendance.objects.exists()


def test_self_check_in_code_changes_every_30_seconds(organiser, training, session, creator_user):
    services.set_self_checkin(organiser, session, True)
    session.refresh_from_db()
    r = tf.register(training, creator_user)
    during = session.starts_at + timedelta(minutes=10)
    code = services.self_checkin_code(session, during)
    # A photo of the screen works in its window and the next one, not later.
    with pytest.raises(Conflict, match="sudah berganti"):
        services.self_check_in(creator_user, session, code, now=during + timedelta(seconds=61))
    assert services.self_checkin_code(session, during + timedelta(seconds=30)) != code
    result = services.self_check_in(creator_user, session, code, now=during + timedelta(seconds=29))
    assert result.outcome == "checked_in"
    assert Attendance.objects.get().method == Attendance.Method.SELF
    again = services.self_check_in(creator_user, session, code, now=during + timedelta(seconds=29))
    assert again.outcome == "already"
    assert r.attendances.count() == 1


def test_self_check_in_needs_a_confirmed_ticket_and_the_session_on(organiser, training, session):
    outsider = tf.person()
    with pytest.raises(Conflict, match="tidak aktif"):
        services.self_check_in(outsider, session, "x")
    services.set_self_checkin(organiser, session, True)
    session.refresh_from_db()
    during = session.starts_at + timedelta(minutes=1)
    with pytest.raises(NotFound, match="tidak terdaftar"):
        services.self_check_in(
            outsider, session, services.self_checkin_code(session, during), now=during
        )
    before = session.starts_at - timedelta(hours=3)
    tf.register(training, outsider)
    with pytest.raises(Conflict, match="selama sesi"):
        services.self_check_in(
            outsider, session, services.self_checkin_code(session, before), now=before
        )


def test_self_check_in_pages(client, organiser, training, session, creator_user):
    client.force_login(organiser)
    projector = reverse("trainings:manage_projector", args=[training.public_id, session.public_id])
    client.post(projector, {"enabled": "1"})
    session.refresh_from_db()
    assert session.self_checkin and session.checkin_secret
    page = client.get(projector).content.decode()
    assert "trainings/projector.js" in page
    qr = client.get(
        reverse("trainings:manage_projector_qr", args=[training.public_id, session.public_id])
    )
    assert "no-store" in qr["Cache-Control"] and b"<svg" in qr.content
    # The participant, in the room while the session runs.
    tf.register(training, creator_user)
    session.starts_at = timezone.now() - timedelta(minutes=5)
    session.ends_at = timezone.now() + timedelta(hours=2)
    session.save()
    client.force_login(creator_user)
    code = services.self_checkin_code(session)
    url = reverse("trainings:self_checkin", args=[session.public_id, code])
    assert "Saya hadir" in client.get(url).content.decode()
    assert "berhasil check-in" in client.post(url, {"code": code}).content.decode()
    stale = reverse("trainings:self_checkin", args=[session.public_id, "0000000000000000"])
    assert "sudah berganti" in client.get(stale).content.decode()
