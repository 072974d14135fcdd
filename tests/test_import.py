"""Spreadsheet import into review: upload, a preview that writes nothing and lists every row's
problems, confirm; rows become drafts (or in review), never published; ids update, never duplicate."""

import csv
import datetime
import io
import re

import pytest
from django.contrib.auth.models import Permission, User
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from openpyxl import Workbook
from reversion.models import Revision, Version

from timeline.imports import MAX_ROWS
from timeline.models import Event, EventActor, Source, Status

from .factories import ActorFactory, DraftFactory, EventFactory, EventTypeFactory, MeasureFactory, TopicFactory
from .test_workflow import logged_in, staff_member

pytestmark = pytest.mark.django_db

IMPORT = "/admin/timeline/event/import/"
CONFIRM = "/admin/timeline/event/process_import/"
COLUMNS = [
    "id", "title", "date", "end_date", "date_precision", "event_type", "stage", "measure", "jurisdiction_codes", "actors",
    "topics", "source_titles", "source_publishers", "source_dates", "source_urls", "summary", "status",
]  # fmt: skip


@pytest.fixture
def names():
    """What the rows name: a type, a measure, actors and a topic."""
    EventTypeFactory(name="Ban or restriction", slug="ban")
    MeasureFactory(title="UK limits on Huawei in 5G networks", slug="uk-limits")
    ActorFactory(name="Huawei", slug="huawei", kind="company")
    ActorFactory(name="Czech cyber security agency (NÚKIB)", slug="nukib", kind="agency")
    TopicFactory(name="5G", slug="5g")


@pytest.fixture
def contributor():
    return staff_member("carla", "Contributor")


@pytest.fixture
def editor():
    return staff_member("edith", "Editor")


def row(**cells):
    values = {
        "title": "Czech agency warns against Huawei",
        "date": "Dec 2018",
        "event_type": "Ban or restriction",
        "jurisdiction_codes": "CZ",
        "actors": "Czech cyber security agency (NÚKIB) (initiator) | Huawei (target)",
        "topics": "5G",
        "source_titles": "Warning",
        "source_publishers": "NÚKIB",
        "source_dates": "2018-12-17",
        "source_urls": "https://nukib.cz/warning",
        "summary": "The agency calls Huawei and ZTE equipment a security threat.",
    }
    values.update(cells)
    return values


def csv_bytes(rows, columns=COLUMNS, encoding="utf-8"):
    out = io.StringIO()
    writer = csv.DictWriter(out, columns, extrasaction="ignore")
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue().encode(encoding)


def xlsx_bytes(rows, columns=COLUMNS, formulas=()):
    book = Workbook()
    sheet = book.active
    sheet.append(columns)
    for values in rows:
        sheet.append([values.get(column, "") for column in columns])
    for cell, formula in formulas:
        sheet[cell] = formula
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def upload(client, content, name="events.csv", status=None):
    # With the form's hidden fields, as a browser sends them.
    data = {"import_file": SimpleUploadedFile(name, content), "resource": "0", "format": ""}
    if status:
        data["status"] = status
    return client.post(IMPORT, data)


def confirm(client, preview):
    form = preview.context["confirm_form"]
    return client.post(CONFIRM, {name: form.initial.get(name, "") for name in form.fields})


def problems(response):
    """(row, column, message) of every problem the preview lists."""
    assert "problem_rows" in response.context, f"no preview: {response.context['form'].errors}"
    return [(row.number, column, message) for row in response.context["problem_rows"] for column, message in row.problems]


def file_error(response):
    return " ".join(response.context["form"].errors.get("import_file", []))


# The flow -------------------------------------------------------------------------------------


