"""Export rows: one function feeds the admin CSV action and the public downloads.

Written by hand because no library streams with a formula guard:
django-import-export builds the file in memory and escapes only a leading "=".
"""

import csv
import datetime
import json

from django.http import StreamingHttpResponse
from django.utils import timezone

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


def export_records(events, base_url, editorial=False):
    """Yield one dict per event; list values are the multi-valued columns.

    Relations come in batches per chunk, so the number of queries grows with
    the number of chunks, never with the number of rows.
    """
    events = events.prefetch_related(None).with_relations()
    if editorial:
        events = events.select_related("created_by", "updated_by")
    for event in events.iterator(chunk_size=EXPORT_CHUNK_SIZE):
        sources = list(event.sources.all())
        jurisdictions = list(event.jurisdictions.all())
        record = {
            "id": event.pk,
            "title": event.title,
            "date": event.date.isoformat(),
            "end_date": event.end_date.isoformat() if event.end_date else "",
            "date_precision": event.date_precision,
            "event_type": event.event_type.name,
            "stage": event.get_stage_display() if event.stage else "",
            "measure": event.measure.title if event.measure else "",
            "jurisdiction_codes": [j.code for j in jurisdictions],
            "jurisdiction_names": [j.name for j in jurisdictions],
            "actors": [str(link) for link in event.event_actors.all()],
            "topics": [topic.name for topic in event.topics.all()],
            "source_titles": [s.title for s in sources],
            "source_publishers": [s.publisher for s in sources],
            "source_dates": [s.published_on.isoformat() if s.published_on else "" for s in sources],
            "source_urls": [s.url for s in sources],
            "summary": event.summary,
            "url": base_url + event.get_absolute_url(),
            "published_at": _iso_datetime(event.publish_at),
            "updated_at": _iso_datetime(event.updated_at),
        }
        if editorial:
            record["status"] = event.status
            record["created_by"] = event.created_by.get_username() if event.created_by else ""
            record["updated_by"] = event.updated_by.get_username() if event.updated_by else ""
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
