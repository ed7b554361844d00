"""The anonymous reader's page cache (newsroom.cache.anonymous_page): no query and no session
on a repeat, no cookie set (a form would get each visitor's own CSRF token), correct at once after a correction or retraction,
and never a signed-in person's page shared (or an anonymous one shown to them)."""

import re
from urllib.parse import quote

import pytest
from django.core.cache import cache
from django.test import Client
from django.urls import reverse

from ekraf.newsroom import services

from . import factories as nf

TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


@pytest.fixture(autouse=True)
def _fresh_cache(settings):
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    cache.clear()
    yield
    cache.clear()


def _anonymous(url, client=None):
    """A first-time visitor: no cookie at all (as the benchmark's load generator)."""
    client = client or Client()
    client.cookies.clear()
    return client.get(url)


def _urls(story):
    return [
        reverse("newsroom:story", args=[story.public_id]),
        reverse("newsroom:region", args=[story.district.code]),
        reverse("newsroom:region", args=[story.region.code]),
        reverse("newsroom:portal"),
        reverse("newsroom:portal") + "?halaman=1",
        reverse("newsroom:tag", args=["wisata"]),
        reverse("newsroom:corrections"),
    ]


def test_a_repeat_anonymous_page_costs_no_query_and_matches_the_rendered_one(
    reporter, editor, django_assert_num_queries
):
    story = nf.published(reporter, editor, title="Cerita pertama")
    for url in _urls(story):
        first = _anonymous(url)
        assert first.status_code == 200, url
        with django_assert_num_queries(0):  # no session, user, navigation or story query
            again = _anonymous(url)
        assert again.status_code == 200
        assert TOKEN.sub("", again.content.decode()) == TOKEN.sub("", first.content.decode())
        assert "Cookie" in again["Vary"]


def test_the_query_count_stays_constant_as_stories_are_published(
    reporter, editor, django_assert_num_queries, django_capture_on_commit_callbacks
):
    story = nf.published(reporter, editor, title="Cerita pertama")
    urls = _urls(story)
    with django_capture_on_commit_callbacks(execute=True):
        for i in range(5):
            nf.published(reporter, editor, title=f"Cerita {i}")
    for url in urls:
        _anonymous(url)
        with django_assert_num_queries(0):
            assert _anonymous(url).status_code == 200


def test_a_cached_page_sets_no_cookie_and_its_language_link_switches(reporter, editor):
    """The menu's language switch is a link, so the page every anonymous reader shares holds no
    CSRF token and its answer sets no cookie; the English page is kept apart."""
    story = nf.published(reporter, editor)
    url = reverse("newsroom:story", args=[story.public_id])
    _anonymous(url)
    reader = Client()
    page = reader.get(url)
    body = page.content.decode()
    assert not page.cookies and "csrfmiddlewaretoken" not in body and "@@csrf@@" not in body
    switch = reverse("core:switch_language", args=["en"]) + f"?next={quote(url)}"
    assert f'href="{switch}"' in body
    back = reader.get(switch)
    assert back.status_code == 302 and back["Location"] == url
    english = reader.get(url)
    assert english["Content-Language"] == "en" and '<html lang="en"' in english.content.decode()
    assert reader.get(url).content == english.content  # from the cache, in English
    assert _anonymous(url).content == page.content  # Indonesian readers are not affected


@pytest.mark.django_db
def test_a_form_on_a_cached_page_gets_each_visitor_their_own_token(rf):
    """Should a portal page hold a form, the cached copy keeps a marker for its CSRF token and
    each visitor's own is put back (and accepted)."""
    from django.http import HttpResponse
    from django.middleware.csrf import CsrfViewMiddleware
    from django.template import engines

    from ekraf.newsroom import cache as portal_cache

    form = engines["django"].from_string('<form method="post">{% csrf_token %}</form>')

    @portal_cache.anonymous_page
    def view(request):
        return HttpResponse(form.render({}, request))

    first, second = (view(rf.get("/berita/form/")) for _ in range(2))
    tokens = [TOKEN.search(r.content.decode()).group(1) for r in (first, second)]
    assert tokens[0] != tokens[1] and "@@csrf@@" not in second.content.decode()
    request = rf.get("/berita/form/")
    answer = view(request)  # from the cache
    secret = request.META["CSRF_COOKIE"]
    post = rf.post("/x/", {"csrfmiddlewaretoken": TOKEN.search(answer.content.decode()).group(1)})
    post.COOKIES["csrftoken"] = secret
    post._dont_enforce_csrf_checks = False
    middleware = CsrfViewMiddleware(lambda r: HttpResponse())
    assert middleware.process_view(post, lambda r: None, (), {}) is None  # accepted


