"""Journey 2: people register on their phones, are confirmed or waitlisted at once, hold a
ticket (QR + typed code, on the page, in the e-mail, as a PDF) and may cancel until the
deadline."""

import io
from datetime import timedelta

import pytest
from django.core import mail
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from ekraf.core.errors import Conflict, DomainError, NotAllowed
from ekraf.core.models import OutboxMessage
from ekraf.trainings import services
from ekraf.trainings.models import QuotaCategory, Registration
from tests import factories
from tests.trainings import factories as tf

pytestmark = pytest.mark.django_db
S = Registration.Status


def test_forty_five_register_thirty_confirmed_fifteen_waitlisted(training):
    registrations = [tf.register(training) for _ in range(45)]
    assert [r.status for r in registrations] == [S.CONFIRMED] * 30 + [S.WAITLISTED] * 15
    assert all(r.confirmed_at for r in registrations[:30])
    kinds = list(
        OutboxMessage.objects.filter(dedupe_key__startswith=f"trn:{training.public_id}:")
        .values_list("kind", flat=True)
        .order_by("pk")
    )
    assert kinds == ["training.confirmed"] * 30 + ["training.waitlisted"] * 15
    last = OutboxMessage.objects.filter(kind="training.waitlisted").order_by("-pk").first()
    assert "urutan ke-15" in last.body


def _statements_under_the_seat_lock(training) -> list[str]:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as ctx:
        tf.register(training)
    sql = [q["sql"] for q in ctx.captured_queries]
    lock = max(i for i, q in enumerate(sql) if 'FROM "trainings_quotacategory"' in q)
    if connection.vendor == "postgresql":
        assert "FOR NO KEY UPDATE" in sql[lock]
    return sql[lock + 1 :]


def test_under_the_seat_lock_only_the_decision_and_its_rows(diskominfo):
    """The seat lock serialises a category's registrations, so everything that does not
    depend on the decision (texts, sessions, eligibility) happens before it: under it, one
    count, the registration and its outbox message."""
    training = tf.training(diskominfo, categories=(("Umum", 1),))
    for expected in (S.CONFIRMED, S.WAITLISTED, S.WAITLISTED):
        locked = _statements_under_the_seat_lock(training)
        tables = [
            q.split(" FROM ")[1].split()[0] if " FROM " in q else q.split()[0] for q in locked
        ]
        assert [t for t in tables if "trainings" in t or t.startswith("INSERT")] == [
            '"trainings_registration"',  # the one count of held and waiting seats
            "INSERT",  # the registration
            "INSERT",  # its outbox message
            "INSERT",  # its audit entry (the hash chain's head row is locked for it)
        ], locked
        assert all(
            t in ('"core_outboxmessage"', '"core_auditchainhead"', "SAVEPOINT", "RELEASE")
            or t in ("INSERT", "UPDATE")
            for t in tables[1:]
        ), locked
        assert Registration.objects.order_by("-pk").first().status == expected


def test_a_ticket_code_that_already_exists_is_drawn_again(training, monkeypatch):
    """Codes are random: at half a million tickets two may meet. The database refuses the
    second; registration draws again (in a savepoint, the seat decision kept) instead of
    answering 500, and the confirmation quotes the code the ticket really has."""
    from ekraf.trainings import models

    first = tf.register(training)
    real = models.random_code
    clashes = iter([first.ticket_code] * 3)  # first draw, then the first retry, clash
    monkeypatch.setattr(
        models, "random_code", lambda length=12: next(clashes, None) or real(length)
    )
    second = tf.register(training)
    assert second.status == S.CONFIRMED
    assert len(second.ticket_code) == 10 and second.ticket_code != first.ticket_code
    assert Registration.objects.filter(ticket_code=second.ticket_code).count() == 1
    confirmation = OutboxMessage.objects.get(dedupe_key__contains=second.public_id)
    code = second.ticket_code
    assert f"{code[:5]}-{code[5:]}" in confirmation.body
    assert first.ticket_code not in confirmation.body.replace("-", "")


