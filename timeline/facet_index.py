"""The facet index: every event's facet values as columns, shared by every process, current after each edit.

Faceted search counts, for each facet, the events that match every other
active filter. Asked of the database, that is one grouped query per facet
over the wide event rows; search engines keep facet values in columns
instead, and so does this module: one array per event column (when it
becomes public, its days, type, stage, measure) and, per link table (places,
actors, topics), its links in event order, in value order, and as a row of
value ids per event, counted with numpy.

Three parts, so that no reader ever waits for a full build and the memory
does not multiply with the processes:

- A **snapshot** of every event, written as plain .npy files to a directory
  (FACET_INDEX_DIR) by one process at a time (a file lock), then swapped in
  by renaming. Every process memory-maps the same files read-only, so their
  pages live once in the operating system's page cache however many workers
  read them. `manage.py build_facet_index` writes it; gunicorn runs that
  before it starts its workers (config/gunicorn.conf.py).
- A **delta**: the events and named values (types, countries, actors,
  topics, measures) edited since the snapshot, listed by the FacetChange
  log (changes.py) and read afresh from the database when the data version
  changes: a few small queries, the same in every process. The snapshot's
  rows of those events are masked out and their current rows counted
  instead, so an edit shows in the counts at once.
- **Compaction**: when the delta holds more than FACET_DELTA_LIMIT events, a
  process starts `build_facet_index` in a child process (its own
  interpreter, so no request thread waits on its work) and keeps counting
  from the old snapshot and the delta until the new one is there.

On PostgreSQL the snapshot also lists, for each common word of the search
vectors, the events that hold it: the counts of a words search then read
those lists instead of the ids of every match from the events table.

The same masks find a filtered view's pages (page_window): the snapshot
also keeps its events' order on the timeline, (sort_date, id), so a page is
the first events of the mask after the cursor in that order, the delta's
rows merged in, without asking the database to pass over the rows between.

Which events are public is decided when counting, from the moment each one
becomes public (models.visible_from), so a scheduled event counts the second
it goes live, as `Event.objects.public()` lists it.
"""

import datetime
import fcntl
import functools
import hashlib
import itertools
import json
import logging
import os
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from collections import OrderedDict
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

import numpy as np
from django.conf import settings
from django.db import connection, connections
from django.db.models import BigIntegerField, Case, Func, IntegerField, Value, When
from django.db.models.expressions import RawSQL
from django.db.models.functions import Coalesce
from django_countries import countries

from . import search
from .models import (
    VISIBLE_FROM,
    Actor,
    ChangeKind,
    Correction,
    Event,
    EventActor,
    EventType,
    FacetChange,
    Jurisdiction,
    Measure,
    Stage,
    Topic,
)
from .replica import reading_connection

logger = logging.getLogger(__name__)

# Stage codes: 0 for "no stage", then the stages in their lifecycle order.
STAGE_VALUES = ["", *Stage.values]
_NEVER = np.iinfo(np.int64).max
_EPOCH = datetime.datetime(1970, 1, 1, tzinfo=datetime.UTC)
# The layout of a snapshot: bump it when the arrays change, and older snapshots are rebuilt, not misread.
_FORMAT = 4

LINKS = {
    "country": (Event.jurisdictions.through, "jurisdiction_id"),
    "actor": (EventActor, "actor_id"),
    "topic": (Event.topics.through, "topic_id"),
}
COLUMNS = ["type", "stage", "measure"]
# The named values of each facet: (kind in the change log, model, the value in URLs, its label).
NAMED = {
    "type": (ChangeKind.TYPE, EventType, "slug", "name"),
    "measure": (ChangeKind.MEASURE, Measure, "slug", "title"),
    "country": (ChangeKind.COUNTRY, Jurisdiction, "country", None),
    "actor": (ChangeKind.ACTOR, Actor, "slug", "name"),
    "topic": (ChangeKind.TOPIC, Topic, "slug", "name"),
}


def _microseconds(moment):
    if isinstance(moment, str):
        # SQLite's raw cursor hands back an expression's times as text, in UTC.
        moment = datetime.datetime.fromisoformat(moment).replace(tzinfo=datetime.UTC)
    return (moment - _EPOCH) // datetime.timedelta(microseconds=1)


def _day(date):
    return np.datetime64(date, "D").astype(np.int64)


def _month(days):
    """The month of each day (days counted from 1970-01-01), counted from January 1970."""
    return np.asarray(days).astype("datetime64[D]").astype("datetime64[M]").astype(np.int32)


# -- reading the database --------------------------------------------------


def _fetchall(queryset):
    """A values_list's rows through a plain cursor: no per-row iteration in Django."""
    sql, params = queryset.query.sql_with_params()
    # The database the router picks for the queryset (a reader's request reads the replica).
    with connections[queryset.db].cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def _int_rows(queryset, width):
    """The rows of a values_list of integers as an (n, width) array, without a Python object per value."""
    rows = _fetchall(queryset)
    return np.fromiter(itertools.chain.from_iterable(rows), dtype=np.int64, count=len(rows) * width).reshape(-1, width)


