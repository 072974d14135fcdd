"""Facet counts from an in-memory, column-wise copy of every event's facet values.

Faceted search counts, for each facet, the events that match every other
active filter. Asked of the database, that is one grouped query per facet
over thousands of event rows; at 100,000 events on PostgreSQL the six took
170 ms, most of it spent reading the wide event rows (titles, bodies, search
vectors) for the four columns the counts need. Search engines keep facet
values in columns instead, and so does this module: one array per event
column (status, publish time, date, type, stage, measure) and one array of
(event, value) pairs per link table (places, actors, topics), read from the
database in a few queries and counted with numpy in a few milliseconds.

The index holds drafts and scheduled events too: which events are public is
decided when counting, from status and publish time, so a scheduled event
counts the second it goes live, as `Event.objects.public()` lists it. It is
rebuilt when the data version changes (any edit, see signals.py) and, with
a per-process cache, when it is older than FACET_CACHE_SECONDS (an edit made
in another process); with a shared cache (REDIS_URL) only after edits.
"""

import datetime
import itertools
import threading
import time
from dataclasses import dataclass

import numpy as np
from django.conf import settings
from django.db import connections
from django.db.models import BooleanField, ExpressionWrapper, Q
from django.utils import timezone
from django_countries import countries

from .models import Actor, Event, EventActor, EventType, Jurisdiction, Measure, Stage, Status, Topic

# Stage codes: 0 for "no stage", then the stages in their lifecycle order.
STAGE_VALUES = ["", *Stage.values]
_NEVER = np.iinfo(np.int64).max
_EPOCH = datetime.datetime(1970, 1, 1, tzinfo=datetime.UTC)


def _microseconds(moment):
    return (moment - _EPOCH) // datetime.timedelta(microseconds=1)


@dataclass(frozen=True)
class Links:
    """One link table: the position of each link's event in the index, and the linked value's id."""

    events: np.ndarray
    values: np.ndarray

    def mask(self, size, value_ids):
        """The events linked to any of `value_ids`."""
        linked = np.zeros(size, dtype=bool)
        linked[self.events[np.isin(self.values, value_ids)]] = True
        return linked

    def counts(self, events):
        """Per value id, how many of `events` (a mask) link to it."""
        return np.bincount(self.values[events[self.events]])


