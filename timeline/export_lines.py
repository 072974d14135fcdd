"""Export lines: every event's public CSV line and JSON object, written ahead, so a download on
PostgreSQL reads them instead of computing each event's lists (issue 12).

A download then costs about what reading one table costs. Written by the
same Column declarations as the live download (export._line_cells), split
around the cells that depend on the request (the event's URL starts with the
site's address), which the download composes from the event's row.

Never stale, by construction:

- A line is read only when its `fingerprint` is the current format's (a hash
  of the SQL that writes it, the labels it puts in included): a deploy that
  changes a column, or a download in another language, never reads old lines.
- A missing line is computed by the download itself, in the same query
  (COALESCE with the same SQL the fill runs), so nothing depends on lines
  being there.
- PostgreSQL triggers on every table the lines are written from (derived from
  that SQL, install_triggers() after each migrate) delete the lines of the
  events a statement changes, in its transaction: the admin, imports, bulk
  actions, the shell and migrations alike.
- A fill computes lines under LOCK held alone, in a statement that starts
  after it got it, while every statement that deletes lines holds it shared
  until it commits: a line is never computed from data that a transaction
  still uncommitted is changing, then kept after its commit.

Lines are written again off the readers' path: after an editor's commit, by
a thread of the process (refill_soon), and by `manage.py fill_export_lines`.
"""

import hashlib
import json
import logging
import re
import threading
import time

from django.apps import apps
from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.db import DEFAULT_DB_ALIAS, IntegrityError, connections, router, transaction
from django.db.models import F, FilteredRelation, Q, TextField
from django.db.models.expressions import RawSQL
from django.db.models.functions import Coalesce
from django.utils import translation

from . import export
from .models import Event, ExportLine

logger = logging.getLogger(__name__)

FORMS = ("csv", "json")
# The advisory lock of migration 0015's trigger function.
LOCK = 120012
# Lines a fill writes per transaction: an editor's save that deletes lines waits for at most one batch.
BATCH = 500
# How long a fill tries for the lock before giving up (editors' transactions hold it shared).
LOCK_WAIT_SECONDS = 60
# Seconds the refilling thread stays alive without work.
REFILL_IDLE_SECONDS = 30
_TABLE_READ = re.compile(r'\b(?:FROM|JOIN)\s+"?([A-Za-z_][A-Za-z0-9_]*)"?', re.IGNORECASE)
_TRIGGERS = {
    "insert": "AFTER INSERT ON {table} REFERENCING NEW TABLE AS changed FOR EACH STATEMENT",
    "update": "AFTER UPDATE ON {table} REFERENCING OLD TABLE AS changed_before NEW TABLE AS changed FOR EACH STATEMENT",
    "delete": "AFTER DELETE ON {table} REFERENCING OLD TABLE AS changed FOR EACH STATEMENT",
    "truncate": "AFTER TRUNCATE ON {table} FOR EACH STATEMENT",
}


class _Layout:
    """How one format's line is stored: the SQL of its segments for the current events row, and the
    runs of columns between them that depend on the request, written at download time.

    A run whose SQL reads the site's address from the context (a KeyError here,
    where the context has none) is such a run.
    """

    def __init__(self, form, context):
        start, end = ("''", r"E'\r\n'") if form == "csv" else ("'{'", "'}'")
        separator = "','" if form == "csv" else "', '"
        self.per_request, self.params, values, segments, current = [], [], [], [], [start]
        for index, (_, value, cell) in enumerate(export._line_cells(form, export.PUBLIC_COLUMNS)):
            if index:
                current.append(separator)
            sql = export._Sql("postgresql", context, whole_table=True)
            try:
                text = value(sql)
            except KeyError:
                segments.append(current)
                current = []
                self.per_request.append((value, cell))
                continue
            self.params.extend(sql.params)
            alias = f"c{len(values)}"
            values.append(f'{text} AS "{alias}"')
            current.append(cell(f'x."{alias}"'))
        current.append(end)
        segments.append(current)
        # OFFSET 0: an inner query of its own, so a value its cell names three times is computed once.
        arrays = ", ".join(" || ".join(segment) for segment in segments)
        self.sql = f"(SELECT ARRAY[{arrays}] FROM (SELECT {', '.join(values)} OFFSET 0) AS x)"


class _Format:
    """Both forms' layouts in one language, and the fingerprint of what they write."""

    def __init__(self, language):
        with translation.override(language):
            context = {key: value for key, value in export._context("").items() if key != "event_url_prefix"}
            self.layouts = {form: _Layout(form, context) for form in FORMS}
        text = json.dumps([[layout.sql, layout.params] for layout in self.layouts.values()], ensure_ascii=False)
        self.fingerprint = hashlib.sha256(text.encode()).hexdigest()[:32]


_formats = {}


def current_format(language=None):
    """The format of the lines a download in `language` (the active one by default) reads."""
    language = language or translation.get_language() or settings.LANGUAGE_CODE
    if language not in _formats:
        _formats[language] = _Format(language)
    return _formats[language]