def test_a_correction_and_a_retraction_show_on_the_next_anonymous_request(
    reporter, editor, django_capture_on_commit_callbacks
):
    story = nf.published(reporter, editor, title="Judul lama")
    page = reverse("newsroom:story", args=[story.public_id])
    district = reverse("newsroom:region", args=[story.district.code])
    for url in (page, district, page, district):
        assert "Judul lama" in _anonymous(url).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        services.correct(story, editor, summary="Nama RT diperbaiki.", title="Judul baru")
    body = _anonymous(page).content.decode()
    assert "Judul baru" in body and "Nama RT diperbaiki." in body and "Judul lama" not in body
    assert "Judul baru" in _anonymous(district).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        services.retract(story, editor, reason="court", note="Putusan pengadilan.")
    gone = _anonymous(page)
    assert gone.status_code == 410 and "Putusan pengadilan." in gone.content.decode()
    assert _anonymous(page).status_code == 410  # the notice is cached as such
    assert "Judul baru" not in _anonymous(district).content.decode()


def test_signed_in_readers_see_their_own_navigation_and_are_never_cached(client, reporter, editor):
    story = nf.published(reporter, editor)
    url = reverse("newsroom:story", args=[story.public_id])
    account = reverse("accounts:account")
    for _ in range(2):
        page = _anonymous(url).content.decode()
        assert editor.display_name not in page and account not in page
    client.force_login(editor)
    mine = client.get(url).content.decode()
    assert editor.display_name in mine and account in mine
    assert reverse("newsroom:desk") in mine  # the editor's own menu
    # …and a signed-in page is not what the next anonymous visitor gets.
    for _ in range(2):
        page = _anonymous(url).content.decode()
        assert editor.display_name not in page and account not in page
    assert editor.display_name in client.get(url).content.decode()


def test_messages_and_other_query_strings_take_the_ordinary_path(
    reporter, editor, django_assert_max_num_queries
):
    story = nf.published(reporter, editor)
    url = reverse("newsroom:story", args=[story.public_id])
    visitor = Client()
    answer = visitor.post(
        reverse("newsroom:complain", args=[story.public_id]),
        {"reason": "inaccurate", "detail": "Salah tanggal", "name": "Budi", "contact": "b@c.id"},
        follow=True,
    )
    assert "Pengaduan Anda diterima" in answer.content.decode()  # the message, not a cached page
    assert "Pengaduan Anda diterima" not in _anonymous(url).content.decode()
    _anonymous(url + "?utm_source=wa")
    assert _anonymous(url + "?utm_source=wa").status_code == 200
    assert not [k for k in cache._cache if "utm_source" in k]  # never stored


def test_a_first_anonymous_visit_costs_a_fixed_number_of_queries(
    reporter, editor, django_assert_num_queries
):
    stories = [nf.published(reporter, editor, title=f"Cerita {i}") for i in range(3)]
    _anonymous(reverse("newsroom:portal"))  # the generation exists from the first page on
    for story in stories:
        # the story, its photos, corrections and replies, the byline's public-profile consent
        with django_assert_num_queries(5):
            assert _anonymous(reverse("newsroom:story", args=[story.public_id])).status_code == 200
    district = reverse("newsroom:region", args=[stories[0].district.code])
    # the region, the page's stories (count, rows, photos), the kecamatan and kelurahan menus
    with django_assert_num_queries(6):
        assert _anonymous(district).status_code == 200
