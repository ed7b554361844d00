"""Backup and restore: one archive of the database and the files; a round trip loses nothing.

The round trips run the real commands (`python -m ekraf backup` / `restore`) in subprocesses
against databases and storages of their own, then compare every row of every table (raw, as
the database driver returns it, sequences included) and every stored file byte for byte.
The source is the demo city (every app's demo data) plus rows chosen to be awkward: unicode,
microseconds, JSON, UUID keys, empty and binary files.
"""

import io
import json
import shutil
import sqlite3
import subprocess
import tarfile
from pathlib import Path

import pytest
from django.conf import settings

from .conftest import PYTHON, production_env

AWKWARD_DATA = r"""
import os, django
django.setup()
from datetime import datetime, timezone
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from ekraf.accounts.models import User
from ekraf.core.services import audit
from ekraf.ops.tasks import ping

user = User.objects.create_user(
    username="uji-ü", email="uji@contoh.id", password="Sandi-Uji-2024!",
    full_name="Ñoño “Kutip” Wijaya 😀",
)
User.objects.filter(pk=user.pk).update(
    last_login=datetime(2024, 1, 25, 3, 4, 5, 123456, tzinfo=timezone.utc)
)
audit(user, "uji.cadangan", user, detail={"angka": [1, 2.5, None], "teks": "é\n\"q\"", "b": True})
User.objects.create_user(username="dihapus", email="x@contoh.id", password="x").delete()
ping.enqueue("halo")
default_storage.save("private/uji/é ñ.bin", ContentFile(os.urandom(300_000)))
default_storage.save("public/kosong.txt", ContentFile(b""))
default_storage.save("private/a/b/c/dalam.txt", ContentFile("isi berkas 🙂".encode()))
"""


def ekraf(env, *args, input=None, check=True, timeout=300):
    result = subprocess.run(
        [PYTHON, "-m", "ekraf", *args],
        env=env,
        capture_output=True,
        timeout=timeout,
        input=input,
    )
    if check and result.returncode != 0:
        raise AssertionError(
            f"ekraf {' '.join(args)} failed:\n{result.stdout.decode()}\n{result.stderr.decode()}"
        )
    return result


