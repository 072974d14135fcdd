"""Export rows: the columns of every download, declared once, and the one query that feeds the
CSV, JSON and XLSX downloads, the admin CSV action, the releases and the API.

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
from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import EmptyResultSet
from django.db import connections, transaction
from django.db.models import TextField
from django.db.models.expressions import RawSQL
from django.http import FileResponse, HttpResponse, StreamingHttpResponse
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.cache import add_never_cache_headers
from django.utils.translation import get_language, gettext_noop
from django_countries import countries
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ERROR_CODES, ILLEGAL_CHARACTERS_RE
from openpyxl.utils import get_column_letter

from .models import Stage

logger = logging.getLogger(__name__)

# Multi-valued cells in the CSV hold their items in order, joined by this
# separator; parallel columns (source_titles, source_urls...) line up item by item.
LIST_SEPARATOR = " | "

# What a column holds, which says how each format writes it: the CSV as text,
# the JSON as a number, a string or a list of strings, the spreadsheet as a
# number, a date, a date-time or text, the API's schema as int, list[str] or str.
NUMBER, TEXT, DATE, MOMENT, LIST = "number", "text", "date", "moment", "list"
# The event a row is about, as the export's query names the events table (Django's alias).
_EVENT = '"timeline_event"'
_SECONDS_PG = 'YYYY-MM-DD"T"HH24:MI:SS"+00:00"'
_SECONDS_SQLITE = "%Y-%m-%dT%H:%M:%S+00:00"


class _Sql:
    """SQL text for one database, with the parameters it takes in the order written.

    Columns are written as SQL rather than ORM expressions so that one
    declaration serves both the rows Python reads and the lines PostgreSQL
    formats itself (_formatted_lines). Dates come out as ISO 8601 text in both
    databases (psycopg reads timestamps only in PostgreSQL's default ISO
    DateStyle, so the site relies on it already), times as UTC to the second:
    reading them through Django's converters and formatting them again took a
    fifth of the export's Python time.
    """

    def __init__(self, vendor, context, whole_table=False):
        self.postgresql = vendor == "postgresql"
        self.context = context
        # Whether the query reads (nearly) every event: see name_of().
        self.whole_table = whole_table
        self.params = []

    def param(self, value):
        self.params.append(value)
        return "%s"

    def date(self, column):
        # On SQLite too: Python's sqlite3 module would read a column declared as a date into a date.
        return f"({column})::text" if self.postgresql else f"CAST({column} AS text)"

    def utc_seconds(self, column):
        # The format goes as a parameter: its % signs would need escaping only when the query has others.
        if self.postgresql:
            return f"to_char({column} AT TIME ZONE 'UTC', {self.param(_SECONDS_PG)})"
        return f"strftime({self.param(_SECONDS_SQLITE)}, {column})"

    def name_of(self, table, link, column="name"):
        """`column` of the row of a small table (types, actors, topics, jurisdictions) that `link` points to.

        A page of the API looks it up by primary key. A download reads the
        whole table once, into a JSON object by id that PostgreSQL computes
        once for the query: at a million events the lookups by key (seven an
        event) were a fifth of the query's time. Never a join: in a subquery
        run once per event, PostgreSQL's planner would rather hash a small
        table (the 266 actors of the bench) at every event than look up its
        three rows.
        """
        if self.whole_table and self.postgresql:
            return f"((SELECT jsonb_object_agg(id, {column}) FROM {table}) ->> ({link})::text)"
        return f"(SELECT {column} FROM {table} WHERE id = {link})"

    def lookup(self, mapping, key):
        """`mapping[key]` from a dict sent as one JSON parameter, NULL when absent: labels the site translates."""
        text = self.param(json.dumps(mapping, ensure_ascii=False))
        if self.postgresql:
            return f"({text}::jsonb ->> {key})"
        return f"json_extract({text}, '$.' || {key})"


class _Links:
    """An event's rows in another table, in order, named fields each: the items of its list columns.

    Each list column reads one field of them; the CSV and JSON PostgreSQL writes
    read the rows once for all the columns next to each other that share them.
    """

    def __init__(self, table, fields, order):
        self.table, self.fields, self.order = table, fields, order

    def sql(self, sql):
        fields = ", ".join(f"{value(sql) if callable(value) else value} AS {name}" for name, value in self.fields.items())
        return f'SELECT {fields} FROM {self.table} WHERE event_id = {_EVENT}."id" ORDER BY {self.order}'


def _name_of(table, link, column="name"):
    return lambda sql: sql.name_of(table, link, column)


_JURISDICTIONS = _Links(
    "timeline_event_jurisdictions", {"code": _name_of("timeline_jurisdiction", "jurisdiction_id", "country")}, order="code"
)
# A role's value is its label in lower case: "Huawei (target)".
_ACTORS = _Links(
    "timeline_eventactor", {"actor": lambda sql: f"{sql.name_of('timeline_actor', 'actor_id')} || ' (' || role || ')'"}, order="id"
)
_TOPICS = _Links("timeline_event_topics", {"topic": _name_of("timeline_topic", "topic_id")}, order="topic")
_SOURCES = _Links(
    "timeline_source",
    {"title": "title", "publisher": "publisher", "published_on": lambda sql: f"COALESCE({sql.date('published_on')}, '')", "url": "url"},
    order="id",
)
_CORRECTIONS = _Links(
    "timeline_correction", {"corrected_on": lambda sql: sql.date("corrected_on"), "note": "note"}, order="corrected_on, id"
)


class _Items:
    """A list column's value: one field of each of an event's links, in their order."""

    def __init__(self, links, field):
        self.links, self.field = links, field

    def item(self, sql):
        return self.field(sql) if callable(self.field) else self.field


def _field(name):
    return lambda sql: f'{_EVENT}."{name}"'


def _date(name, empty=False):
    def value(sql):
        text = sql.date(f'{_EVENT}."{name}"')
        return f"COALESCE({text}, '')" if empty else text

    return value


def _utc_seconds(name):
    return lambda sql: f"COALESCE({sql.utc_seconds(f'{_EVENT}.{name}')}, '')"


def _edtf(sql):
    """dates.edtf() in SQL: the date, or the span, cut to its precision."""
    length = f"CASE {_EVENT}.date_precision WHEN 'year' THEN 4 WHEN 'month' THEN 7 ELSE 10 END"
    first, last = (f"substr({sql.date(f'{_EVENT}.{name}')}, 1, {length})" for name in ("date", "end_date"))
    return f"CASE WHEN {_EVENT}.end_date IS NULL OR {first} = {last} THEN {first} ELSE {first} || '/' || {last} END"


def _stage(sql):
    labels = " ".join(f"WHEN {sql.param(value)} THEN {sql.param(str(label))}" for value, label in Stage.choices)
    return f"CASE {_EVENT}.stage {labels} ELSE '' END"


def _url(sql):
    return f"{sql.param(sql.context['event_url_prefix'])} || {_EVENT}.slug || '/'"


def _country_name(sql):
    return f"COALESCE({sql.lookup(sql.context['country_names'], 'code')}, code)"


def _username(link):
    def value(sql):
        user = get_user_model()._meta
        return f"COALESCE((SELECT {user.get_field('username').column} FROM {user.db_table} WHERE id = {_EVENT}.{link}), '')"

    return value


@dataclass(frozen=True)
class Column:
    """A column of every download and release, a field of the API's events, a line of the codebook.

    `value` is how the export's query gets it: SQL (a function of _Sql) over
    the event's own columns, or _Items, a field of its links.
    """

    name: str
    description: str
    kind: str
    value: object


# In download order; the codebook at /data/ reads this and shows each description
# in the reader's language (the column names never change).
PUBLIC_COLUMNS = [
    Column("id", gettext_noop("Stable numeric identifier of the event."), NUMBER, _field("id")),
    Column("title", gettext_noop("Headline of the event."), TEXT, _field("title")),
    Column(
        "date",
        gettext_noop("Date of the event, YYYY-MM-DD. With month precision it is the 1st of the month, with year precision 1 January."),
        DATE,
        _date("date"),
    ),
    Column(
        "end_date",
        gettext_noop(
            "Start of the last day, month or year of a span (an investigation, a consultation), YYYY-MM-DD, "
            "in the same precision as the date; empty for single events."
        ),
        DATE,
        _date("end_date", empty=True),
    ),
    Column("date_precision", gettext_noop("How exactly the date is known: day, month or year."), TEXT, _field("date_precision")),
    Column(
        "date_edtf",
        gettext_noop(
            "The date (or span) written as precisely as it is known, in EDTF (ISO 8601-2): "
            "2018-12-17, 2018-12, 2018, or 2017/2019 for a span."
        ),
        TEXT,
        _edtf,
    ),
    Column(
        "event_type",
        gettext_noop("Kind of development (see event types)."),
        TEXT,
        _name_of("timeline_eventtype", f"{_EVENT}.event_type_id"),
    ),
    Column(
        "stage",
        gettext_noop("Stage the measure reached with this event (see stages); empty when it is not a step of a measure."),
        TEXT,
        _stage,
    ),
    Column(
        "measure",
        gettext_noop("Title of the policy measure the event belongs to, if any."),
        TEXT,
        lambda sql: f"COALESCE((SELECT title FROM timeline_measure WHERE id = {_EVENT}.measure_id), '')",
    ),
    Column(
        "jurisdiction_codes",
        gettext_noop("ISO 3166-1 alpha-2 codes of the countries concerned; EU for the European Union."),
        LIST,
        _Items(_JURISDICTIONS, "code"),
    ),
    Column(
        "jurisdiction_names", gettext_noop("Names of those jurisdictions, in the same order."), LIST, _Items(_JURISDICTIONS, _country_name)
    ),
    Column(
        "actors",
        gettext_noop("Actors with their role in brackets: “Huawei (target)”. Roles are initiator, target, involved."),
        LIST,
        _Items(_ACTORS, "actor"),
    ),
    Column("topics", gettext_noop("Editorial tags."), LIST, _Items(_TOPICS, "topic")),
    Column("source_titles", gettext_noop("Titles of the sources, numbered as on the event page."), LIST, _Items(_SOURCES, "title")),
    Column("source_publishers", gettext_noop("Publisher of each source, in the same order."), LIST, _Items(_SOURCES, "publisher")),
    Column(
        "source_dates",
        gettext_noop("Publication date of each source, YYYY-MM-DD, or an empty item when unknown."),
        LIST,
        _Items(_SOURCES, "published_on"),
    ),
    Column("source_urls", gettext_noop("Address of each source, or an empty item when there is none."), LIST, _Items(_SOURCES, "url")),
    Column("summary", gettext_noop("Plain-text summary as shown on the timeline card."), TEXT, _field("summary")),
    Column("url", gettext_noop("Permanent public address of the event."), TEXT, _url),
    Column("published_at", gettext_noop("When the event was published, ISO 8601 in UTC."), MOMENT, _utc_seconds("publish_at")),
    Column(
        "updated_at",
        gettext_noop("When the event last changed (a correction included), ISO 8601 in UTC."),
        MOMENT,
        _utc_seconds("updated_at"),
    ),
    Column(
        "body", gettext_noop("The longer account, in Markdown (raw HTML is not allowed); empty when there is none."), TEXT, _field("body")
    ),
    Column(
        "correction_dates",
        gettext_noop("Date each public correction was made, YYYY-MM-DD, oldest first; empty when the event was never corrected."),
        LIST,
        _Items(_CORRECTIONS, "corrected_on"),
    ),
    Column(
        "correction_notes",
        gettext_noop("What each correction changed, in the same order as correction_dates."),
        LIST,
        _Items(_CORRECTIONS, "note"),
    ),
]
# The version of the columns above and of what their values mean, named in every
# release (/data/releases/). Bump it with any change to them; tests/test_releases.py
# holds the columns of each version.
CODEBOOK_VERSION = "2"
EDITORIAL_COLUMNS = [
    Column("status", "Editorial status: draft, review or published.", TEXT, _field("status")),
    Column("created_by", "Username of the editor who created the event.", TEXT, _username("created_by_id")),
    Column("updated_by", "Username of the editor who last changed it.", TEXT, _username("updated_by_id")),
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


def _columns(editorial):
    return PUBLIC_COLUMNS + (EDITORIAL_COLUMNS if editorial else [])


def columns_for(editorial):
    """The names of the columns, in order."""
    return [column.name for column in _columns(editorial)]


def _context(base_url):
    """What the columns' SQL takes from Python, read at each export: the site's address and the
    names the site translates (a country's, a stage's label)."""
    return {
        "event_url_prefix": base_url + reverse("timeline:event", args=["SLUG"]).split("SLUG")[0],
        "country_names": _country_names(get_language()),
    }


@functools.lru_cache(maxsize=16)
def _country_names(language):
    """Every country's name in `language`: django-countries sorts them all by name at each reading (0.5 ms)."""
    with translation.override(language):
        return {code: str(name) for code, name in countries}


