"""The JSON API under /api/v1/: public events only, the timeline's filters, keyset pages."""

import datetime
import re

import pytest
from django.utils import timezone

from timeline.api import MAX_PAGE_SIZE
from timeline.export import columns_for
from timeline.filters import EventFilter
from timeline.models import Event, Status

from .factories import (
    ActorFactory,
    CorrectionFactory,
    DraftFactory,
    EventFactory,
    EventTypeFactory,
    MeasureFactory,
    TopicFactory,
)
from .test_downloads import BAD_FILTERS, json_rows, timeline_ids

pytestmark = pytest.mark.django_db

EVENTS = "/api/v1/events"


def walk(client, path, query=None):
    """Every item of a listing, following `next` to the end, and the pages' `next` URLs."""
    items, nexts = [], []
    response = client.get(path, query or {})
    while True:
        assert response.status_code == 200, response.content
        body = response.json()
        items += body["items"]
        if not body["next"]:
            assert "Link" not in response
            return items, nexts
        assert response["Link"] == f'<{body["next"]}>; rel="next"'
        nexts.append(body["next"])
        response = client.get(body["next"])


@pytest.fixture
def story():
    ban, warning = EventTypeFactory(slug="ban", name="Ban"), EventTypeFactory(slug="warning", name="Warning")
    huawei = ActorFactory(slug="huawei", name="Huawei")
    for n in range(23):
        EventFactory(
            event_type=ban if n % 3 else warning,
            countries=["DE"] if n % 2 else ["CZ", "EU"],
            actor_roles=[(huawei, "target")] if n % 5 == 0 else [],
            # Several events a day: the cursor must tell them apart by id.
            date=datetime.date(2012, 1, 1) + datetime.timedelta(days=37 * (n // 3)),
        )
    DraftFactory(event_type=ban, countries=["DE"], title="Draft never leaves", slug="draft")
    EventFactory(
        event_type=ban, countries=["DE"], title="Scheduled", slug="scheduled", publish_at=timezone.now() + datetime.timedelta(hours=1)
    )


# --- events -------------------------------------------------------------------


def test_an_event_carries_the_download_columns_with_its_corrections_as_objects(client):
    event = EventFactory(title="Czech warning", body="A *longer* account.", countries=["CZ"], slug="czech-warning")
    CorrectionFactory(event=event, corrected_on=datetime.date(2019, 3, 2), note="The ban starts in April.")
    CorrectionFactory(event=event, corrected_on=datetime.date(2019, 1, 12), note="The order covers phones.")
    [item] = client.get(EVENTS).json()["items"]
    columns = [name for name in columns_for(False) if name not in ("correction_dates", "correction_notes")]
    assert list(item) == [*columns, "corrections"]
    [download] = json_rows(client.get("/export.json"))
    assert {name: item[name] for name in columns} == {name: download[name] for name in columns}
    assert item["url"] == "http://testserver/events/czech-warning/"
    assert item["body"] == "A *longer* account."
    # Oldest first, as the download's parallel lists.
    assert item["corrections"] == [
        {"corrected_on": "2019-01-12", "note": "The order covers phones."},
        {"corrected_on": "2019-03-02", "note": "The ban starts in April."},
    ]
    assert download["correction_dates"] == ["2019-01-12", "2019-03-02"]
    assert download["correction_notes"] == ["The order covers phones.", "The ban starts in April."]


def test_one_event_is_found_by_id_or_by_slug(client):
    event = EventFactory(slug="czech-warning")
    by_id, by_slug = client.get(f"{EVENTS}/{event.pk}"), client.get(f"{EVENTS}/czech-warning")
    assert by_id.status_code == by_slug.status_code == 200
    assert by_id.json() == by_slug.json() == client.get(EVENTS).json()["items"][0]


@pytest.mark.parametrize("query", [{}, {"type": "ban"}, {"country": ["CZ", "DE"]}, {"actor": "huawei"}, {"order": "oldest"}])
def test_a_walk_through_the_pages_lists_what_the_timeline_shows_each_once(client, story, query):
    items, nexts = walk(client, EVENTS, {**query, "page_size": 4})
    ids = [item["id"] for item in items]
    assert ids == timeline_ids(client, query)
    assert len(ids) == len(set(ids)) and nexts


@pytest.mark.parametrize("query", ["since=2100", "until=1900&order=oldest", "q=nowhere-to-be-found"])
def test_a_filter_no_event_matches_gives_an_empty_page(client, story, query):
    response = client.get(f"/api/v1/events?{query}")
    assert response.status_code == 200
    assert response.json() == {"items": [], "next": None}


def test_the_next_url_keeps_the_filters_and_the_page_size(client, story):
    _, nexts = walk(client, EVENTS, {"type": "ban", "page_size": 3})
    assert all(re.search(r"^http://testserver/api/v1/events\?type=ban&page_size=3&cursor=[\w-]+$", url) for url in nexts), nexts


def test_a_page_holds_fifty_events_unless_asked_and_at_most_five_hundred(client):
    EventFactory.create_batch(51)
    assert len(client.get(EVENTS).json()["items"]) == 50
    assert len(client.get(EVENTS, {"page_size": 51}).json()["items"]) == 51
    response = client.get(EVENTS, {"page_size": MAX_PAGE_SIZE + 1})
    assert response.status_code == 400
    assert response.json() == {"detail": ["page_size: Input should be less than or equal to 500"]}


def test_drafts_and_scheduled_events_never_appear(client, story):
    items, _ = walk(client, EVENTS, {"page_size": MAX_PAGE_SIZE})
    assert len(items) == 23
    assert not {"Draft never leaves", "Scheduled"} & {item["title"] for item in items}
    for key in ["draft", "scheduled", *(str(e.pk) for e in Event.objects.exclude(status=Status.PUBLISHED, publish_at__lte=timezone.now()))]:
        response = client.get(f"{EVENTS}/{key}")
        assert response.status_code == 404
        assert response.json()["detail"][0].startswith("No public event has the")


def test_a_value_only_drafts_carry_is_not_a_valid_filter_nor_listed(client, story):
    secret = ActorFactory(slug="secret-source")
    DraftFactory(actor_roles=[(secret, "involved")], measure=MeasureFactory(slug="secret-measure"))
    response = client.get(EVENTS, {"actor": "secret-source"})
    assert response.status_code == 400
    assert response.json() == {"detail": ["actor: Select a valid choice. secret-source is not one of the available choices."]}
    assert [actor["slug"] for actor in client.get("/api/v1/actors").json()["items"]] == ["huawei"]
    assert client.get("/api/v1/measures").json()["items"] == []


@pytest.mark.parametrize(("query", "reason"), BAD_FILTERS, ids=[next(iter(q)) + "-" + r.split(": ", 1)[1][:20] for q, r in BAD_FILTERS])
def test_a_filter_the_timeline_cannot_apply_is_refused_with_the_reason(client, story, query, reason):
    response = client.get(EVENTS, query)
    assert response.status_code == 400
    assert response["Content-Type"] == "application/json; charset=utf-8"
    assert response.json() == {"detail": [reason]}


def test_a_refusal_lists_every_parameter_it_cannot_apply(client, story):
    query = {"actor": "no-such-actor", "since": "2019-02-30", "cursor": "not-ours"}
    assert client.get(EVENTS, query).json()["detail"] == [
        "since: 2019-02-30 is not a day of the calendar.",
        "actor: Select a valid choice. no-such-actor is not one of the available choices.",
        "cursor: not a position this API gave; follow the `next` URL as it is.",
    ]


@pytest.mark.parametrize(
    ("query", "reason"),
    [
        ({"page_size": "0"}, "page_size: Input should be greater than or equal to 1"),
        ({"page_size": "many"}, "page_size: Input should be a valid integer, unable to parse string as an integer"),
        ({"updated_since": "yesterday"}, "updated_since: Input should be a valid datetime or date, input is too short"),
        ({"updated_since": "9999-12-31T23:00:00-23:00"}, "updated_since: out of the range of dates this API can compare."),
        ({"cursor": "\x00"}, "cursor: not a position this API gave; follow the `next` URL as it is."),
    ],
    ids=["page-size-zero", "page-size-text", "since-text", "since-out-of-range", "cursor-nul"],
)
def test_a_parameter_of_the_wrong_kind_is_refused_with_the_reason(client, query, reason):
    response = client.get(EVENTS, query)
    assert response.status_code == 400
    assert response.json() == {"detail": [reason]}


def test_a_malformed_event_key_is_refused_and_an_unknown_one_is_not_found(client):
    response = client.get(f"{EVENTS}/no%00such")
    assert response.status_code == 400 and response.json()["detail"][0].startswith("key: String should match pattern")
    assert client.get(f"{EVENTS}/{'9' * 30}").json() == {"detail": [f"No public event has the slug {'9' * 30}."]}
    assert client.get(f"{EVENTS}/12345").json() == {"detail": ["No public event has the id 12345."]}


def test_updated_since_lists_events_changed_or_made_public_since(client):
    long_ago = timezone.now() - datetime.timedelta(days=30)
    unchanged = EventFactory(title="Unchanged", publish_at=long_ago)
    edited = EventFactory(title="Edited", publish_at=long_ago)
    scheduled = EventFactory(title="Went live", publish_at=long_ago)
    Event.objects.filter(pk__in=[unchanged.pk, edited.pk, scheduled.pk]).update(updated_at=long_ago)
    since = timezone.now() - datetime.timedelta(days=1)
    edited.summary = "Changed."
    edited.save()
    # Saved a week ago for a publish time an hour ago: nothing in it changes when it goes live.
    Event.objects.filter(pk=scheduled.pk).update(publish_at=timezone.now() - datetime.timedelta(hours=1))
    items = client.get(EVENTS, {"updated_since": since.isoformat()}).json()["items"]
    assert sorted(item["title"] for item in items) == ["Edited", "Went live"]
    naive_utc = since.astimezone(datetime.UTC).replace(tzinfo=None).isoformat()
    assert len(client.get(EVENTS, {"updated_since": naive_utc}).json()["items"]) == 2
    assert client.get(EVENTS, {"updated_since": since.isoformat(), "type": edited.event_type.slug}).json()["items"][0]["title"] == "Edited"


# --- withdrawals ----------------------------------------------------------------


def test_withdrawals_list_events_unpublished_or_deleted_since_a_time(client):
    before = timezone.now()
    unpublished, deleted, kept = EventFactory(), EventFactory(), EventFactory()
    DraftFactory().delete()
    unpublished.unpublish()
    deleted_id = deleted.pk
    deleted.delete()
    items = client.get("/api/v1/withdrawals", {"withdrawn_since": before.isoformat()}).json()["items"]
    assert [(item["id"], item["reason"]) for item in items] == [(unpublished.pk, "unpublished"), (deleted_id, "deleted")]
    assert all(datetime.datetime.fromisoformat(item["withdrawn_at"]) >= before for item in items)
    assert kept.pk not in [item["id"] for item in items]
    assert client.get("/api/v1/withdrawals", {"withdrawn_since": timezone.now().isoformat()}).json()["items"] == []


def test_an_event_public_again_is_not_listed_as_withdrawn_but_as_updated(client):
    before = timezone.now()
    event = EventFactory()
    event.unpublish()
    event.publish()
    assert client.get("/api/v1/withdrawals", {"withdrawn_since": before.isoformat()}).json()["items"] == []
    assert [item["id"] for item in client.get(EVENTS, {"updated_since": before.isoformat()}).json()["items"]] == [event.pk]


def test_withdrawals_need_a_time(client):
    response = client.get("/api/v1/withdrawals")
    assert response.status_code == 400
    assert response.json() == {"detail": ["withdrawn_since: Field required"]}


# --- the values the filters take ------------------------------------------------


def test_the_value_lists_name_what_public_events_carry_and_each_is_a_valid_filter(client, story):
    topic, measure = TopicFactory(slug="5g", name="5G"), MeasureFactory(slug="uk-limits", title="UK limits")
    public = EventFactory(measure=measure, stage="announced")
    public.topics.add(topic)
    DraftFactory(event_type=EventTypeFactory(slug="draft-type")).topics.add(TopicFactory(slug="draft-topic"))
    lists = {
        name: client.get(f"/api/v1/{name}").json()["items"] for name in ["event-types", "jurisdictions", "actors", "topics", "measures"]
    }
    assert [item["slug"] for item in lists["event-types"]] == sorted(["ban", "warning", public.event_type.slug])
    assert lists["jurisdictions"] == [
        {"code": "CZ", "name": "Czechia"},
        {"code": "DE", "name": "Germany"},
        {"code": "EU", "name": "European Union"},
    ]
    assert lists["topics"] == [{"slug": "5g", "name": "5G"}]
    assert lists["measures"] == [
        {"slug": "uk-limits", "title": "UK limits", "description": "", "url": "http://testserver/measures/uk-limits/"}
    ]
    assert lists["actors"] == [{"slug": "huawei", "name": "Huawei", "kind": "government", "country": ""}]
    for parameter, name, key in [("type", "event-types", "slug"), ("country", "jurisdictions", "code"), ("topic", "topics", "slug")]:
        for item in lists[name]:
            assert client.get(EVENTS, {parameter: item[key]}).status_code == 200


def test_a_value_list_pages_in_order(client):
    for n in range(5):
        EventFactory().topics.add(TopicFactory(slug=f"topic-{4 - n}"))
    items, nexts = walk(client, "/api/v1/topics", {"page_size": 2})
    assert [item["slug"] for item in items] == [f"topic-{n}" for n in range(5)]
    assert nexts == [
        "http://testserver/api/v1/topics?page_size=2&after=topic-1",
        "http://testserver/api/v1/topics?page_size=2&after=topic-3",
    ]


def test_jurisdictions_page_by_code(client):
    EventFactory(countries=["DE", "CZ", "FR"])
    items, nexts = walk(client, "/api/v1/jurisdictions", {"page_size": 2})
    assert [item["code"] for item in items] == ["CZ", "DE", "FR"]
    assert nexts == ["http://testserver/api/v1/jurisdictions?page_size=2&after=DE"]


# --- query counts -----------------------------------------------------------------


def add_rich_events(count):
    for _ in range(count):
        event = EventFactory(countries=["DE", "FR"], actor_roles=[(ActorFactory(), "initiator"), (ActorFactory(), "target")])
        event.topics.add(TopicFactory())
        CorrectionFactory(event=event)


@pytest.mark.parametrize("query", [{}, {"country": "DE", "since": "2000"}], ids=["unfiltered", "filtered"])
def test_a_page_of_events_takes_the_same_queries_whatever_it_holds(client, django_assert_num_queries, query):
    for count in (2, 30):
        add_rich_events(count)
        # Once to build the facet index the country is checked against (the data changed).
        client.get(EVENTS, query)
        # The page, every column of its events with their corrections in the same query (1);
        # filtered, the data version, to check the country against the current facet index (2).
        with django_assert_num_queries(1 + (1 if query else 0)):
            response = client.get(EVENTS, query)
        assert len(response.json()["items"]) == Event.objects.count()


def test_one_event_and_the_value_lists_take_a_fixed_number_of_queries(client, django_assert_num_queries):
    add_rich_events(30)
    event = Event.objects.first()
    # The event with its row and its corrections (1).
    with django_assert_num_queries(1):
        client.get(f"{EVENTS}/{event.pk}")
    for name in ["event-types", "jurisdictions", "actors", "topics", "measures"]:
        # One page of values some public event carries.
        with django_assert_num_queries(1):
            client.get(f"/api/v1/{name}", {"page_size": MAX_PAGE_SIZE})


# --- schema, docs, CORS --------------------------------------------------------------


def test_the_schema_documents_every_timeline_filter_and_the_paging_parameters(client):
    schema = client.get("/api/v1/openapi.json").json()
    assert schema["openapi"].startswith("3.")
    parameters = {parameter["name"] for parameter in schema["paths"]["/api/v1/events"]["get"]["parameters"]}
    assert parameters == {*EventFilter.base_filters, "cursor", "page_size", "updated_since"}


def test_the_docs_page_loads_its_scripts_from_this_site_only(client):
    response = client.get("/api/v1/docs")
    assert response.status_code == 200
    page = response.content.decode()
    assert "script-src 'self'" in response["Content-Security-Policy"]
    scripts = re.findall(r"<script([^>]*)>", page)
    assert scripts and all('src="/static/' in attributes or 'type="application/json"' in attributes for attributes in scripts), scripts
    assert "cdn" not in page and "https://" not in page


def test_the_index_links_every_resource(client):
    index = client.get("/api/v1/").json()
    assert index["events"] == "http://testserver/api/v1/events"
    assert index["docs"] == "http://testserver/api/v1/docs" and index["codebook"] == "http://testserver/data/#api"
    for url in index.values():
        assert client.get(url, {"withdrawn_since": "2019-01-01"}).status_code == 200, url


@pytest.mark.parametrize("path", ["/api/v1/", EVENTS, f"{EVENTS}?page_size=0", "/api/v1/openapi.json", f"{EVENTS}/nothing"])
def test_any_site_may_read_the_api(client, path):
    assert client.get(path)["Access-Control-Allow-Origin"] == "*"


def test_the_site_itself_is_not_opened_to_other_origins(client):
    assert "Access-Control-Allow-Origin" not in client.get("/")
    assert "Access-Control-Allow-Origin" not in client.get("/export.json")


def test_the_api_is_read_only(client):
    assert client.post(EVENTS, {}).status_code == 405
    assert client.delete(f"{EVENTS}/1").status_code == 405


def test_the_codebook_documents_every_field_the_api_answers_with(client):
    schemas = client.get("/api/v1/openapi.json").json()["components"]["schemas"]
    page = client.get("/data/").content.decode()
    api_section = page[page.index('id="api-fields"') : page.index('id="dates"')]
    columns_section = page[page.index('id="columns"') : page.index('id="api-fields"')]
    for name, schema in schemas.items():
        for field, described in schema.get("properties", {}).items():
            assert described.get("description"), f"{name}.{field} has no description"
            assert f"<code>{field}</code>" in api_section + columns_section, f"{name}.{field} is not in the codebook"
