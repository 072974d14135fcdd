"""An event's page (`/events/<slug>/`) and a measure's page (`/measures/<slug>/`)."""

import datetime
import re
from unittest import mock

import pytest
from django.conf import settings
from django.contrib.auth.models import Group, Permission
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone, translation

from timeline import views
from timeline.changes import data_version
from timeline.facet_index import current_index
from timeline.models import Event, Source, Status

from .factories import (
    ActorFactory,
    CorrectionFactory,
    DraftFactory,
    EventFactory,
    EventTypeFactory,
    MeasureFactory,
    SourceFactory,
    TopicFactory,
)

pytestmark = pytest.mark.django_db

BANNER = "Preview: readers cannot see this event"


def links(fragment):
    """(href, text) of every link in an HTML fragment, the text without its tags (flags are images)."""
    return [
        (href, " ".join(re.sub(r"<[^>]+>", "", text).split()))
        for href, text in re.findall(r'<a href="([^"]*)"[^>]*>(.*?)</a>', fragment, re.S)
    ]


def section(page, css_class):
    """The inner HTML of the first element with this class (no nesting of the same tag inside)."""
    match = re.search(rf'<(\w+) class="{css_class}"[^>]*>(.*?)</\1>', page, re.S)
    assert match, f"no .{css_class} in the page"
    return match[2]


def hidden_event(kind, **kwargs):
    if kind == "draft":
        return DraftFactory(**kwargs)
    if kind == "review":
        return DraftFactory(status=Status.REVIEW, **kwargs)
    return EventFactory(publish_at=timezone.now() + datetime.timedelta(days=2), **kwargs)


# --- a public event's page -------------------------------------------------------------


@pytest.fixture
def event():
    """A public event with everything a page shows."""
    measure = MeasureFactory(slug="czech-phones", title="Czech limits on Huawei phones")
    event = EventFactory(
        title="Czech government stops buying Huawei phones",
        slug="czech-phones-order",
        summary="The prime minister ordered the government office to stop.",
        body="The order follows a **formal warning** from the agency.\n\n- first point\n- second point",
        date=datetime.date(2018, 12, 17),
        event_type=EventTypeFactory(slug="ban", name="Ban or restriction"),
        stage="in_effect",
        measure=measure,
        countries=["CZ", "EU"],
        actor_roles=[
            (ActorFactory(slug="czech-government", name="Czech government"), "initiator"),
            (ActorFactory(slug="huawei", name="Huawei"), "target"),
        ],
        sources=0,
    )
    event.topics.add(TopicFactory(slug="handsets", name="Handsets"), TopicFactory(slug="5g", name="5G"))
    SourceFactory(
        event=event,
        title="Another Setback For Telecom Chinese Suppliers",
        publisher="Telecom trade press",
        url="https://example.org/setback",
        published_on=datetime.date(2018, 12, 18),
        quote="The office will stop buying the phones.",
    )
    SourceFactory(event=event, title="Government resolution", publisher="Office of the Government", url="", published_on=None)
    CorrectionFactory(event=event, corrected_on=datetime.date(2019, 1, 5), note="The order covers phones, not network gear.")
    return event


def test_it_shows_title_summary_date_type_and_stage(client, event):
    response = client.get("/events/czech-phones-order/")
    page = response.content.decode()
    assert response.status_code == 200
    assert "<h1>Czech government stops buying Huawei phones</h1>" in page
    assert '<p class="lede">The prime minister ordered the government office to stop.</p>' in page
    assert '<time datetime="2018-12-17">17 Dec 2018</time>' in page
    assert '<a class="tag tag-type" href="/?type=ban">Ban or restriction</a>' in page
    assert "Stage: In effect" in page
    assert "<title>Czech government stops buying Huawei phones · Policy Timeline</title>" in page


def test_it_renders_the_markdown_body(client, event):
    prose = section(client.get(event.get_absolute_url()).content.decode(), "prose")
    assert "<strong>formal warning</strong>" in prose
    assert "<li>first point</li>" in prose and "<li>second point</li>" in prose
    assert "**" not in prose


