"""Dates known to a day, a month or a year, and spans: which periods they match on every
route, where they stand in the timeline, how editors type them and how downloads write them."""

import datetime
import xml.etree.ElementTree as ET

import pytest
from django.db import IntegrityError
from edtf import parse_edtf

from timeline.dates import edtf, parse_typed_date
from timeline.models import Event

from .factories import EventFactory
from .test_downloads import ATOM, csv_rows, json_rows
from .test_workflow import errors_in, logged_in, page_text, save_through_admin, staff_member

pytestmark = pytest.mark.django_db

HTMX = {"HX-Request": "true"}
D = datetime.date


def make(title, date, precision="day", end_date=None, **kwargs):
    return EventFactory(title=title, date=date, date_precision=precision, end_date=end_date, countries=["CZ"], **kwargs)


# --- what an event covers and where it stands --------------------------------------


@pytest.mark.parametrize(
    ("date", "precision", "end_date", "sort_date", "covers_until"),
    [
        (D(2018, 12, 17), "day", None, D(2018, 12, 17), D(2018, 12, 17)),
        (D(2018, 12, 1), "month", None, D(2018, 12, 31), D(2018, 12, 31)),
        (D(2019, 2, 1), "month", None, D(2019, 2, 28), D(2019, 2, 28)),
        (D(2018, 1, 1), "year", None, D(2018, 12, 31), D(2018, 12, 31)),
        (D(2018, 3, 5), "day", D(2018, 4, 9), D(2018, 3, 5), D(2018, 4, 9)),
        (D(2018, 12, 1), "month", D(2019, 3, 1), D(2018, 12, 31), D(2019, 3, 31)),
        (D(2017, 1, 1), "year", D(2019, 1, 1), D(2017, 12, 31), D(2019, 12, 31)),
    ],
)
def test_an_event_stands_after_its_periods_dated_events_and_covers_all_its_days(date, precision, end_date, sort_date, covers_until):
    event = make("E", date, precision, end_date)
    event.refresh_from_db()
    assert (event.sort_date, event.covers_until) == (sort_date, covers_until)


def test_an_editor_places_a_month_event_on_a_day_of_its_month():
    event = make("Czech order", D(2018, 12, 1), "month", placed_on=D(2018, 12, 18))
    assert event.sort_date == D(2018, 12, 18) and event.covers_until == D(2018, 12, 31)
    event.placed_on = D(2019, 1, 5)
    with pytest.raises(Exception, match="between 2018-12-01 and 2018-12-31"):
        event.full_clean()


def test_a_day_event_cannot_be_placed_elsewhere():
    event = make("Warning", D(2018, 12, 17), placed_on=D(2018, 12, 20))
    assert event.sort_date == D(2018, 12, 17)
    with pytest.raises(Exception, match="The day is known"):
        event.full_clean()


def test_the_database_refuses_an_event_placed_outside_its_period():
    event = make("E", D(2018, 12, 1), "month")
    with pytest.raises(IntegrityError):
        Event.objects.filter(pk=event.pk).update(sort_date=D(2018, 11, 30))


# --- which periods an event matches, on every route --------------------------------


@pytest.fixture
def calendar():
    make("Day 17 Dec 2018", D(2018, 12, 17))
    make("Month Dec 2018", D(2018, 12, 1), "month")
    make("Year 2018", D(2018, 1, 1), "year")
    make("Span 2017-2019", D(2017, 1, 1), "year", D(2019, 1, 1))
    make("Span Nov 2018 - Jan 2019", D(2018, 11, 1), "month", D(2019, 1, 1))
    make("Day 3 Jan 2019", D(2019, 1, 3))
    make("Month Nov 2018", D(2018, 11, 1), "month")


PERIODS = [
    (
        {"since": "2018-12-10"},
        {"Day 17 Dec 2018", "Month Dec 2018", "Year 2018", "Span 2017-2019", "Span Nov 2018 - Jan 2019", "Day 3 Jan 2019"},
    ),
    ({"since": "2019"}, {"Span 2017-2019", "Span Nov 2018 - Jan 2019", "Day 3 Jan 2019"}),
    ({"until": "2018-11-15"}, {"Year 2018", "Span 2017-2019", "Span Nov 2018 - Jan 2019", "Month Nov 2018"}),
    ({"until": "2017"}, {"Span 2017-2019"}),
    ({"since": "2018-12-20", "until": "2018-12-31"}, {"Month Dec 2018", "Year 2018", "Span 2017-2019", "Span Nov 2018 - Jan 2019"}),
    (
        {"since": "2018-12-17", "until": "2018-12-17"},
        {"Day 17 Dec 2018", "Month Dec 2018", "Year 2018", "Span 2017-2019", "Span Nov 2018 - Jan 2019"},
    ),
    ({"since": "2020"}, set()),
]