class FacetIndex:
    def __init__(self, version):
        self.version = version
        self.built_at = time.monotonic()
        ids, live, scheduled_at, first_days, last_days, types, stages, measures = _event_columns(timezone.now())
        self.ids = ids
        self.size = len(ids)
        self.live = live
        self.scheduled_at = scheduled_at
        # The days each event covers, for the period filters (see EventFilter.filter_since).
        self.first_days = first_days
        self.last_days = last_days
        # For the overview: the month of each event's first day, as months after
        # the earliest (a month counted from January 1970), ready for bincount.
        months = _month(first_days)
        self.first_month = int(months.min(initial=0))
        self.month_offsets = (months - self.first_month).astype(np.int32)
        self.columns = {"type": types, "stage": stages, "measure": measures}
        self.links = {
            "country": self._links(Event.jurisdictions.through.objects.values_list("event_id", "jurisdiction_id")),
            "actor": self._links(EventActor.objects.values_list("event_id", "actor_id"), unique=True),
            "topic": self._links(Event.topics.through.objects.values_list("event_id", "topic_id")),
        }
        self._ids_by_value = {}
        self.labels = {
            "type": {pk: (slug, name) for pk, slug, name in EventType.objects.values_list("pk", "slug", "name")},
            "stage": {code: (value, Stage(value).label) for code, value in enumerate(STAGE_VALUES) if value},
            "measure": {pk: (slug, title) for pk, slug, title in Measure.objects.values_list("pk", "slug", "title")},
            "country": {pk: (code, countries.name(code) or code) for pk, code in Jurisdiction.objects.values_list("pk", "country")},
            "actor": {pk: (slug, name) for pk, slug, name in Actor.objects.values_list("pk", "slug", "name")},
            "topic": {pk: (slug, name) for pk, slug, name in Topic.objects.values_list("pk", "slug", "name")},
        }

    def _links(self, pairs, unique=False):
        rows = _int_rows(pairs.order_by(), 2)
        if unique:
            # An actor with two roles in one event counts that event once.
            # (event, actor) pairs as one integer each: a flat sort, many times faster than unique rows.
            width = int(rows[:, 1].max(initial=0)) + 1
            pairs = np.unique(rows[:, 0] * width + rows[:, 1])
            rows = np.stack([pairs // width, pairs % width], axis=1)
        # A link to an event created after the events were read is left out with it.
        positions = np.searchsorted(self.ids, rows[:, 0])
        known = positions < self.size
        known[known] = self.ids[positions[known]] == rows[known, 0]
        # Positions and value ids fit 32 bits: half the memory of each process's copy.
        return Links(positions[known].astype(np.int32), rows[known, 1].astype(np.int32))

    def is_current(self, version):
        if version != self.version:
            return False
        # A shared cache (REDIS_URL) carries every process's edits in the data
        # version; a per-process cache cannot, so the index also ages out.
        return _cache_is_shared() or time.monotonic() - self.built_at < settings.FACET_CACHE_SECONDS

    # -- counting ----------------------------------------------------------

    def public(self, now):
        return self.live | (self.scheduled_at <= _microseconds(now))

    def public_count(self, now):
        return int(self.public(now).sum())

    def next_publish_time(self, now):
        """When the next scheduled event goes live (so counts cached now expire), or None."""
        waiting = self.scheduled_at[self.scheduled_at > _microseconds(now)]
        first = waiting.min() if len(waiting) else _NEVER
        return None if first == _NEVER else _EPOCH + datetime.timedelta(microseconds=int(first))

    def mask(self, name, value):
        """The events one filter of EventFilter keeps, for a validated value."""
        if name in self.links:
            return self.links[name].mask(self.size, [obj.pk for obj in value])
        if name == "stage":
            return np.isin(self.columns["stage"], [STAGE_VALUES.index(stage) for stage in value])
        if name in self.columns:
            return np.isin(self.columns[name], [obj.pk for obj in value])
        if name == "since":
            return self.last_days >= _day(value[0])
        if name == "until":
            return self.first_days <= _day(value[1])
        raise KeyError(f"The facet index cannot apply the filter {name!r}.")

    def month_counts(self, events, not_before=None):
        """How many of `events` (a mask) begin in each month: (the first month with
        any, counted from January 1970, and the counts from it to the last one).

        An event that began before `not_before` (a day) counts in that day's
        month: a span from 2017 that the filter `since=2019` keeps counts in
        the first month the reader asked for.
        """
        start = 0 if not_before is None else max(0, int(_month(_day(not_before))) - self.first_month)
        counts = np.bincount(self.month_offsets[events], minlength=start + 1)
        counts[start] += counts[:start].sum()
        counts[:start] = 0
        present = np.flatnonzero(counts)
        if not len(present):
            return self.first_month, counts[:0]
        return self.first_month + int(present[0]), counts[present[0] : present[-1] + 1]

    def words_mask(self, matching_ids):
        return np.isin(self.ids, np.fromiter(matching_ids, dtype=np.int64))

    def counts(self, name, events):
        """{value id: count} of one facet over `events` (a mask), values with no event left out."""
        if name in self.links:
            per_value = self.links[name].counts(events)
        else:
            per_value = np.bincount(self.columns[name][events])
        present = np.flatnonzero(per_value)
        # 0 is "no stage" / "no measure": not an option.
        present = present[present != 0] if name in ("stage", "measure") else present
        return dict(zip(present.tolist(), per_value[present].tolist(), strict=True))

    def label(self, name, value_id):
        return self.labels[name][value_id]

    def value_id(self, name, value, carried_by=None):
        """The id of a facet value written as in URLs (slug, country code), or None when there is no
        such value, or when `carried_by` (a mask of events) is given and none of them carries it."""
        if name not in self._ids_by_value:
            self._ids_by_value[name] = {slug: pk for pk, (slug, _) in self.labels[name].items()}
        pk = self._ids_by_value[name].get(value)
        if pk is None or carried_by is None:
            return pk
        if name in self.links:
            links = self.links[name]
            carried = carried_by[links.events[links.values == pk]].any()
        else:
            carried = ((self.columns[name] == pk) & carried_by).any()
        return pk if carried else None


def _day(date):
    return np.datetime64(date, "D").astype(np.int64)


def _month(days):
    """The month of each day (days counted from 1970-01-01), counted from January 1970."""
    return np.asarray(days).astype("datetime64[D]").astype("datetime64[M]").astype(np.int32)


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


def _event_columns(now):
    """The event columns the counts need, in id order, as arrays.

    Which events are public is read as of `now`: those already live stay
    so until an edit (which rebuilds the index); scheduled ones keep their
    publish time, so they go live on time without a rebuild.
    """
    live = ExpressionWrapper(Q(status=Status.PUBLISHED, publish_at__lte=now), output_field=BooleanField())
    rows = _fetchall(Event.objects.order_by("id").values_list("id", live, "date", "covers_until", "event_type_id", "stage", "measure_id"))
    ids, live, dates, last_dates, types, stages, measures = zip(*rows, strict=True) if rows else ([],) * 7
    ids = np.array(ids, dtype=np.int64)
    scheduled_at = np.full(len(ids), _NEVER, dtype=np.int64)
    for pk, publish_at in Event.objects.filter(status=Status.PUBLISHED, publish_at__gt=now).values_list("id", "publish_at"):
        position = np.searchsorted(ids, pk)
        if position < len(ids) and ids[position] == pk:
            scheduled_at[position] = _microseconds(publish_at)
    stage_codes = {value: code for code, value in enumerate(STAGE_VALUES)}
    return (
        ids,
        np.array(live, dtype=bool),
        scheduled_at,
        np.array(dates, dtype="datetime64[D]").astype(np.int32),
        np.array(last_dates, dtype="datetime64[D]").astype(np.int32),
        np.array(types, dtype=np.int32),
        np.array([stage_codes[stage] for stage in stages], dtype=np.int8),
        np.array([0 if measure is None else measure for measure in measures], dtype=np.int32),
    )


def _cache_is_shared():
    return settings.CACHES["default"]["BACKEND"] != "django.core.cache.backends.locmem.LocMemCache"


_index = None
_lock = threading.Lock()


def current_index(version):
    """The index for data version `version`, rebuilt first when it is stale."""
    global _index
    index = _index
    if index is not None and index.is_current(version):
        return index
    with _lock:
        if _index is None or not _index.is_current(version):
            _index = FacetIndex(version)
        return _index
