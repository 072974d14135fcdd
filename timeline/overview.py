"""The overview above the timeline: how many of the events the filters keep fall in each period.

Counted from the facet index together with the facets (facets.facets), so a
view's overview costs no query and is cached with its counts.

An event counts once, in the period of its date (its first day), so the bars
add up to the number of events the page lists. A period's link lists every
event whose days overlap it: under a month's bar that includes the events
known only to the year, and the spans that began earlier, which its bar
does not count (they count where they begin). With `since`, an event that
began earlier counts in the first period asked for.
"""

import datetime
import math
from dataclasses import dataclass

import numpy as np
from django.utils.translation import gettext_lazy, pgettext

from .i18n import format_reader_date

# Months while the events fit in three years; years up to 40; decades beyond
# (a year mistyped as 0219 would otherwise draw 1,800 bars).
MAX_MONTHS = 36
MAX_YEARS = 40
# Bar heights are quantised to CSS classes: the CSP forbids inline styles.
TALLEST = 20


@dataclass(frozen=True)
class Bar:
    label: str
    count: int
    height: int
    query: str
    # Shown under the bar: the year at each January, every year or decade when few.
    tick: str = ""


@dataclass(frozen=True)
class Overview:
    unit: str
    bars: list

    @property
    def caption(self):
        period = self.bars[0].label if len(self.bars) == 1 else f"{self.bars[0].label} – {self.bars[-1].label}"
        tallest = max(bar.count for bar in self.bars)
        return _CAPTIONS[self.unit] % {"period": period, "tallest": tallest}

    @property
    def unit_label(self):
        return _UNIT_LABELS[self.unit]


_CAPTIONS = {
    "month": gettext_lazy("Events per month, %(period)s (tallest bar: %(tallest)s)"),
    "year": gettext_lazy("Events per year, %(period)s (tallest bar: %(tallest)s)"),
    "decade": gettext_lazy("Events per decade, %(period)s (tallest bar: %(tallest)s)"),
}
_UNIT_LABELS = {"month": gettext_lazy("Month"), "year": gettext_lazy("Year"), "decade": gettext_lazy("Decade")}


def _year(month):
    return 1970 + month // 12


def _period(start, months):
    """The label and the since/until values of the period of `months` months beginning at month `start`."""
    year = _year(start)
    if months == 1:
        first = datetime.date(year, start % 12 + 1, 1)
        value = f"{year:04}-{first.month:02}"
        return format_reader_date(first, "MONTH"), value, value
    if months == 12:
        return str(year), f"{year:04}", f"{year:04}"
    return pgettext("a decade", "%(year)ss") % {"year": year}, f"{year:04}", f"{year + 9:04}"


def build(first_month, month_counts, query):
    """The overview of events counted per month (see FacetIndex.month_counts), or None without events.

    `query` is the view's canonical query: each bar's link keeps its filters
    and narrows `since` and `until` to the bar's period.
    """
    if not len(month_counts):
        return None
    last_month = first_month + len(month_counts) - 1
    if last_month - first_month < MAX_MONTHS:
        size, unit = 1, "month"
    elif _year(last_month) - _year(first_month) < MAX_YEARS:
        size, unit = 12, "year"
    else:
        size, unit = 120, "decade"
    # Periods start on a January (years) or a year ending in 0 (decades); month 0 is January 1970.
    start = first_month // size * size
    periods = (last_month - start) // size + 1
    months = np.zeros(periods * size, dtype=np.int64)
    months[first_month - start : first_month - start + len(month_counts)] = month_counts
    per_period = months.reshape(periods, size).sum(axis=1).tolist()
    tallest = max(per_period)
    few = len(per_period) <= 12
    bars = []
    for position, count in enumerate(per_period):
        month = start + position * size
        label, since, until = _period(month, size)
        if size == 1:
            tick = str(_year(month)) if month % 12 == 0 or position == 0 else ""
        else:
            tick = label if few or _year(month) % (5 * size // 12) == 0 else ""
        link = _narrowed(query, since, until) if count else ""
        height = math.ceil(count * TALLEST / tallest) if count else 0
        bars.append(Bar(label, count, height, link, tick))
    return Overview(unit, bars)


def _narrowed(query, since, until):
    """`query` with the period replaced, its parameters in canonical_query's order (the URL htmx pushes)."""
    narrowed = query.copy()
    order = narrowed.pop("order", [])
    narrowed.pop("since", None)
    narrowed.pop("until", None)
    narrowed["since"], narrowed["until"] = since, until
    if order:
        narrowed.setlist("order", order)
    return narrowed.urlencode()