HOSTILE_BODY = """Some **bold** and [a fine link](https://example.org/x).

<script>alert("body")</script>

[x](javascript:alert(1))

<img src=x onerror=alert(1)>

[y](JaVaScRiPt:alert(2)) [z](data:text/html;base64,PHNjcmlwdD5hbGVydCgzKTwvc2NyaXB0Pg==) <a href="javascript:alert(4)">raw</a>

<iframe src="https://evil.example/"></iframe> <svg onload=alert(5)></svg> <style>body{display:none}</style>
"""


def test_it_keeps_hostile_markdown_inert(client):
    event = EventFactory(body=HOSTILE_BODY)
    page = client.get(event.get_absolute_url()).content.decode()
    prose = section(page, "prose")
    # What Markdown may do still works.
    assert "<strong>bold</strong>" in prose
    assert '<a href="https://example.org/x" rel="nofollow noopener noreferrer">a fine link</a>' in prose
    # Nothing live: no script, image, frame, svg or style element, no event handler, no script URL.
    for tag in ["<script", "<img", "<iframe", "<svg", "<style"]:
        assert tag not in prose.lower()
    assert not re.search(r"<[^>]+\son\w+\s*=", prose, re.I)
    assert not re.search(r"""<[^>]*href\s*=\s*["']?\s*(javascript|data):""", prose, re.I)
    # The only <a> elements are the safe link: the others stayed text.
    assert re.findall(r"<a\s[^>]*>", prose) == ['<a href="https://example.org/x" rel="nofollow noopener noreferrer">']
    # And nowhere on the page does a script run the body's alert.
    assert not re.search(r"<script[^>]*>[^<]*alert", page)


def test_it_escapes_hostile_titles_summaries_and_sources(client):
    event = EventFactory(title='<b onmouseover="alert(1)">Title</b>', summary="<script>alert(2)</script> summary", sources=0)
    SourceFactory(event=event, title="<img src=x onerror=alert(3)>", publisher="<script>alert(4)</script>", quote="<svg onload=alert(5)>")
    page = client.get(event.get_absolute_url()).content.decode()
    assert "<b onmouseover" not in page and "<img src=x" not in page and "<svg" not in page
    assert "<script>alert" not in page
    assert "&lt;b onmouseover=&quot;alert(1)&quot;&gt;Title&lt;/b&gt;" in page


@pytest.mark.parametrize(
    "url", ["javascript:alert(1)", "JavaScript:alert(1)", " javascript:alert(1)", "data:text/html,<script>", "ftp://example.org/a"]
)
def test_a_source_address_that_is_not_a_web_address_is_never_a_link(client, url):
    measure = MeasureFactory(slug="m")
    event = EventFactory(title="Stored outside the admin", measure=measure, stage="announced", sources=0)
    # Saved through the ORM, as an import or a script would: no form validates it.
    Source.objects.create(event=event, title="Suspicious source", publisher="Somewhere", url=url)
    pages = {
        "event": client.get(event.get_absolute_url()).content.decode(),
        "measure": client.get("/measures/m/").content.decode(),
        "timeline": client.get("/").content.decode(),
        "feed": client.get("/feed/").content.decode(),
    }
    for name, page in pages.items():
        assert not any(href.strip().lower().startswith(("javascript:", "data:", "ftp:")) for href, _ in links(page)), name
        assert "javascript:alert" not in page.lower(), name
    assert "<cite>Suspicious source</cite>, Somewhere." in " ".join(section(pages["event"], "sources").split())
    assert "Source: <cite>Suspicious source</cite>, Somewhere" in pages["measure"]


def test_a_web_address_in_any_case_is_a_link(client):
    event = EventFactory(sources=0)
    Source.objects.create(event=event, title="Report", publisher="Ministry", url="HTTPS://example.org/report")
    assert ("HTTPS://example.org/report", "Report") in links(client.get(event.get_absolute_url()).content.decode())


def test_it_numbers_the_sources_with_their_publishers(client, event):
    page = client.get(event.get_absolute_url()).content.decode()
    sources = section(page, "sources")
    items = re.findall(r'<li id="source-(\d+)">(.*?)</li>', sources, re.S)
    assert [number for number, _ in items] == ["1", "2"]
    first, second = (" ".join(text.split()) for _, text in items)
    assert first.startswith(
        '<a href="https://example.org/setback" rel="nofollow noopener noreferrer">Another Setback For Telecom Chinese Suppliers</a>, '
        "Telecom trade press, 18 Dec 2018."
    )
    assert "<blockquote>The office will stop buying the phones.</blockquote>" in first
    assert second == "<cite>Government resolution</cite>, Office of the Government."
    assert '<ol class="sources">' in page


