"""manage.py bench: the timeline at N events, measured against the machine's own floor.

`make bench` runs it (EVENTS=100000 by default). It works on a database of its
own, never the one the site runs on: `bench.sqlite3` next to manage.py for
SQLite, `<name>_bench` (created when missing) for PostgreSQL. It migrates that
database, generates a small set of synthetic events (`bench_data`, 1,000 by
default) to count the queries of each request, then N events, and measures
through Django's test client (the whole stack: middleware, sessions, CSP,
templates), warm, round after round in a shuffled order so that a noisy
neighbour slows every endpoint alike:

- the floor: a page of 50 rows from memory through a template extending the
  site's base.html, served by the same stack (a URL only this module routes);
- the timeline's first page, a filtered page, the htmx partial, "load more"
  after the first page and at page 1,000 (keyset), a text search, an event
  page, the admin changelist's first and last page, and the facet counts of
  a filtered view with the cache cold;
- the measures page (every measure's lane and where each country stood
  today), the same for "bans in Germany" at the end of a year, and the
  lanes and board computed with nothing cached;
- the public CSV of every public event: rows per second against the
  database's own dump of the export's query (PostgreSQL COPY, SQLite a raw
  cursor into csv.writer), and its peak memory (tracemalloc) at a tenth of
  the size and at full size.
- the downloads as a researcher meets them: seconds to the first row of
  the full CSV and JSON, the JSON's rows per second, and both rates against
  a plain one-table COPY of the events (issue 12's yardstick).
- the API (issue 16): a page of 50 events, filtered, at the deep position
  and one event, timed with the pages against the same floor; the .xlsx
  download's rows per second and memory on a tenth and a hundredth of the
  events; and the build of a release of every public event (twice: the
  second with its changelog against the first), its time and memory.
- served (issue 13): readers' requests through gunicorn with 3 workers on
  loopback for --served-seconds (60), with the local-memory cache and then
  with Redis, a static file interleaved as the floor of the same run: the
  p50, p95 and p99 of each kind of request (see "Served" at the end).

Ratios are of p95s measured in the same run, so they hold on a busy machine.
It prints a table and writes bench-results.json at the repository root.
"""

import collections
import csv
import datetime
import gc
import http.client
import json
import math
import os
import platform
import random
import re
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import tracemalloc
from pathlib import Path
from urllib.parse import urlencode

import django
import redis
from django.conf import settings
from django.contrib.admin.sites import site as admin_site
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import DEFAULT_DB_ALIAS, connection, connections, reset_queries, transaction
from django.http import HttpResponse, QueryDict
from django.template import engines
from django.test import Client
from django.test.utils import CaptureQueriesContext, override_settings
from django.urls import include, path
from django.utils import timezone

from benchmark.management.commands import bench_data
from timeline import export, facet_index, facets, filters, measures, releases, views
from timeline.models import Event, Release
from timeline.pagination import encode_cursor

SMALL_EVENTS = 1000
PAGE_SIZE = views.PAGE_SIZE
DEEP_PAGE = 1000  # "load more" at page 1,000: after the 25,000th event
FILTER = "country=DE&type=ban-or-restriction"  # "bans in Germany", DESIGN.md's example feed
SEARCH = "surveillance cameras"
# The words of issue 13's slowest first search: a common word whose ids the counts need.
FACET_WORDS = "espionage"
# Where "bans in Germany" stood at the end of the bench data's middle year.
MEASURES_AS_OF_YEARS_AGO = 7
_DECLARE = re.compile(r"^\s*DECLARE\s.*?\sCURSOR\s(?:WITH(?:OUT)?\s+HOLD\s+)?FOR\s", re.IGNORECASE | re.DOTALL)
MIN_SAMPLES = 15  # an endpoint slower than its time budget still gets this many timed requests

# ---------------------------------------------------------------------------
# The floor: the same stack (middleware, context processors, base.html) with
# the database out of the picture. Routed only while the bench runs.

_FLOOR_TEMPLATE = """{% extends "base.html" %}
{% block content %}<h1 class="page-title">Floor</h1>
<ol class="timeline">{% for row in rows %}
  <li class="card"><p class="card-meta"><time datetime="{{ row.date|date:'Y-m-d' }}">{{ row.date|date:"j M Y" }}</time>
  <span class="tag tag-type">{{ row.kind }}</span></p>
  <h5 class="card-title"><a href="/events/{{ row.slug }}/">{{ row.title }}</a></h5>
  <p class="card-summary">{{ row.summary }}</p></li>{% endfor %}
</ol>{% endblock %}"""
_FLOOR_ROWS = [
    {
        "date": datetime.date(2018, 12, 1) - datetime.timedelta(days=7 * i),
        "kind": "Ban or restriction",
        "slug": f"floor-row-{i}",
        "title": f"Floor row {i}: a regulator restricts a supplier's 5G equipment over national security",
        "summary": "Officials said the decision followed a review of core network equipment. Critics warned of delays and costs.",
    }
    for i in range(50)
]


def floor_view(request):
    template = engines["django"].from_string(_FLOOR_TEMPLATE)
    return HttpResponse(template.render({"rows": _FLOOR_ROWS}, request))


# This module is the URLconf while the bench runs (override_settings(ROOT_URLCONF=__name__)).
urlpatterns = [
    path("__bench__/floor/", floor_view),
    path("", include("config.urls")),
]

# ---------------------------------------------------------------------------
# Targets from issue 7, for PostgreSQL at 100,000 events.

TARGETS = [
    ("page_vs_floor", "<=", 2),
    ("filtered_vs_floor", "<=", 2),
    ("partial_vs_floor", "<=", 2),
    ("search_vs_floor", "<=", 3),
    ("facets_vs_floor", "<=", 4),
    ("facets_all_vs_floor", "<=", 4),
    ("facets_words_vs_floor", "<=", 4),
    ("deep_page_vs_first", "<=", 1.2),
    ("admin_deep_vs_first", "<=", 1.5),
    ("csv_vs_raw", ">=", 0.35),
    # Issue 14, at 1,000,000 events: cached, as readers meet them.
    ("measures_vs_floor", "<=", 2),
    ("measures_filtered_vs_floor", "<=", 2),
]
# Targets from issue 12, for PostgreSQL at 1,000,000 events (any size for the first row).
DOWNLOAD_TARGETS = [
    ("csv_first_row_s", "<", 1),
    ("json_first_row_s", "<", 1),
    ("csv_rows_per_s", ">=", 40_000),
    ("json_rows_per_s", ">=", 40_000),
]

# Targets from issue 16, for PostgreSQL at 1,000,000 events: an API page of 50 events against the 50-row floor.
API_TARGETS = [
    ("api_page_vs_floor", "<=", 2),
    ("api_filtered_vs_floor", "<=", 2),
    ("api_deep_vs_floor", "<=", 2),
]
# Targets from issue 15, for PostgreSQL at 1,000,000 events: the changelist an editor opens.
ADMIN_TARGETS = [
    ("admin_first_vs_floor", "<=", 30),
    ("admin_deep_vs_floor", "<=", 30),
]

# name, label, what the ratio is taken against
ENDPOINTS = [
    ("floor", "floor: 50 rows, base.html, no DB"),
    ("page", "/ first page"),
    ("filtered", f"/?{FILTER}"),
    ("partial", "htmx partial, same filters"),
    ("more_first", "load more, page 2 (htmx)"),
    ("more_deep", f"load more, page {DEEP_PAGE} (htmx)"),
    ("search", f"/?q={SEARCH}"),
    ("event", "event page"),
    ("admin_first", "admin changelist, page 1"),
    ("admin_deep", "admin changelist, last page"),
    ("facets", "facets(filterset), counts not cached"),
    ("facets_all", "facets, no filter, not cached"),
    ("facets_words", f"facets, q={FACET_WORDS}, not cached"),
    ("api_page", "API: /api/v1/events (50 events)"),
    ("api_filtered", "API: 50 events, same filters"),
    ("api_deep", f"API: 50 events after page {DEEP_PAGE}"),
    ("api_event", "API: one event"),
    ("measures", "/measures/"),
    ("measures_filtered", "/measures/ same filters, as of a date"),
    ("measures_cold", "/measures/ computed, not cached"),
]
# The cold counts, measured as facets() returns, not as a request.
COLD_FACETS = {"facets": FILTER, "facets_all": "", "facets_words": urlencode({"q": FACET_WORDS})}
# Endpoints timed as a function returns, not as a request.
COLD = {*COLD_FACETS, "measures_cold"}


