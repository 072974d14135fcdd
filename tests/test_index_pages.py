"""Pages found in the facet index (EventFilter.index_window) are the database's pages (keyset_window):
the same events in the same order, for any filters, cursor, order and page size, with events
edited since the snapshot, drafts, and scheduled events before and after they go live."""

import datetime
import random
from unittest import mock

import pytest
from django.http import QueryDict
from django.utils import timezone

from timeline import facet_index
from timeline.filters import filter_public_events
from timeline.models import Event, Stage, Status
from timeline.pagination import Cursor, filtered_page, keyset_page, keyset_window

from .factories import ActorFactory, CorrectionFactory, EventFactory, EventTypeFactory, TopicFactory, jurisdiction

pytestmark = pytest.mark.django_db

# Few dates, with months and years among them: many events share a sort date, so the id breaks ties.
DAYS = [
    datetime.date(2012, 3, 9),
    datetime.date(2015, 6, 1),
    datetime.date(2015, 6, 30),
    datetime.date(2018, 12, 1),
    datetime.date(2019, 1, 15),
]
PRECISIONS = ["day", "day", "month", "year"]
WORDS = ["huawei", "bans", "core -network", "cameras OR espionage", '"core network"', "the", "event 3"]


@pytest.fixture
def archive(monkeypatch):
    """Seventy events: forty in a snapshot, then thirty more and edits to the forty (the delta).

    Some are drafts, some scheduled an hour or a day ahead; edits move events in time, publish,
    unpublish, delete, schedule and relink them.
    """
    # Every word of these few events counts as common (PostgreSQL): found in the snapshot's lists.
    monkeypatch.setattr(facet_index, "COMMON_WORD_MIN", 3)
    rng = random.Random(16)
    now = timezone.now()
    types = [EventTypeFactory(slug=f"type-{n}", name=f"Type {n}") for n in range(3)]
    topics = [TopicFactory(slug=f"topic-{n}") for n in range(3)]
    actors = [ActorFactory(slug=f"actor-{n}") for n in range(3)]

    def random_event(n):
        status, publish_at = rng.choice(
            [(Status.PUBLISHED, now - datetime.timedelta(days=2))] * 5
            + [
                (Status.DRAFT, None),
                (Status.PUBLISHED, now + datetime.timedelta(hours=1)),
                (Status.PUBLISHED, now + datetime.timedelta(days=1)),
            ]
        )
        event = EventFactory(
            title=f"Event {n}",
            event_type=rng.choice(types),
            date=rng.choice(DAYS),
            date_precision=rng.choice(PRECISIONS),
            stage=rng.choice(["", *Stage.values]),
            countries=rng.sample(["DE", "FR", "GB", "EU"], rng.randrange(3)),
            actor_roles=[(actor, "target") for actor in rng.sample(actors, rng.randrange(3))],
            status=status,
            publish_at=publish_at,
            summary=" ".join(rng.sample(["Huawei", "banned", "network", "core", "cameras", "espionage"], 3)),
        )
        event.topics.set(rng.sample(topics, rng.randrange(3)))
        if rng.random() < 0.2:
            CorrectionFactory(event=event, corrected_on=rng.choice(DAYS))
        return event

    snapshot_events = [random_event(n) for n in range(40)]
    facet_index.build_snapshot()
    for n in range(40, 70):
        random_event(n)
    for event in rng.sample(snapshot_events, 12):
        event.refresh_from_db()
        edit = rng.choice(["move", "unpublish", "publish", "schedule", "relink", "delete"])
        if edit == "move":
            event.date, event.date_precision = rng.choice(DAYS), rng.choice(PRECISIONS)
            event.save()
        elif edit == "unpublish":
            event.unpublish()
        elif edit == "publish" and event.sources.exists():
            event.publish(when=now - datetime.timedelta(hours=3))
        elif edit == "schedule":
            event.status, event.publish_at = Status.PUBLISHED, now + datetime.timedelta(hours=1)
            event.save()
        elif edit == "relink":
            event.jurisdictions.set([jurisdiction(rng.choice(["DE", "FR"]))])
        elif edit == "delete":
            event.delete()
    return now


