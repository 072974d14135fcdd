"""Export lines (timeline/export_lines.py): written ahead on PostgreSQL, never served stale.

Every table a line is written from is edited here, by the paths that send no
signal too (queryset updates, raw SQL), and the download that reads the lines
is compared byte for byte with the one computed with no line stored.
"""

import datetime
import json
import re
import threading

import pytest
from django.core.management import call_command
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from timeline import export_lines, releases
from timeline.models import Actor, Event, EventActor, EventType, ExportLine, Jurisdiction, Source, Topic

from .factories import ActorFactory, CorrectionFactory, EventFactory, MeasureFactory, SourceFactory, TopicFactory
from .test_export_bytes import downloaded, varied  # noqa: F401  (a fixture)
from .test_releases import cut, file_bytes, release_csv

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif("connection.vendor != 'postgresql'", reason="Lines are written ahead on PostgreSQL only"),
]
PATHS = ["/export.csv", "/export.json", "/export.csv?country=DE", "/export.json?order=oldest"]


def downloads(client):
    return {path: downloaded(client.get(path)) for path in PATHS}


def live_downloads(client):
    """The downloads with no line stored: every line computed by the download's own query."""
    ExportLine.objects.all().delete()
    return downloads(client)


def filled():
    written = export_lines.fill()
    assert ExportLine.objects.count() == Event.objects.count()
    return written


def _sql(statement, params=()):
    with connection.cursor() as cursor:
        cursor.execute(statement, params)


# One edit per table a line is written from, each by a path that sends no signal
# where there is one (the triggers must catch them all), and what the download then shows.
EDITS = {
    "timeline_event": (lambda: Event.objects.filter(title="+1 555").update(title="Retitled by a queryset"), "Retitled by a queryset"),
    "timeline_eventtype": (lambda: EventType.objects.filter(slug="ban").update(name="Renamed type"), "Renamed type"),
    "timeline_measure": (lambda: _sql("UPDATE timeline_measure SET title = 'Renamed measure'"), "Renamed measure"),
    "timeline_event_jurisdictions": (
        lambda: Event.objects.get(title="+1 555").jurisdictions.add(Jurisdiction.objects.get_or_create(country="NO")[0]),
        "Norway",
    ),
    "timeline_jurisdiction": (lambda: Jurisdiction.objects.filter(country="XK").update(country="QZ"), "QZ"),
    "timeline_eventactor": (lambda: EventActor.objects.filter(role="target").update(role="involved"), None),
    "timeline_actor": (lambda: _rename(Actor.objects.get(name="Huawei"), "Huawei Technologies"), "Huawei Technologies"),
    "timeline_event_topics": (
        lambda: _sql("DELETE FROM timeline_event_topics WHERE topic_id = %s", [Topic.objects.get(name="5G").pk]),
        None,
    ),
    "timeline_topic": (lambda: Topic.objects.filter(name="@mention").update(name="Renamed topic"), "Renamed topic"),
    "timeline_source": (
        lambda: Source.objects.filter(published_on__isnull=False).update(publisher="Renamed publisher"),
        "Renamed publisher",
    ),
    "timeline_correction": (
        lambda: CorrectionFactory(event=Event.objects.get(title="+1 555"), corrected_on=datetime.date(2021, 2, 3), note="A new note"),
        "A new note",
    ),
}


def _rename(instance, name):
    instance.name = name
    instance.save()


