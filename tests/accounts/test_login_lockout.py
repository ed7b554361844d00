"""Sign-in lockout (django-axes in the authentication backends) and e-mail link throttles.

Every sign-in path — the site's form, /admin/login/, the API token endpoint — goes through the
same backends, so the lockout cannot be skipped: five failed sign-ins for one account from one
address within 15 minutes lock that account *from that address* for 15 minutes, with the same
answer whether the account exists or not. From another address the account still signs in:
knowing an official's username is not enough to lock the official out. An account guessed at
from many addresses is only slowed down, and not at the addresses it signed in from before.
Password-reset and verification e-mails are limited per e-mail address and per client address.
Counts live in the shared cache and are claimed atomically, on the database cache and on Redis.
"""

import datetime as dt
import shutil
import socket
import subprocess
import threading
import time

import pytest
from axes.models import AccessAttempt
from django.conf import settings as django_settings
from django.core import mail
from django.core.cache import caches
from django.db import connection
from django.urls import reverse

from ekraf.core import notifications, throttle
from tests import factories

pytestmark = pytest.mark.django_db

LOGIN = reverse("accounts:login")
ADMIN_LOGIN = reverse("admin:login")
TOKEN = "/api/v1/auth/token"
LOCKED = "Terlalu banyak percobaan masuk yang gagal"
SLOWED = "Akun ini sedang dicoba dari banyak tempat"
WRONG = "Email/nama pengguna atau kata sandi salah."


@pytest.fixture
def clock(monkeypatch):
    now = [1_700_000_000.0]
    monkeypatch.setattr(throttle, "clock", lambda: now[0])

    def advance(minutes):
        now[0] += minutes * 60

    return advance


@pytest.fixture
def person(city):
    return factories.user("budi", role="creator")


def login(client, username, password, **extra):
    return client.post(LOGIN, {"username": username, "password": password}, **extra)


def answer(response) -> tuple[int, str]:
    body = response.content.decode()
    if LOCKED in body:
        return response.status_code, "locked"
    if WRONG in body:
        return response.status_code, "wrong"
    return response.status_code, "other"


def later(minutes):
    """Axes judges its attempts by their time: move them into the past."""
    for attempt in AccessAttempt.objects.all():
        AccessAttempt.objects.filter(pk=attempt.pk).update(
            attempt_time=attempt.attempt_time - dt.timedelta(minutes=minutes)
        )


def token(client, username, password, **extra):
    return client.post(
        TOKEN,
        {"username": username, "password": password},
        content_type="application/json",
        **extra,
    )


def signed_in(client) -> bool:
    return "_auth_user_id" in client.session


def test_the_lockout_is_the_first_authentication_backend():
    assert django_settings.AUTHENTICATION_BACKENDS[0] == "axes.backends.AxesStandaloneBackend"
    assert django_settings.AXES_LOCKOUT_PARAMETERS == [["username", "ip_address"]]


def test_five_failures_lock_the_account_from_that_address_for_fifteen_minutes(client, person):
    answers = [answer(login(client, person.username, f"salah-{n}")) for n in range(5)]
    assert answers == [(200, "wrong")] * 4 + [(429, "locked")]
    # Locked: even the right password is refused, and nobody is signed in.
    response = login(client, person.username, factories.PASSWORD)
    assert answer(response) == (429, "locked")
    assert "15 menit" in response.content.decode()
    assert not signed_in(client)
    later(14)
    response = login(client, person.email, factories.PASSWORD)  # the e-mail names it too
    assert answer(response) == (429, "locked")
    later(1.1)
    assert login(client, person.username, factories.PASSWORD).status_code == 302


def test_someone_elsewhere_cannot_lock_the_official_out(client, person, settings):
    settings.TRUSTED_PROXIES = 1
    for n in range(30):
        login(
            client,
            person.username,
            f"salah-{n}",
            # Whatever the client writes left of our proxy's entry changes nothing.
            HTTP_X_FORWARDED_FOR=f"198.51.100.{n}, 203.0.113.9",
            REMOTE_ADDR="10.0.0.1",
        )
    attacker = {"REMOTE_ADDR": "10.0.0.1", "HTTP_X_FORWARDED_FOR": "203.0.113.9"}
    assert answer(login(client, person.username, factories.PASSWORD, **attacker))[1] == "locked"
    office = {"REMOTE_ADDR": "10.0.0.1", "HTTP_X_FORWARDED_FOR": "203.0.113.77"}
    assert login(client, person.username, factories.PASSWORD, **office).status_code == 302


def test_an_unknown_name_gets_exactly_the_same_answers(client, person):
    def sequence(username):
        return [answer(login(client, username, f"salah-{n}")) for n in range(6)]

    assert sequence("tidak-ada@contoh.id") == sequence(person.username)


