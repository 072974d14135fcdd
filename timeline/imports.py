"""Spreadsheet import into review: rows of a CSV or XLSX file become draft events (or events in review).

django-import-export runs the steps (upload, a dry run shown as a preview,
confirm) and matches rows to events by their `id` column. This module says
how a file is read (the columns of the public CSV download, so a researcher's
download can be edited and sent back), how each cell is understood, and the
rules an import never breaks:

- nothing is published: new events are drafts, or in review when an editor
  asks; an event already in review stays there;
- a published (or scheduled) event is never changed by a file: a row that
  would change one is refused, an unchanged one is left alone;
- nothing is imported while any row has a problem: the editor fixes the file
  and uploads it again, so a second upload cannot create twice the rows that
  went through the first time;
- names that are not known (an actor, a topic, a measure, a type) are errors
  listing them, never created from a spreadsheet: a typo would become a new
  filter value on the public timeline, and an actor needs a kind no cell gives.
"""

import csv
import datetime
import io
import itertools
import logging
import os
import re
import zipfile
from dataclasses import dataclass
from urllib.parse import urlsplit

import reversion
from django import forms
from django.contrib import messages
from django.contrib.admin.models import ADDITION, CHANGE, LogEntry
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.core.validators import URLValidator
from django.db import transaction
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.text import slugify
from django_countries import countries
from import_export import resources
from import_export.admin import ImportMixin
from import_export.formats import base_formats
from import_export.forms import ConfirmImportForm, ImportForm
from import_export.results import RowResult
from openpyxl import load_workbook
from openpyxl.utils.exceptions import InvalidFileException

from .dates import DatePrecision, edtf, parse_typed_date, period_start
from .export import FORMULA_TRIGGERS, LIST_SEPARATOR
from .models import Actor, Event, EventActor, EventType, Jurisdiction, Measure, Role, Source, Stage, Status, Topic
from .roles import PUBLISH_PERMISSION

logger = logging.getLogger(__name__)

# The preview and the import each run in one request, within gunicorn's 30 s.
# 500 new rows (two countries, two actors, a topic, a source each) took 6.9 s
# to preview and 14.9 s to import on PostgreSQL, 4.2 s and 9.4 s on SQLite,
# with this 2-core machine at a load of 6 (25 s to import at a load of 14):
# 16 queries a row (17 on PostgreSQL) and 11 more for its revision. 300 rows keep an import
# well inside the limit on a busy server; an editor splits a larger file.
MAX_ROWS = 300
MAX_FILE_BYTES = 5 * 1024 * 1024

# Columns read, in the order of the public CSV download (timeline/export.py), with what they take.
READ_COLUMNS = {
    "id": "Empty for a new event; the id of an existing draft or event in review to update it.",
    "title": "Required.",
    "date": "Required: 2019, 2019-03, Mar 2019, 2019-03-17 or 17 Mar 2019; the precision follows what is typed.",
    "end_date": "For a span: its last day, month or year, in the same forms.",
    "date_precision": "Optional: day, month or year, to say less than the date typed (the download's 2018-12-01 with month).",
    "date_edtf": "Read when date is empty (2018-12, 2017/2019); when both are filled they must agree.",
    "event_type": "Required: the type's name or slug.",
    "stage": "Optional: under consideration, announced, in effect, lifted or reversed (or considered, in_effect, lifted); needs a measure.",
    "measure": "Optional: the measure's title or slug.",
    "jurisdiction_codes": "ISO codes or English names (DE | France | EU), separated by |.",
    "jurisdiction_names": "Read when jurisdiction_codes is empty; when both are filled they must agree.",
    "actors": "Name or slug and role: Huawei (target) | Deutsche Telekom (initiator). Roles: initiator, target, involved.",
    "topics": "Names or slugs, separated by |.",
    "source_titles": "One item per source, separated by |; the address stands in for a missing title.",
    "source_publishers": "The publisher of each source, in the same order; the address's host stands in for a missing one.",
    "source_dates": "The publication date of each source (2019-03-17), or an empty item.",
    "source_urls": "The web address (http or https) of each source, or an empty item.",
    "summary": "Required: the plain-text summary of the timeline card.",
    "updated_at": "From a download: a row whose event changed on the site after this time is refused, not written over.",
    "body": "Optional: the longer text of the event page, in Markdown; a file without this column leaves an event's as it is.",
}
# In the download but decided by the site, not by a file: the event's address,
# when it was published, its corrections, its status (an import never publishes) and who edited it.
# Corrections are made in the form, with their note, on a published event: never from a file.
IGNORED_COLUMNS = ["url", "published_at", "correction_dates", "correction_notes", "status", "created_by", "updated_by"]
REQUIRED_COLUMNS = ["title", "date", "event_type", "summary"]
SOURCE_COLUMNS = ["source_titles", "source_publishers", "source_dates", "source_urls"]
# Each data row carries its row number in the spreadsheet under this key, so
# blank rows skipped on reading do not shift the numbers an editor is told.
ROW_NUMBER = "(row)"

# What a spreadsheet would run rather than show: a leading "=", or "+", "-",
# "@" before a function call (=HYPERLINK(...), @SUM(...), +cmd|...).
_FORMULA = re.compile(r"^(=|[+\-@]\s*[A-Za-z_][\w.]*\s*[(|])")
_ACTOR_AND_ROLE = re.compile(r"^(?P<name>.*?)\s*\((?P<role>[^()]*)\)$")


