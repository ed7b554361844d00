"""No seat sold twice, proven on PostgreSQL with real concurrent connections.

Each worker thread has its own database connection (Django's connections are per thread) and
calls the real services: no mocks. The threads wait at a barrier so their requests hit the
database together. Each test asks for as many threads as it has attempts, but a thread holds a
connection and PostgreSQL's default is 100 shared with anything else running, so the count is
capped by the server's free connection slots (keeping 20 spare): typically 60-75 threads here.
Each thread fires its share of the attempts back to back, so at any moment as many attempts are
in flight as there are threads, always far more than there are seats.
"""

import threading
from collections import Counter

import pytest
from django.db import connection

from ekraf.core.errors import Conflict, DomainError
from ekraf.core.models import OutboxMessage
from ekraf.trainings import services
from ekraf.trainings.models import Attendance, Registration
from tests.trainings import factories as tf

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("one_connection_per_thread"),
]
S = Registration.Status


def _free_connections() -> int:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT current_setting('max_connections')::int - count(*) FROM pg_stat_activity"
        )
        return cursor.fetchone()[0]


def _workers(wanted: int) -> int:
    return max(4, min(wanted, _free_connections() - 20))


def run_concurrently(tasks, workers):
    """Run callables on `workers` threads (own connection each), all starting together.
    Returns (results, errors) in no particular order."""
    chunks = [tasks[i::workers] for i in range(workers)]
    barrier = threading.Barrier(workers)
    results, errors = [], []
    lock = threading.Lock()

    def work(chunk):
        try:
            connection.ensure_connection()  # connect before the start line
            barrier.wait(timeout=60)
            for task in chunk:
                try:
                    outcome = task()
                except Exception as exc:  # noqa: BLE001 - collected and asserted on
                    with lock:
                        errors.append(exc)
                else:
                    with lock:
                        results.append(outcome)
        finally:
            connection.close()

    threads = [threading.Thread(target=work, args=(chunk,)) for chunk in chunks]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=300)
    assert not any(t.is_alive() for t in threads), "a worker hung"
    return results, errors


def test_240_concurrent_registrations_for_30_seats(diskominfo):
    training = tf.training(diskominfo, categories=(("Umum", 30),))
    people = [tf.person("serbu") for _ in range(240)]
    tasks = [(lambda user=user: tf.register(training, user)) for user in people]
    results, errors = run_concurrently(tasks, _workers(240))
    assert errors == []
    assert len(results) == 240
    counts = Counter(
        Registration.objects.filter(training=training).values_list("status", flat=True)
    )
    assert counts == {S.CONFIRMED: 30, S.WAITLISTED: 210}
    # Everyone was told once, with the status they got.
    kinds = Counter(
        OutboxMessage.objects.filter(
            dedupe_key__startswith=f"trn:{training.public_id}:"
        ).values_list("kind", flat=True)
    )
    assert kinds == {"training.confirmed": 30, "training.waitlisted": 210}
    # Waiting-list positions are a permutation of 1..210 (each decided under the lock).
    positions = sorted(
        int(body.split("urutan ke-")[1].split()[0].rstrip("."))
        for body in OutboxMessage.objects.filter(kind="training.waitlisted").values_list(
            "body", flat=True
        )
    )
    assert positions == list(range(1, 211))


def test_two_categories_fill_independently_and_exactly(diskominfo):
    """The registration rush of issue 5 in small: two categories, each exact."""
    training = tf.training(diskominfo, categories=(("Umum", 14), ("ASN", 6)))
    umum, asn = training.categories.order_by("position")
    people = [tf.person("rush") for _ in range(200)]
    tasks = [
        (lambda user=user, i=i: tf.register(training, user, category=umum if i % 2 else asn))
        for i, user in enumerate(people)
    ]
    results, errors = run_concurrently(tasks, _workers(200))
    assert errors == []
    held = Counter(
        Registration.objects.filter(training=training, status=S.CONFIRMED).values_list(
            "category__name", flat=True
        )
    )
    assert held == {"Umum": 14, "ASN": 6}
    assert Registration.objects.filter(training=training, status=S.WAITLISTED).count() == 180