def test_it_says_when_an_event_has_no_source_yet(client):
    event = EventFactory(sources=0)
    assert "<li>No source yet.</li>" in section(client.get(event.get_absolute_url()).content.decode(), "sources")


def test_it_lists_places_actors_with_roles_and_topics(client, event):
    facts = section(client.get(event.get_absolute_url()).content.decode(), "facts")
    text = " ".join(facts.split())
    assert links(facts) == [
        ("/?country=CZ", "Czechia"),
        ("/?country=EU", "European Union"),
        ("/?actor=czech-government", "Czech government"),
        ("/?actor=huawei", "Huawei"),
        ("/?topic=5g", "5G"),
        ("/?topic=handsets", "Handsets"),
        ("/measures/czech-phones/", "Czech limits on Huawei phones"),
    ]
    assert '<a href="/?actor=czech-government">Czech government</a> <span class="role">(initiator)</span>' in text
    assert '<a href="/?actor=huawei">Huawei</a> <span class="role">(target)</span>' in text
    assert '<a href="/?topic=5g">5G</a>, <a href="/?topic=handsets">Handsets</a>' in text
    assert '<a href="/measures/czech-phones/">Czech limits on Huawei phones</a>' in text


def test_it_shows_corrections_with_their_date(client, event):
    CorrectionFactory(event=event, corrected_on=datetime.date(2019, 2, 1), note="The date is the 17th, not the 18th.")
    corrections = section(client.get(event.get_absolute_url()).content.decode(), "corrections")
    assert re.findall(r'<time datetime="([\d-]+)">([^<]+)</time>', corrections) == [
        ("2019-01-05", "5 Jan 2019"),
        ("2019-02-01", "1 Feb 2019"),
    ]
    assert "The order covers phones, not network gear." in corrections
    assert "The date is the 17th, not the 18th." in corrections


def test_it_shows_no_corrections_section_without_corrections(client):
    event = EventFactory()
    assert "Corrections" not in client.get(event.get_absolute_url()).content.decode()


@pytest.fixture
def lifecycle(event):
    """The measure's public steps around the event, and hidden steps that must stay out."""
    earlier = EventFactory(
        title="Agency warns against Huawei", slug="warning", date=datetime.date(2018, 12, 1), stage="considered", measure=event.measure
    )
    later = EventFactory(
        title="Ban extended to ministries", slug="extended", date=datetime.date(2019, 3, 1), stage="lifted", measure=event.measure
    )
    for kind in ["draft", "review", "future"]:
        hidden_event(kind, title=f"Hidden {kind} step", date=datetime.date(2019, 1, 1), stage="announced", measure=event.measure)
    EventFactory(title="Unrelated event", date=datetime.date(2018, 12, 5))
    return earlier, later


def test_it_shows_the_measures_public_lifecycle(client, event, lifecycle):
    page = client.get(event.get_absolute_url()).content.decode()
    steps = section(page, "lifecycle")
    items = [" ".join(item.split()) for item in re.findall(r"<li[^>]*>(.*?)</li>", steps, re.S)]
    assert len(items) == 3
    assert '<time datetime="2018-12-01">1 Dec 2018</time>' in items[0] and "Under consideration" in items[0]
    assert '<a href="/events/warning/">Agency warns against Huawei</a>' in items[0]
    assert "Czech government stops buying Huawei phones (this event)" in items[1] and "<a " not in items[1]
    assert '<a href="/events/extended/">Ban extended to ministries</a>' in items[2] and "Lifted or reversed" in items[2]
    assert '<li class="current">' in steps
    assert "Hidden" not in page and "Unrelated event" not in page


def test_it_shows_no_lifecycle_without_a_measure(client):
    event = EventFactory()
    assert "The measure so far" not in client.get(event.get_absolute_url()).content.decode()


