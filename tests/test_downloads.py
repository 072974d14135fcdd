import csv
import datetime
import io
import json
import urllib.parse
import xml.etree.ElementTree as ET

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from timeline.export import PUBLIC_COLUMNS
from timeline.models import Event, EventActor, Source, Status
from timeline.sitemaps import EventSitemap

from .factories import ActorFactory, CorrectionFactory, DraftFactory, EventFactory, EventTypeFactory, MeasureFactory, jurisdiction

pytestmark = pytest.mark.django_db

ATOM = "{http://www.w3.org/2005/Atom}"


def csv_rows(response):
    assert response.streaming
    assert response["Content-Type"].startswith("text/csv")
    body = b"".join(response.streaming_content).decode("utf-8")
    assert body.startswith("\ufeff")
    return list(csv.DictReader(io.StringIO(body[1:])))


def json_rows(response):
    assert response.streaming
    return json.loads(b"".join(response.streaming_content))["events"]


def timeline_ids(client, query):
    """Every event id `/` shows for a query string, following "load more" to the end."""
    ids, cursor = [], None
    while True:
        response = client.get("/", {**query, **({"cursor": cursor} if cursor else {})})
        ids += [event.pk for group in response.context["groups"] for event in group.events]
        cursor = response.context["next_cursor"]
        if not cursor:
            return ids


@pytest.fixture
def story():
    ban, warning = EventTypeFactory(slug="ban", name="Ban"), EventTypeFactory(slug="warning", name="Warning")
    huawei = ActorFactory(slug="huawei", name="Huawei")
    for n in range(40):
        EventFactory(
            event_type=ban if n % 3 else warning,
            countries=["DE"] if n % 2 else ["CZ", "EU"],
            actor_roles=[(huawei, "target")] if n % 5 == 0 else [],
            date=datetime.date(2012, 1, 1) + datetime.timedelta(days=37 * n),
            title=f"Event {n:02d}, with a comma",
        )
    DraftFactory(event_type=ban, countries=["DE"], title="Draft never leaves")
    EventFactory(event_type=ban, countries=["DE"], title="Scheduled", publish_at=timezone.now() + datetime.timedelta(hours=1))


@pytest.mark.parametrize(
    "query",
    [
        {},
        {"type": "ban"},
        {"country": "DE"},
        {"country": ["CZ", "DE"], "type": "warning"},
        {"actor": "huawei"},
        {"since": "2014", "until": "2015-06"},
        {"order": "oldest"},
    ],
    ids=["all", "type", "country", "countries-and-type", "actor", "period", "oldest-first"],
)
def test_downloads_hold_exactly_what_the_timeline_shows(client, story, query):
    expected = timeline_ids(client, query)
    assert [int(row["id"]) for row in csv_rows(client.get("/export.csv", query))] == expected
    assert [row["id"] for row in json_rows(client.get("/export.json", query))] == expected


BAD_FILTERS = [
    ({"actor": "no-such-actor"}, "actor: Select a valid choice. no-such-actor is not one of the available choices."),
    ({"type": "typo"}, "type: Select a valid choice. typo is not one of the available choices."),
    ({"country": "XX"}, "country: Select a valid choice. XX is not one of the available choices."),
    ({"stage": "maybe"}, "stage: Select a valid choice. maybe is not one of the available choices."),
    ({"since": "2019-02-30"}, "since: 2019-02-30 is not a day of the calendar."),
    ({"until": "someday"}, "until: Enter a year (2018), a month (2018-12) or a day (2018-12-01)."),
    ({"since": "2019", "until": "2018"}, "until: The end of the period is before its start."),
    ({"country": "DE" * 101}, "country: some values were ignored (too long, too many, or containing a NUL character)."),
]


@pytest.mark.parametrize("path", ["/export.csv", "/export.json", "/feed/"])
@pytest.mark.parametrize(("query", "reason"), BAD_FILTERS, ids=[next(iter(q)) + "-" + r.split(": ", 1)[1][:20] for q, r in BAD_FILTERS])
def test_a_download_or_feed_with_a_filter_it_cannot_apply_is_refused_with_the_reason(client, story, path, query, reason):
    response = client.get(path, {"country": "DE", **query} if "country" not in query else query)
    assert response.status_code == 400
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    body = response.content.decode()
    assert f"- {reason}\n" in body, body
    assert "Event 0" not in body


