"""Export rows: one function feeds the admin CSV action and the public downloads.

Written by hand because no library streams with a formula guard:
django-import-export builds the file in memory and escapes only a leading "=".
"""

import datetime
import functools
import itertools
import json
import logging
import tempfile
import threading
import weakref

from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.db import connections, transaction
from django.db.models import Func, OuterRef, Subquery, TextField, Value
from django.db.models.functions import Cast
from django.http import FileResponse, HttpResponse, StreamingHttpResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import add_never_cache_headers
from django.utils.translation import gettext_noop
from django_countries import countries
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ERROR_CODES, ILLEGAL_CHARACTERS_RE
from openpyxl.utils import get_column_letter

from .dates import edtf
from .models import Actor, Correction, Event, EventActor, Jurisdiction, Source, Stage, Topic

logger = logging.getLogger(__name__)

# Multi-valued cells in the CSV hold their items in order, joined by this
# separator; parallel columns (source_titles, source_urls...) line up item by item.
LIST_SEPARATOR = " | "

# (column, description) in download order; the codebook at /data/ reads this and
# shows each description in the reader's language (the column names never change).
PUBLIC_COLUMNS = [
    ("id", gettext_noop("Stable numeric identifier of the event.")),
    ("title", gettext_noop("Headline of the event.")),
    (
        "date",
        gettext_noop("Date of the event, YYYY-MM-DD. With month precision it is the 1st of the month, with year precision 1 January."),
    ),
    (
        "end_date",
        gettext_noop(
            "Start of the last day, month or year of a span (an investigation, a consultation), YYYY-MM-DD, "
            "in the same precision as the date; empty for single events."
        ),
    ),
    ("date_precision", gettext_noop("How exactly the date is known: day, month or year.")),
    (
        "date_edtf",
        gettext_noop(
            "The date (or span) written as precisely as it is known, in EDTF (ISO 8601-2): "
            "2018-12-17, 2018-12, 2018, or 2017/2019 for a span."
        ),
    ),
    ("event_type", gettext_noop("Kind of development (see event types).")),
    ("stage", gettext_noop("Stage the measure reached with this event (see stages); empty when it is not a step of a measure.")),
    ("measure", gettext_noop("Title of the policy measure the event belongs to, if any.")),
    ("jurisdiction_codes", gettext_noop("ISO 3166-1 alpha-2 codes of the countries concerned; EU for the European Union.")),
    ("jurisdiction_names", gettext_noop("Names of those jurisdictions, in the same order.")),
    ("actors", gettext_noop("Actors with their role in brackets: “Huawei (target)”. Roles are initiator, target, involved.")),
    ("topics", gettext_noop("Editorial tags.")),
    ("source_titles", gettext_noop("Titles of the sources, numbered as on the event page.")),
    ("source_publishers", gettext_noop("Publisher of each source, in the same order.")),
    ("source_dates", gettext_noop("Publication date of each source, YYYY-MM-DD, or an empty item when unknown.")),
    ("source_urls", gettext_noop("Address of each source, or an empty item when there is none.")),
    ("summary", gettext_noop("Plain-text summary as shown on the timeline card.")),
    ("url", gettext_noop("Permanent public address of the event.")),
    ("published_at", gettext_noop("When the event was published, ISO 8601 in UTC.")),
    ("updated_at", gettext_noop("When the event last changed (a correction included), ISO 8601 in UTC.")),
    ("body", gettext_noop("The longer account, in Markdown (raw HTML is not allowed); empty when there is none.")),
    (
        "correction_dates",
        gettext_noop("Date each public correction was made, YYYY-MM-DD, oldest first; empty when the event was never corrected."),
    ),
    ("correction_notes", gettext_noop("What each correction changed, in the same order as correction_dates.")),
]
# The version of the columns above and of what their values mean, named in every
# release (/data/releases/). Bump it with any change to them; tests/test_releases.py
# holds the columns of each version.
CODEBOOK_VERSION = "2"
EDITORIAL_COLUMNS = [
    ("status", "Editorial status: draft, review or published."),
    ("created_by", "Username of the editor who created the event."),
    ("updated_by", "Username of the editor who last changed it."),
]

