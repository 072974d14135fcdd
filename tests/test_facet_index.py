"""The facet index (timeline/facet_index.py): a snapshot every process maps, and a delta of the edits since."""

import datetime
import random
import socket
import time
from unittest import mock

import numpy as np
import pytest
from django.http import QueryDict
from django.test import override_settings
from django.utils import timezone
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from timeline import facet_index
from timeline.facets import facets
from timeline.filters import data_version, filter_public_events
from timeline.models import FacetChange, Stage, Status

from .factories import ActorFactory, EventFactory, EventTypeFactory, TopicFactory, jurisdiction

pytestmark = pytest.mark.django_db


def test_an_edit_rebuilds_the_index_and_nothing_else_does(settings):
    EventFactory(title="First")
    first = facet_index.current_index(data_version())
    assert facet_index.current_index(data_version()) is first
    EventFactory(title="Second")  # any save bumps the data version (signals.py)
    second = facet_index.current_index(data_version())
    assert second is not first
    assert second.public_count(timezone.now()) == 2


@pytest.mark.parametrize(
    "backend", ["django.core.cache.backends.locmem.LocMemCache", "django.core.cache.backends.dummy.DummyCache"], ids=["locmem", "dummy"]
)
def test_the_index_never_ages_out_whatever_the_cache(backend):
    EventFactory()
    with override_settings(CACHES={"default": {"BACKEND": backend}}):
        index = facet_index.current_index(data_version())
        later = time.monotonic() + 3600
        with mock.patch("time.monotonic", return_value=later):
            assert facet_index.current_index(data_version()) is index


# --- edits show at once, from the delta ----------------------------------------------


def counted(query=""):
    """Each facet's {value: count} and the overview's total, as the timeline shows them."""
    filterset, ignored = filter_public_events(QueryDict(query))
    assert not ignored
    result = facets(filterset)
    per_facet = {facet.name: {option.value: option.count for option in facet.options if option.count} for facet in result}
    total = sum(bar.count for bar in result.overview.bars) if result.overview else 0
    return per_facet, total


def sql_counts(query=""):
    """The same, from the database: for each option, the events of the query with that facet's own filter replaced by it."""
    filterset, _ = filter_public_events(QueryDict(query))
    per_facet = {}
    for name, options in counted(query)[0].items():
        per_facet[name] = {}
        for value in options:
            narrowed = QueryDict(query, mutable=True)
            narrowed.setlist(name, [value])
            per_facet[name][value] = filter_public_events(narrowed)[0].qs.count()
    return per_facet, filterset.qs.count()


@pytest.fixture
def in_snapshot():
    """Three public events written into a snapshot, as a running site has them; this process then starts cold."""
    ban = EventTypeFactory(slug="ban", name="Ban")
    events = [
        EventFactory(title="German ban", event_type=ban, countries=["DE"], date=datetime.date(2019, 3, 1)),
        EventFactory(title="French ban", event_type=ban, countries=["FR"], date=datetime.date(2018, 6, 1)),
        EventFactory(title="Draft", event_type=ban, countries=["DE"], status=Status.DRAFT, publish_at=None, sources=1),
    ]
    facet_index.build_snapshot()
    facet_index.reset()
    return events


def test_a_cold_process_counts_from_the_snapshot_without_writing_one(client, in_snapshot):
    assert client.get("/").status_code == 200
    assert facet_index.builds_by_requests() == 0
    assert counted()[0]["country"] == {"DE": 1, "FR": 1}


def publish(events):
    events[2].publish(when=timezone.now())


def unpublish(events):
    events[0].unpublish()


def delete(events):
    events[0].delete()


def relink_a_country(events):
    events[1].jurisdictions.set([jurisdiction("DE")])


@pytest.mark.parametrize(
    "edit, countries",
    [
        (publish, {"DE": 2, "FR": 1}),
        (unpublish, {"FR": 1}),
        (delete, {"FR": 1}),
        (relink_a_country, {"DE": 2}),
    ],
)
def test_an_edit_shows_in_the_counts_at_once_without_a_new_snapshot(in_snapshot, edit, countries):
    snapshot = facet_index.current_snapshot_name()
    counted()
    edit(in_snapshot)
    per_facet, total = counted()
    assert per_facet["country"] == countries
    assert (per_facet, total) == sql_counts()
    assert facet_index.builds_by_requests() == 0
    assert facet_index.current_snapshot_name() == snapshot


