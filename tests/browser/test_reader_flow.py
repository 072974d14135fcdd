"""A reader narrows the timeline in real Chromium, with and without JavaScript."""

import datetime
import re
import time

import pytest
from playwright.sync_api import expect

from tests.factories import EventFactory, EventTypeFactory
from timeline import views

pytestmark = pytest.mark.browser


@pytest.fixture
def story(site):
    ban = EventTypeFactory(name="Ban or restriction", slug="ban")
    warning = EventTypeFactory(name="Security warning", slug="warning")
    day = datetime.date(2019, 1, 1)
    for n in range(3):
        EventFactory(title=f"German ban {n}", event_type=ban, countries=["DE"], date=day - datetime.timedelta(days=n))
        EventFactory(title=f"German warning {n}", event_type=warning, countries=["DE"], date=day - datetime.timedelta(days=n))
        EventFactory(title=f"Czech warning {n}", event_type=warning, countries=["CZ"], date=day - datetime.timedelta(days=n))
    for n in range(30):
        EventFactory(title=f"Older event {n}", event_type=warning, countries=["GB"], date=datetime.date(2015, 6, 1))
    return site


def card_titles(page):
    return page.locator("article.card h5").all_inner_texts()


def choose(page, facet, label):
    details = page.locator("details.facet", has=page.locator("summary", has_text=facet))
    if not details.get_attribute("open") is not None:
        details.locator("summary").click()
    details.get_by_label(re.compile(label)).check()


def test_a_reader_filters_by_country_then_type_without_a_reload(page, story):
    page.goto(story + "/")
    page.evaluate("window.stillTheSamePage = true")
    choose(page, "Country", "Germany")
    expect(page).to_have_url(re.compile(r"country=DE"))
    expect(page.locator("#result-status")).to_have_text("6 events match the filters")
    choose(page, "Type", "Ban or restriction")
    expect(page).to_have_url(re.compile(r"\?type=ban&country=DE$"))
    expect(page.locator("#result-status")).to_have_text("3 events match the filters")
    assert sorted(card_titles(page)) == ["German ban 0", "German ban 1", "German ban 2"]
    assert page.evaluate("window.stillTheSamePage") is True

    page.reload()
    assert sorted(card_titles(page)) == ["German ban 0", "German ban 1", "German ban 2"]
    expect(page.get_by_label(re.compile("Ban or restriction"))).to_be_checked()

    page.go_back()
    expect(page).to_have_url(re.compile(r"\?country=DE$"))
    expect(page.locator("#result-status")).to_have_text("6 events match the filters")
    expect(page.get_by_label(re.compile("Ban or restriction"))).not_to_be_checked()


def test_removing_a_chip_updates_results_and_form(page, story):
    page.goto(story + "/?country=DE&type=ban&q=German")
    page.evaluate("window.stillTheSamePage = true")
    page.get_by_role("link", name=re.compile("Words: “German”")).click()
    expect(page).to_have_url(re.compile(r"\?type=ban&country=DE$"))
    expect(page.locator("#id_q")).to_have_value("")
    page.get_by_role("link", name="Clear all").first.click()
    expect(page.locator("#result-status")).to_have_text("39 events")
    assert page.evaluate("window.stillTheSamePage") is True


def test_load_more_appends_the_next_events(page, story):
    page.goto(story + "/")
    expect(page.locator("article.card")).to_have_count(25)
    page.evaluate("window.stillTheSamePage = true")
    page.get_by_role("link", name="Load more events").click()
    expect(page.locator("article.card")).to_have_count(39)
    expect(page.get_by_role("link", name="Load more events")).to_have_count(0)
    assert len(set(card_titles(page))) == 39
    assert page.evaluate("window.stillTheSamePage") is True


