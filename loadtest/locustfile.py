"""Readers on the timeline: pages, htmx partials, event pages, feed, CSV, and some bad filters;
and, when asked for (`locust ... Reader Downloader`), downloaders of every event.

Any 5xx is a failure, but for the download cap's answer: a 503 with
Retry-After to a download (counted and printed). A 400 for a bad cursor is
the expected answer. The readers' p95 (downloads apart) is written to
LOADTEST_P95_FILE; with LOADTEST_IDLE_P95 (the p95 of a run without
downloaders) the run fails when it is more than 10 times that.
"""

import os
import random
import re

from locust import HttpUser, between, events, task

FILTERS = [
    "",
    "?country=GB",
    "?country=DE&type=ban-or-restriction",
    "?type=official-statement&order=oldest",
    "?q=5G",
    "?since=2018-12&until=2019",
]
BAD = ["?country=XX&since=someday", "?cursor=not-a-cursor", "?q=%00", "?type=" + "x" * 300, "?until=2019-02-30"]
slugs = []
# Response times (ms) of readers' pages (downloads apart) in this run, and downloads the cap refused.
reader_times = []
refused = {"downloads": 0}
SLOWDOWN_LIMIT = 10


def download(client, path, name):
    """A whole download; the cap's 503 with Retry-After is an answer, not a failure."""
    with client.get(path, name=name, catch_response=True) as response:
        if response.status_code == 503 and response.headers.get("Retry-After"):
            refused["downloads"] += 1
            response.success()
        elif response.status_code != 200:
            response.failure(f"status {response.status_code}")


@events.request.add_listener
def time_readers(name, response_time, **kwargs):
    if not name.startswith("/export."):
        reader_times.append(response_time)


@events.quitting.add_listener
def judge_readers(environment, **kwargs):
    ordered = sorted(reader_times)
    p95 = ordered[int(0.95 * (len(ordered) - 1))] if ordered else 0.0
    p99 = ordered[int(0.99 * (len(ordered) - 1))] if ordered else 0.0
    print(f"Readers: {len(ordered)} requests, p95 {p95:.0f} ms, p99 {p99:.0f} ms; downloads refused by the cap: {refused['downloads']}")
    if path := os.environ.get("LOADTEST_P95_FILE"):
        with open(path, "w") as out:
            out.write(f"{p95}\n")
    idle = float(os.environ.get("LOADTEST_IDLE_P95") or 0)
    if idle and p95 > SLOWDOWN_LIMIT * idle:
        print(f"FAIL: readers' p95 {p95:.0f} ms is more than {SLOWDOWN_LIMIT}x their idle p95 {idle:.0f} ms")
        environment.process_exit_code = 1


@events.test_start.add_listener
def read_slugs(environment, **kwargs):
    import urllib.request

    # The first page of the sitemap index's events: enough event pages to read.
    with urllib.request.urlopen(environment.host + "/sitemap-events.xml") as response:
        slugs.extend(re.findall(r"/events/([^/<]+)/", response.read().decode()))


class Reader(HttpUser):
    wait_time = between(0.1, 0.5)

    @task(6)
    def timeline(self):
        self.client.get("/" + random.choice(FILTERS), name="/ [filtered]")

    @task(4)
    def partial(self):
        self.client.get("/" + random.choice(FILTERS), headers={"HX-Request": "true"}, name="/ [htmx partial]")

    @task(4)
    def event_page(self):
        if slugs:
            self.client.get(f"/events/{random.choice(slugs)}/", name="/events/[slug]/")

    @task(1)
    def feed(self):
        self.client.get("/feed/" + random.choice(FILTERS), name="/feed/")

    @task(1)
    def csv(self):
        download(self.client, "/export.csv" + random.choice(FILTERS), "/export.csv [filtered]")

    @task(2)
    def bad_filters(self):
        with self.client.get("/" + random.choice(BAD), name="/ [bad input]", catch_response=True) as response:
            if response.status_code in (200, 400):
                response.success()
            else:
                response.failure(f"status {response.status_code}")


class Downloader(HttpUser):
    """A researcher downloading every event, again and again."""

    fixed_count = int(os.environ.get("LOADTEST_DOWNLOADERS", "3"))
    wait_time = between(0.5, 1)

    @task
    def everything(self):
        kind = random.choice(["csv", "json"])
        download(self.client, f"/export.{kind}", f"/export.{kind} [full]")
