"""Releases: numbered, frozen, checksummed copies of the public dataset with a changelog."""

import csv
import datetime
import hashlib
import io
import json

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.test import TestCase
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from timeline import releases
from timeline.export import CODEBOOK_VERSION, columns_for
from timeline.models import Event, Release

from .factories import CorrectionFactory, DraftFactory, EventFactory
from .test_downloads import bulk_events
from .test_workflow import logged_in, staff_member

pytestmark = pytest.mark.django_db

SITE = "https://timeline.example.org"

# The columns of each codebook version: a change to the download columns needs a new
# CODEBOOK_VERSION (export.py), which every release names, and a line here.
CODEBOOK_COLUMNS = {
    "2": [
        "id", "title", "date", "end_date", "date_precision", "date_edtf", "event_type", "stage", "measure",
        "jurisdiction_codes", "jurisdiction_names", "actors", "topics", "source_titles", "source_publishers",
        "source_dates", "source_urls", "summary", "url", "published_at", "updated_at", "body", "correction_dates",
        "correction_notes",
    ],
}  # fmt: skip


def cut():
    # The pointer to the latest release is written once the release's row commits (tests run in a transaction).
    with TestCase.captureOnCommitCallbacks(execute=True):
        return releases.cut_release(SITE)


def file_bytes(release, name):
    return (releases.release_dir(release.number) / name).read_bytes()


def release_csv(release):
    text = file_bytes(release, releases.csv_name(release.number)).decode()
    assert text.startswith("\ufeff")
    return list(csv.DictReader(io.StringIO(text[1:])))


def downloaded(response):
    return b"".join(response.streaming_content)


def test_the_codebook_version_names_the_columns_downloads_and_releases_have():
    assert columns_for(False) == CODEBOOK_COLUMNS[CODEBOOK_VERSION]


def test_a_release_holds_what_the_full_downloads_hold_with_their_checksums(client, settings):
    for n in range(3):
        event = EventFactory(title=f"=Event {n}", body="- a list item", countries=["DE"])
    CorrectionFactory(event=event, corrected_on=datetime.date(2019, 1, 12), note="Phones, not network gear.")
    DraftFactory(title="Draft never leaves")
    EventFactory(title="Scheduled", publish_at=timezone.now() + datetime.timedelta(hours=1))
    release = cut()
    assert (release.number, release.event_count, release.codebook_version) == (1, 3, CODEBOOK_VERSION)
    assert release.site_url == SITE and not release.has_changelog
    csv_file, json_file = file_bytes(release, "policy-timeline-release-1.csv"), file_bytes(release, "policy-timeline-release-1.json")
    assert hashlib.sha256(csv_file).hexdigest() == release.csv_sha256 and len(csv_file) == release.csv_bytes
    assert hashlib.sha256(json_file).hexdigest() == release.json_sha256 and len(json_file) == release.json_bytes
    # The same bytes as the live downloads of that moment, the events' addresses on the site's own.
    live_csv = downloaded(client.get("/export.csv")).replace(b"http://testserver/", f"{SITE}/".encode())
    live_json = downloaded(client.get("/export.json")).replace(b"http://testserver/", f"{SITE}/".encode())
    assert csv_file == live_csv and json_file == live_json
    rows = release_csv(release)
    assert [row["title"] for row in rows] == ["'=Event 2", "'=Event 1", "'=Event 0"]
    assert rows[0]["correction_notes"] == "Phones, not network gear." and rows[0]["body"] == "'- a list item"
    assert {event["title"] for event in json.loads(json_file)["events"]} == {"=Event 0", "=Event 1", "=Event 2"}


