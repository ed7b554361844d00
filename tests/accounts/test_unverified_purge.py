"""Accounts whose e-mail was never verified are deleted after UNVERIFIED_ACCOUNT_DAYS by the
periodic job `accounts.purge_unverified`; verified, signed-in, staff-made or busy ones stay."""

from datetime import timedelta

import pytest
from django.utils import timezone

from ekraf.accounts import retention
from ekraf.accounts.models import User
from ekraf.core import periodic
from ekraf.core.models import AuditEvent
from tests import factories

pytestmark = pytest.mark.django_db


def _aged(user, days):
    User.objects.filter(pk=user.pk).update(date_joined=timezone.now() - timedelta(days=days))
    return user


def test_unverified_accounts_are_purged_after_the_set_time(settings, diskominfo):
    from tests.trainings import factories as tf

    settings.UNVERIFIED_ACCOUNT_DAYS = 14
    stale = _aged(factories.user("lupa", verified=False), 15)
    young = _aged(factories.user("baru", verified=False), 3)
    verified = _aged(factories.user("aktif"), 30)
    signed_in = _aged(factories.user("pernah", verified=False, last_login=timezone.now()), 30)
    staff_made = _aged(factories.user("impor", verified=False), 30)
    staff_made.set_unusable_password()
    staff_made.save()
    registered = _aged(factories.user("daftar", verified=False), 30)
    tf.register(
        tf.training(diskominfo),
        registered,
        actor=factories.user("org", role="organiser", agency=diskominfo),
    )

    assert "accounts.purge_unverified" in {job.name for job in periodic.jobs()}
    assert retention.purge_unverified() == 1
    assert not User.objects.filter(pk=stale.pk).exists()
    for kept in (young, verified, signed_in, staff_made, registered):
        assert User.objects.filter(pk=kept.pk).exists()
    assert AuditEvent.objects.filter(action="accounts.unverified_purged").count() == 1
    assert retention.purge_unverified() == 0  # idempotent