# OWASP's CSV injection advice: a cell a spreadsheet would read as a formula
# (or that starts with a control character) is prefixed with a quote.
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r", "\n")
# Rows per round trip of the server-side cursor: memory holds one fetch.
FETCH_SIZE = 2000
# Rows per chunk handed to the response: a yield per row cost more than formatting the row.
ROWS_PER_CHUNK = 500
# How the export's transaction plans its one query on PostgreSQL (see _tune_for_export).
POSTGRESQL_EXPORT_SETTINGS = {"jit": "off", "random_page_cost": "1.1"}
# What a download refused by the cap tells the client: a full download takes
# about half a minute at a million events.
RETRY_AFTER_SECONDS = 30


class _Concat(Func):
    """Text joined with ||: Concat() wraps every part in COALESCE, and none of these is ever NULL."""

    template = "(%(expressions)s)"
    arg_joiner = " || "
    output_field = TextField()


class _UtcSeconds(Func):
    """A timestamp as ISO 8601 text in UTC to the second: "2019-01-11T10:00:00+00:00".

    Written by the database: Django reads PostgreSQL's timestamps through a
    loader written in Python, and reading two per row and formatting them
    again took a fifth of the export's Python time.
    """

    output_field = TextField()

    def as_postgresql(self, compiler, connection):
        return self.as_sql(
            compiler, connection, template="""to_char(%(expressions)s AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"+00:00"')"""
        )

    def as_sqlite(self, compiler, connection):
        # SQLite holds Django's datetimes as UTC text. The format goes as a
        # parameter: in the SQL, its % signs would need escaping only when
        # the query has other parameters.
        sql, params = compiler.compile(self.source_expressions[0])
        return f"strftime(%s, {sql})", ("%Y-%m-%dT%H:%M:%S+00:00", *params)


class _Tuple(Func):
    """Several columns as one list item: an array on PostgreSQL, a JSON array on SQLite."""

    output_field = TextField()

    def as_postgresql(self, compiler, connection):
        return self.as_sql(compiler, connection, template="ARRAY[%(expressions)s]")

    def as_sqlite(self, compiler, connection):
        return self.as_sql(compiler, connection, function="json_array")


class _ListOf(Subquery):
    """The items of an event's related rows, in order, as one Python list per event.

    PostgreSQL builds an array (psycopg reads it as a list; an array of
    _Tuple arrays is a two-dimensional one). SQLite 3.40 has no ORDER BY
    inside an aggregate, so json_group_array reads the ordered rows from a
    derived table; the subtype that marks a json_array() as JSON does not
    survive that table, hence json() around a _Tuple item.
    """

    template = "ARRAY(%(subquery)s)"

    def __init__(self, manager, item, order_by):
        self.nested = isinstance(item, _Tuple)
        order = [order_by] if isinstance(order_by, str) else order_by
        rows = manager.filter(event_id=OuterRef("pk")).values(item=item).order_by(*order)
        super().__init__(rows, output_field=ArrayField(TextField()))

    def as_sqlite(self, compiler, connection):
        item = 'json("item")' if self.nested else '"item"'
        return self.as_sql(compiler, connection, template=f"(SELECT json_group_array({item}) FROM (%(subquery)s))")

    def get_db_converters(self, connection):
        if connection.vendor == "sqlite":
            return [*super().get_db_converters(connection), lambda value, expression, connection: json.loads(value)]
        return super().get_db_converters(connection)


def _by_id(model, link, column):
    """A column of the row a link points to, read by primary key.

    Not a join: in a subquery run once per event, PostgreSQL's planner would
    rather hash a small table (the 266 actors of the bench) at every event
    than look up its three rows: 2.5 s instead of 0.4 s for the actors of
    100,000 events.
    """
    return Subquery(model.objects.filter(pk=OuterRef(link)).order_by().values(column))