def test_a_second_registration_of_the_same_person_is_not_retried_as_a_clash(training, creator_user):
    tf.register(training, creator_user)
    with pytest.raises(IntegrityError), transaction.atomic():
        services._insert_with_fresh_codes(
            Registration(
                training=training,
                category=training.categories.get(),
                user=creator_user,
                status=S.CONFIRMED,
                full_name="Dua Kali",
            )
        )


def test_one_active_registration_per_person(training, creator_user):
    tf.register(training, creator_user)
    with pytest.raises(Conflict, match="sudah terdaftar"):
        tf.register(training, creator_user)
    assert Registration.objects.filter(user=creator_user).count() == 1


def test_after_cancelling_a_person_may_register_again(training, creator_user):
    first = tf.register(training, creator_user)
    services.cancel_registration(creator_user, first)
    again = tf.register(training, creator_user)
    assert again.status == S.CONFIRMED
    assert again.ticket_code != first.ticket_code


def test_the_database_itself_refuses_a_second_active_registration(training, creator_user):
    from django.db import IntegrityError, transaction

    existing = tf.register(training, creator_user)
    with pytest.raises(IntegrityError), transaction.atomic():
        Registration.objects.create(
            training=training,
            category=existing.category,
            user=creator_user,
            status=S.WAITLISTED,
            full_name="Dobel",
        )


def test_registration_needs_a_verified_email(training):
    unverified = factories.user("baru", verified=False)
    with pytest.raises(NotAllowed, match="Verifikasi email"):
        tf.register(training, unverified)


def test_registration_window_and_status(diskominfo):
    now = timezone.now()
    later = tf.training(diskominfo, registration_opens_at=now + timedelta(days=1))
    with pytest.raises(Conflict, match="Pendaftaran dibuka"):
        tf.register(later)
    closed = tf.training(
        diskominfo,
        registration_closes_at=now - timedelta(minutes=1),
        registration_opens_at=now - timedelta(days=3),
    )
    with pytest.raises(Conflict, match="sudah ditutup"):
        tf.register(closed)
    draft = tf.training(diskominfo, status="draft")
    with pytest.raises(Conflict, match="belum diumumkan"):
        tf.register(draft)
    started = tf.training(diskominfo, starts_in=timedelta(hours=-1))
    with pytest.raises(Conflict, match="sudah dimulai"):
        tf.register(started)


def test_eligibility_per_category(diskominfo):
    t = tf.training(
        diskominfo,
        categories=(
            {"name": "ASN", "seats": 5, "audience": QuotaCategory.Audience.CIVIL_SERVANT},
            {
                "name": "Warga muda",
                "seats": 5,
                "residents_only": True,
                "min_age": 17,
                "max_age": 30,
            },
        ),
    )
    asn, young = t.categories.order_by("position")
    this_year = timezone.localtime(t.sessions.first().starts_at).year
    dinoyo = factories.village("Dinoyo")
    # Not a civil servant: refused from the ASN seats, with the reason.
    with pytest.raises(DomainError, match="khusus ASN"):
        tf.register(t, category=asn, audience="umum")
    # No kelurahan: not a resident of the city.
    with pytest.raises(DomainError, match="khusus warga kota"):
        tf.register(t, category=young, birth_year=this_year - 20)
    with pytest.raises(DomainError, match="sampai 30 tahun"):
        tf.register(t, category=young, kelurahan=dinoyo, birth_year=this_year - 31)
    with pytest.raises(DomainError, match="memerlukan tahun lahir"):
        tf.register(t, category=young, kelurahan=dinoyo)
    ok = tf.register(t, category=young, kelurahan=dinoyo, birth_year=this_year - 30)
    assert ok.status == S.CONFIRMED and ok.category == young
    # Without a chosen category the first one the person may take is used.
    civil = tf.register(t, audience="asn")
    assert civil.category == asn
    with pytest.raises(DomainError, match="tidak memenuhi syarat kategori mana pun"):
        tf.register(t, audience="pelajar")


