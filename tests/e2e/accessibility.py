"""axe-core on every page a browser test visits (WCAG 2.1 AA; serious and critical fail the test).

How every page is covered, not only the first:
- axe-core (inside the `axe-playwright-python` package, so no network) is added to every
  document of a watched context as an init script, and runs in the page on its `load` event.
  Init scripts are injected through the DevTools protocol, so the page's Content-Security-Policy
  (`script-src 'self'`) neither blocks them nor needs relaxing. The result comes back through a
  Playwright binding.
- A test may click away before axe has finished. So every main-frame navigation request is held
  (a context route that only waits, then falls back to the test's own routes or the network)
  until the page being left has reported; and when the test body ends, the pages still open
  are waited for. A page left before its `load` event (which then never fires: Chromium stops
  loading a document once the next navigation starts) is checked from `beforeunload`, as it
  stands, while the navigation is held. A page replaced without a network request (a
  back/forward-cache restore) cannot be held: it is reported as unchecked rather than passed.
- In a context with JavaScript disabled axe cannot run in the page (no load listener, no
  timers). There the checker keeps the HTML each page was served and, after the test, checks
  it replayed in a JavaScript-enabled page with the site's scripts blocked: the same document
  the visitor without JavaScript saw.
"""

from __future__ import annotations

import json
import time
from dataclasses import dataclass, field

from axe_playwright_python.base import AXE_SCRIPT

FAILING_IMPACTS = ("serious", "critical")
# axe's tags for WCAG 2.0 and 2.1, levels A and AA.
WCAG_21_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
AXE_OPTIONS = {"runOnly": {"type": "tag", "values": WCAG_21_AA}, "resultTypes": ["violations"]}
WAIT_SECONDS = (
    60  # for one page's check: well under a second alone, many on a loaded 2-core machine
)

STARTED, REPORT = "__ekrafAxeStarted", "__ekrafAxeReport"
IN_PAGE = """
(() => {
  if (window.top !== window || location.origin !== %(origin)s) return;
  const token = Math.random().toString(36).slice(2) + Date.now().toString(36);
  window.%(started)s(token, location.href);
  let running = false;
  const run = () => {
    if (running) return;
    running = true;
    window.axe.run(document, %(options)s).then(
      (r) => window.%(report)s(token, {url: location.href, version: r.testEngine.version,
                                       violations: r.violations}),
      (e) => window.%(report)s(token, {url: location.href, error: String(e)}));
  };
  window.addEventListener("load", run);
  // Left before its load event (a click while an image still loads): the document lives on
  // while the next navigation is held, so axe checks it as it stands.
  window.addEventListener("beforeunload", run);
})();
"""
RUN = """async (options) => {
  const r = await window.axe.run(document, options);
  return {url: location.href, version: r.testEngine.version, violations: r.violations};
}"""


class AccessibilityViolations(AssertionError):
    """Raised at the end of a test (or by `assert_clean`) naming each page, rule and element."""


@dataclass
class _Document:
    url: str
    result: dict | None = None


@dataclass
class _PageState:
    current: str | None = None  # token of the document shown in the main frame
    served: list[list] = field(default_factory=list)  # [url, html]; JavaScript disabled only


