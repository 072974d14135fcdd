"""Readers on the timeline: pages, htmx partials, event pages, feed, CSV, and some bad filters.

Any 5xx is a failure; a 400 for a bad cursor is the expected answer.
"""

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
        self.client.get("/export.csv" + random.choice(FILTERS), name="/export.csv")

    @task(2)
    def bad_filters(self):
        with self.client.get("/" + random.choice(BAD), name="/ [bad input]", catch_response=True) as response:
            if response.status_code in (200, 400):
                response.success()
            else:
                response.failure(f"status {response.status_code}")