def test_the_same_flow_works_without_javascript(new_context, story):
    context = new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(story + "/")
    choose(page, "Country", "Germany")
    choose(page, "Type", "Ban or restriction")
    page.get_by_role("button", name="Apply filters").click()
    expect(page).to_have_url(re.compile(r"type=ban"))
    expect(page).to_have_url(re.compile(r"country=DE"))
    assert sorted(card_titles(page)) == ["German ban 0", "German ban 1", "German ban 2"]

    page.goto(story + "/")
    page.get_by_role("link", name="Load more events").click()
    expect(page.locator("article.card")).to_have_count(14)
    context.close()


def test_a_phone_screen_does_not_scroll_sideways(new_context, story):
    context = new_context(viewport={"width": 360, "height": 740}, is_mobile=True, has_touch=True)
    page = context.new_page()
    for path in ["/", "/?country=DE&type=ban", "/?cursor=bad"]:
        page.goto(story + path)
        assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth"), path
    context.close()


def test_live_search_still_works_after_removing_a_chip(page, story):
    page.goto(story + "/?country=DE&q=ban")
    page.get_by_role("link", name=re.compile("Words: “ban”")).click()
    expect(page).to_have_url(re.compile(r"\?country=DE$"))
    page.locator("#id_q").fill("warning")
    expect(page).to_have_url(re.compile(r"\?country=DE&q=warning$"))
    expect(page.locator("#result-status")).to_have_text("3 events match the filters")


def test_load_more_moves_focus_to_the_first_new_event(page, story):
    page.goto(story + "/")
    page.get_by_role("link", name="Load more events").focus()
    page.keyboard.press("Enter")
    expect(page.locator("article.card")).to_have_count(39)
    # htmx focuses [autofocus] when the new content settles, a moment after the swap.
    expect(page.locator("article.card").nth(25).locator("h5 a")).to_be_focused()


def test_no_reader_interaction_logs_a_console_error(page, story):
    # A CSP violation (an inline style htmx would apply) is reported as a console error.
    errors = []
    page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.goto(story + "/")
    choose(page, "Country", "Germany")
    expect(page.locator("#result-status")).to_have_text("6 events match the filters")
    choose(page, "Country", "Czechia")
    choose(page, "Type", "Security warning")
    expect(page.locator("#result-status")).to_have_text("6 events match the filters")
    expect(page).to_have_url(re.compile(r"\?type=warning&country=CZ&country=DE$"))
    page.get_by_role("link", name=re.compile("Type: Security warning")).click()
    expect(page.locator("#result-status")).to_have_text("9 events match the filters")
    page.get_by_role("link", name="Clear all").first.click()
    expect(page.locator("#result-status")).to_have_text("39 events")
    page.get_by_role("link", name="Load more events").click()
    expect(page.locator("article.card")).to_have_count(39)
    assert errors == []


def test_a_tick_made_while_the_last_answer_is_on_its_way_is_kept_without_a_console_error(page, story, monkeypatch):
    # The answer to "Germany" is held back, so "Ban or restriction" is ticked while
    # it is in flight: that answer must not untick it, and nothing may be aborted
    # (htmx logs an aborted request as a console error).
    counted = views.cached_facets

    def slow_for_germany_alone(filterset):
        if filterset.data.getlist("country") == ["DE"] and not filterset.data.getlist("type"):
            time.sleep(1.5)
        return counted(filterset)

    monkeypatch.setattr(views, "cached_facets", slow_for_germany_alone)
    errors = []
    page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
    page.goto(story + "/")
    choose(page, "Country", "Germany")
    choose(page, "Type", "Ban or restriction")
    expect(page).to_have_url(re.compile(r"\?type=ban&country=DE$"))
    expect(page.locator("#result-status")).to_have_text("3 events match the filters")
    expect(page.get_by_label(re.compile("Ban or restriction"))).to_be_checked()
    expect(page.get_by_label(re.compile("Germany"))).to_be_checked()
    assert sorted(card_titles(page)) == ["German ban 0", "German ban 1", "German ban 2"]
    assert errors == []


def phone(new_context, **options):
    return new_context(viewport={"width": 360, "height": 740}, is_mobile=True, has_touch=True, **options)