@pytest.mark.parametrize(("query", "expected"), PERIODS)
def test_every_route_keeps_the_events_whose_days_overlap_the_period(client, calendar, query, expected):
    page = client.get("/", query).content.decode()
    partial = client.get("/", query, headers=HTMX).content.decode()
    every_title = {event.title for event in Event.objects.all()}
    for body in (page, partial):
        assert {title for title in every_title if f">{title}</a></h5>" in body} == expected
    assert {row["title"] for row in csv_rows(client.get("/export.csv", query))} == expected
    assert {row["title"] for row in json_rows(client.get("/export.json", query))} == expected
    feed = ET.fromstring(client.get("/feed/", query).content)
    # A feed entry's title starts with the event's date: "Dec 2018: Month Dec 2018".
    assert {entry.find(f"{ATOM}title").text.split(": ", 1)[1] for entry in feed.findall(f"{ATOM}entry")} == expected


@pytest.mark.parametrize(("query", "expected"), PERIODS)
def test_the_facet_counts_count_the_same_events(client, calendar, query, expected):
    response = client.get("/", query)
    country = next(facet for facet in response.context["facets"] if facet.name == "country")
    assert {option.value: option.count for option in country.options} == ({"CZ": len(expected)} if expected else {})


# --- the order of the timeline ------------------------------------------------------


def listed_titles(client, query=None):
    body = client.get("/", query or {}).content.decode()
    titles = [event.title for event in Event.objects.all()]
    return sorted((title for title in titles if f">{title}</a></h5>" in body), key=lambda title: body.index(f">{title}</a></h5>"))


def test_a_month_event_comes_after_the_dated_events_of_its_month(client):
    make("Agency warning, 17 Dec", D(2018, 12, 17))
    make("Prime minister order, Dec", D(2018, 12, 1), "month")
    make("Earlier, 3 Dec", D(2018, 12, 3))
    make("Next year", D(2019, 1, 2))
    oldest = ["Earlier, 3 Dec", "Agency warning, 17 Dec", "Prime minister order, Dec", "Next year"]
    assert listed_titles(client, {"order": "oldest"}) == oldest
    assert listed_titles(client) == oldest[::-1]


def test_a_placed_month_event_stands_where_the_editor_put_it(client):
    make("Agency warning, 17 Dec", D(2018, 12, 17))
    make("Prime minister order, Dec", D(2018, 12, 1), "month", placed_on=D(2018, 12, 18))
    make("Late December, 28 Dec", D(2018, 12, 28))
    assert listed_titles(client, {"order": "oldest"}) == ["Agency warning, 17 Dec", "Prime minister order, Dec", "Late December, 28 Dec"]


def test_a_month_event_is_marked_day_not_known_under_its_months_heading(client):
    make("Prime minister order", D(2018, 12, 1), "month")
    make("Sometime that year", D(2018, 1, 1), "year")
    body = client.get("/").content.decode()
    december = body.index(">December 2018<")
    assert december < body.index(">Prime minister order<")
    assert '<time datetime="2018-12">Dec 2018</time> <span class="date-approx">(day not known)</span>' in body
    assert '<time datetime="2018">2018</time> <span class="date-approx">(month not known)</span>' in body
    assert body.index(">Sometime in 2018<") < body.index(">Sometime that year<")


def test_load_more_walks_approximate_events_once_in_order(client):
    for day in range(1, 29):
        make(f"Day {day:02d}", D(2018, 12, day))
    for n in range(5):
        make(f"Month {n}", D(2018, 12, 1), "month")
    seen, query = [], {"order": "oldest"}
    while True:
        response = client.get("/", query)
        body = response.content.decode()
        titles = [event.title for event in Event.objects.all()]
        seen += sorted((t for t in titles if f">{t}</a></h5>" in body), key=lambda t: body.index(f">{t}</a></h5>"))
        cursor = response.context["next_cursor"]
        if not cursor:
            break
        query = {"order": "oldest", "cursor": cursor}
    assert seen == [f"Day {day:02d}" for day in range(1, 29)] + [f"Month {n}" for n in range(5)]


# --- editors type dates as they know them ----------------------------------------------


@pytest.mark.parametrize(
    ("typed", "first", "precision"),
    [
        ("2019", D(2019, 1, 1), "year"),
        ("2019-03", D(2019, 3, 1), "month"),
        ("Mar 2019", D(2019, 3, 1), "month"),
        ("march  2019", D(2019, 3, 1), "month"),
        ("2019-03-17", D(2019, 3, 17), "day"),
        ("17 Mar 2019", D(2019, 3, 17), "day"),
    ],
)
def test_it_reads_a_typed_date_with_its_precision(typed, first, precision):
    assert parse_typed_date(typed) == (first, precision)


