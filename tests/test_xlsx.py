"""The .xlsx download: the CSV's columns in a workbook, dates as dates, text never run as a formula."""

import csv
import datetime
import io
import shutil
import subprocess

import openpyxl
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from timeline import export

from .factories import CorrectionFactory, DraftFactory, EventFactory, EventTypeFactory
from .test_downloads import BAD_FILTERS, bulk_events, csv_rows, story, timeline_ids  # noqa: F401 (a fixture)

pytestmark = pytest.mark.django_db

# Texts a spreadsheet would run or read as something else, if they were not typed as text.
HOSTILE = ["=1+1", '=HYPERLINK("http://example.com","click")', "+1-1", "-2+3", "@SUM(A1)", "#N/A", "#DIV/0!"]


def workbook(response):
    assert response.status_code == 200, response.content
    assert response["Content-Type"] == export.XLSX_CONTENT_TYPE
    assert response["Content-Disposition"] == f'attachment; filename="{export.export_filename("xlsx")}"'
    content = b"".join(response.streaming_content)
    return openpyxl.load_workbook(io.BytesIO(content)), content


def sheet_rows(book, sheet="events"):
    return list(book[sheet].iter_rows(values_only=True))


def test_the_workbook_has_the_csv_s_columns_and_values(client):
    event = EventFactory(
        title="Czech warning", countries=["CZ", "EU"], body="A *longer* account.", date=datetime.date(2018, 12, 17), slug="czech-warning"
    )
    CorrectionFactory(event=event, corrected_on=datetime.date(2019, 1, 12), note="Phones, not network gear.")
    book, _ = workbook(client.get("/export.xlsx"))
    header, row = sheet_rows(book)
    [as_csv] = csv_rows(client.get("/export.csv"))
    assert list(header) == export.columns_for(False) == list(as_csv)
    cells = dict(zip(header, row, strict=True))
    assert cells["id"] == event.pk
    # Real dates and (UTC) date-times, which sort and filter as such.
    assert cells["date"] == datetime.datetime(2018, 12, 17)
    assert book["events"]["C2"].is_date and book["events"]["C2"].number_format == "yyyy-mm-dd"
    published = event.publish_at.astimezone(datetime.UTC).replace(tzinfo=None, microsecond=0)
    assert cells["published_at"] == published
    assert cells["end_date"] is None
    # Every other cell is the CSV's text.
    for name in header:
        if name not in ("id", "date", "end_date", "published_at", "updated_at"):
            assert (cells[name] or "") == as_csv[name], name
    assert cells["jurisdiction_codes"] == "CZ | EU"
    assert cells["correction_notes"] == "Phones, not network gear."


def test_no_cell_is_a_formula_and_each_keeps_its_text(client):
    for text in HOSTILE:
        EventFactory(title=text, summary=text)
    book, content = workbook(client.get("/export.xlsx", {"order": "oldest"}))
    sheet = book["events"]
    titles = [sheet.cell(row=row, column=2) for row in range(2, len(HOSTILE) + 2)]
    assert [cell.value for cell in titles] == HOSTILE
    assert {cell.data_type for cell in titles} == {"s"}
    assert b"<f>" not in content and b"<f " not in content


def test_text_xml_cannot_hold_is_dropped_and_text_too_long_for_a_cell_is_cut_and_says_so(client):
    EventFactory(title="Bell\x07 and escape\x1b", body="x" * 40_000)
    book, _ = workbook(client.get("/export.xlsx"))
    header, row = sheet_rows(book)
    cells = dict(zip(header, row, strict=True))
    assert cells["title"] == "Bell and escape"
    assert len(cells["body"]) == export.XLSX_MAX_TEXT
    assert cells["body"].endswith(export.XLSX_CUT_NOTE)


@pytest.mark.usefixtures("story")
def test_the_workbook_holds_exactly_what_the_timeline_shows(client):
    query = {"type": "ban", "country": "DE"}
    book, _ = workbook(client.get("/export.xlsx", query))
    assert [row[0] for row in sheet_rows(book)[1:]] == timeline_ids(client, query)


def test_drafts_and_scheduled_events_never_reach_the_workbook(client):
    EventFactory(title="Public")
    DraftFactory(title="Draft never leaves")
    EventFactory(title="Scheduled", publish_at=timezone.now() + datetime.timedelta(hours=1))
    book, _ = workbook(client.get("/export.xlsx"))
    assert [row[1] for row in sheet_rows(book)[1:]] == ["Public"]


@pytest.mark.usefixtures("story")
@pytest.mark.parametrize("query, reason", BAD_FILTERS)
def test_a_filter_it_cannot_apply_is_refused_with_the_reason(client, query, reason):
    response = client.get("/export.xlsx", query)
    assert response.status_code == 400
    assert reason in response.content.decode()