def test_the_preview_writes_nothing_and_the_confirmation_imports_drafts(names, contributor):
    client = logged_in(contributor)
    content = csv_bytes([row(), row(title="Second row", date="2019", jurisdiction_codes="Germany | FR", actors="", topics="")])

    preview = upload(client, content)

    assert preview.status_code == 200 and "confirm_form" in preview.context
    assert [(r.number, r.outcome) for r in preview.context["preview"]] == [(2, "New"), (3, "New")]
    assert Event.objects.count() == 0 and Revision.objects.count() == 0 and Source.objects.count() == 0
    done = confirm(client, preview)
    assert done.status_code == 302 and done.url == "/admin/"
    first, second = Event.objects.order_by("id")
    assert first.status == second.status == Status.DRAFT and first.publish_at is None
    assert first.created_by == first.updated_by == contributor
    assert (first.date, first.date_precision) == (datetime.date(2018, 12, 1), "month")
    assert [j.code for j in first.jurisdictions.all()] == ["CZ"]
    assert {(link.actor.slug, link.role) for link in first.event_actors.all()} == {("nukib", "initiator"), ("huawei", "target")}
    assert [t.name for t in first.topics.all()] == ["5G"]
    source = first.sources.get()
    assert (source.title, source.publisher, source.published_on, source.url) == (
        "Warning", "NÚKIB", datetime.date(2018, 12, 17), "https://nukib.cz/warning"
    )  # fmt: skip
    assert (second.date, second.date_precision) == (datetime.date(2019, 1, 1), "year")
    assert sorted(j.code for j in second.jurisdictions.all()) == ["DE", "FR"]
    # The desk lists them as the contributor's drafts.
    desk = client.get("/admin/").content.decode()
    assert "Imported from “events.csv”: 2 new events (drafts)" in desk and "Second row" in desk


def test_an_xlsx_workbook_imports_like_a_csv(names, editor):
    client = logged_in(editor)
    content = xlsx_bytes([row(date=datetime.date(2018, 12, 17)), row(title="A year", date=2019)])

    preview = upload(client, content, name="events.xlsx")

    assert problems(preview) == []
    confirm(client, preview)
    dates = {e.title: (e.date, e.date_precision) for e in Event.objects.all()}
    assert dates == {
        "Czech agency warns against Huawei": (datetime.date(2018, 12, 17), "day"),
        "A year": (datetime.date(2019, 1, 1), "year"),
    }


@pytest.mark.parametrize(
    ("typed", "precision", "expected"),
    [
        ("2019", "", (datetime.date(2019, 1, 1), "year")),
        ("2019-03", "", (datetime.date(2019, 3, 1), "month")),
        ("Mar 2019", "", (datetime.date(2019, 3, 1), "month")),
        ("2019-03-17", "", (datetime.date(2019, 3, 17), "day")),
        ("17 March 2019", "", (datetime.date(2019, 3, 17), "day")),
        # As the download writes a month: its first day, and the precision.
        ("2019-03-01", "month", (datetime.date(2019, 3, 1), "month")),
    ],
)
def test_dates_are_read_as_editors_type_them(names, editor, typed, precision, expected):
    client = logged_in(editor)
    confirm(client, upload(client, csv_bytes([row(date=typed, date_precision=precision)])))
    event = Event.objects.get()
    assert (event.date, event.date_precision) == expected


def test_the_status_column_never_publishes(names, editor, contributor):
    content = csv_bytes([row(status="published")])
    confirm(logged_in(contributor), upload(logged_in(contributor), content))
    assert Event.objects.get().status == Status.DRAFT
    assert not Event.objects.public().exists()


def test_an_editor_can_import_into_review_and_a_contributor_cannot(names, editor, contributor):
    as_editor = logged_in(editor)
    confirm(as_editor, upload(as_editor, csv_bytes([row(title="By the editor")]), status="review"))
    as_contributor = logged_in(contributor)
    preview = upload(as_contributor, csv_bytes([row(title="By the contributor")]), status="review")
    assert "status" not in preview.context["form"].fields
    # A forged confirmation asking for review is imported as drafts all the same.
    form = preview.context["confirm_form"]
    as_contributor.post(CONFIRM, {**{name: form.initial.get(name, "") for name in form.fields}, "status": "review"})
    assert Event.objects.get(title="By the editor").status == Status.REVIEW
    assert Event.objects.get(title="By the contributor").status == Status.DRAFT
    assert not Event.objects.filter(status=Status.PUBLISHED).exists()


