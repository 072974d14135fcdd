"""Facet counts: each facet's options with the number of events choosing it would give, and the overview.

One engine counts both, from the facet index (facet_index.py): the counts
of one view are a few numpy passes over columns shared by every process,
current after each edit. Only a words filter asks the database, for the ids
it matches.
"""

import functools
import hashlib
import heapq
import time
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.utils import timezone, translation
from django_countries.fields import Country

from . import overview
from .filters import FACETS, canonical_query
from .models import Stage
from .vocabulary import type_name


@dataclass
class Option:
    value: str
    label: str
    count: int
    selected: bool
    flag: str = ""
    # The editor's name of a type, when `label` is its translation (see vocabulary.py).
    raw_label: str = ""


class FacetList(list):
    """The facets of one view; `key` names this computation of them, for caching their HTML.

    `overview` is the view's events per period (overview.Overview), counted in the same pass.
    """

    key = ""
    overview = None


@dataclass
class Facet:
    name: str
    label: str
    options: list

    @property
    def selected_count(self):
        return sum(option.selected for option in self.options)


# Actors and measures grow with the archive (8,600 measures at 100,000
# events took 0.4 s to render as checkboxes): the form offers the most
# frequent ones, and any chosen.
_ORDERED_BY_COUNT = {"actor", "measure"}
MAX_LONG_FACET_OPTIONS = 40


def facets(filterset):
    """Each facet's options with the number of events choosing it would give.

    Counts follow the usual faceted-search rule: every other active filter
    applies, the facet's own does not, so a reader sees what adding or
    switching a value would give. They come from the facet index (see
    facet_index.py); only a words filter asks the database, for the ids it
    matches.
    """
    index = filterset.facet_index
    events_kept_by = filterset.index_masks
    now = timezone.now()
    public = index.public(now)
    listed = public
    for kept in events_kept_by.values():
        listed = listed & kept
    # Every facet without a filter of its own counts the events listed: one selection for all of them.
    listed = index.select(listed)
    result = FacetList()
    for name in FACETS:
        cut = {}
        if name in _ORDERED_BY_COUNT:
            cut = {"top": MAX_LONG_FACET_OPTIONS, "keep": [item.pk for item in filterset.cleaned.get(name) or []]}
        if name in events_kept_by:
            # Without its own filter: the same events for every value of it, so kept by the index for the next combination.
            counts = index.kept_counts(
                name,
                now,
                filterset.index_key(leaving_out=name),
                functools.partial(_kept_by_others, index, public, events_kept_by, name),
                **cut,
            )
        else:
            counts = index.counts(name, listed, **cut)
        result.append(_facet(filterset, index, name, counts))
    since = filterset.cleaned.get("since")
    result.overview = overview.build(*index.month_counts(listed, since[0] if since else None), canonical_query(filterset))
    return result


def _kept_by_others(index, public, events_kept_by, name):
    events = public.copy()
    for other, kept in events_kept_by.items():
        if other != name:
            events &= kept
    return index.select(events)


