"""Embeds, share images, print and dark mode in real Chromium.

The embed is framed by a page of another origin: a second server on loopback
(another port, and 127.0.0.1 where the live server is localhost, so another
site too), as a newspaper's page would frame it.
"""

import datetime
import io
import re
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from PIL import Image
from playwright.sync_api import expect

from tests.factories import EventFactory, EventTypeFactory, MeasureFactory, SourceFactory
from timeline.embed import FALLBACK_HEIGHT

pytestmark = pytest.mark.browser


@pytest.fixture
def story(site):
    ban = EventTypeFactory(name="Ban or restriction", slug="ban")
    measure = MeasureFactory(title="German limits on Huawei", slug="german-limits")
    for n in range(6):
        EventFactory(title=f"German ban {n}", slug=f"german-ban-{n}", event_type=ban, countries=["DE"], date=datetime.date(2019, 1, 1 + n))
    event = EventFactory(
        title="German law",
        slug="german-law",
        countries=["DE"],
        measure=measure,
        date=datetime.date(2019, 2, 1),
        sources=0,
    )
    SourceFactory(event=event, title="The law in the gazette", url="https://example.org/gazette/2019/law")
    EventFactory(title="Czech warning", countries=["CZ"], date=datetime.date(2018, 12, 17))
    return site


@pytest.fixture
def host_page():
    """Serves the HTML it is given at the root of another origin; returns that address."""
    pages = {}

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self):
            body = pages.get(self.path, "").encode()
            self.send_response(200 if body else 404)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()

    def serve(html):
        head = '<meta charset="utf-8"><title>A newspaper</title>'
        pages["/"] = f'<!doctype html><html lang="en"><head>{head}</head><body>{html}</body></html>'
        return f"http://127.0.0.1:{server.server_port}/"

    yield serve
    server.shutdown()
    server.server_close()
    thread.join()


def frame_heights(page):
    """(the iframe's height on the host page, the height of the page inside it)."""
    outer = page.evaluate("document.querySelector('iframe').getBoundingClientRect().height")
    inner = page.frames[1].evaluate("document.documentElement.getBoundingClientRect().height")
    return round(outer), round(inner)


def test_the_embed_snippet_shows_the_view_in_another_sites_frame_at_the_height_of_its_content(page, story, host_page):
    page.goto(story + "/?country=DE")
    page.get_by_text("Embed this view").click()
    snippet = page.locator("#embed-snippet").input_value()
    assert f'src="{story}/embed/?country=DE"' in snippet

    page.goto(host_page(f"<h1>Our story</h1>{snippet}<p>After the frame</p>"))
    frame = page.frame_locator("iframe")
    expect(frame.locator("h1")).to_have_text("Events in Germany")
    expect(frame.locator("article.card")).to_have_count(7)
    expect(frame.locator(".embed-open")).to_have_attribute("href", "/?country=DE")
    # embed.js reports the height; the snippet's listener sets it on the frame.
    page.wait_for_function("document.querySelector('iframe').style.height !== ''")
    outer, inner = frame_heights(page)
    assert abs(outer - inner) <= 1 and outer > FALLBACK_HEIGHT
    assert page.frames[1].evaluate("document.documentElement.scrollHeight <= window.innerHeight")

    # A narrower page wraps the cards: the frame follows.
    page.set_viewport_size({"width": 390, "height": 844})
    page.wait_for_function(f"Math.round(document.querySelector('iframe').getBoundingClientRect().height) !== {outer}")
    narrow_outer, narrow_inner = frame_heights(page)
    assert abs(narrow_outer - narrow_inner) <= 1 and narrow_outer > outer


def test_links_in_the_embed_open_the_full_view_in_a_new_tab(page, story, host_page):
    page.goto(host_page(f'<iframe src="{story}/embed/?country=DE" title="Timeline" width="100%" height="600"></iframe>'))
    with page.context.expect_page() as opened:
        page.frame_locator("iframe").locator(".embed-open").click()
    full_view = opened.value
    full_view.wait_for_load_state()
    assert full_view.url == f"{story}/?country=DE"
    expect(full_view.locator("#result-status")).to_have_text("7 events match the filters")
    assert page.url.startswith("http://127.0.0.1:")


def test_without_javascript_the_frame_keeps_its_height_and_scrolls(new_context, story, host_page):
    context = new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(story + "/?country=DE")
    page.get_by_text("Embed this view").click()
    snippet = page.locator("#embed-snippet").input_value()
    assert "/embed/?country=DE" in snippet
    page.goto(host_page(snippet))
    expect(page.frame_locator("iframe").locator("article.card")).to_have_count(7)
    assert round(page.locator("iframe").bounding_box()["height"]) == FALLBACK_HEIGHT
    context.close()