def test_a_refusal_lists_every_filter_it_cannot_apply(client, story):
    body = client.get("/export.csv", {"actor": "no-such-actor", "type": "ban", "since": "2019-02-30"}).content.decode()
    assert body.splitlines() == [
        "These filters cannot be applied, so nothing was sent:",
        "- since: 2019-02-30 is not a day of the calendar.",
        "- actor: Select a valid choice. no-such-actor is not one of the available choices.",
        "Correct or remove them and ask again.",
    ]


def test_the_page_still_shows_what_it_can_for_a_link_the_downloads_refuse(client, story):
    response = client.get("/", {"country": "DE", "actor": "no-such-actor"})
    assert response.status_code == 200
    assert response.context["ignored"] == ["Actor: Select a valid choice. no-such-actor is not one of the available choices."]
    assert "Part of this link was ignored" in response.content.decode()


@pytest.mark.parametrize("path", ["/export.csv", "/export.json", "/feed/"])
def test_empty_and_unknown_parameters_are_not_filters_to_refuse(client, story, path):
    assert client.get(path, {"country": "DE", "type": "", "utm_source": "newsletter", "cursor": "x"}).status_code == 200


def test_the_filtered_feed_points_to_itself_with_its_query(client, story):
    feed = ET.fromstring(client.get("/feed/", {"type": "ban", "country": "DE"}).content)
    links = {link.get("rel"): link.get("href") for link in feed.findall(f"{ATOM}link")}
    assert links["self"] == "http://testserver/feed/?type=ban&country=DE"
    assert links["alternate"] == "http://testserver/?type=ban&country=DE"
    assert feed.find(f"{ATOM}id").text == "http://testserver/?type=ban&country=DE"


def test_the_unfiltered_feed_points_to_itself_without_a_query(client, story):
    feed = ET.fromstring(client.get("/feed/").content)
    assert {link.get("rel"): link.get("href") for link in feed.findall(f"{ATOM}link")}["self"] == "http://testserver/feed/"


def test_the_csv_parses_back_into_the_same_values(client):
    event = EventFactory(
        title='Czech “NÚKIB” warns, again; "quoted"',
        summary="Line one\nline two, with a comma",
        countries=["CZ", "EU"],
        actor_roles=[(ActorFactory(name="NÚKIB"), "initiator"), (ActorFactory(name="Huawei"), "target")],
        date_precision="month",
        end_date=datetime.date(2019, 3, 1),
        measure=MeasureFactory(title="Czech restrictions"),
        stage="announced",
        sources=0,
    )
    Source.objects.create(
        event=event, title="Warning", publisher="NÚKIB", url="https://example.org/a", published_on=datetime.date(2018, 12, 17)
    )
    Source.objects.create(event=event, title="Order", publisher="Government Office")
    [row] = csv_rows(client.get("/export.csv"))
    assert row["title"] == event.title
    assert row["summary"] == event.summary
    assert row["date"] == "2018-12-01" and row["end_date"] == "2019-03-01" and row["date_precision"] == "month"
    assert row["jurisdiction_codes"] == "CZ | EU" and row["jurisdiction_names"] == "Czechia | European Union"
    assert row["actors"] == "NÚKIB (initiator) | Huawei (target)"
    assert row["source_titles"] == "Warning | Order"
    assert row["source_dates"] == "2018-12-17 | "
    assert row["source_urls"] == "https://example.org/a | "
    assert row["stage"] == "Announced" and row["measure"] == "Czech restrictions"
    assert row["url"] == f"http://testserver/events/{event.slug}/"
    assert list(row) == [column.name for column in PUBLIC_COLUMNS]


@pytest.mark.parametrize("trigger", ["=", "+", "-", "@", "\t", "\r", "\n"])
def test_the_public_csv_neutralises_each_formula_trigger(client, trigger):
    EventFactory(title=f"{trigger}cmd|' /C calc'!A0", summary=f"{trigger}1+1")
    [row] = csv_rows(client.get("/export.csv"))
    assert row["title"] == f"'{trigger}cmd|' /C calc'!A0"
    assert row["summary"] == f"'{trigger}1+1"


def test_the_json_keeps_values_as_they_are(client):
    EventFactory(title="=1+1", countries=["DE", "FR"])
    [row] = json_rows(client.get("/export.json"))
    assert row["title"] == "=1+1" and row["jurisdiction_codes"] == ["DE", "FR"]


