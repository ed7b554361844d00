"""The registry search is answered from indexes on PostgreSQL: each part of the term's
match (names, handles, e-mail, phone) can use its trigram index, so a search does not read
every profile. Checked with the planner's own words (sequential scans discouraged, so the
answer does not depend on the size of the test's tiny tables)."""

import pytest
from django.db import connection

from ekraf.creators import selectors
from tests.creators import factories as cf

pytestmark = [pytest.mark.django_db, pytest.mark.postgres]

TRIGRAM_INDEXES = {
    "creators_profile_full_name_trgm",
    "creators_profile_display_name_trgm",
    "creators_profile_phone_trgm",
    "creators_channel_handle_trgm",
    "accounts_user_email_trgm",
}


def _plan(queryset, *, bitmap_only=False) -> str:
    sql, params = queryset.query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        if bitmap_only:
            # Nor a walk of another index (the primary key) in its place: each substring
            # test must then be a bitmap scan of its own index.
            cursor.execute("SET LOCAL enable_indexscan = off")
        cursor.execute("EXPLAIN " + sql, params)
        return "\n".join(row[0] for row in cursor.fetchall())


def test_each_part_of_a_search_uses_its_trigram_index(admin_user):
    cf.creator("Ayu Kartika", channels=[("instagram", "@ayu.k", 100)])
    plan = _plan(
        selectors.search_creators(selectors.CreatorFilters(q="0812345"), viewer=admin_user),
        bitmap_only=True,
    )
    assert {name for name in TRIGRAM_INDEXES if name in plan} == TRIGRAM_INDEXES, plan


def test_the_registry_order_is_read_from_an_index(admin_user):
    plan = _plan(
        selectors.search_creators(selectors.CreatorFilters(), viewer=admin_user).values("pk")[:25]
    )
    assert "creator_name_order" in plan, plan