def test_it_has_a_canonical_link_and_open_graph_tags(client, event):
    response = client.get(event.get_absolute_url())
    page = response.content.decode()
    url = "http://testserver/events/czech-phones-order/"
    assert f'<link rel="canonical" href="{url}">' in page
    assert '<meta property="og:type" content="article">' in page
    assert '<meta property="og:title" content="Czech government stops buying Huawei phones">' in page
    assert '<meta property="og:description" content="The prime minister ordered the government office to stop.">' in page
    assert f'<meta property="og:url" content="{url}">' in page
    assert '<meta property="og:site_name" content="Policy Timeline">' in page
    assert f'<meta property="article:published_time" content="{event.publish_at.isoformat()}">' in page
    assert '<meta name="description" content="The prime minister ordered the government office to stop.">' in page


def test_it_truncates_long_summaries_in_meta_tags(client):
    event = EventFactory(summary="word " * 100)
    page = client.get(event.get_absolute_url()).content.decode()
    description = re.search(r'<meta property="og:description" content="([^"]*)">', page)[1]
    assert len(description) <= 200 and description.endswith("…")


def test_it_offers_a_citation(client, event):
    cite = " ".join(section(client.get(event.get_absolute_url()).content.decode(), "cite").split())
    assert "Cite this" in cite
    assert (
        "“Czech government stops buying Huawei phones” (17 Dec 2018). <i>Policy Timeline</i>. "
        "http://testserver/events/czech-phones-order/, last updated"
    ) in cite
    assert 'data-copy="http://testserver/events/czech-phones-order/"' in cite


def test_a_public_page_is_indexable_cacheable_and_unmarked(client, event):
    response = client.get(event.get_absolute_url())
    page = response.content.decode()
    assert BANNER not in page and "draft-banner" not in page
    assert "noindex" not in page
    assert "no-store" not in response.get("Cache-Control", "")


def test_it_404s_on_an_unknown_slug(client):
    assert client.get("/events/no-such-event/").status_code == 404


def add_details(event, count):
    for n in range(count):
        SourceFactory(event=event, url=f"https://example.org/{n}")
        event.event_actors.create(actor=ActorFactory(), role="target" if n % 2 else "initiator")
        event.topics.add(TopicFactory())
        CorrectionFactory(event=event, corrected_on=datetime.date(2019, 1, 1 + n))
        EventFactory(measure=event.measure, stage="announced", date=datetime.date(2017, 1, 1 + n))


def page_queries(client, event):
    with CaptureQueriesContext(connection) as captured:
        response = client.get(event.get_absolute_url())
    assert response.status_code == 200
    return len(captured)


def test_it_shows_an_event_in_a_constant_number_of_queries(client):
    measure = MeasureFactory()
    small = EventFactory(measure=measure, countries=["DE"], sources=0)
    big = EventFactory(measure=MeasureFactory(), countries=["DE", "FR", "EU", "GB", "CZ"], sources=0)
    add_details(small, 1)
    add_details(big, 8)
    # Events sharing their actors, before and after them: one for the small, many for the big.
    for event, count in ((small, 1), (big, 8)):
        for link in event.event_actors.all()[:count]:
            for day in (1, 28):
                EventFactory(date=datetime.date(2018, 11, day), actor_roles=[(link.actor, "involved")])
                EventFactory(date=datetime.date(2018, 12, day), actor_roles=[(link.actor, "target")])
    # The facet index of this data version, which every page reads (the event page: when a scheduled event goes live).
    current_index(data_version())
    few, many = page_queries(client, small), page_queries(client, big)
    # The data version (1, no query on PostgreSQL, see changes.py); the event
    # with its type and measure (2); the prefetched jurisdictions (3), topics
    # (4), actor links with their actors (5), sources (6) and corrections (7);
    # the measure's public events (8); on each side of the event, its nearest
    # public events' links to its actors, with those events' columns (9, 10).
    # None per source, actor, place, topic, correction, step or related event.
    # The share image's address carries the event's version, not the data version.
    assert few == many == 10
    # Again: the measure's steps and the related events come from the cache (8-10).
    assert page_queries(client, small) == page_queries(client, big) == 7