def _select(editorial):
    """What the main query selects: the cells of `columns_for(editorial)` in that order, but
    for the jurisdiction names and the event's address, which export_rows() makes, and
    the four source columns, which come as one list of [title, publisher, date, url]."""
    # Dates as text are ISO 8601 in both databases (psycopg reads timestamps only
    # in PostgreSQL's default ISO DateStyle, so the site relies on it already).
    return [
        "id", "title", Cast("date", TextField()), Cast("end_date", TextField()), "date_precision", "event_type__name", "stage",
        "measure__title",
        _ListOf(Event.jurisdictions.through.objects, _by_id(Jurisdiction, "jurisdiction_id", "country"), order_by="item"),
        # A role's value is its label in lower case: "Huawei (target)".
        _ListOf(EventActor.objects, _Concat(_by_id(Actor, "actor_id", "name"), Value(" ("), "role", Value(")")), order_by="id"),
        _ListOf(Event.topics.through.objects, _by_id(Topic, "topic_id", "name"), order_by="item"),
        _ListOf(Source.objects, _Tuple("title", "publisher", Cast("published_on", TextField()), "url"), order_by="id"),
        "summary", "slug", _UtcSeconds("publish_at"), _UtcSeconds("updated_at"), "body",
        _ListOf(Correction.objects, _Tuple(Cast("corrected_on", TextField()), "note"), order_by=("corrected_on", "id")),
        *(["status", "created_by__username", "updated_by__username"] if editorial else []),
    ]  # fmt: skip


def _tune_for_export(connection):
    """Plan the export's query for a long read, for this transaction only (SET LOCAL).

    jit: at 100,000 events and up the query's cost switches JIT compilation
    on, which spent 0.6-0.9 s before the first row of a full export and won
    nothing back. random_page_cost: with the default 4, looking up an
    actor's name by primary key costs more than reading the whole 266-row
    table, so PostgreSQL scanned it three times per event; at 1.1 (the usual
    value for SSDs, and this data is cached) it uses the index: the full
    export's query at 100,000 events took 3.8 s instead of 7.2 s.
    """
    if connection.vendor == "postgresql":
        names = list(POSTGRESQL_EXPORT_SETTINGS)
        with connection.cursor() as cursor:
            # One statement for all of them; set_config(..., true) is SET LOCAL.
            cursor.execute(
                "SELECT " + ", ".join(["set_config(%s, %s, true)"] * len(names)),
                [item for name in names for item in (name, POSTGRESQL_EXPORT_SETTINGS[name])],
            )


def _query_rows(events, editorial):
    """The export query's rows, read in batches inside a transaction of their own.

    In autocommit Django declares its server-side cursor WITH HOLD, and
    PostgreSQL then computes the whole result before the first row: 35 s at
    a million events, longer than gunicorn let a worker stay silent. Inside
    a transaction the cursor is an ordinary one, planned to yield its first
    rows early (the event index walked in order, each event's lists looked
    up as it goes). savepoint=False: the export only reads, so inside an
    outer transaction (the tests') it needs no savepoint of its own.

    A failure mid-way is logged with what was asked and how far it got,
    then raised again: the server ends the chunked response abnormally, so
    the client sees a broken download, never a short one that looks whole.
    """
    connection = connections[events.db]
    sent = 0
    try:
        with transaction.atomic(using=events.db, savepoint=False):
            _tune_for_export(connection)
            for row in events.values_list(*_select(editorial)).iterator(chunk_size=FETCH_SIZE):
                yield row
                sent += 1
    except Exception:
        logger.exception("Export failed after %d rows; its events: %s", sent, events.query)
        raise


def export_rows(events, base_url, editorial=False):
    """Yield one list per event, cells in `columns_for(editorial)` order, in the queryset's order.

    Multi-valued cells are lists. One query, read through a server-side
    cursor in a transaction (see _query_rows): the database aggregates the
    relations and writes the dates, Python only fills in names and addresses.
    """
    return _rows(_query_rows(events, editorial), base_url, editorial)


@functools.cache
def _selected():
    """The public export's SELECT over every event, built once per process: resolving its
    subqueries took longer (7-20 ms) than running it for a page of 50 events."""
    return Event.objects.values_list(*_select(False))


def public_rows_by_id(ids, base_url):
    """export_rows() of the public events among `ids`, in one fetch: a page of the API
    (at most a few hundred rows) needs neither the downloads' cursor nor their planner settings."""
    return _rows(_selected().public().filter(pk__in=ids), base_url, editorial=False)


