"""Every existing room gets its booking rules (default hours), and every existing training
session in a room (of a training not cancelled) gets its hold in the bookings table, so the
no-overlap guarantee covers what was scheduled before this app. Sessions that already overlap
another in the same room (the old check let two sessions of one training overlap) are listed
and left without a hold rather than failing the migration."""

from datetime import time

from django.db import migrations

DEFAULT_HOURS = {day: (time(8), time(21)) for day in range(6)}


def forwards(apps, schema_editor):
    from ekraf.core.ids import random_code

    Space = apps.get_model("core", "Space")
    Room = apps.get_model("spaces", "Room")
    OpeningHours = apps.get_model("spaces", "OpeningHours")
    Booking = apps.get_model("spaces", "Booking")
    Session = apps.get_model("trainings", "Session")
    for space in Space.objects.all():
        room, created = Room.objects.get_or_create(space=space)
        if created:
            OpeningHours.objects.bulk_create(
                OpeningHours(room=room, weekday=day, opens=opens, closes=closes)
                for day, (opens, closes) in DEFAULT_HOURS.items()
            )
    held = {}  # space_id -> [(start, until)]
    rows = []
    sessions = (
        Session.objects.filter(space__isnull=False)
        .exclude(training__status="cancelled")
        .select_related("training__agency")
        .order_by("starts_at", "pk")
    )
    for session in sessions:
        taken = held.setdefault(session.space_id, [])
        if any(s < session.ends_at and session.starts_at < u for s, u in taken):
            print(f"\n  sesi {session.public_id} bertabrakan di ruangnya: tanpa penahanan ruang")
            continue
        taken.append((session.starts_at, session.ends_at))
        training = session.training
        rows.append(
            Booking(
                public_id=random_code(12),
                space_id=session.space_id,
                session_id=session.pk,
                source="training",
                status="approved",
                starts_at=session.starts_at,
                ends_at=session.ends_at,
                until=session.ends_at,  # rooms start with no buffer
                title=(training.title + (f": {session.title}" if session.title else ""))[:200],
                organisation=training.agency.short_name if training.agency_id else "",
            )
        )
    Booking.objects.bulk_create(rows, batch_size=500)


def backwards(apps, schema_editor):
    apps.get_model("spaces", "Booking").objects.filter(source="training").delete()


class Migration(migrations.Migration):
    dependencies = [("spaces", "0001_initial"), ("trainings", "0002_registration_details")]

    operations = [migrations.RunPython(forwards, backwards)]