class ImportFileError(Exception):
    """A file that cannot be imported at all; the message says why, for the editor."""


class Formula(str):
    """The formula text of a workbook cell, kept apart from values so it can be refused."""


def _key(text):
    """Names compared as an editor means them: case, runs of spaces and surrounding spaces ignored."""
    return " ".join(str(text).split()).casefold()


def _spreadsheet_row(row_number):
    """The data row `row_number` (1 for the first) as the spreadsheet numbers it: the header is row 1."""
    return row_number + 1


def _column_list(names):
    return ", ".join(names)


def _cell_text(value):
    """A workbook value as the text an editor typed: 2019 not 2019.0, a date as 2019-03-17."""
    if value is None:
        return ""
    if isinstance(value, Formula):
        return value
    if isinstance(value, datetime.datetime):
        return value.date().isoformat() if value.time() == datetime.time() else value.isoformat(sep=" ")
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _dataset(header, rows):
    """A tablib Dataset of text cells from a header and (spreadsheet row number, cells) pairs.

    Checks what makes a file unusable as a whole, before any row is read as an event.
    """
    names = [_key(name) for name in header]
    # Columns with no name and nothing in them are what spreadsheets leave at the right.
    keep = [i for i, name in enumerate(names) if name or any(i < len(cells) and _cell_text(cells[i]).strip() for _, cells in rows)]
    names = [names[i] for i in keep]
    if not any(names):
        raise ImportFileError("The file is empty: its first row should name the columns (title, date, event_type, summary…).")
    if "" in names:
        raise ImportFileError(f"Column {names.index('') + 1} has no name in the first row: name it, or delete the column.")
    repeated = sorted({name for name in names if names.count(name) > 1})
    if repeated:
        raise ImportFileError(f"These columns appear twice in the first row: {_column_list(repeated)}. Keep one of each.")
    unknown = [name for name in names if name not in READ_COLUMNS and name not in IGNORED_COLUMNS]
    if unknown:
        raise ImportFileError(
            f"Unknown columns: {_column_list(unknown)}. The columns read are those of the CSV download: {_column_list(READ_COLUMNS)}."
        )
    missing = [name for name in REQUIRED_COLUMNS if name not in names]
    if missing:
        raise ImportFileError(f"Missing columns: {_column_list(missing)}. Every file needs {_column_list(REQUIRED_COLUMNS)}.")
    if not rows:
        raise ImportFileError("The file has its header row but no events below it.")

    import tablib

    dataset = tablib.Dataset(headers=[ROW_NUMBER, *names])
    for number, cells in rows:
        extra = [_cell_text(value) for value in cells[len(header) :] if _cell_text(value).strip()]
        if extra:
            raise ImportFileError(
                f"Row {number} has more cells than the first row has columns ({extra[0]!r} is past the last column). "
                "Is a value with a comma or semicolon in it missing its quotes?"
            )
        padded = [*cells, *[None] * (len(header) - len(cells))]
        dataset.append([number, *(padded[i] if isinstance(padded[i], Formula) else _cell_text(padded[i]) for i in keep)])
    return dataset


def _too_many_rows():
    return ImportFileError(f"The file has more than {MAX_ROWS:,} rows; an import takes at most {MAX_ROWS:,}. Split it into several files.")


def read_csv(data):
    """A Dataset from the bytes of a CSV file: UTF-8 (with or without BOM), separated by commas, semicolons or tabs."""
    if b"\0" in data[:4096]:
        raise ImportFileError("This file is not CSV text. If it is an Excel workbook, give it its .xlsx name and upload it again.")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise ImportFileError(
            "This file is not UTF-8 text, so its accents (NÚKIB) would come out wrong. In Excel, save it as "
            "“CSV UTF-8 (Comma delimited)”; in LibreOffice, choose the character set “Unicode (UTF-8)”; or upload the .xlsx."
        ) from None
    first_line = text.split("\n", 1)[0]
    # Excel writes semicolons where a comma is the decimal mark (most of Europe).
    delimiter = max([",", ";", "\t"], key=first_line.count)
    records = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        header = next(records, [])
        rows = []
        for number, cells in enumerate(records, start=2):
            if any(cell.strip() for cell in cells):
                rows.append((number, cells))
                if len(rows) > MAX_ROWS:
                    raise _too_many_rows()
    except csv.Error as error:
        raise ImportFileError(f"The CSV file cannot be read past row {records.line_num}: {error}.") from None
    return _dataset(header, rows)


def read_xlsx(data):
    """A Dataset from the first sheet of an XLSX workbook; formula cells come as Formula, not as their last value."""
    try:
        # data_only=False: a formula cell reads as its formula, which the import refuses,
        # rather than as the value Excel last showed (or nothing, if no program computed it).
        book = load_workbook(io.BytesIO(data), read_only=True, data_only=False)
    except (zipfile.BadZipFile, InvalidFileException, KeyError, OSError, ValueError):
        raise ImportFileError(
            "This file is not an Excel workbook (.xlsx). Save it from your spreadsheet as “Excel Workbook (.xlsx)” or as CSV UTF-8."
        ) from None
    try:
        sheet_rows = book.active.iter_rows()
        header = [cell.value for cell in next(sheet_rows, [])]
        rows = []
        for number, cells in enumerate(sheet_rows, start=2):
            values = [Formula(cell.value) if cell.data_type == "f" else cell.value for cell in cells]
            if any(_cell_text(value).strip() for value in values):
                rows.append((number, values))
                if len(rows) > MAX_ROWS:
                    raise _too_many_rows()
    finally:
        book.close()
    return _dataset(header, rows)