def stored_lines_sql(events, base_url, forms, keep=()):
    """The SQL of export._formatted_lines() for the public columns, reading the stored lines.

    One query: the events as filtered and ordered, LEFT JOINed to their lines
    of the current format; an event without one gets it computed here by the
    fill's own SQL. The URL's cell is written from the event's slug. Each row
    holds the event's fields named in `keep`, then its line of each form of
    `forms` ("csv", "json"), in that order.
    """
    fmt = current_format()
    context = export._context(base_url)
    selected, lines = {}, []
    for form in forms:
        layout = fmt.layouts[form]
        segments = f"{form}_segments"
        selected[segments] = Coalesce(F(f"line__{form}"), RawSQL(layout.sql, layout.params, output_field=ArrayField(TextField())))
        pieces = [f'x."{segments}"[1]']
        for index, (value, cell) in enumerate(layout.per_request):
            alias = f"{form}_r{index}"
            selected[alias] = export._raw("postgresql", context, value, whole_table=True)
            pieces += [cell(f'x."{alias}"'), f'x."{segments}"[{index + 2}]']
        lines.append(" || ".join(pieces))
    line = FilteredRelation("export_line", condition=Q(export_line__fingerprint=fmt.fingerprint))
    inner, params = events.annotate(line=line).values(*keep, **selected).query.sql_with_params()
    if not events.query.is_sliced:
        inner += " OFFSET 0"
    kept = "".join(f'x."{name}", ' for name in keep)
    return f"SELECT {kept}{', '.join(lines)} FROM ({inner}) AS x", params


def _fill_sql(fmt):
    """(sql, params) of one batch: write the lines of the events among %(ids)s that have none of `fmt`."""
    csv, json_ = fmt.layouts["csv"], fmt.layouts["json"]
    events = Event._meta.db_table
    sql = (
        f'INSERT INTO {ExportLine._meta.db_table} (event_id, fingerprint, csv, json) SELECT "{events}"."id", %s, {csv.sql}, {json_.sql} '
        f'FROM "{events}" WHERE "{events}"."id" = ANY(%s) AND NOT EXISTS '
        f'(SELECT 1 FROM {ExportLine._meta.db_table} l WHERE l.event_id = "{events}"."id" AND l.fingerprint = %s) '
        "ON CONFLICT (event_id) DO UPDATE SET fingerprint = EXCLUDED.fingerprint, csv = EXCLUDED.csv, json = EXCLUDED.json"
    )
    return sql, [fmt.fingerprint, *csv.params, *json_.params]


def _missing_sql():
    """The ids of the events without a line of a format (%s), in one anti-join.

    Once, then written by batches of ids: asked batch by batch ("the next N
    without a line"), PostgreSQL read every line of the table for each batch,
    and a fill of a million events took ten minutes.
    """
    events, lines = Event._meta.db_table, ExportLine._meta.db_table
    return (
        f'SELECT e.id FROM "{events}" e WHERE NOT EXISTS (SELECT 1 FROM {lines} l WHERE l.event_id = e.id AND l.fingerprint = %s) '
        "ORDER BY e.id"
    )


def tables_read():
    """The tables a line is written from, read off the fill's SQL: each needs the triggers."""
    sql, _ = _fill_sql(current_format(settings.LANGUAGE_CODE))
    return sorted({table for table in _TABLE_READ.findall(sql)} - {ExportLine._meta.db_table})


def _database():
    return router.db_for_write(ExportLine) or DEFAULT_DB_ALIAS


def fill(batch=BATCH, lock_wait=LOCK_WAIT_SECONDS, using=None):
    """Write the line of every event that has none of the current format; return how many were written.

    The events without one are found first; their lines are written in
    batches, each its own transaction under LOCK (see the module's
    docstring), in the downloads' language. A batch that meets an event
    deleted meanwhile is run again. Events added meanwhile wait for the next fill.
    """
    using = using or _database()
    connection = connections[using]
    if connection.vendor != "postgresql":
        return 0
    fmt = current_format(settings.LANGUAGE_CODE)
    sql, params = _fill_sql(fmt)
    with connection.cursor() as cursor:
        cursor.execute(_missing_sql(), [fmt.fingerprint])
        missing = [row[0] for row in cursor.fetchall()]
    written = 0
    for start in range(0, len(missing), batch):
        ids = missing[start : start + batch]
        for attempt in range(3):
            try:
                with transaction.atomic(using=using), connection.cursor() as cursor:
                    _lock(cursor, lock_wait)
                    export._tune_for_export(connection)
                    cursor.execute(sql, [*params, ids, fmt.fingerprint])
                    written += cursor.rowcount
                break
            except IntegrityError:
                # An event deleted meanwhile: the next attempt no longer finds it.
                if attempt == 2:
                    raise
    return written


def _lock(cursor, wait):
    """Take LOCK alone without queueing for it: a fill waiting in the queue would hold up every editor's save behind it."""
    deadline = time.monotonic() + wait
    while True:
        cursor.execute("SELECT pg_try_advisory_xact_lock(%s)", [LOCK])
        if cursor.fetchone()[0]:
            return
        if time.monotonic() > deadline:
            raise TimeoutError("Export lines: writers held the lock for longer than the fill waits.")
        time.sleep(0.05)


