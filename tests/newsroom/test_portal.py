"""The public portal: pages, constant query counts, the cache, Atom feeds, the sitemap."""

import json
import re

import pytest
from django.core.cache import cache
from django.urls import reverse
from lxml import etree

from ekraf.newsroom import services

from . import factories as nf

ATOM = "{http://www.w3.org/2005/Atom}"


@pytest.fixture(autouse=True)
def _fresh_cache(settings):
    """A local-memory cache, so query counts are the pages' own (the embedded default keeps its
    cache in the database)."""
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    cache.clear()
    yield
    cache.clear()


def _publish_some(reporter, editor, n, village="Dinoyo"):
    return [nf.published(reporter, editor, village=village, title=f"Cerita {i}") for i in range(n)]


def _count(client, url):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    cache.clear()
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(ctx.captured_queries)


def test_portal_pages_keep_a_constant_query_count(client, reporter, editor):
    first = _publish_some(reporter, editor, 1)[0]
    district = first.district.code
    urls = [
        reverse("newsroom:portal"),
        reverse("newsroom:region", args=[district]),
        reverse("newsroom:region", args=[first.region.code]),
        reverse("newsroom:tag", args=["wisata"]),
        reverse("newsroom:corrections"),
        reverse("newsroom:feed"),
        reverse("newsroom:region_feed", args=[district]),
    ]
    for url in urls:  # the first request of a process reads what later ones have cached
        _count(client, url)
    before = {url: _count(client, url) for url in urls}
    story_before = _count(client, reverse("newsroom:story", args=[first.public_id]))
    more = _publish_some(reporter, editor, 4)
    for story in more:
        services.correct(story, editor, summary="Ejaan nama.")
    after = {url: _count(client, url) for url in urls}
    assert after == before
    story = more[0]
    assert _count(client, reverse("newsroom:story", args=[story.public_id])) == story_before


def test_cached_portal_pages_cost_no_story_queries(
    client, reporter, editor, django_assert_max_num_queries
):
    story = _publish_some(reporter, editor, 2)[0]
    url = reverse("newsroom:story", args=[story.public_id])
    client.get(url)
    uncached = _count(client, url)
    client.get(url)
    with django_assert_max_num_queries(uncached - 3):  # the story, photos, corrections…
        assert client.get(url).status_code == 200


def test_the_cache_is_cleared_on_publication_correction_and_retraction(
    client, reporter, editor, django_capture_on_commit_callbacks
):
    story = _publish_some(reporter, editor, 1)[0]
    portal = reverse("newsroom:portal")
    page = reverse("newsroom:story", args=[story.public_id])
    assert b"Cerita 0" in client.get(portal).content
    with django_capture_on_commit_callbacks(execute=True):  # the clearing runs after commit
        _publish_some(reporter, editor, 1, village="Lowokwaru")
    assert client.get(portal).content.count(b"Cerita 0") == 2  # the new one is listed at once
    with django_capture_on_commit_callbacks(execute=True):
        services.correct(
            story, editor, summary="Nama RT diperbaiki.", title="Cerita yang dikoreksi"
        )
    body = client.get(page).content.decode()
    assert "Cerita yang dikoreksi" in body and "Nama RT diperbaiki." in body
    with django_capture_on_commit_callbacks(execute=True):
        services.retract(story, editor, reason="court", note="Putusan pengadilan.")
    answer = client.get(page)
    assert answer.status_code == 410
    assert "Putusan pengadilan." in answer.content.decode()


def test_story_page_has_byline_only_with_consent_and_metadata_with_correction(
    client, reporter, editor
):
    story = nf.draft(reporter)
    services.save_story(story, reporter, {"byline_consent": False})
    services.submit(story, reporter)
    services.review(story, editor)
    services.approve(story, editor)
    services.publish(story, editor)
    services.correct(story, editor, summary="Tanggal festival diperbaiki.")
    html = client.get(reverse("newsroom:story", args=[story.public_id])).content.decode()
    assert "Sari Pewarta" not in html
    assert "Pewarta warga" in html
    assert 'property="og:title"' in html and "wa.me" in html
    data = json.loads(
        re.search(r'<script type="application/ld\+json">(.*?)</script>', html, re.S).group(1)
    )
    assert data["@type"] == "NewsArticle"
    assert data["correction"][0]["text"] == "Tanggal festival diperbaiki."
    assert data["author"]["name"] == "Pewarta warga"
    nf_story = nf.published(reporter, editor, title="Dengan nama")
    html = client.get(reverse("newsroom:story", args=[nf_story.public_id])).content.decode()
    assert "Sari Pewarta" in html


def test_unpublished_stories_and_their_photos_are_not_public(client, reporter):
    story = nf.draft(reporter)
    photo = services.add_photo(
        story, reporter, nf.upload(), caption="a", credit="b", licence="cc-by-4.0"
    )
    assert client.get(reverse("newsroom:story", args=[story.public_id])).status_code == 404
    assert client.get(reverse("newsroom:photo", args=[photo.public_id])).status_code == 404


def _validate_atom(content: bytes, expect_titles):
    root = etree.fromstring(content)
    assert root.tag == f"{ATOM}feed"
    for required in ("id", "title", "updated"):
        assert root.find(f"{ATOM}{required}") is not None, required
    entries = root.findall(f"{ATOM}entry")
    for entry in entries:
        for required in ("id", "title", "updated"):
            assert entry.find(f"{ATOM}{required}") is not None, required
        assert entry.find(f"{ATOM}link").get("href").startswith("http")
        # RFC 4287: an entry without content needs a summary; every entry here has an author
        assert entry.find(f"{ATOM}summary") is not None
        assert entry.find(f"{ATOM}author/{ATOM}name") is not None
    assert {e.find(f"{ATOM}title").text for e in entries} == set(expect_titles)


def test_atom_feeds_are_valid_atom(client, reporter, editor):
    in_dinoyo = _publish_some(reporter, editor, 2)
    elsewhere = nf.published(reporter, editor, village="Kauman", title="Dari Klojen")
    feed = client.get(reverse("newsroom:feed"))
    assert feed["Content-Type"].startswith("application/atom+xml")
    _validate_atom(feed.content, [s.title for s in in_dinoyo] + [elsewhere.title])
    district = client.get(reverse("newsroom:region_feed", args=[in_dinoyo[0].district.code]))
    _validate_atom(district.content, [s.title for s in in_dinoyo])


def test_sitemap_lists_published_stories(client, reporter, editor):
    story = _publish_some(reporter, editor, 1)[0]
    draft = nf.draft(reporter, title="Belum terbit")
    answer = client.get("/sitemap.xml")
    assert answer.status_code == 200
    root = etree.fromstring(answer.content)
    ns = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
    locs = [el.text for el in root.iter(f"{ns}loc")]
    assert any(loc.endswith(f"/berita/{story.public_id}/") for loc in locs)
    assert not any(draft.public_id in loc for loc in locs)


def test_anyone_can_file_a_complaint(client, reporter, editor):
    story = _publish_some(reporter, editor, 1)[0]
    answer = client.post(
        reverse("newsroom:complain", args=[story.public_id]),
        {"reason": "inaccurate", "detail": "Salah tanggal", "name": "Budi", "contact": "b@c.id"},
    )
    assert answer.status_code == 302
    assert story.complaints.get().due_at