def test_the_changelog_names_events_added_changed_corrected_and_withdrawn():
    kept, edited, corrected, unpublished, deleted = (EventFactory(title=f"Event {n}") for n in range(5))
    DraftFactory()
    first = cut()
    added = EventFactory(title="New")
    edited.title = "Edited"
    edited.save()
    CorrectionFactory(event=corrected)
    unpublished.unpublish()
    deleted_id = deleted.pk
    deleted.delete()
    second = cut()
    assert second.number == 2
    assert (second.added, second.changed, second.corrected, second.withdrawn) == (1, 1, 1, 2)
    changelog = releases.changelog_of(second)
    assert changelog == {
        "release": 2,
        "previous_release": 1,
        "counts": {"added": 1, "changed": 1, "corrected": 1, "withdrawn": 2},
        "added": [added.pk],
        "changed": [edited.pk],
        "corrected": [corrected.pk],
        "withdrawn": sorted([unpublished.pk, deleted_id]),
    }
    assert kept.pk not in sum((changelog[name] for name in releases.CHANGES), [])
    # Nothing happened since: an empty changelog, and the first release's files unchanged.
    third = cut()
    assert (third.added, third.changed, third.corrected, third.withdrawn) == (0, 0, 0, 0)
    assert hashlib.sha256(file_bytes(first, "policy-timeline-release-1.csv")).hexdigest() == first.csv_sha256


def test_a_release_is_written_in_a_fixed_number_of_queries_from_a_cursor():
    def queries_of_a_cut():
        with CaptureQueriesContext(connection) as captured:
            cut()
        return len(captured)

    bulk_events(10)
    few = queries_of_a_cut()
    bulk_events(990)
    many = queries_of_a_cut()
    # The second cut also reads the corrections and edits since the first (2 queries) for its changelog.
    assert many == few + 2
    assert Release.objects.get(number=2).event_count == 1000


def test_a_second_cut_while_one_runs_is_refused(monkeypatch):
    EventFactory()
    with releases._exclusive(), pytest.raises(releases.ReleaseBusy):
        cut()
    assert not Release.objects.exists()


def test_a_failed_cut_leaves_no_release_and_no_files(monkeypatch, settings):
    EventFactory()

    def broken_rows(*args, **kwargs):
        yield from ()
        raise RuntimeError("the database went away")

    monkeypatch.setattr(releases.export, "release_lines", broken_rows)
    with pytest.raises(RuntimeError):
        cut()
    assert not Release.objects.exists()
    assert [path.name for path in settings.RELEASES_ROOT.iterdir()] == [".lock"]


def test_the_command_cuts_a_release_for_cron(settings, capsys):
    EventFactory()
    call_command("cut_release", "--site-url", SITE + "/")
    assert Release.objects.get().site_url == SITE
    assert "Release 1: 1 events" in capsys.readouterr().out
    settings.SITE_URL = ""
    with pytest.raises(CommandError, match="--site-url"):
        call_command("cut_release")


# --- public pages and files -----------------------------------------------------


def test_the_releases_page_lists_every_release_with_its_files(client):
    EventFactory()
    cut()
    EventFactory()
    cut()
    page = client.get("/data/releases/").content.decode()
    assert "Release 2" in page and "Release 1" in page
    assert "Since release 1: 1 added, 0 changed, 0 corrected, 0 withdrawn." in page
    assert 'href="/data/releases/1/policy-timeline-release-1.csv"' in page
    assert 'href="/data/releases/2/policy-timeline-release-2-changelog.json"' in page


def test_a_release_page_gives_checksums_changes_and_a_citation_naming_the_version(client):
    old = EventFactory(title="Old news")
    cut()
    new = EventFactory(title="New <b>news</b>", slug="new-news")
    old.unpublish()
    release = cut()
    page = client.get("/data/releases/2/").content.decode()
    assert release.csv_sha256 in page and release.json_sha256 in page
    assert '<a href="/events/new-news/">New &lt;b&gt;news&lt;/b&gt;</a> <span class="help">(id ' + str(new.pk) in page
    assert f"Event {old.pk}" in page
    citation = f"Policy Timeline dataset, release 2 (codebook version {CODEBOOK_VERSION}), {release.cut_at:%-d %B %Y}. "
    assert citation + "http://testserver/data/releases/2/. CC BY 4.0." in page
    assert client.get("/data/releases/3/").status_code == 404


def test_a_release_page_names_only_the_first_fifty_of_a_change(client):
    cut()
    bulk_events(60)
    cut()
    page = client.get("/data/releases/2/").content.decode()
    assert page.count("/events/bulk-") == 50
    assert "And 10 more: see the changelog file." in page


