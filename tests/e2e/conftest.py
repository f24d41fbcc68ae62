"""Browser fixtures: Debian's chromium driven by Playwright against pytest-django's live server.

Playwright's sync API runs an event loop in the test thread, so Django's
"async unsafe" guard must be lifted for the ORM calls fixtures make.
We never download a browser: the system chromium is used, or the tests skip
(which fails under SAMVERKAN_REQUIRE_ALL=1, see tests/conftest.py).
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Generator, Iterator
from pathlib import Path
from typing import Any

import pytest

os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
    "--disable-dev-shm-usage",
]


def find_chromium() -> str | None:
    """SAMVERKAN_CHROMIUM, else chromium on PATH, else Debian's /usr/bin/chromium."""
    candidates = [
        os.environ.get("SAMVERKAN_CHROMIUM"),
        shutil.which("chromium"),
        "/usr/bin/chromium",
    ]
    for candidate in candidates:
        if candidate and Path(candidate).is_file() and os.access(candidate, os.X_OK):
            return candidate
    return None


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    executable = find_chromium()
    if executable is None:
        pytest.skip("chromium not found: install Debian's chromium to run browser tests")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path=executable, headless=True, args=CHROMIUM_ARGS
        )
        try:
            yield chromium
        finally:
            chromium.close()


# Runs in every page of every browser test: reports anything the Content-Security-Policy
# blocks, and checks two things about each htmx swap: nothing outside the swap's target left the document, and every element
# with an id that the server sent is in the document afterwards. A section heading
# or an "Add" button vanishing after a move, or an edit form that never appears,
# breaks one of them (htmx attribute inheritance once did both on the model page).
HTMX_GUARD = """
(() => {
  // The Content-Security-Policy blocks inline script and eval: a page relying on them breaks.
  document.addEventListener("securitypolicyviolation", (event) => {
    window.__svHtmxLost("the Content-Security-Policy blocked " + event.violatedDirective + " "
      + (event.blockedURI || "inline") + " on " + location.pathname);
  });
  const pending = new WeakMap();
  const swapped = [];  // every swap's target, in order: another swap may overlap this one
  const describe = (el) => {
    const label = (el.innerText || el.getAttribute("aria-label") || "").trim().slice(0, 60);
    return el.tagName.toLowerCase() + (el.id ? "#" + el.id : "") + (label ? " \\"" + label + "\\"" : "");
  };
  document.addEventListener("htmx:beforeSwap", (event) => {
    const detail = event.detail;
    const target = detail.target;
    if (!target || !detail.shouldSwap) { return; }
    const outside = Array.from(document.body.querySelectorAll("*")).filter(
      (el) => el !== target && !target.contains(el) && !el.contains(target)
    );
    const sent = new DOMParser().parseFromString(detail.serverResponse || "", "text/html");
    const ids = Array.from(sent.querySelectorAll("[id]"), (el) => el.id);
    const since = swapped.length;
    swapped.push(target);
    // Out-of-band swaps replace their own elements: those are targets too.
    sent.querySelectorAll("[hx-swap-oob][id]").forEach((el) => {
      const current = document.getElementById(el.id);
      if (current) { swapped.push(current); }
    });
    pending.set(detail.xhr, {
      outside, ids, since, request: (detail.requestConfig || {}).path,
    });
  });
  document.addEventListener("htmx:afterSettle", (event) => {
    const seen = pending.get(event.detail.xhr);
    if (!seen) { return; }
    pending.delete(event.detail.xhr);
    const overlapping = swapped.slice(seen.since);
    const lost = seen.outside.filter(
      (el) => !el.isConnected && !overlapping.some((t) => t === el || t.contains(el))
    );
    if (lost.length) {
      window.__svHtmxLost(seen.request + " removed " + lost.slice(0, 5).map(describe).join(", "));
    }
    const missing = seen.ids.filter((id) => !document.getElementById(id));
    if (missing.length) {
      window.__svHtmxLost(seen.request + " sent #" + missing.join(", #") + " but it is not on the page");
    }
  });
})();
"""


@pytest.fixture
def page_problems() -> list[str]:
    """What the page guard reported: blocked by the CSP, or lost by an htmx swap. Must stay empty."""
    return []


@pytest.fixture
def page(browser: Any, page_problems: list[str]) -> Generator[Any, None, None]:
    """A fresh browser context (no cookies, no storage) and page per test, HTMX swaps guarded."""
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="sv-SE")
    context.set_default_timeout(10_000)
    context.expose_function("__svHtmxLost", lambda report: page_problems.append(report))
    context.add_init_script(HTMX_GUARD)
    page = context.new_page()
    try:
        yield page
    finally:
        context.close()
    assert page_problems == [], "the CSP blocked something, or an htmx swap lost elements"


@pytest.fixture
def live_world(transactional_db: None, world: Any, live_server: Any) -> Any:
    """The shared ``world`` personas, committed so the live server's thread sees them."""
    return world
