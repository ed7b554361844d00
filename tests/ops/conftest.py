"""Fixtures for operations tests: Redis on loopback (DB 5), an S3 server on loopback (moto),
and the environment of a production installation for subprocesses.

Redis and the S3 server are real servers, not mocks: the point is to prove the settings work
against them. Without Redis these tests skip on a developer machine and fail in CI (CI=true),
where the machine provides it.
"""

import os
import secrets
import sys
import uuid
from pathlib import Path

import pytest

REDIS_URL = os.environ.get("EKRAF_TEST_REDIS_URL", "redis://127.0.0.1:6379/5")
SRC = Path(__file__).resolve().parents[2] / "src"


def _missing(message: str):
    if os.environ.get("CI"):
        pytest.fail(message)
    pytest.skip(message)


@pytest.fixture(scope="session")
def redis_server():
    import redis

    client = redis.Redis.from_url(REDIS_URL, socket_connect_timeout=2)
    try:
        client.ping()
    except redis.RedisError as exc:
        _missing(f"Redis not reachable at {REDIS_URL}: {exc}")
    yield client
    client.close()


@pytest.fixture
def redis_url(redis_server):
    """REDIS_URL of an empty Redis database (only the test DB is flushed, before and after)."""
    redis_server.flushdb()
    yield REDIS_URL
    redis_server.flushdb()


@pytest.fixture(scope="session")
def s3_server():
    """An S3-compatible server (moto's server mode) on a free loopback port."""
    from moto.server import ThreadedMotoServer

    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    yield f"http://{host}:{port}"
    server.stop()


@pytest.fixture
def s3_bucket(s3_server):
    """A fresh bucket; returns the EKRAF_S3_* environment that points at it."""
    import boto3

    name = f"ekraf-test-{uuid.uuid4().hex[:12]}"
    env = {
        "EKRAF_S3_BUCKET": name,
        "EKRAF_S3_ENDPOINT_URL": s3_server,
        "EKRAF_S3_ACCESS_KEY": "testing",
        "EKRAF_S3_SECRET_KEY": "testing",
        "EKRAF_S3_REGION": "us-east-1",
    }
    client = boto3.client(
        "s3",
        endpoint_url=s3_server,
        aws_access_key_id="testing",
        aws_secret_access_key="testing",
        region_name="us-east-1",
    )
    client.create_bucket(Bucket=name)
    env["client"] = client
    return env


def s3_storage_settings(bucket_env: dict) -> dict:
    """STORAGES["default"] exactly as settings.py builds it for these EKRAF_S3_* values."""
    return {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": bucket_env["EKRAF_S3_BUCKET"],
            "endpoint_url": bucket_env["EKRAF_S3_ENDPOINT_URL"],
            "access_key": bucket_env["EKRAF_S3_ACCESS_KEY"],
            "secret_key": bucket_env["EKRAF_S3_SECRET_KEY"],
            "region_name": bucket_env["EKRAF_S3_REGION"],
            "addressing_style": "path",
            "signature_version": "s3v4",
            "location": "",
            "default_acl": None,
            "custom_domain": "testserver/media",
            "url_protocol": "http:",
            "querystring_auth": False,
            "file_overwrite": False,
        },
    }


def production_env(var_dir: Path, **extra: str) -> dict[str, str]:
    """The environment of a production installation, for a subprocess of `python -m ekraf`."""
    from cryptography.fernet import Fernet

    # A clean environment, as a systemd unit gives: nothing of the test run leaks in (pytest
    # and the browser tests set variables a production server must not have).
    env = {key: os.environ[key] for key in ("PATH", "HOME", "LANG", "TMPDIR") if key in os.environ}
    env.update(
        {
            "PYTHONPATH": str(SRC),
            "EKRAF_VAR_DIR": str(var_dir),
            "EKRAF_BASE_URL": "https://ekraf.malangkota.go.id",
            "EKRAF_SECRET_KEY": secrets.token_urlsafe(50),
            "EKRAF_FIELD_KEYS": Fernet.generate_key().decode(),
            "EKRAF_HASH_KEY": secrets.token_hex(32),
            "DATABASE_URL": "postgres://ekraf@127.0.0.1:5432/ekraf",
            "REDIS_URL": REDIS_URL,
            "EKRAF_S3_BUCKET": "ekraf-media",
            "EKRAF_S3_ENDPOINT_URL": "https://s3.malangkota.go.id",
            "EKRAF_S3_ACCESS_KEY": "access",
            "EKRAF_S3_SECRET_KEY": "secret",
            "EKRAF_LOG_FORMAT": "json",
        }
    )
    env.update(extra)
    return env


PYTHON = sys.executable
