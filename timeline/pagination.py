"""Keyset pagination on (date, id): "load more" costs the same on page 1,000 as on page 1."""

import base64
import binascii
import datetime
import itertools
import re
from dataclasses import dataclass

from .dates import DatePrecision


class BadCursor(ValueError):
    pass


@dataclass(frozen=True)
class Cursor:
    """The last event shown: where the next page starts, and which heading it was under."""

    date: datetime.date
    id: int
    precision: str = DatePrecision.DAY


_CURSOR_TEXT = re.compile(r"^(\d{4}-\d{2}-\d{2})\.(\d{1,18})\.(day|month|year)$")
_MAX_CURSOR_LENGTH = 64


def encode_cursor(event):
    """Opaque in the URL so readers do not edit it; a position, not a secret."""
    text = f"{event.date.isoformat()}.{event.pk}.{event.date_precision}"
    return base64.urlsafe_b64encode(text.encode()).decode().rstrip("=")


def decode_cursor(token):
    if not token:
        return None
    message = "The “load more” position in this link is not valid; showing the first events instead."
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


def keyset_page(events, cursor, newest_first, size):
    """One page after `cursor`, and the cursor of the next page (None on the last).

    The condition is written as `date <= d` minus `(date = d and id >= i)`
    rather than `date < d or (date = d and id < i)`: PostgreSQL serves the
    first form from the (date, id) index and scans for the second.
    """
    if newest_first:
        events = events.order_by("-date", "-id")
        if cursor:
            events = events.filter(date__lte=cursor.date).exclude(date=cursor.date, id__gte=cursor.id)
    else:
        events = events.order_by("date", "id")
        if cursor:
            events = events.filter(date__gte=cursor.date).exclude(date=cursor.date, id__lte=cursor.id)
    page = list(events[: size + 1])
    next_cursor = encode_cursor(page[size - 1]) if len(page) > size else None
    return page[:size], next_cursor


@dataclass
class Group:
    year: int
    heading: str
    events: list
    new_year: bool
    continued: bool


def _heading(date, precision):
    """(year, month) of the month heading; year-only dates have a heading of their own."""
    return (date.year, None) if precision == DatePrecision.YEAR else (date.year, date.month)


def group_by_month(events, after=None):
    """Events under year and month headings; year-only dates get a group of their own.

    `after` is the cursor a "load more" page continues from, so a page that
    starts in the month where the previous one ended does not repeat its heading.
    """
    groups = []
    previous_year = after.date.year if after else None
    for (year, month), members in itertools.groupby(events, key=lambda event: _heading(event.date, event.date_precision)):
        heading = f"Sometime in {year}" if month is None else datetime.date(year, month, 1).strftime("%B %Y")
        continued = not groups and after is not None and (year, month) == _heading(after.date, after.precision)
        groups.append(Group(year, heading, list(members), new_year=year != previous_year, continued=continued))
        previous_year = year
    return groups
