"""Feedback once per participant after the last session; reminders the day before (a
periodic, idempotent job); every kind of notice through the one outbox; personal data."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from ekraf.accounts import personal_data
from ekraf.core import periodic
from ekraf.core.errors import Conflict
from ekraf.core.models import OutboxMessage
from ekraf.trainings import services
from ekraf.trainings.models import Feedback, Registration
from tests.trainings import factories as tf

pytestmark = pytest.mark.django_db


@pytest.fixture
def running(diskominfo):
    """A two-session training whose last session began an hour ago."""
    return tf.training(
        diskominfo, starts_in=timedelta(days=-1, hours=-1), categories=(("Umum", 5),)
    )


def _confirmed(training, **fields):
    return Registration.objects.create(
        training=training,
        category=training.categories.first(),
        user=tf.person(),
        status="confirmed",
        full_name=fields.pop("full_name", "Peserta"),
        **fields,
    )


def test_feedback_once_after_the_last_session(client, organiser, running, training):
    r = _confirmed(running, full_name="Wulan Sari")
    early = tf.register(training)
    assert "setelah sesi terakhir" in services.feedback_refusal(early)
    assert "yang hadir" in services.feedback_refusal(r)
    services.check_in(organiser, running.sessions.first(), r.ticket_code)
    client.force_login(r.user)
    ticket = client.get(reverse("trainings:ticket", args=[r.public_id])).content.decode()
    assert "Beri umpan balik" in ticket
    url = reverse("trainings:feedback", args=[r.public_id])
    client.post(url, {"rating": "5", "comment": "Narasumbernya inspiratif"})
    assert Feedback.objects.get().rating == 5
    page = client.get(url).content.decode()
    assert "sudah kami terima" in page
    with pytest.raises(Conflict):
        services.give_feedback(r.user, r, 1, "lagi")
    assert Feedback.objects.count() == 1
    client.force_login(organiser)
    summary = client.get(
        reverse("trainings:manage_feedback", args=[running.public_id])
    ).content.decode()
    assert "Narasumbernya inspiratif" in summary and "1 tanggapan" in summary


def test_reminder_the_day_before_is_sent_once(diskominfo):
    now = timezone.now()
    tomorrow = tf.training(diskominfo, starts_in=timedelta(hours=20), sessions=1)
    next_week = tf.training(diskominfo, starts_in=timedelta(days=7), sessions=1)
    kept = tf.register(tomorrow, full_name="Yoga Pratama")
    gone = tf.register(tomorrow)
    services.cancel_registration(gone.user, gone)
    tf.register(next_week)
    assert services.send_reminders(now=now) == 1
    assert services.send_reminders(now=now) == 0
    assert services.send_reminders(now=now + timedelta(minutes=1)) == 0
    reminders = OutboxMessage.objects.filter(kind="training.reminder")
    assert list(reminders.values_list("recipient", flat=True)) == [kept.user_id]
    code = kept.ticket_code
    assert f"{code[:5]}-{code[5:]}" in reminders.get().body  # as on the ticket
    assert reminders.get().wa_text.startswith("Pengingat:")


def test_periodic_jobs_are_registered():
    names = {job.name for job in periodic.jobs()}
    assert {"trainings.expire_offers", "trainings.reminders"} <= names


def test_every_kind_of_notice_goes_through_the_outbox(organiser, diskominfo):
    t = tf.training(diskominfo, categories=(("Umum", 1),), starts_in=timedelta(hours=20))
    first = tf.register(t)  # confirmation
    second = tf.register(t)  # waiting list
    services.cancel_registration(first.user, first)  # cancellation, and an offer to `second`
    services.send_reminders()  # nobody confirmed: no reminder yet
    services.accept_offer(Registration.objects.get(pk=second.pk))
    services.send_reminders()  # reminder
    kinds = set(OutboxMessage.objects.values_list("kind", flat=True))
    assert {
        "training.confirmed",
        "training.waitlisted",
        "training.cancelled",
        "training.offer",
        "training.reminder",
    } <= kinds
    for message in OutboxMessage.objects.all():
        assert message.wa_url.startswith("https://wa.me/")


def test_personal_data_export_and_erase(organiser, training, diskominfo):
    small = tf.training(diskominfo, categories=(("Umum", 1),))
    person = tf.person()
    held = tf.register(small, person, phone="081234567890", motivation="")
    waiting = tf.register(small)
    past = tf.training(diskominfo, starts_in=timedelta(days=-10), status="finished")
    done = _confirmed(past, full_name="Nama Tetap", email="lama@contoh.id", phone="+6281111111111")
    done.user = person
    done.save()
    exported = personal_data.export_for(person)["trainings"]
    assert {row["ticket_code"] for row in exported} == {held.ticket_code, done.ticket_code}
    assert any(row["phone"] == "+6281234567890" for row in exported)
    personal_data.erase_for(person)
    held.refresh_from_db()
    done.refresh_from_db()
    waiting.refresh_from_db()
    assert (held.email, held.phone) == ("", "")
    assert (done.email, done.phone, done.full_name, done.status) == (
        "",
        "",
        "Nama Tetap",
        "confirmed",
    )
    assert held.status == "cancelled"  # a seat still to come is given up …
    assert waiting.status == "offered"  # … and offered to the next person


def test_deleting_an_account_keeps_the_rows_and_frees_the_seat(diskominfo):
    from ekraf.creators import services as creator_services
    from tests import factories

    t = tf.training(diskominfo, categories=(("Umum", 1),))
    person = tf.person()
    mine = tf.register(t, person, full_name="Laras Ayu", phone="081234567891")
    nxt = tf.register(t)
    creator_services.delete_account(person, factories.PASSWORD)
    mine.refresh_from_db()
    nxt.refresh_from_db()
    # Never attended: the row stays for the seat history, without the name.
    assert (mine.full_name, mine.email, mine.phone, mine.status) == (
        "Akun dihapus",
        "",
        "",
        "cancelled",
    )
    assert nxt.status == "offered"


def test_account_deletion_removes_what_registrations_and_feedback_kept(running, organiser):
    """Gender, birth year, origin, kelurahan, motivation and feedback comments go; the name,
    attendance and the rating of an attended training stay (filed sheets, certificates)."""
    from ekraf.core.models import Region
    from ekraf.creators import services as creator_services
    from tests import factories

    person = tf.person()
    village = Region.objects.filter(level="village").first()
    attended = _confirmed(
        running,
        full_name="Laras Ayu",
        gender="P",
        birth_year=1998,
        origin="SMKN 4 Malang",
        kelurahan=village,
        motivation="Ingin jualan online",
        audience="pelajar",
    )
    attended.user = person
    attended.save()
    session = running.sessions.order_by("starts_at").first()
    services.check_in(organiser, session, attended.ticket_code, now=session.starts_at)
    Feedback.objects.create(registration=attended, rating=4, comment="Pemateri dari Dinoyo")
    creator_services.delete_account(person, factories.PASSWORD)
    attended.refresh_from_db()
    assert attended.full_name == "Laras Ayu" and attended.attendances.count() == 1
    assert (attended.gender, attended.birth_year, attended.origin, attended.kelurahan) == (
        "",
        None,
        "",
        None,
    )
    assert (attended.motivation, attended.audience) == ("", "")
    feedback = Feedback.objects.get(registration=attended)
    assert (feedback.rating, feedback.comment) == (4, "")


def test_account_deletion_page_says_what_is_removed_and_what_is_kept(client):
    from tests import factories

    client.force_login(factories.user("kreator", role="creator"))
    body = client.get(reverse("creators:delete_account")).content.decode()
    assert "jenis kelamin, tahun lahir" in body and "komentar" in body
    assert "catatan resmi" in body