# --- invalidation: the triggers -------------------------------------------------


def _models_by_table():
    return {model._meta.db_table: model for model in apps.get_models(include_auto_created=True)}


def _event_column(model):
    """The column of `model` that names its event: the id of an event, the event of a link, else None."""
    if model is Event:
        return Event._meta.pk.column
    for field in model._meta.concrete_fields:
        if field.is_relation and field.related_model is Event:
            return field.column
    return None


def events_of(table, tables):
    """SQL that selects the events whose lines show rows of `table`, from a transition table named %s.

    An event or one of its links names its event; a table of names (actors,
    topics...) is reached through the events and links among `tables` that point to it.
    """
    models = _models_by_table()
    model = models[table]
    if column := _event_column(model):
        return f"SELECT {column} FROM %s"
    parts = []
    for other_table in tables:
        other = models[other_table]
        event_column = _event_column(other)
        if event_column is None:
            continue
        for field in other._meta.concrete_fields:
            if field.is_relation and field.related_model is model:
                target = field.target_field.column
                parts.append(f"SELECT {event_column} FROM {other_table} WHERE {field.column} IN (SELECT {target} FROM %s)")
    if not parts:
        raise LookupError(f"Export lines read {table}, but no event or link of an event points to it.")
    return " UNION ALL ".join(parts)


def trigger_kinds(table):
    """The statements that delete lines on `table`. Not a delete of events: their lines go by the
    foreign key's cascade, and a delete holding an event's row while it waited for LOCK would
    deadlock with a fill waiting for that row."""
    return [kind for kind in _TRIGGERS if not (table == Event._meta.db_table and kind == "delete")]


def install_triggers(using=DEFAULT_DB_ALIAS):
    """Attach the invalidating triggers to every table the lines are read from, and to no other.

    Run after every migrate: the tables follow the current columns.
    """
    connection = connections[using]
    if connection.vendor != "postgresql":
        return
    with transaction.atomic(using=using), connection.cursor() as cursor:
        cursor.execute("SELECT to_regclass(%s) IS NOT NULL", [ExportLine._meta.db_table])
        if not cursor.fetchone()[0]:
            return
        tables = tables_read()
        cursor.execute("SELECT DISTINCT tgrelid::regclass::text FROM pg_trigger WHERE tgname LIKE 'timeline_exportline\\_%%'")
        for (table,) in cursor.fetchall():
            if table not in tables:
                for kind in _TRIGGERS:
                    cursor.execute(f"DROP TRIGGER IF EXISTS timeline_exportline_{kind} ON {table}")
        for table in tables:
            argument = events_of(table, tables).replace("'", "''")
            for kind in _TRIGGERS:
                cursor.execute(f"DROP TRIGGER IF EXISTS timeline_exportline_{kind} ON {table}")
            for kind in trigger_kinds(table):
                cursor.execute(
                    f"CREATE TRIGGER timeline_exportline_{kind} {_TRIGGERS[kind].format(table=table)} "
                    f"EXECUTE FUNCTION timeline_exportline_invalidate('{argument}')"
                )


def _after_migrate(sender, using=DEFAULT_DB_ALIAS, **kwargs):
    install_triggers(using)


# --- refilling after an edit ----------------------------------------------------

_wake = threading.Event()
_thread_lock = threading.Lock()
_thread = None


def refill_soon(**kwargs):
    """Have this process's refilling thread write the missing lines, after the commit that deleted them."""
    global _thread
    if not settings.EXPORT_LINES_REFILL:
        return
    _wake.set()
    with _thread_lock:
        if _thread is None or not _thread.is_alive():
            _thread = threading.Thread(target=_refill, name="export-lines", daemon=True)
            _thread.start()


def _refill():
    global _thread
    try:
        while True:
            if not _wake.wait(REFILL_IDLE_SECONDS):
                with _thread_lock:
                    if not _wake.is_set():
                        _thread = None
                        return
            _wake.clear()
            try:
                fill()
            except Exception:
                logger.exception("Export lines: the refill failed; downloads compute the missing lines meanwhile.")
    finally:
        connections.close_all()


def _edited(sender, **kwargs):
    if connections[_database()].vendor == "postgresql":
        transaction.on_commit(refill_soon, using=_database())


def connect():
    """Refill after the commit of any edit of a model whose table a line is written from (the
    triggers, not these signals, keep lines from going stale; these only write them back sooner)."""
    from django.db.models.signals import m2m_changed, post_delete, post_migrate, post_save

    post_migrate.connect(_after_migrate, sender=apps.get_app_config("timeline"), dispatch_uid="export-lines-triggers")
    models = _models_by_table()
    for table in tables_read():
        model = models[table]
        for signal in (post_save, post_delete):
            signal.connect(_edited, sender=model, dispatch_uid=f"export-lines-{table}-{signal}")
        if model._meta.auto_created:
            m2m_changed.connect(_edited, sender=model, dispatch_uid=f"export-lines-{table}-m2m")