class SpreadsheetCSV(base_formats.CSV):
    """CSV read as bytes, so a file in another encoding gets a clear message instead of a decoding error."""

    def is_binary(self):
        return True

    def get_read_mode(self):
        return "rb"

    def create_dataset(self, in_stream):
        return read_csv(in_stream)


class SpreadsheetXLSX(base_formats.XLSX):
    def create_dataset(self, in_stream):
        return read_xlsx(in_stream)


IMPORT_FORMATS = [SpreadsheetCSV, SpreadsheetXLSX]
FORMAT_BY_EXTENSION = {".csv": 0, ".xlsx": 1}


def import_statuses(user):
    """The statuses `user` may give imported events: drafts for everyone, in review for editors."""
    if user.has_perm(PUBLISH_PERMISSION):
        return [Status.DRAFT, Status.REVIEW]
    return [Status.DRAFT]


@dataclass
class Incoming:
    """What a row says of an event, for the column groups the file has: compared with the event, then applied."""

    fields: dict
    jurisdictions: list | None = None
    topics: list | None = None
    actors: list | None = None
    sources: list | None = None

    def relations(self):
        return {"jurisdictions": self.jurisdictions, "topics": self.topics, "actors": self.actors, "sources": self.sources}


def _split(cell):
    return [item.strip() for item in cell.split(LIST_SEPARATOR.strip())]


def _items(cell):
    return [item for item in _split(cell) if item]


class _Lookup:
    """Rows of a small table by name (or title) and by slug, compared as _key() does."""

    def __init__(self, queryset, *fields):
        self.by_key = {}
        for row in queryset:
            for field in fields:
                self.by_key.setdefault(_key(getattr(row, field)), row)

    def get(self, text):
        return self.by_key.get(_key(text))


