"""Issue 13, the organiser's second pass: reminders that say "besok" only for tomorrow,
retakes in a score import, the people who did not get a seat, messages to a group, Duplikat."""

from datetime import datetime, timedelta

import pytest
from django.utils import timezone

from ekraf.core.models import OutboxMessage
from ekraf.trainings import notices, services
from ekraf.trainings.models import Session
from tests.trainings import factories as tf

pytestmark = pytest.mark.django_db


def _local(y, m, d, h, mi=0):
    return timezone.make_aware(datetime(y, m, d, h, mi), timezone.get_current_timezone())


def test_day_word_follows_the_calendar_not_24_hours():
    now = _local(2026, 3, 10, 7)
    assert notices.day_word(_local(2026, 3, 10, 14), now) == "hari ini"
    assert notices.day_word(_local(2026, 3, 11, 6), now) == "besok"
    assert notices.day_word(_local(2026, 3, 12, 6), now) not in ("besok", "hari ini")
    # 23.00 tonight → 08.00 tomorrow is "besok", though it is only nine hours away
    assert notices.day_word(_local(2026, 3, 11, 8), _local(2026, 3, 10, 23)) == "besok"


def test_a_reminder_for_a_session_later_today_does_not_say_besok(diskominfo):
    t = tf.training(diskominfo, starts_in=timedelta(days=30), sessions=1)
    session = t.sessions.get()
    now = timezone.localtime().replace(hour=7, minute=0, second=0, microsecond=0)
    Session.objects.filter(pk=session.pk).update(
        starts_at=now + timedelta(hours=7), ends_at=now + timedelta(hours=9)
    )
    tf.register(t, now=now - timedelta(days=1))
    assert services.send_reminders(now=now) == 1
    subject = OutboxMessage.objects.get(kind="training.reminder").subject
    assert "hari ini" in subject and "besok" not in subject


# --- 4. retakes in a score import -----------------------------------------------------------


def _quiz(andi, bunga, *, header="Timestamp,Email Address,Score"):
    from ekraf.trainings import imports

    text = f"""{header}
2024/01/25 10:00:00,{andi.email},5 / 10
2024/01/25 10:01:00,{bunga.email},9 / 10
2024/01/25 10:20:00,{andi.email},8 / 10
2024/01/25 10:40:00,{andi.email},7 / 10
"""
    return imports.read_rows("kuis.csv", text.replace("\n", "\r\n").encode())


@pytest.fixture
def pair(training):
    return (
        tf.register(training, full_name="Andi Wijaya"),
        tf.register(training, full_name="Bunga Citra"),
    )


@pytest.mark.parametrize(
    ("attempt", "score", "line"),
    [("latest", "70.00", 5), ("best", "80.00", 4), ("first", "50.00", 2)],
)
def test_retakes_use_the_chosen_attempt_and_say_which_row(
    organiser, training, pair, attempt, score, line
):
    from decimal import Decimal

    andi, _bunga = pair
    preview = services.preview_score_import(
        organiser, training, _quiz(*pair), "post", attempt=attempt
    )
    assert preview.ok and preview.retakers == 1  # retakes are not problems
    row = next(r for r in preview.matched if r.registration == andi)
    assert (row.score, row.line) == (Decimal(score), line)
    assert row.attempts == [(2, Decimal("50.00")), (4, Decimal("80.00")), (5, Decimal("70.00"))]
    assert "dari 3 percobaan" in row.why
    assert sorted(r.line for r in preview.not_used) == sorted({2, 4, 5} - {line})
    services.apply_score_import(organiser, training, preview)
    andi.refresh_from_db()
    assert andi.post_test_score == Decimal(score)


def test_retakes_follow_the_timestamps_when_the_sheet_was_sorted(organiser, training, pair):
    from ekraf.trainings import imports

    andi, bunga = pair
    text = (
        "Stempel waktu,Alamat email,Skor\r\n"
        f"2024-01-25 10:30:00,{andi.email},8 / 10\r\n"
        f"2024-01-25 10:00:00,{andi.email},5 / 10\r\n"
    )
    rows = imports.read_rows("kuis.csv", text.encode())
    preview = services.preview_score_import(organiser, training, rows, "post")
    assert preview.matched[0].line == 2  # 10.30 is the later attempt, though higher up