def test_downloads_are_dated_attachments(client):
    today = timezone.localdate().isoformat()
    assert client.get("/export.csv")["Content-Disposition"] == f'attachment; filename="policy-timeline-{today}.csv"'
    assert client.get("/export.json")["Content-Disposition"] == f'attachment; filename="policy-timeline-{today}.json"'


def bulk_events(count):
    """Events with two countries, two actors and two sources each, inserted in bulk."""
    kind = EventTypeFactory()
    actors = ActorFactory.create_batch(2)
    now = timezone.now()
    events = Event.objects.bulk_create(
        Event(
            title=f"Bulk {n}",
            slug=f"bulk-{count}-{n}",
            summary="s",
            date=datetime.date(2018, 1, 1),
            sort_date=datetime.date(2018, 1, 1),
            covers_until=datetime.date(2018, 1, 1),
            event_type=kind,
            status=Status.PUBLISHED,
            publish_at=now,
        )
        for n in range(count)
    )
    through = Event.jurisdictions.through
    through.objects.bulk_create(through(event=e, jurisdiction=jurisdiction(code)) for e in events for code in ("DE", "FR"))
    EventActor.objects.bulk_create(EventActor(event=e, actor=a, role="target") for e in events for a in actors)
    Source.objects.bulk_create(Source(event=e, title=f"Source {k}", publisher="P") for e in events for k in range(2))


def download_queries(client, path):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(path)
        rows = len(b"".join(response.streaming_content).splitlines())
    return len(queries), rows


@pytest.mark.parametrize("path", ["/export.csv", "/export.json"])
def test_downloads_stream_in_a_constant_number_of_queries(client, path):
    bulk_events(10)
    few, few_rows = download_queries(client, path)
    bulk_events(990)
    many, many_rows = download_queries(client, path)
    assert many_rows - few_rows == 990
    # One query, read in batches: the events with their type and measure
    # joined and their places, actors, topics and sources aggregated by the
    # database itself (timeline/export.py). On PostgreSQL one statement
    # before it sets how its transaction plans it (jit, random_page_cost).
    assert few == many == (2 if connection.vendor == "postgresql" else 1)


def test_drafts_in_review_and_scheduled_events_never_leave(client, story):
    DraftFactory(status=Status.REVIEW, title="In review never leaves")
    outlets = [
        b"".join(client.get("/export.csv").streaming_content).decode(),
        b"".join(client.get("/export.json").streaming_content).decode(),
        client.get("/feed/").content.decode(),
        client.get("/sitemap-events.xml").content.decode(),
        client.get("/sitemap-measures.xml").content.decode(),
    ]
    for title in ["Draft never leaves", "In review never leaves", "Scheduled"]:
        slug = Event.objects.get(title=title).slug
        for body in outlets:
            assert title not in body and f"/events/{slug}/" not in body


def test_the_feed_is_atom_of_the_filtered_set_with_corrections(client, story):
    corrected = Event.objects.public().filter(event_type__slug="ban", jurisdictions__country="DE").first()
    CorrectionFactory(event=corrected, note="The order covers phones, not network gear.", corrected_on=datetime.date(2019, 1, 12))
    response = client.get("/feed/", {"type": "ban", "country": "DE"})
    assert response["Content-Type"].startswith("application/atom+xml")
    feed = ET.fromstring(response.content)
    assert feed.tag == f"{ATOM}feed"
    assert feed.find(f"{ATOM}title").text == "Policy Timeline: Type: Ban; Country: Germany"
    entries = feed.findall(f"{ATOM}entry")
    expected = Event.objects.public().filter(event_type__slug="ban", jurisdictions__country="DE")
    assert {e.find(f"{ATOM}link").get("href").rsplit("/events/", 1)[1].strip("/") for e in entries} == {e.slug for e in expected}
    bodies = " ".join(e.find(f"{ATOM}summary").text for e in entries)
    assert "Corrected 12 Jan 2019:" in bodies and "not network gear" in bodies


def test_the_feed_holds_the_newest_fifty(client):
    bulk_events(60)
    assert len(ET.fromstring(client.get("/feed/").content).findall(f"{ATOM}entry")) == 50