def _rows(query_rows, base_url, editorial):
    country_names = dict(countries)
    # Text, not the lazy labels: the files are written in English (timeline/i18n.py, ENGLISH_ONLY).
    stage_names = {value: str(label) for value, label in Stage.choices}
    event_url = base_url + reverse("timeline:event", args=["SLUG"]).replace("SLUG", "{}")
    for (pk, title, date, end_date, precision, event_type, stage, measure, codes, actors, topics, sources,
         summary, slug, published_at, updated_at, body, corrections, *editorial_values) in query_rows:  # fmt: skip
        row = [
            pk,
            title,
            date,
            end_date or "",
            precision,
            edtf(date, end_date, precision),
            event_type,
            stage_names.get(stage, ""),
            measure or "",
            codes,
            [country_names.get(code, code) for code in codes],
            actors,
            topics,
            [source[0] for source in sources],
            [source[1] for source in sources],
            [source[2] or "" for source in sources],
            [source[3] for source in sources],
            summary,
            event_url.format(slug),
            published_at or "",
            updated_at or "",
            body,
            [correction[0] for correction in corrections],
            [correction[1] for correction in corrections],
        ]
        if editorial:
            status, created_by, updated_by = editorial_values
            row += [status, created_by or "", updated_by or ""]
        yield row


def csv_cell(value):
    """Flatten a list, then neutralise a cell a spreadsheet would run as a formula."""
    if isinstance(value, list):
        value = LIST_SEPARATOR.join(value)
    text = str(value)
    if text.startswith(FORMULA_TRIGGERS):
        return "'" + text
    return text


def chunks(rows):
    """Lists of up to ROWS_PER_CHUNK rows."""
    while chunk := list(itertools.islice(rows, ROWS_PER_CHUNK)):
        yield chunk


def csv_line(row):
    """One line as csv.writer(quoting=csv.QUOTE_ALL) writes it, each cell through csv_cell().

    csv.writer looks at every character of a cell in turn, which took twice
    as long as everything else the export does with a row; with every cell
    quoted, the format comes down to doubling the quotes inside cells.
    """
    return '"' + '","'.join([csv_cell(value).replace('"', '""') for value in row]) + '"\r\n'


def _csv_chunks(rows, columns):
    # A UTF-8 byte order mark so Excel reads accents ("NÚKIB") correctly.
    yield "\ufeff" + csv_line(columns)
    for chunk in chunks(rows):
        yield "".join([csv_line(row) for row in chunk])


def json_object(columns, row):
    return json.dumps(dict(zip(columns, row, strict=True)), ensure_ascii=False)


def _json_chunks(rows, columns):
    yield '{"events": ['
    separator = "\n"
    for chunk in chunks(rows):
        yield separator + ",\n".join(json_object(columns, row) for row in chunk)
        separator = ",\n"
    yield "\n]}\n"


def export_filename(extension):
    return f"policy-timeline-{timezone.localdate().isoformat()}.{extension}"


def columns_for(editorial):
    return [name for name, _ in PUBLIC_COLUMNS + (EDITORIAL_COLUMNS if editorial else [])]


class _DownloadSlots:
    """Public downloads streaming in this process, at most settings.DOWNLOADS_PER_PROCESS.

    A full download holds a worker thread for as long as it streams; the cap
    keeps the other threads (config/gunicorn.conf.py) for readers' pages.
    """

    def __init__(self):
        self._lock = threading.Lock()
        self.busy = 0

    def take(self):
        with self._lock:
            if self.busy >= settings.DOWNLOADS_PER_PROCESS:
                return False
            self.busy += 1
            return True

    def give_back(self):
        with self._lock:
            self.busy -= 1


download_slots = _DownloadSlots()


class _HoldingSlot:
    """A response's chunks that give the download slot back when the response is closed.

    WSGI servers close every response, finished or abandoned; a response
    dropped unread without close (Django's test client does that) gives it
    back when it is collected.
    """

    def __init__(self, chunks):
        self._chunks = chunks
        self._release = weakref.finalize(self, download_slots.give_back)

    def __iter__(self):
        return iter(self._chunks)

    def close(self):
        try:
            self._chunks.close()
        finally:
            self._release()


def _too_many_downloads():
    response = HttpResponse(
        f"Too many downloads are running on this server right now. Please try again in {RETRY_AFTER_SECONDS} seconds.\n",
        status=503,
        content_type="text/plain; charset=utf-8",
    )
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    add_never_cache_headers(response)
    return response


