"""An editor at work in real Chromium: a follow-up entered in a few interactions, errors shown where
they are, a new actor typed in place, and the changelist readable at 1366 px."""

import datetime

import pytest
from django.contrib.auth.models import User
from playwright.sync_api import expect

from tests.factories import ActorFactory, EventFactory, EventTypeFactory, MeasureFactory, TopicFactory
from timeline.models import Actor, Event, Status

pytestmark = pytest.mark.browser

PASSWORD = "correct horse battery staple"
MOST_INTERACTIONS = 12


class Counted:
    """The page, with each click, keystroke-run (a fill) and choice counted as one interaction."""

    def __init__(self, page):
        self.page = page
        self.interactions = 0

    def click(self, locator):
        self.interactions += 1
        locator.click()

    def fill(self, locator, text):
        self.interactions += 1
        locator.fill(text)

    def select(self, locator, value):
        self.interactions += 1
        locator.select_option(value)


@pytest.fixture
def editor_page(site, page):
    User.objects.create_superuser("edith", "edith@example.org", PASSWORD)
    page.set_viewport_size({"width": 1366, "height": 900})
    page.goto(site + "/admin/login/?next=/admin/")
    page.get_by_label("Username").fill("edith")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page).to_have_url(site + "/admin/")
    return page


@pytest.fixture
def announced_ban():
    """The step an editor follows up: a ban announced, two countries, two actors, two topics."""
    ban = EventTypeFactory(name="Ban or restriction", slug="ban")
    event = EventFactory(
        title="Czech government announces a ban on Huawei in its offices",
        event_type=ban,
        measure=MeasureFactory(title="Czech limits on Huawei"),
        stage="announced",
        date=datetime.date(2019, 1, 10),
        countries=["CZ", "EU"],
        actor_roles=[(ActorFactory(name="Czech government"), "initiator"), (ActorFactory(name="Huawei", kind="company"), "target")],
    )
    event.topics.add(TopicFactory(name="5G"), TopicFactory(name="government procurement"))
    return event


def test_a_follow_up_takes_at_most_twelve_interactions(site, editor_page, announced_ban):
    editor_page.goto(f"{site}/admin/timeline/event/{announced_ban.pk}/change/")
    editor = Counted(editor_page)

    editor.click(editor_page.get_by_role("link", name="Add next step"))
    expect(editor_page.locator(".next-step-note")).to_contain_text("Next step after")
    editor.fill(editor_page.locator("#id_date"), "2019-06")
    editor.fill(editor_page.locator("#id_title"), "Czech ban on Huawei in government offices takes effect")
    editor.fill(editor_page.locator("#id_summary"), "Ministries remove Huawei equipment from their networks.")
    editor.select(editor_page.locator("#id_stage"), "in_effect")
    editor.fill(editor_page.locator("#id_sources-0-title"), "Government resolution on Huawei equipment")
    editor.fill(editor_page.locator("#id_sources-0-publisher"), "Czech government")
    editor.fill(editor_page.locator("#id_sources-0-url"), "https://vlada.cz/resolution-2019-06")
    editor.click(editor_page.get_by_role("button", name="Save", exact=True))

    expect(editor_page.locator("ul.messagelist")).to_contain_text("Saved as a draft: “")
    assert editor.interactions <= MOST_INTERACTIONS
    step = Event.objects.get(title="Czech ban on Huawei in government offices takes effect")
    assert step.status == Status.DRAFT and step.stage == "in_effect" and step.measure == announced_ban.measure
    assert step.event_type == announced_ban.event_type and step.date == datetime.date(2019, 6, 1)
    assert set(step.jurisdictions.all()) == set(announced_ban.jurisdictions.all())
    assert set(step.topics.all()) == set(announced_ban.topics.all())
    assert [str(link) for link in step.event_actors.all()] == ["Czech government (initiator)", "Huawei (target)"]
    assert step.slug == "czech-ban-on-huawei-in-government-offices-takes-effect"
    assert step.sources.get().url == "https://vlada.cz/resolution-2019-06"


def test_a_new_actor_is_typed_in_its_row_with_its_kind(site, editor_page, announced_ban):
    editor_page.goto(f"{site}/admin/timeline/event/add/?after={announced_ban.pk}")
    editor_page.locator("#id_date").fill("2019-07-02")
    editor_page.locator("#id_title").fill("Czech operator drops ZTE too")
    editor_page.locator("#id_summary").fill("The operator follows the government.")
    editor_page.locator("#id_event_actors-2-new_actor_name").fill("O2 Czech Republic")
    editor_page.locator("#id_event_actors-2-new_actor_kind").select_option("operator")
    editor_page.locator("#id_event_actors-2-role").select_option("involved")
    editor_page.get_by_role("button", name="Save", exact=True).click()
    expect(editor_page.locator("ul.messagelist")).to_contain_text("Saved as a draft: “")
    assert Actor.objects.get(name="O2 Czech Republic").kind == "operator"
    assert "O2 Czech Republic (involved)" in [
        str(link) for link in Event.objects.get(title__startswith="Czech operator").event_actors.all()
    ]


