"""Point 5 and the pages of points 2–3: rooms and calendars for everyone (free/busy, no
personal data), details for the space manager, constant query counts, the .ics feed, the
printed day schedule, the front desk; asking for a room with the price shown first."""

from datetime import timedelta

import icalendar
import pytest
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from ekraf.spaces import services
from ekraf.spaces.models import Booking, UseClass
from tests.spaces import factories as sf

pytestmark = pytest.mark.django_db
S = Booking.Status


@pytest.fixture
def week(workshop, day, space_manager, organiser, diskominfo):
    """A week with an approved booking, a pending request and a training session."""
    approved = sf.request(
        workshop.space,
        sf.at(day, 9),
        sf.at(day, 11),
        title="Kelas Menjahit Kampung",
        organisation="Komunitas Jahit Arjosari",
        contact_name="Siti Rahayu",
    )
    services.approve(space_manager, approved)
    pending = sf.request(
        sf.room("auditorium").space,
        sf.at(day + timedelta(days=1), 13),
        sf.at(day + timedelta(days=1), 15),
        title="Temu Kreator Rahasia",
        contact_name="Joko Susilo",
    )
    from ekraf.trainings import services as trainings

    trainings.create_training(
        organiser,
        agency=diskominfo,
        fields={"title": "Bimtek Fotografi"},
        sessions=[
            trainings.SessionInput(
                starts_at=sf.at(day + timedelta(days=2), 9),
                ends_at=sf.at(day + timedelta(days=2), 12),
                space=sf.room("studio-foto").space,
            )
        ],
        categories=[trainings.CategoryInput(name="Umum", seats=12)],
    )
    return approved, pending


def _week_url(name, day, *args):
    return reverse(name, args=args) + f"?minggu={day:%Y-%m-%d}"


def test_the_public_calendar_is_free_busy_without_personal_data(client, week, day):
    approved, pending = week
    body = client.get(_week_url("spaces:calendar", day)).content.decode()
    assert "Terisi" in body and "Ditahan" in body
    for secret in ("Kelas Menjahit", "Siti Rahayu", "Jahit Arjosari", "Temu Kreator", "Joko"):
        assert secret not in body
    assert approved.public_id not in body
    month = client.get(reverse("spaces:calendar") + f"?bulan={day:%Y-%m}").content.decode()
    assert "1 terisi" in month and "1 ditahan" in month and "Siti Rahayu" not in month


def test_the_space_manager_sees_the_details(client, week, day, space_manager):
    client.force_login(space_manager)
    body = client.get(_week_url("spaces:manage_calendar", day)).content.decode()
    assert "Kelas Menjahit Kampung" in body and "Komunitas Jahit Arjosari" in body
    assert "Temu Kreator Rahasia" in body and "Bimtek Fotografi" in body
    assert client.get(_week_url("spaces:manage_calendar", day)).status_code == 200