def test_each_imported_event_is_a_revision_by_the_importer_naming_the_file(names, contributor):
    client = logged_in(contributor)
    confirm(client, upload(client, csv_bytes([row()]), name="december.csv"))
    event = Event.objects.get()
    version = Version.objects.get_for_object(event).get()
    assert version.revision.user == contributor
    assert version.revision.comment == "Imported from “december.csv”."
    # The revision holds the event with its actors and sources, as imported.
    held = {v.content_type.model for v in version.revision.version_set.all()}
    assert held == {"event", "eventactor", "source"}
    history = client.get(f"/admin/timeline/event/{event.pk}/history/").content.decode()
    assert "Imported from “december.csv”." in history


# Matching by id ------------------------------------------------------------------------------------


def test_a_second_import_of_the_same_file_updates_rather_than_duplicates(names, editor):
    client = logged_in(editor)
    confirm(client, upload(client, csv_bytes([row(title="First title")])))
    event = Event.objects.get()

    edited = csv_bytes([row(id=str(event.pk), title="Better title", topics="", actors="Huawei (involved)")])
    preview = upload(client, edited)
    assert [r.outcome for r in preview.context["preview"]] == ["Update"]
    confirm(client, preview)

    event = Event.objects.get()
    assert event.title == "Better title" and event.status == Status.DRAFT
    assert not event.topics.exists()
    assert [(link.actor.slug, link.role) for link in event.event_actors.all()] == [("huawei", "involved")]
    assert event.sources.count() == 1
    assert [v.revision.comment for v in Version.objects.get_for_object(event)] == ["Imported from “events.csv”."] * 2

    # The same file again changes nothing and says so.
    again = upload(client, edited)
    assert [r.outcome for r in again.context["preview"]] == ["Unchanged"]


def test_the_editorial_csv_export_can_be_edited_and_imported_back(names, editor):
    draft = DraftFactory(title="Draft from the desk", sources=1, countries=["DE"])
    client = logged_in(editor)
    exported = client.post(
        "/admin/timeline/event/", {"action": "export_csv", "_selected_action": [draft.pk], "select_across": "0", "index": "0"}
    )
    text = b"".join(exported.streaming_content).decode("utf-8-sig").replace("Draft from the desk", "Draft, edited in a spreadsheet")

    preview = upload(client, text.encode())

    assert problems(preview) == [] and [r.outcome for r in preview.context["preview"]] == ["Update"]
    confirm(client, preview)
    draft.refresh_from_db()
    assert draft.title == "Draft, edited in a spreadsheet" and [j.code for j in draft.jurisdictions.all()] == ["DE"]


def test_a_researchers_download_of_published_events_is_left_alone_and_a_change_to_one_refused(names, editor, client):
    published = EventFactory(title="Published event", countries=["GB"])
    download = b"".join(client.get("/export.csv").streaming_content).decode("utf-8-sig")
    as_editor = logged_in(editor)

    unchanged = upload(as_editor, download.encode())
    assert [r.outcome for r in unchanged.context["preview"]] == ["Unchanged"]

    changed = upload(as_editor, download.replace("Published event", "Published event, rewritten").encode())
    assert "confirm_form" not in changed.context
    ((number, column, message),) = problems(changed)
    assert (number, column) == (2, "id")
    assert f"Event {published.pk} is published: an import never changes what readers see" in message
    published.refresh_from_db()
    assert published.title == "Published event"