def python(env, code):
    result = subprocess.run(
        [PYTHON, "-c", code],
        env={**env, "DJANGO_SETTINGS_MODULE": "ekraf.settings"},
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stderr
    return result.stdout


SECRETS = ("EKRAF_SECRET_KEY", "EKRAF_FIELD_KEYS", "EKRAF_HASH_KEY")


def site_env(root: Path, database_url: str, **extra) -> dict:
    """An embedded installation of its own: database, var/ (media, keys in var/keys), no
    Redis, no S3, no key in the environment."""
    env = production_env(root, EKRAF_BASE_URL="http://127.0.0.1:8000", EKRAF_LOG_FORMAT="plain")
    for name in list(env):
        if name == "REDIS_URL" or name.startswith("EKRAF_S3_") or name in SECRETS:
            del env[name]
    env.update(DATABASE_URL=database_url, **extra)
    return env


BUILD = """
import django
django.setup()
from django.core.management import call_command
call_command("migrate", interactive=False, verbosity=0)
call_command("createcachetable")
call_command("load_city", verbosity=0)
call_command("load_demo", verbosity=0)
"""


def build_source(env):
    """The demo city and the awkward rows (one interpreter: each start costs a second)."""
    python(env, BUILD + AWKWARD_DATA.replace("import os, django\ndjango.setup()", "import os"))


# ---------------------------------------------------------------------------------------------
# Comparing everything, below the ORM.


def sqlite_tables(path: Path) -> dict:
    db = sqlite3.connect(path)
    try:
        names = [
            row[0]
            for row in db.execute("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY 1")
        ]
        tables = {}
        for name in names:
            if name == "django_migrations":
                rows = db.execute(f'SELECT app, name FROM "{name}" ORDER BY 1, 2').fetchall()
            elif name == "ekraf_cache":
                continue  # a cache: nothing in it is data
            elif name == "sqlite_sequence":
                # "no row" and "0" both mean: the next id is 1.
                rows = db.execute(f'SELECT * FROM "{name}" WHERE seq > 0 ORDER BY 1').fetchall()
            else:
                rows = db.execute(f'SELECT * FROM "{name}" ORDER BY 1').fetchall()
            tables[name] = rows
        return tables
    finally:
        db.close()


def postgres_tables(url: str) -> dict:
    import psycopg

    with psycopg.connect(url) as db:
        names = [
            row[0]
            for row in db.execute(
                "SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY 1"
            )
        ]
        tables = {}
        for name in names:
            if name == "django_migrations":
                rows = db.execute(f'SELECT app, name FROM "{name}" ORDER BY 1, 2').fetchall()
            elif name == "ekraf_cache":
                continue
            else:
                rows = db.execute(f'SELECT * FROM "{name}" ORDER BY 1').fetchall()
            tables[name] = rows
        tables["(sequences)"] = db.execute(
            "SELECT sequencename, last_value FROM pg_sequences WHERE schemaname = 'public' "
            "ORDER BY 1"
        ).fetchall()
        return tables


def files_under(root: Path) -> dict[str, bytes]:
    return {
        str(path.relative_to(root)): path.read_bytes()
        for path in sorted(root.rglob("*"))
        if path.is_file()
    }


def assert_same_tables(before: dict, after: dict):
    assert sorted(after) == sorted(before)
    for name, rows in before.items():
        assert after[name] == rows, f"table {name} differs after restore"


def archive_members(path: Path) -> list[str]:
    with tarfile.open(path) as tar:
        return tar.getnames()


# ---------------------------------------------------------------------------------------------
# SQLite, files on the filesystem. These run in the SQLite pass of `make test` only: they use
# SQLite files of their own whatever DATABASE_URL says, so the PostgreSQL pass would repeat them.

ON_POSTGRES = settings.DATABASES["default"]["ENGINE"].endswith("postgresql")
sqlite_pass = pytest.mark.skipif(ON_POSTGRES, reason="runs in the SQLite pass of make test")


def copy_site(source: dict, root: Path) -> dict:
    """A second installation with the same keys (a new machine with the keys restored)."""
    shutil.copytree(source["root"] / "keys", root / "keys")
    return site_env(root, f"sqlite:///{root / 'ekraf.sqlite3'}")


@pytest.fixture(scope="module")
def source(tmp_path_factory):
    """The demo city on SQLite with awkward extras, keys in var/keys as the embedded setup
    makes them; backed up once through stdout, once with the keys."""
    root = tmp_path_factory.mktemp("source")
    env = site_env(root, f"sqlite:///{root / 'ekraf.sqlite3'}")
    build_source(env)
    archive = root / "cadangan.tar.gz"
    archive.write_bytes(ekraf(env, "backup", "-").stdout)  # streams: `| ssh …`, `| aws s3 cp -`
    with_keys = root / "dengan-kunci.tar.gz"
    ekraf(env, "backup", "--include-keys", str(with_keys))
    return {"root": root, "env": env, "archive": archive, "with_keys": with_keys}


@sqlite_pass
def test_round_trip_on_sqlite_restores_every_row_and_file(source, tmp_path):
    target = copy_site(source, tmp_path)
    ekraf(target, "restore", str(source["archive"]))

    before = sqlite_tables(source["root"] / "ekraf.sqlite3")
    after = sqlite_tables(tmp_path / "ekraf.sqlite3")
    assert_same_tables(before, after)
    # The test can fail: the source really holds the awkward rows and files.
    assert len(before["accounts_user"]) >= 10 and len(before["core_region"]) > 50
    assert any("Ñoño" in str(row) for row in before["accounts_user"])
    assert before["sqlite_sequence"]  # deleted rows' ids are not handed out again
    assert any(
        "ekraf.ops.tasks.ping" in str(row) for row in before["django_tasks_database_dbtaskresult"]
    )

    media_before = files_under(source["root"] / "media")
    assert "private/uji/é ñ.bin" in media_before and "public/kosong.txt" in media_before
    assert files_under(tmp_path / "media") == media_before

    # The restored site works: a login with the old password; a new row gets a fresh id,
    # not the id of the user deleted before the backup.
    out = python(
        target,
        "import django; django.setup()\n"
        "from django.contrib.auth import authenticate\n"
        "from django.test import RequestFactory\n"
        "from ekraf.accounts.models import User\n"
        "print(authenticate(RequestFactory().post('/masuk/'), username='uji-ü',"
        " password='Sandi-Uji-2024!') is not None)\n"
        "print(User.objects.create_user(username='baru', password='x').pk"
        " > max(User.objects.exclude(username='baru').values_list('pk', flat=True)) + 1)\n",
    )
    assert out.split() == ["True", "True"]


@sqlite_pass
def test_archive_lists_tables_files_and_checksums_and_holds_no_keys(source):
    members = archive_members(source["archive"])
    assert members[-1] == "manifest.json"
    assert "files/private/uji/é ñ.bin" in members
    assert not [m for m in members if m.startswith("keys/")]
    with tarfile.open(source["archive"]) as tar:
        manifest = json.load(tar.extractfile("manifest.json"))
        everything = b"".join(tar.extractfile(m).read() for m in tar.getmembers() if m.isfile())
    assert manifest["format"] == "ekraf-backup"
    assert manifest["versions"]["django"].startswith("5.2")
    assert manifest["database"]["vendor"] == "sqlite"
    assert "0001_initial" in manifest["database"]["migrations"]["accounts"]
    users = next(t for t in manifest["database"]["tables"] if t["model"] == "accounts.user")
    assert users["rows"] >= 10 and len(users["sha256"]) == 64
    assert {i["name"] for i in manifest["files"]["items"]} >= {"public/kosong.txt"}
    # No key in any form: not the field key, not the hash key, not the secret key.
    keys = source["root"] / "keys"
    for name in ("field-encryption.key", "personal-data-hash.key", "django-secret-key"):
        assert (keys / name).read_bytes().strip() not in everything
    assert set(manifest["keys"]["fingerprints"]) == {
        "field-encryption",
        "personal-data-hash",
        "files",
    }

    database_only = ekraf(source["env"], "backup", "-", "--no-files").stdout
    with tarfile.open(fileobj=io.BytesIO(database_only)) as tar:
        assert not [m for m in tar.getnames() if m.startswith("files/")]


@sqlite_pass
def test_restore_refuses_a_database_that_is_not_empty(source):
    result = ekraf(source["env"], "restore", str(source["archive"]), check=False)
    assert result.returncode != 0
    assert "not empty" in result.stderr.decode()


@sqlite_pass
def test_force_replaces_what_is_there(source, tmp_path):
    target = copy_site(source, tmp_path)
    shutil.copy(source["root"] / "ekraf.sqlite3", tmp_path / "ekraf.sqlite3")
    python(
        target,
        "import django; django.setup()\n"
        "from django.core.files.base import ContentFile\n"
        "from django.core.files.storage import default_storage\n"
        "from ekraf.accounts.models import User\n"
        "User.objects.create_user(username='akan-hilang', password='x')\n"
        "User.objects.filter(username='uji-ü').update(full_name='Diubah')\n"
        "default_storage.save('private/uji/é ñ.bin', ContentFile(b'lain'))\n",
    )
    refused = ekraf(target, "restore", str(source["archive"]), check=False)
    assert refused.returncode != 0
    ekraf(target, "restore", "--force", str(source["archive"]))
    assert_same_tables(
        sqlite_tables(source["root"] / "ekraf.sqlite3"), sqlite_tables(tmp_path / "ekraf.sqlite3")
    )
    assert (tmp_path / "media/private/uji/é ñ.bin").read_bytes() == (
        source["root"] / "media/private/uji/é ñ.bin"
    ).read_bytes()


@sqlite_pass
def test_a_damaged_archive_is_refused_before_anything_is_written(source, tmp_path):
    damaged = tmp_path / "rusak.tar.gz"
    with tarfile.open(source["archive"]) as old, tarfile.open(damaged, "w:gz") as new:
        for member in old.getmembers():
            data = old.extractfile(member).read()
            if member.name.endswith("accounts.user.jsonl"):
                data = data.replace(b"uji@contoh.id", b"ujj@contoh.id")
            member.size = len(data)
            new.addfile(member, io.BytesIO(data))
    target = copy_site(source, tmp_path)
    checked = ekraf(target, "restore", "--check", str(damaged), check=False)
    assert checked.returncode != 0
    assert "accounts.user.jsonl" in checked.stderr.decode()
    result = ekraf(target, "restore", str(damaged), check=False)
    assert result.returncode != 0
    assert sqlite_tables(tmp_path / "ekraf.sqlite3") == {}  # not even a table was made
    assert not (tmp_path / "media").exists()
    assert ekraf(target, "restore", "--check", str(source["archive"])).returncode == 0


@sqlite_pass
def test_keys_stay_out_unless_asked_and_restore_refuses_keys_that_cannot_read_the_data(
    source, tmp_path
):
    """A new machine generates keys of its own: they cannot read the backup's NIKs, so the
    restore refuses; the archive made with --include-keys brings the backup's keys, and the
    new machine's own are set aside, not lost."""
    with_keys = source["with_keys"]
    assert oct(with_keys.stat().st_mode & 0o777) == "0o600"
    assert "keys/field-encryption.key" in archive_members(with_keys)

    target = site_env(tmp_path, f"sqlite:///{tmp_path / 'ekraf.sqlite3'}")
    refused = ekraf(target, "restore", str(source["archive"]), check=False)
    assert refused.returncode != 0
    assert "field-encryption" in refused.stderr.decode()

    ekraf(target, "restore", "--include-keys", str(with_keys))
    for name in ("field-encryption.key", "personal-data-hash.key", "django-secret-key"):
        assert (tmp_path / "keys" / name).read_bytes() == (
            source["root"] / "keys" / name
        ).read_bytes()
    assert list((tmp_path / "keys").glob("field-encryption.key.replaced-*"))
    assert_same_tables(
        sqlite_tables(source["root"] / "ekraf.sqlite3"), sqlite_tables(tmp_path / "ekraf.sqlite3")
    )


# ---------------------------------------------------------------------------------------------
# PostgreSQL and S3 (an S3-compatible server on loopback). The way a city grows: the embedded
# SQLite site moves to PostgreSQL with files on S3; then a PostgreSQL + S3 round trip.


@pytest.fixture
def pg_databases():
    """Two scratch databases beside the test database, dropped afterwards."""
    import psycopg
    from django.db import connection

    base = connection.settings_dict
    made = []

    def url(name):
        return (
            f"postgres://{base['USER']}@{base['HOST'] or '127.0.0.1'}:{base['PORT'] or 5432}/{name}"
        )

    admin_url = url("postgres")

    def make(suffix):
        name = f"{base['NAME']}_{suffix}"
        with psycopg.connect(admin_url, autocommit=True) as db:
            db.execute(f'DROP DATABASE IF EXISTS "{name}"')
            db.execute(f'CREATE DATABASE "{name}"')
        made.append(name)
        return url(name)

    yield make
    with psycopg.connect(admin_url, autocommit=True) as db:
        for name in made:
            db.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def s3_objects(bucket_env) -> dict[str, bytes]:
    client = bucket_env["client"]
    found = {}
    for page in client.get_paginator("list_objects_v2").paginate(
        Bucket=bucket_env["EKRAF_S3_BUCKET"]
    ):
        for item in page.get("Contents", []):
            found[item["Key"]] = client.get_object(
                Bucket=bucket_env["EKRAF_S3_BUCKET"], Key=item["Key"]
            )["Body"].read()
    return found


CANONICAL = """
import django, hashlib, json
django.setup()
from ekraf.ops.backup import dumpable_models, _columns, _encode
out = {}
for model in dumpable_models():
    rows = model._base_manager.order_by("pk").values_list(*[f.attname for f in _columns(model)])
    # Keys sorted: jsonb keeps JSON objects in its own order, which is no difference.
    out[model._meta.label_lower] = [json.dumps(row, default=_encode, sort_keys=True) for row in rows]
print(json.dumps(out))
"""


@pytest.mark.postgres
def test_sqlite_site_moves_to_postgres_and_s3_then_round_trips_there(
    source, tmp_path, pg_databases, s3_bucket
):
    s3 = {key: value for key, value in s3_bucket.items() if key.startswith("EKRAF_S3_")}
    first_url = pg_databases("bkpg1")
    first = {**copy_site(source, tmp_path / "a"), "DATABASE_URL": first_url, **s3}
    ekraf(first, "restore", str(source["archive"]))

    # Every row reads back the same through the ORM (the drivers' raw forms differ by design).
    before = json.loads(python(source["env"], CANONICAL))
    after = json.loads(python(first, CANONICAL))
    assert sorted(after) == sorted(before)
    for label, rows in before.items():
        assert after[label] == rows, f"{label} differs after moving to PostgreSQL"
    assert len(before["accounts.user"]) >= 10
    assert s3_objects(s3_bucket) == files_under(source["root"] / "media")

    # PostgreSQL + S3 to PostgreSQL + another bucket: every row, raw, sequences included.
    archive = tmp_path / "pg.tar.gz"
    ekraf(first, "backup", str(archive))
    second_bucket = {**s3_bucket, "EKRAF_S3_BUCKET": s3["EKRAF_S3_BUCKET"] + "-pulih"}
    s3_bucket["client"].create_bucket(Bucket=second_bucket["EKRAF_S3_BUCKET"])
    second_url = pg_databases("bkpg2")
    second = {
        **copy_site(source, tmp_path / "b"),
        "DATABASE_URL": second_url,
        **s3,
        "EKRAF_S3_BUCKET": second_bucket["EKRAF_S3_BUCKET"],
    }
    ekraf(second, "restore", str(archive))
    pg_before, pg_after = postgres_tables(first_url), postgres_tables(second_url)
    assert_same_tables(pg_before, pg_after)
    assert any("Ñoño" in str(row) for row in pg_before["accounts_user"])
    assert any(last for _, last in pg_before["(sequences)"])
    assert s3_objects(second_bucket) == s3_objects(s3_bucket)
    assert "private/uji/é ñ.bin" in s3_objects(second_bucket)


# ---------------------------------------------------------------------------------------------
# Sign-ins are not backed up: nothing in an archive can be replayed to sign in (issue 9, 6).

SIGN_IN = r"""
import django
django.setup()
from django.contrib.auth import HASH_SESSION_KEY, SESSION_KEY, BACKEND_SESSION_KEY
from django.contrib.sessions.backends.db import SessionStore
from ekraf.accounts.models import User, UserSession
admin = User.objects.get(username="admin")
session = SessionStore()
session[SESSION_KEY] = str(admin.pk)
session[BACKEND_SESSION_KEY] = "ekraf.accounts.backends.UsernameOrEmailBackend"
session[HASH_SESSION_KEY] = admin.get_session_auth_hash()
session["otp_device_id"] = "otp_static.staticdevice/1"
session.create()
UserSession.objects.create(user=admin, session_key=session.session_key)
print(session.session_key)
"""

REPLAY = r"""
import django, sys
django.setup()
from django.test import Client
client = Client()
client.cookies["sessionid"] = sys.argv[1]
response = client.get("/admin/")
print(response.status_code, response.get("Location", ""))
"""

FORGET = r"""
import django
django.setup()
from django.contrib.sessions.models import Session
from ekraf.accounts.models import UserSession
Session.objects.all().delete()
UserSession.objects.all().delete()
"""


@sqlite_pass
def test_no_session_in_the_archive_can_be_replayed_after_a_restore(source, tmp_path):
    key = python(source["env"], SIGN_IN).strip()
    try:
        # The session opens /admin/ as the administrator on the source …
        replay = [PYTHON, "-c", REPLAY, key]
        env = {**source["env"], "DJANGO_SETTINGS_MODULE": "ekraf.settings"}
        opened = subprocess.run(replay, env=env, capture_output=True, text=True, timeout=300)
        assert opened.stdout.split()[0] == "200", opened.stderr
        archive = tmp_path / "dengan-sesi.tar.gz"
        ekraf(source["env"], "backup", "--include-keys", str(archive))
    finally:
        python(source["env"], FORGET)
    with tarfile.open(archive) as tar:
        manifest = json.load(tar.extractfile("manifest.json"))
        everything = b"".join(tar.extractfile(m).read() for m in tar.getmembers() if m.isfile())
    models = {table["model"].lower() for table in manifest["database"]["tables"]}
    assert not models & {"sessions.session", "accounts.usersession", "axes.accessattempt"}
    assert key.encode() not in everything

    # … and not on a copy restored from the archive, keys and all (the worst case).
    target = copy_site(source, tmp_path)
    ekraf(target, "restore", "--include-keys", str(archive))
    env = {**target, "DJANGO_SETTINGS_MODULE": "ekraf.settings"}
    replayed = subprocess.run(replay, env=env, capture_output=True, text=True, timeout=300)
    status, location = replayed.stdout.split()[:2]
    assert status == "302" and "/login/" in location, replayed.stderr


@pytest.mark.django_db
def test_sessions_and_sign_in_attempts_are_never_dumped_and_restore_discards_them(admin_user):
    from django.contrib.sessions.backends.db import SessionStore
    from django.contrib.sessions.models import Session
    from django.db import connection

    from ekraf.ops import backup

    labels = {model._meta.label_lower for model in backup.dumpable_models()}
    assert not labels & backup.NOT_BACKED_UP
    assert "accounts.user" in labels and "otp_totp.totpdevice" in labels
    store = SessionStore()
    store["_auth_user_id"] = str(admin_user.pk)
    store.create()
    backup.discard_sign_ins(connection)
    assert not Session.objects.exists()
