"""The API's docs page works in real Chromium under the site's Content-Security-Policy."""

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser


def test_the_api_docs_render_every_operation_without_a_console_error(page, site):
    # A script or style the CSP blocks (one from a CDN, an inline one) is reported as a console error.
    errors = []
    page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
    page.on("requestfailed", lambda request: errors.append(f"{request.url} failed"))
    page.goto(site + "/api/v1/docs")
    expect(page.locator(".opblock-summary-path").first).to_be_visible()
    paths = page.locator(".opblock-summary-path").all_inner_texts()
    assert {"/api/v1/events", "/api/v1/events/{key}", "/api/v1/withdrawals", "/api/v1/measures"} <= {p.replace("\u200b", "") for p in paths}
    page.locator(".opblock-summary-path", has_text="/api/v1/withdrawals").click()
    expect(page.get_by_text("withdrawn_since", exact=True)).to_be_visible()
    assert errors == []