def test_a_row_whose_event_changed_on_the_site_after_the_download_is_refused(names, editor):
    draft = DraftFactory(title="Draft")
    client = logged_in(editor)
    downloaded_at = (draft.updated_at - datetime.timedelta(minutes=5)).isoformat()
    columns = [*COLUMNS, "updated_at"]
    preview = upload(client, csv_bytes([row(id=str(draft.pk), title="Stale edit", updated_at=downloaded_at)], columns))
    ((_, column, message),) = problems(preview)
    assert column == "updated_at" and f"Event {draft.pk} was changed on the site" in message


@pytest.mark.parametrize(
    ("id_cell", "expected"),
    [
        ("12a", "“12a” is not an event id"),
        ("999999", "No event has the id 999999. Leave the id empty to add the row as a new event."),
    ],
)
def test_an_id_that_names_no_event_is_refused_not_created(names, editor, id_cell, expected):
    ((number, column, message),) = problems(upload(logged_in(editor), csv_bytes([row(id=id_cell)])))
    assert (number, column) == (2, "id") and expected in message
    assert not Event.objects.exists()


def test_the_same_id_twice_in_a_file_is_refused(names, editor):
    draft = DraftFactory()
    preview = upload(logged_in(editor), csv_bytes([row(id=str(draft.pk)), row(id=str(draft.pk), title="Other")]))
    assert problems(preview) == [(3, "id", f"Event {draft.pk} is also in row 2: keep one row per event.")]


# Bad rows ------------------------------------------------------------------------------------------


def test_every_bad_row_is_listed_with_its_row_its_column_and_a_plain_message(names, editor):
    rows = [
        row(),
        row(date="Marhc 2019"),
        row(event_type="Embargo", actors="Huawei (target) | Ericsson (target) | ZTE"),
        row(jurisdiction_codes="CZ | Atlantis", topics="5G | Open RAN"),
        row(stage="in effect"),
        row(title="", source_urls="not a web address"),
        row(title='=HYPERLINK("https://evil.example","click")'),
        row(end_date="2018-11"),
    ]
    preview = upload(logged_in(editor), csv_bytes(rows))

    found = problems(preview)
    by_row = {}
    for number, column, message in found:
        by_row.setdefault(number, []).append((column, message))
    assert 2 not in by_row
    assert by_row[3] == [("date", "“Marhc” is not a month; write it as Mar or March, or as a number: 2019-03.")]
    assert ("event_type", "No event type is called “Embargo”. Types: Ban or restriction.") in by_row[4]
    assert any(column == "actors" and "Not known as actors: Ericsson" in message for column, message in by_row[4])
    assert any(column == "actors" and "Give each actor a role in brackets" in message and "ZTE" in message for column, message in by_row[4])
    assert ("jurisdiction_codes", "Not a country's ISO code or English name: Atlantis.") in by_row[5]
    assert any(column == "topics" and "Open RAN" in message for column, message in by_row[5])
    assert by_row[6] == [("stage", "A stage needs a measure: pick the measure this event is a step of, or clear the stage.")]
    assert ("title", "The title is empty; every event needs one.") in by_row[7]
    assert ("source_urls", "The source: “not a web address” is not a web address (https://…).") in by_row[7]
    assert by_row[8][0][0] == "title" and "holds a formula" in by_row[8][0][1]
    assert by_row[9] == [("end_date", "The end date cannot be before the date.")]
    assert "confirm_form" not in preview.context
    assert not Event.objects.exists() and not Revision.objects.exists()
    page = preview.content.decode()
    assert "7 rows to fix" in page and "Nothing is imported while a row has a problem." in page


def test_names_and_codes_match_whatever_their_case_and_slugs_too(names, editor):
    client = logged_in(editor)
    content = csv_bytes(
        [row(event_type="ban", actors="HUAWEI (Target) | nukib (initiator)", topics="5g", jurisdiction_codes="cz | european union")]
    )
    confirm(client, upload(client, content))
    event = Event.objects.get()
    assert {(link.actor.slug, link.role) for link in EventActor.objects.filter(event=event)} == {
        ("huawei", "target"),
        ("nukib", "initiator"),
    }
    assert sorted(j.code for j in event.jurisdictions.all()) == ["CZ", "EU"]