def test_every_table_the_download_reads_has_the_triggers(client, varied):  # noqa: F811
    """The tables come from the SQL the downloads run, so the triggers cannot fall behind the columns."""
    filled()
    with CaptureQueriesContext(connection) as captured:
        downloads(client)
    queries = [query["sql"] for query in captured.captured_queries if ExportLine._meta.db_table in query["sql"]]
    assert len(queries) == len(PATHS)
    read = {table for sql in queries for table in export_lines._TABLE_READ.findall(sql)} - {ExportLine._meta.db_table}
    assert read == set(export_lines.tables_read())
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT tgrelid::regclass::text, array_agg(tgname::text ORDER BY tgname) FROM pg_trigger "
            "WHERE tgfoid = 'timeline_exportline_invalidate'::regproc GROUP BY 1"
        )
        triggers = dict(cursor.fetchall())
    assert {table: sorted(f"timeline_exportline_{kind}" for kind in export_lines.trigger_kinds(table)) for table in read} == triggers
    # Every kind of change but an event's deletion, which the foreign key's cascade covers.
    assert len(triggers.pop(Event._meta.db_table)) == 3
    assert all(len(kinds) == 4 for kinds in triggers.values())


def test_every_table_has_an_edit_below():
    assert set(EDITS) == set(export_lines.tables_read())


@pytest.mark.parametrize("table", sorted(EDITS))
def test_an_edit_of_any_table_is_in_the_next_download(client, varied, table):  # noqa: F811
    filled()
    before = downloads(client)
    edit, shown = EDITS[table]
    edit()
    after = downloads(client)
    assert after != before
    if shown:
        assert shown in after["/export.csv"].decode()
    # Some lines outlive the edit: the download above read stored lines and computed the others.
    assert 0 < ExportLine.objects.count() < Event.objects.count() or table in ("timeline_measure", "timeline_eventtype")
    assert after == live_downloads(client)
    # Written again, the lines give the same bytes.
    assert export_lines.fill() == Event.objects.count()
    assert downloads(client) == after


def test_lines_are_read_only_in_the_current_format(client, varied):  # noqa: F811
    filled()
    live = downloads(client)
    # The text around the URL's cell.
    ExportLine.objects.update(csv=['"garbage",', "\r\n"], json=['{"garbage": ', "}"])
    assert b"garbage" in downloaded(client.get("/export.csv"))  # current format: read as stored
    ExportLine.objects.update(fingerprint="an older format")
    assert downloads(client) == live
    # A fill writes them again in the current format.
    assert export_lines.fill() == Event.objects.count()
    assert downloads(client) == live


def test_another_language_is_another_format():
    assert export_lines.current_format("fr").fingerprint != export_lines.current_format("en").fingerprint


def test_a_deleted_event_takes_its_line_with_it(varied):  # noqa: F811
    filled()
    event = Event.objects.get(title="+1 555")
    _sql("DELETE FROM timeline_eventactor WHERE event_id = %s", [event.pk])
    _sql("DELETE FROM timeline_source WHERE event_id = %s", [event.pk])
    _sql("DELETE FROM timeline_correction WHERE event_id = %s", [event.pk])
    event.delete()
    assert not ExportLine.objects.filter(event_id=event.pk).exists()


def test_a_new_event_is_in_the_download_before_its_line_is_written(client, varied):  # noqa: F811
    filled()
    event = EventFactory(title="Brand new", countries=["DE"], actor_roles=[(ActorFactory(name="Newcomer"), "initiator")])
    event.topics.add(TopicFactory(name="New topic"))
    SourceFactory(event=event, title="New source")
    MeasureFactory()
    assert not ExportLine.objects.filter(event_id=event.pk).exists()
    stored = downloads(client)
    assert "Newcomer (initiator)" in stored["/export.csv"].decode()
    assert stored == live_downloads(client)


def test_the_command_writes_what_is_missing(varied, capsys):  # noqa: F811
    call_command("fill_export_lines")
    assert f"Wrote {Event.objects.count()} export lines" in capsys.readouterr().out
    call_command("fill_export_lines")
    assert "Wrote 0 export lines" in capsys.readouterr().out


