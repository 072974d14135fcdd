"""Corrections as data: in the downloads and the API, the corrected_since filter, the cards' mark, the feed."""

import datetime
import xml.etree.ElementTree as ET

import pytest
from django.utils import timezone

from timeline.models import Correction, Event

from .factories import CorrectionFactory, EventFactory
from .test_downloads import ATOM, csv_rows, json_rows

pytestmark = pytest.mark.django_db


@pytest.fixture
def corrected():
    """Three events: corrected in Jan 2019, corrected in 2018 only, never corrected."""
    recent = EventFactory(title="Recently corrected", slug="recent", body="The **full** account.", date=datetime.date(2018, 3, 1))
    CorrectionFactory(event=recent, corrected_on=datetime.date(2018, 5, 2), note="First fix.")
    CorrectionFactory(event=recent, corrected_on=datetime.date(2019, 1, 12), note='Second fix, with "quotes".')
    old = EventFactory(title="Corrected long ago", slug="old", date=datetime.date(2018, 2, 1))
    CorrectionFactory(event=old, corrected_on=datetime.date(2018, 6, 1), note="Old fix.")
    EventFactory(title="Never corrected", slug="never", date=datetime.date(2018, 1, 1))
    return recent


def test_the_csv_and_json_carry_each_event_s_body_and_corrections(client, corrected):
    rows = {row["title"]: row for row in csv_rows(client.get("/export.csv"))}
    assert rows["Recently corrected"]["body"] == "The **full** account."
    assert rows["Recently corrected"]["correction_dates"] == "2018-05-02 | 2019-01-12"
    assert rows["Recently corrected"]["correction_notes"] == 'First fix. | Second fix, with "quotes".'
    assert rows["Never corrected"]["correction_dates"] == rows["Never corrected"]["correction_notes"] == ""
    events = {event["title"]: event for event in json_rows(client.get("/export.json"))}
    assert events["Recently corrected"]["correction_dates"] == ["2018-05-02", "2019-01-12"]
    assert events["Never corrected"]["correction_notes"] == []


@pytest.mark.parametrize(
    "since, expected",
    [("2019", ["Recently corrected"]), ("2018-06", ["Recently corrected", "Corrected long ago"]), ("2019-01-13", [])],
)
def test_corrected_since_keeps_events_with_a_correction_made_from_that_period_on(client, settings, corrected, since, expected):
    settings.DOWNLOADS_PER_PROCESS = 10
    page = client.get("/", {"corrected_since": since})
    assert [event.title for group in page.context["groups"] for event in group.events] == expected
    assert page.context["total"] == len(expected)
    assert [row["title"] for row in csv_rows(client.get("/export.csv", {"corrected_since": since}))] == expected
    assert [row["title"] for row in json_rows(client.get("/export.json", {"corrected_since": since}))] == expected
    assert [item["title"] for item in client.get("/api/v1/events", {"corrected_since": since}).json()["items"]] == expected
    feed = ET.fromstring(client.get("/feed/", {"corrected_since": since}).content)
    assert len(feed.findall(f"{ATOM}entry")) == len(expected)


def test_corrected_since_is_a_chip_a_field_and_part_of_the_title(client, corrected):
    page = client.get("/", {"corrected_since": "2019-01", "q": ""}).content.decode()
    assert "Corrected since: 2019-01" in page
    assert 'name="corrected_since" id="id_corrected_since" value="2019-01"' in page
    assert "<title>Events corrected since Jan 2019 · Policy Timeline</title>" in page
    assert 'href="/export.csv?corrected_since=2019-01"' in page


def test_a_corrected_since_that_is_not_a_date_is_refused_by_downloads_and_api_and_ignored_by_the_page(client, corrected):
    for path in ("/export.csv", "/export.json", "/export.xlsx", "/feed/"):
        response = client.get(path, {"corrected_since": "last week"})
        assert response.status_code == 400 and "corrected_since" in response.content.decode()
    api = client.get("/api/v1/events", {"corrected_since": "2019-13"})
    assert api.status_code == 400 and api.json()["detail"][0].startswith("corrected_since: ")
    page = client.get("/", {"corrected_since": "last week"})
    assert page.context["total"] == 3
    assert any(line.parameter == "corrected_since" for line in page.context["ignored"])


def test_a_correction_marks_the_event_s_card_at_once(client):
    event = EventFactory(title="Czech warning", slug="czech-warning")
    assert "tag-corrected" not in client.get("/").content.decode()  # its card is now cached
    CorrectionFactory(event=event, corrected_on=datetime.date(2019, 1, 12))
    page = client.get("/").content.decode()
    mark = '<a class="tag tag-corrected" href="/events/czech-warning/#corrections-heading">'
    assert mark + 'Corrected <time datetime="2019-01-12">12 Jan 2019</time></a>' in page


def test_a_correction_updates_the_feed_entry_and_the_api_s_updated_since(client):
    event = EventFactory(slug="czech-warning")
    Event.objects.filter(pk=event.pk).update(updated_at=timezone.now() - datetime.timedelta(days=3))

    def entry_updated():
        [entry] = ET.fromstring(client.get("/feed/").content).findall(f"{ATOM}entry")
        return datetime.datetime.fromisoformat(entry.find(f"{ATOM}updated").text)

    before = entry_updated()
    since = timezone.now()
    assert client.get("/api/v1/events", {"updated_since": since.isoformat()}).json()["items"] == []
    CorrectionFactory(event=event, note="The order covers phones.")
    assert entry_updated() >= since > before
    [item] = client.get("/api/v1/events", {"updated_since": since.isoformat()}).json()["items"]
    assert item["corrections"][0]["note"] == "The order covers phones."


def test_a_restored_correction_keeps_its_event_s_time(client):
    event = EventFactory()
    stamped = timezone.now() - datetime.timedelta(days=3)
    Event.objects.filter(pk=event.pk).update(updated_at=stamped)
    correction = Correction(event_id=event.pk, corrected_on=datetime.date(2019, 1, 12), note="Restored.", created_at=stamped)
    correction.save_base(raw=True)
    assert Event.objects.get(pk=event.pk).updated_at == stamped


def test_a_chip_s_swap_sends_the_corrected_since_field_as_it_now_is(client, corrected):
    # Removing the chip (an htmx request from outside the form) resets the field too.
    response = client.get("/", {"q": "corrected"}, HTTP_HX_REQUEST="true", HTTP_HX_TRIGGER="chip")
    page = response.content.decode()
    assert '<p class="field" id="corrected-field" hx-swap-oob="true">' in page
    assert 'name="corrected_since" id="id_corrected_since" value=""' in page
