"""Shared fixtures: the city's reference data, users in each role, isolated file storage."""

import pytest
from django.conf import settings as django_settings
from django.db import connection
from django.test import Client

from tests import factories

_force_login = Client.force_login


def _force_login_with_second_step(self, user, backend=None):
    """`force_login` stands for a finished sign-in, the second step (two-factor) included:
    tests of that step sign in through the pages (tests/accounts/test_two_factor.py)."""
    from django_otp import DEVICE_ID_SESSION_KEY

    from ekraf.accounts import two_factor

    _force_login(self, user, backend)
    session = self.session
    session.pop(two_factor.STATE_KEY, None)
    session[DEVICE_ID_SESSION_KEY] = "tests.force_login/0"
    session.save()


Client.force_login = _force_login_with_second_step


@pytest.fixture(autouse=True)
def _isolated_media(settings, tmp_path):
    """Uploaded and generated files go to a per-test folder, never to var/."""
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def city(db):
    """The packaged Kota Malang reference data (loaded once per database, cheap after that)."""
    return factories.ensure_city()


@pytest.fixture
def diskominfo(city):
    return factories.agency("diskominfo")


@pytest.fixture
def diskopindag(city):
    return factories.agency("diskopindag")


@pytest.fixture
def organiser(diskominfo):
    return factories.user("organiser", role="organiser", agency=diskominfo)


@pytest.fixture
def other_organiser(diskopindag):
    return factories.user("organiser2", role="organiser", agency=diskopindag)


@pytest.fixture
def admin_user(city):
    return factories.user("admin", role="admin")


@pytest.fixture
def creator_user(city):
    return factories.user("kreator", role="creator")


def pytest_collection_modifyitems(config, items):
    """Tests marked `postgres` skip cleanly on SQLite; CI runs them on PostgreSQL."""
    on_postgres = django_settings.DATABASES["default"]["ENGINE"].endswith("postgresql")
    if on_postgres:
        return
    skip = pytest.mark.skip(reason="needs PostgreSQL (set DATABASE_URL); CI runs it")
    for item in items:
        if "postgres" in item.keywords:
            item.add_marker(skip)


@pytest.fixture
def on_postgres():
    return connection.vendor == "postgresql"


@pytest.fixture(autouse=True)
def _worker_keeps_the_test_connection(monkeypatch):
    """Tests run `db_worker --batch` in-process. The worker calls close_old_connections(), which
    closes any connection caught inside a transaction — in a test, the test's own transaction —
    so on PostgreSQL every query after the worker failed ("the connection is closed")."""
    monkeypatch.setattr(
        "django_tasks_db.management.commands.db_worker.close_old_connections", lambda: None
    )


@pytest.fixture(autouse=True)
def _fresh_city_memo():
    """current_city() is memoised per process; each test's rolled-back transaction takes its
    city away without a signal, so every test starts (and ends) with no memo."""
    from ekraf.core import selectors

    selectors.clear_city_memo()
    yield
    selectors.clear_city_memo()


@pytest.fixture(autouse=True)
def _default_language():
    """A request made in English leaves English active in this thread (the middleware sets the
    language per request and never resets it): every test starts and ends in Indonesian."""
    from django.utils import translation

    translation.deactivate()
    yield
    translation.deactivate()


@pytest.fixture
def one_connection_per_thread(django_db_setup):
    """The concurrency tests need as many real connections as they start threads, all open at
    once (that is the race they prove). The settings' bounded pool (4 per process, as in
    production) would make the threads queue for a connection instead, so it is set aside for
    the test: each thread connects on its own, and the pool comes back afterwards."""
    options = connection.settings_dict.get("OPTIONS", {})
    pool = options.get("pool") if connection.vendor == "postgresql" else None
    if not pool:
        yield
        return
    connection.close()
    connection.close_pool()
    del options["pool"]  # the settings dict is shared by every thread's connection
    try:
        yield
    finally:
        connection.close()
        options["pool"] = pool
