"""Dates known to a day, a month or a year: how they are shown and parsed."""

import calendar
import datetime
import re

from django.db import models
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from .i18n import format_reader_date


class DatePrecision(models.TextChoices):
    DAY = "day", _("Day")
    MONTH = "month", _("Month")
    YEAR = "year", _("Year")


def format_date(value, precision):
    """“1 Dec 2018”, “Dec 2018” or “2018”, as far as the date is known, in the active language
    (“1 déc. 2018”, “1. Dez. 2018”: config/formats)."""
    if precision == DatePrecision.YEAR:
        return str(value.year)
    return format_reader_date(value, "MONTH" if precision == DatePrecision.MONTH else "DAY")


def format_span(start, end, precision):
    """A date, or a span “Dec 2018 – Mar 2019” when the event has an end date."""
    first = format_date(start, precision)
    if end is None:
        return first
    last = format_date(end, precision)
    return first if first == last else f"{first} – {last}"


_PARTIAL_DATE = re.compile(r"^(\d{4})(?:-(\d{1,2})(?:-(\d{1,2}))?)?$")


def parse_partial_date(text):
    """Read “2018”, “2018-12” or “2018-12-01” as the (first, last) days it covers.

    Raises ValueError with a reader-facing message on anything else.
    """
    match = _PARTIAL_DATE.match(text.strip())
    if not match:
        raise ValueError(gettext("Enter a year (2018), a month (2018-12) or a day (2018-12-01)."))
    year, month, day = (int(part) if part else None for part in match.groups())
    if not 1 <= year <= 9999:
        raise ValueError(gettext("Enter a year between 1 and 9999."))
    if month is None:
        return datetime.date(year, 1, 1), datetime.date(year, 12, 31)
    if not 1 <= month <= 12:
        raise ValueError(gettext("Enter a month between 01 and 12."))
    if day is None:
        return datetime.date(year, month, 1), datetime.date(year, month, calendar.monthrange(year, month)[1])
    try:
        single = datetime.date(year, month, day)
    except ValueError:
        raise ValueError(gettext("%(text)s is not a day of the calendar.") % {"text": text.strip()}) from None
    return single, single


def period_end(value, precision):
    """The last day of the period a date stands for: the day itself, its month's last day or 31 December."""
    if precision == DatePrecision.YEAR:
        return datetime.date(value.year, 12, 31)
    if precision == DatePrecision.MONTH:
        return datetime.date(value.year, value.month, calendar.monthrange(value.year, value.month)[1])
    return value


def period_start(value, precision):
    """The first day of the period a date stands for."""
    if precision == DatePrecision.YEAR:
        return datetime.date(value.year, 1, 1)
    if precision == DatePrecision.MONTH:
        return value.replace(day=1)
    return value


def edtf(start, end, precision):
    """The date in EDTF (ISO 8601-2), as precise as it is known: “2018-12”, “2018-12-17”, “2017/2019”.

    Takes dates or their ISO text (the export reads dates as text).
    """
    length = {DatePrecision.YEAR: 4, DatePrecision.MONTH: 7}.get(precision, 10)
    first = str(start)[:length]
    if not end:
        return first
    last = str(end)[:length]
    return first if first == last else f"{first}/{last}"


_MONTHS = {name.lower(): number for number, name in enumerate(calendar.month_abbr) if name} | {
    name.lower(): number for number, name in enumerate(calendar.month_name) if name
}
_TYPED_DAY_MONTH_YEAR = re.compile(r"^(?:(\d{1,2})\s+)?([A-Za-z]+)\.?\s+(\d{4})$")


def parse_typed_date(text):
    """What an editor typed as (first day, precision): “2019”, “2019-03”, “Mar 2019”, “March 2019”,
    “2019-03-17” or “17 Mar 2019”, the forms the site shows dates in.

    Raises ValueError with an editor-facing message on anything else.
    """
    text = " ".join(text.split())
    named = _TYPED_DAY_MONTH_YEAR.match(text)
    if named:
        day, month_name, year = named.groups()
        month = _MONTHS.get(month_name.lower())
        if month is None:
            raise ValueError(f"“{month_name}” is not a month; write it as Mar or March, or as a number: 2019-03.")
        text = f"{year}-{month:02d}" + (f"-{int(day):02d}" if day else "")
    first, last = parse_partial_date(text)
    if first == last:
        return first, DatePrecision.DAY
    return first, DatePrecision.MONTH if first.month == last.month else DatePrecision.YEAR