def test_it_relates_the_nearest_events_after_a_day_crowded_with_earlier_entries(client, monkeypatch):
    # Month-precision events all sit on the month's last day: thousands of them at a million events.
    monkeypatch.setattr(views, "RELATED_WINDOW", 2)
    actor = ActorFactory(name="Huawei")
    day = datetime.date(2019, 1, 31)
    EventFactory(slug="earlier", date=datetime.date(2019, 1, 1), actor_roles=[(actor, "target")])
    for n in range(5):
        EventFactory(date=day, title=f"Entered before {n}")
    event = EventFactory(date=day, actor_roles=[(actor, "target")])
    EventFactory(date=day, title="Entered after")
    EventFactory(slug="later", date=datetime.date(2019, 2, 1), actor_roles=[(actor, "target")])
    related = section(client.get(event.get_absolute_url()).content.decode(), "related")
    # Before it, the window holds two of the same day's events; after it, the one entered later and "later".
    assert [href for href, _ in links(related)] == ["/events/later/"]


# --- the measure's steps and the related events, cached per data version -----------------


def test_an_edit_of_a_step_or_of_a_related_event_shows_at_once(client, event, lifecycle):
    huawei = event.event_actors.get(role="target").actor
    EventFactory(slug="before", title="Before", date=datetime.date(2018, 11, 1), actor_roles=[(huawei, "target")])
    client.get(event.get_absolute_url())
    earlier, _ = lifecycle
    earlier.title = "Agency warns again"
    earlier.save()
    huawei.name = "Huawei Technologies"
    huawei.save()
    page = client.get(event.get_absolute_url()).content.decode()
    assert "Agency warns again" in section(page, "lifecycle")
    assert "also with Huawei Technologies" in section(page, "related")


def test_a_scheduled_step_reaches_a_cached_page_when_it_goes_live(client, event, lifecycle):
    assert "Hidden future step" not in client.get(event.get_absolute_url()).content.decode()
    goes_live = Event.objects.get(title="Hidden future step").publish_at
    with mock.patch("django.utils.timezone.now", return_value=goes_live + datetime.timedelta(seconds=1)):
        page = client.get(event.get_absolute_url()).content.decode()
    assert "Hidden future step" in section(page, "lifecycle")


def test_each_language_gets_the_lane_written_in_it(client, event, lifecycle):
    def lane(language):
        return section(client.get(event.get_absolute_url(), HTTP_ACCEPT_LANGUAGE=language).content.decode(), "event-lane")

    english, french = lane("en"), lane("fr")
    cache.clear()
    try:
        assert french == lane("fr") != english
    finally:
        translation.activate(settings.LANGUAGE_CODE)


# --- hidden events: 404 for readers, a marked preview for editors ----------------------


def make_user(django_user_model, name, *, staff, change, active=True):
    user = django_user_model.objects.create_user(username=name, password="unused-password", is_staff=staff, is_active=active)
    if change:
        user.user_permissions.add(Permission.objects.get(content_type__app_label="timeline", codename="change_event"))
    return user


@pytest.mark.parametrize("kind", ["draft", "review", "future"])
@pytest.mark.parametrize(
    "who",
    ["anonymous", "reader", "reader-with-permission", "staff-without-permission", "inactive-editor"],
)
def test_hidden_events_are_404_for_everyone_but_editors(client, django_user_model, kind, who):
    event = hidden_event(kind, title="Not yet public", sources=1)
    users = {
        "reader": dict(staff=False, change=False),
        "reader-with-permission": dict(staff=False, change=True),
        "staff-without-permission": dict(staff=True, change=False),
        "inactive-editor": dict(staff=True, change=True, active=False),
    }
    if who in users:
        client.force_login(make_user(django_user_model, who, **users[who]))
    response = client.get(event.get_absolute_url())
    assert response.status_code == 404
    assert "Not yet public" not in response.content.decode()


