"""The export's one query: every cell of a row, the lists aggregated by the database in their order."""

import csv
import datetime
import io
import json

import pytest
from django.contrib.auth import get_user_model
from django.db import connection
from django.test.utils import CaptureQueriesContext
from hypothesis import given
from hypothesis import strategies as st

from timeline.export import csv_cell, csv_line, csv_response
from timeline.models import Event, Role, Source

from .factories import ActorFactory, DraftFactory, EventFactory, MeasureFactory, TopicFactory

pytestmark = pytest.mark.django_db

RELATION_TABLES = ["timeline_event_jurisdictions", "timeline_eventactor", "timeline_event_topics", "timeline_source"]


def parse_csv(body):
    assert body.startswith("\ufeff")
    return list(csv.DictReader(io.StringIO(body[1:])))


def download(client, path):
    with CaptureQueriesContext(connection) as queries:
        body = b"".join(client.get(path).streaming_content).decode("utf-8")
    return body, [query["sql"] for query in queries.captured_queries]


def test_the_lists_keep_their_order(client):
    event = EventFactory(
        countries=["FR", "DE"],
        actor_roles=[(ActorFactory(name="Zed"), "initiator"), (ActorFactory(name="Abe"), "target")],
        sources=0,
    )
    event.topics.add(TopicFactory(name="zeta"), TopicFactory(name="alpha"))
    Source.objects.create(event=event, title="Zulu report", publisher="Ministry", url="https://example.org/z")
    Source.objects.create(event=event, title="Alpha report", publisher="Agency", published_on=datetime.date(2019, 1, 2))
    [record] = json.loads(b"".join(client.get("/export.json").streaming_content))["events"]
    assert record["jurisdiction_codes"] == ["DE", "FR"] and record["jurisdiction_names"] == ["Germany", "France"]
    assert record["topics"] == ["alpha", "zeta"]
    # In the order editors entered them, not by name.
    assert record["actors"] == ["Zed (initiator)", "Abe (target)"]
    assert record["source_titles"] == ["Zulu report", "Alpha report"]
    assert record["source_publishers"] == ["Ministry", "Agency"]
    assert record["source_dates"] == ["", "2019-01-02"]
    assert record["source_urls"] == ["https://example.org/z", ""]


def test_every_role_is_written_as_its_label_in_lower_case(client):
    EventFactory(actor_roles=[(ActorFactory(name=f"Actor {role.value}"), role.value) for role in Role])
    [row] = parse_csv(b"".join(client.get("/export.csv").streaming_content).decode())
    assert row["actors"] == " | ".join(f"Actor {role.value} ({role.label.lower()})" for role in Role)


def test_an_event_without_relations_has_empty_cells_and_empty_lists(client):
    EventFactory(sources=0)
    [row] = parse_csv(b"".join(client.get("/export.csv").streaming_content).decode())
    empty = ["end_date", "stage", "measure", "jurisdiction_codes", "jurisdiction_names", "actors", "topics"]
    empty += ["source_titles", "source_publishers", "source_dates", "source_urls"]
    assert {name: row[name] for name in empty} == dict.fromkeys(empty, "")
    [record] = json.loads(b"".join(client.get("/export.json").streaming_content))["events"]
    assert all(record[name] == [] for name in empty[3:])


def test_times_are_utc_to_the_second(client):
    an_hour_east = datetime.timezone(datetime.timedelta(hours=1))
    event = EventFactory(
        publish_at=datetime.datetime(2019, 1, 11, 11, 0, 59, 999999, tzinfo=an_hour_east),
        date=datetime.date(2019, 1, 1),
        end_date=datetime.date(2019, 2, 28),
        measure=MeasureFactory(title="Measure"),
        stage="in_effect",
    )
    event.refresh_from_db()
    [row] = parse_csv(b"".join(client.get("/export.csv").streaming_content).decode())
    assert row["published_at"] == "2019-01-11T10:00:59+00:00"
    assert row["updated_at"] == event.updated_at.astimezone(datetime.UTC).isoformat(timespec="seconds")
    assert row["date"] == "2019-01-01" and row["end_date"] == "2019-02-28"
    assert row["stage"] == "In effect" and row["measure"] == "Measure"


def test_the_editorial_export_names_editors_and_leaves_an_unpublished_time_empty():
    editor = get_user_model().objects.create_user("+editor")
    draft = DraftFactory(created_by=editor)
    response = csv_response(Event.objects.filter(pk=draft.pk), "http://testserver", editorial=True)
    [row] = parse_csv(b"".join(response.streaming_content).decode())
    assert row["status"] == "draft" and row["published_at"] == ""
    assert row["created_by"] == "'+editor" and row["updated_by"] == ""


@pytest.mark.parametrize("path", ["/export.csv", "/export.json"])
def test_one_query_reads_the_events_with_all_their_lists(client, path):
    for _ in range(3):
        EventFactory(countries=["DE", "FR"], actor_roles=[(ActorFactory(), "target")], sources=2)
    body, queries = download(client, path)
    assert body.count("/events/") == 3
    reading = [sql for sql in queries if any(table in sql for table in RELATION_TABLES)]
    assert len(reading) == 1
    assert all(table in reading[0] for table in RELATION_TABLES)


@given(st.lists(st.one_of(st.text(), st.lists(st.text(), max_size=3), st.integers(min_value=1)), min_size=1, max_size=6))
def test_a_line_is_what_csv_writer_writes(cells):
    expected = io.StringIO()
    csv.writer(expected, quoting=csv.QUOTE_ALL).writerow([csv_cell(cell) for cell in cells])
    assert csv_line(cells) == expected.getvalue()
