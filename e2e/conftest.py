"""Playwright fixtures: a headless Debian Chromium driving pytest-django's live server.

Playwright's own browser download cannot run here, so the system Chromium is used. Without it
the browser tests are skipped on a developer's machine, and fail in CI (CI=true), which must
install it (.ci/run does).
"""

import os
import re
import shutil
from pathlib import Path

import pytest

CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    # Chromium's calls home are refused by the closed network, and slow down every start.
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]

# A cap on waiting, not a speed check: on a loaded 2-core machine the live server, which handles
# one request at a time, can take well over 10 s to check an import's rows.
BROWSER_WAIT_MS = 30_000


def chromium_path() -> str | None:
    found = shutil.which("chromium")
    if found:
        return found
    if Path("/usr/bin/chromium").exists():
        return "/usr/bin/chromium"
    return None


@pytest.fixture(scope="session")
def browser():
    executable = chromium_path()
    if executable is None:
        message = "Chromium not found (apt-get install chromium): browser tests need it"
        if os.environ.get("CI"):
            pytest.fail(message, pytrace=False)
        pytest.skip(message)

    from playwright.sync_api import expect, sync_playwright

    expect.set_options(timeout=BROWSER_WAIT_MS)

    # Playwright's sync API keeps an event loop in this thread, and Django then refuses ORM
    # calls from it; the tests and the live server are synchronous, so lift that guard.
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    playwright = sync_playwright().start()
    try:
        browser = playwright.chromium.launch(
            executable_path=executable, headless=True, args=CHROMIUM_ARGS
        )
        try:
            yield browser
        finally:
            browser.close()
    finally:
        playwright.stop()
        if previous is None:
            os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
        else:
            os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


@pytest.fixture
def page(browser, live_server, transactional_db):
    """A page in a fresh browser context (no cookies), its base URL the live server's."""
    context = browser.new_context(base_url=live_server.url, locale="fr-FR")
    context.set_default_timeout(BROWSER_WAIT_MS)
    page = context.new_page()
    try:
        yield page
    finally:
        context.close()


@pytest.fixture
def staff_page(page):
    """The page, logged in as a network staff member through the login form."""
    from django.urls import reverse
    from playwright.sync_api import expect

    from observatoire.core.testing import PASSWORD, ensure_reference_data, make_user

    ensure_reference_data()
    user = make_user("staff", email="claire.martin@example.org")
    page.goto(reverse("accounts:login"))
    page.fill("input[name=username]", user.email)
    page.fill("input[name=password]", PASSWORD)
    page.press("input[name=password]", "Enter")
    expect(page).to_have_url(re.compile(r"/$"))
    return page
