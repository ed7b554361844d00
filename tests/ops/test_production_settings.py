"""Production settings: environment variables alone make a deployment that passes Django's
deploy check, with Redis for cache/sessions/queue and S3 for files, and the right worker."""

import json
import os
import subprocess

import pytest

from ekraf.core.management.commands.serve import helper_commands
from ekraf.ops.worker import worker_argv

from .conftest import PYTHON, production_env


def run_ekraf(env, *args, timeout=120):
    return subprocess.run(
        [PYTHON, "-m", "ekraf", *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
    )


def test_production_environment_passes_the_deploy_check(tmp_path):
    result = run_ekraf(production_env(tmp_path), "check", "--deploy", "--fail-level", "DEBUG")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout


def test_deploy_check_catches_the_bench_endpoint(tmp_path):
    env = production_env(tmp_path, EKRAF_BENCH_ENDPOINTS="1")
    result = run_ekraf(env, "check", "--deploy", "--fail-level", "WARNING")
    assert result.returncode != 0
    assert "ekraf.W001" in result.stderr


def test_deploy_check_catches_plain_http(tmp_path):
    """The check above could not pass by accident: plain HTTP in production is reported."""
    env = production_env(tmp_path, EKRAF_BASE_URL="http://ekraf.malangkota.go.id")
    result = run_ekraf(env, "check", "--deploy", "--fail-level", "WARNING")
    assert result.returncode != 0
    assert "security.W008" in result.stderr  # SECURE_SSL_REDIRECT


SHOW_SETTINGS = """
import json, django
django.setup()
from django.conf import settings
from django.core.files.storage import default_storage
print(json.dumps({
    "cache": settings.CACHES["default"]["BACKEND"],
    "cache_location": settings.CACHES["default"]["LOCATION"],
    "sessions": settings.SESSION_ENGINE,
    "tasks": settings.TASKS["default"]["BACKEND"],
    "rq_url": settings.RQ_QUEUES["default"]["URL"],
    "rq_timeout": settings.RQ_QUEUES["default"]["DEFAULT_TIMEOUT"],
    "storage": settings.STORAGES["default"]["BACKEND"],
    "bucket": getattr(default_storage, "bucket_name", None),
    "allowed_hosts": settings.ALLOWED_HOSTS,
    "https": settings.SESSION_COOKIE_SECURE and settings.CSRF_COOKIE_SECURE,
    "hsts": settings.SECURE_HSTS_SECONDS,
    "proxy_header": settings.SECURE_PROXY_SSL_HEADER,
    "db_engine": settings.DATABASES["default"]["ENGINE"],
    "db_pool": settings.DATABASES["default"].get("OPTIONS", {}).get("pool", {}).get("max_size"),
    "apps": settings.INSTALLED_APPS,
    "verify_cache": settings.VERIFY_CACHE_SECONDS,
}))
"""


def test_production_environment_selects_postgres_redis_and_s3(tmp_path):
    env = production_env(tmp_path, DJANGO_SETTINGS_MODULE="ekraf.settings")
    result = subprocess.run(
        [PYTHON, "-c", SHOW_SETTINGS], env=env, capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 0, result.stderr
    shown = json.loads(result.stdout)
    assert shown["db_engine"] == "django.db.backends.postgresql"
    assert shown["db_pool"] == 4  # bounded connections: Django's psycopg pool
    assert shown["cache"] == "ekraf.core.cache.RedisCache"
    assert shown["cache_location"] == env["REDIS_URL"]
    assert shown["sessions"] == "django.contrib.sessions.backends.cached_db"
    assert shown["tasks"] == "django_tasks_rq.RQBackend"
    assert shown["rq_url"] == env["REDIS_URL"]
    assert shown["rq_timeout"] >= 3600  # a bulk issuance is not killed after RQ's 180 s
    assert "django_rq" in shown["apps"]
    assert shown["storage"] == "storages.backends.s3.S3Storage"
    assert shown["bucket"] == "ekraf-media"
    assert "ekraf.malangkota.go.id" in shown["allowed_hosts"]
    assert shown["https"] is True
    assert shown["hsts"] >= 31536000
    assert shown["proxy_header"] == ["HTTP_X_FORWARDED_PROTO", "https"]
    assert shown["verify_cache"] == 600  # verification answers cached in Redis


def test_embedded_setup_caches_no_verification_answers(tmp_path):
    """Without Redis the default cache is the database: a cached answer would cost the query
    it saves, so EKRAF_VERIFY_CACHE_SECONDS defaults to 0 there."""
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith("EKRAF_") and key not in ("DATABASE_URL", "REDIS_URL")
    }
    env.update(DJANGO_SETTINGS_MODULE="ekraf.settings", EKRAF_VAR_DIR=str(tmp_path))
    script = (
        "import django; django.setup(); from django.conf import settings; "
        "print(settings.VERIFY_CACHE_SECONDS, settings.CACHES['default']['BACKEND'])"
    )
    result = subprocess.run(
        [PYTHON, "-c", script], env=env, capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["0", "django.core.cache.backends.db.DatabaseCache"]


def test_worker_command_follows_the_task_backend(settings):
    settings.TASKS = {
        "default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}
    }
    assert worker_argv()[0] == "db_worker"
    assert worker_argv(burst=True)[-2:] == ["--batch", "--no-startup-delay"]

    settings.TASKS = {"default": {"BACKEND": "django_tasks_rq.RQBackend", "QUEUES": ["default"]}}
    argv = worker_argv()
    assert argv[0] == "rqworker"
    # Without django-tasks-rq's Job class RQ cannot run a django_tasks task.
    assert argv[argv.index("--job-class") + 1] == "django_tasks_rq.Job"
    assert "--with-scheduler" in argv
    assert argv[-1] == "default"
    assert "--burst" in worker_argv(burst=True)


def test_serve_runs_the_worker_and_the_periodic_loop():
    assert helper_commands() == [["worker"], ["periodic", "--loop"]]


@pytest.mark.redis
def test_rq_worker_runs_a_task_enqueued_through_django_tasks(tmp_path, redis_url):
    """The whole chain on Redis: enqueue with the django_tasks API in one process, run it with
    `python -m ekraf worker --burst` in another, read the result back from the first."""
    env = production_env(
        tmp_path,
        DATABASE_URL=f"sqlite:///{tmp_path / 'db.sqlite3'}",
        REDIS_URL=redis_url,
        EKRAF_BASE_URL="http://127.0.0.1:8000",
        EKRAF_S3_BUCKET="",
    )
    enqueue = (
        "import django; django.setup()\n"
        "from ekraf.ops.tasks import ping\n"
        "print(ping.enqueue('halo').id)\n"
    )
    result = subprocess.run(
        [PYTHON, "-c", enqueue],
        env={**env, "DJANGO_SETTINGS_MODULE": "ekraf.settings"},
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    task_id = result.stdout.strip().splitlines()[-1]

    worker = run_ekraf(env, "worker", "--burst")
    assert worker.returncode == 0, worker.stderr
    # The worker's log lines for this task carry the task's id (JSON logs).
    lines = [json.loads(line) for line in worker.stderr.splitlines() if line.startswith("{")]
    ours = [line for line in lines if line.get("task_id") == task_id]
    assert any(line["message"].startswith("task started") for line in ours)
    assert any(line["logger"] == "ekraf.ops.tasks" for line in lines)
    assert all(
        line["request_id"] == f"task-{task_id}"
        for line in lines
        if line["logger"] == "ekraf.ops.tasks"
    )

    check = (
        "import django; django.setup()\n"
        "from ekraf.ops.tasks import ping\n"
        f"r = ping.get_result({task_id!r})\n"
        "print(r.status, r.return_value)\n"
    )
    result = subprocess.run(
        [PYTHON, "-c", check],
        env={**env, "DJANGO_SETTINGS_MODULE": "ekraf.settings"},
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["SUCCESSFUL", "pong:halo"]


def test_the_worker_preloads_what_issuance_jobs_need_before_taking_jobs(monkeypatch):
    """RQ forks a work horse per job: what the worker loaded first, no job loads again."""
    from django.core.management import call_command

    from ekraf.credentials import tasks
    from ekraf.ops.management.commands import worker

    calls = []
    monkeypatch.setattr(tasks, "preload", lambda: calls.append("preload"))
    monkeypatch.setattr(worker, "call_command", lambda *args, **kw: calls.append(args[0]))
    call_command("worker", "--burst")
    assert calls == ["preload", "db_worker"]


def test_a_failing_preload_does_not_stop_the_worker(monkeypatch, caplog):
    from ekraf.ops import worker

    def broken():
        raise ImportError("tidak ada")

    monkeypatch.setattr(worker, "PRELOAD", ("tests.ops.test_production_settings.missing",))
    worker.preload()
    monkeypatch.setattr("ekraf.credentials.tasks.preload", broken)
    monkeypatch.setattr(worker, "PRELOAD", ("ekraf.credentials.tasks.preload",))
    worker.preload()
    assert caplog.text.count("worker preload") == 2