class EventResource(resources.ModelResource):
    """One row, one event: read from the download's columns, checked, and saved as a revision by the importer."""

    class Meta:
        model = Event
        fields = ["id"]
        import_id_fields = ["id"]
        # The preview is rendered from each row's values and outcome (see admin import page).
        skip_diff = True
        store_row_values = True
        store_instance = True
        clean_model_instances = True
        use_transactions = True

    def __init__(self, *, user, status=Status.DRAFT, **kwargs):
        super().__init__(**kwargs)
        self.user = user
        # Never published, whatever the caller or the file asks.
        self.status = status if status in import_statuses(user) else Status.DRAFT
        self.file_name = ""

    # The whole file

    def before_import(self, dataset, **kwargs):
        self.file_name = kwargs.get("file_name") or "a spreadsheet"
        self.columns = set(dataset.headers)
        self.rows_by_id = {}
        self.event_types = _Lookup(EventType.objects.all(), "name", "slug")
        self.measures = _Lookup(Measure.objects.all(), "title", "slug")
        self.topics = _Lookup(Topic.objects.all(), "name", "slug")
        self.actors = _Lookup(Actor.objects.only("id", "name", "slug"), "name", "slug")
        self.jurisdictions = {jurisdiction.code: jurisdiction for jurisdiction in Jurisdiction.objects.all()}
        self.stages = {_key(value): value for value in Stage.values} | {_key(label): value for value, label in Stage.choices}
        self.roles = {_key(value): value for value in Role.values} | {_key(label): value for value, label in Role.choices}

    # One row

    def import_row(self, row, instance_loader, **kwargs):
        """The row in a savepoint of its own, so a row that fails leaves nothing behind, then its revision.

        The revision is made once the event, its actors and sources are saved:
        inside a revision block every save and relation change serialises the
        event again (seven times a row). A dry run, rolled back, makes none.
        """
        try:
            with transaction.atomic():
                row_result = super().import_row(row, instance_loader, **kwargs)
                if not row_result.is_valid():
                    raise _RowRefused(row_result)
                if not kwargs.get("dry_run") and not row_result.is_skip():
                    with reversion.create_revision(atomic=False):
                        reversion.set_user(self.user)
                        reversion.set_comment(f"Imported from “{self.file_name}”.")
                        reversion.add_to_revision(row_result.instance)
        except _RowRefused as refused:
            row_result = refused.row_result
        row_result.number = _spreadsheet_row_of(row, kwargs)
        return row_result

    def get_or_init_instance(self, instance_loader, row):
        """The event the id names, or a new one. An id that names no event is an error, not a new event with that id."""
        text = row.get("id", "").strip()
        if not text:
            return self.init_instance(row), True
        problem = None
        if not text.isdigit():
            problem = f"“{text}” is not an event id: an id is a number, as in the download. Leave it empty for a new event."
        elif int(text) in self.rows_by_id:
            problem = f"Event {text} is also in row {self.rows_by_id[int(text)]}: keep one row per event."
        else:
            self.rows_by_id[int(text)] = row[ROW_NUMBER]
            event = (
                Event.objects.filter(pk=int(text))
                .select_related("updated_by")
                .prefetch_related("jurisdictions", "topics", "event_actors", "sources")
                .first()
            )
            if event is not None and not self.user.has_perm("timeline.change_event"):
                problem = f"You may add events but not change them, and event {text} exists: leave the id empty to add a new one."
            elif event is not None:
                return event, False
            else:
                problem = f"No event has the id {text}. Leave the id empty to add the row as a new event."
        instance = self.init_instance(row)
        instance.import_errors = {"id": [problem]}
        return instance, True

    def import_instance(self, instance, row, **kwargs):
        errors = getattr(instance, "import_errors", {})
        incoming = self._read(row, errors)
        new = instance.pk is None
        if not new and not errors:
            self._check_update(instance, incoming, row, errors)
        for name, value in incoming.fields.items():
            setattr(instance, name, value)
        if new and incoming.fields.get("title"):
            instance.slug = self._free_slug(incoming.fields["title"])
        if instance.date:
            instance.place()
        instance.incoming = incoming
        if errors:
            raise ValidationError(errors)

    def skip_row(self, instance, original, row, import_validation_errors=None):
        return not import_validation_errors and getattr(instance, "unchanged", False)

    def validate_instance(self, instance, import_validation_errors=None, validate_unique=True):
        """The model's own checks (lengths, the end after the date, a stage needs a measure), told by column,
        for the fields whose columns were read without a problem."""
        errors = {column: list(messages) for column, messages in (import_validation_errors or {}).items()}
        # The type and the measure were found among the rows read in before_import: no query to check they exist.
        exclude = {"event_type", "measure"} | set(errors) | {field for field, column in FIELD_COLUMNS.items() if column in errors}
        if exclude & DATE_COLUMNS:
            exclude |= DATE_COLUMNS
        try:
            # Not the check constraints: each is a query, and what they check (dates in order,
            # known values, no publish time) the reading of the row has made sure of.
            instance.full_clean(exclude=exclude, validate_unique=validate_unique, validate_constraints=False)
        except ValidationError as error:
            for field, messages in error.message_dict.items():
                errors.setdefault(FIELD_COLUMNS.get(field, field), []).extend(messages)
        if errors:
            raise ValidationError(errors)

    def after_import(self, dataset, result, **kwargs):
        """Nothing: the library resets the id sequence here, for imports that write ids. This one never does,
        and a reset could set the sequence below an id another editor's save has just taken."""

    def before_save_instance(self, instance, row, **kwargs):
        instance.import_new = instance.pk is None
        if instance.import_new:
            instance.created_by = self.user
        instance.updated_by = self.user
        # A draft moves to review if asked; an event in review never goes back to draft by an import.
        if instance.status != Status.REVIEW:
            instance.status = self.status
        instance.publish_at = None

    def save_m2m(self, instance, row, **kwargs):
        """The event's relations as the row gives them. A new event has none yet, so nothing
        is read first; an updated one's come prefetched (see get_or_init_instance)."""
        incoming, new = instance.incoming, instance.import_new
        for relation, items in (
            (instance.jurisdictions, None if incoming.jurisdictions is None else [self._jurisdiction(c) for c in incoming.jurisdictions]),
            (instance.topics, incoming.topics),
        ):
            if items is not None and new:
                relation.add(*items)
            elif items is not None:
                relation.set(items)
        if incoming.actors is not None:
            self._save_actors(instance, incoming.actors, [] if new else instance.event_actors.all())
        if incoming.sources is not None:
            self._save_sources(instance, incoming.sources, [] if new else instance.sources.all())

    def _jurisdiction(self, code):
        """A country's row, made the first time an event names it (rows of the ISO list, not editorial names)."""
        if code not in self.jurisdictions:
            self.jurisdictions[code] = Jurisdiction.objects.get_or_create(country=code)[0]
        return self.jurisdictions[code]

    # Reading a row

    def _read(self, row, errors):
        def refuse(column, message):
            errors.setdefault(column, []).append(message)

        cells = {}
        for column in self.columns - {ROW_NUMBER}:
            value = row.get(column) or ""
            if isinstance(value, Formula) or _FORMULA.match(value):
                shown = value if len(value) <= 40 else value[:39] + "…"
                refuse(column, f"The cell holds a formula ({shown}), not a value: type the text itself, or paste it as values.")
                value = ""
            elif value.startswith("'") and value[1:].startswith(FORMULA_TRIGGERS):
                # The download's guard against formulas ('=...): the text is what follows the quote.
                value = value[1:]
            cells[column] = value.strip()

        def cell(column):
            return cells.get(column, "")

        fields = {}
        for column in ("title", "summary"):
            if not cell(column) and column not in errors:
                refuse(column, f"The {column} is empty; every event needs one.")
            fields[column] = cell(column)
        if "body" in self.columns:
            fields["body"] = cell("body")
        self._read_dates(cell, refuse, fields, errors)
        event_type = self.event_types.get(cell("event_type"))
        if not cell("event_type"):
            if "event_type" not in errors:
                refuse("event_type", "The event type is empty; every event needs one.")
        elif event_type is None:
            refuse("event_type", f"No event type is called “{cell('event_type')}”. Types: {', '.join(self._names(self.event_types))}.")
        else:
            fields["event_type"] = event_type
        if "stage" in self.columns:
            stage = self.stages.get(_key(cell("stage")), "") if cell("stage") else ""
            if cell("stage") and not stage:
                refuse("stage", f"“{cell('stage')}” is not a stage. Stages: {', '.join(label.lower() for label in Stage.labels)}.")
            fields["stage"] = stage
        if "measure" in self.columns:
            measure = self.measures.get(cell("measure")) if cell("measure") else None
            if cell("measure") and measure is None:
                refuse("measure", f"No measure is called “{cell('measure')}”. Add it under Measures first, or correct the title.")
            fields["measure"] = measure

        incoming = Incoming(fields)
        if {"jurisdiction_codes", "jurisdiction_names"} & self.columns:
            incoming.jurisdictions = self._read_jurisdictions(cell, refuse)
        if "topics" in self.columns:
            topics = [(name, self.topics.get(name)) for name in _items(cell("topics"))]
            unknown = [name for name, topic in topics if topic is None]
            if unknown:
                refuse("topics", f"Not known as topics: {', '.join(unknown)}. Add them under Topics first, or correct the spelling.")
            incoming.topics = list(dict.fromkeys(topic for _, topic in topics if topic))
        if "actors" in self.columns:
            incoming.actors = self._read_actors(cell("actors"), refuse)
        if set(SOURCE_COLUMNS) & self.columns:
            incoming.sources = self._read_sources(cell, refuse)
        return incoming

    def _read_dates(self, cell, refuse, fields, errors):
        """date (or date_edtf), end_date and date_precision, by the admin form's rule: the precision is what was typed,
        or a coarser one chosen in date_precision; both dates are stored as the first day of their period."""
        from_columns = self._typed_dates(cell("date"), cell("end_date"), "date", "end_date", refuse) if cell("date") else None
        from_edtf = None
        if cell("date_edtf"):
            start, _, end = cell("date_edtf").partition("/")
            from_edtf = self._typed_dates(start, end, "date_edtf", "date_edtf", refuse)
        if not cell("date") and not cell("date_edtf") and not {"date", "date_edtf"} & set(errors):
            refuse("date", "The date is empty; every event needs one (2019, 2019-03, Mar 2019 or 2019-03-17).")
        typed = from_columns or from_edtf
        if typed is None:
            return
        (start, start_precision), end = typed
        precision = start_precision
        if cell("date_precision"):
            chosen = _key(cell("date_precision"))
            if chosen not in DatePrecision.values:
                refuse("date_precision", f"“{cell('date_precision')}” is not a precision: write day, month or year, or leave it empty.")
            elif _PRECISION_RANK[chosen] < _PRECISION_RANK[start_precision]:
                refuse("date_precision", f"The date is known to the {start_precision} only, not to the {chosen}: give the full date.")
            else:
                precision = chosen
        if end is not None:
            end_date, end_precision = end
            if _PRECISION_RANK[end_precision] > _PRECISION_RANK[precision]:
                refuse("end_date", f"The end date is known to the {end_precision} only: give the date to the {end_precision} too.")
            end = period_start(end_date, precision)
        result = {"date": period_start(start, precision), "date_precision": precision, "end_date": end}
        if from_columns and from_edtf:
            (edtf_start, edtf_precision), edtf_end = from_edtf
            said = edtf(result["date"], result["end_date"], precision)
            if said != edtf(edtf_start, edtf_end and edtf_end[0], edtf_precision):
                refuse("date_edtf", f"date_edtf says {cell('date_edtf')}, the date columns say {said}: change both, or empty date_edtf.")
        fields.update(result)

    @staticmethod
    def _typed_dates(start_text, end_text, start_column, end_column, refuse):
        """((first day, precision typed), the same for the end or None), or None after refusing what cannot be read."""
        typed = []
        for text, column in ((start_text, start_column), (end_text, end_column)):
            if not text:
                typed.append(None)
                continue
            try:
                typed.append(parse_typed_date(text))
            except ValueError as error:
                message = str(error)
                refuse(column, message if "Mar" in message else f"{message} Also accepted: Mar 2019, 17 Mar 2019.")
                return None
        return tuple(typed)

    def _read_jurisdictions(self, cell, refuse):
        names = dict(countries)
        read = {}
        for column in ("jurisdiction_codes", "jurisdiction_names"):
            codes, unknown = [], []
            for item in _items(cell(column)):
                code = item.upper() if item.upper() in names else countries.by_name(item)
                (codes if code else unknown).append(code or item)
            if unknown:
                refuse(column, f"Not a country's ISO code or English name: {', '.join(unknown)}.")
            if codes:
                read[column] = list(dict.fromkeys(codes))
        if len(read) == 2 and set(read["jurisdiction_codes"]) != set(read["jurisdiction_names"]):
            refuse(
                "jurisdiction_names",
                f"jurisdiction_codes says {', '.join(read['jurisdiction_codes'])} but jurisdiction_names says "
                f"{', '.join(read['jurisdiction_names'])}: change both, or empty one of them.",
            )
        return read.get("jurisdiction_codes") or read.get("jurisdiction_names") or []

    def _read_actors(self, text, refuse):
        pairs, unknown, roleless = [], [], []
        for item in _items(text):
            match = _ACTOR_AND_ROLE.match(item)
            role = self.roles.get(_key(match["role"])) if match else None
            if role is None:
                roleless.append(item)
                continue
            actor = self.actors.get(match["name"])
            if actor is None:
                unknown.append(match["name"])
            elif (actor.pk, role) not in pairs:
                pairs.append((actor.pk, role))
        if roleless:
            refuse(
                "actors",
                f"Give each actor a role in brackets, as in “Huawei (target)”: {', '.join(roleless)}. Roles: initiator, target, involved.",
            )
        if unknown:
            refuse(
                "actors",
                f"Not known as actors: {', '.join(unknown)}. Add them under Actors first (each needs its kind and country), "
                "or correct the spelling.",
            )
        return pairs

    def _read_sources(self, cell, refuse):
        columns = {column: _split(cell(column)) if cell(column) else [] for column in SOURCE_COLUMNS}
        count = max(len(items) for items in columns.values())
        uneven = [column for column, items in columns.items() if items and len(items) != count]
        if uneven:
            refuse(
                uneven[0],
                f"{uneven[0]} has {len(columns[uneven[0]])} items but another source column has {count}: give one item per source, "
                "in the same order, with an empty item where a value is not known (“ | https://…”).",
            )
            return []
        is_url = URLValidator(schemes=["http", "https"])
        sources = []
        for index in range(count):
            title, publisher, published, url = (columns[column][index] if columns[column] else "" for column in SOURCE_COLUMNS)
            number = f"Source {index + 1}" if count > 1 else "The source"
            if url:
                try:
                    is_url(url)
                except ValidationError:
                    refuse("source_urls", f"{number}: “{url}” is not a web address (https://…).")
                    continue
            if not title and not url:
                refuse("source_titles", f"{number} has neither a title nor an address.")
                continue
            published_on = None
            if published:
                try:
                    published_on, precision = parse_typed_date(published)
                except ValueError as error:
                    refuse("source_dates", f"{number}: {error}")
                    continue
                if precision != DatePrecision.DAY:
                    refuse("source_dates", f"{number}: give the day the source was published (2019-03-17), or leave it empty.")
                    continue
            host = urlsplit(url).hostname or ""
            sources.append(
                {
                    "title": title or url,
                    "publisher": publisher or host.removeprefix("www."),
                    "published_on": published_on,
                    "url": url,
                }
            )
        return sources

    @staticmethod
    def _names(lookup):
        return sorted({str(row) for row in lookup.by_key.values()})

    # Updating an existing event

    def _check_update(self, event, incoming, row, errors):
        """Mark an unchanged event to be skipped; refuse a change to a published event, or to one changed since the download."""
        event.unchanged = _current(event, incoming) == _wanted(incoming) and (
            event.status == Status.PUBLISHED or event.status == Status.REVIEW or self.status == event.status
        )
        if event.unchanged:
            return
        if event.status == Status.PUBLISHED:
            errors.setdefault("id", []).append(
                f"Event {event.pk} is published: an import never changes what readers see. Change it in the admin, "
                "where a correction note goes with it, or leave this row as it is on the site."
            )
            return
        downloaded = row.get("updated_at", "").strip()
        if downloaded:
            try:
                downloaded_at = datetime.datetime.fromisoformat(downloaded)
            except ValueError:
                errors.setdefault("updated_at", []).append(
                    f"“{downloaded}” is not a time as the download writes it (2019-03-17T09:30:00+00:00), nor empty."
                )
                return
            if timezone.is_naive(downloaded_at):
                downloaded_at = timezone.make_aware(downloaded_at, datetime.UTC)
            if event.updated_at.replace(microsecond=0) > downloaded_at:
                who = f" by {event.updated_by.get_username()}" if event.updated_by_id else ""
                errors.setdefault("updated_at", []).append(
                    f"Event {event.pk} was changed on the site{who} at {timezone.localtime(event.updated_at):%Y-%m-%d %H:%M}, "
                    "after this file was downloaded. Download it again, or empty updated_at to replace that edit."
                )

    def _free_slug(self, title):
        """The title's slug, numbered (-2, -3...) past the addresses already taken, in one query."""
        base = slugify(title)[:190] or "event"
        taken = set(Event.objects.filter(slug__startswith=base).values_list("slug", flat=True))
        return next(slug for slug in itertools.chain([base], (f"{base}-{n}" for n in itertools.count(2))) if slug not in taken)

    def _save_actors(self, event, pairs, links):
        current = {(link.actor_id, link.role): link for link in links}
        for pair, link in current.items():
            if pair not in pairs:
                link.delete()
        EventActor.objects.bulk_create(
            [EventActor(event=event, actor_id=actor_id, role=role) for actor_id, role in pairs if (actor_id, role) not in current]
        )

    def _save_sources(self, event, wanted, sources):
        """Sources matched by address (or by title when there is none) keep their quote; the others go."""
        current, kept, added = list(sources), set(), []
        for values in wanted:
            match = next(
                (
                    source
                    for source in current
                    if source.pk not in kept and (source.url == values["url"] if values["url"] else source.title == values["title"])
                ),
                None,
            )
            if match is None:
                added.append(Source(event=event, **values))
                continue
            changed = any(getattr(match, name) != value for name, value in values.items())
            for name, value in values.items():
                setattr(match, name, value)
            if changed:
                match.save()
            kept.add(match.pk)
        for source in current:
            if source.pk not in kept:
                source.delete()
        Source.objects.bulk_create(added)