@pytest.mark.parametrize(
    ("kind", "status_text"),
    [
        ("draft", "yet. It is a draft."),
        ("review", "yet. It is waiting for an editor's review."),
        ("future", "when it is scheduled to be published"),
    ],
)
@pytest.mark.parametrize("who", ["staff-with-permission", "Editor", "Contributor", "superuser"])
def test_editors_preview_hidden_events_marked_and_never_cached(client, django_user_model, admin_user, kind, status_text, who):
    event = hidden_event(kind, title="Not yet public", sources=1)
    if who == "superuser":
        user = admin_user
    elif who == "staff-with-permission":
        user = make_user(django_user_model, who, staff=True, change=True)
    else:
        # The newsroom's roles grant the change permission through their group.
        user = make_user(django_user_model, who, staff=True, change=False)
        user.groups.add(Group.objects.get(name=who))
    client.force_login(user)
    response = client.get(event.get_absolute_url())
    page = response.content.decode()
    assert response.status_code == 200
    assert "<h1>Not yet public</h1>" in page
    assert '<p class="draft-banner" role="note">' in page
    assert status_text in page and BANNER in page
    assert '<meta name="robots" content="noindex, nofollow">' in page
    cache_control = response["Cache-Control"]
    assert "no-cache" in cache_control and "no-store" in cache_control and "max-age=0" in cache_control


def test_an_editor_sees_a_public_event_as_readers_do(client, django_user_model, event):
    client.force_login(make_user(django_user_model, "editor", staff=True, change=True))
    response = client.get(event.get_absolute_url())
    assert BANNER not in response.content.decode() and "noindex" not in response.content.decode()
    assert "no-store" not in response.get("Cache-Control", "")


def test_a_previewed_draft_lists_only_the_measures_public_steps(client, django_user_model, event):
    draft = DraftFactory(title="Draft next step", measure=event.measure, date=datetime.date(2019, 5, 1))
    DraftFactory(title="Another draft step", measure=event.measure, date=datetime.date(2019, 6, 1))
    client.force_login(make_user(django_user_model, "editor", staff=True, change=True))
    page = client.get(draft.get_absolute_url()).content.decode()
    steps = section(page, "lifecycle")
    assert "Czech government stops buying Huawei phones" in steps
    assert "Another draft step" not in steps


# --- a measure's page --------------------------------------------------------------------


@pytest.fixture
def measure():
    """A measure with three public steps (created out of date order) and hidden ones."""
    measure = MeasureFactory(slug="uk-5g", title="UK limits on Huawei in 5G networks", description="From review to removal.")
    review = EventTypeFactory(slug="review", name="Review")
    steps = [
        EventFactory(
            title="UK orders removal", slug="removal", date=datetime.date(2020, 7, 14), stage="in_effect", measure=measure, sources=0
        ),
        EventFactory(
            title="UK reviews suppliers",
            slug="review-opens",
            date=datetime.date(2018, 10, 1),
            stage="considered",
            measure=measure,
            event_type=review,
            date_precision="month",
            sources=0,
        ),
        EventFactory(
            title="UK caps market share", slug="cap", date=datetime.date(2020, 1, 28), stage="announced", measure=measure, sources=0
        ),
    ]
    for n, step in enumerate(steps):
        SourceFactory(
            event=step,
            title=f"First source {n}",
            publisher=f"Publisher {n}",
            url=f"https://example.org/first-{n}",
            published_on=datetime.date(2020, 8, 1),
        )
        SourceFactory(event=step, title=f"Second source {n}", publisher="Someone else")
    for kind in ["draft", "review", "future"]:
        hidden_event(
            kind, title=f"Hidden {kind} step", slug=f"hidden-{kind}", date=datetime.date(2021, 1, 1), stage="lifted", measure=measure
        )
    return measure


def test_it_lists_every_public_step_of_a_measure_in_date_order(client, measure):
    response = client.get("/measures/uk-5g/")
    page = response.content.decode()
    assert response.status_code == 200
    assert "<h1>UK limits on Huawei in 5G networks</h1>" in page
    assert '<p class="lede">From review to removal.</p>' in page
    steps = [" ".join(item.split()) for item in re.findall(r"<li[^>]*>(.*?)</li>", section(page, "lifecycle"), re.S)]
    assert len(steps) == 3
    assert '<time datetime="2018-10">Oct 2018</time>' in steps[0]
    assert "Under consideration" in steps[0] and "Review" in steps[0]
    assert '<a href="/events/review-opens/">UK reviews suppliers</a>' in steps[0]
    assert '<time datetime="2020-01-28">28 Jan 2020</time>' in steps[1] and "Announced" in steps[1]
    assert '<a href="/events/cap/">UK caps market share</a>' in steps[1]
    assert '<time datetime="2020-07-14">14 Jul 2020</time>' in steps[2] and "In effect" in steps[2]
    assert '<a href="/events/removal/">UK orders removal</a>' in steps[2]