def percentile(samples, fraction):
    ordered = sorted(samples)
    if not ordered:
        return float("nan")
    rank = fraction * (len(ordered) - 1)
    low, high = math.floor(rank), math.ceil(rank)
    return ordered[low] + (ordered[high] - ordered[low]) * (rank - low)


def private_mb():
    """This process's anonymous memory (its heap: what no other process can share), MB, from /proc (Linux).

    Not the USS: a file mapped by one process alone counts as its private
    memory there, though its pages are the page cache's, shared with every
    other worker that maps the same snapshot.
    """
    try:
        with open("/proc/self/smaps_rollup") as rollup:
            fields = dict(line.split()[:2] for line in rollup)
        return int(fields["Anonymous:"]) / 1024
    except (OSError, ValueError, KeyError):
        return None


def rss_mb():
    try:
        with open("/proc/self/statm") as statm:
            return int(statm.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2**20
    except (OSError, ValueError, IndexError):
        return None


class RssSampler:
    """Peak resident size while a block runs, sampled every 5 ms from /proc (Linux)."""

    def __enter__(self):
        self.start = self.peak = rss_mb()
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)
        if self.start is not None:
            self._thread.start()
        return self

    def _run(self):
        while not self._stop.wait(0.005):
            self.peak = max(self.peak, rss_mb() or 0)

    def __exit__(self, *exc):
        self._stop.set()
        if self.start is not None:
            self._thread.join()
            self.peak = max(self.peak, rss_mb() or 0)

    @property
    def growth(self):
        return None if self.start is None else self.peak - self.start


class _CountingSink:
    def __init__(self):
        self.bytes = 0

    def write(self, text):
        self.bytes += len(text)


# ---------------------------------------------------------------------------


def use_bench_database(stdout):
    """Point the default connection at the bench database (created when missing); return its label.

    The same move Django's test runner makes for the test database: close the
    connection and change its NAME before anything has run on it.
    """
    conn = connections[DEFAULT_DB_ALIAS]
    conn.close()
    settings_dict = conn.settings_dict
    if conn.vendor == "sqlite":
        name = str(Path(settings.BASE_DIR) / "bench.sqlite3")
    elif conn.vendor == "postgresql":
        base = settings_dict["NAME"]
        name = base if base.endswith("_bench") else f"{base}_bench"
        with conn._nodb_cursor() as cursor:
            cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name])
            if cursor.fetchone() is None:
                cursor.execute(f"CREATE DATABASE {conn.ops.quote_name(name)}")
                stdout.write(f"Created the PostgreSQL database {name}.")
    else:
        raise CommandError(f"The bench knows SQLite and PostgreSQL, not {conn.vendor}.")
    settings_dict["NAME"] = name
    conn.close()
    return name


def database_label():
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SHOW server_version")
            version = cursor.fetchone()[0].split()[0]
        return f"postgresql {version}"
    import sqlite3

    return f"sqlite {sqlite3.sqlite_version}"


