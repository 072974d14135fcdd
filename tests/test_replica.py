"""Readers read a streaming replica, editors and writes the primary (timeline/replica.py).

On PostgreSQL the session starts a real second cluster, a streaming
replica of the tests' primary (tests/pg_replica.py), and adds it as the
`replica` database alias, as DATABASE_REPLICA_URL would. It is a test
mirror of the primary: pytest-django never creates, migrates or flushes
it; the test database and every commit reach it by replication. Pausing
its replay (pg_wal_replay_pause) shows where a page's rows come from: a
change committed on the primary stays invisible to readers, and visible to
editors, until the replica replays it.
"""

import copy
import datetime
import json
import logging
import os
import subprocess
import sys
from contextlib import contextmanager
from types import SimpleNamespace

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import AnonymousUser
from django.db import close_old_connections, connections, transaction
from django.http import JsonResponse
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from timeline import replica as routing
from timeline.changes import data_version
from timeline.models import Event, Status

from .admin_forms import event_form_fields
from .factories import ActorFactory, DraftFactory, EventFactory, MeasureFactory, TopicFactory
from .pg_replica import StreamingReplica

REPLICA = routing.REPLICA
POSTGRESQL = settings.DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql"


@pytest.fixture(scope="module")
def streaming_replica(django_db_setup, django_db_blocker):
    """A streaming replica of the primary, as the `replica` alias, for this module's tests.

    Once per session (no other module uses it), and gone after them: the
    other modules' requests must not find a replica alias their tests do
    not allow, nor a replica behind their uncommitted rows.
    """
    primary = connections["default"].settings_dict
    replica = StreamingReplica(primary)
    with django_db_blocker.unblock():
        try:
            replica.start()
        except BaseException:
            replica.stop()
            raise
    connections.settings[REPLICA] = {
        **copy.deepcopy(primary),
        "HOST": "127.0.0.1",
        "PORT": replica.port,
        "TEST": {**primary["TEST"], "MIRROR": "default"},
    }
    yield replica
    with django_db_blocker.unblock():
        connections[REPLICA].close()
    del connections[REPLICA]
    del connections.settings[REPLICA]
    replica.stop()


@contextmanager
def queries():
    """The queries run on each connection meanwhile."""
    with CaptureQueriesContext(connections["default"]) as primary, CaptureQueriesContext(connections[REPLICA]) as replica:
        yield SimpleNamespace(primary=primary, replica=replica)


def sql(captured):
    return "\n".join(query["sql"] for query in captured.captured_queries)


def body(response):
    return b"".join(response.streaming_content) if response.streaming else response.content


@pytest.fixture
def story(streaming_replica):
    measure = MeasureFactory(title="Czech limits on Huawei", slug="czech-limits")
    event = EventFactory(
        title="Czech cyber agency warns against Huawei",
        slug="nukib-warning",
        countries=["CZ"],
        actor_roles=[(ActorFactory(name="NÚKIB"), "initiator")],
        measure=measure,
        stage="announced",
    )
    event.topics.add(TopicFactory(name="5G"))
    streaming_replica.wait_for_replay()
    return SimpleNamespace(event=event, measure=measure)


@pytest.fixture
def editor_client():
    client = Client()
    client.force_login(get_user_model().objects.create_superuser("edith", password="not-a-real-password-42"))
    return client


@contextmanager
def replay_paused(replica):
    replica.pause_replay()
    try:
        yield
    finally:
        replica.resume_replay()


READERS_PAGES = [
    ("/", {}),
    ("/?country=CZ&q=huawei", {}),
    ("/?country=CZ", {"HX-Request": "true", "HX-Trigger": "filters"}),
    ("/events/nukib-warning/", {}),
    ("/measures/czech-limits/", {}),
    ("/measures/", {}),
    ("/export.csv?country=CZ", {}),
    ("/export.json", {}),
    ("/export.xlsx", {}),
    ("/embed/?country=CZ", {}),
    ("/share/timeline.png?country=CZ", {}),
    ("/share/events/nukib-warning.png", {}),
    ("/data/releases/", {}),
    ("/feed/", {}),
    ("/sitemap.xml", {}),
    ("/sitemap-events.xml", {}),
    ("/data/", {}),
    ("/api/v1/events?country=CZ", {}),
    ("/api/v1/events/nukib-warning", {}),
    ("/api/v1/actors", {}),
]