def random_query(rng):
    query = QueryDict(mutable=True)
    choices = {
        "type": ["type-0", "type-1", "type-2"],
        "country": ["DE", "FR", "GB", "EU"],
        "actor": ["actor-0", "actor-1", "actor-2"],
        "topic": ["topic-0", "topic-1", "topic-2"],
        "stage": Stage.values,
    }
    for name, values in choices.items():
        if rng.random() < 0.3:
            query.setlist(name, rng.sample(values, rng.randrange(1, 3)))
    for name, values in {
        "since": ["2012", "2015-06", "2015-06-15", "2019"],
        "until": ["2012", "2015-06", "2018-12-31", "2019"],
        "corrected_since": ["2015", "2019-01"],
        "q": WORDS,
        "order": ["oldest", "newest"],
    }.items():
        if rng.random() < (0.1 if name == "corrected_since" else 0.25):
            query[name] = rng.choice(values)
    return query


def random_cursor(rng, listed):
    """No cursor, an event's place (of this view or any other), a place no event has, or after the last."""
    kind = rng.random()
    if kind < 0.25:
        return None
    if kind < 0.55 and listed:
        return Cursor(*rng.choice(listed))
    if kind < 0.85:
        return Cursor(*rng.choice(list(Event.objects.values_list("sort_date", "id"))))
    if kind < 0.93 or not listed:
        return Cursor(rng.choice(DAYS) + datetime.timedelta(days=rng.randrange(-2, 3)), rng.randrange(0, 200))
    return Cursor(*listed[-1])


def queries_the_database(filterset):
    """Whether the index would query the database to apply these filters (EventFilter._index_answers_alone)."""
    words = filterset.cleaned.get("q")
    return bool(filterset.cleaned.get("corrected_since") or (words and not filterset.facet_index.finds_words_alone(words)))


def database_ids(filterset, cursor, size):
    return list(keyset_window(filterset.qs, cursor, filterset.newest_first, size).values_list("id", flat=True))


# How the snapshot's part of a page is found: from the ranks of a view's events (the views kept,
# or only the last one), or from a bit per rank, scanned from the cursor in one chunk or in
# chunks of 1, 2, 4... ranks.
PATHS = {"ranks": (1, 256, 2**20), "ranks-one-kept": (1, 256, 0), "bits": (10**9, 256, 2**20), "bits-in-chunks": (10**9, 1, 2**20)}


@pytest.mark.parametrize("path", PATHS)
@pytest.mark.parametrize("hours_later", [0, 2, 48], ids=["now", "scheduled-live", "all-live"])
def test_index_pages_are_the_databases_pages(archive, hours_later, path, monkeypatch):
    monkeypatch.setattr(facet_index, "SPARSE_PAGE_SHARE", PATHS[path][0])
    monkeypatch.setattr(facet_index, "WALK_FIRST_CHUNK", PATHS[path][1])
    monkeypatch.setattr(facet_index, "VIEWS_KEPT_BYTES", PATHS[path][2])
    rng = random.Random(hours_later)
    compared = 0
    with mock.patch("django.utils.timezone.now", return_value=archive + datetime.timedelta(hours=hours_later)):
        for _ in range(150):
            query = random_query(rng)
            filterset, _ = filter_public_events(query)
            listed = list(
                filterset.qs.order_by(*(("-sort_date", "-id") if filterset.newest_first else ("sort_date", "id"))).values_list(
                    "sort_date", "id"
                )
            )
            cursor = random_cursor(rng, listed)
            size = rng.choice([1, 2, 5, 25, 50])
            asks_the_database = queries_the_database(filterset)
            if asks_the_database and rng.random() < 0.5:
                filterset.index_masks  # noqa: B018 (counted first, as the timeline's counts do)
                asks_the_database = False
            found = filterset.index_window(cursor, size)
            if found is None:
                # Only the unfiltered timeline, and filters the index would query for unless the counts just did.
                assert not filterset.index_masks or asks_the_database, query.urlencode()
                continue
            assert found == database_ids(filterset, cursor, size), (query.urlencode(), cursor, size)
            compared += 1
            # The next page, from another request: the view kept by the first when it holds few events.
            again, _ = filter_public_events(query)
            if found and len(found) > size:
                after = Event.objects.get(pk=found[size - 1])
                cursor = Cursor(after.sort_date, after.pk)
            found = again.index_window(cursor, size)
            if found is None:
                # Its view was not kept (only the last one is): the filters would query again.
                assert queries_the_database(again), query.urlencode()
                continue
            assert found == database_ids(again, cursor, size), (query.urlencode(), cursor, size)
    assert compared > 90


