"""Downloads at scale: they stream from the first rows, fail loudly, and never starve readers.

The figures at a million events are `make bench`'s; these tests prove the
mechanisms with real transactions, real threads and a live server.
"""

import http.client
import logging
import threading
import urllib.parse

import psycopg
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from timeline import export

from .factories import EventFactory
from .test_downloads import bulk_events

postgresql_only = pytest.mark.skipif("connection.vendor != 'postgresql'", reason="PostgreSQL behaviour")


@pytest.fixture
def small_batches(monkeypatch):
    """Ten rows per fetch and per chunk, so a few dozen events make several of each."""
    monkeypatch.setattr(export, "FETCH_SIZE", 10)
    monkeypatch.setattr(export, "ROWS_PER_CHUNK", 10)


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("path", ["/export.csv", "/export.json"])
def test_a_download_streams_its_first_rows_from_a_cursor_in_a_transaction(client, small_batches, path):
    bulk_events(45)
    with CaptureQueriesContext(connection) as queries:
        chunks = iter(client.get(path).streaming_content)
        head = next(chunks)
        first_rows = next(chunks)
        # The first rows are out while the query's transaction is still open.
        assert connection.in_atomic_block
        rest = b"".join(chunks)
    assert not connection.in_atomic_block
    assert b"/events/bulk-45-" in first_rows
    assert (head + first_rows + rest).count(b"/events/") == 45
    if connection.vendor == "postgresql":
        [declare] = [query["sql"] for query in queries.captured_queries if query["sql"].lstrip().startswith("DECLARE")]
        # WITH HOLD makes PostgreSQL compute every row before the first one.
        assert "WITH HOLD" not in declare


@postgresql_only
@pytest.mark.django_db(transaction=True)
def test_the_export_transaction_turns_jit_off_and_ends_with_the_download(client, small_batches):
    bulk_events(45)
    response = client.get("/export.csv")
    chunks = iter(response.streaming_content)
    next(chunks)
    next(chunks)
    with connection.cursor() as cursor:
        cursor.execute("SHOW jit")
        assert cursor.fetchone()[0] == "off"
    list(chunks)
    with connection.cursor() as cursor:
        cursor.execute("SHOW jit")
        assert cursor.fetchone()[0] == "on"


@postgresql_only
@pytest.mark.django_db(transaction=True)
def test_a_download_that_fails_midway_raises_and_is_logged(client, small_batches, caplog):
    bulk_events(45)
    chunks = iter(client.get("/export.csv", {"country": "DE"}).streaming_content)
    next(chunks)
    next(chunks)
    # The database connection dies under the download, as in a failover.
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        pid = cursor.fetchone()[0]
    with psycopg.connect(**connection.get_connection_params()) as other:
        other.execute("SELECT pg_terminate_backend(%s)", [pid])
    with caplog.at_level(logging.ERROR, logger="timeline.export"), pytest.raises(Exception):  # noqa: B017
        list(chunks)
    [record] = [r for r in caplog.records if r.name == "timeline.export"]
    assert record.getMessage().startswith("Export failed after 10 rows")
    assert "DE" in record.getMessage()
    assert record.exc_info is not None
    connection.close()


class HeldDownloads:
    """Downloads the live server streams until the test lets them finish."""

    def __init__(self, monkeypatch):
        self.release = threading.Event()
        self.streaming = threading.Semaphore(0)
        chunks = export.chunks

        def held_chunks(rows):
            for number, chunk in enumerate(chunks(rows)):
                yield chunk
                if number == 0:
                    self.streaming.release()
                    self.release.wait(timeout=30)

        monkeypatch.setattr(export, "chunks", held_chunks)


def get(base_url, path):
    url = urllib.parse.urlsplit(base_url)
    conn = http.client.HTTPConnection(url.hostname, url.port, timeout=30)
    conn.request("GET", path)
    return conn, conn.getresponse()


@pytest.mark.django_db(transaction=True)
def test_a_download_over_the_cap_is_refused_with_503_and_readers_still_answer(live_server, settings, monkeypatch):
    settings.DOWNLOADS_PER_PROCESS = 2
    bulk_events(30)
    held = HeldDownloads(monkeypatch)
    streams = []
    results = {}

    def download(name):
        conn, response = get(live_server.url, "/export.csv")
        results[name] = response.status
        streams.append((conn, response))
        if response.status == 200:
            response.read1(1)

    threads = [threading.Thread(target=download, args=(n,)) for n in range(2)]
    for thread in threads:
        thread.start()
    for _ in threads:
        assert held.streaming.acquire(timeout=30)
    try:
        assert export.download_slots.busy == 2
        _, refused = get(live_server.url, "/export.json")
        assert refused.status == 503
        assert refused.getheader("Retry-After") == str(export.RETRY_AFTER_SECONDS)
        assert refused.getheader("Content-Type") == "text/plain; charset=utf-8"
        assert "Too many downloads" in refused.read().decode()
        _, robots = get(live_server.url, "/robots.txt")
        assert robots.status == 200
    finally:
        held.release.set()
        for thread in threads:
            thread.join(timeout=30)
    assert results == {0: 200, 1: 200}
    for conn, response in streams:
        assert response.read().count(b"/events/") <= 30
        conn.close()
    _, again = get(live_server.url, "/export.csv")
    assert again.status == 200 and again.read().count(b"/events/") == 30


@pytest.mark.django_db(transaction=True)
def test_an_abandoned_download_gives_its_slot_back(live_server, settings, monkeypatch):
    settings.DOWNLOADS_PER_PROCESS = 1
    bulk_events(30)
    held = HeldDownloads(monkeypatch)
    conn, response = get(live_server.url, "/export.csv")
    assert response.status == 200 and held.streaming.acquire(timeout=30)
    conn.close()
    held.release.set()
    for _ in range(100):
        if export.download_slots.busy == 0:
            break
        threading.Event().wait(0.05)
    assert export.download_slots.busy == 0
    _, again = get(live_server.url, "/export.csv")
    assert again.status == 200 and again.read().count(b"/events/") == 30


@pytest.mark.django_db
def test_editors_exports_are_not_capped(settings, monkeypatch):
    settings.DOWNLOADS_PER_PROCESS = 1
    EventFactory()
    from timeline.models import Event

    public = export.csv_response(Event.objects.all(), "http://testserver")
    try:
        assert export.csv_response(Event.objects.all(), "http://testserver").status_code == 503
        editorial = export.csv_response(Event.objects.all(), "http://testserver", editorial=True)
        assert editorial.status_code == 200
        assert b"".join(editorial.streaming_content).count(b"/events/") == 1
    finally:
        public.close()
    assert export.download_slots.busy == 0
