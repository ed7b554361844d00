"""Fast inserts for synthetic data: PostgreSQL's COPY, executemany on SQLite.

Rows are dicts of field attnames; a field left out takes its model default (callables are
called per row, so random public codes stay unique), `auto_now`/`auto_now_add` fields take
`now`, nullable fields NULL. Primary keys are assigned here, in one block after the table's
highest, so callers can point foreign keys at rows they have just made; the sequence is moved
past them afterwards.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from django.db import connections
from django.db.models import NOT_PROVIDED
from django.utils import timezone

from ekraf.ops.backup import _set_sequence

BATCH = 5000


def next_id(model, using: str = "default") -> int:
    connection = connections[using]
    qn = connection.ops.quote_name
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT MAX({qn(model._meta.pk.column)}) FROM {qn(model._meta.db_table)}"  # noqa: S608
        )
        return (cursor.fetchone()[0] or 0) + 1


def _value(field, row: dict, now):
    if field.attname in row:
        return row[field.attname]
    if getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False):
        return now
    if field.default is not NOT_PROVIDED:
        return field.get_default()
    if field.null:
        return None
    if field.blank and field.empty_strings_allowed:
        return ""
    raise ValueError(f"{field.model._meta.label}.{field.attname} needs a value")


def insert(model, rows: Iterable[dict], *, using: str = "default") -> int:
    """Insert the rows (each must carry its primary key); returns how many."""
    connection = connections[using]
    fields = [f for f in model._meta.concrete_fields if not getattr(f, "generated", False)]
    qn = connection.ops.quote_name
    columns = ", ".join(qn(f.column) for f in fields)
    now = timezone.now()
    count = 0

    def prepared() -> Iterator[list]:
        nonlocal count
        for row in rows:
            count += 1
            yield [f.get_db_prep_save(_value(f, row, now), connection) for f in fields]

    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            with cursor.cursor.copy(
                f"COPY {qn(model._meta.db_table)} ({columns}) FROM STDIN"  # noqa: S608
            ) as copy:
                for values in prepared():
                    copy.write_row(values)
        else:
            sql = "INSERT INTO {} ({}) VALUES ({})".format(  # noqa: S608
                qn(model._meta.db_table), columns, ", ".join(["%s"] * len(fields))
            )
            batch = []
            for values in prepared():
                batch.append(values)
                if len(batch) >= BATCH:
                    cursor.executemany(sql, batch)
                    batch.clear()
            if batch:
                cursor.executemany(sql, batch)
    if model._meta.pk.get_internal_type() in ("AutoField", "BigAutoField", "SmallAutoField"):
        _set_sequence(connection, model, 0)
    return count
