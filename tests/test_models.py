import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from timeline.dates import format_span, parse_partial_date
from timeline.models import Event, Status

from .factories import DraftFactory, EventFactory, MeasureFactory

pytestmark = pytest.mark.django_db


def assert_refused_by_database(**changes):
    event = EventFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        Event.objects.filter(pk=event.pk).update(**changes)


def test_it_refuses_an_end_date_before_the_date():
    assert_refused_by_database(date=datetime.date(2019, 1, 2), end_date=datetime.date(2019, 1, 1))


def test_it_accepts_an_end_date_on_the_date():
    event = EventFactory(date=datetime.date(2019, 1, 2), end_date=datetime.date(2019, 1, 2))
    assert event.display_date == "2 Jan 2019"


def test_a_stage_without_a_measure_is_refused_on_the_stage_field():
    event = EventFactory.build(stage="announced", measure=None)
    with pytest.raises(ValidationError) as refused:
        event.clean()
    message = "A stage needs a measure: pick the measure this event is a step of, or clear the stage."
    assert refused.value.message_dict == {"stage": [message]}


def test_a_stage_with_a_measure_or_no_stage_at_all_is_valid():
    EventFactory.build(stage="announced", measure=MeasureFactory()).clean()
    EventFactory.build(stage="", measure=None).clean()


def test_it_refuses_a_slug_already_taken():
    EventFactory(slug="same")
    with pytest.raises(IntegrityError), transaction.atomic():
        EventFactory(slug="same")


@pytest.mark.parametrize(
    "changes",
    [{"date_precision": "week"}, {"stage": "imagined"}, {"status": "archived"}, {"publish_at": None}],
    ids=["precision", "stage", "status", "published-without-publish-time"],
)
def test_it_refuses_values_outside_the_domain(changes):
    assert_refused_by_database(**changes)


def test_it_refuses_to_publish_an_event_without_a_source():
    draft = DraftFactory()
    with pytest.raises(ValidationError, match="at least one source"):
        draft.publish()
    draft.refresh_from_db()
    assert draft.status == Status.DRAFT


def test_it_publishes_an_event_with_a_source():
    draft = DraftFactory(sources=1)
    draft.publish()
    draft.refresh_from_db()
    assert draft.status == Status.PUBLISHED and draft.publish_at <= timezone.now()


def test_it_keeps_drafts_reviews_and_future_events_out_of_public():
    visible = EventFactory()
    DraftFactory()
    DraftFactory(status=Status.REVIEW)
    EventFactory(publish_at=timezone.now() + datetime.timedelta(seconds=30))
    assert list(Event.objects.public()) == [visible]


@pytest.mark.parametrize(
    ("start", "end", "precision", "shown"),
    [
        (datetime.date(2018, 12, 1), None, "day", "1 Dec 2018"),
        (datetime.date(2018, 12, 1), None, "month", "Dec 2018"),
        (datetime.date(2012, 1, 1), None, "year", "2012"),
        (datetime.date(2018, 12, 1), datetime.date(2019, 3, 1), "month", "Dec 2018 – Mar 2019"),
        (datetime.date(2018, 12, 1), datetime.date(2018, 12, 20), "month", "Dec 2018"),
    ],
)
def test_it_shows_dates_as_precisely_as_they_are_known(start, end, precision, shown):
    assert format_span(start, end, precision) == shown


@pytest.mark.parametrize(
    ("text", "first", "last"),
    [
        ("2018", datetime.date(2018, 1, 1), datetime.date(2018, 12, 31)),
        ("2019-02", datetime.date(2019, 2, 1), datetime.date(2019, 2, 28)),
        ("2018-12-01", datetime.date(2018, 12, 1), datetime.date(2018, 12, 1)),
    ],
)
def test_it_reads_a_year_a_month_or_a_day(text, first, last):
    assert parse_partial_date(text) == (first, last)


@pytest.mark.parametrize("text", ["", "18", "2018-13", "2019-02-30", "yesterday", "2018-12-01T00:00", "0000"])
def test_it_rejects_what_is_not_a_date(text):
    with pytest.raises(ValueError):
        parse_partial_date(text)
