"""Structured logs: with EKRAF_LOG_FORMAT=json each line is one JSON object carrying the
request id (from the proxy's X-Request-ID, or made here), and a background task's lines carry
the task's id in the same field."""

import io
import json
import logging

import pytest
from django.core.management import call_command

from ekraf.core.logging import JsonFormatter, RequestIdFilter
from ekraf.ops.tasks import ping

pytestmark = pytest.mark.django_db


@pytest.fixture
def json_lines():
    """Log lines as production writes them (the formatter and filter settings.LOGGING uses)."""
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.addFilter(RequestIdFilter())
    handler.setFormatter(JsonFormatter())
    root = logging.getLogger()
    root.addHandler(handler)
    old_level = root.level
    root.setLevel(logging.INFO)
    try:
        yield lambda: [json.loads(line) for line in stream.getvalue().splitlines()]
    finally:
        root.removeHandler(handler)
        root.setLevel(old_level)


def test_settings_pick_the_json_formatter_when_asked(settings):
    assert settings.LOGGING["formatters"]["json"]["()"] == "ekraf.core.logging.JsonFormatter"
    assert settings.LOGGING["handlers"]["console"]["filters"] == ["request_id"]


def test_request_line_carries_the_proxys_request_id(client, json_lines):
    response = client.get("/healthz", HTTP_X_REQUEST_ID="nginx-4f2a9c")
    assert response["X-Request-ID"] == "nginx-4f2a9c"
    (line,) = [line for line in json_lines() if line["logger"] == "ekraf.request"]
    assert line["request_id"] == "nginx-4f2a9c"
    assert line["method"] == "GET" and line["path"] == "/healthz" and line["status"] == 200
    assert isinstance(line["duration_ms"], float)


def test_lines_logged_inside_a_request_share_its_id(client, json_lines, monkeypatch):
    from django_tasks_db.models import DBTaskResult

    def broken(*args, **kwargs):
        raise RuntimeError("antrian mati")

    monkeypatch.setattr(DBTaskResult.objects, "exists", broken)
    response = client.get("/healthz")
    request_id = response["X-Request-ID"]
    assert len(request_id) == 32  # made here: the client sent none
    lines = json_lines()
    warning = next(line for line in lines if line["logger"] == "ekraf.core.views")
    assert warning["level"] == "WARNING" and "queue" in warning["message"]
    assert {line["request_id"] for line in lines} == {request_id}


def test_an_unsafe_request_id_from_outside_is_replaced(client, json_lines):
    response = client.get("/healthz", HTTP_X_REQUEST_ID='x"\n{"level": "forged"}')
    assert response["X-Request-ID"] != 'x"\n{"level": "forged"}'
    assert all(line["request_id"] == response["X-Request-ID"] for line in json_lines())


def test_task_lines_carry_the_task_id_and_enqueue_links_it_to_the_request(json_lines):
    result = ping.enqueue("halo")
    enqueued = [line for line in json_lines() if line.get("task_id") == str(result.id)]
    assert enqueued[0]["message"].startswith("task enqueued")

    call_command("worker", "--burst", verbosity=0)

    lines = json_lines()
    ping_line = next(line for line in lines if line["logger"] == "ekraf.ops.tasks")
    assert ping_line["message"] == "ping halo"
    assert ping_line["request_id"] == f"task-{result.id}"
    started = next(line for line in lines if line["message"].startswith("task started"))
    assert started["task_id"] == str(result.id)
    # After the task, the worker's own lines are no longer attributed to it.
    logging.getLogger("ekraf.test").info("after")
    assert json_lines()[-1]["request_id"] == "-"