def test_more_rows_than_a_sheet_holds_go_on_to_the_next_sheet(client, monkeypatch):
    monkeypatch.setattr(export, "XLSX_ROWS_PER_SHEET", 3)
    bulk_events(7)
    book, _ = workbook(client.get("/export.xlsx"))
    assert book.sheetnames == ["events", "events 2", "events 3"]
    sheets = [sheet_rows(book, name) for name in book.sheetnames]
    assert all(rows[0] == tuple(export.columns_for(False)) for rows in sheets)
    assert [len(rows) - 1 for rows in sheets] == [3, 3, 1]


def test_the_workbook_is_written_in_a_constant_number_of_queries(client):
    def queries():
        with CaptureQueriesContext(connection) as captured:
            book, _ = workbook(client.get("/export.xlsx"))
        return len(captured), len(sheet_rows(book)) - 1

    bulk_events(10)
    few, few_rows = queries()
    bulk_events(490)
    many, many_rows = queries()
    assert (few_rows, many_rows) == (10, 500)
    # The export's one query, after its planner settings on PostgreSQL.
    assert few == many == (2 if connection.vendor == "postgresql" else 1)


def test_the_workbook_is_written_one_row_at_a_time(monkeypatch):
    """Each row goes to openpyxl's write-only sheet (which writes it out) before the next is read: never a list of them."""
    happened = []

    def rows():
        for n in range(3):
            happened.append(f"read {n}")
            yield [n, f"Title {n}"]

    original = openpyxl.worksheet._write_only.WriteOnlyWorksheet.append

    def append(sheet, row):
        happened.append(f"wrote {row[0]}")
        original(sheet, row)

    monkeypatch.setattr(openpyxl.worksheet._write_only.WriteOnlyWorksheet, "append", append)
    target = io.BytesIO()
    export.write_xlsx(rows(), ["id", "title"], target)
    assert happened == ["wrote id", "read 0", "wrote 0", "read 1", "wrote 1", "read 2", "wrote 2"]
    assert sheet_rows(openpyxl.load_workbook(target)) == [("id", "title"), (0, "Title 0"), (1, "Title 1"), (2, "Title 2")]


def test_a_download_over_the_cap_is_refused_for_now(client, settings):
    settings.DOWNLOADS_PER_PROCESS = 1
    EventFactory()
    assert export.download_slots.take()
    try:
        response = client.get("/export.xlsx")
    finally:
        export.download_slots.give_back()
    assert response.status_code == 503 and response["Retry-After"]
    # The slot is given back once the workbook is written, not held while it is sent.
    assert client.get("/export.xlsx").status_code == 200
    assert export.download_slots.busy == 0


@pytest.mark.usefixtures("story")
def test_the_timeline_offers_the_workbook_of_its_view(client):
    page = client.get("/", {"country": "DE"}).content.decode()
    assert 'href="/export.xlsx?country=DE" download>Excel</a>' in page


def test_libreoffice_reads_text_as_text_and_dates_as_dates(client, tmp_path):
    """What a spreadsheet program makes of the file, not only openpyxl: LibreOffice converts it to CSV.

    `make test` installs LibreOffice (libreoffice-calc) when it is missing, as it does Chromium.
    """
    soffice = shutil.which("soffice")
    assert soffice, "LibreOffice is missing: `make test` installs it (apt-get install libreoffice-calc)."
    kind = EventTypeFactory(name="Ban", slug="ban")
    for day, text in enumerate(HOSTILE, start=1):
        EventFactory(title=text, event_type=kind, date=datetime.date(2018, 12, day), summary="Accents: NÚKIB, Babiš.")
    _, content = workbook(client.get("/export.xlsx", {"order": "oldest"}))
    (tmp_path / "events.xlsx").write_bytes(content)
    # UTF-8, comma-separated, every text cell quoted: a formula's result would come out unquoted.
    subprocess.run(
        [
            soffice,
            f"-env:UserInstallation=file://{tmp_path}/profile",
            "--headless",
            "--convert-to",
            "csv:Text - txt - csv (StarCalc):44,34,76,1,,0,true",
            "--outdir",
            str(tmp_path),
            str(tmp_path / "events.xlsx"),
        ],
        check=True,
        capture_output=True,
        timeout=120,
    )
    text = (tmp_path / "events.csv").read_text(encoding="utf-8")
    rows = list(csv.DictReader(io.StringIO(text)))
    assert [row["title"] for row in rows] == HOSTILE
    # Text cells come out quoted, numbers and dates bare: the title is text, the date a date.
    first_line = text.splitlines()[1]
    assert first_line.startswith(f'{rows[0]["id"]},"=1+1",2018-12-01,,"day",'), first_line
    assert [row["date"] for row in rows] == [f"2018-12-{day:02d}" for day in range(1, len(HOSTILE) + 1)]
    assert rows[0]["summary"] == "Accents: NÚKIB, Babiš."
    assert rows[0]["event_type"] == "Ban"
