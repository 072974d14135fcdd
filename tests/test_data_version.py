"""The data version (timeline/changes.py): read from memory on PostgreSQL, and changed in every process by a commit.

On PostgreSQL each process listens for the NOTIFY that a trigger sends when
an edit commits; these tests commit on other connections (threads) and in
other processes (a gunicorn with two workers) and read right after.
"""

import datetime
import os
import re
import socket
import subprocess
import sys
import threading
import time
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from urllib.parse import quote

import pytest
from django.conf import settings
from django.db import connection, connections, transaction
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from timeline import changes
from timeline.changes import data_version

from .factories import EventFactory

POSTGRESQL = settings.DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql"
postgresql_only = pytest.mark.skipif(not POSTGRESQL, reason="NOTIFY is PostgreSQL's; on SQLite every page reads the version by a query.")


def eventually(predicate, seconds=10):
    deadline = time.monotonic() + seconds
    while not predicate():
        if time.monotonic() > deadline:
            raise AssertionError(f"Not within {seconds} s: {predicate.__doc__ or predicate}")
        time.sleep(0.0001)


def in_another_connection(work):
    """Run `work` in a thread: its own database connection, committed (or rolled back) and closed before this returns."""
    failures = []

    def run():
        try:
            work()
        except BaseException as error:  # noqa: BLE001 - handed back to the test
            failures.append(error)
        finally:
            connections.close_all()

    thread = threading.Thread(target=run)
    thread.start()
    thread.join()
    if failures:
        raise failures[0]


def listener_ready():
    """this process's listener vouches for a version"""
    return changes._listener().version() is not None


def queried():
    """The version as a query reads it."""
    return changes._read(connection)


@pytest.mark.django_db
def test_inside_a_transaction_the_version_is_the_transactions_own():
    before = data_version()
    with CaptureQueriesContext(connection) as captured:
        EventFactory()
        inside = data_version()
    assert inside != before
    assert inside == queried()
    assert any("COUNT" in query["sql"] for query in captured.captured_queries)


@postgresql_only
@pytest.mark.django_db(transaction=True)
class TestListening:
    def test_a_page_reads_the_version_without_a_query(self, django_assert_num_queries):
        EventFactory()
        eventually(listener_ready)
        with django_assert_num_queries(0):
            version = data_version()
        assert version == queried()

    def test_an_edit_committed_on_another_connection_shows_as_soon_as_its_notification_arrives(self, django_assert_num_queries):
        eventually(listener_ready)
        for round_number in range(20):
            before = data_version()
            in_another_connection(lambda n=round_number: EventFactory(title=f"Edit {n}"))
            committed = queried()
            assert committed != before
            # The notification's way to this process: measured 0.02-4 ms here; never a timer's period.
            eventually(lambda committed=committed: data_version() == committed, seconds=1)
        eventually(listener_ready)
        with django_assert_num_queries(0):
            version = data_version()
        assert version == queried()

    def test_a_rolled_back_edit_changes_nothing_and_costs_no_query(self, django_assert_num_queries):
        EventFactory()
        eventually(listener_ready)
        before = data_version()

        def rolled_back():
            with pytest.raises(RuntimeError), transaction.atomic():
                EventFactory()
                raise RuntimeError("the editor's save fails")

        in_another_connection(rolled_back)
        time.sleep(0.2)  # a notification, had one been sent, would be in by now
        with django_assert_num_queries(0):
            assert data_version() == before

    def test_a_lost_connection_falls_back_to_the_query_and_listens_again(self, django_assert_num_queries):
        eventually(listener_ready)
        with connection.cursor() as cursor:
            listener = f"{changes.APPLICATION_NAME} {os.getpid()}"
            cursor.execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = %s", [listener])
        # Whatever the listener holds now, a page never reads a version older than the database's.
        EventFactory()
        assert data_version() == queried()
        eventually(listener_ready)
        with django_assert_num_queries(0):
            version = data_version()
        assert version == queried()