def test_phone_is_stored_in_e164(training):
    r = tf.register(training, phone="0812-3456-7890")
    assert r.phone == "+6281234567890"
    with pytest.raises(DomainError, match="telepon"):
        tf.register(training, phone="12")


def test_form_is_prefilled_from_the_creator_profile(client, training):
    from ekraf.creators.models import CreatorProfile

    user = tf.person()
    CreatorProfile.objects.create(
        user=user,
        full_name="Rizky Ramadhan",
        phone="+6281299990000",
        gender="L",
        birth_year=1998,
        kelurahan=factories.village("Dinoyo"),
    )
    client.force_login(user)
    body = client.get(reverse("trainings:register", args=[training.public_id])).content.decode()
    assert 'value="Rizky Ramadhan"' in body
    assert 'value="+6281299990000"' in body
    assert 'value="1998"' in body


def test_form_without_profile_asks_for_what_is_missing_and_keeps_input(client, training):
    user = tf.person()
    client.force_login(user)
    url = reverse("trainings:register", args=[training.public_id])
    response = client.post(url, {"full_name": "Sinta Dewi", "phone": "", "audience": "umum"})
    assert response.status_code == 200
    body = response.content.decode()
    assert 'value="Sinta Dewi"' in body  # kept
    assert "wajib" in body.lower() or "required" in body.lower()
    assert not Registration.objects.filter(user=user).exists()


def test_register_on_the_page_shows_the_ticket_with_qr_and_code(client, training):
    user = tf.person()
    client.force_login(user)
    url = reverse("trainings:register", args=[training.public_id])
    category = training.categories.get()
    response = client.post(
        url,
        {
            "category": category.pk,
            "full_name": "Sinta Dewi",
            "phone": "081234567890",
            "audience": "umum",
            "kelurahan": factories.village("Dinoyo").pk,
            "consent": "on",
        },
        follow=True,
    )
    registration = Registration.objects.get(user=user)
    assert registration.status == S.CONFIRMED
    assert registration.kelurahan.name == "Dinoyo"
    body = response.content.decode()
    assert "Terkonfirmasi" in body
    code = registration.ticket_code
    assert len(code) == 10 and f"{code[:5]}-{code[5:]}" in body
    qr_url = reverse("trainings:ticket_qr", args=[registration.public_id])
    assert qr_url in body
    svg = client.get(qr_url)
    assert svg["Content-Type"] == "image/svg+xml" and b"<svg" in svg.content
    png = client.get(qr_url + "?format=png")
    assert png.content.startswith(b"\x89PNG")


def test_ticket_qr_decodes_to_the_ticket_code(training):
    import zxingcpp
    from PIL import Image

    from ekraf.trainings import tickets

    r = tf.register(training)
    image = Image.open(io.BytesIO(tickets.qr_png(r.ticket_code)))
    assert [found.text for found in zxingcpp.read_barcodes(image)] == [r.ticket_code]


def test_ticket_pdf_names_the_person_and_the_code(client, training):
    r = tf.register(training, full_name="Bagus Pratama")
    client.force_login(r.user)
    response = client.get(reverse("trainings:ticket_pdf", args=[r.public_id]))
    assert response["Content-Type"] == "application/pdf"
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages)
    assert "Bagus Pratama" in text
    assert f"{r.ticket_code[:5]}-{r.ticket_code[5:]}" in text
    assert training.title in text


