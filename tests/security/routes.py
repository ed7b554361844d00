"""Every route of the platform, read from the URL configuration and the OpenAPI document, and
how one request to it is made and its answer named (tests/security/README.md)."""

from __future__ import annotations

import fnmatch
import re
from dataclasses import dataclass

from django.conf import settings
from django.shortcuts import resolve_url
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from ekraf.api.api import api

API_PREFIX = "/api/v1"
# Pages of the API itself that are not operations of its OpenAPI document.
API_PAGES = {"api:openapi-json", "api:openapi-view"}
_CONVERTER = re.compile(r"<(?:(?P<conv>\w+):)?(?P<name>\w+)>")
_REGEX_GROUP = re.compile(r"\(\?P<(?P<name>\w+)>[^)]*\)")


@dataclass(frozen=True)
class Route:
    key: str  # the URL name ("trainings:detail"), "/pattern" when unnamed, "GET /api/v1/…"
    pattern: str  # as in urls.py, or the API path with {params}
    kind: str  # "page" or "api"
    method: str = "GET"
    params: tuple[str, ...] = ()
    name: str | None = None


def _walk(patterns, prefix="", namespace=None):
    for entry in patterns:
        if isinstance(entry, URLResolver):
            ns = entry.namespace
            inner = f"{namespace}:{ns}" if namespace and ns else (ns or namespace)
            yield from _walk(entry.url_patterns, prefix + str(entry.pattern), inner)
        elif isinstance(entry, URLPattern):
            name = f"{namespace}:{entry.name}" if namespace and entry.name else entry.name
            yield name, prefix + str(entry.pattern)


def _params(pattern: str) -> tuple[str, ...]:
    return tuple(m["name"] for m in _CONVERTER.finditer(pattern)) + tuple(
        m["name"] for m in _REGEX_GROUP.finditer(pattern)
    )


def pages() -> list[Route]:
    """Every page of the URL configuration (the API's operations come from its schema)."""
    seen, out = set(), []
    for name, pattern in _walk(get_resolver().url_patterns):
        if name and name.startswith("api:") and name not in API_PAGES:
            continue
        key = name or "/" + pattern
        if key in seen:
            continue
        seen.add(key)
        out.append(Route(key, pattern, "page", params=_params(pattern), name=name))
    return out


def api_operations() -> list[Route]:
    out = []
    for path, operations in api.get_openapi_schema()["paths"].items():
        for method in operations:
            if method.upper() not in ("GET", "POST", "PUT", "PATCH", "DELETE"):
                continue
            params = tuple(re.findall(r"\{(\w+)\}", path))
            key = f"{method.upper()} {path}"
            out.append(Route(key, path, "api", method.upper(), params))
    return out


def all_routes() -> list[Route]:
    return pages() + api_operations()


def row_for(route: Route, rows: dict):
    """The route's row: its own key, else the most specific glob row ("admin:*")."""
    if route.key in rows:
        return rows[route.key]
    globs = [key for key in rows if "*" in key and fnmatch.fnmatchcase(route.key, key)]
    return rows[max(globs, key=len)] if globs else None


def builder_for(route: Route, args: dict):
    for key in (route.key, route.pattern):
        if key in args:
            return args[key]
    globs = [key for key in args if "*" in key and fnmatch.fnmatchcase(route.key, key)]
    return args[max(globs, key=len)] if globs else None


class NoArguments(LookupError):
    pass


def url_of(route: Route, world, args: dict) -> str:
    """The URL to request, its arguments built from the world by the app's registry."""
    values = {}
    if route.params:
        build = builder_for(route, args)
        if build is None:
            raise NoArguments(route.key)
        values = build(world) if build.__code__.co_argcount == 1 else build(world, route)
        if isinstance(values, str):
            return values  # the builder gave the whole URL
    if route.kind == "api":
        path = route.pattern
        for name in route.params:
            path = path.replace("{" + name + "}", str(values[name]))
        return path
    if route.name:
        return reverse(route.name, kwargs={k: values[k] for k in route.params})
    path = "/" + route.pattern
    for name in route.params:
        path = re.sub(rf"<(?:\w+:)?{name}>|\(\?P<{name}>[^)]*\)", str(values[name]), path)
    return path.removesuffix("$").replace("^", "")


def _login_paths() -> tuple[str, ...]:
    return (resolve_url(settings.LOGIN_URL), "/admin/login/")


def outcome(response) -> str:
    """The answer in the matrix's vocabulary (or its status code when none fits)."""
    status = response.status_code
    if 200 <= status < 300:
        return "ok"
    if status in (301, 302, 303, 307, 308):
        location = response.get("Location", "")
        path = location.split("://", 1)[-1]
        path = "/" + path.split("/", 1)[1] if "://" in location else path
        return "login" if path.startswith(_login_paths()) else "redirect"
    return {
        400: "bad",
        422: "bad",
        401: "login",
        403: "forbidden",
        404: "not_found",
        405: "method",
        409: "conflict",
        410: "gone",
        429: "limited",
    }.get(status, str(status))