def test_it_shows_each_steps_first_source(client, measure):
    page = client.get("/measures/uk-5g/").content.decode()
    steps = [" ".join(item.split()) for item in re.findall(r"<li[^>]*>(.*?)</li>", section(page, "lifecycle"), re.S)]
    # Steps in date order are the fixture's second, third and first events.
    for step, n in zip(steps, [1, 2, 0], strict=True):
        link = f'<a href="https://example.org/first-{n}" rel="nofollow noopener noreferrer">First source {n}</a>'
        assert f"Source: {link}, Publisher {n}, 1 Aug 2020" in step
    assert "Second source" not in page


def test_it_shows_the_measures_current_stage_and_a_timeline_link(client, measure):
    page = client.get("/measures/uk-5g/").content.decode()
    assert "Now: In effect" in page
    assert '<a href="/?measure=uk-5g">See these events on the timeline</a>' in page
    assert '<link rel="canonical" href="http://testserver/measures/uk-5g/">' in page


def test_it_leaves_hidden_steps_off_a_measures_page(client, measure):
    page = client.get("/measures/uk-5g/").content.decode()
    assert "Hidden" not in page and "hidden-" not in page
    assert "Lifted or reversed" not in page


@pytest.mark.parametrize("kinds", [[], ["draft"], ["draft", "review", "future"]], ids=["no-event", "draft", "all-hidden"])
def test_a_measure_without_a_public_event_is_404(client, kinds):
    in_preparation = MeasureFactory(slug="in-preparation", title="Measure in preparation")
    for kind in kinds:
        hidden_event(kind, measure=in_preparation)
    response = client.get("/measures/in-preparation/")
    assert response.status_code == 404
    assert "Measure in preparation" not in response.content.decode()


def test_an_unknown_measure_is_404(client):
    assert client.get("/measures/no-such-measure/").status_code == 404


def test_it_shows_a_measure_in_a_constant_number_of_queries(client):
    small, big = MeasureFactory(slug="small"), MeasureFactory(slug="big")
    EventFactory(measure=small, countries=["DE"], sources=1)
    for n in range(8):
        step = EventFactory(measure=big, countries=["DE", "FR"], sources=3, date=datetime.date(2018, 1, 1 + n))
        step.event_actors.create(actor=ActorFactory(), role="target")
        step.topics.add(TopicFactory())
    counts = []
    for slug in ["small", "big"]:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(f"/measures/{slug}/").status_code == 200
        counts.append(len(captured))
    # The measure (1); its public events with their type (2); their sources (3);
    # the data version, which the share image's address carries (4).
    assert counts == [4, 4]


def test_a_later_step_without_a_stage_does_not_move_the_measure(client):
    measure = MeasureFactory(slug="staged")
    EventFactory(measure=measure, stage="announced", date=datetime.date(2019, 1, 1), title="Announced step")
    EventFactory(measure=measure, stage="", date=datetime.date(2019, 6, 1), title="A statement about it")
    page = client.get("/measures/staged/").content.decode()
    assert "Now: Announced" in page and 'tag-stage-"' not in page


# --- the way back, the measure's lane, related events ---------------------------------


@pytest.mark.parametrize(
    "referer, back",
    [
        ("http://testserver/?country=CZ&type=ban&shown=50", ("/?country=CZ&amp;type=ban&amp;shown=50", "Back to the timeline")),
        ("http://testserver/measures/?country=CZ&as_of=2018", ("/measures/?country=CZ&amp;as_of=2018", "Back to the measures")),
        ("http://testserver/", ("/", "Back to the timeline")),
        # Another site, another page of this one, or none: the timeline.
        ("https://elsewhere.example/?country=CZ", ("/", "The timeline")),
        ("http://testserver/events/other/?country=CZ", ("/", "The timeline")),
        ("", ("/", "The timeline")),
    ],
)
def test_it_leads_back_to_the_view_the_reader_came_from(client, event, referer, back):
    response = client.get(event.get_absolute_url(), HTTP_REFERER=referer) if referer else client.get(event.get_absolute_url())
    link = section(response.content.decode(), "back-link")
    assert (re.search(r'href="([^"]*)"', link)[1], re.sub(r"<[^>]+>|← ", "", link).strip()) == back
    assert "Referer" in response["Vary"]