def test_a_page_read_by_id_keeps_the_index_order_and_its_cursor(archive):
    rng = random.Random(3)
    for _ in range(60):
        query = random_query(rng)
        query.pop("q", None)
        query["country"] = rng.choice(["DE", "FR"])
        filterset, _ = filter_public_events(query)
        cursor = random_cursor(rng, list(filterset.qs.values_list("sort_date", "id")))
        size = rng.choice([1, 3, 25])
        page, next_cursor = filtered_page(filterset, cursor, size)
        expected, expected_cursor = keyset_page(filterset.qs.for_cards(), cursor, filterset.newest_first, size)
        assert [event.pk for event in page] == [event.pk for event in expected]
        assert next_cursor == expected_cursor


def test_no_event_unpublished_after_the_index_was_read_is_shown(archive):
    filterset, _ = filter_public_events(QueryDict("country=DE&country=FR"))
    ids = filterset.index_window(None, 25)
    assert ids
    Event.objects.filter(pk=ids[0]).update(status=Status.DRAFT)  # no signal: the index still lists it
    page, _ = filtered_page(filterset, None, 25)
    assert ids[0] not in [event.pk for event in page]


def walk_api(client, query):
    ids, url = [], "/api/v1/events?" + query + "&page_size=3"
    while url:
        response = client.get(url)
        assert response.status_code == 200
        ids += [item["id"] for item in response.json()["items"]]
        url = response.json()["next"]
    return ids


@pytest.mark.parametrize("query", ["country=DE", "type=type-1&order=oldest", "topic=topic-0&until=2015", "stage=announced&stage=in_effect"])
def test_the_api_lists_the_same_events_from_the_index(client, archive, query):
    from_index = walk_api(client, query)
    with mock.patch("timeline.filters.EventFilter.index_window", return_value=None):
        from_database = walk_api(client, query)
    assert from_index == from_database
    assert from_index


def test_the_timeline_and_load_more_list_the_same_events_from_the_index(client, archive, keep_view_context):
    def listed(response):
        return [event.pk for group in response.view_context["groups"] for event in group.events]

    def walk():
        response = client.get("/", {"country": ["DE", "FR"]})
        pages = [listed(response)]
        while response.view_context["next_cursor"]:
            more = {"country": ["DE", "FR"], "cursor": response.view_context["next_cursor"]}
            response = client.get("/", more, headers={"HX-Request": "true"})
            pages.append(listed(response))
        return pages

    with mock.patch("timeline.views.PAGE_SIZE", 4):
        from_index = walk()
        with mock.patch("timeline.filters.EventFilter.index_window", return_value=None):
            from_database = walk()
    assert from_index == from_database
    assert len(from_index) > 1


def test_an_event_moved_in_time_after_the_snapshot_moves_in_the_pages(archive):
    event = Event.objects.public().filter(jurisdictions__country="DE").first()
    if event is None:
        event = EventFactory(countries=["DE"])
    event.date, event.date_precision = datetime.date(2030, 1, 1), "day"
    event.save()
    filterset, _ = filter_public_events(QueryDict("country=DE"))
    assert filterset.index_window(None, 1)[0] == event.pk
    after = Cursor(event.sort_date, event.pk)
    assert event.pk not in filterset.index_window(after, 50)
    assert filterset.index_window(None, 50) == database_ids(filterset, None, 50)


@pytest.mark.parametrize("order", ["newest", "oldest"])
@pytest.mark.parametrize("day", [datetime.date(1, 1, 1), datetime.date(9999, 12, 31)], ids=["first-day", "last-day"])
def test_cursors_at_the_ends_of_time(archive, order, day):
    filterset, _ = filter_public_events(QueryDict(f"country=DE&country=FR&order={order}"))
    for cursor in (Cursor(day, 0), Cursor(day, 10**18 - 1)):
        assert filterset.index_window(cursor, 10) == database_ids(filterset, cursor, 10)


def test_a_kept_view_is_not_used_once_a_scheduled_event_goes_live(archive, monkeypatch):
    monkeypatch.setattr(facet_index, "SPARSE_PAGE_SHARE", 1)  # every view kept as ranks
    scheduled = Event.objects.filter(status=Status.PUBLISHED, publish_at__gt=archive).first()
    assert scheduled is not None
    query = f"type={scheduled.event_type.slug}"
    before, _ = filter_public_events(QueryDict(query))
    assert scheduled.pk not in before.index_window(None, 100)
    with mock.patch("django.utils.timezone.now", return_value=scheduled.publish_at + datetime.timedelta(seconds=1)):
        after, _ = filter_public_events(QueryDict(query))
        assert scheduled.pk in after.index_window(None, 100)
        assert after.index_window(None, 100) == database_ids(after, None, 100)
