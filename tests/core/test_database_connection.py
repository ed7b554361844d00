"""How the web processes talk to PostgreSQL: without JIT compilation (it spent 84 ms compiling
the talent directory's 30 ms query; pages are short queries, not analytics)."""

import pytest
from django.db import connection

pytestmark = [pytest.mark.django_db, pytest.mark.postgres]


def test_postgresql_connections_run_without_jit():
    with connection.cursor() as cursor:
        cursor.execute("SHOW jit")
        assert cursor.fetchone()[0] == "off"