def _raw(vendor, context, write, whole_table=False):
    sql = _Sql(vendor, context, whole_table)
    return RawSQL(write(sql), sql.params, output_field=TextField())


def _groups(columns):
    """`columns` in runs: a scalar column alone, list columns next to each other that read the same links together."""
    for links, group in itertools.groupby(columns, lambda column: getattr(column.value, "links", None)):
        if links is None:
            yield from ([column] for column in group)
        else:
            yield list(group)


def _selected(group, vendor, context, whole_table=False):
    """One expression for a run of _groups(): a scalar's value, or the rows of the links its lists read,
    each an array of the fields (PostgreSQL) or JSON (SQLite): a subquery to plan and run per links, not per column."""
    first = group[0]
    if not isinstance(first.value, _Items):
        return _raw(vendor, context, first.value, whole_table)

    def write(sql):
        items = ", ".join(column.value.item(sql) for column in group)
        rows = first.value.links.sql(sql)
        if sql.postgresql:
            return f"ARRAY(SELECT ARRAY[{items}] FROM ({rows}) AS links)"
        # SQLite 3.40 has no ORDER BY inside an aggregate: json_group_array reads the ordered rows of a derived table.
        return f"(SELECT json_group_array(json_array({items})) FROM ({rows}) AS links)"

    return _raw(vendor, context, write, whole_table)