@pytest.mark.parametrize("typed", ["2019-02-30", "Marzo 2019", "03/2019", "2019-13", ""])
def test_it_refuses_what_is_not_a_date(typed):
    with pytest.raises(ValueError):
        parse_typed_date(typed)


@pytest.fixture
def as_editor():
    return logged_in(staff_member("edith", "Editor"))


def add(client, **fields):
    from .admin_forms import event_add_form

    return client.post("/admin/timeline/event/add/", event_add_form(**{"date_precision": "", **fields}))


@pytest.mark.parametrize(
    ("fields", "stored"),
    [
        ({"date": "2019-03"}, (D(2019, 3, 1), "month", None)),
        ({"date": "Mar 2019"}, (D(2019, 3, 1), "month", None)),
        ({"date": "2019"}, (D(2019, 1, 1), "year", None)),
        ({"date": "2019-03-17"}, (D(2019, 3, 17), "day", None)),
        # An editor may say less than typed: the first day of the month, known only to the month.
        ({"date": "2018-12-01", "date_precision": "month"}, (D(2018, 12, 1), "month", None)),
        ({"date": "2019-03-17", "date_precision": "year"}, (D(2019, 1, 1), "year", None)),
        ({"date": "2018-12", "end_date": "2019-03"}, (D(2018, 12, 1), "month", D(2019, 3, 1))),
        ({"date": "2017", "end_date": "2019-03-05"}, (D(2017, 1, 1), "year", D(2019, 1, 1))),
    ],
)
def test_the_admin_takes_dates_as_typed_and_sets_the_precision(as_editor, fields, stored):
    response = add(as_editor, **fields)
    assert response.status_code == 302, errors_in(response)
    event = Event.objects.get(slug="czech-phones")
    assert (event.date, event.date_precision, event.end_date) == stored


@pytest.mark.parametrize(
    ("fields", "error"),
    [
        ({"date": "2019-03", "date_precision": "day"}, "You typed a month"),
        ({"date": "2019-03-17", "end_date": "2019-06"}, "The end date is known to the month only"),
        ({"date": "sometime"}, "Enter a year (2018), a month (2018-12) or a day (2018-12-01). Also accepted: Mar 2019"),
    ],
)
def test_the_admin_explains_a_date_it_cannot_take_and_keeps_the_form(as_editor, fields, error):
    response = add(as_editor, **fields)
    assert response.status_code == 200
    assert error in page_text(response)
    assert 'value="Czech government stops buying Huawei phones"' in page_text(response)
    assert not Event.objects.exists()


def test_the_change_form_shows_a_month_date_as_typed_and_saving_it_changes_nothing(as_editor):
    event = make("Czech order", D(2018, 12, 1), "month", end_date=D(2019, 3, 1))
    page = page_text(as_editor.get(f"/admin/timeline/event/{event.pk}/change/"))
    assert 'name="date" value="2018-12"' in page and 'name="end_date" value="2019-03"' in page
    # Readers have seen it: only a change in substance would ask for a correction note.
    response = save_through_admin(as_editor, f"/admin/timeline/event/{event.pk}/change/")
    assert response.status_code == 302, errors_in(response)
    response = save_through_admin(as_editor, f"/admin/timeline/event/{event.pk}/change/", date="2018-12-17")
    assert "changed its date" in page_text(response)


def test_the_admin_shows_dates_in_iso_8601(as_editor):
    event = make("Czech order", D(2018, 12, 1), "month", end_date=D(2019, 3, 1))
    assert ">2018-12/2019-03<" in page_text(as_editor.get("/admin/timeline/event/"))
    save_through_admin(as_editor, f"/admin/timeline/event/{event.pk}/change/", minor_edit="on", title="Czech order, corrected")
    history = page_text(as_editor.get(f"/admin/timeline/event/{event.pk}/history/"))
    assert f">{event.updated_at:%Y-%m-%d}" in history


# --- downloads write EDTF --------------------------------------------------------------


@pytest.mark.parametrize(
    ("date", "precision", "end_date", "written"),
    [
        (D(2018, 12, 17), "day", None, "2018-12-17"),
        (D(2018, 12, 1), "month", None, "2018-12"),
        (D(2018, 1, 1), "year", None, "2018"),
        (D(2017, 1, 1), "year", D(2019, 1, 1), "2017/2019"),
        (D(2018, 12, 1), "month", D(2019, 3, 1), "2018-12/2019-03"),
        (D(2018, 12, 1), "month", D(2018, 12, 1), "2018-12"),
    ],
)
def test_downloads_carry_the_date_in_edtf(client, date, precision, end_date, written):
    make("E", date, precision, end_date)
    (row,) = csv_rows(client.get("/export.csv"))
    assert row["date_edtf"] == written == edtf(date, end_date, precision)
    assert str(parse_edtf(written)) == written
    assert json_rows(client.get("/export.json"))[0]["date_edtf"] == written
