"""The audit trail is a hash chain: `python -m ekraf audit verify` finds a deleted, altered or
inserted entry and names the first one; every write goes through `core.services.audit`."""

import threading

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection

from ekraf.core import auditchain
from ekraf.core.models import AuditChainHead, AuditEvent
from ekraf.core.services import audit
from tests import factories

pytestmark = pytest.mark.django_db


def _users(n=1):
    """Users for the tests, then an empty trail: making a user with a role is itself audited
    (the role grant), and these tests number their own three entries from 1."""
    made = [factories.user() for _ in range(n)]
    AuditEvent.objects.all().delete()
    AuditChainHead.objects.all().delete()
    return made


def _three(actor):
    return [
        audit(actor, "test.one", actor, detail={"n": 1}),
        audit(actor, "test.two", actor, detail={"when": "2026-01-01", "list": (1, 2)}),
        audit(None, "test.three"),
    ]


def _verify_fails() -> str:
    with pytest.raises(CommandError) as exc:
        call_command("audit", "verify")
    assert exc.value.returncode == 1
    return str(exc.value)


def test_audit_entries_are_chained_and_verify(capsys):
    (actor,) = _users()
    events = _three(actor)
    assert [e.seq for e in events] == [1, 2, 3]
    assert events[0].prev_hash == "" and events[1].prev_hash == events[0].hash
    head = AuditChainHead.objects.get()
    assert (head.seq, head.hash) == (3, events[2].hash)
    call_command("audit", "verify")
    assert "OK: 3 entries" in capsys.readouterr().out


def test_audit_verify_detects_an_altered_entry():
    (actor,) = _users()
    events = _three(actor)
    AuditEvent.objects.filter(pk=events[1].pk).update(detail={"n": 999})
    message = _verify_fails()
    assert f"entry #2 (id {events[1].pk})" in message and "altered" in message


def test_audit_verify_detects_an_altered_actor_or_time():
    actor, other = _users(2)
    events = _three(actor)
    AuditEvent.objects.filter(pk=events[0].pk).update(actor_ref=str(other.pk))
    assert "entry #1" in _verify_fails()


def test_audit_verify_detects_a_deleted_entry():
    events = _three(_users()[0])
    AuditEvent.objects.filter(pk=events[1].pk).delete()
    message = _verify_fails()
    assert "entry #2 is missing" in message and f"id {events[2].pk}" in message


def test_audit_verify_detects_deleted_newest_entries():
    events = _three(_users()[0])
    AuditEvent.objects.filter(pk=events[2].pk).delete()
    assert "newest entries deleted" in _verify_fails()


def test_audit_verify_detects_an_entry_written_around_audit():
    _three(_users()[0])
    sneaked = AuditEvent.objects.create(action="test.sneaked")
    assert f"id {sneaked.pk}" in _verify_fails()


def test_deleting_the_actor_account_keeps_the_chain_intact():
    (actor,) = _users()
    _three(actor)
    actor.delete()  # the foreign key is nulled; the hashed actor_ref stays
    assert auditchain.verify().ok


def test_existing_rows_are_chained_by_the_data_migration_function():
    AuditEvent.objects.bulk_create(
        [AuditEvent(action="old.one"), AuditEvent(action="old.two", detail={"x": [1]})]
    )
    assert not auditchain.verify().ok
    assert auditchain.chain_existing(AuditEvent, AuditChainHead) == 2
    audit(None, "new.after")
    verdict = auditchain.verify()
    assert verdict.ok and verdict.checked == 3


@pytest.mark.django_db(transaction=True)
def test_concurrent_audit_writers_do_not_fork_the_chain():
    """Writers in parallel threads (their own connections) each get their own number; on
    PostgreSQL the head row lock serialises them, on SQLite BEGIN IMMEDIATE does."""
    if connection.vendor == "sqlite" and connection.settings_dict["NAME"].startswith(
        "file:memorydb"
    ):
        pytest.skip("in-memory SQLite is not shared between threads")
    errors = []

    def write(n):
        from django.db import connection as conn

        try:
            for i in range(5):
                audit(None, "test.parallel", detail={"thread": n, "i": i})
        except Exception as exc:  # noqa: BLE001 - collected for the assertion
            errors.append(exc)
        finally:
            conn.close()

    threads = [threading.Thread(target=write, args=(n,)) for n in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors
    assert AuditEvent.objects.count() == 20
    assert sorted(AuditEvent.objects.values_list("seq", flat=True)) == list(range(1, 21))
    assert auditchain.verify().ok