def test_import_page_offers_the_attempt_and_shows_the_row_used(client, organiser, training, pair):
    import io

    from django.urls import reverse

    from ekraf.core.models import StoredSheet

    andi, _ = pair
    client.force_login(organiser)
    url = reverse("trainings:manage_score_import", args=[training.public_id])
    text = "\r\n".join(
        ["Timestamp,Email Address,Score"]
        + [
            f"2024/01/25 10:0{i}:00,{e},{s} / 10"
            for i, (e, s) in enumerate([(andi.email, 5), (pair[1].email, 9), (andi.email, 8)])
        ]
    )
    upload = io.BytesIO(text.encode())
    upload.name = "kuis.csv"
    page = client.post(url, {"test": "post", "attempt": "latest", "file": upload}).content.decode()
    assert "Percobaan terakhir" in page and "percobaan terakhir dari 2 percobaan" in page
    assert "skip_problems" not in page  # nothing to skip: a retake is not a problem
    assert StoredSheet.objects.count() == 1  # the file waits as a kept sheet, not in the session
    page = client.post(url, {"step": "repreview", "attempt": "first"}).content.decode()
    assert "percobaan pertama dari 2 percobaan" in page
    client.post(url, {"step": "apply", "attempt": "first"})
    andi.refresh_from_db()
    assert str(andi.post_test_score) == "50.00"
    assert StoredSheet.objects.count() == 0


def test_a_preview_with_no_match_explains_its_disabled_button(client, organiser, training, pair):
    import io

    from django.urls import reverse

    client.force_login(organiser)
    url = reverse("trainings:manage_score_import", args=[training.public_id])
    upload = io.BytesIO(b"Email Address,Score\r\nnobody@contoh.id,8 / 10\r\n")
    upload.name = "kuis.csv"
    page = client.post(url, {"test": "post", "file": upload}).content.decode()
    assert 'disabled aria-describedby="save-disabled"' in page
    assert 'id="save-disabled">Tidak bisa disimpan' in page


# --- 6. the people who did not get a seat ---------------------------------------------------


def _full_with_queue(diskominfo, starts_in):
    t = tf.training(diskominfo, categories=(("Umum", 1),), starts_in=starts_in)
    when = timezone.now() + min(starts_in, timedelta(0)) - timedelta(days=1)
    seated = tf.register(t, full_name="Dapat Kursi", now=when)
    first = tf.register(t, full_name="Antre Satu", now=when)
    second = tf.register(t, full_name="Antre Dua", now=when)
    assert (first.status, second.status) == ("waitlisted", "waitlisted")
    return t, seated, first, second


def test_closing_registration_tells_the_waiting_list_where_it_stands(diskominfo, organiser):
    t, seated, first, second = _full_with_queue(diskominfo, timedelta(days=3))
    services.close_registration(organiser, t)
    told = OutboxMessage.objects.filter(kind="training.registration_closed")
    assert sorted(told.values_list("recipient", flat=True)) == sorted(
        [first.user_id, second.user_id]
    )
    assert "urutan ke-2" in told.get(recipient=second.user_id).body
    first.refresh_from_db()
    assert first.status == "waitlisted"  # still in line: a seat may yet be freed


def test_finishing_tells_the_waiting_list_it_did_not_get_a_seat(client, diskominfo, organiser):
    from django.urls import reverse

    t, seated, first, second = _full_with_queue(diskominfo, timedelta(days=-2))
    services.finish_training(organiser, t)
    first.refresh_from_db()
    assert first.status == "unseated"
    assert first.get_status_display() == "Tidak mendapat kursi"
    told = OutboxMessage.objects.filter(kind="training.unseated")
    assert told.count() == 2 and "tidak mendapat kursi" in told.first().body
    client.force_login(first.user)
    page = client.get(reverse("trainings:ticket", args=[first.public_id])).content.decode()
    assert "Tidak mendapat kursi" in page and "Dibatalkan" not in page


def test_the_report_shows_demand_beside_the_seats(client, diskominfo, organiser):
    import io

    from django.urls import reverse
    from pypdf import PdfReader

    from ekraf.trainings import selectors

    t, seated, first, second = _full_with_queue(diskominfo, timedelta(days=3))
    services.cancel_registration(seated.user, seated)  # the seat goes to "Antre Satu"
    first.refresh_from_db()
    assert first.status == "offered"
    services.decline_offer(first, actor=first.user)  # …who declines; "Antre Dua" is offered
    demand = selectors.demand_of(t)
    assert demand == {
        "applied": 3,
        "waitlisted": 2,
        "offered": 2,
        "declined": 1,
        "cancelled": 1,
        "unseated": 0,
        "rejected": 0,
    }
    client.force_login(organiser)
    response = client.get(reverse("trainings:manage_report", args=[t.public_id]))
    text = "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(response.content)).pages)
    assert "Peminat dibanding kursi" in text and "Menolak/tak menjawab" in text