@pytest.mark.django_db(transaction=True)
def test_a_fill_waits_for_an_edit_still_uncommitted(client):
    """The race the lock closes: a fill must not compute a line from data an open transaction is
    changing, then keep it after that transaction commits."""
    actor = ActorFactory(name="Old name")
    EventFactory(title="Linked", actor_roles=[(actor, "target")])
    EventFactory(title="Not linked")
    editing, commit = threading.Event(), threading.Event()

    def editor():
        try:
            with transaction.atomic():
                Actor.objects.filter(pk=actor.pk).update(name="New name")
                editing.set()
                commit.wait(10)
        finally:
            connection.close()

    thread = threading.Thread(target=editor)
    thread.start()
    try:
        assert editing.wait(10)
        with pytest.raises(TimeoutError):
            export_lines.fill(lock_wait=0.3)
        assert ExportLine.objects.count() == 0
    finally:
        commit.set()
        thread.join(10)
    assert export_lines.fill() == 2
    csv = downloaded(client.get("/export.csv")).decode()
    assert "New name (target)" in csv and "Old name" not in csv


@pytest.mark.django_db(transaction=True)
def test_an_edit_is_written_back_after_its_commit(client, settings, monkeypatch):
    settings.EXPORT_LINES_REFILL = True
    # The thread ends soon after its work, closing its connection before the test database goes.
    monkeypatch.setattr(export_lines, "REFILL_IDLE_SECONDS", 0.2)
    event = EventFactory(title="Before")
    EventFactory(title="Other")
    export_lines.fill()
    event.title = "After"
    event.save()
    thread = export_lines._thread
    assert not ExportLine.objects.filter(event_id=event.pk).exists()
    for _ in range(100):
        if ExportLine.objects.filter(event_id=event.pk).exists():
            break
        threading.Event().wait(0.1)
    line = ExportLine.objects.get(event_id=event.pk)
    assert line.fingerprint == export_lines.current_format().fingerprint
    assert re.search(r'"After"', line.csv[0])
    assert downloads(client) == live_downloads(client)
    thread.join(5)
    assert not thread.is_alive()


API_PATHS = ["/api/v1/events", "/api/v1/events?country=DE&page_size=2", "/api/v1/events?order=oldest&page_size=3"]


def api_answers(client):
    answers = {path: client.get(path).json() for path in API_PATHS}
    answers["one"] = client.get(f"/api/v1/events/{Event.objects.public().order_by('pk').first().pk}").json()
    return answers


def test_the_api_reads_the_objects_written_ahead(client, varied):  # noqa: F811
    """An API page gives the JSON download's objects: the same items whether they were written ahead or
    computed, and the stored ones are the ones read."""
    live = api_answers(client)
    filled()
    assert api_answers(client) == live
    _sql("""UPDATE timeline_exportline SET json[1] = replace(json[1], '"title": "', '"title": "Stored: ')""")
    answers = api_answers(client)
    items = [item for path in API_PATHS for item in answers[path]["items"]] + [answers["one"]]
    assert all(item["title"].startswith("Stored: ") for item in items)


def test_a_release_reads_the_lines_written_ahead(varied):  # noqa: F811
    """A release's files are the full downloads' bytes whether the lines were written ahead or not,
    the stored lines are the ones read, and its list of ids is its files' events, in their order."""
    computed = cut()
    filled()
    stored = cut()
    assert (stored.csv_sha256, stored.json_sha256) == (computed.csv_sha256, computed.json_sha256)
    _sql(
        "UPDATE timeline_exportline SET csv[1] = replace(csv[1], ',\"', ',\"Stored: '), "
        'json[1] = replace(json[1], \'"title": "\', \'"title": "Stored: \')'
    )
    release = cut()
    rows = release_csv(release)
    events = json.loads(file_bytes(release, releases.json_name(release.number)))["events"]
    assert rows and all(row["title"].startswith("Stored: ") for row in rows)
    assert all(event["title"].startswith("Stored: ") for event in events)
    ids = [int(row["id"]) for row in rows]
    public = Event.objects.public().order_by("-sort_date", "-id")
    assert ids == [event["id"] for event in events] == list(public.values_list("id", flat=True))
    assert releases._read_ids(releases.release_dir(release.number)).tolist() == sorted(ids)