def test_username_and_email_share_one_count(client, person):
    for n in range(2):
        login(client, person.username, f"salah-{n}")
        login(client, person.email.upper(), f"salah-lagi-{n}")
    assert answer(login(client, person.email, "salah-terakhir")) == (429, "locked")


def test_a_success_clears_the_accounts_failures(client, person):
    for n in range(4):
        login(client, person.username, f"salah-{n}")
    assert login(client, person.username, factories.PASSWORD).status_code == 302
    client.logout()
    answers = [answer(login(client, person.username, f"lagi-{n}")) for n in range(4)]
    assert answers == [(200, "wrong")] * 4


def test_thirty_wrong_passwords_on_admin_login_then_the_right_one_is_refused(client, admin_user):
    for n in range(30):
        client.post(ADMIN_LOGIN, {"username": admin_user.username, "password": f"salah-{n}"})
    response = client.post(
        ADMIN_LOGIN, {"username": admin_user.username, "password": factories.PASSWORD}
    )
    assert response.status_code == 429
    assert LOCKED in response.content.decode()
    assert not signed_in(client)


def test_the_api_token_endpoint_is_locked_by_the_same_backend(client, person):
    answers = [token(client, person.username, f"salah-{n}").status_code for n in range(5)]
    assert answers[:4] == [400] * 4 and answers[4] == 429
    response = token(client, person.username, factories.PASSWORD)
    assert response.status_code == 429
    assert response.json()["code"] == "too_many_attempts"


def test_failures_on_one_path_count_on_every_other(client, admin_user, person):
    """The count is the backend's, not a page's: site form, admin and API share it."""
    for n in range(2):
        login(client, person.username, f"salah-{n}")
        client.post(ADMIN_LOGIN, {"username": person.username, "password": f"admin-{n}"})
    token(client, person.username, "salah-api")
    assert token(client, person.username, factories.PASSWORD).status_code == 429
    assert answer(login(client, person.username, factories.PASSWORD))[1] == "locked"


def test_an_account_guessed_from_everywhere_is_slowed_down_not_locked(
    client, person, clock, settings
):
    settings.TRUSTED_PROXIES = 1
    settings.LOGIN_SLOWDOWN_AFTER = 10
    settings.LOGIN_SLOWDOWN_SECONDS = 30

    def at(address):
        return {"REMOTE_ADDR": "10.0.0.1", "HTTP_X_FORWARDED_FOR": address}

    office = at("203.0.113.77")
    assert login(client, person.username, factories.PASSWORD, **office).status_code == 302
    client.logout()
    for n in range(10):  # two guesses from each of five addresses: no address is locked
        login(client, person.username, f"salah-{n}", **at(f"198.51.100.{n // 2}"))
    # A new address: one attempt goes through, the next within 30 s is refused unchecked.
    assert answer(login(client, person.username, "salah-lagi", **at("192.0.2.1"))) == (
        200,
        "wrong",
    )
    response = login(client, person.username, factories.PASSWORD, **at("192.0.2.2"))
    assert response.status_code == 429 and SLOWED in response.content.decode()
    # The official's own address is not slowed: they sign in at once.
    assert login(client, person.username, factories.PASSWORD, **office).status_code == 302
    client.logout()
    clock(0.6)
    assert login(client, person.username, factories.PASSWORD, **at("192.0.2.2")).status_code == 302


def test_a_password_reset_ends_the_lockout(client, person):
    for n in range(5):
        login(client, person.username, f"salah-{n}")
    assert answer(login(client, person.username, factories.PASSWORD))[1] == "locked"
    client.post(reverse("accounts:password_reset"), {"email": person.email})
    link = next(line for line in mail.outbox[-1].body.split() if "/atur-sandi/" in line)
    path = link[link.index("/atur-sandi/") :]
    form_url = client.get(path)["Location"]
    response = client.post(
        form_url, {"new_password1": "Sandi-Baru-2025!", "new_password2": "Sandi-Baru-2025!"}
    )
    assert response.status_code == 302
    assert login(client, person.username, "Sandi-Baru-2025!").status_code == 302