def test_sources_given_as_addresses_alone_get_a_title_and_publisher(names, editor):
    client = logged_in(editor)
    content = csv_bytes(
        [row(source_titles="", source_publishers="", source_dates="", source_urls="https://www.gov.uk/a | https://nukib.cz/b")]
    )
    confirm(client, upload(client, content))
    assert [(s.title, s.publisher) for s in Source.objects.order_by("id")] == [
        ("https://www.gov.uk/a", "gov.uk"),
        ("https://nukib.cz/b", "nukib.cz"),
    ]


def test_a_cell_the_download_guarded_against_formulas_is_read_as_its_text(names, editor):
    client = logged_in(editor)
    confirm(client, upload(client, csv_bytes([row(title="'-10% on Huawei gear")])))
    assert Event.objects.get().title == "-10% on Huawei gear"


def test_a_formula_in_a_workbook_cell_is_refused(names, editor):
    content = xlsx_bytes([row()], formulas=[("B2", '=HYPERLINK("https://evil.example","Czech agency warns")')])
    ((number, column, message),) = problems(upload(logged_in(editor), content, name="events.xlsx"))
    assert (number, column) == (2, "title") and "holds a formula" in message


# Bad files -----------------------------------------------------------------------------------------


def test_a_file_in_another_encoding_is_refused_with_how_to_save_it(names, editor):
    response = upload(logged_in(editor), csv_bytes([row()], encoding="cp1252"))
    assert response.status_code == 200
    assert "This file is not UTF-8 text" in file_error(response) and "CSV UTF-8" in file_error(response)


def test_a_file_missing_columns_is_refused_naming_them(editor):
    response = upload(logged_in(editor), b"title,date\nA ban,2019\n")
    assert file_error(response) == "Missing columns: event_type, summary. Every file needs title, date, event_type, summary."


def test_unknown_columns_are_refused_rather_than_dropped(editor):
    response = upload(logged_in(editor), b"title,date,event_type,summary,notes\nA ban,2019,ban,Text,keep this\n")
    assert file_error(response).startswith("Unknown columns: notes. The columns read are those of the CSV download")


def test_a_file_of_ten_thousand_rows_is_refused(names, editor):
    response = upload(logged_in(editor), csv_bytes([row()] * 10_000))
    assert f"more than {MAX_ROWS:,} rows" in file_error(response)
    assert not Event.objects.exists()


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        (b"", "The submitted file is empty."),
        (b"\xef\xbb\xbf", "The file is empty: its first row should name the columns"),
        (b"title,date,event_type,summary\r\n\r\n,,,\r\n", "The file has its header row but no events below it."),
    ],
)
def test_an_empty_file_is_refused(editor, content, expected):
    response = upload(logged_in(editor), content)
    assert response.status_code == 200 and expected in file_error(response)


def test_a_file_that_is_not_what_its_name_says_is_refused(editor):
    response = upload(logged_in(editor), b"title,date\n", name="events.xlsx")
    assert "This file is not an Excel workbook (.xlsx)" in file_error(response)
    response = upload(logged_in(editor), xlsx_bytes([]), name="events.csv")
    assert "This file is not CSV text" in file_error(response)
    response = upload(logged_in(editor), b"{}", name="events.json")
    assert "is not a .csv or .xlsx file" in file_error(response)


def test_a_csv_with_semicolons_as_excel_writes_it_in_europe_is_read(names, editor):
    content = csv_bytes([row()]).decode().replace(",", ";").encode()
    preview = upload(logged_in(editor), content)
    assert problems(preview) == [] and [r.outcome for r in preview.context["preview"]] == ["New"]


