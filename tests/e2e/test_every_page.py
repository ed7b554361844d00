"""Every page the navigation offers, for each role, passes axe-core (WCAG 2.1 AA).

The journeys check the pages they pass through; this walks the rest. For each role (anonymous,
creator, organiser, agency staff, committee, administrator) it signs in, opens the menu and its
dropdowns (checked open: the bar's links and the menus are only seen then), visits every link
of the navigation bar, the home page and the footer, and one page of each kind those pages link
to; the accessibility checker checks each on load. The city is small and built with factories
(load_demo is too slow here): a published training with a registration (a ticket), an issued
certificate, a referral in the queue and a public creator profile, so that lists, wallets and
queues have something in them.
"""

from urllib.parse import urlsplit

import pytest
from django.urls import resolve
from playwright.sync_api import Error as PlaywrightError

from ekraf.credentials import keys
from ekraf.credentials import services as credentials
from ekraf.credentials.models import Certificate
from ekraf.trainings.models import Registration
from tests import factories
from tests.creators import factories as creator_factories
from tests.credentials import factories as cf
from tests.e2e.conftest import login
from tests.trainings import factories as tf

pytestmark = pytest.mark.django_db(transaction=True)

# Not our templates: Swagger UI ships with django-ninja and Django's admin with Django.
# The menu's language switch is a redirect back to the page, not a page; following it would turn
# the rest of the crawl English.
NOT_OURS = ("/api/", "/admin/", "/bahasa/")
FILES = (".pdf", ".xlsx", ".csv", ".ics", ".svg", ".png", ".json", ".jwt", ".atom", ".xml")


@pytest.fixture
def small_city(settings, tmp_path):
    # Six sign-ins: a fast hasher (password strength is not under test here).
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.CREDENTIAL_KEYS_DIR = tmp_path / "keys"
    keys.forget()
    keys.init()
    factories.ensure_city()
    diskominfo = factories.agency("diskominfo")
    people = {
        "creator": creator_factories.creator("Ayu Kartika Sari", public=True).user,
        "organiser": factories.user("org", role="organiser", agency=diskominfo),
        "agency_staff": factories.user(
            "disnaker", role="agency_staff", agency=factories.agency("disnaker-pmptsp")
        ),
        "committee": factories.user("komite", role="committee"),
        "admin": factories.user("admin", role="admin"),
    }
    creator = people["creator"]
    tf.register(tf.training(diskominfo, title="Bimtek Konten Kreator: Branding Kota"), creator)
    finished = cf.training(diskominfo, title="Bimtek Fotografi Produk")
    cf.registration(finished, creator, attended=True)
    cf.issue(finished)
    certificate = Certificate.objects.get(registration__training=finished)
    credentials.request_referral(creator, scheme="Content Creator")
    assert Registration.objects.filter(user=creator).count() == 2
    # The lean verification page, for a real certificate and for an invented code.
    people["extra"] = [f"/verifikasi/{certificate.code}", "/verifikasi/ABCDEFGHJKMNP"]
    yield people
    keys.forget()


def same_site_links(page) -> list[str]:
    """Paths (with query) of the page's links to this site, in page order, less what is not ours
    and files (PDF, spreadsheets, calendars, images, JSON, feeds)."""
    here = urlsplit(page.url).netloc
    paths = []
    for href in page.eval_on_selector_all("a[href]", "links => links.map(a => a.href)"):
        url = urlsplit(href)
        if url.netloc != here or url.path.startswith(NOT_OURS) or url.path.endswith(FILES):
            continue
        path = url.path + (f"?{url.query}" if url.query else "")
        if path not in paths:
            paths.append(path)
    return paths


def route_of(path: str) -> str:
    return resolve(urlsplit(path).path).route


def visit(page, path, downloads: set) -> bool:
    try:
        page.goto(path)
    except PlaywrightError as error:  # a link that turned out to be a download
        if "Download is starting" in str(error):
            downloads.add(route_of(path))
            return False
        raise
    return True


def open_menus(page, accessibility) -> None:
    page.get_by_role("button", name="Buka menu").click()
    page.locator("#nav.show").wait_for()
    accessibility.check(page)  # the bar's links, seen only with the menu open
    for toggle in page.locator("#nav .dropdown-toggle").all():
        toggle.click()
        page.locator("#nav .dropdown-menu.show").first.wait_for()
        accessibility.check(page)
        toggle.click()


def test_every_page_in_the_navigation_passes_axe_for_each_role(
    page, open_context, accessibility, small_city
):
    """For each role: the home page with the menus open, every page its navigation, home page and
    footer link to, and one page of each kind those pages link to (a page kind is a URL
    route: one training's page stands for all), down to three clicks from the menu."""
    seen_routes, downloads = set(), set()
    for role in ["anonymous", "creator", "organiser", "agency_staff", "committee", "admin"]:
        page.context.clear_cookies()
        if role != "anonymous":
            login(page, small_city[role].username, factories.PASSWORD)
        page.goto("/")
        open_menus(page, accessibility)
        first_level = same_site_links(page)
        assert "/pelatihan/" in first_level, role
        below = []
        for path in first_level:
            seen_routes.add(route_of(path))
            if visit(page, path, downloads):
                below += same_site_links(page)
        for _depth in (2, 3):
            next_level = []
            for path in dict.fromkeys(below):
                if route_of(path) not in seen_routes:
                    seen_routes.add(route_of(path))
                    if visit(page, path, downloads):
                        next_level += same_site_links(page)
            below = next_level
    # Reached from outside the site (the QR, a pasted link). An invented code answers 404,
    # which the browser logs: a page of its own, not `page`, which counts console errors.
    outside = open_context().new_page()
    for path in small_city["extra"]:
        seen_routes.add(route_of(path))
        visit(outside, path, downloads)
    accessibility.assert_clean()
    assert len(seen_routes) >= 40  # the pages of every app so far, each of them checked
    checked = {route_of(urlsplit(url).path) for url in accessibility.checked_urls}
    assert seen_routes - checked <= downloads