def test_password_reset_emails_are_limited_per_email_and_per_address(client, person, clock):
    url = reverse("accounts:password_reset")
    statuses = [client.post(url, {"email": person.email}).status_code for _ in range(4)]
    assert statuses == [302, 302, 302, 429]
    assert len(mail.outbox) == 3
    response = client.post(url, {"email": person.email})
    assert "Terlalu banyak permintaan email" in response.content.decode()
    # An address no one has: the very same answers (nothing tells who is registered).
    statuses = [client.post(url, {"email": "siapa@contoh.id"}).status_code for _ in range(4)]
    assert statuses == [302, 302, 302, 429]
    # Per client address: 10 requests an hour, whatever the e-mails.
    other = {"REMOTE_ADDR": "192.0.2.5"}
    statuses = [
        client.post(url, {"email": f"orang{n}@contoh.id"}, **other).status_code for n in range(11)
    ]
    assert statuses == [302] * 10 + [429]
    clock(61)
    assert client.post(url, {"email": person.email}).status_code == 302


def test_verification_emails_are_limited_too(client, city, clock):
    person = factories.user("belum", role="creator", verified=False)
    url = reverse("accounts:resend_verification")
    statuses = [client.post(url, {"email": person.email}).status_code for _ in range(4)]
    assert statuses == [302, 302, 302, 429]
    assert notifications.send_pending() == 3
    assert len(mail.outbox) == 3
    statuses = [client.post(url, {"email": "siapa@contoh.id"}).status_code for _ in range(4)]
    assert statuses == [302, 302, 302, 429]


# --- the counting itself, on each cache backend -------------------------------------------------


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def redis_url():
    binary = shutil.which("redis-server")
    if binary is None:
        pytest.skip("redis-server is not installed")
    port = _free_port()
    process = subprocess.Popen(
        [binary, "--port", str(port), "--save", "", "--appendonly", "no"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        for _ in range(100):
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.1).close()
                break
            except OSError:
                time.sleep(0.05)
        yield f"redis://127.0.0.1:{port}/0"
    finally:
        process.terminate()
        process.wait(timeout=10)


@pytest.fixture(params=["database", "redis"])
def backend(request, settings, monkeypatch):
    if request.param == "redis":
        url = request.getfixturevalue("redis_url")
        settings.CACHES = settings.CACHES | {
            "throttle-test": {
                "BACKEND": "django.core.cache.backends.redis.RedisCache",
                "LOCATION": url,
            }
        }
        monkeypatch.setattr(throttle, "CACHE", "throttle-test")
        caches["throttle-test"].clear()
    else:
        assert "DatabaseCache" in settings.CACHES["default"]["BACKEND"]
    return request.param


def test_a_budget_counts_within_its_window_and_then_starts_again(backend, clock):
    budget = throttle.Budget("uji", 3, 15 * 60)
    slots = [budget.take("a") for _ in range(4)]
    assert [s.number for s in slots[:3]] == [1, 2, 3]
    assert [s.last for s in slots[:3]] == [False, False, True]
    assert slots[3] is None
    assert budget.take("b").number == 1  # per identity
    budget.give_back(slots[0])
    assert budget.take("a").number == 1  # a slot given back is free again
    clock(14)
    assert budget.take("a") is None
    assert budget.retry_after("a") == 60
    clock(1.01)
    assert budget.take("a").number == 1  # the window started with the first attempt


def test_a_lockout_holds_until_its_end(backend, clock):
    lockout = throttle.Lockout("uji", 15 * 60)
    assert throttle.locked_for((lockout, "a")) == 0
    lockout.lock("a")
    clock(5)
    assert throttle.locked_for((lockout, "a"), (lockout, "b")) == 10 * 60
    clock(10)
    assert throttle.locked_for((lockout, "a")) == 0


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_parallel_attempts_never_claim_more_than_the_budget_on_the_database_cache():
    """Twenty requests at once against a budget of five: exactly five get through."""
    budget = throttle.Budget("paralel", 5, 15 * 60)
    results, barrier = [], threading.Barrier(20)

    def attempt():
        try:
            barrier.wait()
            results.append(budget.take("sasaran"))
        finally:
            connection.close()

    threads = [threading.Thread(target=attempt) for _ in range(20)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    claimed = [r for r in results if r is not None]
    assert len(results) == 20 and len(claimed) == 5
    assert sorted(s.number for s in claimed) == [1, 2, 3, 4, 5]


def test_parallel_attempts_never_claim_more_than_the_budget_on_redis(
    redis_url, settings, monkeypatch
):
    settings.CACHES = settings.CACHES | {
        "throttle-test": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": redis_url,
        }
    }
    monkeypatch.setattr(throttle, "CACHE", "throttle-test")
    caches["throttle-test"].clear()
    budget = throttle.Budget("paralel", 5, 15 * 60)
    results, barrier = [], threading.Barrier(20)

    def attempt():
        barrier.wait()
        results.append(budget.take("sasaran"))

    threads = [threading.Thread(target=attempt) for _ in range(20)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    claimed = [r for r in results if r is not None]
    assert len(results) == 20 and len(claimed) == 5