def _read_events(events, only_ids=None):
    """The columns of `events` (a queryset; only those of `only_ids` when given), in id order, as a dict of arrays."""
    if only_ids is not None:
        events = events.filter(pk__in=only_ids.tolist()) if len(only_ids) else None
    stage_codes = {value: code for code, value in enumerate(STAGE_VALUES)}
    if connection.vendor == "postgresql":
        # Integers computed by the database, read without a Python object per
        # value: converting a million times and dates in Python took most of a build.
        columns = _int_rows(_as_integers(events, stage_codes), 8) if events is not None else np.zeros((0, 8), dtype=np.int64)
        ids, moments, first_days, last_days, sort_days, types, stages, measures = columns.T
    else:
        rows = _fetchall(events.order_by("id").values_list(*_COLUMNS_READ)) if events is not None else []
        ids, moments, dates, last_dates, sort_dates, types, stages, measures = zip(*rows, strict=True) if rows else ([],) * 8
        moments = [_NEVER if moment is None else _microseconds(moment) for moment in moments]
        first_days = np.array(dates, dtype="datetime64[D]").astype(np.int32)
        last_days = np.array(last_dates, dtype="datetime64[D]").astype(np.int32)
        sort_days = np.array(sort_dates, dtype="datetime64[D]").astype(np.int32)
        stages = [stage_codes[stage] for stage in stages]
        measures = [0 if measure is None else measure for measure in measures]
    first_days = np.asarray(first_days, dtype=np.int32)
    return {
        "ids": np.asarray(ids, dtype=np.int64),
        "visible_from": np.asarray(moments, dtype=np.int64),
        "first_days": first_days,
        "last_days": np.asarray(last_days, dtype=np.int32),
        # The timeline's order is (sort_date, id): a page of a filtered view is found here (page_window).
        "sort_days": np.asarray(sort_days, dtype=np.int32),
        "months": _month(first_days),
        "type": np.asarray(types, dtype=np.int32),
        "stage": np.asarray(stages, dtype=np.int8),
        "measure": np.asarray(measures, dtype=np.int32),
    }


_COLUMNS_READ = ["id", VISIBLE_FROM, "date", "covers_until", "sort_date", "event_type_id", "stage", "measure_id"]


def _as_integers(events, stage_codes):
    """The event columns as integers, computed by PostgreSQL: microseconds and days since 1970, codes."""
    epoch_us = Func(VISIBLE_FROM, template="(EXTRACT(EPOCH FROM %(expressions)s) * 1000000)::bigint", output_field=BigIntegerField())
    return events.order_by("id").values_list(
        "id",
        Coalesce(epoch_us, Value(int(_NEVER))),
        RawSQL("date - DATE '1970-01-01'", [], output_field=IntegerField()),
        RawSQL("covers_until - DATE '1970-01-01'", [], output_field=IntegerField()),
        RawSQL("sort_date - DATE '1970-01-01'", [], output_field=IntegerField()),
        "event_type_id",
        Case(*(When(stage=value, then=Value(code)) for value, code in stage_codes.items()), default=Value(0), output_field=IntegerField()),
        Coalesce("measure_id", 0),
    )