def test_it_draws_the_measures_lane_with_this_event_marked(client, event, lifecycle):
    html = client.get(event.get_absolute_url()).content.decode()
    lane = re.search(r'<ol class="event-lane">(.*?)</svg>', html, re.S)[1]
    dots = re.findall(r'<a href="([^"]+)" aria-label="([^"]+)"( aria-current="page")?>', lane)
    assert dots == [
        ("/events/warning/", "1 Dec 2018, under consideration: Agency warns against Huawei", ""),
        ("/events/czech-phones-order/", "17 Dec 2018, in effect: Czech government stops buying Huawei phones", ' aria-current="page"'),
        ("/events/extended/", "1 Mar 2019, lifted or reversed: Ban extended to ministries", ""),
    ]
    assert re.findall(r'<rect class="segment segment-(\w+)"', lane) == ["considered", "in_effect", "lifted"]
    steps = re.sub(r"<[^>]+>", " ", re.search(r'<ol class="lane-steps"[^>]*>(.*?)</ol>', lane, re.S)[1])
    assert " ".join(steps.split()) == (
        "Under consideration 1 Dec 2018 In effect 17 Dec 2018 (16 days later) Lifted or reversed 1 Mar 2019 (74 days later)"
    )


def test_it_draws_the_lane_of_a_measure_whose_events_have_no_stage_yet(client):
    measure = MeasureFactory(slug="proposal")
    first = EventFactory(slug="first", measure=measure, date=datetime.date(2019, 1, 1))
    EventFactory(slug="second", measure=measure, date=datetime.date(2019, 2, 1))
    response = client.get(first.get_absolute_url())
    assert response.status_code == 200
    lane = re.search(r'<ol class="event-lane">(.*?)</svg>', response.content.decode(), re.S)[1]
    assert len(re.findall(r'<a href="/events/(?:first|second)/"', lane)) == 2
    assert "segment-" not in lane


def test_it_lists_actors_as_initiator_then_target_then_involved(client):
    names = ["Involved first", "Target second", "Initiator third", "Target fourth"]
    roles = ["involved", "target", "initiator", "target"]
    event = EventFactory(actor_roles=[(ActorFactory(name=name), role) for name, role in zip(names, roles, strict=True)])
    facts = section(client.get(event.get_absolute_url()).content.decode(), "facts")
    assert [text for _, text in links(facts)] == ["Initiator third", "Target second", "Target fourth", "Involved first"]


def test_it_relates_the_nearest_events_with_the_same_actors_and_never_a_hidden_one(client, event):
    huawei = event.event_actors.get(role="target").actor
    government = event.event_actors.get(role="initiator").actor
    for day in range(1, 6):
        EventFactory(slug=f"before-{day}", title=f"Before {day}", date=datetime.date(2018, 11, day), actor_roles=[(huawei, "target")])
        EventFactory(slug=f"after-{day}", title=f"After {day}", date=datetime.date(2019, 1, day), actor_roles=[(government, "initiator")])
    EventFactory(
        slug="same-measure", title="Same measure", date=datetime.date(2018, 12, 20), measure=event.measure, actor_roles=[(huawei, "target")]
    )
    EventFactory(slug="stranger", title="Unrelated", date=datetime.date(2018, 12, 18), actor_roles=[(ActorFactory(), "target")])
    DraftFactory(slug="draft-neighbour", title="Draft neighbour", date=datetime.date(2018, 12, 18), actor_roles=[(huawei, "target")])
    html = client.get(event.get_absolute_url()).content.decode()
    related = section(html, "related")
    assert [href for href, _ in links(related)] == [
        "/events/before-3/",
        "/events/before-4/",
        "/events/before-5/",
        "/events/after-1/",
        "/events/after-2/",
        "/events/after-3/",
    ]
    assert "also with Huawei" in related and "also with Czech government" in related
    # The measure's own steps are listed with the measure; drafts nowhere.
    assert "same-measure" not in related and "Draft neighbour" not in html
