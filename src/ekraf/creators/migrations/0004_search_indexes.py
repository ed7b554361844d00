"""Indexes for the registry search: its order (every database) and trigrams (PostgreSQL).

The staff registry searches names, display names, e-mail addresses, phone numbers and channel
handles by substring (`icontains` = UPPER(col) LIKE UPPER('%q%')); without these indexes each
search was a sequential scan of every profile, twice (the page and its count). GIN indexes
with pg_trgm's gin_trgm_ops on the same expressions let PostgreSQL answer each part of the
search (selectors._matching) from an index.

They exist only in the database, not in the models' state: SQLite has neither GIN nor
pg_trgm, so on SQLite this migration does nothing, and makemigrations has nothing to add.
Creating the extension needs a role allowed to (the database owner on PostgreSQL 13+, where
pg_trgm is a trusted extension).
"""

from django.db import migrations, models

INDEXES = [
    ("creators_profile_full_name_trgm", "creators_creatorprofile", "UPPER(full_name)"),
    ("creators_profile_display_name_trgm", "creators_creatorprofile", "UPPER(display_name)"),
    ("creators_profile_phone_trgm", "creators_creatorprofile", "phone"),
    ("creators_channel_handle_trgm", "creators_channel", "UPPER(handle)"),
    ("accounts_user_email_trgm", "accounts_user", "UPPER(email)"),
]


def create(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    for name, table, expression in INDEXES:
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS {name} ON {table} USING gin ({expression} gin_trgm_ops)"
        )


def drop(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name, _table, _expression in INDEXES:
        schema_editor.execute(f"DROP INDEX IF EXISTS {name}")


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0002_initial"),
        ("creators", "0003_import_nik_consent"),
    ]

    operations = [
        migrations.AddIndex(
            model_name="creatorprofile",
            index=models.Index(fields=["full_name", "id"], name="creator_name_order"),
        ),
        migrations.RunPython(create, drop),
    ]