# --- 8. Duplikat, and editing a session into the past ---------------------------------------


def test_duplicate_copies_a_training_on_new_dates(client, organiser, training):
    from datetime import date

    from django.urls import reverse

    from ekraf.trainings.models import Training

    tf.register(training)
    client.force_login(organiser)
    url = reverse("trainings:manage_duplicate", args=[training.public_id])
    assert "Tanggal sesi pertama" in client.get(url).content.decode()
    old = list(training.sessions.order_by("starts_at"))
    response = client.post(url, {"title": "Bimtek Branding Kota II", "first_day": "2027-02-01"})
    copy = Training.objects.get(title="Bimtek Branding Kota II")
    assert response.url == reverse("trainings:manage_edit", args=[copy.public_id])
    assert copy.status == "draft" and copy.registrations.count() == 0
    new = list(copy.sessions.order_by("starts_at"))
    assert timezone.localtime(new[0].starts_at).date() == date(2027, 2, 1)
    assert [timezone.localtime(s.starts_at).time() for s in new] == [
        timezone.localtime(s.starts_at).time() for s in old
    ]
    assert new[1].starts_at - new[0].starts_at == old[1].starts_at - old[0].starts_at
    assert [(c.name, c.seats) for c in copy.categories.all()] == [("Umum", 30)]
    assert copy.completion_min_post_test == training.completion_min_post_test


def test_moving_a_session_into_the_past_asks_first(organiser, training):
    from ekraf.core.errors import Conflict

    session = training.sessions.order_by("starts_at").first()
    inputs = [
        services.SessionInput(
            id=s.pk,
            starts_at=s.starts_at,
            ends_at=s.ends_at,
            space=s.space,
            address=s.address,
        )
        for s in training.sessions.order_by("starts_at")
    ]
    inputs[0].starts_at -= timedelta(days=365)
    inputs[0].ends_at -= timedelta(days=365)
    with pytest.raises(Conflict) as refused:
        services.update_training(organiser, training, fields={}, sessions=inputs)
    assert refused.value.code == "session_in_past" and "sudah lewat" in refused.value.message
    session.refresh_from_db()
    assert session.starts_at > timezone.now()  # nothing saved
    services.update_training(organiser, training, fields={}, sessions=inputs, confirm_past=True)
    session.refresh_from_db()
    assert session.starts_at < timezone.now()


# --- 8. a message to a group ------------------------------------------------------------------


def test_a_message_to_the_attended_reaches_only_them_with_wa_links(client, organiser, training):
    from django.urls import reverse

    came = tf.register(training, full_name="Hadir Satu", phone="081234500001")
    tf.register(training, full_name="Tidak Datang", phone="081234500002")
    services.check_in(organiser, training.sessions.order_by("starts_at").first(), came.ticket_code)
    client.force_login(organiser)
    url = reverse("trainings:manage_message", args=[training.public_id])
    page = client.post(
        url, {"group": "attended", "subject": "Materi", "body": "Slide ada di tautan ini."}
    ).content.decode()
    sent = OutboxMessage.objects.filter(kind="training.message")
    assert list(sent.values_list("recipient", flat=True)) == [came.user_id]
    assert "Slide ada di tautan ini." in sent.get().body
    assert "https://wa.me/6281234500001?text=" in page and "6281234500002" not in page
    assert 'id="numbers"' in page


def test_a_message_does_not_show_a_contact_without_consent(client, organiser, training):
    from django.urls import reverse

    from ekraf.trainings.models import Registration

    walk_in = tf.register(training, full_name="Didaftarkan", phone="081234500003", actor=organiser)
    assert Registration.objects.get(pk=walk_in.pk).registered_by_id == organiser.pk
    client.force_login(organiser)
    url = reverse("trainings:manage_message", args=[training.public_id])
    page = client.post(
        url, {"group": "confirmed", "subject": "Info", "body": "Besok bawa laptop."}
    ).content.decode()
    assert OutboxMessage.objects.filter(kind="training.message").count() == 1  # still e-mailed
    assert "081234500003" not in page and "6281234500003" not in page
    assert "tidak ditampilkan" in page