_PRECISION_RANK = {DatePrecision.DAY: 0, DatePrecision.MONTH: 1, DatePrecision.YEAR: 2}
# Model fields named by the model's own validation, and the column that sets each.
FIELD_COLUMNS = {"slug": "title", "placed_on": "date", NON_FIELD_ERRORS: NON_FIELD_ERRORS}
DATE_COLUMNS = {"date", "end_date", "date_precision", "date_edtf", "placed_on"}


class _RowRefused(Exception):
    def __init__(self, row_result):
        self.row_result = row_result


def _spreadsheet_row_of(row, kwargs):
    return row.get(ROW_NUMBER) or _spreadsheet_row(kwargs["row_number"])


def _wanted(incoming):
    """What a row asks for, in the form _current() reads an event in."""
    values = {name: getattr(value, "pk", value) for name, value in incoming.fields.items()}
    for name, items in incoming.relations().items():
        if items is None:
            continue
        if name == "topics":
            values[name] = {topic.pk for topic in items}
        elif name == "sources":
            values[name] = [tuple(source.values()) for source in items]
        else:
            values[name] = set(items)
    return values


def _current(event, incoming):
    """The event's values for the columns the file has (its relations come prefetched)."""
    # event_type_id, not event_type: the id is on the row, the type would be a query.
    values = {name: getattr(event, event._meta.get_field(name).attname) for name in incoming.fields}
    relations = incoming.relations()
    if relations["jurisdictions"] is not None:
        values["jurisdictions"] = {j.country.code for j in event.jurisdictions.all()}
    if relations["topics"] is not None:
        values["topics"] = {topic.pk for topic in event.topics.all()}
    if relations["actors"] is not None:
        values["actors"] = {(link.actor_id, link.role) for link in event.event_actors.all()}
    if relations["sources"] is not None:
        values["sources"] = [(s.title, s.publisher, s.published_on, s.url) for s in event.sources.all()]
    return values


