"""/healthz checks the parts a scaled-out installation shares: the database, the queue (the
database queue, or Redis for RQ) and file storage (the filesystem, or an S3 bucket)."""

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage

from .conftest import s3_storage_settings

pytestmark = pytest.mark.django_db

RQ_TASKS = {"default": {"BACKEND": "django_tasks_rq.RQBackend", "QUEUES": ["default"]}}


@pytest.fixture
def on_rq(settings, redis_url):
    settings.RQ_QUEUES = {"default": {"URL": redis_url}}
    settings.TASKS = RQ_TASKS
    return settings


@pytest.fixture
def on_s3(settings, s3_bucket):
    settings.STORAGES = {**settings.STORAGES, "default": s3_storage_settings(s3_bucket)}
    return s3_bucket


@pytest.mark.redis
def test_queue_on_redis_answers(client, on_rq):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json()["queue"] == "ok"


@pytest.mark.redis
def test_queue_on_redis_that_does_not_answer_is_reported(client, on_rq):
    on_rq.RQ_QUEUES = {"default": {"URL": "redis://127.0.0.1:9/0"}}  # discard port: nothing
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["queue"].startswith("error")
    assert response.json()["database"] == "ok"


def test_database_queue_table_missing_is_reported(client, monkeypatch):
    from django_tasks_db.models import DBTaskResult

    def broken(*args, **kwargs):
        raise RuntimeError("no table")

    monkeypatch.setattr(DBTaskResult.objects, "exists", broken)
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["queue"] == "error: RuntimeError"


def test_storage_on_s3_writes_reads_and_cleans_up(client, on_s3):
    assert default_storage.__class__.__name__ == "S3Storage"
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json()["storage"] == "ok"
    # The probe went to the bucket and left nothing behind.
    client_s3 = on_s3["client"]
    assert client_s3.list_objects_v2(Bucket=on_s3["EKRAF_S3_BUCKET"]).get("KeyCount") == 0


def test_s3_storage_keeps_files_private_and_readable(on_s3):
    name = default_storage.save("private/creators/photos/x/a.txt", ContentFile(b"isi"))
    assert default_storage.exists(name)
    with default_storage.open(name) as fh:
        assert fh.read() == b"isi"
    head = on_s3["client"].head_object(Bucket=on_s3["EKRAF_S3_BUCKET"], Key=name)
    assert head["ContentLength"] == 3
    # Pages never link the bucket: file URLs are the site's own /media/ (CSP img-src 'self').
    assert default_storage.url(name) == "http://testserver/media/private/creators/photos/x/a.txt"


def test_public_files_on_s3_are_served_by_the_site_and_private_ones_are_not(client, on_s3):
    logo = default_storage.save("agencies/logo-diskominfo.png", ContentFile(b"\x89PNG logo"))
    photo = default_storage.save("private/creators/photos/x/wajah.jpg", ContentFile(b"jpeg"))
    response = client.get(default_storage.url(logo).removeprefix("http://testserver"))
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == b"\x89PNG logo"
    assert response["Content-Type"] == "image/png"
    assert (
        client.get(default_storage.url(photo).removeprefix("http://testserver")).status_code == 404
    )
    assert client.get("/media/agencies/tidak-ada.png").status_code == 404
    assert client.get("/media/agencies/../private/creators/photos/x/wajah.jpg").status_code == 404


def test_storage_bucket_missing_is_reported(client, settings, on_s3):
    on_s3["client"].delete_bucket(Bucket=on_s3["EKRAF_S3_BUCKET"])
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["storage"].startswith("error")


def test_healthz_answers_plain_http_behind_https_settings(client, settings):
    """Load balancers probe app servers over plain HTTP; /healthz is not redirected to https
    (every other page is)."""
    settings.SECURE_SSL_REDIRECT = True  # as with EKRAF_BASE_URL=https://…
    assert client.get("/healthz").status_code == 200
    assert client.get("/").status_code == 301


def test_the_bench_floor_exists_only_when_asked(client, settings):
    from django.urls import clear_url_caches

    import ekraf.urls

    assert client.get("/bench/trivial").status_code == 404
    settings.BENCH_ENDPOINTS = True
    try:
        import importlib

        importlib.reload(ekraf.urls)
        clear_url_caches()
        response = client.get("/bench/trivial")
        assert response.status_code == 200 and response.content == b"ok"
        assert response["X-Request-ID"] and "Content-Security-Policy" in response
    finally:
        settings.BENCH_ENDPOINTS = False
        importlib.reload(ekraf.urls)
        clear_url_caches()
