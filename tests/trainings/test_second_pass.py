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
