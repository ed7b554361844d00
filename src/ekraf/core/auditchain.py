"""The audit trail as a hash chain, so a deleted, altered or inserted entry shows.

Each `AuditEvent` carries `seq` (1, 2, 3 … without gaps), `prev_hash` (the previous entry's
hash; "" for the first) and `hash` = SHA-256 over the canonical JSON of its own fields
(`canonical`: sorted keys, no spaces, UTF-8, times in UTC ISO-8601 with microseconds).
Changing any hashed field breaks that entry's hash; deleting an entry leaves a gap in `seq`
and a `prev_hash` that no longer matches; deleting the newest entries is caught by
`AuditChainHead`, which remembers the last number and hash; a row written around `audit()`
has no `seq` and is reported as unchained.

Concurrency: `append` runs in a transaction that first locks the single `AuditChainHead` row
(`SELECT … FOR UPDATE` on PostgreSQL). Two writers therefore cannot read the same head and
fork the chain: the second waits until the first commits, then chains onto it. The lock is
held until the surrounding transaction commits, so audited writes serialise at their end; the
services call `audit()` after their own row locks (seats, certificates), which keeps the lock
order fixed (domain rows → chain head) and avoids deadlocks. On SQLite `select_for_update` is
a no-op, but every transaction opens with `BEGIN IMMEDIATE` (settings), which serialises
writers on the database file.

This detects tampering by anyone who can change rows but not recompute the whole chain and
the head consistently; an attacker with full write access could rewrite everything, which is
why operators keep the printed `audit verify` head (number and hash) off the machine (see
docs/privacy.md).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from dataclasses import dataclass

from django.core.serializers.json import DjangoJSONEncoder
from django.db import transaction
from django.utils.ipv6 import clean_ipv6_address

HASHED_FIELDS = (
    "seq",
    "at",
    "actor_ref",
    "action",
    "target_type",
    "target_id",
    "detail",
    "ip",
    "prev_hash",
)


def normalise_detail(detail) -> dict:
    """The detail as the database will give it back (dates as strings, tuples as lists)."""
    return json.loads(json.dumps(detail or {}, cls=DjangoJSONEncoder))


def normalise_ip(ip) -> str | None:
    if not ip:
        return None
    ip = str(ip)
    return clean_ipv6_address(ip) if ":" in ip else ip


def _time(value: dt.datetime) -> str:
    if value.tzinfo is not None:
        value = value.astimezone(dt.UTC)
    return value.replace(tzinfo=None).isoformat(timespec="microseconds")


def canonical(fields: dict) -> bytes:
    """The bytes that are hashed: the entry's fields as canonical JSON."""
    data = {name: fields.get(name) for name in HASHED_FIELDS}
    data["at"] = _time(data["at"])
    data["ip"] = normalise_ip(data["ip"])
    data["detail"] = normalise_detail(data["detail"])
    return json.dumps(data, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()


def entry_hash(fields: dict) -> str:
    return hashlib.sha256(canonical(fields)).hexdigest()


def fields_of(event) -> dict:
    return {name: getattr(event, name) for name in HASHED_FIELDS}


def _head(for_update: bool = True):
    from .models import AuditChainHead

    qs = AuditChainHead.objects.select_for_update() if for_update else AuditChainHead.objects
    head = qs.filter(pk=1).first()
    if head is None:
        AuditChainHead.objects.get_or_create(pk=1)
        head = qs.get(pk=1)
    return head


def append(**fields):
    """Write one chained entry (the only writer; `core.services.audit` calls it)."""
    from .models import AuditEvent

    fields["detail"] = normalise_detail(fields.get("detail"))
    fields["ip"] = normalise_ip(fields.get("ip"))
    with transaction.atomic():
        head = _head()
        event = AuditEvent(**fields)
        event.seq = head.seq + 1
        event.prev_hash = head.hash
        event.hash = entry_hash(fields_of(event))
        event.save(force_insert=True)
        head.seq, head.hash = event.seq, event.hash
        head.save(update_fields=["seq", "hash"])
    return event


@dataclass
class Verdict:
    ok: bool
    checked: int
    head_seq: int
    head_hash: str
    broken_id: int | None = None
    broken_seq: int | None = None
    problem: str = ""

    def describe(self) -> str:
        if self.ok:
            return f"OK: {self.checked} entries, head #{self.head_seq} {self.head_hash}"
        where = f"entry #{self.broken_seq}" if self.broken_seq else "entry"
        if self.broken_id is not None:
            where += f" (id {self.broken_id})"
        return f"BROKEN at {where}: {self.problem}"


def verify() -> Verdict:
    """Walk the chain in order and report the first entry that does not fit."""
    from .models import AuditEvent

    head = _head(for_update=False)
    unchained = AuditEvent.objects.filter(seq__isnull=True).order_by("id").first()
    expected_seq, prev, checked = 1, "", 0
    for event in AuditEvent.objects.filter(seq__isnull=False).order_by("seq").iterator(2000):
        bad = None
        if event.seq != expected_seq:
            bad = f"entry #{expected_seq} is missing (deleted?)"
        elif event.prev_hash != prev:
            bad = "previous-hash does not match the entry before it"
        elif event.hash != entry_hash(fields_of(event)):
            bad = "content does not match its hash (altered)"
        if bad:
            return Verdict(False, checked, head.seq, head.hash, event.pk, event.seq, bad)
        prev, expected_seq, checked = event.hash, expected_seq + 1, checked + 1
    if unchained is not None:
        return Verdict(
            False,
            checked,
            head.seq,
            head.hash,
            unchained.pk,
            None,
            "entry is not in the chain (written around audit())",
        )
    if head.seq != checked or head.hash != prev:
        return Verdict(
            False,
            checked,
            head.seq,
            head.hash,
            None,
            checked + 1,
            f"the chain ends at #{checked} but its head records #{head.seq} (newest entries deleted?)",
        )
    return Verdict(True, checked, head.seq, head.hash)


def chain_existing(AuditEvent, AuditChainHead) -> int:
    """Hash rows written before the chain existed, oldest first (the data migration uses it)."""
    head, _ = AuditChainHead.objects.get_or_create(pk=1)
    n = 0
    for event in AuditEvent.objects.filter(seq__isnull=True).order_by("at", "id").iterator(2000):
        event.actor_ref = str(event.actor_id) if event.actor_id else ""
        event.detail = normalise_detail(event.detail)
        event.ip = normalise_ip(event.ip)
        event.seq = head.seq + 1
        event.prev_hash = head.hash
        event.hash = entry_hash(fields_of(event))
        event.save(update_fields=["actor_ref", "detail", "ip", "seq", "prev_hash", "hash"])
        head.seq, head.hash = event.seq, event.hash
        n += 1
    head.save()
    return n
