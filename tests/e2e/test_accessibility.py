"""The accessibility checker itself: axe-core runs on every page a browser test visits, not only
the first (also a page the test leaves at once, and pages without JavaScript), and a serious or
critical violation fails the test with the page, the rule, its impact and the elements."""

import re

import pytest

from tests.e2e.accessibility import AccessibilityViolations

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.urls("tests.e2e.a11y_probe_urls"),
]


def test_a_bad_page_visited_in_passing_is_caught_and_named(page, accessibility):
    # A clean page, then the bad one (left at once by a click), then the clean one again.
    page.goto("/a11y-probe/rapi/")
    page.get_by_role("link", name="Ke halaman buruk").click()
    page.get_by_role("link", name="Kembali").click()
    page.wait_for_url("**/a11y-probe/rapi/")

    with pytest.raises(AccessibilityViolations) as caught:
        accessibility.assert_clean()
    report = str(caught.value)
    pages = re.findall(r"^ +on (.+)$", report, flags=re.M)
    assert pages and all(p.endswith("/a11y-probe/buruk/") for p in pages)  # only the bad page…
    assert "color-contrast (serious)" in report  # …with each rule, its impact,
    assert '<a class="link-light" href="/a11y-probe/rapi/">' in report  # the element,
    assert "insufficient color contrast of 1.05" in report  # and why
    assert "image-alt (critical)" in report
    assert '<img src="/a11y-probe/pixel.png"' in report
    assert [url.rsplit("/a11y-probe/", 1)[1] for url in accessibility.checked_urls] == [
        "rapi/",
        "buruk/",
        "rapi/",
    ]
    accessibility.assert_clean()  # what was raised is forgotten: the test itself passes


def test_a_page_left_before_its_load_event_is_still_checked(page, accessibility):
    # Its image never arrives, so its `load` event (axe's usual start) never fires; the click
    # away is held until axe, started by `beforeunload`, has checked the page as it stands.
    held = []
    page.route("**/a11y-probe/pixel.png", lambda route: held.append(route))
    page.goto("/a11y-probe/buruk/", wait_until="domcontentloaded")
    page.get_by_role("link", name="Kembali").click(timeout=10_000)
    page.wait_for_url("**/a11y-probe/rapi/")
    assert held, "the image was asked for and left waiting"

    with pytest.raises(AccessibilityViolations) as caught:
        accessibility.assert_clean()
    assert "/a11y-probe/buruk/" in str(caught.value)
    assert "color-contrast (serious)" in str(caught.value)


def test_a_page_without_javascript_is_checked_as_it_was_served(open_context, accessibility):
    page = open_context(java_script_enabled=False).new_page()
    page.goto("/a11y-probe/rapi/")
    page.get_by_role("link", name="Ke halaman buruk").click()
    page.wait_for_url("**/a11y-probe/buruk/")

    with pytest.raises(AccessibilityViolations) as caught:
        accessibility.assert_clean()
    assert "/a11y-probe/buruk/" in str(caught.value)
    assert "image-alt (critical)" in str(caught.value)
    assert len(accessibility.checked_urls) == 2


def test_a_clean_page_passes(page, accessibility):
    page.goto("/a11y-probe/rapi/")
    accessibility.assert_clean()
    assert accessibility.checked_urls[-1].endswith("/a11y-probe/rapi/")