def test_a_facets_counts_without_its_own_filter_serve_every_value_of_it_until_the_events_change(in_snapshot):
    """country=DE&type=ban and country=FR&type=ban count the countries over the same events (type=ban):
    counted once, then kept, and counted again after an edit or when a scheduled event goes live."""
    scheduled = EventFactory(
        title="Scheduled ban",
        event_type=in_snapshot[0].event_type,
        countries=["GB"],
        publish_at=timezone.now() + datetime.timedelta(hours=1),
    )
    with mock.patch.object(
        facet_index.FacetIndex, "_value_counts", autospec=True, side_effect=facet_index.FacetIndex._value_counts
    ) as passes:

        def country_passes():
            return sum(call.args[1] == "country" for call in passes.call_args_list)

        assert counted("country=DE&type=ban")[0]["country"] == {"DE": 1, "FR": 1}
        assert country_passes() == 1
        per_facet, total = counted("country=FR&type=ban")
        assert country_passes() == 1  # type=ban's countries: kept
        assert per_facet["country"] == {"DE": 1, "FR": 1}
        assert (per_facet, total) == sql_counts("country=FR&type=ban")

        publish(in_snapshot)
        per_facet, total = counted("country=FR&type=ban")
        assert country_passes() == 2
        assert per_facet["country"] == {"DE": 2, "FR": 1}
        assert (per_facet, total) == sql_counts("country=FR&type=ban")

        with mock.patch("django.utils.timezone.now", return_value=scheduled.publish_at + datetime.timedelta(seconds=1)):
            per_facet, total = counted("country=DE&type=ban")
            assert per_facet["country"] == {"DE": 2, "FR": 1, "GB": 1}
            assert (per_facet, total) == sql_counts("country=DE&type=ban")


def test_a_renamed_value_is_found_by_its_new_name_only(in_snapshot):
    actor = ActorFactory(slug="old-name", name="Old Name")
    in_snapshot[0].event_actors.create(actor=actor, role="target")
    facet_index.build_snapshot()
    actor.slug, actor.name = "new-name", "New Name"
    actor.save()
    assert filter_public_events(QueryDict("actor=old-name"))[1]
    filterset, ignored = filter_public_events(QueryDict("actor=new-name"))
    assert not ignored
    actors = next(facet for facet in facets(filterset) if facet.name == "actor")
    assert [(option.value, option.label, option.count) for option in actors.options] == [("new-name", "New Name", 1)]


def test_a_new_snapshot_absorbs_the_delta_and_the_log_keeps_only_its_last_row(in_snapshot):
    publish(in_snapshot)
    before = counted()
    assert FacetChange.objects.count() > 1
    facet_index.build_snapshot()
    # The last row stays, so SQLite never hands out an id twice.
    assert FacetChange.objects.count() == 1
    assert counted() == before
    assert facet_index.current_index(data_version()).delta.size == 0


def test_a_delta_beyond_its_limit_starts_a_new_snapshot_in_a_child_process(in_snapshot, settings):
    settings.FACET_DELTA_LIMIT = 1
    with mock.patch.object(facet_index.subprocess, "Popen") as child:
        publish(in_snapshot)
        unpublish(in_snapshot)
        counted()
    assert child.call_args.args[0][-3:] == ["build_facet_index", "--verbosity", "0"]
    assert facet_index.builds_by_requests() == 0


# --- the same counts with any cache -----------------------------------------------------


def _redis_url():
    try:
        socket.create_connection(("127.0.0.1", 6379), timeout=0.2).close()
    except OSError:
        return None
    return "redis://127.0.0.1:6379/13"


