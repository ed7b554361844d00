"""Point 1 and the rules of point 2: each room (from the city data) has its rules, hours,
closures, photos and prices; a request that breaks a rule is refused with the rule."""

from datetime import timedelta

import pytest
from django.conf import settings
from django.utils import timezone

from ekraf.core.errors import DomainError
from ekraf.core.models import Space
from ekraf.core.services import load_city
from ekraf.spaces import services
from ekraf.spaces.models import Blackout, Booking, Room, UseClass
from tests.spaces import factories as sf

pytestmark = pytest.mark.django_db


def test_every_room_of_the_city_data_has_its_booking_rules(city):
    assert Room.objects.count() == Space.objects.count() == 11
    room = Room.objects.get(space__code="auditorium")
    assert room.needs_approval and room.hold_hours == 48
    assert sorted(room.hours.values_list("weekday", flat=True)) == [0, 1, 2, 3, 4, 5]
    # Reloading the city's CSV changes nothing and keeps the rules.
    room.buffer_minutes = 45
    room.save()
    report = load_city(settings.EKRAF_CITY_DATA_DIR)
    assert not report.changed
    assert Room.objects.get(space__code="auditorium").buffer_minutes == 45


def test_a_new_room_in_the_city_data_gets_default_rules(city):
    space = Space.objects.create(code="studio-musik", name="Studio Musik", capacity=8)
    assert space.room.hours.count() == 6


def _refused(space, start, end, **fields):
    with pytest.raises(DomainError) as refused:
        sf.request(space, start, end, **fields)
    return refused.value


def test_each_rule_refuses_with_its_own_reason(workshop, day):
    space = workshop.space
    sunday = day + timedelta(days=6)
    cases = [
        (sf.at(sunday, 10), sf.at(sunday, 12), {}, "rule_closed_day", "tutup pada hari Minggu"),
        (sf.at(day, 6), sf.at(day, 9), {}, "rule_hours", "Di luar jam buka"),
        (sf.at(day, 20), sf.at(day, 22), {}, "rule_hours", "08.00–21.00"),
        (sf.at(day, 10), sf.at(day, 10, 15), {}, "rule_too_short", "paling singkat 30 menit"),
        (sf.at(day, 8), sf.at(day, 19), {}, "rule_too_long", "paling lama 10 jam"),
        (
            sf.at(day, 10),
            sf.at(day, 12),
            {"attendees": 41},
            "rule_capacity",
            "muat paling banyak 40",
        ),
    ]
    for start, end, fields, code, words in cases:
        error = _refused(space, start, end, **fields)
        assert error.code == code, (code, error.message)
        assert words in error.message
    far = sf.monday(20)
    error = _refused(space, sf.at(far, 10), sf.at(far, 12))
    assert error.code == "rule_too_far" and "90 hari" in error.message
    assert not Booking.objects.exists()


def test_a_blackout_refuses_with_its_reason(workshop, day, space_manager):
    services.add_blackout(
        space_manager,
        workshop,
        kind=Blackout.Kind.MAINTENANCE,
        reason="Perbaikan pendingin ruangan",
        starts_at=sf.at(day, 0),
        ends_at=sf.at(day + timedelta(days=1), 0),
    )
    error = _refused(workshop.space, sf.at(day, 10), sf.at(day, 12))
    assert error.code == "rule_blackout" and "Perbaikan pendingin ruangan" in error.message
    # A closure of the whole centre (no room) closes every room.
    services.add_blackout(
        space_manager,
        None,
        kind=Blackout.Kind.HOLIDAY,
        reason="Hari Kemerdekaan",
        starts_at=sf.at(day + timedelta(days=1), 0),
        ends_at=sf.at(day + timedelta(days=2), 0),
    )
    error = _refused(
        sf.room("auditorium").space,
        sf.at(day + timedelta(days=1), 10),
        sf.at(day + timedelta(days=1), 12),
    )
    assert "Hari Kemerdekaan" in error.message


def test_free_use_needs_a_real_pdf_letter(workshop, day):
    error = _refused(workshop.space, sf.at(day, 10), sf.at(day, 12), letter=None)
    assert error.code == "letter_required"
    fake = sf.letter()
    fake.file.seek(0)
    fake = type(fake)("surat.pdf", b"<html>bukan pdf</html>", content_type="application/pdf")
    error = _refused(workshop.space, sf.at(day, 10), sf.at(day, 12), letter=fake)
    assert error.field == "request_letter" and "PDF" in error.message
    booking = sf.request(workshop.space, sf.at(day, 10), sf.at(day, 12))
    assert booking.request_letter.name.endswith(".pdf")
    assert "surat" not in booking.request_letter.name.rsplit("/", 1)[-1]  # a generated name


