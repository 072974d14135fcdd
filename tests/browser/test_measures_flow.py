"""A reader reads the measures page in real Chromium: filters, the date of the board, the map, an event and back."""

import datetime
import re

import pytest
from playwright.sync_api import expect

from tests.factories import EventFactory, EventTypeFactory, MeasureFactory

pytestmark = pytest.mark.browser

D = datetime.date


@pytest.fixture
def story(site):
    """The UK considers, then announces; Germany considers; Czechia puts a measure in effect."""
    law = EventTypeFactory(name="Legislation", slug="legislation")
    uk, de, cz = (
        MeasureFactory(slug=slug, title=title) for slug, title in [("uk", "UK limits"), ("de", "German rules"), ("cz", "Czech ban")]
    )
    EventFactory(slug="uk-review", title="UK review", date=D(2018, 7, 1), stage="considered", measure=uk, countries=["GB"], event_type=law)
    EventFactory(
        slug="uk-decision", title="UK decides", date=D(2019, 1, 10), stage="announced", measure=uk, countries=["GB"], event_type=law
    )
    EventFactory(
        slug="de-debate", title="German debate", date=D(2018, 12, 14), stage="considered", measure=de, countries=["DE"], event_type=law
    )
    EventFactory(
        slug="cz-warning", title="Czech warning", date=D(2018, 12, 17), stage="in_effect", measure=cz, countries=["CZ"], event_type=law
    )
    EventFactory(slug="cz-other", title="Czech statement", date=D(2019, 2, 1), countries=["CZ"])
    return site


def console_errors(page):
    errors = []
    page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
    page.on("pageerror", lambda error: errors.append(str(error)))
    return errors


def lane_titles(page):
    return page.locator(".lane-title").all_inner_texts()


def board(page, stage):
    return [text.strip() for text in page.locator(f".board-{stage} .standing-country").all_inner_texts()]


def test_a_reader_filters_picks_a_date_and_follows_the_map_without_a_console_error(page, story):
    errors = console_errors(page)
    page.goto(story + "/measures/")
    page.evaluate("window.stillTheSamePage = true")
    assert lane_titles(page) == ["Czech ban", "German rules", "UK limits"]
    expect(page.locator("#result-status")).to_have_text("3 measures")

    # A filter: the lanes, the board and the address follow, without a reload.
    details = page.locator("details.facet", has=page.locator("summary", has_text="Country"))
    details.locator("summary").click()
    details.get_by_label(re.compile("United Kingdom")).check()
    expect(page).to_have_url(re.compile(r"/measures/\?country=GB$"))
    expect(page.locator("#result-status")).to_have_text("1 measure matches the filters")
    assert lane_titles(page) == ["UK limits"]
    expect(page).to_have_title("Measures: Events in United Kingdom · Policy Timeline")

    # A year's end, then a day typed in the date field: the board moves back in time.
    page.get_by_role("link", name="2018", exact=True).click()
    expect(page).to_have_url(re.compile(r"/measures/\?country=GB&as_of=2018$"))
    expect(page.locator("#board-heading")).to_have_text("Where things stood on 31 Dec 2018")
    assert board(page, "considered") == ["United Kingdom"]
    page.get_by_label("As of").fill("2019-03-01")
    page.get_by_role("button", name="Show").click()
    expect(page).to_have_url(re.compile(r"as_of=2019-03-01"))
    expect(page.locator(".board-announced .standing-country")).to_have_text(["United Kingdom"])
    assert page.evaluate("window.stillTheSamePage") is True

    # The filters keep the date; removing the country keeps it too.
    page.get_by_role("link", name=re.compile("Country: United Kingdom")).click()
    expect(page).to_have_url(re.compile(r"/measures/\?as_of=2019-03-01$"))
    expect(page.locator("#result-status")).to_have_text("3 measures")

    # The map: each country leads to its events on the timeline.
    page.locator("a.tile", has=page.locator("text=CZ")).click()
    expect(page).to_have_url(re.compile(r"/\?country=CZ$"))
    expect(page.locator("#result-status")).to_have_text("2 events match the filters")
    assert errors == []


def test_a_dot_opens_its_event_and_back_returns_to_the_same_view(page, story):
    errors = console_errors(page)
    page.goto(story + "/measures/?as_of=2018")
    page.get_by_role("link", name="10 Jan 2019, announced: UK decides").click()
    expect(page.locator("h1")).to_have_text("UK decides")
    # The event page draws its measure's lane, this event marked.
    expect(page.locator('.event-lane a[aria-current="page"]')).to_have_count(1)
    page.get_by_role("link", name="Back to the measures").click()
    expect(page).to_have_url(re.compile(r"/measures/\?as_of=2018$"))
    expect(page.locator("#board-heading")).to_have_text("Where things stood on 31 Dec 2018")
    assert errors == []


def test_the_same_reading_works_without_javascript(new_context, story):
    context = new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(story + "/measures/")
    details = page.locator("details.facet", has=page.locator("summary", has_text="Country"))
    details.locator("summary").click()
    details.get_by_label(re.compile("Germany")).check()
    page.get_by_role("button", name="Apply filters").click()
    expect(page).to_have_url(re.compile(r"/measures/\?.*country=DE"))
    assert lane_titles(page) == ["German rules"]
    page.get_by_label("As of").fill("2018-12-01")
    page.get_by_role("button", name="Show").click()
    expect(page).to_have_url(re.compile(r"country=DE&as_of=2018-12-01"))
    expect(page.locator(".empty-state").first).to_have_text("No measure of these filters had reached a stage by then.")
    page.get_by_role("link", name="today").click()
    expect(page.locator(".board-considered .standing-country")).to_have_text(["Germany"])
    page.locator("a.tile", has=page.locator("text=DE")).click()
    expect(page).to_have_url(re.compile(r"/\?country=DE$"))
    context.close()


@pytest.mark.parametrize("path", ["/measures/", "/measures/?as_of=2018", "/events/uk-decision/"])
def test_a_phone_screen_does_not_scroll_sideways(new_context, story, path):
    context = new_context(viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True)
    page = context.new_page()
    errors = console_errors(page)
    page.goto(story + path)
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    assert errors == []
    context.close()
