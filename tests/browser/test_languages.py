"""A reader switches the site's language in real Chromium, with and without JavaScript, on a wide screen and a phone."""

import datetime
import re
from pathlib import Path

import pytest
from playwright.sync_api import expect

from tests.factories import ActorFactory, EventFactory, EventTypeFactory, MeasureFactory, TopicFactory
from timeline.models import Role, Stage

pytestmark = pytest.mark.browser

# Screenshots to look at (test-results/ is not committed).
SHOTS = Path(__file__).resolve().parents[2] / "test-results" / "languages"

HEADINGS = {"en": "Policy timeline", "fr": "Chronologie des politiques", "de": "Politik-Chronik"}
FILTER_BUTTONS = {"en": "Apply filters", "fr": "Appliquer les filtres", "de": "Filter anwenden"}


@pytest.fixture
def story(site):
    """Events with the longest words the interface meets: German type names, stages and places."""
    sanction = EventTypeFactory(name="Sanction or export control", slug="sanction-or-export-control")
    procurement = EventTypeFactory(name="Procurement decision", slug="procurement-decision")
    measure = MeasureFactory(title="German limits on untrusted 5G suppliers", slug="german-limits")
    government, operator = ActorFactory(name="German government"), ActorFactory(name="Deutsche Telekom", kind="operator")
    topic = TopicFactory(name="critical infrastructure", slug="critical-infrastructure")
    for n in range(4):
        event = EventFactory(
            title=f"Germany tightens its rules for network equipment, step {n}",
            slug=f"germany-step-{n}",
            event_type=sanction if n % 2 else procurement,
            date=datetime.date(2019, 3, 1) + datetime.timedelta(days=40 * n),
            measure=measure,
            stage=[Stage.CONSIDERED, Stage.ANNOUNCED, Stage.IN_EFFECT, Stage.LIFTED][n],
            countries=["DE", "EU"],
            actor_roles=[(government, Role.INITIATOR), (operator, Role.INVOLVED)],
        )
        event.topics.add(topic)
    EventFactory(title="Brussels reviews suppliers", event_type=procurement, date=datetime.date(2018, 6, 1), countries=["BE"])
    return site


def switch_to(page, language):
    page.locator(f'.language-switch button[value="{language}"]').click()


def assert_in_language(page, language):
    expect(page.locator("html")).to_have_attribute("lang", language)
    expect(page.locator("h1")).to_have_text(HEADINGS[language])
    expect(page.locator(f'.language-switch button[value="{language}"]')).to_have_attribute("aria-current", "true")


def test_a_reader_switches_language_without_javascript_and_keeps_the_filtered_view(browser, story):
    context = browser.new_context(java_script_enabled=False, locale="en-GB")
    page = context.new_page()
    page.goto(story + "/?type=sanction-or-export-control&country=DE")
    assert_in_language(page, "en")
    expect(page.locator(".chips")).to_contain_text("Country: Germany")

    switch_to(page, "fr")
    expect(page).to_have_url(re.compile(r"/\?type=sanction-or-export-control&country=DE$"))
    assert_in_language(page, "fr")
    expect(page.locator(".chips")).to_contain_text("Pays\u00a0: Allemagne")
    expect(page.locator(".chips")).to_contain_text("Type\u00a0: Sanction ou contrôle des exportations")
    expect(page.locator("#result-status")).to_have_text("2 événements correspondent aux filtres")
    expect(page.locator("article.card").first).to_contain_text("Stade\u00a0: Levée ou annulée")

    switch_to(page, "de")
    expect(page).to_have_url(re.compile(r"/\?type=sanction-or-export-control&country=DE$"))
    assert_in_language(page, "de")
    expect(page.locator(".chips")).to_contain_text("Land: Deutschland")
    expect(page.locator("#result-status")).to_have_text("2 Ereignisse entsprechen den Filtern")
    expect(page.locator("article.card").first).to_contain_text("Stadium: Aufgehoben oder rückgängig gemacht")

    # The choice follows the reader to the other pages, and outranks the browser's language.
    page.get_by_role("link", name="Maßnahmen", exact=True).click()
    assert page.locator("html").get_attribute("lang") == "de"
    expect(page.locator("h1")).to_have_text("Maßnahmen")
    context.close()


def test_with_javascript_the_switcher_comes_back_to_the_view_htmx_made(page, story):
    page.goto(story + "/")
    assert_in_language(page, "en")
    page.locator("details.facet", has=page.locator("summary", has_text="Country")).locator("summary").click()
    page.get_by_role("checkbox", name=re.compile("^Germany")).check()
    expect(page).to_have_url(re.compile(r"\?country=DE$"))
    switch_to(page, "fr")
    expect(page).to_have_url(re.compile(r"/\?country=DE$"))
    assert_in_language(page, "fr")
    expect(page.get_by_role("checkbox", name=re.compile("^Allemagne"))).to_be_checked()
    expect(page.get_by_role("button", name=FILTER_BUTTONS["fr"])).to_be_attached()


PAGES = {"timeline": "/?country=DE", "measures": "/measures/", "event": "/events/germany-step-1/"}
# Where the longer words land: the header, the chips, cards, headings, the measures' board, an event's facts.
CHECKED_FOR_OVERFLOW = ", ".join(
    [
        ".site-header *",
        ".chips *",
        "article.card *",
        ".results-head *",
        ".downloads",
        "h1",
        "h2",
        "h3",
        ".board *",
        ".card-meta *",
        ".facts *",
    ]
)


@pytest.mark.parametrize("language", ["fr", "de"])
@pytest.mark.parametrize(("width", "height", "phone"), [(1366, 900, False), (390, 844, True)])
@pytest.mark.parametrize("name", PAGES)
def test_the_pages_fit_the_screen_in_each_language(browser, story, name, language, width, height, phone):
    """The longer French and German words overflow nothing, on a wide screen and a phone; the screenshots are for a person to look at."""
    context = browser.new_context(viewport={"width": width, "height": height}, is_mobile=phone, has_touch=phone, locale=language)
    page = context.new_page()
    page.goto(story + PAGES[name])
    expect(page.locator("html")).to_have_attribute("lang", language)
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    # Nothing is wider than its box.
    overflowing = page.evaluate(
        """(selector) => [...document.querySelectorAll(selector)]
              .filter((el) => el.scrollWidth > el.clientWidth + 1 && getComputedStyle(el).overflowX === 'visible'
                              && el.clientWidth > 0 && !el.closest('.visually-hidden'))
              .map((el) => el.className || el.tagName)""",
        CHECKED_FOR_OVERFLOW,
    )
    assert overflowing == []
    switcher = page.locator(".language-switch").bounding_box()
    assert switcher["x"] >= 0 and switcher["x"] + switcher["width"] <= width
    for button in page.locator(".language-switch button").all():
        box = button.bounding_box()
        assert box["width"] >= 44 and box["height"] >= 44
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=SHOTS / f"{name}-{language}-{width}.png", full_page=True)
    context.close()
