"""Export rows: one function feeds the admin CSV action and the public downloads.

Written by hand because no library streams with a formula guard:
django-import-export builds the file in memory and escapes only a leading "=".
"""

import csv
import datetime
import itertools
import json
from collections import defaultdict

from django.db import connection
from django.db.models import BooleanField
from django.db.models.expressions import RawSQL
from django.http import StreamingHttpResponse
from django.urls import reverse
from django.utils import timezone
from django_countries import countries

from .models import Event, EventActor, Role, Source, Stage

# Multi-valued cells in the CSV hold their items in order, joined by this
# separator; parallel columns (source_titles, source_urls...) line up item by item.
LIST_SEPARATOR = " | "

# (column, description) in download order; the codebook at /data/ reads this.
PUBLIC_COLUMNS = [
    ("id", "Stable numeric identifier of the event."),
    ("title", "Headline of the event."),
    ("date", "Date of the event, YYYY-MM-DD. With month precision it is the 1st of the month, with year precision 1 January."),
    ("end_date", "Last day of a span (an investigation, a consultation), YYYY-MM-DD; empty for single events."),
    ("date_precision", "How exactly the date is known: day, month or year."),
    ("event_type", "Kind of development (see event types)."),
    ("stage", "Stage the measure reached with this event (see stages); empty when it is not a step of a measure."),
    ("measure", "Title of the policy measure the event belongs to, if any."),
    ("jurisdiction_codes", "ISO 3166-1 alpha-2 codes of the countries concerned; EU for the European Union."),
    ("jurisdiction_names", "Names of those jurisdictions, in the same order."),
    ("actors", "Actors with their role in brackets: “Huawei (target)”. Roles are initiator, target, involved."),
    ("topics", "Editorial tags."),
    ("source_titles", "Titles of the sources, numbered as on the event page."),
    ("source_publishers", "Publisher of each source, in the same order."),
    ("source_dates", "Publication date of each source, YYYY-MM-DD, or an empty item when unknown."),
    ("source_urls", "Address of each source, or an empty item when there is none."),
    ("summary", "Plain-text summary as shown on the timeline card."),
    ("url", "Permanent public address of the event."),
    ("published_at", "When the event was published, ISO 8601 in UTC."),
    ("updated_at", "When the event last changed, ISO 8601 in UTC."),
]
EDITORIAL_COLUMNS = [
    ("status", "Editorial status: draft, review or published."),
    ("created_by", "Username of the editor who created the event."),
    ("updated_by", "Username of the editor who last changed it."),
]

# OWASP's CSV injection advice: a cell a spreadsheet would read as a formula
# (or that starts with a control character) is prefixed with a quote.
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r", "\n")
# Relations are fetched once per chunk: a chunk large enough for most filtered
# sets keeps their query count fixed, small enough to keep memory flat.
EXPORT_CHUNK_SIZE = 2000


def _iso_datetime(value):
    return value.astimezone(datetime.UTC).isoformat(timespec="seconds") if value else ""


_EVENT_COLUMNS = [
    "id", "title", "date", "end_date", "date_precision", "event_type__name", "stage", "measure__title",
    "summary", "slug", "publish_at", "updated_at",
]  # fmt: skip
_EDITORIAL_COLUMNS = ["status", "created_by__username", "updated_by__username"]


def _batches(iterable, size):
    iterator = iter(iterable)
    while batch := list(itertools.islice(iterator, size)):
        yield batch


def _grouped(rows):
    """{event id: [rest of the row, ...]} from (event id, ...) rows, in their order."""
    groups = defaultdict(list)
    for event_id, *rest in rows:
        groups[event_id].append(rest)
    return groups


def _of_events(manager, event_ids):
    """The rows of a batch's events. On PostgreSQL the ids go as one array
    parameter: 2,000 placeholders cost more to bind and parse (in Django,
    psycopg and the server) than the query took to run."""
    if connection.vendor != "postgresql":
        return manager.filter(event_id__in=event_ids)
    column = f"{connection.ops.quote_name(manager.model._meta.db_table)}.{connection.ops.quote_name('event_id')}"
    return manager.filter(RawSQL(f"{column} = ANY(%s)", (list(event_ids),), output_field=BooleanField()))