def row_problems(row_result):
    """(column, message) pairs of a row that cannot be imported, in plain words."""
    problems = []
    if row_result.validation_error is not None:
        for column, messages in row_result.validation_error.message_dict.items():
            for message in messages:
                problems.append(("" if column == NON_FIELD_ERRORS else column, message))
    for error in row_result.errors:
        problems.append(("", f"This row could not be saved ({error.error}). Check its values, or ask for help with this message."))
    return problems


OUTCOMES = {
    RowResult.IMPORT_TYPE_NEW: "New",
    RowResult.IMPORT_TYPE_UPDATE: "Update",
    RowResult.IMPORT_TYPE_SKIP: "Unchanged",
    RowResult.IMPORT_TYPE_INVALID: "Problem",
    RowResult.IMPORT_TYPE_ERROR: "Problem",
}


@dataclass
class PreviewRow:
    number: int
    outcome: str
    event_id: str
    title: str
    date: str
    problems: list


def preview_rows(result):
    """Every row of an import's result for the preview: its spreadsheet row, what happens to it, and its problems."""
    rows = []
    for row_result in result.rows:
        values = row_result.row_values
        rows.append(
            PreviewRow(
                number=row_result.number,
                outcome=OUTCOMES.get(row_result.import_type, row_result.import_type),
                # The file's id: a new row's id in a dry run is gone with the rollback.
                event_id=str(values.get("id") or "").strip(),
                title=str(values.get("title") or ""),
                date=str(values.get("date") or values.get("date_edtf") or ""),
                problems=row_problems(row_result),
            )
        )
    return rows