def _facet(filterset, index, name, counts):
    selected = filterset.active_values(name)
    shown = counts
    if name in _ORDERED_BY_COUNT and len(counts) > MAX_LONG_FACET_OPTIONS:
        # Name only the options that can make the cut, and the chosen ones.
        cut = heapq.nlargest(MAX_LONG_FACET_OPTIONS, counts.values())[-1]
        chosen = {item.pk for item in filterset.cleaned.get(name) or []}
        shown = {pk: n for pk, n in counts.items() if n >= cut or pk in chosen}
    options = [
        Option(value, label, n, value in selected)
        for (value, label), n in zip(index.labels(name, list(shown)), shown.values(), strict=True)
    ]
    # A chosen value the other filters leave no event for: still shown, with
    # its name (validation only accepts values public events carry).
    present = {option.value for option in options}
    options += [Option(value, label, 0, True) for value, label in _chosen_labels(filterset, index, name) if value not in present]
    # In the reader's language (the index holds the names in English): cached_facets() keys by language.
    if name == "country":
        language = translation.get_language()
        for option in options:
            option.flag, option.label = _country_flag_and_name(option.value, language)
    elif name == "type":
        for option in options:
            option.raw_label, option.label = option.label, type_name(option.label)
    elif name == "stage":
        for option in options:
            if option.value in Stage.values:
                option.label = str(Stage(option.value).label)
    if name in _ORDERED_BY_COUNT:
        options.sort(key=lambda o: (not o.selected, -o.count, o.label))
        options = options[: max(MAX_LONG_FACET_OPTIONS, len(selected))]
    elif name == "stage":
        order = list(Stage.values)
        options.sort(key=lambda o: order.index(o.value) if o.value in order else len(order))
    else:
        options.sort(key=lambda o: o.label)
    return Facet(name, str(filterset.filters[name].label), options)


@functools.cache
def _country_flag_and_name(code, language):
    """A country's flag and name in `language` (the active one): looking them up took half of
    the counts' time at 20,000 events, the same 40 countries at every count."""
    country = Country(code)
    return country.flag, str(country.name)


def _chosen_labels(filterset, index, name):
    """(value, label) of each chosen value of a facet."""
    if name == "stage":
        return [(value, Stage(value).label) for value in filterset.cleaned.get(name) or []]
    return [index.label(name, obj.pk) for obj in filterset.cleaned.get(name) or []]


def cached_facets(filterset):
    """facets(), cached per query until the data changes or a scheduled event goes live.

    The key carries the data version, which any committed edit changes in
    every process (changes.py); the entry is kept only until the next
    scheduled publish time, when the public set changes without anyone
    saving. FACET_CACHE_SECONDS only bounds what the cache keeps.
    """
    query = canonical_query(filterset).urlencode()
    # Per language too: the options' names, the overview's months and every fragment cached under `key` are in it.
    language = translation.get_language()
    key = f"facets:{language}:" + hashlib.sha256(f"{filterset.data_version}?{query}".encode()).hexdigest()

    def counted():
        result = facets(filterset)
        # Counts recomputed for the same query (a scheduled event went live) get a new key.
        result.key = f"{key}:{time.time_ns()}"
        return result

    return cached_until_published(key, filterset.facet_index, counted)


def cached_until_published(key, index, compute):
    """compute(), cached under `key` (which carries the data version) until the facet index's next
    scheduled event goes live: the public events change then without anyone saving.
    FACET_CACHE_SECONDS only bounds what the cache keeps."""
    cached = cache.get(key)
    now = timezone.now()
    if cached and (cached[1] is None or cached[1] > now):
        return cached[0]
    value = compute()
    cache.set(key, (value, index.next_publish_time(now)), settings.FACET_CACHE_SECONDS)
    return value


def total_from_facets(facet_list):
    """How many events the filters give, read off the type facet instead of a COUNT(*):
    every event has exactly one type, so its counts add up to the total."""
    types = next(facet for facet in facet_list if facet.name == "type")
    chosen = [option for option in types.options if option.selected] or types.options
    return sum(option.count for option in chosen)


# Walk the date index for a words search when at least one public event in
# this many matches: a page then reads at most ~26 x this many rows.
WALK_WHEN_ONE_IN = 80


def plan_words_search(filterset, facet_list):
    """Choose how the database finds a page of events matching words (PostgreSQL).

    The facet counts already say how many public events the filters match;
    from that share, see search.NotIndexed, where the planner's own guess goes wrong.
    """
    if connection.vendor != "postgresql" or not (filterset.cleaned.get("q") or "").strip():
        return
    public = filterset.facet_index.public_count(timezone.now())
    filterset.words_are_common = total_from_facets(facet_list) * WALK_WHEN_ONE_IN >= public