@pytest.mark.parametrize(
    "name, content_type",
    [
        ("policy-timeline-release-1.csv", "text/csv; charset=utf-8"),
        ("policy-timeline-release-1.json", "application/json"),
    ],
)
def test_a_release_file_is_sent_from_disk_as_an_attachment(client, name, content_type):
    EventFactory()
    release = cut()
    response = client.get(f"/data/releases/1/{name}")
    assert response.status_code == 200
    assert response["Content-Type"] == content_type
    assert response["Content-Disposition"] == f'attachment; filename="{name}"'
    assert int(response["Content-Length"]) == len(file_bytes(release, name))
    assert response["ETag"] == f'"{release.csv_sha256 if name.endswith(".csv") else release.json_sha256}"'
    assert "immutable" in response["Cache-Control"]
    assert b"".join(response.streaming_content) == file_bytes(release, name)


@pytest.mark.parametrize(
    "path",
    [
        "/data/releases/1/event-ids.int64",
        "/data/releases/1/policy-timeline-release-2.csv",
        "/data/releases/1/policy-timeline-release-1-changelog.json",
        "/data/releases/1/..%2F..%2Fsettings.py",
        "/data/releases/2/policy-timeline-release-2.csv",
    ],
)
def test_only_a_release_s_own_files_are_served(client, path):
    EventFactory()
    cut()
    assert client.get(path).status_code == 404


def link_of(client, path, query=None):
    response = client.get(path, query or {})
    assert response.status_code == 200
    return response.get("Link"), downloaded(response)


def test_the_full_downloads_point_to_the_latest_release_and_filtered_ones_do_not(client, settings):
    # The test client never closes a streamed response, which would give its download slot back.
    settings.DOWNLOADS_PER_PROCESS = 10
    EventFactory(countries=["DE"])
    assert link_of(client, "/export.csv")[0] is None
    cut()
    cut()
    assert link_of(client, "/export.csv")[0] == (
        '<http://testserver/data/releases/2/policy-timeline-release-2.csv>; rel="alternate"; type="text/csv"; title="Release 2"'
    )
    assert link_of(client, "/export.json")[0] == (
        '<http://testserver/data/releases/2/policy-timeline-release-2.json>; rel="alternate"; type="application/json"; title="Release 2"'
    )
    link, body = link_of(client, "/export.csv", {"country": "DE"})
    assert link is None and len(body.splitlines()) == 2


def test_the_codebook_names_the_latest_release_and_its_citation(client):
    assert "No release has been cut yet." in client.get("/data/").content.decode()
    EventFactory()
    release = cut()
    page = client.get("/data/").content.decode()
    assert '<a href="/data/releases/1/">release 1</a>' in page
    assert releases.citation(release, "http://testserver") in page


# --- the admin ------------------------------------------------------------------


def test_an_editor_cuts_a_release_from_the_admin():
    EventFactory()
    editor = logged_in(staff_member("edith", "Editor"))
    listing = editor.get("/admin/timeline/release/").content.decode()
    assert "Cut a new release" in listing
    confirmation = editor.get("/admin/timeline/release/add/").content.decode()
    assert "1 event" in confirmation and "Cut release 1" in confirmation
    response = editor.post("/admin/timeline/release/add/", follow=True)
    release = Release.objects.get()
    assert release.cut_by.username == "edith" and release.site_url == "http://testserver"
    assert "Release 1 is out: 1 events" in response.content.decode()


def test_a_contributor_sees_releases_but_cannot_cut_one():
    contributor = logged_in(staff_member("carla", "Contributor"))
    listing = contributor.get("/admin/timeline/release/")
    assert listing.status_code == 200 and "Cut a new release" not in listing.content.decode()
    assert contributor.post("/admin/timeline/release/add/").status_code == 403
    assert not Release.objects.exists()


def test_a_release_cannot_be_changed_or_deleted_in_the_admin(admin_client):
    EventFactory()
    release = cut()
    admin_client.post(f"/admin/timeline/release/{release.pk}/change/", {"event_count": 0})
    admin_client.post(f"/admin/timeline/release/{release.pk}/delete/", {"post": "yes"})
    assert Release.objects.get().event_count == 1
    assert Event.objects.count() == 1
