"""Journey 1: an organiser of Diskominfo creates "Bimtek Konten Kreator: Branding Kota" —
quota 30, two sessions in an MCC room, completion = all sessions and post-test ≥ 70 — and
takes it through draft → published → closed → finished, or cancels it with a reason that
reaches everyone registered. Each organiser sees only their agency's trainings."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from ekraf.core.errors import Conflict, DomainError, NotAllowed
from ekraf.core.models import OutboxMessage, Space
from ekraf.trainings import services
from ekraf.trainings.models import Registration, Training
from tests.trainings import factories as tf

pytestmark = pytest.mark.django_db


def _local(dt):
    return timezone.localtime(dt).strftime("%Y-%m-%dT%H:%M")


def training_post(space, *, sessions=None, categories=None, **fields):
    start = timezone.now().replace(second=0, microsecond=0) + timedelta(days=14)
    sessions = sessions or [
        {
            "starts_at": _local(start),
            "ends_at": _local(start + timedelta(hours=4)),
            "space": space.pk,
        },
        {
            "starts_at": _local(start + timedelta(days=1)),
            "ends_at": _local(start + timedelta(days=1, hours=4)),
            "space": space.pk,
        },
    ]
    categories = categories or [{"name": "Umum", "seats": 30, "audience": "semua"}]
    data = {
        "title": "Bimtek Konten Kreator: Branding Kota",
        "kind": "bimtek",
        "audience": "Konten kreator pemula",
        "description": "Membuat konten yang membangun citra kota.",
        "hours": 16,
        "selection_mode": "fcfs",
        "offer_hours": 48,
        "completion_min_attendance": 100,
        "completion_min_post_test": "70",
        "certificate_kind": "completion",
        "sesi-TOTAL_FORMS": len(sessions),
        "sesi-INITIAL_FORMS": 0,
        "sesi-MIN_NUM_FORMS": 1,
        "sesi-MAX_NUM_FORMS": 1000,
        "kategori-TOTAL_FORMS": len(categories),
        "kategori-INITIAL_FORMS": 0,
        "kategori-MIN_NUM_FORMS": 1,
        "kategori-MAX_NUM_FORMS": 1000,
    }
    for i, s in enumerate(sessions):
        data.update({f"sesi-{i}-{k}": v for k, v in s.items()})
    for i, c in enumerate(categories):
        data.update({f"kategori-{i}-{k}": v for k, v in c.items()})
    data.update(fields)
    return data


def test_organiser_creates_the_journey_1_training(client, organiser, diskominfo):
    room = Space.objects.get(code="ruang-workshop")
    client.force_login(organiser)
    response = client.post(reverse("trainings:manage_create"), training_post(room))
    assert response.status_code == 302, response.content.decode()[:3000]
    training = Training.objects.get()
    assert training.agency == diskominfo
    assert training.status == Training.Status.DRAFT
    assert training.completion_min_post_test == 70
    assert training.created_by == organiser
    assert [s.space for s in training.sessions.all()] == [room, room]
    assert [(c.name, c.seats) for c in training.categories.all()] == [("Umum", 30)]
    # Not public until published.
    client.logout()
    assert client.get(reverse("trainings:detail", args=[training.public_id])).status_code == 404
    client.force_login(organiser)
    client.post(
        reverse("trainings:manage_status", args=[training.public_id]), {"action": "publish"}
    )
    training.refresh_from_db()
    assert training.status == Training.Status.PUBLISHED and training.published_at
    client.logout()
    page = client.get(reverse("trainings:detail", args=[training.public_id])).content.decode()
    assert "Bimtek Konten Kreator: Branding Kota" in page and "Ruang Workshop" in page


def test_form_errors_keep_input(client, organiser, diskominfo):
    room = Space.objects.get(code="ruang-workshop")
    client.force_login(organiser)
    start = timezone.now() + timedelta(days=3)
    data = training_post(
        room,
        sessions=[
            {
                "starts_at": _local(start),
                "ends_at": _local(start - timedelta(hours=1)),
                "space": room.pk,
            }
        ],
        categories=[{"name": "Umum", "seats": 0, "audience": "semua"}],
        title="Kelas Fotografi Produk",
    )
    body = client.post(reverse("trainings:manage_create"), data).content.decode()
    assert "Waktu selesai harus sesudah waktu mulai." in body
    assert 'value="Kelas Fotografi Produk"' in body
    assert not Training.objects.exists()


def test_a_session_needs_a_place(client, organiser, diskominfo):
    client.force_login(organiser)
    start = timezone.now() + timedelta(days=3)
    data = training_post(
        Space.objects.first(),
        sessions=[{"starts_at": _local(start), "ends_at": _local(start + timedelta(hours=2))}],
    )
    body = client.post(reverse("trainings:manage_create"), data).content.decode()
    assert "Pilih ruang MCC, tulis alamat lain, atau isi tautan daring." in body


def test_online_and_other_address_sessions(organiser, diskominfo):
    start = timezone.now() + timedelta(days=5)
    training = services.create_training(
        organiser,
        agency=diskominfo,
        fields={"title": "Webinar Monetisasi Konten"},
        sessions=[
            services.SessionInput(
                starts_at=start,
                ends_at=start + timedelta(hours=2),
                online_url="https://zoom.us/j/123",
            ),
            services.SessionInput(
                starts_at=start + timedelta(days=1),
                ends_at=start + timedelta(days=1, hours=2),
                address="Balai Kota, Jl. Tugu No. 1",
            ),
        ],
        categories=[services.CategoryInput(name="Umum", seats=100)],
    )
    assert training.sessions.count() == 2


def test_a_room_is_not_booked_twice(organiser, diskominfo):
    room = Space.objects.get(code="auditorium")
    start = timezone.now() + timedelta(days=9)

    def make(title):
        return services.create_training(
            organiser,
            agency=diskominfo,
            fields={"title": title},
            sessions=[
                services.SessionInput(
                    starts_at=start, ends_at=start + timedelta(hours=3), space=room
                )
            ],
            categories=[services.CategoryInput(name="Umum", seats=10)],
        )

    make("Pelatihan A")
    with pytest.raises(Conflict, match="Auditorium sudah dipakai Pelatihan A"):
        make("Pelatihan B")


def test_edit_keeps_sessions_and_categories(client, organiser, training):
    client.force_login(organiser)
    url = reverse("trainings:manage_edit", args=[training.public_id])
    page = client.get(url).content.decode()
    assert 'name="sesi-INITIAL_FORMS" value="2"' in page
    sessions = list(training.sessions.all())
    category = training.categories.get()
    data = training_post(
        Space.objects.get(code="ruang-workshop"), title="Bimtek Konten Kreator: Branding Kota 2024"
    )
    data.update(
        {
            "sesi-TOTAL_FORMS": 2,
            "sesi-INITIAL_FORMS": 2,
            "sesi-0-id": sessions[0].pk,
            "sesi-1-id": sessions[1].pk,
            "kategori-INITIAL_FORMS": 1,
            "kategori-0-id": category.pk,
            "kategori-0-seats": 35,
        }
    )
    response = client.post(url, data)
    assert response.status_code == 302, response.content.decode()[:2000]
    training.refresh_from_db()
    assert training.title == "Bimtek Konten Kreator: Branding Kota 2024"
    assert [s.pk for s in training.sessions.all()] == [s.pk for s in sessions]
    assert training.categories.get().seats == 35


def test_status_transitions(organiser, diskominfo):
    t = tf.training(diskominfo, status=Training.Status.DRAFT, starts_in=timedelta(days=-1))
    with pytest.raises(Conflict):
        services.close_registration(organiser, t)
    services.publish_training(organiser, t)
    services.close_registration(organiser, t)
    assert t.status == Training.Status.CLOSED
    with pytest.raises(Conflict, match="sudah ditutup"):
        tf.register(t)
    services.publish_training(organiser, t)  # reopen
    services.finish_training(organiser, t)
    assert t.status == Training.Status.FINISHED
    with pytest.raises(Conflict):
        services.cancel_training(organiser, t, "terlambat")


def test_finish_waits_for_the_last_session(organiser, training):
    with pytest.raises(Conflict, match="setelah sesi terakhir dimulai"):
        services.finish_training(organiser, training)


def test_publishing_needs_sessions_and_categories(organiser, diskominfo):
    t = tf.training(diskominfo, status=Training.Status.DRAFT, sessions=0, categories=())
    with pytest.raises(DomainError, match="sedikitnya satu sesi"):
        services.publish_training(organiser, t)


def test_cancelling_tells_everyone_registered(client, organiser, training):
    people = [tf.register(training) for _ in range(32)]
    client.force_login(organiser)
    url = reverse("trainings:manage_cancel", args=[training.public_id])
    assert "32 pendaftar aktif" in client.get(url).content.decode()
    empty = client.post(url, {"reason": ""})
    assert empty.status_code == 200
    client.post(url, {"reason": "Narasumber berhalangan karena bencana alam"})
    training.refresh_from_db()
    assert training.status == Training.Status.CANCELLED
    assert set(Registration.objects.values_list("status", flat=True)) == {"cancelled"}
    told = OutboxMessage.objects.filter(kind="training.training_cancelled")
    assert set(told.values_list("recipient", flat=True)) == {p.user_id for p in people}
    assert "Narasumber berhalangan karena bencana alam" in told.first().body
    page = client.get(reverse("trainings:detail", args=[training.public_id])).content.decode()
    assert "Pelatihan ini dibatalkan." in page


def test_organisers_see_only_their_agencys_trainings(
    client, organiser, other_organiser, training, other_training
):
    client.force_login(organiser)
    page = client.get(reverse("trainings:manage_list")).content.decode()
    assert training.title in page and other_training.title not in page
    client.force_login(other_organiser)
    page = client.get(reverse("trainings:manage_list")).content.decode()
    assert other_training.title in page and training.title not in page
    for name in (
        "manage_detail",
        "manage_edit",
        "manage_participants",
        "manage_scores",
        "manage_cancel",
        "manage_feedback",
    ):
        assert (
            client.get(reverse(f"trainings:{name}", args=[training.public_id])).status_code == 403
        ), name
    response = client.post(
        reverse("trainings:manage_status", args=[training.public_id]), {"action": "close"}
    )
    assert response.status_code == 403
    training.refresh_from_db()
    assert training.status == Training.Status.PUBLISHED
    with pytest.raises(NotAllowed):
        services.cancel_training(other_organiser, training, "coba")


def test_creators_and_visitors_cannot_open_the_organiser_pages(client, creator_user, training):
    assert client.get(reverse("trainings:manage_list")).status_code == 302  # to the login page
    client.force_login(creator_user)
    assert client.get(reverse("trainings:manage_list")).status_code == 403
    assert (
        client.get(reverse("trainings:manage_detail", args=[training.public_id])).status_code == 403
    )


def test_organiser_can_register_a_walk_in(client, organiser, training):
    from ekraf.creators.models import CreatorProfile

    walk_in = tf.person()
    profile = CreatorProfile.objects.create(
        user=walk_in, full_name="Gilang Ramadhan", phone="+6285712345678"
    )
    client.force_login(organiser)
    url = reverse("trainings:manage_register_other", args=[training.public_id])
    response = client.post(
        url, {"who": profile.public_id, "category": training.categories.get().pk}
    )
    assert response.status_code == 302
    r = Registration.objects.get(user=walk_in)
    # Gilang has not consented to be contacted by agencies: his phone is not copied
    # (issue 9, point 3; tests/security/test_contact_consent_everywhere.py).
    assert (r.full_name, r.phone, r.registered_by) == ("Gilang Ramadhan", "", organiser)
    body = client.post(
        url, {"who": "tidak-ada@contoh.id", "category": training.categories.get().pk}
    ).content.decode()
    assert "tidak ditemukan" in body


def test_participant_page_offers_a_wa_link_per_message(client, organiser, training):
    r = tf.register(training, phone="081234567890")
    client.force_login(organiser)
    list_page = client.get(
        reverse("trainings:manage_participants", args=[training.public_id])
    ).content.decode()
    assert "https://wa.me/6281234567890?text=" in list_page
    detail = client.get(
        reverse("trainings:manage_participant", args=[training.public_id, r.public_id])
    ).content.decode()
    assert "Terkonfirmasi: Bimtek Konten Kreator" in detail
    assert detail.count("https://wa.me/6281234567890?text=") == 1


def test_overview_page_links_every_paper(client, organiser, training):
    client.force_login(organiser)
    page = client.get(
        reverse("trainings:manage_detail", args=[training.public_id])
    ).content.decode()
    assert reverse("trainings:manage_report", args=[training.public_id]) in page
    assert reverse("trainings:manage_participants_xlsx", args=[training.public_id]) in page
    for s in training.sessions.all():
        assert reverse("trainings:manage_checkin", args=[training.public_id, s.public_id]) in page
        assert (
            reverse("trainings:manage_attendance_sheet", args=[training.public_id, s.public_id])
            in page
        )


def test_selection_on_the_participant_page(client, organiser, diskominfo):
    t = tf.training(diskominfo, selection_mode="selection", categories=(("Umum", 1),))
    a = tf.register(t, motivation="Ingin menulis tentang kampung warna-warni")
    b = tf.register(t, motivation="Ingin belajar")
    client.force_login(organiser)
    url = reverse("trainings:manage_participants", args=[t.public_id])
    page = client.get(url).content.decode()
    assert 'name="ids"' in page and 'value="confirm"' in page
    client.post(url, {"action": "confirm", "ids": [a.pk, b.pk]}, follow=True)
    assert set(Registration.objects.values_list("status", flat=True)) == {"applied"}  # 2 > 1 seat
    client.post(url, {"action": "confirm", "ids": [a.pk]})
    client.post(url, {"action": "reject", "ids": [b.pk]})
    a.refresh_from_db()
    b.refresh_from_db()
    assert (a.status, b.status) == ("confirmed", "rejected")
    detail = reverse("trainings:manage_participant", args=[t.public_id, a.public_id])
    assert "kampung warna-warni" in client.get(detail).content.decode()


def test_finish_and_completion_buttons(client, organiser, diskominfo):
    t = tf.training(diskominfo, starts_in=timedelta(days=-2), completion_min_attendance=50)
    r = Registration.objects.create(
        training=t,
        category=t.categories.get(),
        user=tf.person(),
        status="confirmed",
        full_name="Putri",
    )
    services.check_in(organiser, t.sessions.first(), r.ticket_code)
    client.force_login(organiser)
    client.post(reverse("trainings:manage_completion", args=[t.public_id]))
    r.refresh_from_db()
    assert r.completed is True
    assert not OutboxMessage.objects.filter(kind="training.completed").exists()  # not finished yet
    response = client.post(
        reverse("trainings:manage_status", args=[t.public_id]), {"action": "finish"}, follow=True
    )
    assert "dinyatakan selesai" in response.content.decode()
    t.refresh_from_db()
    assert t.status == "finished"
    assert OutboxMessage.objects.filter(kind="training.completed", recipient=r.user).count() == 1


def test_registrants_hear_when_the_schedule_changes(organiser, training):
    people = [tf.register(training) for _ in range(3)]
    services.cancel_registration(people[2].user, people[2])
    sessions = list(training.sessions.all())

    def inputs(shift):
        return [
            services.SessionInput(
                id=s.pk, starts_at=s.starts_at + shift, ends_at=s.ends_at + shift, space=s.space
            )
            for s in sessions
        ]

    services.update_training(
        organiser, training, fields={"hours": 12}, sessions=inputs(timedelta(0))
    )
    assert not OutboxMessage.objects.filter(kind="training.schedule_changed").exists()
    services.update_training(organiser, training, fields={}, sessions=inputs(timedelta(days=1)))
    told = OutboxMessage.objects.filter(kind="training.schedule_changed")
    assert set(told.values_list("recipient", flat=True)) == {people[0].user_id, people[1].user_id}
    assert "Jadwal terbaru" in told.first().body
