"""The no-overlap mechanism (ekraf.core.overlap) on its own; the rooms' and speakers' tests
prove it on their tables, with racing connections on PostgreSQL."""

import pytest
from django.db import IntegrityError, connection
from django.db.models import Q

from ekraf.core import overlap


def test_the_constraint_is_sql_on_postgres_and_nothing_elsewhere():
    constraint = overlap.no_overlap(
        name="demo_no_overlap", resource="room", start="starts_at", until="until",
        condition=Q(status="approved"),
    )  # fmt: skip

    class Editor:
        def __init__(self, vendor):
            self.connection = type("C", (), {"vendor": vendor})()

    assert constraint.constraint_sql(None, Editor("sqlite")) is None
    assert constraint.create_sql(None, Editor("sqlite")) is None
    assert constraint.remove_sql(None, Editor("sqlite")) is None
    path, _args, kwargs = constraint.deconstruct()
    assert path == "ekraf.core.overlap.NoOverlap" and kwargs["name"] == "demo_no_overlap"


@pytest.mark.django_db
def test_a_clash_found_first_is_refused_with_the_clashing_row():
    written = []
    with pytest.raises(overlap.Overlap) as refused:
        overlap.write_without_overlap(
            lambda: written.append(1),
            lambda: "booking B",
            constraint="x",
            message=lambda clash: f"bentrok dengan {clash}",
            describe=lambda clash: {"id": clash},
        )
    assert written == []
    assert refused.value.status == 409 and refused.value.code == "overlap"
    assert refused.value.message == "bentrok dengan booking B"
    assert refused.value.data == {"clash": {"id": "booking B"}}


@pytest.mark.django_db
def test_a_racing_write_refused_by_the_constraint_is_answered_the_same_way():
    """On PostgreSQL the check can pass for two writers; the constraint stops the second."""
    found = iter([None, "booking A"])

    class Cause(Exception):
        sqlstate = "23P01"
        diag = type("D", (), {"constraint_name": "room_no_overlap"})()

    def racing_write():
        try:
            raise Cause("conflicting key value violates exclusion constraint")
        except Cause as cause:
            raise IntegrityError("room_no_overlap") from cause

    with pytest.raises(overlap.Overlap) as refused:
        overlap.write_without_overlap(
            racing_write, lambda: next(found), constraint="room_no_overlap",
            message=lambda clash: f"bentrok dengan {clash}",
        )  # fmt: skip
    assert refused.value.clash == "booking A"
    # Another integrity error is not dressed up as a clash.
    with pytest.raises(IntegrityError):
        overlap.write_without_overlap(
            lambda: (_ for _ in ()).throw(IntegrityError("unique")),
            lambda: None, constraint="room_no_overlap", message=str,
        )  # fmt: skip
    assert connection.vendor in ("sqlite", "postgresql")