def test_confirming_twice_imports_once(names, editor):
    client = logged_in(editor)
    preview = upload(client, csv_bytes([row()]))
    confirm(client, preview)
    again = confirm(client, preview)
    assert again.status_code == 302 and again.url == IMPORT
    assert Event.objects.count() == 1


def test_an_event_published_between_preview_and_confirmation_stops_the_whole_import(names, editor):
    draft = DraftFactory(title="Draft", sources=1)
    client = logged_in(editor)
    preview = upload(client, csv_bytes([row(title="New one"), row(id=str(draft.pk), title="Draft, edited")]))
    draft.publish(user=editor)

    response = confirm(client, preview)

    assert response.status_code == 200
    assert "Nothing was imported" in response.content.decode()
    assert [(n, c) for n, c, _ in problems(response)] == [(3, "id")]
    assert not Event.objects.filter(title="New one").exists()


def test_each_row_costs_a_fixed_number_of_queries(names, editor):
    """The preview and the import grow by the same queries per row, whatever the file's length.

    A new row in the preview (16): two savepoints and their releases (the library's and the
    row's own), the slugs its title already has, the slug's uniqueness, the insert, its
    countries and its topics (the links already there, then the insert), its actors and its
    sources (one insert each), and a line of the facet index's change log for the insert, the
    countries and the topics (changes.record); on PostgreSQL its search vector (17). The import adds its
    revision (11 for a row with two actors): the event's countries and topics, its actor links,
    each linked actor's name, its sources, a check that each kind of object still exists (3),
    the revision and its versions.
    """
    client = logged_in(editor)
    per_row = 16 + (1 if connection.vendor == "postgresql" else 0)

    def queries(rows, step):
        content = csv_bytes([row(title=f"Row {i}") for i in range(rows)])
        preview = upload(client, content) if step == "confirm" else None
        with CaptureQueriesContext(connection) as captured:
            if preview is None:
                upload(client, content)
            else:
                confirm(client, preview)
        return len(captured.captured_queries)

    assert queries(4, "preview") - queries(2, "preview") == 2 * per_row
    assert queries(4, "confirm") - queries(2, "confirm") == 2 * (per_row + 11)


# Permissions ---------------------------------------------------------------------------------------


def test_only_users_who_may_add_events_can_import(names, contributor):
    reader = User.objects.create_user("rita", password="x-not-used-42", is_staff=True)
    reader.user_permissions.add(Permission.objects.get(codename="view_event"))
    client = logged_in(reader)
    assert client.get(IMPORT).status_code == 403
    assert client.post(IMPORT, {"import_file": SimpleUploadedFile("e.csv", csv_bytes([row()]))}).status_code == 403
    assert client.post(CONFIRM, {"import_file_name": "x", "original_file_name": "e.csv", "format": "0"}).status_code == 403
    assert IMPORT not in client.get("/admin/timeline/event/").content.decode()
    assert not Event.objects.exists()

    changelist = logged_in(contributor).get("/admin/timeline/event/").content.decode()
    assert re.search(f"href=['\"]{IMPORT}['\"]", changelist)
    # No export button: the CSV download and the list's CSV action already export, with a formula guard.
    assert not re.search(r'href="[^"]*/export/"', changelist)


def test_a_user_who_may_add_but_not_change_events_cannot_update_one_by_import(names):
    adder = User.objects.create_user("ada", password="x-not-used-42", is_staff=True)
    adder.user_permissions.add(*Permission.objects.filter(codename__in=["add_event", "view_event"]))
    draft = DraftFactory(title="Someone's draft")
    preview = upload(logged_in(adder), csv_bytes([row(id=str(draft.pk), title="Taken over")]))
    ((number, column, message),) = problems(preview)
    assert (number, column) == (2, "id") and message.startswith("You may add events but not change them")


def test_the_import_page_lists_the_columns(contributor):
    page = logged_in(contributor).get(IMPORT).content.decode()
    assert "jurisdiction_codes" in page and "source_urls" in page and "Import as" not in page