CACHES = {
    "locmem": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
    "dummy": {"BACKEND": "django.core.cache.backends.dummy.DummyCache"},
}
# Redis runs on the development machine and in CI; a machine without it tests the other two.
if _redis_url():
    CACHES["redis"] = {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": _redis_url()}


@pytest.mark.parametrize("backend", CACHES.values(), ids=CACHES.keys())
def test_every_cache_backend_shows_an_edit_at_once_and_never_rebuilds(client, in_snapshot, backend):
    with override_settings(CACHES={"default": backend}):
        from django.core.cache import cache

        cache.clear()
        try:
            assert "1 event matches the filters" in client.get("/", {"country": "DE"}).content.decode()
            index = facet_index.current_index(data_version())
            assert client.get("/", {"country": "DE"}).status_code == 200
            assert facet_index.current_index(data_version()) is index
            publish(in_snapshot)
            assert "2 events match the filters" in client.get("/", {"country": "DE"}).content.decode()
            assert counted("country=DE") == sql_counts("country=DE")
            assert facet_index.builds_by_requests() == 0
        finally:
            cache.clear()


# --- counts equal the database's, for any filters ---------------------------------------------


@pytest.fixture
def archive(monkeypatch):
    """Forty events of random facets and words, half in a snapshot and half edited since, some hidden."""
    # Every word of these few events counts as common (PostgreSQL): found in the snapshot's lists.
    monkeypatch.setattr(facet_index, "COMMON_WORD_MIN", 3)
    # Link tables as wide as half the events' links: the other half overflow, and are counted apart.
    monkeypatch.setattr(facet_index, "LINK_TABLE_OVERFLOW_SHARE", 0.5)
    rng = random.Random(13)
    types = [EventTypeFactory(slug=f"type-{n}", name=f"Type {n}") for n in range(3)]
    topics = [TopicFactory(slug=f"topic-{n}") for n in range(3)]
    actors = [ActorFactory(slug=f"actor-{n}") for n in range(3)]

    def random_event(n):
        event = EventFactory(
            title=f"Event {n}",
            event_type=rng.choice(types),
            date=datetime.date(2010, 1, 1) + datetime.timedelta(days=rng.randrange(3650)),
            stage=rng.choice(["", *Stage.values]),
            countries=rng.sample(["DE", "FR", "GB", "EU"], rng.randrange(3)),
            actor_roles=[(actor, "target") for actor in rng.sample(actors, rng.randrange(3))],
            status=rng.choice([Status.PUBLISHED] * 4 + [Status.DRAFT]),
            summary=" ".join(rng.sample(["Huawei", "banned", "network", "core", "cameras", "espionage"], 3)),
        )
        event.topics.set(rng.sample(topics, rng.randrange(3)))

    for n in range(20):
        random_event(n)
    facet_index.build_snapshot()
    for n in range(20, 40):
        random_event(n)


QUERIES = st.fixed_dictionaries(
    {},
    optional={
        "type": st.lists(st.sampled_from(["type-0", "type-1", "type-2"]), min_size=1, max_size=2),
        "country": st.lists(st.sampled_from(["DE", "FR", "GB", "EU"]), min_size=1, max_size=2),
        "actor": st.lists(st.sampled_from(["actor-0", "actor-1"]), min_size=1, max_size=2),
        "topic": st.lists(st.sampled_from(["topic-0", "topic-2"]), min_size=1, max_size=1),
        "stage": st.lists(st.sampled_from(Stage.values), min_size=1, max_size=2),
        "since": st.sampled_from(["2012", "2015-06", "2018-02-03"]),
        "until": st.sampled_from(["2013", "2017-06", "2019-12-31"]),
        "q": st.sampled_from(["huawei", "bans", "core -network", "cameras OR espionage", '"core network"', "the", "event 3"]),
    },
)


@hypothesis_settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(query=QUERIES)
def test_counts_equal_the_databases_for_any_filters(archive, query):
    encoded = QueryDict(mutable=True)
    for name, value in query.items():
        encoded.setlist(name, value if isinstance(value, list) else [value])
    encoded = encoded.urlencode()
    if filter_public_events(QueryDict(encoded))[1]:
        return  # a value no public event carries: refused, as tested in test_timeline
    assert counted(encoded) == sql_counts(encoded)


def test_a_link_table_holds_each_events_first_links_and_names_the_events_with_more():
    # Four events with 0, 1, 2 and 5 links; a table two links wide holds all but the last one's.
    events = np.array([1, 2, 2, 3, 3, 3, 3, 3], dtype=np.int32)
    offsets = np.array([0, 0, 1, 3, 8], dtype=np.int32)
    values = np.array([7, 3, 4, 1, 2, 3, 4, 5], dtype=np.int32)
    with mock.patch.object(facet_index, "LINK_TABLE_OVERFLOW_SHARE", 0.5):
        arrays = facet_index._link_table("actor", events, offsets, values)
    assert arrays["actor_table"].tolist() == [[0, 0], [7, 0], [3, 4], [1, 2]]
    assert arrays["actor_overflow"].tolist() == [3]
    part = facet_index.Part({**arrays, "actor_offsets": offsets, "actor_values": values})
    assert part._counts_at("actor", np.array([1, 3]), 8).tolist() == [0, 1, 1, 1, 1, 1, 0, 1]
    assert part._counts_at("actor", np.array([0, 2]), 8).tolist() == [0, 0, 0, 1, 1, 0, 0, 0]
    assert part._counts_at("actor", np.array([], dtype=np.int64), 8).tolist() == [0] * 8