class EventImportForm(ImportForm):
    """The upload: the format follows the file's name; editors choose drafts or in review."""

    status = forms.ChoiceField(
        label="Import as",
        choices=[(Status.DRAFT, "Drafts"), (Status.REVIEW, "In review")],
        initial=Status.DRAFT,
        required=False,
        widget=forms.RadioSelect,
        help_text="Nothing is published by an import. An event already in review stays in review.",
    )

    def __init__(self, formats, resources, **kwargs):
        super().__init__(formats, resources, **kwargs)
        self.fields["format"].required = False
        self.fields["format"].widget = forms.HiddenInput()
        upload = self.fields["import_file"]
        upload.label = "Spreadsheet"
        upload.widget.attrs = {"accept": ",".join(FORMAT_BY_EXTENSION)}
        upload.help_text = f"A .csv (UTF-8) or .xlsx file of at most {MAX_ROWS:,} rows, with the columns of the CSV download."

    @property
    def media(self):
        # The library's script guesses the format from the file; the server reads it from the name.
        return forms.Media()

    def clean(self):
        cleaned = super().clean()
        upload = cleaned.get("import_file")
        if upload is None:
            return cleaned
        extension = os.path.splitext(upload.name)[1].lower()
        if extension not in FORMAT_BY_EXTENSION:
            self.add_error("import_file", f"“{upload.name}” is not a .csv or .xlsx file. Save the spreadsheet as one of them.")
        elif upload.size > MAX_FILE_BYTES:
            self.add_error(
                "import_file", f"The file is {upload.size / 1024 / 1024:.1f} MB; the limit is {MAX_FILE_BYTES // 1024 // 1024} MB."
            )
        else:
            cleaned["format"] = str(FORMAT_BY_EXTENSION[extension])
        return cleaned