def test_the_price_list_per_room_and_use_class_with_weekend_rates(workshop, day):
    space = workshop.space
    sf.price(space, hour=150_000, day=900_000, weekend_hour=200_000, weekend_day=1_200_000)
    commercial = {"use_class": UseClass.COMMERCIAL, "letter": None}
    # Monday 10.00–12.30: three hours started × 150.000.
    q = services.quote_request(sf.data(space, sf.at(day, 10), sf.at(day, 12, 30), **commercial))
    assert q.total == 450_000 and q.label() == "Rp450.000"
    # Monday 08.00–18.00: ten hours would be 1.500.000; the day rate caps it.
    q = services.quote_request(sf.data(space, sf.at(day, 8), sf.at(day, 18), **commercial))
    assert q.total == 900_000
    # Saturday at the weekend rates.
    saturday = day + timedelta(days=5)
    q = services.quote_request(
        sf.data(space, sf.at(saturday, 10), sf.at(saturday, 12), **commercial)
    )
    assert q.total == 400_000
    # Free use costs nothing; a room without a commercial tariff cannot be hired commercially.
    assert services.quote_request(sf.data(space, sf.at(day, 10), sf.at(day, 12))).free
    with pytest.raises(DomainError) as refused:
        services.quote_request(
            sf.data(sf.room("perpustakaan").space, sf.at(day, 10), sf.at(day, 12), **commercial)
        )
    assert refused.value.code == "rule_no_price"


def test_the_price_is_frozen_when_approved(workshop, day, space_manager):
    space = workshop.space
    sf.price(space, hour=100_000, day=None)
    booking = sf.request(
        space, sf.at(day, 10), sf.at(day, 12), use_class=UseClass.COMMERCIAL, letter=None
    )
    assert booking.quoted_price == 200_000 and booking.price is None
    sf.price(space, hour=120_000, day=None)  # the list changes before the decision
    services.approve(space_manager, booking)
    booking.refresh_from_db()
    assert booking.price == 240_000 and booking.price_frozen_at is not None
    sf.price(space, hour=999_000, day=None)  # and again after it: the approved price holds
    booking.refresh_from_db()
    assert booking.price == 240_000


def test_the_space_manager_edits_rules_hours_and_prices(workshop, space_manager, creator_user):
    services.update_room(space_manager, workshop, {"buffer_minutes": 15, "needs_approval": False})
    workshop.refresh_from_db()
    assert workshop.buffer_minutes == 15 and not workshop.needs_approval
    from datetime import time

    services.set_hours(space_manager, workshop, {0: (time(9), time(17)), 6: None})
    assert list(workshop.hours.values_list("weekday", flat=True)) == [0]
    services.set_price(
        space_manager, workshop.space, UseClass.COMMERCIAL, services.PriceInput(hour_rate=50_000)
    )
    with pytest.raises(DomainError) as refused:
        services.set_price(
            creator_user, workshop.space, UseClass.COMMERCIAL, services.PriceInput(hour_rate=1)
        )
    assert refused.value.status == 403


def test_room_photos_pass_the_upload_gate(workshop, space_manager):
    from django.core.files.uploadedfile import SimpleUploadedFile
    from PIL import Image

    out = __import__("io").BytesIO()
    Image.new("RGB", (1200, 800), (200, 100, 50)).save(out, "JPEG")
    photo = services.add_photo(
        space_manager, workshop, SimpleUploadedFile("IMG_0001.jpg", out.getvalue()), "Tampak depan"
    )
    assert photo.image.name.startswith("public/ruang/") and photo.image.name.endswith(".jpg")
    assert "IMG_0001" not in photo.image.name
    with pytest.raises(DomainError):
        services.add_photo(space_manager, workshop, SimpleUploadedFile("x.jpg", b"GIF89a..."))


def test_a_past_start_is_refused(workshop):
    now = timezone.now()
    with pytest.raises(DomainError) as refused:
        sf.request(workshop.space, now - timedelta(hours=2), now - timedelta(hours=1))
    assert refused.value.code == "rule_past"
