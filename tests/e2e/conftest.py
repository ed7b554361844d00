"""A real browser for end-to-end tests: Debian's Chromium driven by Playwright.

Never `playwright install`: the browser comes from the system (apt-get install chromium).
Tests run at a phone-sized viewport because most people use the platform on their phones.

Every page a browser test visits is checked with axe-core (WCAG 2.1 AA): a serious or critical
violation fails the test, naming the page, the rule and the elements (tests/e2e/accessibility.py).
The `page` fixture does it; a test that needs another kind of context opens it with the
`open_context` fixture (or passes its own to `accessibility.watch(context)`).
"""

import os
import shutil

import pytest

from tests.e2e.accessibility import AccessibilityChecker

# Playwright's sync API runs an event loop in this thread; the ORM calls the tests make
# around it are ordinary blocking calls, which Django would otherwise refuse.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = os.environ.get("EKRAF_CHROMIUM", "/usr/bin/chromium")
PHONE = {"width": 390, "height": 844}


def pytest_collection_modifyitems(config, items):
    for item in items:
        if "tests/e2e/" in str(item.fspath):
            item.add_marker(pytest.mark.e2e)


CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@pytest.fixture(scope="session")
def django_db_modify_db_settings(django_db_modify_db_settings_parallel_suffix, tmp_path_factory):
    """On SQLite the browser tests' database is a file, as `make run`'s is, not Django's
    shared-cache in-memory test database: there, a request that writes while the live server's
    other thread reads (an autosave racing a reload) fails at once with "database table is
    locked" instead of waiting, a failure no real server can have (the file's WAL and busy
    timeout from settings apply here too)."""
    from django.db import connections

    settings = connections["default"].settings_dict
    if settings["ENGINE"] == "django.db.backends.sqlite3":
        name = tmp_path_factory.mktemp("e2e-db") / "ekraf-e2e.sqlite3"
        settings.setdefault("TEST", {})["NAME"] = str(name)


@pytest.fixture(scope="session")
def playwright():
    if not shutil.which(CHROMIUM) and not os.path.exists(CHROMIUM):
        message = f"Chromium not found at {CHROMIUM}: apt-get install chromium"
        if os.environ.get("EKRAF_E2E_REQUIRED"):
            pytest.fail(message)
        pytest.skip(message)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        yield p


@pytest.fixture(scope="session")
def browser(playwright):
    browser = playwright.chromium.launch(
        executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS
    )
    yield browser
    browser.close()


@pytest.fixture
def launch_chromium(playwright):
    """Another Chromium for one test, with extra command-line flags (a fake camera: see
    tests/e2e/fakecamera.py); closed after the test."""
    launched = []

    def launch(*args):
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, headless=True, args=[*CHROMIUM_ARGS, *args]
        )
        launched.append(browser)
        return browser

    yield launch
    for browser in launched:
        browser.close()


def watch_errors(page) -> list[str]:
    """Script errors and console errors of `page`, collected into the returned list."""
    errors = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
    return errors


@pytest.hookimpl(wrapper=True)
def pytest_runtest_call(item):
    """Once the test body has passed, check the pages still open: a violation fails the test
    itself (not its teardown), after everything the test asserted."""
    result = yield
    checker = item.funcargs.get("accessibility") if hasattr(item, "funcargs") else None
    if checker is not None:
        checker.assert_clean()
    return result


@pytest.fixture
def accessibility(browser, live_server):
    """axe-core on every page of every watched browser context (see tests/e2e/accessibility.py)."""
    return AccessibilityChecker(origin=live_server.url, browser=browser)


@pytest.fixture
def open_context(browser, live_server, accessibility):
    """Opens browser contexts like the `page` fixture's (other options may be given), watched by
    the accessibility checker and closed after the test's checks."""
    contexts = []

    def open_context(**options):
        options = {
            "viewport": PHONE,
            "is_mobile": True,
            "has_touch": True,
            "locale": "id-ID",
            "base_url": live_server.url,
            **options,
        }
        context = accessibility.watch(
            browser.new_context(**options), javascript=options.get("java_script_enabled", True)
        )
        context.set_default_timeout(10_000)
        contexts.append(context)
        return context

    yield open_context
    for context in contexts:
        context.close()


@pytest.fixture
def page(open_context):
    context = open_context()
    page = context.new_page()
    errors = watch_errors(page)
    yield page
    # A CSP violation or a script error is a defect even if the test's clicks worked.
    assert not errors, errors


def login(page, username: str, password: str) -> None:
    page.goto("/masuk/")
    page.get_by_label("Email atau nama pengguna").fill(username)
    page.get_by_label("Kata sandi").fill(password)
    page.get_by_role("button", name="Masuk").click()
    page.wait_for_load_state()
    if "/akun/dua-langkah/" in page.url:  # an administrator enrols the second step first
        import base64

        from django_otp.oath import totp

        secret = page.locator("code.user-select-all").inner_text().replace(" ", "")
        page.get_by_label("Kode", exact=True).fill(f"{totp(base64.b32decode(secret)):06d}")
        page.get_by_role("button", name="Aktifkan").click()
        page.get_by_role("link", name="Lanjutkan").click()
        page.wait_for_load_state()