def test_the_timeline_links_downloads_and_feed_with_its_filters(client, story):
    page = client.get("/", {"country": "DE", "type": "ban"}).content.decode()
    assert 'href="/export.csv?type=ban&amp;country=DE"' in page
    assert 'href="/export.json?type=ban&amp;country=DE"' in page
    assert '<link rel="alternate" type="application/atom+xml" title="Atom feed of this view" href="/feed/?type=ban&amp;country=DE">' in page


SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"


def sitemap_pages(client):
    """The addresses of the sitemap index's pages, as a search engine reads them."""
    index = ET.fromstring(client.get("/sitemap.xml").content)
    assert index.tag == f"{SITEMAP}sitemapindex"
    return [urllib.parse.urlsplit(loc.text) for loc in index.iter(f"{SITEMAP}loc")]


def sitemap_urls(client):
    urls = []
    for page in sitemap_pages(client):
        body = client.get(page.path, dict(urllib.parse.parse_qsl(page.query)))
        assert body.status_code == 200
        urls += [loc.text for loc in ET.fromstring(body.content).iter(f"{SITEMAP}loc")]
    return urls


def test_the_sitemap_lists_public_events_and_measures(client):
    measure = MeasureFactory(slug="uk-5g")
    event = EventFactory(measure=measure)
    DraftFactory(measure=MeasureFactory(slug="secret-measure"))
    urls = sitemap_urls(client)
    assert f"http://testserver/events/{event.slug}/" in urls and "http://testserver/measures/uk-5g/" in urls
    assert not any("secret-measure" in url for url in urls)
    assert "<lastmod>" in client.get("/sitemap-events.xml").content.decode()


def test_the_sitemap_is_an_index_of_pages_that_hold_every_public_event_once(client, monkeypatch):
    monkeypatch.setattr(EventSitemap, "limit", 2)
    events = [EventFactory() for _ in range(5)]
    DraftFactory()
    pages = sitemap_pages(client)
    assert [(page.path, page.query) for page in pages if "events" in page.path] == [
        ("/sitemap-events.xml", ""),
        ("/sitemap-events.xml", "p=2"),
        ("/sitemap-events.xml", "p=3"),
    ]
    event_urls = [url for url in sitemap_urls(client) if "/events/" in url]
    assert sorted(event_urls) == sorted(f"http://testserver/events/{event.slug}/" for event in events)


def test_a_sitemap_page_past_the_last_is_404(client):
    EventFactory()
    assert client.get("/sitemap-events.xml", {"p": 2}).status_code == 404
    assert client.get("/sitemap-nothing.xml").status_code == 404


def test_robots_points_to_the_sitemap(client):
    body = client.get("/robots.txt").content.decode()
    assert "Sitemap: http://testserver/sitemap.xml" in body and "Disallow: /admin/" in body


def test_the_codebook_explains_every_column_type_stage_and_the_licence(client):
    kind = EventTypeFactory(name="Arrest", definition="Someone is detained by the authorities.")
    page = client.get("/data/").content.decode()
    for column in PUBLIC_COLUMNS:
        assert f"<code>{column.name}</code>" in page
    assert kind.definition in page
    for stage in ["Under consideration", "Announced", "In effect", "Lifted or reversed"]:
        assert stage in page
    assert "CC BY 4.0" in page and "How to cite" in page
    assert "Only an event on a measure has a stage" in page


def test_the_codebook_explains_the_period_and_words_rules(client):
    page = client.get("/data/").content.decode()
    assert 'id="periods"' in page and "<code>since=2018-12-10</code> keeps “Dec 2018”" in page
    assert 'id="words"' in page and "<code>huawei OR zte</code> matches either" in page and "<code>NUKIB</code> finds “NÚKIB”" in page


def test_the_sitemap_index_dates_each_section_by_its_latest_public_change(client):
    EventFactory(measure=MeasureFactory())
    latest = EventFactory(measure=MeasureFactory())
    draft = DraftFactory(measure=MeasureFactory())
    Event.objects.filter(pk=draft.pk).update(updated_at=latest.updated_at + datetime.timedelta(days=1))
    index = ET.fromstring(client.get("/sitemap.xml").content)
    dates = {entry.find(f"{SITEMAP}loc").text: entry.find(f"{SITEMAP}lastmod").text for entry in index}
    expected = latest.updated_at.isoformat()
    assert dates == {"http://testserver/sitemap-events.xml": expected, "http://testserver/sitemap-measures.xml": expected}
