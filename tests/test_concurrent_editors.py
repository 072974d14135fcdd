"""Editors saving at the same moment, through real HTTP to a live server: no 500, no lost edit.

Each editor is a thread with its own session cookie and CSRF token; a barrier
releases their saves together, as a newsroom's editors meet on a busy day.
"""

import collections
import http.client
import threading
from concurrent.futures import ThreadPoolExecutor
from http.cookies import SimpleCookie
from urllib.parse import urlencode, urlsplit

import pytest
from django.conf import settings
from django.contrib.auth.models import User
from django.test import Client
from reversion.models import Version

from .admin_forms import event_form_fields
from .factories import DraftFactory

EDITORS = 10
ROUNDS = 5
CHANGELIST = "/admin/timeline/event/"


class Browser:
    """One editor's browser: its own cookies, one HTTP request per connection, redirects not followed."""

    def __init__(self, base_url, cookies):
        address = urlsplit(base_url)
        self.host, self.port = address.hostname, address.port
        self.cookies = dict(cookies)

    def request(self, method, path, data=None):
        connection = http.client.HTTPConnection(self.host, self.port, timeout=60)
        headers = {"Cookie": "; ".join(f"{name}={value}" for name, value in self.cookies.items())}
        body = None
        if data is not None:
            body = urlencode(data, doseq=True)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        try:
            connection.request(method, path, body, headers)
            response = connection.getresponse()
            for header in response.headers.get_all("Set-Cookie") or []:
                self.cookies.update({name: morsel.value for name, morsel in SimpleCookie(header).items()})
            return response.status, response.getheader("Location"), response.read().decode()
        finally:
            connection.close()


def editor_browser(base_url, username):
    # A superuser: a transactional test run before this one flushed the roles' groups.
    user = User.objects.create_superuser(username, f"{username}@example.org", "not-a-real-password-42")
    client = Client()
    client.force_login(user)
    return Browser(base_url, {settings.SESSION_COOKIE_NAME: client.cookies[settings.SESSION_COOKIE_NAME].value})


def edit_rounds(browser, event, barrier):
    """Open the event, change its summary, and save when every editor is ready; ROUNDS times."""
    url = f"/admin/timeline/event/{event.pk}/change/"
    outcomes = []
    for round_ in range(ROUNDS):
        status, _, page = browser.request("GET", url)
        if status != 200:
            outcomes.append(("open", status, None))
            barrier.abort()
            break
        form = event_form_fields(page)
        form.update(summary=summary_of(event, round_), _save="pressed")
        barrier.wait()
        status, location, _ = browser.request("POST", url, form)
        outcomes.append(("save", status, location))
    return outcomes


def summary_of(event, round_):
    return f"Round {round_ + 1} of the edit of event {event.pk}."


@pytest.mark.django_db(transaction=True)
def test_editors_saving_different_events_at_the_same_moment_all_succeed_and_lose_nothing(live_server):
    events = [DraftFactory(sources=1) for _ in range(EDITORS)]
    versions_before = {event.pk: event.version for event in events}
    browsers = [editor_browser(live_server.url, f"editor{n}") for n in range(EDITORS)]
    barrier = threading.Barrier(EDITORS, timeout=120)

    with ThreadPoolExecutor(max_workers=EDITORS) as pool:
        runs = [pool.submit(edit_rounds, browser, event, barrier) for browser, event in zip(browsers, events, strict=True)]
        outcomes = [outcome for run in runs for outcome in run.result()]

    tally = collections.Counter((step, status) for step, status, _ in outcomes)
    assert tally == {("save", 302): EDITORS * ROUNDS}, tally
    assert {location for _, _, location in outcomes} == {CHANGELIST}
    for event in events:
        event.refresh_from_db()
        assert event.summary == summary_of(event, ROUNDS - 1)
        assert event.version == versions_before[event.pk] + ROUNDS
        assert Version.objects.get_for_object(event).count() == ROUNDS
