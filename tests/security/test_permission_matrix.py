"""Issue 9, point 9: a permission matrix that cannot be forgotten.

Every page of the URL configuration and every operation of the OpenAPI document is requested
as every role (tests/security/matrix/ROLES) in one world whose objects belong to agency A, and
each answer is compared with the route's row in tests/security/matrix/<app>.py. A route
without a row fails the build, so does a row that names no route. The format, and how to add
rows for a new app, are in tests/security/README.md.
"""

from __future__ import annotations

import copy
import json

import pytest
from django.db import transaction
from django.test import Client

from . import routes
from .matrix import ROLES, load


def _missing_and_stale(registry):
    every = routes.all_routes()
    missing = [r.key for r in every if routes.row_for(r, registry.rows) is None]
    used = {routes.row_for(r, registry.rows).key for r in every if routes.row_for(r, registry.rows)}
    stale = sorted(set(registry.rows) - used)
    return missing, stale


def test_every_route_has_a_row_and_every_row_a_route():
    registry = load()
    missing, stale = _missing_and_stale(registry)
    assert not missing, (
        "routes without a row in tests/security/matrix/<app>.py (see its README): "
        + ", ".join(missing)
    )
    assert not stale, "rows that match no route: " + ", ".join(stale)


class Visitors:
    """One browser per role, signed in once (force_login, outside every savepoint); after each
    request its cookies are put back, so a request that signs out or rotates the session
    (rolled back with its savepoint) cannot change who the next request is."""

    def __init__(self, world):
        self.world = world
        self.clients = {}
        for role, user in world.users.items():
            client = Client(raise_request_exception=False)
            if user is not None:
                client.force_login(user)
            self.clients[role] = (client, copy.deepcopy(client.cookies))

    def request(self, role, route, url, body):
        """One request as `role`, inside a savepoint that is rolled back: no request changes
        the world the next one sees."""
        client, cookies = self.clients[role]
        headers = {}
        if route.kind == "api" and self.world.users[role] is not None:
            headers["HTTP_AUTHORIZATION"] = f"Bearer {self.world.tokens[role]}"
        with transaction.atomic():
            if route.kind == "api" and route.method != "GET":
                response = client.generic(
                    route.method,
                    url,
                    json.dumps(body if body is not None else {}),
                    content_type="application/json",
                    **headers,
                )
            else:
                response = client.get(url, **headers)
            if getattr(response, "streaming", False):
                response.content_bytes = b"".join(response.streaming_content)
            else:
                response.content_bytes = response.content
            transaction.set_rollback(True)
        client.cookies = copy.deepcopy(cookies)
        return response


def walk(world, registry, wanted_roles=ROLES, only=None):
    """(route, role, url, response) for every route that has a way to build its URL."""
    visitors = Visitors(world)
    for route in routes.all_routes():
        if only is not None and not only(route, registry):
            continue
        url = routes.url_of(route, world, registry.args)
        body_of = registry.bodies.get(route.key)
        for role in wanted_roles:
            body = body_of(world) if body_of else None
            yield route, role, url, visitors.request(role, route, url, body)


@pytest.mark.django_db
def test_every_route_answers_every_role_as_its_row_says(world):
    registry = load()
    mismatches, observed = [], {}
    unbuildable = []
    for route in routes.all_routes():
        try:
            routes.url_of(route, world, registry.args)
        except routes.NoArguments:
            unbuildable.append(route.key)
    assert not unbuildable, "no ARGS entry builds the URL of: " + ", ".join(unbuildable)
    for route, role, url, response in walk(world, registry):
        got = routes.outcome(response)
        observed.setdefault(route.key, {})[role] = got
        row = routes.row_for(route, registry.rows)
        if row is None:
            continue
        wanted = row.expected[role]
        if got != wanted and not (wanted.isdigit() and int(wanted) == response.status_code):
            mismatches.append(f"{route.key} ({url}) as {role}: row says {wanted}, got {got}")
    suggestion = "\n".join(
        f"{key:<50} " + " ".join(f"{observed[key][role]:<9}" for role in ROLES)
        for key in observed
        if routes.row_for(next(r for r in routes.all_routes() if r.key == key), registry.rows)
        is None
    )
    assert not mismatches, "\n".join(mismatches) + (
        f"\n\nobserved for routes without rows:\n{suggestion}" if suggestion else ""
    )
    if suggestion:
        pytest.fail(f"routes without rows; observed:\n{suggestion}")