def _relations(event_ids):
    """Every multi-valued column of a batch of events: four queries, whatever the batch's size."""
    return (
        _grouped(
            _of_events(Event.jurisdictions.through.objects, event_ids)
            .order_by("jurisdiction__country")
            .values_list("event_id", "jurisdiction__country")
        ),
        _grouped(_of_events(Event.topics.through.objects, event_ids).order_by("topic__name").values_list("event_id", "topic__name")),
        _grouped(_of_events(EventActor.objects, event_ids).order_by("id").values_list("event_id", "actor__name", "role")),
        _grouped(_of_events(Source.objects, event_ids).order_by("id").values_list("event_id", "title", "publisher", "published_on", "url")),
    )


def export_records(events, base_url, editorial=False):
    """Yield one dict per event, in the queryset's order; list values are the multi-valued columns.

    Rows are read as plain values, not model instances, with a server-side
    cursor, and their relations fetched per batch: the number of queries grows
    with the number of batches, never with the number of rows, and memory
    holds one batch at a time.
    """
    columns = _EVENT_COLUMNS + (_EDITORIAL_COLUMNS if editorial else [])
    country_names = dict(countries)
    stage_names = dict(Stage.choices)
    role_names = {role.value: role.label.lower() for role in Role}
    event_url = base_url + reverse("timeline:event", args=["SLUG"]).replace("SLUG", "{}")
    rows = events.values_list(*columns).iterator(chunk_size=EXPORT_CHUNK_SIZE)
    for batch in _batches(rows, EXPORT_CHUNK_SIZE):
        places, topics, actors, sources = _relations([row[0] for row in batch])
        for row in batch:
            values = dict(zip(columns, row, strict=True))
            pk = values["id"]
            record = {
                "id": pk,
                "title": values["title"],
                "date": values["date"].isoformat(),
                "end_date": values["end_date"].isoformat() if values["end_date"] else "",
                "date_precision": values["date_precision"],
                "event_type": values["event_type__name"],
                "stage": stage_names.get(values["stage"], ""),
                "measure": values["measure__title"] or "",
                "jurisdiction_codes": [code for (code,) in places[pk]],
                "jurisdiction_names": [country_names.get(code, code) for (code,) in places[pk]],
                "actors": [f"{name} ({role_names[role]})" for name, role in actors[pk]],
                "topics": [name for (name,) in topics[pk]],
                "source_titles": [title for title, *_ in sources[pk]],
                "source_publishers": [publisher for _, publisher, *_ in sources[pk]],
                "source_dates": [day.isoformat() if day else "" for *_, day, _ in sources[pk]],
                "source_urls": [url for *_, url in sources[pk]],
                "summary": values["summary"],
                "url": event_url.format(values["slug"]),
                "published_at": _iso_datetime(values["publish_at"]),
                "updated_at": _iso_datetime(values["updated_at"]),
            }
            if editorial:
                record["status"] = values["status"]
                record["created_by"] = values["created_by__username"] or ""
                record["updated_by"] = values["updated_by__username"] or ""
            yield record


def csv_cell(value):
    """Flatten a list, then neutralise a cell a spreadsheet would run as a formula."""
    if isinstance(value, list):
        value = LIST_SEPARATOR.join(value)
    text = str(value)
    if text.startswith(FORMULA_TRIGGERS):
        return "'" + text
    return text


class _Echo:
    """A file-like object whose write() hands the line back to the caller."""

    def write(self, value):
        return value


def _csv_lines(records, columns):
    writer = csv.writer(_Echo(), quoting=csv.QUOTE_ALL)
    # A UTF-8 byte order mark so Excel reads accents ("NÚKIB") correctly.
    yield "\ufeff" + writer.writerow(columns)
    for record in records:
        yield writer.writerow([csv_cell(record[column]) for column in columns])


def _json_chunks(records):
    yield '{"events": ['
    for index, record in enumerate(records):
        yield ("," if index else "") + "\n" + json.dumps(record, ensure_ascii=False)
    yield "\n]}\n"


def export_filename(extension):
    return f"policy-timeline-{timezone.localdate().isoformat()}.{extension}"


def columns_for(editorial):
    return [name for name, _ in PUBLIC_COLUMNS + (EDITORIAL_COLUMNS if editorial else [])]


def csv_response(events, base_url, editorial=False):
    records = export_records(events, base_url, editorial=editorial)
    response = StreamingHttpResponse(_csv_lines(records, columns_for(editorial)), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{export_filename("csv")}"'
    return response


def json_response(events, base_url):
    response = StreamingHttpResponse(_json_chunks(export_records(events, base_url)), content_type="application/json")
    response["Content-Disposition"] = f'attachment; filename="{export_filename("json")}"'
    return response