def test_confirmation_email_carries_code_and_a_ticket_link_that_works_without_login(
    client, training
):
    from ekraf.core import notifications

    r = tf.register(training, full_name="Dewi Anggraini")
    # What the worker does after commit (the db_worker command closes the test's connection
    # on PostgreSQL, so the delivery step is called directly here).
    assert notifications.send_pending() == 1
    message = mail.outbox[-1]
    assert message.to == [r.user.email]
    assert f"{r.ticket_code[:5]}-{r.ticket_code[5:]}" in message.body  # grouped, as printed
    # The ticket itself travels with the e-mail: its QR (which decodes to the code) and PDF.
    files = {name: (content, mimetype) for name, content, mimetype in message.attachments}
    png, mimetype = files[f"tiket-{r.ticket_code}.png"]
    assert mimetype == "image/png"
    import zxingcpp
    from PIL import Image

    assert [c.text for c in zxingcpp.read_barcodes(Image.open(io.BytesIO(png)))] == [r.ticket_code]
    pdf_bytes, mimetype = files[f"tiket-{r.ticket_code}.pdf"]
    assert mimetype == "application/pdf"
    assert "Dewi Anggraini" in PdfReader(io.BytesIO(pdf_bytes)).pages[0].extract_text()
    link = next(w for w in message.body.split() if "/pelatihan/t/" in w)
    path = link.replace("http://127.0.0.1:8000", "")
    page = client.get(path)
    assert page.status_code == 200
    body = page.content.decode()
    assert "Dewi Anggraini" in body and "/qr.svg" in body
    qr = client.get(path + "qr.svg")
    assert qr.status_code == 200 and b"<svg" in qr.content
    pdf = client.get(path + "tiket.pdf")
    assert pdf["Content-Type"] == "application/pdf"
    assert client.get("/pelatihan/t/palsu/").status_code == 404


def test_another_persons_ticket_is_not_shown(client, training):
    r = tf.register(training)
    client.force_login(tf.person())
    assert client.get(reverse("trainings:ticket", args=[r.public_id])).status_code == 404
    assert client.get(reverse("trainings:ticket_pdf", args=[r.public_id])).status_code == 404


def test_cancel_until_the_deadline(training, creator_user):
    deadline = timezone.now() + timedelta(days=1)
    training.cancellation_deadline = deadline
    training.save()
    r = tf.register(training, creator_user)
    with pytest.raises(Conflict, match="Batas pembatalan sudah lewat"):
        services.cancel_registration(creator_user, r, now=deadline + timedelta(minutes=1))
    r.refresh_from_db()
    assert r.status == S.CONFIRMED
    services.cancel_registration(
        creator_user, r, reason="Sakit", now=deadline - timedelta(minutes=1)
    )
    r.refresh_from_db()
    assert r.status == S.CANCELLED and r.cancel_reason == "Sakit"
    assert OutboxMessage.objects.filter(kind="training.cancelled").exists()


def test_cancel_on_the_ticket_page(client, training):
    r = tf.register(training)
    client.force_login(r.user)
    page = client.get(reverse("trainings:ticket", args=[r.public_id])).content.decode()
    assert "Batalkan pendaftaran" in page
    response = client.post(reverse("trainings:cancel", args=[r.public_id]), {"reason": ""})
    assert response.status_code == 302
    r.refresh_from_db()
    assert r.status == S.CANCELLED


def test_my_trainings_lists_tickets(client, training):
    r = tf.register(training)
    client.force_login(r.user)
    body = client.get(reverse("trainings:my_trainings")).content.decode()
    assert training.title in body
    assert reverse("trainings:ticket", args=[r.public_id]) in body


def test_selection_mode_applications_wait_for_the_organiser(diskominfo, organiser):
    t = tf.training(diskominfo, selection_mode="selection", categories=(("Umum", 2),))
    people = [tf.register(t, motivation="Ingin belajar") for _ in range(4)]
    assert {p.status for p in people} == {S.APPLIED}
    ids = [p.pk for p in people]
    with pytest.raises(Conflict, match="hanya punya 2 kursi"):
        services.decide_applications(organiser, t, ids[:3], "confirm")
    assert Registration.objects.filter(training=t, status=S.CONFIRMED).count() == 0
    services.decide_applications(organiser, t, ids[:2], "confirm")
    services.decide_applications(organiser, t, ids[2:3], "waitlist")
    services.decide_applications(organiser, t, ids[3:], "reject")
    statuses = dict(Registration.objects.filter(training=t).values_list("pk", "status"))
    assert [statuses[i] for i in ids] == [S.CONFIRMED, S.CONFIRMED, S.WAITLISTED, S.REJECTED]
    assert OutboxMessage.objects.filter(kind="training.rejected").count() == 1