def test_a_page_other_than_an_embed_refuses_to_be_framed(page, story, host_page):
    refusals = []
    page.on("console", lambda message: refusals.append(message.text) if "frame-ancestors" in message.text else None)
    page.goto(host_page(f'<iframe id="timeline" src="{story}/"></iframe><iframe id="embed" src="{story}/embed/"></iframe>'))
    expect(page.frame_locator("#embed").locator("h1")).to_have_text("Policy timeline")
    expect(page.frame_locator("#timeline").locator("body")).not_to_contain_text("Filter events")
    timeline_frame = page.locator("#timeline").element_handle().content_frame()
    assert not timeline_frame.url.startswith(story)
    assert any("frame-ancestors 'none'" in text for text in refusals), refusals


def test_the_share_image_of_a_view_is_a_1200_by_630_png(page, story):
    for path in ["/?type=ban&country=DE", "/events/german-law/", "/measures/german-limits/"]:
        page.goto(story + path)
        image_url = page.locator('meta[property="og:image"]').get_attribute("content")
        assert image_url == page.locator('meta[name="twitter:image"]').get_attribute("content")
        response = page.request.get(image_url)
        assert response.status == 200 and response.headers["content-type"] == "image/png"
        assert Image.open(io.BytesIO(response.body())).size == (1200, 630)


@pytest.mark.parametrize("path", ["/?country=DE", "/events/german-law/", "/measures/german-limits/"])
def test_print_shows_the_reading_column_alone(page, story, path):
    page.goto(story + path)
    page.emulate_media(media="print")
    expect(page.locator("h1")).to_be_visible()
    expect(page.locator(".site-header nav")).to_be_hidden()
    expect(page.locator(".filters-column")).to_have_count(1 if path.startswith("/?") else 0)
    if path.startswith("/?"):
        expect(page.locator(".filters-column")).to_be_hidden()
        expect(page.locator(".embed-code")).to_be_hidden()
        expect(page.locator(".downloads")).to_be_hidden()
        expect(page.locator("article.card").first).to_be_visible()
    expect(page.locator(".print-only")).to_have_text(f"Printed from {story}{path}")
    assert page.pdf(format="A4").startswith(b"%PDF")


def test_the_printed_address_of_the_timeline_follows_the_filters_chosen_with_htmx(page, story):
    page.goto(story + "/?country=DE&utm_source=newsletter")
    page.emulate_media(media="print")
    expect(page.locator(".print-only")).to_have_text(f"Printed from {story}/?country=DE")
    page.emulate_media(media=None)
    page.get_by_role("link", name="Country: Germany").click()
    expect(page).to_have_url(f"{story}/")
    page.emulate_media(media="print")
    expect(page.locator(".print-only")).to_have_text(f"Printed from {story}/")


def test_print_writes_out_the_sources_addresses_and_keeps_cards_whole(page, story):
    page.goto(story + "/events/german-law/")
    page.emulate_media(media="print")
    after = page.locator(".sources a").evaluate("link => getComputedStyle(link, '::after').content")
    assert after == '" <https://example.org/gazette/2019/law>"'
    for selector in [".sources li", ".facts"]:
        assert page.locator(selector).first.evaluate("element => getComputedStyle(element).breakInside") == "avoid"
    page.goto(story + "/?country=DE")
    page.emulate_media(media="print")
    assert page.locator("article.card").first.evaluate("card => getComputedStyle(card).breakInside") == "avoid"


def background(page):
    return page.evaluate("getComputedStyle(document.body).backgroundColor")


@pytest.mark.parametrize("path", ["/", "/events/german-law/", "/embed/"])
def test_dark_mode_follows_the_readers_system_setting_on_screen_only(page, story, path):
    page.goto(story + path)
    assert page.locator('meta[name="color-scheme"]').get_attribute("content") == "light dark"
    assert background(page) == "rgb(255, 255, 255)"
    page.emulate_media(color_scheme="dark")
    assert background(page) == "rgb(22, 24, 27)"
    ink = page.evaluate("getComputedStyle(document.body).color")
    assert re.fullmatch(r"rgb\((\d+), \1, \1\)|rgb\(2[0-9]{2}, 2[0-9]{2}, 2[0-9]{2}\)", ink), ink
    # Paper is white, whatever the screen.
    page.emulate_media(color_scheme="dark", media="print")
    assert background(page) == "rgb(255, 255, 255)"