def test_calendar_pages_keep_a_constant_query_count(
    client, week, day, space_manager, django_assert_max_num_queries
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def count(url):
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(url).status_code == 200
        return len(ctx)

    client.force_login(space_manager)
    urls = [
        _week_url("spaces:calendar", day),
        reverse("spaces:calendar") + f"?bulan={day:%Y-%m}",
        _week_url("spaces:room", day, "ruang-workshop"),
        _week_url("spaces:manage_calendar", day),
        reverse("spaces:manage_queue"),
        reverse("spaces:rooms"),
        reverse("spaces:manage_desk") + f"?tanggal={day:%Y-%m-%d}",
    ]
    count(urls[0])  # the city is read once per process (memo), not per page
    before = {url: count(url) for url in urls}
    # Many more bookings, requests and closures in every room: the same number of queries.
    for i, code in enumerate(["ruang-workshop", "auditorium", "podcast", "food-lab"]):
        space = sf.room(code).space
        for d in range(5):
            when = day + timedelta(days=d)
            sf.request(
                space, sf.at(when, 16), sf.at(when, 17), title=f"Tambahan {i}{d}", attendees=4
            )
            sf.direct(space, sf.at(when, 18), sf.at(when, 19), by=space_manager, attendees=4)
    after = {url: count(url) for url in urls}
    assert after == before
    with django_assert_max_num_queries(12):
        client.get(_week_url("spaces:manage_calendar", day))


def test_room_page_and_ics_feed(client, week, day):
    approved, pending = week
    body = client.get(_week_url("spaces:room", day, "ruang-workshop")).content.decode()
    assert "Ruang Workshop" in body and "Jeda 30 menit" in body
    response = client.get(reverse("spaces:room_ics", args=["ruang-workshop"]))
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    text = response.content.decode()
    assert text.startswith("BEGIN:VCALENDAR\r\n")
    cal = icalendar.Calendar.from_ical(text)
    events = cal.walk("VEVENT")
    assert len(events) == 1 and str(events[0]["SUMMARY"]) == "Terisi"
    assert events[0].decoded("DTSTART") == approved.starts_at
    assert "Menjahit" not in text and "Siti" not in text
    for line in text.split("\r\n"):
        assert len(line.encode()) <= 75


def test_day_schedule_pdf_for_the_front_desk(client, week, day, space_manager):
    client.force_login(space_manager)
    response = client.get(reverse("spaces:manage_day_pdf", args=[f"{day:%Y-%m-%d}"]))
    assert response["Content-Type"] == "application/pdf"
    import io

    text = PdfReader(io.BytesIO(response.content)).pages[0].extract_text()
    assert "Kelas Menjahit Kampung" in text and "Ruang Workshop" in text
    assert "Siti Rahayu" in text and "09.00–11.00" in text
    assert client.get(reverse("spaces:manage_day_pdf", args=["bukan-tanggal"])).status_code == 404


def test_manager_pages_are_for_the_space_manager_only(client, week, day, creator_user):
    for name, args in [
        ("spaces:manage_queue", []),
        ("spaces:manage_calendar", []),
        ("spaces:manage_desk", []),
        ("spaces:manage_prices", []),
        ("spaces:manage_room", ["ruang-workshop"]),
        ("spaces:manage_day_pdf", [f"{day:%Y-%m-%d}"]),
    ]:
        url = reverse(name, args=args)
        assert client.get(url).status_code == 302  # to the login page
        client.force_login(creator_user)
        assert client.get(url).status_code == 403
        client.logout()


def test_asking_for_a_room_shows_the_price_before_sending(client, workshop, day):
    sf.price(workshop.space, hour=150_000, day=None)
    person = sf.requester()
    client.force_login(person)
    url = reverse("spaces:request", args=["ruang-workshop"])
    form = {
        "day": f"{day:%Y-%m-%d}",
        "start_time": "10:00",
        "end_time": "12:00",
        "title": "Peluncuran Produk Kopi",
        "contact_name": "Andi",
        "contact_phone": "0812-3456-7890",
        "attendees": "25",
        "use_class": UseClass.COMMERCIAL,
        "weeks": "1",
    }
    first = client.post(url, form)
    assert first.status_code == 200
    body = first.content.decode()
    assert "Rp300.000" in body and 'name="confirmed_price" value="300000"' in body
    assert 'value="Peluncuran Produk Kopi"' in body  # what was typed is kept
    assert not Booking.objects.exists()
    sent = client.post(url, {**form, "confirmed_price": "300000"})
    booking = Booking.objects.get()
    assert sent.status_code == 302 and sent["Location"].endswith(booking.public_id + "/")
    assert booking.quoted_price == 300_000 and booking.status == S.PENDING
    assert booking.contact_phone == "+6281234567890"


def test_a_refused_request_keeps_what_was_typed_and_says_why(client, workshop, day):
    client.force_login(sf.requester())
    url = reverse("spaces:request", args=["ruang-workshop"])
    body = client.post(
        url,
        {
            "day": f"{day:%Y-%m-%d}",
            "start_time": "06:00",
            "end_time": "07:00",
            "title": "Senam Pagi",
            "contact_name": "Andi",
            "contact_phone": "081234567890",
            "attendees": "25",
            "use_class": UseClass.FREE,
            "weeks": "1",
            "request_letter": sf.letter(),
        },
    ).content.decode()
    assert "Di luar jam buka" in body and 'value="Senam Pagi"' in body


def test_the_request_letter_is_for_the_requester_and_the_manager(
    client, workshop, day, space_manager
):
    booking = sf.request(workshop.space, sf.at(day, 10), sf.at(day, 12))
    url = reverse("spaces:booking_letter", args=[booking.public_id])
    assert client.get(url).status_code == 302
    client.force_login(sf.requester())
    assert client.get(url).status_code == 404
    client.force_login(booking.requester)
    response = client.get(url)
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("attachment")
    client.force_login(space_manager)
    assert client.get(url).status_code == 200


def test_the_front_desk_checks_in_and_releases_a_no_show(client, workshop, day, space_manager):
    now = timezone.now()
    booking = sf.direct(
        workshop.space,
        sf.at(day, 10),
        sf.at(day, 12),
        by=space_manager,
        title="Workshop Podcast",
    )
    # Pretend the clock: it started 40 minutes ago, nobody came.
    Booking.objects.filter(pk=booking.pk).update(
        starts_at=now - timedelta(minutes=40),
        ends_at=now + timedelta(minutes=80),
        until=now + timedelta(minutes=110),
    )
    client.force_login(space_manager)
    desk = client.get(reverse("spaces:manage_desk")).content.decode()
    assert "Workshop Podcast" in desk and "Lepas (tidak hadir)" in desk
    client.post(reverse("spaces:release", args=[booking.public_id]))
    booking.refresh_from_db()
    assert booking.status == S.RELEASED
    from ekraf.core.models import OutboxMessage
    from ekraf.spaces import selectors

    assert OutboxMessage.objects.filter(kind="room.released").exists()
    assert selectors.no_shows([booking.requester_id]) == {booking.requester_id: 1}


def test_check_in_once_at_the_desk(client, workshop, day, space_manager):
    now = timezone.now()
    booking = sf.direct(workshop.space, sf.at(day, 10), sf.at(day, 12), by=space_manager)
    Booking.objects.filter(pk=booking.pk).update(
        starts_at=now - timedelta(minutes=5), ends_at=now + timedelta(hours=1)
    )
    booking.refresh_from_db()
    assert services.check_in(space_manager, booking)[1] is True
    assert services.check_in(space_manager, booking)[1] is False
    booking.refresh_from_db()
    assert not services.can_release(booking, now + timedelta(minutes=40))  # it came


def test_the_manager_approves_from_the_queue_page(client, workshop, day, space_manager):
    a = sf.request(workshop.space, sf.at(day, 9), sf.at(day, 11), title="Kopdar Fotografer")
    b = sf.request(workshop.space, sf.at(day, 10), sf.at(day, 12), title="Kelas Menjahit")
    client.force_login(space_manager)
    queue = client.get(reverse("spaces:manage_queue")).content.decode()
    assert "2 saling bentrok" in queue
    page = client.get(reverse("spaces:approve", args=[a.public_id])).content.decode()
    assert "akan DITOLAK" in page and "Kelas Menjahit" in page
    client.post(reverse("spaces:approve", args=[a.public_id]))
    b.refresh_from_db()
    assert b.status == S.DECLINED
    detail = client.get(reverse("spaces:booking", args=[b.public_id])).content.decode()
    assert "Bentrok dengan pemakaian lain yang disetujui" in detail
