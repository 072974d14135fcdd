"""What the public site and the admin promise about security."""

from html.parser import HTMLParser

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.test import Client

from .factories import EventFactory

pytestmark = pytest.mark.django_db

HOSTILE_TITLE = '<script>alert("t")</script><img src=x onerror=alert(1)>'
HOSTILE_BODY = """
<script>alert(1)</script>
<iframe src="https://evil.example"></iframe>
<svg onload=alert(1)><circle/></svg>
<img src=x onerror=alert(1)>
[click](javascript:alert(1)) [data](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)
<a href="javascript:alert(1)">raw link</a>
"""


class LiveMarkup(HTMLParser):
    """Collects what a browser would act on: tags, event handlers, script URLs."""

    def __init__(self):
        super().__init__()
        self.found = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag in {"iframe", "object", "embed"}:
            self.found.append(f"<{tag}>")
        if tag == "script" and "src" not in attrs and attrs.get("type") != "application/json":
            self.found.append("inline <script>")
        if tag == "img" and attrs.get("src") == "x":
            self.found.append("<img> from the content")
        for name, value in attrs.items():
            if name.startswith("on"):
                self.found.append(f"{name}= on <{tag}>")
            if name in {"href", "src", "action"} and (value or "").strip().lower().startswith(("javascript:", "data:")):
                self.found.append(f"{name}={value} on <{tag}>")


@pytest.fixture
def hostile_event():
    return EventFactory(title=HOSTILE_TITLE, summary="<b onmouseover=alert(1)>s</b>", body=HOSTILE_BODY, countries=["DE"])


def assert_inert(html):
    parser = LiveMarkup()
    parser.feed(html)
    assert parser.found == []


@pytest.mark.parametrize("path", ["/", "/?country=DE", "/?q=script"])
def test_hostile_content_is_inert_on_the_timeline_and_its_partial(client, hostile_event, path):
    assert_inert(client.get(path).content.decode())
    assert_inert(client.get(path, HTTP_HX_REQUEST="true").content.decode())


def test_hostile_content_is_inert_on_the_event_page(client, hostile_event):
    assert_inert(client.get(hostile_event.get_absolute_url()).content.decode())


def test_hostile_content_is_inert_in_the_admin(admin_client, hostile_event):
    assert_inert(admin_client.get("/admin/timeline/event/").content.decode())
    assert_inert(admin_client.get(f"/admin/timeline/event/{hostile_event.pk}/change/").content.decode())


def test_the_feed_stays_valid_xml_with_hostile_content(client, hostile_event):
    import xml.etree.ElementTree as ET

    feed = ET.fromstring(client.get("/feed/").content)
    [entry] = feed.findall("{http://www.w3.org/2005/Atom}entry")
    # The summary is HTML escaped inside XML: a feed reader shows the text, runs nothing.
    assert "<script>" not in ET.tostring(entry).decode()


def test_a_control_character_pasted_into_a_title_does_not_break_the_feed(client):
    import xml.etree.ElementTree as ET

    EventFactory(title="Pasted\x0bfrom a PDF\x1f", summary="Form\x0cfeed")
    [entry] = ET.fromstring(client.get("/feed/").content).findall("{http://www.w3.org/2005/Atom}entry")
    assert "Pastedfrom a PDF" in ET.tostring(entry, encoding="unicode")
    # A control character in the filters (repeated in the feed's title) too.
    title = ET.fromstring(client.get("/feed/?q=%0Bpasted").content).find("{http://www.w3.org/2005/Atom}title")
    assert title.text == "Policy Timeline: Words: “pasted”"


@pytest.mark.parametrize(
    "path", ["/", "/?country=DE", "/measures/", "/events/x/", "/data/", "/feed/", "/export.csv", "/robots.txt", "/admin/login/"]
)
def test_every_response_carries_the_security_headers(client, path):
    EventFactory(slug="x")
    response = client.get(path)
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["X-Frame-Options"] == "DENY"
    assert response["Referrer-Policy"] == "strict-origin-when-cross-origin"
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"
    csp = response["Content-Security-Policy"]
    for directive in ["object-src 'none'", "base-uri 'none'", "frame-ancestors 'none'", "script-src 'self'"]:
        assert directive in csp
    assert "unsafe-inline" not in csp and "unsafe-eval" not in csp


def test_pages_have_no_inline_script(client):
    EventFactory(slug="x")
    for path in ["/", "/measures/", "/events/x/", "/data/"]:
        html = client.get(path).content.decode()
        for tag in html.split("<script")[1:]:
            opening = tag.split(">")[0]
            assert "src=" in opening or 'type="application/json"' in opening, opening


def test_the_404_page_is_the_sites_own(client):
    response = client.get("/events/no-such-event/")
    assert response.status_code == 404
    assert "Page not found" in response.content.decode() and "Traceback" not in response.content.decode()


def test_the_500_page_is_the_sites_own_without_a_traceback(monkeypatch, db):
    def explode(*args, **kwargs):
        raise RuntimeError("boom")

    monkeypatch.setattr("timeline.views.filter_public_events", explode)
    response = Client(raise_request_exception=False).get("/")
    assert response.status_code == 500
    body = response.content.decode()
    assert "Something went wrong on our side" in body and "boom" not in body and "Traceback" not in body


def test_admin_logins_lock_out_after_repeated_failures(client, admin_user, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        response = client.post("/admin/login/?next=/admin/", {"username": admin_user.username, "password": "wrong"})
        assert response.status_code == 200
    assert client.post("/admin/login/", {"username": admin_user.username, "password": "wrong"}).status_code == 429
    # Locked out: even the right password is refused until the cool-off ends.
    response = client.post("/admin/login/?next=/admin/", {"username": admin_user.username, "password": "password"})
    assert response.status_code == 429
    body = response.content.decode()
    assert "Too many failed logins" in body and "Try again in 15 minutes" in body


def test_a_correct_login_resets_the_failure_count(client, admin_user, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        client.post("/admin/login/", {"username": admin_user.username, "password": "wrong"})
    assert client.post("/admin/login/", {"username": admin_user.username, "password": "password"}).status_code == 302


@pytest.mark.parametrize(
    ("environment", "message"),
    [
        ({"DEBUG": "false", "SECRET_KEY": "", "ALLOWED_HOSTS": "x"}, "SECRET_KEY must be set"),
        (
            {"DEBUG": "false", "SECRET_KEY": "insecure-development-key-never-use-in-production", "ALLOWED_HOSTS": "x"},
            "public development key",
        ),
        ({"DEBUG": "false", "SECRET_KEY": "short", "ALLOWED_HOSTS": "x"}, "at least 32"),
        ({"DEBUG": "false", "SECRET_KEY": "k" * 50, "ALLOWED_HOSTS": ""}, "ALLOWED_HOSTS must be set"),
        ({"DEBUG": "maybe"}, "DEBUG must be one of"),
        ({"DEBUG": "true", "CONN_MAX_AGE": "soon"}, "CONN_MAX_AGE must be an integer"),
    ],
)
def test_settings_refuse_to_start_on_insecure_or_bad_values(monkeypatch, environment, message):
    import importlib.util

    for name, value in environment.items():
        monkeypatch.setenv(name, value)
    spec = importlib.util.spec_from_file_location("settings_under_test", "config/settings.py")
    with pytest.raises(ImproperlyConfigured, match=message):
        spec.loader.exec_module(importlib.util.module_from_spec(spec))
