"""The explorer in a real headless Chromium, offline: load, query, docs, completion, identities, a subscription.

Playwright drives the system Chromium (Debian's ``chromium``; never a downloaded browser), in a
fresh profile, and every request to anything but the emulator is blocked and recorded: the page
must work with no internet. Screenshots go to ``artifacts/`` (git-ignored).

Outside CI the test skips, saying why, when Playwright or Chromium is missing
(``scripts/ensure-test-tools.sh`` installs Chromium); under ``CI=true`` it must run.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from emulator.testing import EmulatorFactory, RunningEmulator
from tests.e2e.tools import CHROMIUM_FLAGS, chromium_path
from tests.paths import BLOG_CONFIG, BLOG_SCHEMA, ROOT

ARTIFACTS = ROOT / "artifacts"
WAIT_MS = 15_000
RESULT_TEXT = "() => document.querySelector('.result-window .CodeMirror').CodeMirror.getValue()"


@pytest.fixture(scope="module")
def blog(emulator_server: EmulatorFactory) -> RunningEmulator:
    return emulator_server(BLOG_SCHEMA, BLOG_CONFIG)


@pytest.fixture(scope="module")
def chromium() -> str:
    """The browser, checked before any emulator is started for it."""
    return chromium_path()


@pytest.fixture
def page(chromium: str, blog: RunningEmulator, tmp_path: Path) -> Iterator[Any]:
    from playwright.sync_api import sync_playwright

    blocked: list[str] = []
    errors: list[str] = []
    with sync_playwright() as playwright:
        context = playwright.chromium.launch_persistent_context(
            user_data_dir=str(tmp_path / "profile"),  # a fresh profile every run
            executable_path=chromium,
            headless=True,
            args=CHROMIUM_FLAGS,
            viewport={"width": 1400, "height": 900},
        )
        try:
            def only_the_emulator(route: Any) -> None:
                if route.request.url.startswith((blog.base_url, f"ws://{blog.host}")):
                    route.continue_()
                else:
                    blocked.append(route.request.url)
                    route.abort()

            context.route("**/*", only_the_emulator)
            tab = context.pages[0] if context.pages else context.new_page()
            tab.on("pageerror", lambda error: errors.append(str(error)))
            tab.set_default_timeout(WAIT_MS)
            yield tab
        finally:
            context.close()
    assert blocked == [], f"the explorer tried to reach the internet: {blocked}"
    assert errors == [], f"JavaScript errors on the page: {errors}"


def run(page: Any, query: str, expect: str) -> str:
    """Put ``query`` in the editor, press run, and wait until the result shows ``expect``."""
    page.evaluate("q => document.querySelector('.graphiql-query-editor .CodeMirror').CodeMirror.setValue(q)", query)
    page.click(".graphiql-execute-button")
    page.wait_for_function(f"expect => ({RESULT_TEXT})().includes(expect)", arg=expect)
    return page.evaluate(RESULT_TEXT)


def screenshot(page: Any, name: str) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / name))


def test_explorer_queries_identities_and_subscriptions(page: Any, blog: RunningEmulator) -> None:
    page.goto(blog.base_url + "/")
    page.wait_for_selector(".graphiql-query-editor .CodeMirror")
    assert page.input_value("#ae-mode") == "API_KEY"
    assert page.input_value("#ae-apikey") == blog.api_key

    # A mutation and a query with the API key, over HTTP.
    name = f"Browser {uuid.uuid4().hex[:8]}"
    created = run(page, f'mutation {{ createBlog(input: {{name: "{name}"}}) {{ id name }} }}', name)
    assert '"createBlog"' in created

    # The docs and completion come from the introspected schema.
    page.click("button[aria-label='Show Documentation Explorer']")
    page.wait_for_selector(".graphiql-doc-explorer >> text=Query")
    page.evaluate("() => { const cm = document.querySelector('.graphiql-query-editor .CodeMirror').CodeMirror;"
                  " cm.setValue('{ '); cm.focus(); cm.setCursor(cm.lineCount(), 0); }")
    page.keyboard.type("listBl")
    page.wait_for_selector(".CodeMirror-hints >> text=listBlogs")
    page.keyboard.press("Escape")

    # A user-pool identity minted by the emulator: the blog allows API-key callers only.
    page.select_option("#ae-mode", "AMAZON_COGNITO_USER_POOLS")
    page.fill("#ae-username", "bob")
    page.fill("#ae-groups", "Editors")
    page.press("#ae-groups", "Tab")
    denied = run(page, "{ listBlogs { items { id } } }", "Unauthorized")
    assert "Not Authorized to access listBlogs on type Query" in denied
    assert page.text_content("#ae-identity").startswith("bob [Editors]")
    screenshot(page, "explorer-user-pool-unauthorized.png")

    # IAM requests signed server-side with the configured key pair are accepted (then denied by the rules).
    page.select_option("#ae-mode", "AWS_IAM")
    signed = run(page, "{ listBlogs { items { id } } }", "errorType")
    assert '"Unauthorized"' in signed and "UnauthorizedException" not in signed
    # ... and over the real-time protocol: the signed connection is accepted, the rules deny the start.
    refused = run(page, "subscription { onCreateBlog { id } }", "Not Authorized to access onCreateBlog on type Subscription")
    assert "connection_error" not in page.text_content("#ae-events-status")
    assert '"Unauthorized"' in refused

    # A subscription over the real-time protocol sees a mutation made by another client.
    page.select_option("#ae-mode", "API_KEY")
    page.evaluate(
        "q => document.querySelector('.graphiql-query-editor .CodeMirror').CodeMirror.setValue(q)",
        "subscription OnBlog { onCreateBlog { id name } }",
    )
    page.click(".graphiql-execute-button")
    page.wait_for_function("() => document.getElementById('ae-events-status').textContent.includes('listening')")
    events_before = int(page.text_content("#ae-events-count"))
    pushed = f"Pushed {uuid.uuid4().hex[:8]}"
    response = blog.graphql(f'mutation {{ createBlog(input: {{name: "{pushed}"}}) {{ id name }} }}')
    assert response.status_code == 200 and "errors" not in response.json()
    page.wait_for_function("pushed => document.getElementById('ae-event-list').textContent.includes(pushed)", arg=pushed)
    page.wait_for_function(f"pushed => ({RESULT_TEXT})().includes(pushed)", arg=pushed)
    assert int(page.text_content("#ae-events-count")) == events_before + 1
    screenshot(page, "explorer-subscription-event.png")

    page.click(".graphiql-execute-button")  # stop: stop → complete
    page.wait_for_function("() => /complete|stopped/.test(document.getElementById('ae-events-status').textContent)")
