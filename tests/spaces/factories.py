"""Factories for spaces tests: rooms with known rules, a request letter, requests and the people
who make and decide them. Times are on a Monday a week or more ahead, in WIB, so they fall in the
rooms' default opening hours (Monday to Saturday, 08.00–21.00)."""

import io
import itertools
from datetime import datetime, time, timedelta

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from ekraf.core.models import Space
from ekraf.spaces import services
from ekraf.spaces.models import PriceRule, UseClass
from tests import factories

_seq = itertools.count(1)


def monday(weeks_ahead: int = 1) -> datetime.date:
    today = timezone.localdate()
    return today + timedelta(days=7 * weeks_ahead - today.weekday())


def at(day, hour: int, minute: int = 0) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(hour, minute)))


def room(code: str = "ruang-workshop", **rules):
    factories.ensure_city()
    space = Space.objects.get(code=code)
    r = services.room_of(space)
    for name, value in rules.items():
        setattr(r, name, value)
    if rules:
        r.save()
    return r


def letter(name: str = "surat.pdf") -> SimpleUploadedFile:
    from reportlab.pdfgen import canvas

    out = io.BytesIO()
    doc = canvas.Canvas(out)
    doc.drawString(72, 720, "Surat permohonan pemakaian ruang")
    doc.showPage()
    doc.save()
    return SimpleUploadedFile(name, out.getvalue(), content_type="application/pdf")


def requester(prefix: str = "pemohon", **extra):
    return factories.user(prefix, role="creator", **extra)


def manager():
    return factories.user("ruang", role="space_manager")


def price(space, hour=150_000, day=900_000, weekend_hour=None, weekend_day=None) -> PriceRule:
    return PriceRule.objects.update_or_create(
        space=space,
        use_class=UseClass.COMMERCIAL,
        defaults={
            "hour_rate": hour,
            "day_rate": day,
            "weekend_hour_rate": weekend_hour,
            "weekend_day_rate": weekend_day,
        },
    )[0]


def data(space, start, end, **fields) -> services.BookingInput:
    n = next(_seq)
    fields.setdefault("title", f"Kegiatan Komunitas {n}")
    fields.setdefault("attendees", 10)
    fields.setdefault("use_class", UseClass.FREE)
    fields.setdefault("contact_phone", "0812 3456 7890")
    if fields["use_class"] == UseClass.FREE and "letter" not in fields:
        fields["letter"] = letter()
    return services.BookingInput(space=space, starts_at=start, ends_at=end, **fields)


def request(space, start, end, *, user=None, now=None, **fields):
    return services.submit_request(user or requester(), data(space, start, end, **fields), now=now)


def direct(space, start, end, *, by=None, **fields):
    fields.setdefault("letter", None)
    return services.submit_request(by or manager(), data(space, start, end, **fields), direct=True)


def month_availability_url(day) -> str:
    """The centre's availability API for the calendar month of `day` (midnight to midnight)."""
    from urllib.parse import urlencode

    from ekraf.spaces.selectors import local_midnight

    first = day.replace(day=1)
    following = (first + timedelta(days=32)).replace(day=1)
    start, end = local_midnight(first), local_midnight(following)
    return "/api/v1/spaces/availability?" + urlencode(
        {"from": start.isoformat(), "to": end.isoformat()}
    )