def _read_links(name, ids, event_ids=None):
    """One link table as (event positions in `ids`, value ids), ordered by event, and the same ordered by value."""
    model, column = LINKS[name]
    links = model.objects.order_by()
    if event_ids is not None:
        links = links.filter(event_id__in=event_ids.tolist())
    no_rows = np.zeros((0, 2), dtype=np.int64)
    rows = no_rows if event_ids is not None and not len(event_ids) else _int_rows(links.values_list("event_id", column), 2)
    if name == "actor":
        # An actor with two roles in one event counts that event once (places and topics are unique per event).
        # (event, actor) pairs as one integer each: a flat sort, many times faster than unique rows.
        width = int(rows[:, 1].max(initial=0)) + 1
        pairs = np.unique(rows[:, 0] * width + rows[:, 1])
        rows = np.stack([pairs // width, pairs % width], axis=1)
    else:
        rows = rows[np.lexsort((rows[:, 1], rows[:, 0]))]
    # A link to an event created after the events were read is left out with it
    # (its change is in the log, so the delta counts it).
    positions = np.searchsorted(ids, rows[:, 0])
    known = positions < len(ids)
    known[known] = ids[positions[known]] == rows[known, 0]
    # Positions and value ids fit 32 bits: half the memory and the page cache.
    events, values = positions[known].astype(np.int32), rows[known, 1].astype(np.int32)
    by_value = np.argsort(values, kind="stable")
    # Where each event's links begin (they are in event order): the links of a few events without a pass over all.
    offsets = np.searchsorted(events, np.arange(len(ids) + 1)).astype(np.int32)
    return {
        f"{name}_events": events,
        f"{name}_values": values,
        f"{name}_offsets": offsets,
        f"{name}_values_sorted": values[by_value],
        f"{name}_events_by_value": events[by_value],
        **_link_table(name, events, offsets, values),
    }


# A link table is as wide as every link of all but at most this share of the events.
LINK_TABLE_OVERFLOW_SHARE = 0.01


def _link_table(name, events, offsets, values):
    """One link table (`events`, `offsets` and `values` as _read_links reads them) as a row of value
    ids per event, 0 where it has fewer links, and the events with more links than a row holds
    (their first ones in the row, the rest counted apart).

    A row per event makes the values of a selection of events one gather of whole rows:
    three to four times faster than expanding each event's run of links (Part._counts_at).
    """
    lengths = np.diff(offsets)
    width = max(1, int(np.quantile(lengths, 1 - LINK_TABLE_OVERFLOW_SHARE, method="higher"))) if len(lengths) else 1
    # 0 pads a row: no value has the id 0 (primary keys start at 1).
    table = np.zeros((len(lengths), width), dtype=np.int32)
    # Each link's place in its event's row: its index less that of its event's first link.
    columns = np.arange(len(values), dtype=np.int64) - offsets[events]
    in_table = columns < width
    table[events[in_table], columns[in_table]] = values[in_table]
    return {f"{name}_table": table, f"{name}_overflow": np.flatnonzero(lengths > width).astype(np.int32)}


# A word that fewer events than this share (one in a thousand, and at least
# 50) is found by PostgreSQL's GIN index in a few milliseconds: its events
# are few. A common one is not: the ids of a quarter of the events meant
# reading every page of the table ("espionage": 455 ms at 1,000,000 events),
# so the snapshot keeps which events hold each common word.
COMMON_WORD_SHARE = 1000
COMMON_WORD_MIN = 50


def _read_postings(ids):
    """For each common word (a lexeme of the search vectors), the positions of the events holding it."""
    threshold = max(COMMON_WORD_MIN, len(ids) // COMMON_WORD_SHARE)
    with reading_connection().cursor() as cursor:
        cursor.execute(
            "SELECT lexeme, string_agg(id::text, ' ') FROM ("
            "  SELECT id, unnest(tsvector_to_array(search_vector)) AS lexeme FROM timeline_event"
            ") AS words GROUP BY lexeme HAVING count(*) >= %s ORDER BY lexeme",
            [threshold],
        )
        rows = cursor.fetchall()
    lexemes, lists = [], []
    for lexeme, event_ids in rows:
        lexemes.append(lexeme)
        lists.append(np.flatnonzero(_members(ids, np.sort(np.array(event_ids.split(), dtype=np.int64)))).astype(np.int32))
    offsets = np.zeros(len(lists) + 1, dtype=np.int64)
    np.cumsum([len(positions) for positions in lists], out=offsets[1:])
    return {
        "words": _encoded(lexemes),
        "words_offsets": offsets,
        "words_positions": np.concatenate(lists) if lists else np.array([], dtype=np.int32),
    }


def _read_labels(name, pks=None):
    """(ids, values in URLs, labels) of one facet's named values, by id."""
    _, model, value_field, label_field = NAMED[name]
    objects = model.objects.order_by("pk")
    if pks is not None:
        objects = objects.filter(pk__in=pks)
    if label_field is None:
        rows = [(pk, code, countries.name(code) or code) for pk, code in objects.values_list("pk", value_field)]
    else:
        rows = list(objects.values_list("pk", value_field, label_field))
    return rows


# -- the snapshot ------------------------------------------------------------


def index_directory():
    """Where this database's snapshots live: FACET_INDEX_DIR, one folder per database."""
    database = connection.settings_dict
    return _directory(settings.FACET_INDEX_DIR, connection.vendor, database.get("HOST") or "", database.get("PORT") or "", database["NAME"])


# Every page asks (current_snapshot_name): the hash and the path made once, not per request.
@functools.lru_cache(maxsize=64)
def _directory(base, vendor, host, port, name):
    return Path(base) / hashlib.sha256(f"{vendor}:{host}:{port}:{name}".encode()).hexdigest()[:16]


def _encoded(texts):
    """Strings as fixed-width UTF-8 bytes: a plain array, memory-mapped like the others."""
    return np.array([text.encode() for text in texts], dtype=bytes) if texts else np.array([], dtype="S1")


def build_snapshot(prune_log=True):
    """Write a snapshot of every event's facet values and swap it in; one process at a time.

    Returns the snapshot's folder, or None when another process was already
    writing one (it swaps in its own). With `prune_log`, the change log then
    drops what the snapshot absorbed.
    """
    directory = index_directory()
    directory.mkdir(parents=True, exist_ok=True)
    with open(directory / "build.lock", "w") as lock:
        try:
            fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            return None
        # The changes first: an edit committed while the rows are read is then
        # both in the rows and, unabsorbed, in the delta, which reads it again.
        absorbed = np.array(sorted(FacetChange.objects.values_list("id", flat=True)), dtype=np.int64)
        arrays = _read_events(Event.objects.all())
        # The rows stay in id order (every lookup by id is a binary search); the timeline's order is
        # a permutation of them, with its sort dates alongside for finding a cursor's place.
        arrays["timeline_order"] = np.argsort(arrays["sort_days"], kind="stable").astype(np.int32)
        arrays["timeline_days"] = arrays["sort_days"][arrays["timeline_order"]]
        arrays["timeline_rank"] = np.empty_like(arrays["timeline_order"])
        arrays["timeline_rank"][arrays["timeline_order"]] = np.arange(len(arrays["ids"]), dtype=np.int32)
        for name in LINKS:
            arrays.update(_read_links(name, arrays["ids"]))
        # Counts over every row: a view that keeps most events is counted from the few it leaves out.
        for name in LINKS:
            arrays[f"{name}_all_counts"] = np.bincount(arrays[f"{name}_values"])
        for name in COLUMNS:
            arrays[f"{name}_all_counts"] = np.bincount(arrays[name])
        if connection.vendor == "postgresql":
            arrays.update(_read_postings(arrays["ids"]))
        for name in NAMED:
            rows = _read_labels(name)
            pks, values, labels = zip(*rows, strict=True) if rows else ([], [], [])
            arrays[f"{name}_label_ids"] = np.array(pks, dtype=np.int64)
            arrays[f"{name}_slugs"] = _encoded(values)
            arrays[f"{name}_labels"] = _encoded(labels)
            by_slug = np.argsort(arrays[f"{name}_slugs"], kind="stable")
            arrays[f"{name}_slugs_sorted"] = arrays[f"{name}_slugs"][by_slug]
            # Each value's place in the order of labels (UTF-8 sorts as Python sorts text): ties of a long facet's cut.
            arrays[f"{name}_label_rank"] = np.argsort(np.argsort(arrays[f"{name}_labels"], kind="stable"), kind="stable").astype(np.int32)
            arrays[f"{name}_ids_by_slug"] = arrays[f"{name}_label_ids"][by_slug]
        arrays["absorbed"] = absorbed
        staging = Path(tempfile.mkdtemp(prefix="building-", dir=directory))
        for key, array in arrays.items():
            np.save(staging / f"{key}.npy", array)
        (staging / "meta.json").write_text(json.dumps({"format": _FORMAT, "events": len(arrays["ids"])}))
        final = directory / f"snapshot-{os.getpid()}-{os.urandom(4).hex()}"
        staging.rename(final)
        # Swapped in by renaming a link over the old one: a reader sees either snapshot, whole.
        link = directory / f"current-{os.getpid()}.tmp"
        link.symlink_to(final.name)
        os.replace(link, directory / "current")
        _remove_old_snapshots(directory, keep=final.name)
        # The log keeps only what this snapshot lacks, and its last row: ids must never be reused (SQLite).
        if prune_log and len(absorbed) > 1:
            FacetChange.objects.filter(id__in=absorbed[:-1].tolist()).delete()
        return final


def ensure_snapshot():
    """Write a snapshot unless a readable one is there and the edits since fit in a delta (at a server's start)."""
    name = current_snapshot_name()
    if name is not None and FacetChange.objects.count() <= settings.FACET_DELTA_LIMIT:
        try:
            Snapshot(index_directory() / name)
            return
        except FileNotFoundError:
            pass
    build_snapshot()


def _remove_old_snapshots(directory, keep):
    # Processes may still read the one before (they switch at their next
    # request): it goes at the next swap. Mapped files outlive their removal.
    snapshots = sorted((p for p in directory.glob("snapshot-*") if p.name != keep), key=lambda p: p.stat().st_mtime)
    for old in snapshots[:-1]:
        shutil.rmtree(old, ignore_errors=True)
    for staging in directory.glob("building-*"):
        # Left by a build that died (a build that runs takes seconds, not an hour).
        if staging.stat().st_mtime < time.time() - 3600:
            shutil.rmtree(staging, ignore_errors=True)


def current_snapshot_name():
    try:
        return os.readlink(index_directory() / "current")
    except OSError:
        return None


class Snapshot:
    """The arrays of one snapshot, memory-mapped read-only."""

    def __init__(self, path):
        self.path = path
        meta = json.loads((path / "meta.json").read_text())
        if meta["format"] != _FORMAT:
            raise FileNotFoundError(f"{path} was written by another version of the facet index.")
        # Plain arrays over the mapped files: np.memmap's own indexing cost 1.4 ms a call at a million events.
        self.arrays = {file.stem: np.load(file, mmap_mode="r").view(np.ndarray) for file in path.glob("*.npy")}
        self._month_counts = None

    def __getitem__(self, key):
        return self.arrays[key]

    def month_counts(self):
        """(its first month, how many of its rows begin in each month from it), counted once a process."""
        if self._month_counts is None:
            months = self.arrays["months"]
            first = int(months.min()) if len(months) else 0
            self._month_counts = first, np.bincount(months - first)
        return self._month_counts


# -- the index a request counts with ---------------------------------------


@dataclass(frozen=True)
class Part:
    """Events' columns: the snapshot's, or the delta's. `hidden` marks rows that no longer count."""

    arrays: dict
    hidden: np.ndarray | None = None

    def __getitem__(self, key):
        return self.arrays[key]

    @property
    def size(self):
        return len(self.arrays["ids"])

    def public(self, now_us):
        public = self.arrays["visible_from"] <= now_us
        if self.hidden is not None:
            public &= ~self.hidden
        return public

    def link_mask(self, name, value_ids):
        mask = np.zeros(self.size, dtype=bool)
        for value in value_ids:
            mask[self.link_positions(name, value)] = True
        return mask

    def link_positions(self, name, value_id):
        """The positions of the events linked to one value."""
        values, events = self.arrays[f"{name}_values_sorted"], self.arrays[f"{name}_events_by_value"]
        # Searched as the array's own type: a Python int made numpy copy all 32-bit values to 64 bits
        # first (1.5 ms a search at a million events, four a chosen value).
        value_id = values.dtype.type(value_id)
        return events[np.searchsorted(values, value_id, "left") : np.searchsorted(values, value_id, "right")]

    def counts(self, name, selection, minlength):
        """Per value id, how many of the selected events carry it.

        Reads the values of the fewer side: the events selected when they
        are few, else those left out, taken from the counts of all rows
        (the snapshot's). A pass over every link of a million events took
        19 ms a facet; the selected tenth of them 4 ms.
        """
        all_counts = self.arrays.get(f"{name}_all_counts")
        if all_counts is not None and selection.mostly_kept:
            counts = np.zeros(minlength, dtype=np.int64)
            counts[: len(all_counts)] = all_counts
            return counts - self._counts_at(name, selection.left_out, minlength)
        return self._counts_at(name, selection.kept, minlength)

    def _counts_at(self, name, positions, minlength):
        """Per value id, how many of the events at `positions` (sorted) carry it."""
        if name not in LINKS:
            return np.bincount(self.arrays[name][positions], minlength=minlength)
        table = self.arrays[f"{name}_table"]
        counts = np.bincount(np.take(table, positions, axis=0).ravel(), minlength=minlength)
        counts[0] = 0  # the padding
        overflow = self.arrays[f"{name}_overflow"]
        overflow = overflow[_members(overflow, positions)]
        if len(overflow):
            # Their links past the row's width: each event's run of link indexes, end to end, without a Python loop.
            offsets = self.arrays[f"{name}_offsets"]
            starts = offsets[overflow] + table.shape[1]
            lengths = offsets[overflow + 1] - starts
            runs = np.repeat(starts - np.cumsum(lengths) + lengths, lengths) + np.arange(lengths.sum())
            counts += np.bincount(self.arrays[f"{name}_values"][runs], minlength=len(counts))
        return counts


class Selection:
    """A mask of one part's events, with the positions kept or left out, found once for every facet counted over it."""

    def __init__(self, mask):
        self.mask = mask
        self.mostly_kept = np.count_nonzero(mask) * 2 > len(mask)

    @cached_property
    def kept(self):
        return np.flatnonzero(self.mask)

    @cached_property
    def left_out(self):
        return np.flatnonzero(~self.mask)


@dataclass(frozen=True)
class _Public:
    """The events public from `since` until `until` (microseconds since 1970): a mask, and how many."""

    since: int
    until: int
    mask: np.ndarray
    count: int
    # Per column (type, stage, measure): how many of these events carry each value.
    _counts: dict = field(default_factory=dict)
    # Filtered views of few of these events, ready to page (FacetIndex.filtered_view), the last used last.
    views: OrderedDict = field(default_factory=OrderedDict)
    # A facet's counts over the events its filters leave when its own is set aside (FacetIndex.kept_counts), the last used last.
    counts: OrderedDict = field(default_factory=OrderedDict)

    def carried(self, index, name, value):
        """Whether any of these events carries `value` in the column `name`."""
        counts = self._counts.get(name)
        if counts is None:
            column = np.concatenate([index.base[name], index.delta[name]])
            self._counts[name] = counts = np.bincount(column[self.mask])
        return value < len(counts) and counts[value] > 0


class FacetIndex:
    """The snapshot with the delta's events counted in place of their snapshot rows, and the named values of both.

    Masks of events (what filters keep) are one boolean array over the
    snapshot's rows followed by the delta's.
    """

    def __init__(self, snapshot, version):
        self.version = version
        self.snapshot = snapshot
        changed = {kind: set() for kind in ChangeKind.values}
        absorbed = snapshot["absorbed"]
        for pk, kind, object_id in FacetChange.objects.values_list("id", "kind", "object_id"):
            # Ids absorbed are sorted: a binary search, not a set of the whole log.
            at = np.searchsorted(absorbed, pk)
            if at == len(absorbed) or absorbed[at] != pk:
                changed[kind].add(object_id)
        self.changed_events = len(changed[ChangeKind.EVENT])
        ids = np.array(sorted(changed[ChangeKind.EVENT]), dtype=np.int64)
        # The snapshot's rows of the changed events no longer count: the delta holds their current rows.
        hidden = _members(snapshot["ids"], ids) if len(ids) else None
        self.base = Part(snapshot.arrays, hidden)
        delta = _read_events(Event.objects.all(), only_ids=ids)
        for name in LINKS:
            delta.update(_read_links(name, delta["ids"], event_ids=delta["ids"]))
        self.delta = Part(delta)
        self.size = self.base.size + self.delta.size
        # Bounds of the counts' arrays, found once: a max over a memory-mapped column reads all of it.
        self._value_bounds = {
            name: 1 + max(int(part[f"{name}_values" if name in LINKS else name].max(initial=0)) for part in (self.base, self.delta))
            for name in [*LINKS, *COLUMNS]
        }
        # Named values edited since the snapshot: their current (value, label), or None once deleted.
        self.renamed = {}
        for name, (kind, *_) in NAMED.items():
            if changed[kind]:
                current = {pk: (value, label) for pk, value, label in _read_labels(name, changed[kind])}
                self.renamed[name] = {pk: current.get(pk) for pk in changed[kind]}
        self._first_month = min((int(part["months"].min()) for part in (self.base, self.delta) if part.size), default=0)
        self._public = None

    # -- masks -------------------------------------------------------------

    def _joined(self, base, delta):
        return np.concatenate([base, delta])

    def public(self, now):
        """The events public at `now`: read-only, as the same array serves every request until the next event goes live."""
        return self._public_at(now).mask

    def public_count(self, now):
        return self._public_at(now).count

    def next_publish_time(self, now):
        """When the next scheduled event goes live (so counts cached now expire), or None."""
        until = self._public_at(now).until
        return None if until == _NEVER else _EPOCH + datetime.timedelta(microseconds=until)

    def _public_at(self, now):
        # The public events change only when a scheduled event goes live (an
        # edit makes another index): found once for the period until then,
        # not in two passes over every event's publish time on each page.
        now_us = _microseconds(now)
        public = self._public
        if public is not None and public.since <= now_us < public.until:
            return public
        until = _NEVER
        for part in (self.base, self.delta):
            moments = part["visible_from"]
            waiting = moments > now_us
            if part.hidden is not None:
                waiting &= ~part.hidden
            if waiting.any():
                until = min(until, int(moments[waiting].min()))
        mask = self._joined(self.base.public(now_us), self.delta.public(now_us))
        mask.flags.writeable = False
        self._public = public = _Public(now_us, until, mask, int(np.count_nonzero(mask)))
        return public

    def mask(self, name, value):
        """The events one filter of EventFilter keeps, for a validated value."""
        if name in LINKS:
            pks = [obj.pk for obj in value]
            return self._joined(*(part.link_mask(name, pks) for part in (self.base, self.delta)))
        if name == "stage":
            codes = [STAGE_VALUES.index(stage) for stage in value]
            return self._joined(*(_any_of(part["stage"], codes) for part in (self.base, self.delta)))
        if name in COLUMNS:
            pks = [obj.pk for obj in value]
            return self._joined(*(_any_of(part[name], pks) for part in (self.base, self.delta)))
        # Compared as 32-bit days, as the columns are: a 64-bit day made numpy widen the whole column first (1.5 ms).
        if name == "since":
            day = np.int32(_day(value[0]))
            return self._joined(*(part["last_days"] >= day for part in (self.base, self.delta)))
        if name == "until":
            day = np.int32(_day(value[1]))
            return self._joined(*(part["first_days"] <= day for part in (self.base, self.delta)))
        if name == "corrected_since":
            # Corrections are few (one event in sixty): asked of the database when the filter is used,
            # rather than a column written into every snapshot.
            corrected = Correction.objects.filter(corrected_on__gte=value[0]).values_list("event_id", flat=True).distinct()
            corrected = np.sort(np.fromiter(corrected, dtype=np.int64))
            return self._joined(*(_members(part["ids"], corrected) for part in (self.base, self.delta)))
        raise KeyError(f"The facet index cannot apply the filter {name!r}.")

    def words_mask(self, words):
        """The events matching the words `words` (search.matching's rules).

        On PostgreSQL, from the snapshot's lists of the events holding each
        common word, PostgreSQL's index for the rare ones (a few events each)
        and for the delta; a phrase, or SQLite, asks the database for every
        matching id.
        """
        tree = search.tsquery_tree(words) if "words" in self.snapshot.arrays else None
        if tree is None or _has_phrase(tree):
            return self._joined(*(self._matching(part, Event.objects.all(), words) for part in (self.base, self.delta)))
        changed = Event.objects.filter(pk__in=self.delta["ids"].tolist())
        return self._joined(self._evaluate(tree), self._matching(self.delta, changed, words))

    def finds_words_alone(self, words):
        """Whether words_mask() finds these words in memory, without a query: every word in the
        snapshot's lists, no phrase, no edited event to match (a rare word is a lookup in
        PostgreSQL's index; a phrase, or SQLite, reads the ids of every match)."""
        if "words" not in self.snapshot.arrays or self.delta.size:
            return False
        tree = search.tsquery_tree(words)
        return tree is not None and self._listed(tree)

    def _listed(self, tree):
        kind, *operands = tree
        if kind == "word":
            words, lexeme = self.snapshot["words"], operands[0].encode()
            at = np.searchsorted(words, lexeme)
            return bool(at < len(words) and words[at] == lexeme)
        return kind != "phrase" and all(self._listed(operand) for operand in operands)

    def _matching(self, part, events, words):
        if not part.size:
            return np.zeros(0, dtype=bool)
        matching = np.fromiter(search.matching(events, words).values_list("pk", flat=True), dtype=np.int64)
        matching.sort()
        return _members(part["ids"], matching)

    def _evaluate(self, tree):
        """The snapshot's events matching a parsed query (search.tsquery_tree) without a phrase."""
        kind, *operands = tree
        if kind == "not":
            return ~self._evaluate(operands[0])
        if kind in ("and", "or"):
            left, right = (self._evaluate(operand) for operand in operands)
            return left & right if kind == "and" else left | right
        words, lexeme = self.snapshot["words"], operands[0].encode()
        at = np.searchsorted(words, lexeme)
        if at < len(words) and words[at] == lexeme:
            mask = np.zeros(self.base.size, dtype=bool)
            offsets = self.snapshot["words_offsets"]
            mask[self.snapshot["words_positions"][offsets[at] : offsets[at + 1]]] = True
            return mask
        # Rarer than the snapshot's threshold: PostgreSQL's GIN index finds its few events at once.
        with reading_connection().cursor() as cursor:
            cursor.execute("SELECT id FROM timeline_event WHERE search_vector @@ %s::tsquery", [_tsquery_word(operands[0])])
            matching = np.array(sorted(row[0] for row in cursor.fetchall()), dtype=np.int64)
        return _members(self.base["ids"], matching)

    # -- pages -------------------------------------------------------------

    def cached_view(self, key, now):
        """The view filtered_view() kept under `key` for the events public at `now`, or None."""
        views = self._public_at(now).views
        with _views_lock:
            view = views.get(key)
            if view is not None:
                views.move_to_end(key)
        return view

    def filtered_view(self, key, now, masks):
        """The events public at `now` that every mask of `masks` keeps, ready for page_window(),
        and kept under `key` (what names its filters) until the public events change.

        The snapshot's part in the timeline's order: for a view of few events,
        their ranks, so that a page is a binary search; for more, one bit per
        rank (an eighth of a mask), so that a page is a short scan from the
        cursor's rank. Either way, "load more" and an API harvest read no mask again.
        """
        public = self._public_at(now)
        mask = public.mask.copy()
        for kept in masks:
            mask &= kept
        base, delta = mask[: self.base.size], np.flatnonzero(mask[self.base.size :])
        count = int(np.count_nonzero(base))
        delta_rows = sorted(zip(self.delta["sort_days"][delta].tolist(), self.delta["ids"][delta].tolist(), strict=True))
        if count * SPARSE_PAGE_SHARE <= len(base):
            view = _View(count, delta_rows, ranks=np.sort(self.snapshot["timeline_rank"][np.flatnonzero(base)]))
        else:
            view = _View(count, delta_rows, bits=np.packbits(base[self.snapshot["timeline_order"]]))
        with _views_lock:
            public.views[key] = view
            total = sum(other.nbytes for other in public.views.values())
            while total > VIEWS_KEPT_BYTES and len(public.views) > 1:
                total -= public.views.popitem(last=False)[1].nbytes
        return view

    def page_window(self, view, cursor, newest_first, size):
        """The ids of the first `size` events of `view` (filtered_view()) after `cursor`, in the timeline's order.

        `cursor` is the (sort_date, id) of the last event shown, or None for
        the first page; the order is (sort_date, id), descending when
        `newest_first`, as pagination.keyset_window orders the database's rows.
        """
        after = None if cursor is None else (int(_day(cursor[0])), int(cursor[1]))
        if not size:
            return []
        start = self._start(after, newest_first)
        if view.ranks is not None:
            at = int(np.searchsorted(view.ranks, start))
            ranks = view.ranks[max(0, at - size) : at][::-1] if newest_first else view.ranks[at : at + size]
        else:
            ranks = self._walk(view, start, newest_first, size)
        order, days = self.snapshot["timeline_order"], self.snapshot["timeline_days"]
        rows = list(zip(days[ranks].tolist(), self.base["ids"][order[ranks]].tolist(), strict=True))
        delta_rows = view.delta_rows
        if after is not None:
            delta_rows = [row for row in delta_rows if (row < after if newest_first else row > after)]
        rows += delta_rows[::-1][:size] if newest_first else delta_rows[:size]
        rows.sort(reverse=newest_first)
        return [pk for _, pk in rows[:size]]

    def _start(self, after, newest_first):
        """The rank in the timeline's order where a page after `after` starts: those below it come before `after` in time."""
        order, days = self.snapshot["timeline_order"], self.snapshot["timeline_days"]
        if after is None:
            return len(order) if newest_first else 0
        day, pk = days.dtype.type(after[0]), after[1]
        low, high = np.searchsorted(days, day, "left"), np.searchsorted(days, day, "right")
        return int(low + np.searchsorted(self.base["ids"][order[low:high]], pk, "left" if newest_first else "right"))

    def _walk(self, view, start, newest_first, size):
        """The ranks of the first `size` events of a view kept as bits, from `start`, scanning the
        timeline in chunks twice as long each time, the first sized from the view's share so that
        it usually holds the page."""
        total = self.base.size
        ranks, found, end = [], 0, start
        step = max(WALK_FIRST_CHUNK, 2 * size * total // max(view.count, 1))
        while view.count and found < size and (end > 0 if newest_first else end < total):
            low, high = (max(0, end - step), end) if newest_first else (end, min(total, end + step))
            first_byte = low // 8
            flags = np.unpackbits(view.bits[first_byte : (high + 7) // 8])[low - 8 * first_byte : high - 8 * first_byte]
            hits = low + np.flatnonzero(flags)
            hits = hits[::-1][: size - found] if newest_first else hits[: size - found]
            ranks.append(hits)
            found += len(hits)
            end, step = (low if newest_first else high), step * 2
        return np.concatenate(ranks) if ranks else np.zeros(0, dtype=np.int64)

    # -- counts ------------------------------------------------------------

    def select(self, events):
        """A mask of events (see mask()) split by part, ready to count several facets over."""
        return Selection(events[: self.base.size]), Selection(events[self.base.size :])

    def counts(self, name, selection, top=None, keep=()):
        """{value id: count} of one facet over the events of `selection` (see select()), values with no event left out.

        With `top`, only the `top` values with the most events (ties by
        label) and those of `keep`: a long facet (86,000 measures at a
        million events) is cut in numpy, not named value by value.
        """
        return self._named_counts(name, *self._value_counts(name, selection), top, keep)

    def kept_counts(self, name, now, key, selection, top=None, keep=()):
        """counts() over the events public at `now` that the filters named by `key` keep, `selection()`
        giving them: computed once while those events stay public, then kept for other requests.

        For a facet whose own filter is set: its counts leave that filter
        out, so every choice of it shares them (country=DE&since=2019 and
        country=FR&since=2019 both count countries over since=2019). Those
        events are the many (a filter fewer), the costliest pass of a new
        combination's counts.
        """
        public = self._public_at(now)
        with _views_lock:
            found = public.counts.get((name, key))
            if found is not None:
                public.counts.move_to_end((name, key))
        if found is None:
            found = self._value_counts(name, selection())
            for array in found:
                array.flags.writeable = False
            with _views_lock:
                public.counts[(name, key)] = found
                total = sum(present.nbytes + counts.nbytes for present, counts in public.counts.values())
                while total > COUNTS_KEPT_BYTES and len(public.counts) > 1:
                    present, counts = public.counts.popitem(last=False)[1]
                    total -= present.nbytes + counts.nbytes
        return self._named_counts(name, *found, top, keep)

    def _value_counts(self, name, selection):
        """(value ids, their counts) of one facet over the events of `selection`, values with no event left out."""
        size = self._value_bounds[name]
        per_value = sum(part.counts(name, selected, size) for part, selected in zip((self.base, self.delta), selection, strict=True))
        present = np.flatnonzero(per_value)
        # 0 is "no stage" / "no measure": not an option.
        present = present[present != 0] if name in ("stage", "measure") else present
        return present, per_value[present]

    def _named_counts(self, name, present, counts, top, keep):
        if top is not None and len(present) > top and not self.renamed.get(name):
            cut = np.partition(counts, len(counts) - top)[len(counts) - top]
            candidates = np.flatnonzero(counts >= cut)
            ranks = self.snapshot[f"{name}_label_rank"][np.searchsorted(self.snapshot[f"{name}_label_ids"], present[candidates])]
            first = candidates[np.lexsort((ranks, -counts[candidates]))[:top]]
            kept = np.zeros(len(present), dtype=bool)
            kept[first] = True
            kept |= np.isin(present, list(keep))
            present, counts = present[kept], counts[kept]
        return dict(zip(present.tolist(), counts.tolist(), strict=True))

    def month_counts(self, events, not_before=None):
        """How many of `events` (see select()) begin in each month: (the first month with
        any, counted from January 1970, and the counts from it to the last one).

        An event that began before `not_before` (a day) counts in that day's
        month: a span from 2017 that the filter `since=2019` keeps counts in
        the first month the reader asked for.
        """
        first_month = self._first_month
        start = 0 if not_before is None else max(0, int(_month(_day(not_before))) - first_month)
        per_part = [self._months_of(part, selected, first_month) for part, selected in zip((self.base, self.delta), events, strict=True)]
        counts = np.zeros(max(start + 1, *(len(c) for c in per_part)), dtype=np.int64)
        for part_counts in per_part:
            counts[: len(part_counts)] += part_counts
        counts[start] += counts[:start].sum()
        counts[:start] = 0
        present = np.flatnonzero(counts)
        if not len(present):
            return first_month, counts[:0]
        return first_month + int(present[0]), counts[present[0] : present[-1] + 1]

    def _months_of(self, part, selected, first_month):
        """How many of a part's selected events begin in each month, counted from `first_month`."""
        if part is self.base and selected.mostly_kept:
            # As the facets count: every row's months, less those of the events left out
            # (a pass over the few left out, not a gather of 900,000 kept).
            snapshot_first, all_counts = self.snapshot.month_counts()
            counts = all_counts - np.bincount(part["months"][selected.left_out] - snapshot_first, minlength=len(all_counts))
            return np.concatenate([np.zeros(snapshot_first - first_month, dtype=np.int64), counts])
        return np.bincount(part["months"][selected.kept] - first_month)

    # -- named values --------------------------------------------------------

    def label(self, name, value_id):
        """(value in URLs, label) of a facet value."""
        return self.labels(name, [value_id])[0]

    def labels(self, name, value_ids):
        """[(value in URLs, label)] of facet values, looked up together (thousands for a long facet)."""
        if name == "stage":
            return [(STAGE_VALUES[code], Stage(STAGE_VALUES[code]).label) for code in value_ids]
        renamed = self.renamed.get(name, {})
        at = np.searchsorted(self.snapshot[f"{name}_label_ids"], [pk for pk in value_ids if pk not in renamed])
        in_snapshot = zip(self.snapshot[f"{name}_slugs"][at].tolist(), self.snapshot[f"{name}_labels"][at].tolist(), strict=True)
        if not renamed:
            return [(value.decode(), label.decode()) for value, label in in_snapshot]
        return [renamed[pk] if pk in renamed else tuple(text.decode() for text in next(in_snapshot)) for pk in value_ids]

    def value_ids(self, name):
        """The ids of every value of a named facet (countries, measures...), as they are now."""
        renamed = self.renamed.get(name, {})
        ids = set(self.snapshot[f"{name}_label_ids"].tolist())
        ids |= {pk for pk, named in renamed.items() if named is not None}
        ids -= {pk for pk, named in renamed.items() if named is None}
        return sorted(ids)

    def value_id(self, name, value, carried_by=None):
        """The id of a facet value written as in URLs (slug, country code), or None when there is no
        such value, or when `carried_by` (a mask of events) is given and none of them carries it."""
        pk = self._value_id(name, value)
        if pk is None or carried_by is None:
            return pk
        if name in LINKS:
            # The few events linked to it, looked up: no mask over every event.
            carried = carried_by[self.base.link_positions(name, pk)].any()
            carried = carried or carried_by[self.base.size + self.delta.link_positions(name, pk).astype(np.int64)].any()
        elif self._public is not None and carried_by is self._public.mask:
            # The public events (every page checks its filters' values against them):
            # which values they carry is found once, with them.
            carried = self._public.carried(self, name, pk)
        else:
            carried = (self.mask(name, [_Pk(pk)]) & carried_by).any()
        return pk if carried else None

    def _value_id(self, name, value):
        renamed = self.renamed.get(name, {})
        for pk, named in renamed.items():
            if named is not None and named[0] == value:
                return pk
        slugs = self.snapshot[f"{name}_slugs_sorted"]
        encoded = value.encode()
        at = np.searchsorted(slugs, encoded)
        if at < len(slugs) and slugs[at] == encoded:
            pk = int(self.snapshot[f"{name}_ids_by_slug"][at])
            # Renamed or deleted since the snapshot: its old value names nothing now.
            return None if pk in renamed else pk
        return None


# A view keeping fewer than one event in this many is kept as their ranks in the timeline's
# order (4 bytes an event); one with more, as a bit per rank (FacetIndex.filtered_view).
SPARSE_PAGE_SHARE = 16
WALK_FIRST_CHUNK = 256
# What the kept views of one index may hold: 4 MB, 32 views of many events at a million, or more of few.
VIEWS_KEPT_BYTES = 4 * 2**20
# What the kept counts of one index may hold: a facet of a few hundred values takes a few KB, the
# measures over many events up to 1.4 MB.
COUNTS_KEPT_BYTES = 4 * 2**20
_views_lock = threading.Lock()


@dataclass(frozen=True)
class _View:
    """A filtered view's events: how many of the snapshot's, their ranks sorted or a bit per rank,
    and the delta's (sort day, id) sorted."""

    count: int
    delta_rows: list
    ranks: np.ndarray | None = None
    bits: np.ndarray | None = None

    @property
    def nbytes(self):
        kept = self.ranks if self.ranks is not None else self.bits
        # A delta row is a tuple of two ints: about 64 bytes in Python.
        return kept.nbytes + 64 * len(self.delta_rows)


def _has_phrase(tree):
    kind, *operands = tree
    return kind == "phrase" or (kind != "word" and any(_has_phrase(operand) for operand in operands))


def _tsquery_word(lexeme):
    """A lexeme as a tsquery of that one word, taken as it is (already stemmed)."""
    return "'" + lexeme.replace("\\", "\\\\").replace("'", "''") + "'"


def _any_of(column, values):
    """column == any of a few values: one comparison each, 40 times faster than np.isin's sort for a handful."""
    mask = column == values[0]
    for value in values[1:]:
        mask |= column == value
    return mask


@dataclass(frozen=True)
class _Pk:
    pk: int


def _members(ids, matching):
    """Which of `ids` (sorted) are in `matching` (sorted)."""
    if not len(matching) or not len(ids):
        return np.zeros(len(ids), dtype=bool)
    at = np.searchsorted(matching, ids).clip(max=len(matching) - 1)
    return matching[at] == ids


# -- this process's index ------------------------------------------------------


class _State:
    snapshot = None
    index = None
    builds = 0  # snapshots this process wrote on a request's path, waiting for none (the tests and the bench count them)
    compaction = None  # the child process writing a new snapshot, while it runs


_state = _State()
_lock = threading.Lock()


def current_index(version):
    """The index for data version `version`: this process's, or, after an edit, one with a fresh delta.

    Never builds a snapshot while one is on disk: only a process that finds
    none at all (a development server's first request; gunicorn builds one
    before it starts workers) writes the first, or waits for the process
    writing it.
    """
    name = current_snapshot_name()
    index = _state.index
    if index is not None and index.version == version and _state.snapshot.path.name == name:
        return index
    with _lock:
        name = current_snapshot_name()
        if _state.snapshot is None or _state.snapshot.path.name != name:
            _state.snapshot = _load_or_build(name)
            _state.index = None
        if _state.index is None or _state.index.version != version:
            _state.index = FacetIndex(_state.snapshot, version)
            if _state.index.changed_events > settings.FACET_DELTA_LIMIT:
                _compact()
        return _state.index


def _load_or_build(name):
    if name is not None:
        try:
            return Snapshot(index_directory() / name)
        except FileNotFoundError:
            logger.warning("The facet index snapshot %s is unreadable: building another.", name)
    directory = index_directory()
    built = build_snapshot()
    if built is None:
        # Another process is writing the first snapshot: wait for it (the lock frees when it is done).
        with open(directory / "build.lock", "w") as lock:
            fcntl.flock(lock, fcntl.LOCK_EX)
        built = directory / current_snapshot_name()
    else:
        _state.builds += 1
    return Snapshot(built)


def _compact():
    """Start a child process that writes a new snapshot, unless one from this process still runs."""
    running = _state.compaction
    if running is not None and running.poll() is None:
        return
    _state.compaction = subprocess.Popen(
        [sys.executable, str(Path(settings.BASE_DIR) / "manage.py"), "build_facet_index", "--verbosity", "0"],
        stdin=subprocess.DEVNULL,
    )


def builds_by_requests():
    return _state.builds


def reset():
    """Forget this process's index (tests: each test its own database rows and snapshot folder)."""
    with _lock:
        _state.snapshot = _state.index = None
        _state.builds = 0