class EventConfirmImportForm(ConfirmImportForm):
    status = forms.CharField(widget=forms.HiddenInput(), required=False)


class EventImportMixin(ImportMixin):
    """Import on the events changelist: upload, preview with every row's problems, confirm.

    Only for users who may add events; no export is added (the CSV download and
    the changelist's CSV action already stream every event, with a formula guard).
    """

    import_formats = IMPORT_FORMATS
    resource_classes = [EventResource]
    import_form_class = EventImportForm
    confirm_form_class = EventConfirmImportForm
    import_template_name = "admin/timeline/event/import.html"

    def has_import_permission(self, request):
        return self.has_add_permission(request)

    def create_import_form(self, request):
        form = super().create_import_form(request)
        if Status.REVIEW not in import_statuses(request.user):
            del form.fields["status"]
        return form

    def _blank_import_form(self, request):
        form = self.get_import_form_class(request)(self.get_import_formats(), self.get_import_resource_classes(request))
        if Status.REVIEW not in import_statuses(request.user):
            del form.fields["status"]
        return form

    def get_confirm_form_initial(self, request, import_form):
        initial = super().get_confirm_form_initial(request, import_form)
        if import_form is not None:
            initial["status"] = import_form.cleaned_data.get("status", Status.DRAFT)
        return initial

    def get_import_resource_kwargs(self, request, **kwargs):
        status = getattr(kwargs.get("form"), "cleaned_data", {}).get("status")
        request.import_status = status if status in import_statuses(request.user) else Status.DRAFT
        return {"user": request.user, "status": request.import_status}

    def add_data_read_fail_error_to_form(self, form, error):
        if isinstance(error, ImportFileError):
            form.add_error("import_file", str(error))
        else:
            logger.warning("An import file could not be read", exc_info=error)
            form.add_error("import_file", "This file could not be read as CSV or Excel. Save it again from your spreadsheet and retry.")

    def import_action(self, request, **kwargs):
        response = super().import_action(request, **kwargs)
        return self._with_preview(request, response)

    def process_import(self, request, **kwargs):
        try:
            return super().process_import(request, **kwargs)
        except FileNotFoundError:
            # Confirmed twice (a double click), or the preview is older than the server's temporary files.
            messages.error(request, "That upload is no longer waiting to be imported: check the events, or upload the file again.")
            return redirect("admin:timeline_event_import")

    def process_dataset(self, dataset, form, request, **kwargs):
        request.import_file_name = form.cleaned_data.get("original_file_name", "")
        # The confirmed import is all or nothing, as its preview was: a row that became
        # invalid since (an event published meanwhile) stops the whole file.
        return super().process_dataset(dataset, form, request, rollback_on_validation_errors=True, **kwargs)

    def process_result(self, result, request):
        if result.has_errors() or result.has_validation_errors():
            messages.error(request, "Nothing was imported: the events changed since the preview. Here is the file checked again.")
            context = {
                **self.admin_site.each_context(request),
                "title": "Import events",
                "opts": self.model._meta,
                "form": self._blank_import_form(request),
                "result": result,
            }
            request.current_app = self.admin_site.name
            return self._with_preview(request, TemplateResponse(request, [self.import_template_name], context))
        self.generate_log_entries(result, request)
        totals = result.totals
        as_what = "drafts" if request.import_status == Status.DRAFT else "in review"
        messages.success(
            request,
            f"Imported from “{request.import_file_name}”: {totals[RowResult.IMPORT_TYPE_NEW]} new events ({as_what}), "
            f"{totals[RowResult.IMPORT_TYPE_UPDATE]} updated, {totals[RowResult.IMPORT_TYPE_SKIP]} unchanged.",
        )
        return redirect("admin:index")

    def generate_log_entries(self, result, request):
        flags = {RowResult.IMPORT_TYPE_NEW: ADDITION, RowResult.IMPORT_TYPE_UPDATE: CHANGE}
        for import_type, flag in flags.items():
            events = [row.instance for row in result.rows if row.import_type == import_type]
            if events:
                LogEntry.objects.log_actions(
                    request.user.pk, events, flag, change_message=f"Imported from “{request.import_file_name}”.", single_object=False
                )

    def _with_preview(self, request, response):
        context = getattr(response, "context_data", None)
        if context is None:
            return response
        context["title"] = "Import events"
        context["columns"] = [*READ_COLUMNS.items()]
        context["ignored_columns"] = IGNORED_COLUMNS
        context["max_rows"] = MAX_ROWS
        if result := context.get("result"):
            rows = preview_rows(result)
            context["preview"] = rows
            context["problem_rows"] = [row for row in rows if row.problems]
            context["file_problems"] = [str(error.error) for error in result.base_errors]
            context["counts"] = {outcome: sum(row.outcome == outcome for row in rows) for outcome in ("New", "Update", "Unchanged")}
        if confirm := context.get("confirm_form"):
            context["import_as"] = "drafts" if confirm.initial.get("status", Status.DRAFT) == Status.DRAFT else "in review"
        return response