class Bench:
    def __init__(self, out, rounds, warmup, csv_runs, budget, seed=1):
        self.out = out
        self.budget = budget
        self.rounds = rounds
        self.warmup = warmup
        self.csv_runs = csv_runs
        self.rng = random.Random(seed)
        secure = {"secure": True} if settings.SECURE_SSL_REDIRECT else {}
        self.request_options = secure
        self.client = Client()
        self.admin_client = Client()

    # -- fixtures ----------------------------------------------------------

    def fixtures(self):
        """The URLs to measure, built from the data in the database now."""
        public = Event.objects.public().order_by("-sort_date", "-id")
        public_count = public.count()
        if public_count < 3 * PAGE_SIZE:
            raise CommandError(f"Only {public_count} public events: the bench needs at least {3 * PAGE_SIZE}.")
        deep_position = min(DEEP_PAGE * PAGE_SIZE, public_count - PAGE_SIZE - 1)
        first_cursor = encode_cursor(public[PAGE_SIZE - 1])
        deep_cursor = encode_cursor(public[deep_position - 1])
        typical = public.filter(slug__startswith=bench_data.PREFIX, measure__isnull=False, body="").order_by("id")
        event = typical[typical.count() // 2] if typical.exists() else public.first()
        # About the tenth of the export: since the place of the (count / 10)th newest event.
        tenth_date = public.values_list("sort_date", flat=True)[max(public_count // 10 - 1, 0)]
        hundredth_date = public.values_list("sort_date", flat=True)[max(public_count // 100 - 1, 0)]

        # An editor as the newsroom has them (staff, in the Editor group), not a superuser
        # whose permission checks skip the database.
        User = get_user_model()
        admin_user, _ = User.objects.get_or_create(username="bench-editor", defaults={"is_staff": True})
        admin_user.groups.add(Group.objects.get(name="Editor"))
        self.admin_client.force_login(admin_user, backend="django.contrib.auth.backends.ModelBackend")
        # The last page as the changelist numbers it (its paginator may count by estimate).
        event_admin = admin_site._registry[Event]
        last_page = event_admin.get_paginator(None, Event.objects.all(), event_admin.list_per_page).num_pages

        as_of_year = timezone.localdate().year - MEASURES_AS_OF_YEARS_AGO
        search_hits = filters.EventFilter(QueryDict(urlencode({"q": SEARCH})), queryset=Event.objects.public()).qs.count()
        return {
            "public_events": public_count,
            "deep_position": deep_position,
            "paths": {
                "page": "/",
                "filtered": f"/?{FILTER}",
                "partial": f"/?{FILTER}",
                "more_first": f"/?cursor={first_cursor}",
                "more_deep": f"/?cursor={deep_cursor}",
                "search": "/?" + urlencode({"q": SEARCH}),
                "event": event.get_absolute_url(),
                "admin_first": "/admin/timeline/event/",
                "admin_deep": f"/admin/timeline/event/?p={last_page}",
                "floor": "/__bench__/floor/",
                "api_page": "/api/v1/events",
                "api_filtered": f"/api/v1/events?{FILTER}",
                "api_deep": f"/api/v1/events?cursor={deep_cursor}",
                "api_event": f"/api/v1/events/{event.pk}",
                "measures": "/measures/",
                "measures_filtered": f"/measures/?{FILTER}&as_of={as_of_year}",
            },
            "admin_last_page": last_page,
            "search_hit_fraction": search_hits / public_count,
            "tenth_since": tenth_date.isoformat(),
            "hundredth_since": hundredth_date.isoformat(),
        }

    def endpoints(self, fx):
        paths = fx["paths"]
        htmx = {"HTTP_HX_REQUEST": "true", "HTTP_HX_CURRENT_URL": "http://testserver/"}
        options = {
            "partial": {**htmx, "HTTP_HX_TRIGGER": "filters"},
            "more_first": htmx,
            "more_deep": htmx,
        }

        def getter(name):
            client = self.admin_client if name.startswith("admin") else self.client
            extra = {**options.get(name, {}), **self.request_options}

            def get():
                response = client.get(paths[name], **extra)
                if response.status_code != 200:
                    raise CommandError(f"{name}: GET {paths[name]} answered {response.status_code}.")
                return len(response.content)

            return get

        def cold_facets(query):
            def count():
                filterset = filters.EventFilter(QueryDict(query), queryset=Event.objects.public())
                filterset.form.is_valid()  # the page validates the query before it counts
                # Cold: facets() counts afresh, as on a miss of the cached counts
                # (cached_facets), from the snapshot this process maps and the
                # delta of edits since. Writing a snapshot is timed apart
                # (facet_index_build_ms): no request waits for it.
                started = time.perf_counter()
                result = facets.facets(filterset)
                elapsed = time.perf_counter() - started
                if not result:
                    raise CommandError("facets() returned nothing.")
                return elapsed

            return count

        def cold_measures():
            # Every measure: the most a view computes.
            filterset = filters.EventFilter(QueryDict(), queryset=Event.objects.public())
            filterset.form.is_valid()
            today = timezone.localdate()
            # Cold as on a miss of the cached view (measures.cached_view), with the facet index current.
            started = time.perf_counter()
            view = measures.measures_view(filterset, today, 1, today, timezone.now())
            elapsed = time.perf_counter() - started
            if not view.measures_total:
                raise CommandError("The measures view found no measure.")
            return elapsed

        result = {name: getter(name) for name, _ in ENDPOINTS if name not in COLD}
        result.update({name: cold_facets(query) for name, query in COLD_FACETS.items()})
        result["measures_cold"] = cold_measures
        return result

    # -- measurements ------------------------------------------------------

    def count_queries(self, endpoints):
        counts = {}
        for name, run in endpoints.items():
            run()  # warm: the first request of a process fills caches (ContentTypes, permissions, templates)
            reset_queries()
            with CaptureQueriesContext(connection) as captured:
                run()
            counts[name] = len(captured.captured_queries)
        return counts

    def time(self, endpoints, rounds, label):
        """Rounds over every endpoint in a shuffled order; an endpoint that has used up its
        time budget sits out the remaining rounds once it has `min_samples`."""
        samples = collections.defaultdict(list)
        spent = collections.Counter()
        min_samples = min(rounds, MIN_SAMPLES)
        names = list(endpoints)
        total = self.warmup + rounds
        progress_every = max(1, total // 10)
        for round_number in range(total):
            self.rng.shuffle(names)
            for name in names:
                if round_number >= self.warmup and spent[name] > self.budget and len(samples[name]) >= min_samples:
                    continue
                gc.collect(1)
                started = time.perf_counter()
                inner = endpoints[name]()
                elapsed = time.perf_counter() - started
                spent[name] += elapsed
                if name in COLD:
                    elapsed = inner
                if round_number >= self.warmup:
                    samples[name].append(elapsed * 1000)
            if self.out and (round_number + 1) % progress_every == 0:
                self.out.write(f"  {label}: round {round_number + 1}/{total}", ending="\r")
                self.out.flush()
        if self.out:
            self.out.write("")
        return {
            name: {"median_ms": statistics.median(values), "p95_ms": percentile(values, 0.95), "n": len(values)}
            for name, values in samples.items()
        }

    def facet_index_build(self, runs=3):
        """Milliseconds to write a snapshot of the facet index (median, max), off any request, and its size on disk."""
        samples = []
        for _ in range(runs):
            gc.collect()
            with RssSampler() as rss:
                started = time.perf_counter()
                path = facet_index.build_snapshot()
                samples.append((time.perf_counter() - started) * 1000)
        size = sum(file.stat().st_size for file in path.iterdir())
        return {
            "median_ms": statistics.median(samples),
            "max_ms": max(samples),
            "n": runs,
            "peak_growth_mb": rss.growth,
            "disk_mb": size / 2**20,
        }

    def facet_index_memory(self, fx):
        """What the facet index adds to one app process's own memory (MB).

        A fresh process state maps the snapshot and counts the benchmark's
        views, filtered and not, then the anonymous memory it gained is read
        from /proc/self/smaps_rollup (see private_mb). The snapshot's pages
        themselves sit in the page cache once, shared by every worker
        (facet_index_disk_mb).
        """
        facet_index.reset()
        gc.collect()
        before = private_mb()
        for query in [*COLD_FACETS.values(), "since=2015&stage=in_effect", "topic=5g"]:
            filterset = filters.EventFilter(QueryDict(query), queryset=Event.objects.public())
            filterset.form.is_valid()
            facets.facets(filterset)
        gc.collect()
        after = private_mb()
        return None if before is None else after - before

    # -- CSV ---------------------------------------------------------------

    def export_once(self, query=""):
        """The public CSV through the client, consumed as a browser would; (rows, bytes, seconds, seconds to the first row)."""
        return self.download_once("/export.csv" + query)

    def download_once(self, path):
        """A download through the client, read to the end; (rows, bytes, seconds, seconds to the first row).

        A chunk holds many rows. CSV rows are counted as csv.writer's b"\\r\\n"
        line ends less the header's (the bench's cells hold no line break, and
        csv() refuses a count that differs from the raw dump's); JSON rows as
        the objects that open with the first column.
        """
        started = time.perf_counter()
        response = self.client.get(path, **self.request_options)
        if response.status_code != 200 or not response.streaming:
            raise CommandError(f"{path} answered {response.status_code}.")
        is_csv = path.split("?")[0].endswith(".csv")
        rows = size = 0
        first_row = None
        # Read to the end: the test client then closes the response itself, as a WSGI server would.
        for chunk in response.streaming_content:
            rows += chunk.count(b"\r\n") if is_csv else chunk.count(b'{"id": ')
            size += len(chunk)
            if first_row is None and rows > is_csv:
                first_row = time.perf_counter() - started
        return rows - is_csv, size, time.perf_counter() - started, first_row

    def export_sql(self):
        """The SQL of the export's own main query, as it ran (parameters bound), its queries per export, and the run.

        Read off the queries of one export, so the raw dump follows whatever
        the export selects and however it orders; PostgreSQL runs it through
        a server-side cursor, so the logged statement is a DECLARE ... FOR SELECT.
        """
        reset_queries()
        with CaptureQueriesContext(connection) as captured:
            run = self.export_once()
        statements = [query["sql"] for query in captured.captured_queries]
        for sql in statements:
            select = _DECLARE.sub("", sql, count=1)
            if select.lstrip().upper().startswith("SELECT") and Event._meta.db_table in select.split(" WHERE ")[0]:
                return select, len(statements), run
        raise CommandError("Could not find the export's main query among its queries.")

    def raw_once(self, sql):
        """The database's own dump of the export's query, same order; (rows, bytes, seconds)."""
        started = time.perf_counter()
        size = rows = 0
        # Planned as the export plans it (jit, random_page_cost), so the two differ only in what reads the rows.
        with transaction.atomic(), connection.cursor() as cursor:
            export._tune_for_export(connection)
            if connection.vendor == "postgresql":
                with cursor.cursor.copy(f"COPY ({sql}) TO STDOUT WITH CSV") as copy:
                    for block in copy:
                        size += len(block)
                # The COPY's own count ("COPY n"): a COUNT(*) of the query ran it whole again, per run.
                return cursor.cursor.rowcount, size, time.perf_counter() - started
            sink = _CountingSink()
            writer = csv.writer(sink)
            cursor.execute(sql)
            while batch := cursor.fetchmany(2000):
                writer.writerows(batch)
                rows += len(batch)
        return rows, sink.bytes, time.perf_counter() - started

    def copy_table_once(self):
        """The database's own dump of the events table alone, every column; (rows, seconds).

        The yardstick the issue gives downloads: a plain one-table COPY (a raw
        cursor into csv.writer on SQLite), no joins, no lists.
        """
        table = connection.ops.quote_name(Event._meta.db_table)
        started = time.perf_counter()
        rows = 0
        with connection.cursor() as cursor:
            if connection.vendor == "postgresql":
                # Text format: a line per row, line breaks inside values escaped.
                with cursor.cursor.copy(f"COPY {table} TO STDOUT") as copy:
                    for block in copy:
                        rows += bytes(block).count(b"\n")
                return rows, time.perf_counter() - started
            writer = csv.writer(_CountingSink())
            cursor.execute(f"SELECT * FROM {table}")
            while batch := cursor.fetchmany(2000):
                writer.writerows(batch)
                rows += len(batch)
        return rows, time.perf_counter() - started

    def downloads(self, csv_runs):
        """First-row latency of the full CSV (from csv()'s runs) and JSON, the JSON's rows per second,
        and both rates against a one-table COPY."""
        copies = [self.copy_table_once() for _ in range(3)]
        copy_rows_per_s = copies[0][0] / statistics.median(seconds for _, seconds in copies)
        json_runs = [self.download_once("/export.json") for _ in range(max(2, self.csv_runs))]
        results = {"copy_rows": copies[0][0], "copy_rows_per_s": copy_rows_per_s}
        for kind, runs in (("csv", csv_runs), ("json", json_runs)):
            results[f"{kind}_first_row_s"] = statistics.median(run[3] for run in runs)
            results[f"{kind}_first_row_max_s"] = max(run[3] for run in runs)
            rows_per_s = runs[0][0] / statistics.median(run[2] for run in runs)
            results[f"{kind}_vs_copy"] = rows_per_s / copy_rows_per_s
        results["json_rows_per_s"] = rows_per_s
        return results

    def download_phases(self, fx, out):
        """The CSV's and the downloads' phases alone (--only downloads): rows per second, against the
        query's raw dump and a one-table COPY, first rows, memory."""
        if out:
            out.write("CSV export, then the downloads: first rows, JSON, one-table COPY...")
        results = self.csv(fx)
        results.update(self.downloads(results.pop("csv_runs")))
        return results

    def traced_peak_mb(self, run):
        gc.collect()
        tracemalloc.start()
        try:
            tracemalloc.reset_peak()
            baseline = tracemalloc.get_traced_memory()[0]
            run()
            peak = tracemalloc.get_traced_memory()[1]
        finally:
            tracemalloc.stop()
        return (peak - baseline) / 2**20

    def csv(self, fx):
        tenth = f"?since={fx['tenth_since']}"
        sql, queries, first_run = self.export_sql()  # also warms the export's code paths
        runs = []
        with RssSampler() as rss:
            for _ in range(self.csv_runs):
                runs.append(self.export_once())
        rows = runs[0][0]
        csv_seconds = statistics.median(run[2] for run in runs)
        raw_runs = [self.raw_once(sql) for _ in range(max(3, self.csv_runs))]
        raw_rows = raw_runs[0][0]
        raw_seconds = statistics.median(run[2] for run in raw_runs)
        if raw_rows != rows:
            raise CommandError(f"The CSV has {rows} rows, the raw dump of its query {raw_rows}.")
        return {
            "csv_rows": rows,
            "csv_bytes": runs[0][1],
            "csv_seconds": csv_seconds,
            "csv_rows_per_s": rows / csv_seconds,
            "raw_rows_per_s": raw_rows / raw_seconds,
            "raw_bytes": raw_runs[0][1],
            "csv_vs_raw": (rows / csv_seconds) / (raw_rows / raw_seconds),
            "csv_rows_small": self.export_once(tenth)[0],
            "csv_peak_mb_small": self.traced_peak_mb(lambda: self.export_once(tenth)),
            "csv_peak_mb_large": self.traced_peak_mb(self.export_once),
            "csv_rss_growth_mb": rss.growth,
            "rss_resting_mb": rss.start,
            "csv_queries": queries,
            # Every full CSV of this run: downloads() reads their first-row times.
            "csv_runs": [first_run, *runs],
            "raw_sql": sql[:2000],
        }


def xlsx_once(client, query, request_options):
    """The .xlsx download through the client, read to the end; (bytes, seconds)."""
    started = time.perf_counter()
    response = client.get("/export.xlsx" + query, **request_options)
    if response.status_code != 200:
        raise CommandError(f"/export.xlsx{query} answered {response.status_code}.")
    size = sum(len(chunk) for chunk in response.streaming_content)
    return size, time.perf_counter() - started


def measure_xlsx(bench, fx, csv_results):
    """Rows per second of the .xlsx download of a tenth of the events, and its memory at a tenth and a hundredth."""
    tenth, hundredth = f"?since={fx['tenth_since']}", f"?since={fx['hundredth_since']}"
    rows_tenth = csv_results["csv_rows_small"]
    rows_hundredth = bench.export_once(hundredth)[0]
    xlsx_once(bench.client, hundredth, bench.request_options)  # warm
    with RssSampler() as rss:
        size, seconds = xlsx_once(bench.client, tenth, bench.request_options)
    return {
        "xlsx_rows": rows_tenth,
        "xlsx_bytes": size,
        "xlsx_seconds": seconds,
        "xlsx_rows_per_s": rows_tenth / seconds,
        "xlsx_rss_growth_mb": rss.growth,
        "xlsx_rows_small": rows_hundredth,
        "xlsx_peak_mb_small": bench.traced_peak_mb(lambda: xlsx_once(bench.client, hundredth, bench.request_options)),
        "xlsx_peak_mb_large": bench.traced_peak_mb(lambda: xlsx_once(bench.client, tenth, bench.request_options)),
    }


def measure_release_build():
    """Two releases of every public event into a temporary directory: the first alone, the second
    with its changelog against the first. Their rows are deleted afterwards (the second needs the
    first's to compare with); the bench data stays."""
    results = {}
    cut = []
    with tempfile.TemporaryDirectory() as root, override_settings(RELEASES_ROOT=Path(root)):
        try:
            for run in ("first", "second"):
                gc.collect()
                with RssSampler() as rss:
                    started = time.perf_counter()
                    cut.append(releases.cut_release("https://bench.example.org"))
                    seconds = time.perf_counter() - started
                release = cut[-1]
                results[run] = {"seconds": seconds, "rss_growth_mb": rss.growth, "events": release.event_count}
                results[run]["bytes"] = release.csv_bytes + release.json_bytes
            if not cut[-1].has_changelog:
                raise CommandError("The second release has no changelog: a release was there before the bench's first.")
        finally:
            Release.objects.filter(pk__in=[release.pk for release in cut]).delete()
    second = results["second"]
    return {
        "release_events": second["events"],
        "release_build_s": second["seconds"],
        "release_first_build_s": results["first"]["seconds"],
        "release_rows_per_s": second["events"] / second["seconds"],
        "release_bytes": second["bytes"],
        "release_rss_growth_mb": second["rss_growth_mb"],
        "release_first_rss_growth_mb": results["first"]["rss_growth_mb"],
    }


def _fmt(value, digits=2):
    if value is None:
        return "-"
    if isinstance(value, float):
        if math.isnan(value):
            return "-"
        return f"{value:,.{digits}f}"
    if isinstance(value, int):
        return f"{value:,}"
    return str(value)


def _meets(value, op, limit):
    return value is not None and {"<=": value <= limit, "<": value < limit, ">=": value >= limit}[op]


def check_targets(results):
    checks = []
    for key, op, limit in TARGETS:
        value = results.get(key)
        checks.append((key, f"{op} {limit}", value, _meets(value, op, limit)))
    same = results["queries_page_small"] == results["queries_page_large"]
    checks.append(("queries_page_small == large", "equal", f"{results['queries_page_small']} / {results['queries_page_large']}", same))
    for name in ("measures", "measures_filtered"):
        small, large = results["queries_small"][name], results["queries"][name]
        checks.append((f"queries_{name}_small == large", "equal", f"{small} / {large}", small == large))
    flat = results["csv_peak_mb_large"] <= 1.2 * results["csv_peak_mb_small"]
    checks.append(("csv_peak_mb_large", f"<= 1.2 x {results['csv_peak_mb_small']:.2f}", results["csv_peak_mb_large"], flat))
    growth = results.get("csv_rss_growth_mb")
    if growth is not None:
        checks.append(("csv_rss_growth_mb", "< 32", growth, growth < 32))
    # Issue 13: no reader pays for a snapshot, and the index does not multiply with the workers.
    checks.append(("rebuilds_paid_by_requests", "== 0", results["rebuilds_paid_by_requests"], results["rebuilds_paid_by_requests"] == 0))
    memory = results.get("index_mb_per_worker")
    if memory is not None:
        checks.append(("index_mb_per_worker", "< 50", memory, memory < 50))
    return checks


def check_admin_targets(results):
    return [(key, f"{op} {limit}", results.get(key), _meets(results.get(key), op, limit)) for key, op, limit in ADMIN_TARGETS]


def download_lines(results):
    """The downloads' figures and targets, as the full run prints them."""
    return [
        f"CSV of all public events: {results['csv_rows']:,} rows, {_fmt(results['csv_rows_per_s'], 0)} rows/s; "
        f"raw dump of its query {_fmt(results['raw_rows_per_s'], 0)} rows/s; csv_vs_raw {_fmt(results['csv_vs_raw'], 3)}",
        f"CSV peak memory (tracemalloc): {_fmt(results['csv_peak_mb_small'])} MB at {results['csv_rows_small']:,} rows, "
        f"{_fmt(results['csv_peak_mb_large'])} MB at {results['csv_rows']:,} rows; RSS growth {_fmt(results['csv_rss_growth_mb'])} MB "
        f"over {_fmt(results['rss_resting_mb'], 0)} MB resting; {results['csv_queries']} queries",
        f"Downloads: first row CSV {_fmt(results['csv_first_row_s'], 3)} s (max {_fmt(results['csv_first_row_max_s'], 3)}), "
        f"JSON {_fmt(results['json_first_row_s'], 3)} s (max {_fmt(results['json_first_row_max_s'], 3)}); full JSON "
        f"{_fmt(results['json_rows_per_s'], 0)} rows/s; one-table COPY of {results['copy_rows']:,} events "
        f"{_fmt(results['copy_rows_per_s'], 0)} rows/s; csv_vs_copy {_fmt(results['csv_vs_copy'], 3)}, "
        f"json_vs_copy {_fmt(results['json_vs_copy'], 3)}",
        *(f"  {'ok  ' if ok else 'MISS'} {key:<30} {_fmt(value):>12}  {target}" for key, target, value, ok in results["download_targets"]),
    ]


def check_download_targets(results):
    return [(key, f"{op} {limit:,}", results.get(key), _meets(results.get(key), op, limit)) for key, op, limit in DOWNLOAD_TARGETS]


def check_api_targets(results):
    checks = [(key, f"{op} {limit}", results.get(key), _meets(results.get(key), op, limit)) for key, op, limit in API_TARGETS]
    api = [name for name, _ in ENDPOINTS if name.startswith("api_")]
    same = all(results["queries_small"][name] == results["queries"][name] for name in api)
    counts = " ".join(f"{results['queries_small'][name]}/{results['queries'][name]}" for name in api)
    checks.append(("api queries small == large", "equal", counts, same))
    # A release holds the ids of its events (8 bytes each) for its changelog; its files stream.
    ids_mb = 2 * 8 * results["release_events"] / 2**20
    growth = results.get("release_rss_growth_mb")
    if growth is not None:
        checks.append(("release_rss_growth_mb", f"< 32 + {ids_mb:.0f} (ids)", growth, growth < 32 + ids_mb))
    flat = results["xlsx_peak_mb_large"] <= 1.2 * results["xlsx_peak_mb_small"]
    checks.append(("xlsx_peak_mb_large", f"<= 1.2 x {results['xlsx_peak_mb_small']:.2f}", results["xlsx_peak_mb_large"], flat))
    return checks


def render_table(results):
    lines = []
    t_large, t_small = results["timings"], results.get("timings_small", {})
    q_large, q_small = results["queries"], results["queries_small"]
    floor = t_large["floor"]["p95_ms"]
    lines.append(
        f"{results['database']}: {results['events']:,} events ({results['public_events']:,} public); "
        f"{results['rounds']} rounds; load average {results['load_average_start']} -> {results['load_average_end']}"
    )
    header = (
        f"{'request':<36} {'median ms':>10} {'p95 ms':>9} {'p95/floor':>10} {'med/floor':>10} "
        f"{'p95 @' + format(results['small_events'], ','):>10} {'queries':>8} {'@' + format(results['small_events'], ','):>7}"
    )
    lines += [header, "-" * len(header)]
    for name, label in ENDPOINTS:
        timing = t_large[name]
        ratio = timing["p95_ms"] / floor
        median_ratio = timing["median_ms"] / t_large["floor"]["median_ms"]
        lines.append(
            f"{label[:36]:<36} {_fmt(timing['median_ms']):>10} {_fmt(timing['p95_ms']):>9} {_fmt(ratio):>10} {_fmt(median_ratio):>10} "
            f"{_fmt(t_small.get(name, {}).get('p95_ms')):>10} {q_large[name]:>8} {q_small[name]:>7}"
        )
    lines.append("")
    lines.append(
        f"CSV of all public events: {results['csv_rows']:,} rows, {_fmt(results['csv_rows_per_s'], 0)} rows/s; "
        f"raw dump of its query {_fmt(results['raw_rows_per_s'], 0)} rows/s; csv_vs_raw {_fmt(results['csv_vs_raw'], 3)}"
    )
    lines.append(
        f"CSV peak memory (tracemalloc): {_fmt(results['csv_peak_mb_small'])} MB at {results['csv_rows_small']:,} rows, "
        f"{_fmt(results['csv_peak_mb_large'])} MB at {results['csv_rows']:,} rows; RSS growth {_fmt(results['csv_rss_growth_mb'])} MB "
        f"over {_fmt(results['rss_resting_mb'], 0)} MB resting; {results['csv_queries']} queries"
    )
    lines.append(
        f"Downloads: first row CSV {_fmt(results['csv_first_row_s'], 3)} s (max {_fmt(results['csv_first_row_max_s'], 3)}), "
        f"JSON {_fmt(results['json_first_row_s'], 3)} s (max {_fmt(results['json_first_row_max_s'], 3)}); full JSON "
        f"{_fmt(results['json_rows_per_s'], 0)} rows/s; one-table COPY of {results['copy_rows']:,} events "
        f"{_fmt(results['copy_rows_per_s'], 0)} rows/s; csv_vs_copy {_fmt(results['csv_vs_copy'], 3)}, "
        f"json_vs_copy {_fmt(results['json_vs_copy'], 3)}"
    )
    lines.append(
        f"XLSX of a tenth: {results['xlsx_rows']:,} rows, {_fmt(results['xlsx_rows_per_s'], 0)} rows/s, "
        f"{_fmt(results['xlsx_bytes'] / 2**20)} MB; peak memory (tracemalloc) {_fmt(results['xlsx_peak_mb_small'])} MB at "
        f"{results['xlsx_rows_small']:,} rows, {_fmt(results['xlsx_peak_mb_large'])} MB at {results['xlsx_rows']:,}; "
        f"RSS growth {_fmt(results['xlsx_rss_growth_mb'])} MB"
    )
    lines.append(
        f"Release of {results['release_events']:,} events (CSV + JSON, {_fmt(results['release_bytes'] / 2**20, 0)} MB): "
        f"{_fmt(results['release_build_s'], 1)} s with its changelog ({_fmt(results['release_rows_per_s'], 0)} rows/s), "
        f"{_fmt(results['release_first_build_s'], 1)} s the first; RSS growth {_fmt(results['release_rss_growth_mb'])} MB"
    )
    lines.append(f"Search “{SEARCH}” matches {results['search_hit_fraction']:.1%} of public events.")
    lines.append(
        f"Facet index snapshot (written off the request path, by one process): median {_fmt(results['facet_index_build_ms'], 0)} ms, "
        f"max {_fmt(results['facet_index_build_max_ms'], 0)} ms, peak RSS growth {_fmt(results['facet_index_build_peak_growth_mb'])} MB; "
        f"{_fmt(results['facet_index_disk_mb'])} MB on disk, mapped and shared by every worker"
    )
    lines.append(
        f"Facet index memory per worker (private, beyond its baseline): {_fmt(results['index_mb_per_worker'])} MB; "
        f"snapshots written on a request's path while timing: {results['rebuilds_paid_by_requests']}"
    )
    lines.append("")
    lines.append("Targets (issue 7 at 100,000 events, the measures' of issue 14 at 1,000,000; on PostgreSQL):")
    for key, target, value, ok in results["targets"]:
        lines.append(f"  {'ok  ' if ok else 'MISS'} {key:<30} {_fmt(value) if not isinstance(value, str) else value:>12}  {target}")
    lines.append("Admin targets (issue 15; they apply to PostgreSQL at 1,000,000 events):")
    for key, target, value, ok in results["admin_targets"]:
        lines.append(f"  {'ok  ' if ok else 'MISS'} {key:<30} {_fmt(value):>12}  {target}")
    lines.append("Download targets (issue 12; they apply to PostgreSQL at 1,000,000 events):")
    for key, target, value, ok in results["download_targets"]:
        lines.append(f"  {'ok  ' if ok else 'MISS'} {key:<30} {_fmt(value):>12}  {target}")
    lines.append("API, XLSX and release targets (issue 16; they apply to PostgreSQL at 1,000,000 events):")
    for key, target, value, ok in results["api_targets"]:
        lines.append(f"  {'ok  ' if ok else 'MISS'} {key:<30} {_fmt(value) if not isinstance(value, str) else value:>12}  {target}")
    return "\n".join(lines)


class Command(BaseCommand):
    help = "Benchmark the timeline at N events on a database of its own; writes bench-results.json."

    def add_arguments(self, parser):
        parser.add_argument("--events", type=int, default=int(os.environ.get("EVENTS") or 100_000))
        parser.add_argument("--small-events", type=int, default=SMALL_EVENTS, help="Where queries are counted first (default 1,000).")
        # A p95 is the 10th slowest of 200 samples: steady enough to compare two
        # endpoints of 2 ms each, where 60 rounds left it to the 3rd slowest.
        parser.add_argument("--rounds", type=int, default=200, help="Timed rounds over every endpoint (default 200).")
        parser.add_argument("--warmup", type=int, default=3, help="Untimed rounds first (default 3).")
        parser.add_argument(
            "--budget", type=float, default=20, help="Seconds of timed requests per endpoint before it sits out (default 20)."
        )
        parser.add_argument("--csv-runs", type=int, default=1, help="Timed full CSV exports (default 1; each is a long average).")
        parser.add_argument("--output", default=str(Path(settings.BASE_DIR) / "bench-results.json"))
        parser.add_argument(
            "--in-place",
            action="store_true",
            help="Use the configured database as it is (the smoke test's test database) instead of a bench database.",
        )
        parser.add_argument("--skip-data", action="store_true", help="Measure the bench rows already there (N must match).")
        parser.add_argument(
            "--only",
            default="",
            help="Comma-separated endpoints (e.g. admin_first,admin_deep) to time against the floor at N events alone: "
            "no smaller size, no downloads. For a quick before/after; `make bench` measures everything. "
            "`served` is the run through gunicorn (--served-seconds).",
        )
        parser.add_argument(
            "--served-seconds",
            type=int,
            default=60,
            help="Seconds of readers' requests through gunicorn, per cache (default 60; 0 skips the served run).",
        )
        parser.add_argument(
            "--served-redis-url",
            default=SERVED_REDIS_URL,
            help=f"The Redis database of the served run's second half, emptied first: one of its own (default {SERVED_REDIS_URL}).",
        )

    def handle(
        self,
        *args,
        events,
        small_events,
        rounds,
        warmup,
        budget,
        csv_runs,
        output,
        in_place,
        skip_data,
        only,
        served_seconds,
        served_redis_url,
        verbosity=1,
        **options,
    ):
        out = self.stdout if verbosity else None
        small_events = min(small_events, max(events // 5, 4 * PAGE_SIZE))
        if events < 4 * PAGE_SIZE:
            raise CommandError(f"--events must be at least {4 * PAGE_SIZE}.")
        if settings.DEBUG and out:
            out.write(self.style.WARNING("DEBUG is on: templates and queries carry debug overhead; `make bench` runs with it off."))
        known = {name for name, _ in ENDPOINTS} | {"served", "downloads"}
        chosen = {name.strip() for name in only.split(",") if name.strip()}
        if chosen - known:
            raise CommandError(f"--only: unknown endpoints {', '.join(sorted(chosen - known))}; known: {', '.join(sorted(known))}.")
        serve = served_seconds > 0 and (not chosen or "served" in chosen)
        download_phases = "downloads" in chosen
        if chosen:
            chosen -= {"served", "downloads"}
            chosen.add("floor")
        if not in_place:
            name = use_bench_database(self.stdout)
            if out:
                out.write(f"Bench database: {name}")
            call_command("migrate", interactive=False, verbosity=0)
        load_start = os.getloadavg()[0] if hasattr(os, "getloadavg") else None

        with override_settings(ROOT_URLCONF=__name__, ALLOWED_HOSTS=[*settings.ALLOWED_HOSTS, "testserver"]):
            bench = Bench(out, rounds, warmup, csv_runs, budget)
            progress = verbosity > 0
            timings = {}

            def at_size(count, size_label, size_rounds):
                """Generate `count` events (unless --skip-data), then count and time each endpoint's queries."""
                if out:
                    out.write(f"Generating {count:,} events, then timing {size_rounds} rounds...")
                if not skip_data:
                    timings[f"data_{size_label}"] = bench_data.generate(count, progress=progress)["total"]
                fixtures = bench.fixtures()
                endpoints = bench.endpoints(fixtures)
                if chosen:
                    endpoints = {name: run for name, run in endpoints.items() if name in chosen}
                queries = bench.count_queries(endpoints)
                return fixtures, queries, bench.time(endpoints, size_rounds, f"{count:,} events")

            if chosen:
                fx, queries, timed = at_size(events, "large", rounds)
                served = measure_served(fx, served_seconds, served_redis_url, out) if serve else {}
                downloaded = bench.download_phases(fx, out) if download_phases else {}
                return self._write_only(timed, queries, fx, events, rounds, output, out, served, downloaded)
            _, queries_small, timings_small = at_size(small_events, "small", max(3, rounds // 5))
            builds_before = facet_index.builds_by_requests()
            fx, queries_large, timed = at_size(events, "large", rounds)
            rebuilds_paid_by_requests = facet_index.builds_by_requests() - builds_before
            index_build = bench.facet_index_build()
            index_private_mb = bench.facet_index_memory(fx)
            if out:
                out.write("CSV export...")
            csv_results = bench.csv(fx)
            if out:
                out.write("Downloads: first rows, JSON, one-table COPY...")
            download_results = bench.downloads(csv_results.pop("csv_runs"))
            if out:
                out.write("XLSX and a release...")
            xlsx_results = measure_xlsx(bench, fx, csv_results)
            release_results = measure_release_build()
            served_results = measure_served(fx, served_seconds, served_redis_url, out) if serve else {}

        floor = timed["floor"]["p95_ms"]

        def vs_floor(name):
            return timed[name]["p95_ms"] / floor

        results = {
            "events": events,
            "database": database_label(),
            "floor_p95_ms": floor,
            "page_p95_ms": timed["page"]["p95_ms"],
            "page_vs_floor": vs_floor("page"),
            "filtered_vs_floor": vs_floor("filtered"),
            "partial_vs_floor": vs_floor("partial"),
            "search_vs_floor": vs_floor("search"),
            "facets_vs_floor": vs_floor("facets"),
            "facets_all_vs_floor": vs_floor("facets_all"),
            "facets_words_vs_floor": vs_floor("facets_words"),
            "index_mb_per_worker": index_private_mb,
            "rebuilds_paid_by_requests": rebuilds_paid_by_requests,
            "event_vs_floor": vs_floor("event"),
            "measures_vs_floor": vs_floor("measures"),
            "measures_filtered_vs_floor": vs_floor("measures_filtered"),
            "measures_cold_vs_floor": vs_floor("measures_cold"),
            "admin_first_vs_floor": vs_floor("admin_first"),
            "admin_deep_vs_floor": vs_floor("admin_deep"),
            "deep_page_vs_first": timed["more_deep"]["p95_ms"] / timed["more_first"]["p95_ms"],
            "admin_deep_vs_first": timed["admin_deep"]["p95_ms"] / timed["admin_first"]["p95_ms"],
            "queries_page_small": queries_small["page"],
            "queries_page_large": queries_large["page"],
            **{
                key: csv_results[key]
                for key in ("csv_rows_per_s", "raw_rows_per_s", "csv_vs_raw", "csv_peak_mb_small", "csv_peak_mb_large")
            },
            # What the figures above came from.
            "small_events": small_events,
            "public_events": fx["public_events"],
            "rounds": rounds,
            "ratios_are": "p95 / p95, same run",
            "median_ratios": {
                **{f"{name}_vs_floor": timed[name]["median_ms"] / timed["floor"]["median_ms"] for name in timed if name != "floor"},
                "deep_page_vs_first": timed["more_deep"]["median_ms"] / timed["more_first"]["median_ms"],
                "admin_deep_vs_first": timed["admin_deep"]["median_ms"] / timed["admin_first"]["median_ms"],
            },
            "timings": timed,
            "timings_small": timings_small,
            "queries": queries_large,
            "queries_small": queries_small,
            "queries_equal": {name: queries_small[name] == queries_large[name] for name in queries_large},
            **{key: value for key, value in csv_results.items() if key not in ("csv_rows_per_s", "raw_rows_per_s", "csv_vs_raw")},
            **download_results,
            **xlsx_results,
            **release_results,
            **served_results,
            "api_page_vs_floor": vs_floor("api_page"),
            "api_filtered_vs_floor": vs_floor("api_filtered"),
            "api_deep_vs_floor": vs_floor("api_deep"),
            "api_event_vs_floor": vs_floor("api_event"),
            "search": SEARCH,
            "search_hit_fraction": fx["search_hit_fraction"],
            "facet_index_build_ms": index_build["median_ms"],
            "facet_index_build_max_ms": index_build["max_ms"],
            "facet_index_build_peak_growth_mb": index_build["peak_growth_mb"],
            "facet_index_disk_mb": index_build["disk_mb"],
            "filter": FILTER,
            "paths": fx["paths"],
            "deep_position": fx["deep_position"],
            "data_seconds": timings,
            "load_average_start": round(load_start, 2) if load_start is not None else None,
            "load_average_end": round(os.getloadavg()[0], 2) if hasattr(os, "getloadavg") else None,
            "cpus": os.cpu_count(),
            "python": platform.python_version(),
            "django": django.get_version(),
            "debug": settings.DEBUG,
            "commit": _commit(),
            "finished_at": datetime.datetime.now(datetime.UTC).isoformat(timespec="seconds"),
        }
        results["targets"] = check_targets(results)
        results["admin_targets"] = check_admin_targets(results)
        results["download_targets"] = check_download_targets(results)
        results["api_targets"] = check_api_targets(results)
        if served_results:
            results["served_targets"] = check_served_targets(results)
        Path(output).write_text(json.dumps(results, indent=2, default=str) + "\n")
        if out:
            out.write("")
            out.write(render_table(results))
            if served_results:
                out.write("\n".join(served_lines(results)))
            out.write(f"\nWrote {output}")

    def _write_only(self, timed, queries, fx, events, rounds, output, out, served, downloaded):
        """The results of --only: the chosen endpoints' timings and their ratios to the floor."""
        floor = timed["floor"]["p95_ms"]
        results = {
            "events": events,
            "database": database_label(),
            "only": sorted(timed),
            "rounds": rounds,
            "ratios_are": "p95 / p95, same run",
            **{f"{name}_vs_floor": timed[name]["p95_ms"] / floor for name in timed if name != "floor"},
            "timings": timed,
            "queries": queries,
            "paths": {name: path for name, path in fx["paths"].items() if name in timed},
            "cpus": os.cpu_count(),
            "commit": _commit(),
            "finished_at": datetime.datetime.now(datetime.UTC).isoformat(timespec="seconds"),
        }
        results["admin_targets"] = [check for check in check_admin_targets(results) if check[2] is not None]
        if served:
            results.update(served, served_targets=check_served_targets({**results, **served}))
        if downloaded:
            results.update(downloaded, download_targets=check_download_targets(downloaded))
        Path(output).write_text(json.dumps(results, indent=2, default=str) + "\n")
        if out:
            for name, label in ENDPOINTS:
                if name in timed:
                    timing = timed[name]
                    out.write(
                        f"{label[:36]:<36} median {_fmt(timing['median_ms']):>8} ms  p95 {_fmt(timing['p95_ms']):>8} ms  "
                        f"p95/floor {_fmt(timing['p95_ms'] / floor):>7}  queries {queries[name]}"
                    )
            for key, target, value, ok in results["admin_targets"]:
                out.write(f"  {'ok  ' if ok else 'MISS'} {key:<30} {_fmt(value):>12}  {target}")
            if served:
                out.write("\n".join(served_lines(results)))
            if downloaded:
                out.write("\n".join(download_lines(results)))
            out.write(f"Wrote {output}")


def _commit():
    try:
        return subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"], cwd=settings.BASE_DIR, capture_output=True, text=True, timeout=5, check=True
        ).stdout.strip()
    except (OSError, subprocess.SubprocessError):
        return None


# ---------------------------------------------------------------------------
# Served (issue 13): readers' requests through gunicorn (config/gunicorn.conf.py,
# 3 workers) on loopback for --served-seconds, once with the local-memory cache
# and once with Redis, a static file interleaved as the floor of the same run.
# Plain threads and http.client: `make bench` needs requirements.txt alone
# (locust is `make loadtest`'s, which also measures full downloads).

SERVED_WORKERS = 3
# One reader per worker. Each asks again as soon as it has its answer, so at
# most three requests are ever in flight: enough to keep both cores and all
# three workers busy, never a queue of requests waiting for a worker, which
# would time the queue rather than the site.
SERVED_READERS = 3
# A fresh worker's first requests import, compile templates and connect; then the caches fill.
SERVED_WARMUP_S = 5
# A reader's visit: requests on one keep-alive connection before the next reader connects anew.
SERVED_VISIT = 8
SERVED_START_TIMEOUT_S = 300  # gunicorn writes the facet index's snapshot first when it is missing
SERVED_FLOOR = "/static/favicon.svg"
SERVED_FLOOR_EVERY = 5  # every fifth request of each reader is the floor, so it samples the whole run alike
SERVED_REDIS_URL = "redis://127.0.0.1:6379/14"
SERVED_TARGETS = [("served_p99_ms", "<", 100), ("served_failed_requests", "==", 0)]
_SERVED_FILTERS = [FILTER, "country=GB", "topic=5g", "type=official-statement&order=oldest"]


def served_mix(fx, port):
    """The readers' requests, by name: (weight, a function of a random generator giving (path, headers)).

    Pages as readers meet them, no full downloads (the load test's downloaders
    measure those). "new filters" asks for combinations of filters too many to
    be cached, so their counts are computed as the request waits.
    """
    paths = fx["paths"]
    htmx = {"HX-Request": "true", "HX-Current-URL": f"http://127.0.0.1:{port}/"}
    year = timezone.localdate().year
    years = range(year - bench_data.YEARS, year + 1)
    countries, topics = list(bench_data.JURISDICTION_WEIGHTS), ["5g", "espionage", "supply-chain", "sanctions", "handsets"]
    filters_ = [*_SERVED_FILTERS, f"since={year - 3}&stage=in_effect"]
    searches = [urlencode({"q": SEARCH}), urlencode({"q": FACET_WORDS}), urlencode({"q": FACET_WORDS, "country": "DE"})]
    public = Event.objects.public()
    bounds = public.order_by("pk").values_list("pk", flat=True)
    low, high = bounds.first(), bounds.last()
    rng = random.Random(13)
    # Twenty events spread over the table, each found through the primary key's index.
    slugs = {public.filter(pk__gte=rng.randint(low, high)).order_by("pk").values_list("slug", flat=True).first() for _ in range(20)}
    events = [f"/events/{slug}/" for slug in sorted(slugs)]

    def new_filters(rng):
        query = rng.choice(
            [
                f"country={rng.choice(countries)}&since={rng.choice(years)}",
                f"topic={rng.choice(topics)}&until={rng.choice(years)}",
                f"country={rng.choice(countries)}&topic={rng.choice(topics)}",
            ]
        )
        return f"/?{query}", {**htmx, "HX-Trigger": "filters"}

    return {
        "first page": (10, lambda rng: ("/", {})),
        "filtered page": (10, lambda rng: (f"/?{rng.choice(filters_)}", {})),
        "htmx partial": (10, lambda rng: (f"/?{rng.choice(filters_)}", {**htmx, "HX-Trigger": "filters"})),
        "load more": (8, lambda rng: (rng.choice([paths["more_first"], paths["more_deep"]]), htmx)),
        "search": (6, lambda rng: (f"/?{rng.choice(searches)}", {})),
        "event page": (14, lambda rng: (rng.choice(events), {})),
        "measures": (6, lambda rng: (rng.choice(["/measures/", paths["measures_filtered"]]), {})),
        "new filters": (8, new_filters),
    }


def served_database_url():
    """DATABASE_URL for gunicorn: the database this process measures (the bench's own, or the tests')."""
    from urllib.parse import quote, urlsplit, urlunsplit

    name = str(connection.settings_dict["NAME"])
    if connection.vendor == "sqlite":
        if name == ":memory:" or name.startswith("file:"):
            raise CommandError("The served run needs a database another process can open, not an in-memory SQLite database.")
        return f"sqlite:///{Path(name).resolve()}"
    # The configured URL with the database's name in it: its user, host and options stay.
    configured = urlsplit(os.environ.get("DATABASE_URL") or "postgres:///")
    return urlunsplit(configured._replace(path="/" + quote(name)))


def _served_get(port, path, timeout=2):
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    try:
        conn.request("GET", path)
        response = conn.getresponse()
        response.read()
        return response.status
    finally:
        conn.close()


def start_gunicorn(port, redis_url, log):
    env = {
        **os.environ,
        "DATABASE_URL": served_database_url(),
        "FACET_INDEX_DIR": str(settings.FACET_INDEX_DIR),
        # Plain HTTP on loopback, as `make run` serves.
        "HTTPS": "false",
        "ALLOWED_HOSTS": "127.0.0.1",
    }
    env.pop("REDIS_URL", None)
    if redis_url:
        env["REDIS_URL"] = redis_url
    command = [sys.executable, "-m", "gunicorn", "-c", "config/gunicorn.conf.py", "--bind", f"127.0.0.1:{port}"]
    command += ["--workers", str(SERVED_WORKERS), "--log-level", "warning"]
    process = subprocess.Popen(command, cwd=settings.BASE_DIR, env=env, stdout=log, stderr=subprocess.STDOUT)
    deadline = time.monotonic() + SERVED_START_TIMEOUT_S
    while time.monotonic() < deadline and process.poll() is None:
        try:
            if _served_get(port, "/robots.txt") == 200:
                return process
        except OSError:
            pass
        time.sleep(0.2)
    stop_gunicorn(process)
    log.seek(0)
    tail = "".join(log.read().decode(errors="replace").splitlines(keepends=True)[-20:])
    raise CommandError(f"gunicorn did not answer on 127.0.0.1:{port} (exit code {process.returncode}):\n{tail}")


def stop_gunicorn(process):
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(timeout=35)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def _served_reader(port, mix, seed, warm_until, end, samples, failures):
    """One reader after another: SERVED_VISIT requests on a connection, each as soon as the last was read,
    every SERVED_FLOOR_EVERY-th of them the floor."""
    rng = random.Random(seed)
    names = list(mix)
    weights = [mix[name][0] for name in names]
    conn, made = None, 0
    while time.perf_counter() < end:
        if conn is None or made % SERVED_VISIT == 0:
            if conn is not None:
                conn.close()
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        if made % SERVED_FLOOR_EVERY == SERVED_FLOOR_EVERY - 1:
            name, (path, headers) = "floor", (SERVED_FLOOR, {})
        else:
            name = rng.choices(names, weights)[0]
            path, headers = mix[name][1](rng)
        started = time.perf_counter()
        try:
            conn.request("GET", path, headers=headers)
            response = conn.getresponse()
            response.read()
        except (OSError, http.client.HTTPException) as error:
            failures.append(f"GET {path}: {error!r}")
            conn.close()
            conn = None
            continue
        elapsed_ms = (time.perf_counter() - started) * 1000
        made += 1
        if response.status != 200:
            failures.append(f"GET {path}: {response.status}")
        elif started >= warm_until:
            samples[name].append(elapsed_ms)
    if conn is not None:
        conn.close()


def _spread(values):
    return {
        "p50_ms": percentile(values, 0.50),
        "p95_ms": percentile(values, 0.95),
        "p99_ms": percentile(values, 0.99),
        "max_ms": max(values, default=float("nan")),
        "n": len(values),
    }


def serve_once(fx, seconds, redis_url):
    """Start gunicorn, let SERVED_READERS readers replay the mix for `seconds` after the warm-up, stop it."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    mix = served_mix(fx, port)
    # Every list made before the readers start: they only append (atomic in CPython).
    samples, failures = {name: [] for name in [*mix, "floor"]}, []
    with tempfile.TemporaryFile() as log:
        process = start_gunicorn(port, redis_url, log)
        try:
            load_start = os.getloadavg()[0]
            warm_until = time.perf_counter() + SERVED_WARMUP_S
            end = warm_until + seconds
            # Daemons: an interrupted bench stops the server and leaves, not readers knocking on a closed port.
            readers = [
                threading.Thread(target=_served_reader, args=(port, mix, seed, warm_until, end, samples, failures), daemon=True)
                for seed in range(SERVED_READERS)
            ]
            for reader in readers:
                reader.start()
            for reader in readers:
                reader.join()
        finally:
            stop_gunicorn(process)
    pages = [value for name, values in samples.items() if name != "floor" for value in values]
    return {
        "readers": _spread(pages),
        "floor": _spread(samples["floor"]),
        "mix": {name: _spread(samples[name]) for name in mix},
        "requests_per_s": (len(pages) + len(samples["floor"])) / seconds,
        "failed_requests": len(failures),
        "failures": failures[:20],
        "load_average": [round(load_start, 2), round(os.getloadavg()[0], 2)],
    }


def measure_served(fx, seconds, redis_url, out):
    """The served figures of issue 13, with the local-memory cache and with Redis (skipped, with the reason, when it does not answer)."""
    runs = {}
    if out:
        out.write(f"Served: gunicorn with {SERVED_WORKERS} workers, {SERVED_READERS} readers, {seconds} s, local-memory cache...")
    runs["locmem"] = serve_once(fx, seconds, None)
    client = redis.Redis.from_url(redis_url, socket_connect_timeout=2)
    try:
        # A database of its own: emptied, so the run starts as cold as the local-memory one.
        client.flushdb()
    except redis.RedisError as error:
        runs["redis"] = {"skipped": f"Redis at {redis_url} did not answer ({error}); the Redis run is skipped."}
        if out:
            out.write(runs["redis"]["skipped"])
    else:
        if out:
            out.write(f"Served: the same with Redis ({redis_url})...")
        runs["redis"] = serve_once(fx, seconds, redis_url)
    finally:
        client.close()
    measured = {cache: run for cache, run in runs.items() if "skipped" not in run}
    worst = max(measured, key=lambda cache: measured[cache]["readers"]["p99_ms"])
    return {
        # The worse of the caches: the target holds for both.
        "served_p99_ms": measured[worst]["readers"]["p99_ms"],
        "served_floor_p99_ms": measured[worst]["floor"]["p99_ms"],
        **{f"served_{cache}_p99_ms": run["readers"]["p99_ms"] for cache, run in measured.items()},
        **{f"served_{cache}_floor_p99_ms": run["floor"]["p99_ms"] for cache, run in measured.items()},
        "served_failed_requests": sum(run["failed_requests"] for run in measured.values()),
        "served": {
            "workers": SERVED_WORKERS,
            "readers": SERVED_READERS,
            "seconds": seconds,
            "warmup_s": SERVED_WARMUP_S,
            "floor": SERVED_FLOOR,
            "runs": runs,
        },
    }


def check_served_targets(results):
    checks = []
    for key, op, limit in SERVED_TARGETS:
        value = results.get(key)
        checks.append((key, f"{op} {limit}", value, value == limit if op == "==" else _meets(value, op, limit)))
    return checks


def served_lines(results):
    served = results["served"]
    lines = [
        "",
        f"Served through gunicorn on loopback ({served['workers']} workers, {served['readers']} readers one request at a time, "
        f"{served['seconds']} s after {served['warmup_s']} s of warm-up; the floor is {served['floor']}, interleaved):",
    ]
    for cache, run in served["runs"].items():
        if "skipped" in run:
            lines.append(f"  {cache}: {run['skipped']}")
            continue
        lines.append(
            f"  {cache}: {_fmt(run['requests_per_s'], 0)} requests/s, {run['failed_requests']} failed, "
            f"load average {run['load_average'][0]} -> {run['load_average'][1]}"
        )
        lines.append(f"    {'mix':<16} {'p50 ms':>8} {'p95 ms':>8} {'p99 ms':>8} {'max ms':>8} {'n':>7}")
        for name, spread in [("readers, all", run["readers"]), *run["mix"].items(), ("floor (static)", run["floor"])]:
            lines.append(
                f"    {name:<16} {_fmt(spread['p50_ms'], 1):>8} {_fmt(spread['p95_ms'], 1):>8} {_fmt(spread['p99_ms'], 1):>8} "
                f"{_fmt(spread['max_ms'], 1):>8} {spread['n']:>7,}"
            )
        lines += [f"    failed: {failure}" for failure in run["failures"][:5]]
    floor = _fmt(results["served_floor_p99_ms"])
    lines.append(f"Served targets (issue 13; PostgreSQL at 1,000,000 events; the worse cache's p99, its floor's {floor} ms):")
    for key, target, value, ok in results["served_targets"]:
        lines.append(f"  {'ok  ' if ok else 'MISS'} {key:<30} {_fmt(value):>12}  {target}")
    return lines