def test_a_refused_save_shows_the_field_at_fault_not_the_banner(site, editor_page, announced_ban):
    editor_page.goto(f"{site}/admin/timeline/event/{announced_ban.pk}/change/")
    editor_page.locator("#id_title").fill("Czech government announces a ban on Huawei and ZTE in its offices")
    editor_page.get_by_role("button", name="Save", exact=True).click()

    note = editor_page.locator("#id_correction_note")
    expect(editor_page.locator(".field-correction_note ul.errorlist")).to_contain_text("Write a correction note")
    expect(note).to_be_focused()
    expect(note).to_be_in_viewport()
    assert editor_page.evaluate("window.scrollY") > 900
    expect(editor_page.locator("#id_title")).to_have_value("Czech government announces a ban on Huawei and ZTE in its offices")


def test_a_likely_duplicate_is_shown_and_saving_again_goes_on(site, editor_page, announced_ban):
    editor_page.goto(f"{site}/admin/timeline/event/add/?after={announced_ban.pk}")
    editor_page.locator("#id_date").fill("2019-01")
    editor_page.locator("#id_title").fill("Czech government announces ban on Huawei in its offices")
    editor_page.locator("#id_summary").fill("Typed again from a wire story.")
    editor_page.get_by_role("button", name="Save", exact=True).click()
    warning = editor_page.locator("ul.errorlist.nonfield")
    expect(warning).to_contain_text("This may be an event already entered")
    expect(warning.get_by_role("link", name=announced_ban.title)).to_have_attribute(
        "href", f"/admin/timeline/event/{announced_ban.pk}/change/"
    )
    expect(editor_page.locator("#id_summary")).to_have_value("Typed again from a wire story.")
    editor_page.get_by_role("button", name="Save", exact=True).click()
    expect(editor_page.locator("ul.messagelist")).to_contain_text("Saved as a draft: “")
    assert Event.objects.filter(title="Czech government announces ban on Huawei in its offices").exists()


def test_the_changelist_fits_1366_px_with_headlines_on_at_most_two_lines(site, editor_page):
    countries = ["CZ", "DE", "EU", "FR", "GB", "IT", "PL", "SK"]
    for n in range(8):
        EventFactory(
            title=f"European operators review Huawei equipment in their core networks after the warning number {n}",
            countries=countries,
            date=datetime.date(2019, 1, 1) + datetime.timedelta(days=n),
        )
    editor_page.goto(f"{site}/admin/timeline/event/")
    results = editor_page.locator("#changelist .results")
    assert results.evaluate("el => el.scrollWidth - el.clientWidth") == 0
    line_height = float(
        editor_page.locator("#result_list .field-title a").first.evaluate("el => parseFloat(getComputedStyle(el).lineHeight)")
    )
    for height in editor_page.locator("#result_list .field-title a").evaluate_all(
        "links => links.map(a => a.getBoundingClientRect().height)"
    ):
        assert height <= 2 * line_height + 1
    expect(editor_page.locator("#result_list td.field-jurisdiction_codes").first).to_be_in_viewport()


def test_the_desk_fits_1366_px(site, editor_page):
    EventFactory.create_batch(3)
    editor_page.goto(f"{site}/admin/")
    assert editor_page.evaluate("document.documentElement.scrollWidth") <= 1366
    expect(editor_page.locator("#desk-published")).to_be_in_viewport()


def test_a_bulk_edit_picks_its_topic_by_typing_and_applies_it(site, editor_page):
    events = [EventFactory(title=f"Operator review {n}") for n in range(2)]
    TopicFactory(name="core network")
    editor_page.goto(f"{site}/admin/timeline/event/")
    for event in events:
        editor_page.locator(f"input.action-select[value='{event.pk}']").check()
    editor_page.locator("select[name=action]").select_option("bulk_edit")
    editor_page.get_by_role("button", name="Go").click()
    expect(editor_page.get_by_role("heading", name="Edit 2 selected events")).to_be_visible()

    editor_page.get_by_label("Add a topic").check()
    editor_page.locator(".field-topic .select2-selection").click()
    editor_page.locator(".select2-search__field").fill("core")
    editor_page.get_by_role("option", name="core network").click()
    editor_page.get_by_role("button", name="Apply to the selected events").click()

    expect(editor_page.locator("ul.messagelist")).to_contain_text("Added the topic “core network”: 2 events.")
    for event in events:
        assert [topic.name for topic in event.topics.all()] == ["core network"]