def test_the_same_person_on_two_phones_gets_one_registration(diskominfo):
    training = tf.training(diskominfo, categories=(("Umum", 30),))
    people = [tf.person("dobel") for _ in range(20)]
    tasks = [(lambda user=user: tf.register(training, user)) for user in people for _ in range(4)]
    results, errors = run_concurrently(tasks, _workers(40))
    assert all(isinstance(e, Conflict) and "sudah terdaftar" in e.message for e in errors)
    assert len(results) == 20 and len(errors) == 60
    per_person = Counter(
        Registration.objects.filter(training=training).values_list("user", flat=True)
    )
    assert set(per_person.values()) == {1}


def test_concurrent_cancellations_offer_each_freed_seat_exactly_once(diskominfo):
    training = tf.training(diskominfo, categories=(("Umum", 30),))
    confirmed = [tf.register(training) for _ in range(30)]
    waiting = [tf.register(training) for _ in range(40)]
    leavers = confirmed[:20]
    newcomers = [tf.person("telat") for _ in range(20)]
    tasks = [(lambda r=r: services.cancel_registration(r.user, r)) for r in leavers]
    # Meanwhile others register, and two schedulers run the offer-expiry job.
    tasks += [(lambda user=user: tf.register(training, user)) for user in newcomers]
    tasks += [services.expire_offers, services.expire_offers]
    results, errors = run_concurrently(tasks, _workers(42))
    assert errors == []
    statuses = dict(Registration.objects.filter(training=training).values_list("pk", "status"))
    # Exactly the first 20 in the queue hold the 20 freed seats; nobody else does.
    assert [statuses[r.pk] for r in waiting[:20]] == [S.OFFERED] * 20
    assert [statuses[r.pk] for r in waiting[20:]] == [S.WAITLISTED] * 20
    held = [pk for pk, status in statuses.items() if status in Registration.HOLDS_SEAT]
    assert len(held) == 30
    newcomer_statuses = Registration.objects.filter(user__in=newcomers).values_list(
        "status", flat=True
    )
    assert set(newcomer_statuses) == {S.WAITLISTED}
    offers = OutboxMessage.objects.filter(kind="training.offer")
    assert offers.count() == 20
    assert len(set(offers.values_list("recipient", flat=True))) == 20


def test_concurrent_declines_and_expiry_pass_each_seat_on_once(diskominfo):
    training = tf.training(diskominfo, categories=(("Umum", 10),))
    confirmed = [tf.register(training) for _ in range(10)]
    waiting = [tf.register(training) for _ in range(30)]
    for r in confirmed:
        services.cancel_registration(r.user, r)
    offered = list(Registration.objects.filter(training=training, status=S.OFFERED))
    assert len(offered) == 10
    tasks = [(lambda r=r: services.decline_offer(r)) for r in offered]
    tasks += [services.expire_offers] * 4
    tasks += [(lambda r=r: services.decline_offer(r)) for r in offered]  # double clicks
    results, errors = run_concurrently(tasks, _workers(24))
    assert all(isinstance(e, DomainError) and e.code == "offer_gone" for e in errors)
    statuses = dict(Registration.objects.filter(training=training).values_list("pk", "status"))
    assert [statuses[r.pk] for r in waiting[:10]] == [S.CANCELLED] * 10
    assert [statuses[r.pk] for r in waiting[10:20]] == [S.OFFERED] * 10
    assert [statuses[r.pk] for r in waiting[20:]] == [S.WAITLISTED] * 10
    assert OutboxMessage.objects.filter(kind="training.offer").count() == 20


def test_two_phones_scanning_the_same_ticket_count_it_once(diskominfo, organiser):
    training = tf.training(diskominfo, categories=(("Umum", 30),))
    tickets = [tf.register(training) for _ in range(5)]
    session = training.sessions.first()
    tasks = [
        (lambda r=r: services.check_in(organiser, session, r.ticket_code))
        for r in tickets
        for _ in range(6)
    ]
    results, errors = run_concurrently(tasks, _workers(30))
    assert errors == []
    outcomes = Counter(result.outcome for result in results)
    assert outcomes == {"checked_in": 5, "already": 25}
    assert Attendance.objects.filter(session=session).count() == 5