def top_and_bottom(page, selector):
    return page.locator(selector).first.evaluate("element => [element.getBoundingClientRect().top, element.getBoundingClientRect().bottom]")


def test_on_a_phone_the_count_and_first_results_stay_in_sight_while_filters_are_ticked(new_context, story):
    context = phone(new_context)
    page = context.new_page()
    errors = []
    page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
    page.goto(story + "/")
    # Results first: the filters wait behind "Filter events".
    expect(page.locator("#filters")).not_to_be_visible()
    assert top_and_bottom(page, "article.card h5")[1] <= 740
    page.get_by_text("Filter events").click()
    choose(page, "Country", "Germany")
    expect(page.locator("#result-status")).to_have_text("6 events match the filters")
    expect(page).to_have_title("Events in Germany · Policy Timeline")
    # The open filters cover the lower part of the screen: the count and the
    # first event's title are above them, and the ticked box stays in sight.
    sheet_top = top_and_bottom(page, "#filters-panel")[0]
    assert 0 <= top_and_bottom(page, "#result-status")[1] <= sheet_top
    assert 0 <= top_and_bottom(page, "article.card h5")[1] <= sheet_top
    expect(page.get_by_label(re.compile("Germany"))).to_be_in_viewport()
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    assert errors == []
    context.close()


def test_the_overview_follows_the_filters_and_its_bars_narrow_the_period(page, story):
    errors = []
    page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
    page.goto(story + "/")
    caption = page.locator(".overview-caption")
    expect(caption).to_have_text("Events per year, 2015 – 2019 (tallest bar: 30)")
    choose(page, "Country", "Germany")
    expect(caption).to_have_text("Events per month, Dec 2018 – Jan 2019 (tallest bar: 4)")
    expect(page.locator(".overview tbody th")).to_have_text(["Dec 2018", "Jan 2019"])
    expect(page.locator(".overview tbody td")).to_have_text(["4", "2"])
    page.get_by_role("link", name="Dec 2018: 4 events").click()
    expect(page).to_have_url(re.compile(r"\?country=DE&since=2018-12&until=2018-12$"))
    expect(page.locator("#result-status")).to_have_text("4 events match the filters")
    expect(page).to_have_title("Events in Germany in Dec 2018 · Policy Timeline")
    expect(page.locator("#id_since")).to_have_value("2018-12")
    assert errors == []


def test_without_javascript_a_phone_shows_the_results_first_and_the_filters_on_request(new_context, story):
    context = phone(new_context, java_script_enabled=False)
    page = context.new_page()
    page.goto(story + "/")
    page.get_by_text("Filter events").click()
    choose(page, "Country", "Germany")
    page.get_by_role("button", name="Apply filters").click()
    expect(page).to_have_url(re.compile(r"country=DE"))
    expect(page.locator("#result-status")).to_have_text("6 events match the filters")
    assert top_and_bottom(page, "#result-status")[1] <= 740
    assert top_and_bottom(page, "article.card h5")[1] <= 740
    context.close()


def test_back_after_load_more_returns_to_the_same_events_at_the_same_place(page, story):
    page.goto(story + "/?country=GB")
    page.get_by_role("link", name="Load more events").click()
    expect(page.locator("article.card")).to_have_count(30)
    expect(page).to_have_url(re.compile(r"\?country=GB&shown=30$"))
    titles = card_titles(page)
    read = page.locator("article.card h5 a").nth(27)
    read.scroll_into_view_if_needed()
    top = read.evaluate("link => link.getBoundingClientRect().top")
    name = read.inner_text()
    read.click()
    expect(page.locator("h1")).to_have_text(name)
    page.go_back()
    expect(page).to_have_url(re.compile(r"\?country=GB&shown=30$"))
    assert card_titles(page) == titles
    back = page.get_by_role("link", name=name, exact=True)
    expect(back).to_be_in_viewport()
    assert abs(back.evaluate("link => link.getBoundingClientRect().top") - top) < 50
    # Whether the browser kept the page or asks for it again, the address lists them all.
    page.reload()
    assert card_titles(page) == titles
