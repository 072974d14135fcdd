"""Keyset pagination on (sort_date, id): "load more" costs the same on page 1,000 as on page 1."""

import base64
import binascii
import datetime
import itertools
import re
from dataclasses import dataclass

from django.utils.translation import gettext

from .dates import DatePrecision
from .i18n import format_reader_date


class BadCursor(ValueError):
    pass


@dataclass(frozen=True)
class Cursor:
    """The last event shown: where the next page starts, and which heading it was under."""

    sort_date: datetime.date
    id: int
    precision: str = DatePrecision.DAY


_CURSOR_TEXT = re.compile(r"^(\d{4}-\d{2}-\d{2})\.(\d{1,18})\.(day|month|year)$")
_MAX_CURSOR_LENGTH = 64


def encode_cursor(event):
    """Opaque in the URL so readers do not edit it; a position, not a secret."""
    text = f"{event.sort_date.isoformat()}.{event.pk}.{event.date_precision}"
    return base64.urlsafe_b64encode(text.encode()).decode().rstrip("=")


def decode_cursor(token):
    if not token:
        return None
    message = gettext("The “load more” position in this link is not valid; showing the first events instead.")
    if len(token) > _MAX_CURSOR_LENGTH:
        raise BadCursor(message)
    try:
        padded = (token + "=" * (-len(token) % 4)).encode("ascii")
        text = base64.b64decode(padded, altchars=b"-_", validate=True).decode("ascii")
        match = _CURSOR_TEXT.match(text)
        if not match:
            raise ValueError
        return Cursor(datetime.date.fromisoformat(match[1]), int(match[2]), match[3])
    except (binascii.Error, ValueError):
        raise BadCursor(message) from None


# "Load more" keeps how many events the reader has seen in the address
# (?shown=75), so a reload or "Back" from an event shows them all again, at
# the same place. Ten pages at most: from further down, they come back to the first 250.
MAX_SHOWN = 250


def decode_shown(text):
    """The number of events to show from the top, at most MAX_SHOWN; None when not given."""
    if not text:
        return None
    # ASCII digits only: isdigit() also takes other scripts' digits, which int() reads.
    number = text.lstrip("0")
    if not (text.isascii() and text.isdigit()) or not number:
        raise BadCursor(gettext("The number of events shown in this link is not valid; showing the first events instead."))
    return MAX_SHOWN if len(number) > 3 else min(int(number), MAX_SHOWN)


def page_order(newest_first):
    return ("-sort_date", "-id") if newest_first else ("sort_date", "id")


def keyset_window(events, cursor, newest_first, size):
    """The events of the page after `cursor`, and one more (it says whether a next page exists), not yet read.

    The condition is written as `sort_date <= d` minus `(sort_date = d and id >= i)`
    rather than `sort_date < d or (sort_date = d and id < i)`: PostgreSQL serves
    the first form from the (sort_date, id) index and scans for the second.
    """
    events = events.order_by(*page_order(newest_first))
    if cursor and newest_first:
        events = events.filter(sort_date__lte=cursor.sort_date).exclude(sort_date=cursor.sort_date, id__gte=cursor.id)
    elif cursor:
        events = events.filter(sort_date__gte=cursor.sort_date).exclude(sort_date=cursor.sort_date, id__lte=cursor.id)
    return events[: size + 1]


def keyset_page(events, cursor, newest_first, size):
    """One page after `cursor`, and the cursor of the next page (None on the last)."""
    return split_window(list(keyset_window(events, cursor, newest_first, size)), size)


def filtered_page(filterset, cursor, size):
    """keyset_page() of a filterset's events for the timeline's cards: its ids from the facet index
    when it answers every filter (EventFilter.index_window), then those rows by id in one query."""
    ids = filterset.index_window(cursor, size)
    if ids is None:
        return keyset_page(filterset.qs.for_cards(), cursor, filterset.newest_first, size)
    # Read through public() again: an event unpublished since the index was read is left out, not shown.
    rows = {event.pk: event for event in filterset.queryset.for_cards().filter(pk__in=ids).order_by()}
    return split_window([rows[pk] for pk in ids if pk in rows], size)


def split_window(window, size):
    """(the page, the cursor of the next page or None) of a keyset_window() read in order."""
    next_cursor = encode_cursor(window[size - 1]) if len(window) > size else None
    return window[:size], next_cursor


@dataclass
class Group:
    year: int
    heading: str
    events: list
    new_year: bool
    continued: bool


def _heading(date, precision):
    """(year, month) of the month heading; year-only dates have a heading of their own.

    An event's sort_date lies in its date's period, so it names the same heading.
    """
    return (date.year, None) if precision == DatePrecision.YEAR else (date.year, date.month)


def group_by_month(events, after=None):
    """Events under year and month headings; year-only dates get a group of their own.

    `after` is the cursor a "load more" page continues from, so a page that
    starts in the month where the previous one ended does not repeat its heading.
    """
    groups = []
    previous_year = after.sort_date.year if after else None
    for (year, month), members in itertools.groupby(events, key=lambda event: _heading(event.sort_date, event.date_precision)):
        heading = (
            gettext("Sometime in %(year)s") % {"year": year}
            if month is None
            else format_reader_date(datetime.date(year, month, 1), "LONG_MONTH")
        )
        continued = not groups and after is not None and (year, month) == _heading(after.sort_date, after.precision)
        groups.append(Group(year, heading, list(members), new_year=year != previous_year, continued=continued))
        previous_year = year
    return groups