@pytest.mark.skipif(not POSTGRESQL, reason="A streaming replica needs PostgreSQL (DATABASE_URL=postgres://...).")
@pytest.mark.django_db(transaction=True, databases=["default", REPLICA])
class TestWithAStreamingReplica:
    def test_readers_pages_read_the_replica_alone(self, client, story, subtests):
        for url, headers in READERS_PAGES:
            with subtests.test(url=url, headers=headers), queries() as ran:
                response = client.get(url, headers=headers)
                content = body(response)
                assert response.status_code == 200, content[:500]
                assert ran.replica.captured_queries, "the page read nothing from the replica"
                assert not ran.primary.captured_queries, f"the page read the primary:\n{sql(ran.primary)}"

    def test_an_editors_pages_read_the_primary_alone(self, editor_client, story, subtests):
        pages = ["/admin/", "/admin/timeline/event/", f"/admin/timeline/event/{story.event.pk}/change/"]
        for url in pages + [url for url, headers in READERS_PAGES if not headers]:
            with subtests.test(url=url), queries() as ran:
                response = editor_client.get(url)
                content = body(response)
                assert response.status_code == 200, content[:500]
                assert ran.primary.captured_queries
                assert not ran.replica.captured_queries, f"an editor's page read the replica:\n{sql(ran.replica)}"

    def test_a_save_in_the_admin_writes_and_reads_the_primary_alone(self, editor_client, streaming_replica):
        draft = DraftFactory(title="Czech agency warns against Huawei", sources=1)
        streaming_replica.wait_for_replay()
        url = f"/admin/timeline/event/{draft.pk}/change/"
        fields = event_form_fields(editor_client.get(url).content.decode())
        with queries() as ran:
            response = editor_client.post(url, {**fields, "title": "Czech agency warns against Huawei and ZTE", "_publish": "pressed"})
        assert response.status_code == 302, response.content[:2000]
        assert "UPDATE" in sql(ran.primary)
        assert not ran.replica.captured_queries, sql(ran.replica)

    def test_a_readers_request_that_writes_reads_the_primary_from_then_on(self, rf, story):
        """No reader's page writes today; if one ever does, it writes the primary and reads its write there."""

        def view(request):
            with queries() as before:
                count = Event.objects.count()
            with queries() as writing:
                Event.objects.filter(pk=story.event.pk).update(summary="Rewritten.")
            with queries() as after:
                summary = Event.objects.get(pk=story.event.pk).summary
            steps = {"before": before, "writing": writing, "after": after}
            ran = {name: [len(step.primary), len(step.replica)] for name, step in steps.items()}
            return JsonResponse({"count": count, "summary": summary, "ran": ran})

        request = rf.get("/")
        request.user = AnonymousUser()
        response = routing.route_reads(view)(request)
        # As a server does once it has sent the response: the request is over.
        response.close()
        assert json.loads(response.content) == {
            "count": 1,
            "summary": "Rewritten.",
            "ran": {"before": [0, 1], "writing": [1, 0], "after": [1, 0]},
        }

    def test_reads_in_a_transaction_on_the_primary_read_the_primary(self, rf, story):
        def view(request):
            with queries() as ran, transaction.atomic():
                Event.objects.get(pk=story.event.pk)
            return JsonResponse({"primary": sql(ran.primary).split("\n"), "replica": len(ran.replica)})

        request = rf.get("/")
        request.user = AnonymousUser()
        response = routing.route_reads(view)(request)
        response.close()
        ran = json.loads(response.content)
        assert [statement.split()[0] for statement in ran["primary"]] == ["BEGIN", "SELECT", "COMMIT"]
        assert ran["replica"] == 0

    def test_an_event_published_on_the_primary_reaches_readers_once_the_replica_replays_it(self, client, editor_client, streaming_replica):
        event = DraftFactory(title="Germany sets rules for 5G suppliers", slug="german-rules", sources=1, countries=["DE"])
        streaming_replica.wait_for_replay()
        with replay_paused(streaming_replica):
            event.status = Status.PUBLISHED
            event.publish_at = timezone.now() - datetime.timedelta(minutes=1)
            event.save()
            assert Event.objects.public().filter(pk=event.pk).exists()
            # The replica has not replayed the publication: readers do not see it yet...
            assert client.get("/events/german-rules/").status_code == 404
            assert event.title not in client.get("/").content.decode()
            assert client.get("/api/v1/events/german-rules").status_code == 404
            # ...editors, who read the primary, do.
            assert event.title in editor_client.get("/").content.decode()
        assert client.get("/events/german-rules/").status_code == 200
        assert event.title in client.get("/").content.decode()
        assert client.get("/api/v1/events/german-rules").json()["title"] == event.title

    def test_a_readers_data_version_is_the_replicas_while_it_lags(self, rf, streaming_replica):
        """Counts and cards cached under a version must describe the rows read with it: a reader's is the replica's."""

        def view(request):
            return JsonResponse({"version": data_version()})

        def readers_version():
            request = rf.get("/")
            request.user = AnonymousUser()
            response = routing.route_reads(view)(request)
            response.close()
            return json.loads(response.content)["version"]

        EventFactory()
        streaming_replica.wait_for_replay()
        before = readers_version()
        with replay_paused(streaming_replica):
            EventFactory()
            # Outside a reader's request: the primary's version (its listener's, or a query).
            on_the_primary = data_version()
            assert on_the_primary != before
            assert readers_version() == before
        streaming_replica.wait_for_replay()
        assert readers_version() == on_the_primary

    def test_an_editors_preview_right_after_a_save_shows_the_save(self, editor_client, streaming_replica):
        draft = DraftFactory(title="First wording", slug="a-draft", sources=1)
        streaming_replica.wait_for_replay()
        url = f"/admin/timeline/event/{draft.pk}/change/"
        with replay_paused(streaming_replica):
            fields = event_form_fields(editor_client.get(url).content.decode())
            saved = editor_client.post(url, {**fields, "title": "Second wording", "_continue": "pressed"})
            assert saved.status_code == 302, saved.content[:2000]
            with queries() as ran:
                preview = editor_client.get("/events/a-draft/")
            assert preview.status_code == 200
            assert "Second wording" in preview.content.decode()
            assert not ran.replica.captured_queries
            with streaming_replica.connect() as on_replica:
                [(title,)] = on_replica.execute("SELECT title FROM timeline_event WHERE id = %s", [draft.pk]).fetchall()
            assert title == "First wording", "the replica was meant to be behind the save"

    def test_readers_read_the_primary_while_the_replica_is_down(self, client, story, streaming_replica, monkeypatch, caplog):
        # monkeypatch puts the "replica is down" mark of this process back as it was.
        monkeypatch.setattr(routing, "_replica_down_until", 0.0)
        streaming_replica.stop_server()
        try:
            for attempt in range(2):
                # What a server does as each request starts; Django's test client does not.
                close_old_connections()
                with caplog.at_level(logging.WARNING, logger="timeline.replica"), CaptureQueriesContext(connections["default"]) as primary:
                    response = client.get("/")
                assert response.status_code == 200
                assert story.event.title in response.content.decode()
                assert primary.captured_queries
                # Told once; the next readers do not wait for the replica again (RETRY_SECONDS).
                assert caplog.text.count("The read replica did not answer") == 1, (attempt, caplog.text)
        finally:
            streaming_replica.start_server()
        monkeypatch.setattr(routing, "_replica_down_until", 0.0)
        close_old_connections()
        with queries() as ran:
            assert client.get("/").status_code == 200
        assert ran.replica.captured_queries and not ran.primary.captured_queries