class AccessibilityChecker:
    """One per test: watches the browser contexts the test uses and collects what axe finds.

    `watch(context, javascript=True)` is all a context needs (the `open_context` fixture and so
    the `page` fixture do it); `assert_clean()` waits for pending checks, raises
    AccessibilityViolations for everything found so far and forgets it, so a test that means
    to show a violation can catch it. The end-of-test hook in conftest calls it too."""

    def __init__(self, origin: str, browser):
        self.origin = origin
        self.browser = browser
        self.documents: dict[str, _Document] = {}
        self.pages: dict = {}
        self.checked_urls: list[str] = []
        self.found: list[tuple[str, dict]] = []  # (page URL, axe violation)
        self.errors: list[str] = []
        self.version = ""

    # -- wiring ----------------------------------------------------------------------------
    def watch(self, context, *, javascript: bool = True):
        context.on("page", self._watch_page)
        for page in context.pages:
            self._watch_page(page)
        if javascript:
            context.expose_binding(STARTED, self._started)
            context.expose_binding(REPORT, self._reported)
            context.add_init_script(
                f"if (location.origin === {json.dumps(self.origin)}) {{\n{AXE_SCRIPT}\n}}\n"
                + IN_PAGE
                % {
                    "origin": json.dumps(self.origin),
                    "options": json.dumps(AXE_OPTIONS),
                    "started": STARTED,
                    "report": REPORT,
                }
            )
            context.route("**/*", self._hold_navigation)
        else:
            context.on("response", self._served)
        return context

    def _watch_page(self, page):
        self.pages.setdefault(page, _PageState())

    def _started(self, source, token, url):
        self.documents.setdefault(token, _Document(url))  # the report may have come first
        self._watch_page(source["page"])
        self.pages[source["page"]].current = token

    def _reported(self, source, token, result):
        document = self.documents.setdefault(token, _Document(result["url"]))
        document.result = result
        self._record(result)

    def _served(self, response):
        request = response.request
        try:
            main_document = request.is_navigation_request() and request.frame == (
                request.frame.page.main_frame
            )
        except Exception:  # a service worker's request has no frame
            return
        content_type = response.headers.get("content-type", "")
        shown = not 300 <= response.status < 400  # a redirect's body is never displayed
        ours = response.url.startswith(self.origin + "/")
        if main_document and shown and ours and "html" in content_type:
            state = self.pages.setdefault(request.frame.page, _PageState())
            slot = [response.url, None]  # in visiting order, filled when the body has arrived
            state.served.append(slot)
            slot[1] = response.body()

    def _hold_navigation(self, route):
        request = route.request
        try:
            page = request.frame.page
            leaving = request.is_navigation_request() and request.frame == page.main_frame
        except Exception:  # a service worker's request has no frame
            leaving = False
        if leaving and page in self.pages:
            self._wait_for(page)
        route.fallback()

    # -- checking --------------------------------------------------------------------------
    def _wait_for(self, page) -> None:
        """Wait until the page's current document has reported (a Playwright wait, so the
        binding that brings the report is served meanwhile)."""
        document = self.documents.get(self.pages[page].current)
        if document is None:  # no document yet, or forgotten by an earlier assert_clean
            return
        deadline = time.monotonic() + WAIT_SECONDS
        while document.result is None and time.monotonic() < deadline:
            if page.is_closed():
                return
            try:
                page.wait_for_timeout(25)
            except Exception:
                if page.is_closed():  # a failed test closed it under a held navigation
                    return
                raise

    def _record(self, result: dict) -> None:
        if "error" in result:
            self.errors.append(f"{result['url']}\n  axe-core could not run: {result['error']}")
            return
        self.checked_urls.append(result["url"])
        self.version = result["version"]
        for violation in result["violations"]:
            if violation["impact"] in FAILING_IMPACTS:
                self.found.append((result["url"], violation))

    def check(self, page) -> None:
        """Check the page now, in its current state (an open menu, a dialog): for a test that
        wants more than the state each page loads in. JavaScript-enabled pages only."""
        self._wait_for(page)
        if not page.evaluate("() => Boolean(window.axe)"):
            page.evaluate(AXE_SCRIPT)
        self._record(page.evaluate(RUN, AXE_OPTIONS))

    def _check_replayed(self) -> None:
        deadline = time.monotonic() + WAIT_SECONDS
        for page, state in self.pages.items():
            while any(body is None for _, body in state.served) and time.monotonic() < deadline:
                page.wait_for_timeout(25)
        served = [item for state in self.pages.values() for item in state.served]
        for state in self.pages.values():
            state.served = []
        if not served:
            return
        context = self.browser.new_context(viewport={"width": 390, "height": 844})
        try:
            page = context.new_page()
            for url, body in served:
                context.unroute_all()
                context.route(lambda u, url=url: u == url, _serve(body))
                context.route("**/*.js", lambda route: route.abort())
                page.goto(url)
                page.evaluate(AXE_SCRIPT)
                self._record(page.evaluate(RUN, AXE_OPTIONS))
        finally:
            context.close()

    def assert_clean(self) -> None:
        for page in list(self.pages):
            if not page.is_closed():
                self._wait_for(page)
        self._check_replayed()
        unchecked = [token for token, doc in self.documents.items() if doc.result is None]
        problems = self.errors + [
            f"{self.documents[token].url}\n  left before axe-core could check it"
            " (replaced without a network request, or it never finished loading)"
            for token in unchecked
        ]
        if self.found:
            problems.insert(0, describe(self.found))
        self.found, self.errors = [], []
        for token in unchecked:
            del self.documents[token]
        if problems:
            raise AccessibilityViolations(
                f"axe-core {self.version} found serious or critical WCAG 2.1 AA violations"
                f" (pages checked: {len(self.checked_urls)}):\n\n" + "\n\n".join(problems)
            )


def _serve(body: bytes):
    def fulfill(route):
        route.fulfill(body=body, content_type="text/html; charset=utf-8")

    return fulfill


def describe(found: list[tuple[str, dict]]) -> str:
    """Each rule with its impact and help link; under it each offending element (selector,
    markup, the first reason axe gives, e.g. the contrast ratio and colours) and the pages it
    is on: a shared footer's fault is told once, not once per page."""
    rules: dict[str, dict] = {}
    for url, violation in found:
        rule = rules.setdefault(violation["id"], {"violation": violation, "nodes": {}})
        for node in violation["nodes"]:
            target = " ".join(t if isinstance(t, str) else json.dumps(t) for t in node["target"])
            html = " ".join(node.get("html", "").split())
            html = html if len(html) <= 120 else html[:117] + "..."
            reasons = (node.get("failureSummary") or "").split("\n")[1:2]
            key = (target, html, reasons[0].strip() if reasons else "")
            pages = rule["nodes"].setdefault(key, [])
            if url not in pages:
                pages.append(url)
    lines = []
    for rule_id, rule in rules.items():
        violation = rule["violation"]
        help_url = violation["helpUrl"].split("?")[0]
        lines.append(f"{rule_id} ({violation['impact']}): {violation['help']} <{help_url}>")
        for (target, html, reason), pages in rule["nodes"].items():
            lines.append(f"  - {target}  {html}")
            if reason:
                lines.append(f"      {reason}")
            lines.append(f"      on {', '.join(pages)}")
    return "\n".join(lines)
