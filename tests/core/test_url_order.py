"""The URLconf's order: Django tries patterns one by one, and every app is included at the
root, so where an app stands is what each of its requests pays before it is matched."""

import pytest
from django.urls import get_resolver, resolvers


@pytest.fixture
def patterns_tried(monkeypatch):
    tried = []
    original = resolvers.URLPattern.resolve

    def counting(self, path):
        tried.append(self)
        return original(self, path)

    monkeypatch.setattr(resolvers.URLPattern, "resolve", counting)

    def resolve(path: str) -> int:
        tried.clear()
        get_resolver().resolve(path)
        return len(tried)

    return resolve


@pytest.mark.parametrize(
    ("path", "most"),
    [
        ("/verifikasi/ZVZ5C6G9AWHXP", 10),  # every QR scan
        ("/api/v1/certificates/ZVZ5C6G9AWHXP", 10),  # browser-based verifiers
        ("/berita/DC7X98SJVSFC/", 50),  # the portal's readers
        ("/berita/wilayah/35.73.01/", 50),
    ],
)
def test_the_busiest_public_addresses_are_matched_early(patterns_tried, path, most):
    assert patterns_tried(path) <= most


def test_no_two_apps_share_a_page_route():
    """What makes the order safe to choose for speed: it never decides where a request goes."""

    def walk(resolver, prefix=""):
        for pattern in resolver.url_patterns:
            if isinstance(pattern, resolvers.URLResolver):
                if str(pattern.pattern) != "api/v1/":  # the API's paths are one view per method set
                    yield from walk(pattern, prefix + str(pattern.pattern))
            else:
                yield prefix + str(pattern.pattern)

    routes = list(walk(get_resolver()))
    assert len(routes) == len(set(routes))