# --- other processes --------------------------------------------------------------


def _free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _get(url):
    with urllib.request.urlopen(url, timeout=30) as response:
        return response.read().decode()


def _redis_url():
    try:
        socket.create_connection(("127.0.0.1", 6379), timeout=0.2).close()
    except OSError:
        return None
    return "redis://127.0.0.1:6379/12"


CACHES = ["locmem"] + (["redis"] if _redis_url() else [])
WORKERS = 2


@pytest.fixture(params=CACHES)
def gunicorn(request, transactional_db, tmp_path):
    """The site served by gunicorn, two worker processes, from the test database; its base URL."""
    database = connection.settings_dict
    user = quote(database["USER"] or "")
    password = f":{quote(database['PASSWORD'])}" if database["PASSWORD"] else ""
    port = _free_port()
    environment = {
        **os.environ,
        "DATABASE_URL": f"postgres://{user}{password}@{database['HOST'] or '127.0.0.1'}:{database['PORT'] or 5432}/{database['NAME']}",
        "DEBUG": "true",
        "FACET_INDEX_DIR": str(tmp_path / "served-facet-index"),
        "WEB_CONCURRENCY": str(WORKERS),
        "GUNICORN_THREADS": "4",
        "REDIS_URL": "",
    }
    if request.param == "redis":
        import redis

        redis.Redis.from_url(_redis_url()).flushdb()
        environment["REDIS_URL"] = _redis_url()
    server = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "-c", "config/gunicorn.conf.py", "--bind", f"127.0.0.1:{port}"],
        cwd=Path(settings.BASE_DIR),
        env=environment,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{port}"
    try:

        def answers():
            """gunicorn answers"""
            try:
                return bool(_get(f"{base}/robots.txt"))
            except OSError:
                return False

        eventually(answers, seconds=60)
        yield base
    finally:
        server.terminate()
        server.wait(timeout=30)


def _listening_workers():
    """How many other processes listen on the test database (this one's listener left out)."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM pg_stat_activity WHERE application_name LIKE %s AND application_name <> %s AND datname = %s",
            [f"{changes.APPLICATION_NAME} %", f"{changes.APPLICATION_NAME} {os.getpid()}", connection.settings_dict["NAME"]],
        )
        return cursor.fetchone()[0]


def _matches(page):
    """How many events the page says match."""
    found = re.search(r"(\d+) events? match(?:es)? the filters", page)
    assert found, "The page says nothing of how many events match."
    return int(found.group(1))


@postgresql_only
def test_every_worker_shows_an_edit_within_a_second_of_the_commit(gunicorn):
    EventFactory(title="German ban on untrusted vendors", countries=["DE"], date=datetime.date(2019, 3, 1))
    url = f"{gunicorn}/?country=DE"
    with ThreadPoolExecutor(8) as pool:

        def every_worker_listens():
            """each worker's listener is connected"""
            list(pool.map(_get, [url] * 8))
            return _listening_workers() >= WORKERS

        eventually(every_worker_listens, seconds=60)
        # Each worker has the counts of this view cached under the current version.
        assert {_matches(page) for page in pool.map(_get, [url] * 16)} == {1}

        for round_number in range(5):
            EventFactory(title=f"German rule {round_number}", countries=["DE"], publish_at=timezone.now() - datetime.timedelta(minutes=1))

            # PostgreSQL hands a notification to the listeners after the commit
            # returns, so a page asked in the same instant may still count the
            # version before it (changes.py): within a second, with no timer and
            # nothing rebuilt, every worker's counts and list show the edit.
            def every_worker_shows_it(round_number=round_number):
                """every worker's page counts and lists the new event"""
                pages = list(pool.map(_get, [url] * 16))
                return {_matches(page) for page in pages} == {round_number + 2} and all(
                    f"German rule {round_number}" in page for page in pages
                )

            eventually(every_worker_shows_it, seconds=1)
