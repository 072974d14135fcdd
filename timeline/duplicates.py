"""Events an editor may be about to enter twice.

Two editors hearing of the same ban write two drafts; a follow-up gets typed
again from a wire story. Before an event is saved, the admin lists the events
that look like it: of the same month (or year), in a country it names, with
a similar title; or citing one of its source addresses. The editor decides:
saving again saves it.
"""

import re
from difflib import SequenceMatcher

from .dates import DatePrecision, period_end, period_start
from .models import Event, Source

# Titles at least this alike (difflib's ratio of their words) count as similar:
# "Czech agency warns against Huawei" and "Czech cyber agency warns of Huawei
# and ZTE" are (0.76); two different measures in one country rarely are.
SIMILAR_TITLE = 0.6
# Of the events of a period and country, at most this many are compared.
CANDIDATES = 200
SHOWN = 10

_WORD = re.compile(r"\w+")


def title_similarity(a, b):
    words_a, words_b = _WORD.findall(a.lower()), _WORD.findall(b.lower())
    return SequenceMatcher(None, words_a, words_b).ratio()


def normalised_url(url):
    """An address as two citations of one page may differ: scheme, "www.", trailing slash, case of the host."""
    url = url.strip()
    url = re.sub(r"^https?://(www\.)?", "", url, flags=re.IGNORECASE)
    host, _, rest = url.partition("/")
    return f"{host.lower()}/{rest}".rstrip("/")


def likely_duplicates(*, title, date, precision, end_date=None, jurisdiction_ids=(), source_urls=(), exclude_pk=None):
    """The events this one may duplicate, each with why: [(event, reason)], at most SHOWN."""
    found = {}
    others = Event.objects.exclude(pk=exclude_pk) if exclude_pk else Event.objects.all()
    urls = {normalised_url(url) for url in source_urls if url.strip()}
    if urls:
        # Matched on the address as typed and its usual variants; compared normalised below.
        variants = {
            f"{scheme}{www}{url}{slash}"
            for url in urls
            for scheme in ("https://", "http://")
            for www in ("", "www.")
            for slash in ("", "/")
        }
        citing = Source.objects.filter(url__in=variants).exclude(event_id=exclude_pk).select_related("event")
        for source in citing[:SHOWN]:
            found.setdefault(source.event_id, (source.event, f"cites the same source ({source.url})"))
    if title and date and jurisdiction_ids:
        # The same story is often dated a few days apart by two sources: compare within the month
        # (the year, for a date known to the year).
        window = DatePrecision.YEAR if precision == DatePrecision.YEAR else DatePrecision.MONTH
        first_day, last_day = period_start(date, window), period_end(end_date or date, window)
        in_countries = Event.jurisdictions.through.objects.filter(jurisdiction_id__in=list(jurisdiction_ids)).values("event_id")
        nearby = (
            others.filter(pk__in=in_countries, date__lte=last_day, covers_until__gte=first_day)
            .only("id", "title", "date", "date_precision", "end_date", "status")
            .order_by("-sort_date", "-id")[:CANDIDATES]
        )
        for event in nearby:
            if event.pk not in found and title_similarity(title, event.title) >= SIMILAR_TITLE:
                found[event.pk] = (event, "similar title, same period and country")
    return list(found.values())[:SHOWN]
