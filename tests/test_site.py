"""The course website works in a real browser: every page, its links, images and accessibility.

Serves ``build/site/`` (built by ``python scripts/build_site.py``) on 127.0.0.1 and opens every
page in headless Debian Chromium driven by Playwright (no browser download). On every page:
no broken internal link (to a page or an anchor) and no missing image, style or script; every
image has non-empty alt text; nothing is fetched from another site; the axe-core engine reports
no serious or critical violation; at a 390-pixel-wide viewport the page does not scroll sideways.
The search finds "dropout"; lab pages show still pictures and a link to open the lab live;
exercise pages are shown blank and link to their solution.

Skipped when the site is not built (the README's ``pytest`` does not build it), or without
Chromium or axe-playwright-python (``pip install -r requirements-site.txt``). CI's site stage
sets ``DLCOURSE_REQUIRE_SITE=1``, which turns those skips into failures.
"""

from __future__ import annotations

import functools
import http.server
import os
import posixpath
import re
import threading
from pathlib import Path
from urllib.parse import unquote, urljoin, urlsplit

import pytest

REPO = Path(__file__).resolve().parent.parent
SITE = REPO / "build" / "site"
CHROMIUM = Path("/usr/bin/chromium")
REQUIRED = os.environ.get("DLCOURSE_REQUIRE_SITE") == "1"
CHROMIUM_FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                  "--disable-background-networking", "--disable-component-update", "--disable-sync",
                  "--disable-dev-shm-usage"]
PHONE_WIDTH = 390
SEARCH_WORD = "dropout"


def _need(condition: bool, reason: str):
    if condition:
        return
    if REQUIRED:
        pytest.fail(f"DLCOURSE_REQUIRE_SITE=1 but {reason}")
    pytest.skip(reason)


def _pages() -> list[str]:
    """Every HTML page of the site, as paths relative to build/site/."""
    if not SITE.is_dir():
        return []
    return sorted(p.relative_to(SITE).as_posix() for p in SITE.rglob("*.html")
                  if not p.relative_to(SITE).parts[0].startswith("_"))


PAGES = _pages()


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):  # no line per request in the test output
        pass


@pytest.fixture(scope="module")
def site_url():
    _need((SITE / "index.html").exists(), f"the site is not built ({SITE}/index.html missing): "
                                          "run python scripts/build_site.py")
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_QuietHandler, directory=str(SITE)))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()


@pytest.fixture(scope="module")
def browser(tmp_path_factory):
    _need(CHROMIUM.exists(), f"needs Chromium at {CHROMIUM} (apt-get install -y chromium)")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        _need(False, "needs the playwright package")
    with sync_playwright() as playwright:
        context = playwright.chromium.launch_persistent_context(
            user_data_dir=str(tmp_path_factory.mktemp("chromium-profile")),
            executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_FLAGS,
            viewport={"width": 1280, "height": 900}, timeout=60_000,
        )
        try:
            yield context
        finally:
            context.close()


@pytest.fixture(scope="module")
def axe():
    try:
        from axe_playwright_python.sync_playwright import Axe
    except ImportError:
        _need(False, "needs axe-playwright-python (pip install -r requirements-site.txt)")
    return Axe()


@functools.lru_cache(maxsize=None)
def _ids_in(path: Path) -> frozenset[str]:
    return frozenset(re.findall(r'\bid="([^"]+)"', path.read_text(encoding="utf-8")))


def _local_target(url: str, site_url: str) -> tuple[Path, str] | None:
    """The file under build/site/ that ``url`` points to, and its #fragment; None if not local."""
    if not url.startswith(site_url):
        return None
    parts = urlsplit(url)
    path = posixpath.normpath(unquote(parts.path)).lstrip("/")
    target = SITE / path if path not in ("", ".") else SITE
    if target.is_dir():
        target = target / "index.html"
    return target, unquote(parts.fragment)


def _open(context, url: str, site_url: str):
    """Open ``url`` in a new tab; return the page and the problems with what it loaded."""
    page = context.new_page()
    problems: list[str] = []

    def route(route_request):
        request_url = route_request.request.url
        if request_url.startswith(site_url) or request_url.startswith("data:"):
            route_request.continue_()
        else:  # a site for learners must not depend on other servers to show a page
            problems.append(f"fetches from another site: {request_url}")
            route_request.abort()

    page.route("**/*", route)
    page.on("response", lambda response: response.status >= 400 and problems.append(
        f"HTTP {response.status} for {response.url} (asked for by {response.request.headers.get('referer')})"))
    page.on("requestfailed", lambda request: request.url.startswith(site_url) and problems.append(
        f"failed to load {request.url}"))
    page.goto(url, wait_until="load")
    return page, problems


def test_the_site_has_every_kind_of_page():
    _need(bool(PAGES), f"the site is not built ({SITE} has no pages): run python scripts/build_site.py")
    notebooks = REPO / "notebooks"
    for notebook in notebooks.rglob("*.ipynb"):
        if ".ipynb_checkpoints" in notebook.parts:
            continue
        page = notebook.relative_to(notebooks).with_suffix(".html").as_posix()
        assert page in PAGES, f"{notebook.relative_to(REPO)} has no page on the site"
    for page in ("index.html", "credits.html", "search.html"):
        assert page in PAGES