def _cells(values, groups, postgresql):
    """A row's cells from the values of _selected(): each run's lists split into its columns."""
    row = []
    for value, group in zip(values, groups, strict=True):
        if len(group) == 1 and group[0].kind != LIST:
            row.append(value)
            continue
        links = value if postgresql else json.loads(value)
        row.extend([link[index] for link in links] for index in range(len(group)))
    return row


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


def _in_export_transaction(events, read):
    """The rows `read(connection)` yields, read in batches inside a transaction of their own.

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
            for row in read(connection):
                yield row
                sent += 1
    except Exception:
        logger.exception("Export failed after %d rows; its events: %s", sent, events.query)
        raise


def export_rows(events, base_url, editorial=False):
    """Yield one list per event, cells in `columns_for(editorial)` order, in the queryset's order.

    Multi-valued cells are lists. One query, read through a server-side
    cursor in a transaction (see _in_export_transaction): the database
    computes every cell, lists included.
    """
    vendor = connections[events.db].vendor
    context = _context(base_url)
    groups = list(_groups(_columns(editorial)))
    query = events.values_list(*[_selected(group, vendor, context, whole_table=True) for group in groups])
    rows = _in_export_transaction(events, lambda connection: query.iterator(chunk_size=FETCH_SIZE))
    return (_cells(values, groups, vendor == "postgresql") for values in rows)


_PUBLIC_GROUPS = list(_groups(PUBLIC_COLUMNS))


def public_objects(events, base_url, keep=()):
    """Each event of `events` (a page of the API), in order: (its fields named in `keep`, its public
    columns as the JSON download's object).

    On PostgreSQL the objects written ahead (export_lines.py), looked up by
    key: computing each event's lists took half of an API page's time. On
    SQLite computed in the query, as a download's rows are.
    """
    connection = connections[events.db]
    if connection.vendor == "postgresql":
        from .export_lines import stored_lines_sql

        try:
            sql, params = stored_lines_sql(events, base_url, ("json",), keep)
        except EmptyResultSet:
            # Events no row can match (no ids at all): the ORM answers these with no query, so does this.
            return []
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            return [(row[:-1], json.loads(row[-1])) for row in cursor.fetchall()]
    context = _context(base_url)
    values = [_selected(group, connection.vendor, context) for group in _PUBLIC_GROUPS]
    names = columns_for(False)
    return [
        (row[: len(keep)], dict(zip(names, _cells(row[len(keep) :], _PUBLIC_GROUPS, False), strict=True)))
        for row in events.values_list(*keep, *values)
    ]


# --- lines PostgreSQL writes itself --------------------------------------------

_TRIGGER_CODES = ", ".join(str(ord(trigger)) for trigger in FORMULA_TRIGGERS)


def _csv_cell_sql(write):
    """csv_cell() and csv_line()'s quoting in SQL of the text `write()` gives, never NULL.

    The text is written three times, each with its own parameters; a value
    named more than once is computed once (a column of the inner query, or
    one aggregate: PostgreSQL computes identical aggregates once).
    """
    guarded = f"CASE WHEN ascii({write()}) IN ({_TRIGGER_CODES}) THEN '''' || {write()} ELSE {write()} END"
    return "'\"' || replace(" + guarded + ", '\"', '\"\"') || '\"'"


def _cell_sql(form, column, value):
    """A scalar column's cell, from the inner query's column `value`."""
    if form == "csv":
        return "'\"' || " + value + "::text || '\"'" if column.kind == NUMBER else _csv_cell_sql(lambda: value)
    # As json.dumps(ensure_ascii=False) writes it: to_json() escapes text the same way.
    return f"'{json.dumps(column.name)}: ' || " + (f"{value}::text" if column.kind == NUMBER else f"to_json({value})::text")


def _list_cell_sql(form, column, item):
    """A list column's cell from its links' rows: `item()` writes the SQL of one item."""
    if form == "csv":
        return _csv_cell_sql(lambda: f"COALESCE(string_agg({item()}, '{LIST_SEPARATOR}'), '')")
    return f"'{json.dumps(column.name)}: [' || COALESCE(string_agg(to_json({item()})::text, ', '), '') || ']'"


def _links_cells_sql(form, links, columns, separator):
    """How to write the cells of `columns`, lists of the same `links`, from one subquery that reads them once."""

    def write(sql):
        cells = [_list_cell_sql(form, column, functools.partial(column.value.item, sql)) for column in columns]
        return f"(SELECT {separator.join(cells)} FROM ({links.sql(sql)}) AS links)"

    return write


# Between the cells of a line, as SQL.
_SEPARATORS = {"csv": " || ',' || ", "json": " || ', ' || "}


def _line_cells(form, columns):
    """Each run of _groups(columns) as (columns, value, cell): `value(sql)` writes the SQL of what the run
    shows, to be computed once (a column of an inner query); `cell(reference)` writes its cells
    from that column. The four source columns are one run: one subquery reads the sources once."""
    for group in _groups(columns):
        column = group[0]
        if isinstance(column.value, _Items):
            yield group, _links_cells_sql(form, column.value.links, group, _SEPARATORS[form]), str
        else:
            yield group, column.value, functools.partial(_cell_sql, form, column)


def _line_sql(form, cells):
    """A whole line from the SQL of its cells: the CSV's ends with CRLF, the JSON object is braced."""
    joined = _SEPARATORS[form].join(cells)
    return joined + r" || E'\r\n'" if form == "csv" else f"'{{' || {joined} || '}}'"


def _formatted_lines(events, columns, base_url, form):
    """The SQL of each event's CSV line ("csv") or JSON object ("json"), as csv_line() and json_object() write them.

    Python then only joins the lines, so a download runs at the speed of the
    query. The columns' values are an inner query's (OFFSET 0 keeps it a
    query of its own, so a value is computed once however often its cell
    names it). The list columns next to each other that read the same links
    (the four source columns) are written by one subquery, which reads the
    links once.
    """
    vendor = connections[events.db].vendor
    context = _context(base_url)
    selected, cells = {}, []
    for _, value, cell in _line_cells(form, columns):
        alias = f"c{len(selected)}"
        selected[alias] = _raw(vendor, context, value, whole_table=True)
        cells.append(cell(f'x."{alias}"'))
    inner, params = events.values(**selected).query.sql_with_params()
    if not events.query.is_sliced:
        inner += " OFFSET 0"
    return f"SELECT {_line_sql(form, cells)} FROM ({inner}) AS x", params


def _lines(events, base_url, form, editorial=False):
    """The lines of _formatted_lines(), read like export_rows()' rows (see _in_export_transaction).

    The public ones come from the lines written ahead (export_lines.py); the
    editorial CSV, a newsroom's own, is computed as it is asked for.
    """
    if editorial:
        sql, params = _formatted_lines(events, _columns(editorial), base_url, form)
    else:
        from .export_lines import stored_lines_sql

        sql, params = stored_lines_sql(events, base_url, (form,))
    return (line for (line,) in _fetched(events, sql, params))


def _fetched(events, sql, params):
    """The rows of `sql`, a query of `events`, read in batches through a cursor (see _in_export_transaction)."""

    def read(connection):
        with connection.chunked_cursor() as cursor:
            cursor.execute(sql, params)
            # The first fetch no bigger than a chunk: the first rows leave as soon as a chunk of them is written.
            size = min(ROWS_PER_CHUNK, FETCH_SIZE)
            while batch := cursor.fetchmany(size):
                yield from batch
                size = FETCH_SIZE

    return _in_export_transaction(events, read)


def release_lines(events, base_url):
    """(id, CSV line, JSON object) of each event, as the full downloads write them, from one query:
    a release's two files and its list of ids agree, whatever is edited while it is written.

    On PostgreSQL from the lines written ahead (a release of a million events
    took 165 s formatting each row in Python).
    """
    if _formats_itself(events):
        from .export_lines import stored_lines_sql

        return _fetched(events, *stored_lines_sql(events, base_url, ("csv", "json"), keep=("id",)))
    columns = columns_for(False)
    return ((row[0], csv_line(row), json_object(columns, row)) for row in export_rows(events, base_url))


def _formats_itself(events):
    """PostgreSQL writes the CSV and JSON lines itself; on SQLite Python formats the rows."""
    return connections[events.db].vendor == "postgresql"


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


def _csv_chunks(events, base_url, editorial):
    # A UTF-8 byte order mark so Excel reads accents ("NÚKIB") correctly.
    yield "\ufeff" + csv_line(columns_for(editorial))
    if _formats_itself(events):
        for chunk in chunks(_lines(events, base_url, "csv", editorial)):
            yield "".join(chunk)
    else:
        for chunk in chunks(export_rows(events, base_url, editorial)):
            yield "".join([csv_line(row) for row in chunk])


def json_object(columns, row):
    return json.dumps(dict(zip(columns, row, strict=True)), ensure_ascii=False)


def _json_chunks(events, base_url):
    yield '{"events": ['
    if _formats_itself(events):
        objects = chunks(_lines(events, base_url, "json"))
    else:
        columns = columns_for(False)
        objects = ([json_object(columns, row) for row in chunk] for chunk in chunks(export_rows(events, base_url)))
    separator = "\n"
    for chunk in objects:
        yield separator + ",\n".join(chunk)
        separator = ",\n"
    yield "\n]}\n"


def export_filename(extension):
    return f"policy-timeline-{timezone.localdate().isoformat()}.{extension}"


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
    return _streaming(_csv_chunks(events, base_url, editorial), "text/csv; charset=utf-8", "csv", capped=not editorial)


def json_response(events, base_url):
    return _streaming(_json_chunks(events, base_url), "application/json", "json", capped=True)


XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
# A worksheet holds 1,048,576 rows, the header included; more events go on to a second sheet.
XLSX_ROWS_PER_SHEET = 1_048_575
# The longest text a cell may hold; a longer body is cut there, with a note saying where to read it whole.
XLSX_MAX_TEXT = 32_767
XLSX_CUT_NOTE = " [cut: the cell limit of spreadsheets; the CSV and JSON downloads hold the whole text]"
_KINDS = {column.name: column.kind for column in PUBLIC_COLUMNS + EDITORIAL_COLUMNS}
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

    converters = {NUMBER: number, DATE: date, MOMENT: moment}
    return [converters.get(_KINDS.get(name), _xlsx_text) for name in columns]


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