def _streaming(chunks, content_type, extension, capped):
    if capped:
        if not download_slots.take():
            chunks.close()
            return _too_many_downloads()
        chunks = _HoldingSlot(chunks)
    response = StreamingHttpResponse(chunks, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{export_filename(extension)}"'
    return response


def csv_response(events, base_url, editorial=False):
    """The CSV download. A public one is refused (503, Retry-After) while this process streams
    DOWNLOADS_PER_PROCESS others; editors' exports from the admin are not capped, so the
    public's downloads never lock a newsroom out of its own data.
    """
    chunks = _csv_chunks(export_rows(events, base_url, editorial=editorial), columns_for(editorial))
    return _streaming(chunks, "text/csv; charset=utf-8", "csv", capped=not editorial)


def json_response(events, base_url):
    chunks = _json_chunks(export_rows(events, base_url), columns_for(False))
    return _streaming(chunks, "application/json", "json", capped=True)


XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
# A worksheet holds 1,048,576 rows, the header included; more events go on to a second sheet.
XLSX_ROWS_PER_SHEET = 1_048_575
# The longest text a cell may hold; a longer body is cut there, with a note saying where to read it whole.
XLSX_MAX_TEXT = 32_767
XLSX_CUT_NOTE = " [cut: the cell limit of spreadsheets; the CSV and JSON downloads hold the whole text]"
_XLSX_DATES = {"date", "end_date"}
_XLSX_MOMENTS = {"published_at", "updated_at"}
_XLSX_WIDTHS = {"id": 9, "title": 50, "date": 12, "end_date": 12, "summary": 60, "url": 40}


def _xlsx_text(sheet, value):
    """A text cell that is never a formula nor an error code, with what XML cannot hold removed.

    openpyxl reads a string that starts with "=" as a formula and "#N/A" as an
    error: those get a cell typed as text. Unlike in the CSV, no apostrophe is
    added: a text cell is never run, and the value stays as it was written.
    """
    if isinstance(value, list):
        value = LIST_SEPARATOR.join(value)
    if not value:
        return None
    value = ILLEGAL_CHARACTERS_RE.sub("", value)
    if len(value) > XLSX_MAX_TEXT:
        value = value[: XLSX_MAX_TEXT - len(XLSX_CUT_NOTE)] + XLSX_CUT_NOTE
    if value.startswith("=") or value in ERROR_CODES:
        cell = WriteOnlyCell(sheet, value)
        cell.data_type = "s"
        return cell
    return value


def _xlsx_cells(columns):
    """Per column, how its value becomes a cell: dates as dates, times as (UTC) date-times, the id a number."""

    def date(sheet, text):
        return datetime.date.fromisoformat(text) if text else None

    def moment(sheet, text):
        # Spreadsheets have no time zones: the codebook says these are UTC.
        return datetime.datetime.fromisoformat(text).replace(tzinfo=None) if text else None

    def number(sheet, value):
        return value

    return [
        number if name == "id" else date if name in _XLSX_DATES else moment if name in _XLSX_MOMENTS else _xlsx_text for name in columns
    ]


def write_xlsx(rows, columns, target):
    """Write rows as an .xlsx workbook to `target` (a file), one row at a time: openpyxl's write-only
    mode keeps a row in memory, and its strings inline (no shared-string table growing with the rows)."""
    workbook = Workbook(write_only=True)
    converters = _xlsx_cells(columns)

    def new_sheet():
        sheet = workbook.create_sheet("events" if not workbook.worksheets else f"events {len(workbook.worksheets) + 1}")
        sheet.freeze_panes = "A2"
        for index, name in enumerate(columns, start=1):
            if name in _XLSX_WIDTHS:
                sheet.column_dimensions[get_column_letter(index)].width = _XLSX_WIDTHS[name]
        sheet.append(columns)
        return sheet

    sheet, room = new_sheet(), XLSX_ROWS_PER_SHEET
    for row in rows:
        if not room:
            sheet, room = new_sheet(), XLSX_ROWS_PER_SHEET
        sheet.append([convert(sheet, value) for convert, value in zip(converters, row, strict=True)])
        room -= 1
    workbook.save(target)


def xlsx_response(events, base_url):
    """The .xlsx download: written to a temporary file (a workbook is a zip, whose index comes
    last), then sent from it. Capped like the other public downloads while it is written."""
    if not download_slots.take():
        return _too_many_downloads()
    try:
        target = tempfile.TemporaryFile()
        try:
            write_xlsx(export_rows(events, base_url), columns_for(False), target)
        except BaseException:
            target.close()
            raise
    finally:
        download_slots.give_back()
    target.seek(0)
    return FileResponse(target, as_attachment=True, filename=export_filename("xlsx"), content_type=XLSX_CONTENT_TYPE)