@pytest.mark.parametrize("page_path", PAGES or ["(site not built)"])
def test_page_links_images_and_accessibility(page_path, site_url, browser, axe):
    page, problems = _open(browser, urljoin(site_url, page_path), site_url)
    try:
        # Every image is there and says what it shows.
        images = page.eval_on_selector_all(
            "img", "els => els.map(e => ({src: e.currentSrc || e.src, alt: e.getAttribute('alt'), "
                   "ok: e.complete && e.naturalWidth > 0}))")
        if re.fullmatch(r"(0[1-9]|[1-9]\d)_[^/]+\.html", page_path):
            # A lesson explains with figures: none at all would mean the outputs were lost.
            assert images, f"{page_path}: a lesson page without a single figure"
        for image in images:
            name = image["src"][:80]
            if not image["ok"]:
                problems.append(f"image does not load: {name}")
            if not (image["alt"] or "").strip():
                problems.append(f"image without alt text: {name}")

        # Every link inside the site leads to a page that exists, and to its anchor if it names one.
        hrefs = page.eval_on_selector_all("a[href]", "els => els.map(e => e.href)")
        for href in sorted(set(hrefs)):
            target = _local_target(href, site_url)
            if target is None:
                continue
            path, fragment = target
            if not path.is_file():
                problems.append(f"broken link: {href}")
            elif fragment and path.suffix == ".html" and fragment not in _ids_in(path):
                problems.append(f"broken anchor: {href}")

        # From here on, requests are the test's own: axe-core fetches the style sheets again to
        # read them, and resolves their @import against the page's address rather than the sheet's.
        problems = list(problems)
        results = axe.run(page)
        serious = [v for v in results.response["violations"] if v.get("impact") in ("serious", "critical")]
        for violation in serious:
            where = ", ".join(str(node.get("target")) for node in violation["nodes"][:3])
            problems.append(f"axe {violation['impact']}: {violation['id']} ({violation['help']}) at {where}")

        # Phone-sized screen: nothing wider than the screen.
        page.set_viewport_size({"width": PHONE_WIDTH, "height": 844})
        page.wait_for_timeout(200)
        width = page.evaluate("() => Math.max(document.documentElement.scrollWidth, document.body.scrollWidth)")
        if width > PHONE_WIDTH + 1:
            wide = page.evaluate(
                """(limit) => [...document.querySelectorAll('body *')]
                     .filter(e => e.getBoundingClientRect().right > limit + 1 && e.offsetParent !== null)
                     .slice(-3).map(e => e.tagName + '.' + e.className)""", PHONE_WIDTH)
            problems.append(f"scrolls sideways at {PHONE_WIDTH} px: page is {width} px wide ({wide})")
    finally:
        page.close()
    assert not problems, f"{page_path}:\n" + "\n".join(problems)


def test_search_finds_dropout(site_url, browser):
    page, problems = _open(browser, urljoin(site_url, f"search.html?q={SEARCH_WORD}"), site_url)
    try:
        results = page.locator("#search-results ul.search li")
        results.first.wait_for(timeout=30_000)
        found = results.evaluate_all("els => els.map(e => e.querySelector('a').getAttribute('href'))")
    finally:
        page.close()
    assert not problems, problems
    assert any("05_dropout_and_batch_normalization" in href for href in found), found


def test_labs_show_stills_with_a_live_link(site_url, browser):
    labs = [p for p in PAGES if p.startswith("labs/")]
    _need(bool(labs), "the site has no lab pages")
    for lab in labs:
        page, problems = _open(browser, urljoin(site_url, lab), site_url)
        try:
            stills = page.locator("figure.lab-still img")
            assert stills.count() >= 1, f"{lab}: no still picture of the lab"
            for index in range(stills.count()):
                alt = stills.nth(index).get_attribute("alt") or ""
                assert len(alt.split()) >= 4, f"{lab}: the still's alt text says too little: {alt!r}"
            live = page.locator("a.lab-live-link")
            assert live.count() == 1 and re.search(r"open this lab live|download", live.inner_text(), re.I)
            text = page.locator("main").inner_text()
            # No widget placeholders: widget text representations or "loading widget" messages.
            for placeholder in ("Loading widget", "VBox(", "Explorer(", "Playground(", "widget-view"):
                assert placeholder not in text, f"{lab}: widget placeholder {placeholder!r} on the page"
            assert page.locator("script[type='application/vnd.jupyter.widget-view+json']").count() == 0
        finally:
            page.close()
        assert not problems, problems


def test_exercises_are_blank_and_link_to_their_solution(site_url, browser):
    exercises = [p for p in PAGES if p.startswith("exercises/")]
    _need(bool(exercises), "the site has no exercise pages")
    for exercise in exercises:
        page, problems = _open(browser, urljoin(site_url, exercise), site_url)
        try:
            assert "____" in page.locator("main").inner_text(), f"{exercise}: no blank to fill in"
            assert page.locator(".cell_output").count() == 0, f"{exercise}: the blank exercise was executed"
            solution = exercise.replace("exercises/", "solutions/").replace("_exercise.html", "_solution.html")
            links = page.eval_on_selector_all("main a[href]", "els => els.map(e => e.href)")
            assert urljoin(site_url, solution) in links, f"{exercise}: no link to {solution}"
        finally:
            page.close()
        assert not problems, problems