def settings_with(**environment):
    """config.settings' DATABASES, read in a fresh interpreter with `environment`."""
    program = "import json, config.settings as s; print(json.dumps(s.DATABASES, default=str))"
    base = {key: value for key, value in os.environ.items() if not key.startswith("DATABASE")}
    return subprocess.run(
        [sys.executable, "-c", program], env={**base, "DEBUG": "true", **environment}, capture_output=True, text=True, cwd=settings.BASE_DIR
    )


def test_a_replica_url_adds_a_replica_that_tests_mirror_and_never_create():
    done = settings_with(
        DATABASE_URL="postgres://app@db.internal/timeline", DATABASE_REPLICA_URL="postgres://reader@replica.internal:6432/timeline"
    )
    assert done.returncode == 0, done.stderr
    replica = json.loads(done.stdout)["replica"]
    assert (replica["HOST"], replica["PORT"], replica["USER"], replica["NAME"]) == ("replica.internal", 6432, "reader", "timeline")
    assert replica["TEST"]["MIRROR"] == "default"
    assert replica["OPTIONS"]["connect_timeout"] == 3


def test_without_a_replica_url_there_is_one_database():
    done = settings_with(DATABASE_URL="postgres://app@db.internal/timeline")
    assert done.returncode == 0, done.stderr
    assert list(json.loads(done.stdout)) == ["default"]


def test_a_replica_of_sqlite_is_refused_at_start():
    done = settings_with(DATABASE_REPLICA_URL="postgres://reader@replica.internal/timeline")
    assert done.returncode != 0
    assert "DATABASE_REPLICA_URL needs PostgreSQL" in done.stderr
