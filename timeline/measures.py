"""Measures over time: a lane per measure, and where each country stood on a given day.

Computed from the facet index (facet_index.py), which holds every event's
measure, stage, days and places as arrays, so a view of 1,000,000 events is
a few array passes and one query (the titles of the events it draws), and
is cached per data version, filters, date and page like the facet counts.

The rules, as the page states them to readers:

- A measure is listed when one of its public events passes the filters; its
  lane then shows all of its public events, so the stages are its own.
- A step counts from the last day it covers: “Dec 2018” from 31 December, a
  span from its end. That is never earlier than it happened, and it is where
  the timeline places it.
- A measure stands where its latest staged step left it. It belongs to the
  countries of its events (as of a date: of its events up to that day).
- A country stands at the furthest stage among its measures' stages that
  day: in effect, then announced, then under consideration; “lifted or
  reversed” when every one of them was. The step that set it is the one by
  which its measure reached that stage, the earliest among its measures.
"""

import datetime
import hashlib
import math
import pickle
import time
from dataclasses import dataclass, field

import numpy as np
from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.http import QueryDict
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext, pgettext_lazy
from django_countries.fields import Country

from .dates import DatePrecision, format_date, format_span, parse_partial_date
from .facet_index import STAGE_VALUES
from .filters import canonical_query
from .models import STAGE_IN_TEXT, Event, Stage

LANES_PER_PAGE = 30
# Furthest first when countries are compared; 0 is "no stage yet". Indexed by
# the facet index's stage codes (STAGE_VALUES: "", considered, announced, in effect, lifted).
_RANK = np.array([0, 2, 3, 4, 1], dtype=np.int8)
_EPOCH = datetime.date(1970, 1, 1)
# Board columns, in reading order (furthest first).
BOARD_ORDER = [Stage.IN_EFFECT, Stage.ANNOUNCED, Stage.CONSIDERED, Stage.LIFTED]
# Column headings of the trend table, which a phone shows in full.
SHORT_LABELS = {
    Stage.IN_EFFECT: pgettext_lazy("stage, short", "In effect"),
    Stage.ANNOUNCED: pgettext_lazy("stage, short", "Announced"),
    Stage.CONSIDERED: pgettext_lazy("stage, short", "Considered"),
    Stage.LIFTED: pgettext_lazy("stage, short", "Lifted"),
}

# A tile-grid map: one square per country, placed roughly where it lies
# (column, row). No boundaries to ship or draw; every tile is the same size,
# so Luxembourg reads as well as France.
EUROPE_TILES = {
    "IS": (0, 0), "NO": (4, 0), "SE": (5, 0), "FI": (6, 0),
    "IE": (0, 1), "GB": (1, 1), "DK": (4, 1), "EE": (6, 1),
    "NL": (3, 2), "DE": (4, 2), "PL": (5, 2), "LV": (6, 2),
    "BE": (2, 3), "LU": (3, 3), "CZ": (4, 3), "SK": (5, 3), "LT": (6, 3), "UA": (7, 3),
    "FR": (2, 4), "CH": (3, 4), "AT": (4, 4), "HU": (5, 4), "RO": (6, 4), "MD": (7, 4),
    "PT": (0, 5), "ES": (1, 5), "IT": (3, 5), "SI": (4, 5), "HR": (5, 5), "RS": (6, 5), "BG": (7, 5),
    "MT": (3, 6), "BA": (5, 6), "ME": (6, 6), "MK": (7, 6),
    "AL": (6, 7), "GR": (7, 7), "CY": (8, 7),
}  # fmt: skip
MAP_COLUMNS = 9
MAP_ROWS = 8
# Tiles of blocs and of countries outside Europe go in rows of their own below the map.
OTHER_TILES_ROW = MAP_ROWS + 1
TILE_PITCH = 50


def _date(day):
    return _EPOCH + datetime.timedelta(days=int(day))


def _day(date):
    return (date - _EPOCH).days


@dataclass
class EventRef:
    """What a page shows of an event it links to."""

    id: int
    slug: str = ""
    title: str = ""
    when: str = ""

    url: str = ""


@dataclass
class Step:
    """A measure reaching a stage: the day it counts from, and the event that brought it there."""

    stage: str
    day: datetime.date
    event: EventRef
    days_after: int | None = None

    @property
    def label(self):
        return Stage(self.stage).label

    @property
    def lower_label(self):
        return STAGE_IN_TEXT[self.stage]


@dataclass
class Dot:
    event: EventRef
    x: str
    stage: str
    kept: bool
    # The event whose page the lane is drawn on.
    current: bool = False

    @property
    def stage_label(self):
        return Stage(self.stage).label if self.stage else ""

    @property
    def stage_words(self):
        return STAGE_IN_TEXT[self.stage] if self.stage else ""


@dataclass
class Segment:
    stage: str
    x: str
    width: str


@dataclass
class Lane:
    slug: str
    title: str
    dots: list
    segments: list
    steps: list
    # Its stage on the board's date (a Stage value, or "").
    stage: str = ""
    measure_id: int = 0

    @property
    def stage_label(self):
        return Stage(self.stage).label if self.stage else ""


@dataclass
class Group:
    code: str
    name: str
    flag: str
    lanes: list = field(default_factory=list)
    # Lanes of this country on every page.
    total: int = 0
    pk: int = 0


@dataclass
class Standing:
    """Where a country stood on the board's date."""

    code: str
    name: str
    flag: str
    stage: str
    measure_slug: str
    measure_title: str
    # The measure's steps up to the date, the last one set the country's stage.
    steps: list
    measures: int
    timeline_query: str
    tile: tuple | None = None

    @property
    def x(self):
        return self.tile[0] * TILE_PITCH

    @property
    def y(self):
        return self.tile[1] * TILE_PITCH

    @property
    def setter(self):
        return self.steps[-1]

    @property
    def stage_label(self):
        return Stage(self.stage).label

    @property
    def stage_words(self):
        return STAGE_IN_TEXT[self.stage]


@dataclass
class Tile:
    code: str
    column: int
    row: int

    @property
    def x(self):
        return self.column * TILE_PITCH

    @property
    def y(self):
        return self.row * TILE_PITCH


@dataclass
class Tick:
    label: str
    x: str


@dataclass
class Drawing:
    """What a view draws: its lanes, board, map and trend (most of its size)."""

    groups: list
    ticks: list
    columns: list
    tiles: list
    other_tiles: list
    empty_tiles: list
    trend: list


class _PickledApart:
    """A value pickled on its own and unpickled only when read.

    A cached view is unpickled on every request, and the page then takes
    its lanes and board from fragments cached under the view's key: read
    only when a fragment is rendered, the drawing costs no unpickling
    (0.9 ms of a filtered page at 1,000,000 events).
    """

    def __init__(self, value):
        self._value, self._pickled = value, None

    def get(self):
        if self._value is None:
            self._value = pickle.loads(self._pickled)
        return self._value

    def __getstate__(self):
        if self._pickled is None:
            self._pickled = pickle.dumps(self._value, pickle.HIGHEST_PROTOCOL)
        return {"_value": None, "_pickled": self._pickled}


@dataclass
class MeasuresView:
    key: str
    as_of: datetime.date
    as_of_today: bool
    lanes_total: int
    measures_total: int
    page: int
    pages: int
    first_lane: int
    last_lane: int
    as_of_x: str | None
    axis_label: str
    year_ends: list
    drawing: _PickledApart
    # Until when the view holds without an edit (cached_view).
    until: datetime.datetime | None = None

    @property
    def cache_seconds(self):
        """How long the view and its fragments may stay cached: until it may change without an edit."""
        return max(1, math.ceil((self.until - timezone.now()).total_seconds()))

    @property
    def groups(self):
        return self.drawing.get().groups

    @property
    def ticks(self):
        return self.drawing.get().ticks

    @property
    def columns(self):
        return self.drawing.get().columns

    @property
    def tiles(self):
        return self.drawing.get().tiles

    @property
    def other_tiles(self):
        return self.drawing.get().other_tiles

    @property
    def empty_tiles(self):
        return self.drawing.get().empty_tiles

    @property
    def trend(self):
        return self.drawing.get().trend

    @property
    def map_width(self):
        return MAP_COLUMNS * TILE_PITCH

    @property
    def map_height(self):
        rows = max((standing.tile[1] for standing in self.other_tiles), default=MAP_ROWS - 1) + 1
        return rows * TILE_PITCH

    @property
    def elsewhere_y(self):
        return OTHER_TILES_ROW * TILE_PITCH - 10

    @property
    def standings_total(self):
        return sum(len(standings) for _, _, standings in self.columns)


def kept_events(filterset, now):
    """The events (a mask over the facet index) that the filters keep, as facets() counts them."""
    kept = filterset.facet_index.public(now)
    for mask in filterset.index_masks.values():
        kept = kept & mask
    return kept


def cached_view(filterset, as_of, page, today):
    """measures_view(), cached per data version, filters, date and page until what it shows can change.

    The key carries the data version, so an edit shows at once. Besides the
    data, a view depends on what is public, which changes when the next
    scheduled event goes live, and on today (the board's default date, the
    trend's last row), which changes at local midnight: it is kept until the
    earlier of the two, not FACET_CACHE_SECONDS. Recomputed every minute, the
    unfiltered view (0.3-0.5 s at 1,000,000 events) made the served p99.
    """
    query = canonical_query(filterset).urlencode()
    raw = f"{filterset.data_version}?{query}&as_of={as_of.isoformat()}&page={page}&today={today.isoformat()}"
    # Per language: the view holds names, dates and words in it.
    key = f"measures-view:{translation.get_language()}:" + hashlib.sha256(raw.encode()).hexdigest()
    now = timezone.now()
    view = cache.get(key)
    if view is not None and view.until > now:
        return view
    view = measures_view(filterset, as_of, page, today, now)
    # The rendered fragments are cached under this key: a recomputation gets a new one.
    view.key = f"{key}:{time.time_ns()}"
    view.until = _valid_until(filterset.facet_index, today, now)
    cache.set(key, view, view.cache_seconds)
    return view


def _valid_until(facet_index, today, now):
    """When a view computed now for `today` may next change without an edit: a scheduled event goes live, or midnight."""
    midnight = timezone.make_aware(datetime.datetime.combine(today + datetime.timedelta(days=1), datetime.time()))
    goes_live = facet_index.next_publish_time(now)
    return midnight if goes_live is None else min(midnight, goes_live)


def warm():
    """Cache the unfiltered view and its counts, as a reader's first /measures/ would, before gunicorn forks its workers.

    With Redis every worker reads them from there; with the local-memory
    cache each worker is forked with a copy. Either way no reader waits for
    the view's first computation (config/gunicorn.conf.py). English only: a
    view per language costs 0.3 s or more at a million events.
    """
    from .facets import cached_facets
    from .filters import filter_public_events

    # In a transaction the data version is read by a query: no listening
    # thread and connection are started in the process that forks (changes.py).
    with transaction.atomic(), translation.override(settings.LANGUAGE_CODE):
        filterset, _ = filter_public_events(QueryDict())
        today = timezone.localdate()
        cached_facets(filterset)
        cached_view(filterset, today, 1, today)


class _Columns:
    """The facet index's columns this page reads, its snapshot's rows followed by its delta's.

    The index keeps the two apart (facet_index.py); its masks (public(),
    mask()) run over both, in this order, so positions here are positions
    in those masks. A snapshot row an edit superseded is in the columns
    but never public, so it never counts.
    """

    def __init__(self, index):
        parts = (index.base, index.delta)
        self.index = index
        self.size = index.size
        self.ids = np.concatenate([part["ids"] for part in parts])
        self.columns = {name: np.concatenate([part[name] for part in parts]) for name in ("measure", "stage")}
        self.last_days = np.concatenate([part["last_days"] for part in parts])
        self.links = {"country": _Links(
            np.concatenate([parts[0]["country_events"], parts[1]["country_events"].astype(np.int64) + parts[0].size]),
            np.concatenate([part["country_values"] for part in parts]),
        )}  # fmt: skip
        self.labels = {"country": _Labels(index, "country"), "measure": _Labels(index, "measure")}


@dataclass(frozen=True)
class _Links:
    """One link table: each link's event (a position in _Columns) and its value's id."""

    events: np.ndarray
    values: np.ndarray


class _Labels:
    """(value in URLs, label) of one facet's values by id, asked of the index as they are needed."""

    def __init__(self, index, name):
        self.index, self.name = index, name

    def __getitem__(self, pk):
        return self.index.label(self.name, pk)

    def ids(self):
        return self.index.value_ids(self.name)


def measures_view(filterset, as_of, page, today, now):
    public = filterset.facet_index.public(now)
    kept = kept_events(filterset, now)
    index = _Columns(filterset.facet_index)
    measure_column = index.columns["measure"]
    stage_column = index.columns["stage"]
    days = index.last_days

    # Per measure id: whether an event the filters keep is on it (0 is "no measure").
    chosen = np.bincount(measure_column[kept], minlength=int(measure_column.max(initial=0)) + 1) > 0
    chosen[0] = False
    kept_measures = np.flatnonzero(chosen)
    # Every public event of those measures, by measure, then by the day it counts from.
    positions = np.flatnonzero(public & chosen[measure_column])
    positions = positions[np.lexsort((positions, days[positions], measure_column[positions]))]
    measures = measure_column[positions]

    start_day, end_day = _axis(filterset, days, positions, today)
    as_of_day = _day(as_of)
    lanes = _Transitions(positions, measures, stage_column, days, end_day)
    board = _Transitions(positions, measures, stage_column, days, as_of_day)
    year_ends = [
        year
        for year in range(max(_date(start_day).year, _date(end_day).year - 7), _date(end_day).year + 1)
        if datetime.date(year, 12, 31) < today
    ]
    country_filter = np.array([item.pk for item in filterset.cleaned.get("country") or []], dtype=np.int64)
    pairs = _Pairs(index, positions, days, country_filter)

    groups, lanes_total, first_lane, last_lane, page, pages = _lane_page(index, pairs, positions, measures, page)
    columns, tiles, other_tiles = _board(index, pairs, as_of_day, board, canonical_query(filterset))

    def events_of(measure):
        # Searched as the array's own type (32 bits): a Python int made numpy widen the whole array first, each search.
        measure = measures.dtype.type(measure)
        return positions[np.searchsorted(measures, measure) : np.searchsorted(measures, measure, "right")]

    lane_positions = {lane.measure_id: events_of(lane.measure_id) for group in groups for lane in group.lanes}
    wanted = [int(index.ids[p]) for ps in lane_positions.values() for p in ps]
    wanted += [int(index.ids[p]) for _, _, standings in columns for standing in standings for _, _, p in standing.steps]
    refs = _event_refs(wanted)
    span = max(end_day - start_day, 1)

    def x(day):
        return min(max((day - start_day) / span, 0), 1) * 100

    for group in groups:
        for lane in group.lanes:
            lane.dots = [
                Dot(refs[int(index.ids[p])], _pct(x(int(days[p]))), STAGE_VALUES[stage_column[p]], bool(kept[p]))
                for p in lane_positions[lane.measure_id]
                if start_day <= days[p] <= end_day
            ]
            steps = lanes.of(lane.measure_id)
            lane.steps = _with_gaps([_step(index, refs, item) for item in steps])
            lane.segments = _segments([(day, STAGE_VALUES[stage]) for day, stage, _ in steps], end_day, x)
            lane.stage = STAGE_VALUES[board.current(lane.measure_id)]
    for _, _, standings in columns:
        for standing in standings:
            standing.steps = _with_gaps([_step(index, refs, item) for item in standing.steps])

    first_year, last_year = _date(start_day).year, _date(end_day).year
    drawing = Drawing(
        groups=groups,
        ticks=_ticks(first_year, last_year, x),
        columns=columns,
        tiles=tiles,
        other_tiles=other_tiles,
        empty_tiles=_empty_tiles(tiles),
        trend=_trend(pairs, _Transitions(positions, measures, stage_column, days, _day(today)), year_ends, today),
    )
    return MeasuresView(
        key="",
        as_of=as_of,
        as_of_today=as_of == today,
        lanes_total=lanes_total,
        measures_total=len(kept_measures),
        page=page,
        pages=pages,
        first_lane=first_lane,
        last_lane=last_lane,
        as_of_x=_pct(x(as_of_day)) if start_day <= as_of_day <= end_day else None,
        axis_label=f"{first_year} – {last_year}" if first_year != last_year else str(first_year),
        year_ends=year_ends,
        drawing=_PickledApart(drawing),
    )


def _pct(value):
    """A percentage for an SVG attribute: never a localised decimal comma."""
    return f"{value:.2f}%"


def _with_gaps(steps):
    for earlier, later in zip(steps, steps[1:], strict=False):
        later.days_after = (later.day - earlier.day).days
    return steps


def _segments(steps, end_day, x):
    """A bar per stage, from the day a step set it to the next step (or the axis' end)."""
    if not steps:
        # No event of the measure carries a stage yet: no bar, only its events' dots.
        return []
    ends = [day for day, _ in steps[1:]] + [end_day]
    return [
        Segment(stage, _pct(x(day)), _pct(max(x(end) - x(day), 0))) for (day, stage), end in zip(steps, ends, strict=True) if day <= end_day
    ]


def _empty_tiles(tiles):
    shown = {standing.code for standing in tiles}
    return [Tile(code, column, row) for code, (column, row) in EUROPE_TILES.items() if code not in shown]


class _Transitions:
    """Each time a measure's stage changed, up to a day: the day it counts from, the new stage and the
    event (its position in the index), sorted by measure, then day."""

    def __init__(self, positions, measures, stage_column, days, until_day):
        staged = (stage_column[positions] > 0) & (days[positions] <= until_day)
        staged_positions, staged_measures = positions[staged], measures[staged]
        stages = stage_column[staged_positions]
        changed = np.ones(len(stages), dtype=bool)
        changed[1:] = (staged_measures[1:] != staged_measures[:-1]) | (stages[1:] != stages[:-1])
        self.positions, self.measures, self.stages = staged_positions[changed], staged_measures[changed], stages[changed]
        self.days = days[self.positions]
        size = int(measures.max(initial=0)) + 1
        # Per measure id: its stage code (0 when it has none yet) and the day it reached it.
        last = np.ones(len(self.measures), dtype=bool)
        last[:-1] = self.measures[1:] != self.measures[:-1]
        self.stage_of = np.zeros(size, dtype=np.int8)
        self.stage_of[self.measures[last]] = self.stages[last]
        self.reached_on = np.zeros(size, dtype=np.int64)
        self.reached_on[self.measures[last]] = self.days[last]

    def current(self, measure):
        return int(self.stage_of[measure]) if measure < len(self.stage_of) else 0

    def of(self, measure):
        """[(day, stage code, position), ...] of one measure."""
        measure = self.measures.dtype.type(measure)  # not a Python int: numpy would widen the whole array first
        first, last = np.searchsorted(self.measures, measure), np.searchsorted(self.measures, measure, "right")
        return list(zip(self.days[first:last].tolist(), self.stages[first:last].tolist(), self.positions[first:last].tolist(), strict=True))


def _step(index, refs, item):
    day, stage, position = item
    return Step(STAGE_VALUES[stage], _date(day), refs[int(index.ids[position])])


class _Pairs:
    """Each (measure, country) pair of the measures' events, and the first day an event links them:
    a measure belongs to a country from its first event there. One sort of the link rows."""

    def __init__(self, index, positions, days, country_filter):
        selected = np.zeros(index.size, dtype=bool)
        selected[positions] = True
        links = index.links["country"]
        chosen = selected[links.events]
        linked = links.events[chosen]
        measures = index.columns["measure"][linked].astype(np.int64)
        places = links.values[chosen].astype(np.int64)
        linked_days = days[linked].astype(np.int64)
        if len(country_filter):
            keep = np.isin(places, country_filter)
            measures, places, linked_days = measures[keep], places[keep], linked_days[keep]
        self.width = int(places.max(initial=0)) + 1
        first_day = int(linked_days.min(initial=0))
        day_span = int(linked_days.max(initial=0)) - first_day + 1
        # (measure, country, day) as one integer: a flat sort, much faster than a lexsort or a unique of rows.
        keys = np.sort((measures * self.width + places) * day_span + (linked_days - first_day))
        pair_keys = keys // day_span
        first = np.ones(len(keys), dtype=bool)
        first[1:] = pair_keys[1:] != pair_keys[:-1]
        self.measures = pair_keys[first] // self.width
        self.places = pair_keys[first] % self.width
        self.days = keys[first] % day_span + first_day

    def until(self, day):
        """The pairs linked by that day: (measures, places)."""
        alive = self.days <= day
        return self.measures[alive], self.places[alive]


def _country_names(index):
    """Per jurisdiction id, its place in the alphabetical order of names."""
    pks = index.labels["country"].ids()
    names = [label for _, label in index.index.labels("country", pks)]
    rank = np.zeros(max(pks, default=0) + 1, dtype=np.int64)
    for position, (_, pk) in enumerate(sorted(zip(names, pks, strict=True))):
        rank[pk] = position
    return rank


def _lane_page(index, pairs, positions, measures, page):
    """The page's lanes, grouped by country (a measure in two countries is a lane in each), countries by name,
    a country's measures by their first step."""
    first_day = np.zeros(int(measures.max(initial=0)) + 1, dtype=np.int64)
    # positions are sorted by measure, then day: the first of each measure is its first step.
    starts = np.flatnonzero(np.r_[True, measures[1:] != measures[:-1]]) if len(measures) else np.array([], dtype=np.int64)
    first_day[measures[starts]] = index.last_days[positions[starts]]
    lane_measures, places = pairs.measures, pairs.places
    # (country's name, first step, measure) as one integer: days from the earliest, measure ids below 2**31.
    days_from = first_day[lane_measures] - first_day[lane_measures].min(initial=0)
    order = np.argsort((_country_names(index)[places] << 54) | (days_from << 31) | lane_measures)
    total = len(order)
    pages = max(1, -(-total // LANES_PER_PAGE))
    page = min(page, pages)
    first_lane = (page - 1) * LANES_PER_PAGE
    shown = order[first_lane : first_lane + LANES_PER_PAGE]
    per_country = np.bincount(places, minlength=pairs.width)
    groups = []
    for measure, country in zip(lane_measures[shown].tolist(), places[shown].tolist(), strict=True):
        if not groups or groups[-1].pk != country:
            code, _ = index.labels["country"][country]
            country_name = Country(code)
            groups.append(Group(code, str(country_name.name), country_name.flag, total=int(per_country[country]), pk=country))
        slug, title = index.labels["measure"][measure]
        groups[-1].lanes.append(Lane(slug, title, [], [], [], measure_id=measure))
    return groups, total, first_lane + 1 if len(shown) else 0, first_lane + len(shown), page, pages


def _best_ranks(places, ranks, width):
    """Per country id, the highest of `ranks` (0-4) among its pairs; 0 without any."""
    present = np.bincount(places * 5 + ranks, minlength=width * 5).reshape(width, 5)[:, 1:] > 0
    return np.where(present.any(axis=1), 4 - np.argmax(present[:, ::-1], axis=1), 0)


def _board(index, pairs, as_of_day, board, query):
    """Each country's standing on the date, in board columns (furthest stage first), and the map's tiles."""
    measures, places = pairs.until(as_of_day)
    staged = board.stage_of[measures] > 0
    measures, places = measures[staged], places[staged]
    ranks = _RANK[board.stage_of[measures]].astype(np.int64)
    counts = np.bincount(places, minlength=pairs.width)
    # Per country: the furthest stage, and among its measures at that stage the one that reached it first.
    furthest = ranks == _best_ranks(places, ranks, pairs.width)[places]
    measures, places = measures[furthest], places[furthest]
    order = np.lexsort((measures, board.reached_on[measures], places))
    first = np.ones(len(order), dtype=bool)
    first[1:] = places[order][1:] != places[order][:-1]
    columns = {stage: [] for stage in BOARD_ORDER}
    tiles, other_tiles = [], []
    for measure, country in zip(measures[order][first].tolist(), places[order][first].tolist(), strict=True):
        code, _ = index.labels["country"][country]
        # The index's names are English; the page is in the reader's language.
        name = str(Country(code).name)
        stage = Stage(STAGE_VALUES[board.stage_of[measure]])
        narrowed = query.copy()
        narrowed.setlist("country", [code])
        slug, title = index.labels["measure"][measure]
        standing = Standing(
            code=code,
            name=name,
            flag=Country(code).flag,
            stage=stage.value,
            measure_slug=slug,
            measure_title=title,
            steps=board.of(measure),
            measures=int(counts[country]),
            timeline_query=_ordered(narrowed).urlencode(),
            tile=EUROPE_TILES.get(code),
        )
        columns[stage].append(standing)
        (tiles if standing.tile else other_tiles).append(standing)
    for standings in columns.values():
        standings.sort(key=lambda standing: (standing.steps[-1][0], standing.name))
    other_tiles.sort(key=lambda standing: standing.name)
    for position, standing in enumerate(other_tiles):
        standing.tile = (position % MAP_COLUMNS, OTHER_TILES_ROW + position // MAP_COLUMNS)
    return [(stage.value, stage.label, columns[stage]) for stage in BOARD_ORDER], tiles, other_tiles


@dataclass
class TrendRow:
    """How many countries stood at each stage on a date (the board's rule), in BOARD_ORDER."""

    label: str
    as_of: str
    counts: list
    bars: list = field(default_factory=list)


# Transitions are looked up by measure and day as one integer: measure * 2**32 + day + _DAY_OFFSET.
_DAY_OFFSET = 2**30


def _trend(pairs, transitions, years, today):
    """The board's counts per stage at the end of each of `years`, and today: one array pass per date."""
    transition_keys = transitions.measures.astype(np.int64) * 2**32 + transitions.days.astype(np.int64) + _DAY_OFFSET
    ranks_in_order = [int(_RANK[STAGE_VALUES.index(stage)]) for stage in BOARD_ORDER]
    rows = []
    dates = [(gettext("End of %(year)s") % {"year": year}, str(year), _day(datetime.date(year, 12, 31))) for year in years]
    dates.append((gettext("Today"), "", _day(today)))
    for label, as_of, day in dates:
        measures, places = pairs.until(day)
        found = np.searchsorted(transition_keys, measures * 2**32 + day + _DAY_OFFSET, "right") - 1
        valid = found >= 0
        valid[valid] = transitions.measures[found[valid]] == measures[valid]
        stages = np.zeros(len(measures), dtype=np.int64)
        stages[valid] = transitions.stages[found[valid]]
        best = _best_ranks(places, _RANK[stages].astype(np.int64), pairs.width)
        per_rank = np.bincount(best, minlength=5)
        rows.append(TrendRow(label, as_of, [int(per_rank[rank]) for rank in ranks_in_order]))
    widest = max((sum(row.counts) for row in rows), default=0) or 1
    for row in rows:
        start = 0
        for stage, count in zip(BOARD_ORDER, row.counts, strict=True):
            if count:
                row.bars.append(Segment(stage.value, _pct(start * 100 / widest), _pct(count * 100 / widest)))
            start += count
    return rows


def _ordered(query):
    """A query with its parameters in canonical_query's order (the URL htmx pushes on the timeline)."""
    ordered = QueryDict(mutable=True)
    for name in ["type", "country", "actor", "topic", "stage", "measure", "q", "since", "until", "order"]:
        if name in query:
            ordered.setlist(name, query.getlist(name))
    return ordered


def _event_refs(ids):
    """Slug, title and date of each event a view links to: one query.

    Public ones only: an event unpublished since the facet index was read
    (the next request reads a new one) is named by no title and no link.
    """
    ids = set(ids)
    rows = Event.objects.public().filter(pk__in=ids).values_list("id", "slug", "title", "date", "date_precision", "end_date")
    refs = {
        pk: EventRef(pk, slug, title, format_span(date, end_date, precision), reverse("timeline:event", args=[slug]))
        for pk, slug, title, date, precision, end_date in rows
    }
    withdrawn = EventRef(0, title=gettext("an event no longer public"), url=reverse("timeline:index"))
    return {pk: refs.get(pk, withdrawn) for pk in ids}


def _axis(filterset, days, positions, today):
    """The days the lanes' axis spans: the filters' period, or whole years around the measures' events."""
    if len(positions):
        first, last = _date(days[positions].min()), _date(days[positions].max())
    else:
        first = last = today
    since, until = filterset.cleaned.get("since"), filterset.cleaned.get("until")
    start = since[0] if since else datetime.date(first.year, 1, 1)
    end = until[1] if until else datetime.date(last.year, 12, 31)
    return _day(start), _day(max(end, start))


def _ticks(first_year, last_year, x):
    years = last_year - first_year + 1
    step = 1 if years <= 12 else 2 if years <= 24 else 5 if years <= 60 else 10
    return [
        Tick(str(year), _pct(x(_day(datetime.date(year, 1, 1)))))
        for year in range(first_year, last_year + 1)
        if year % step == 0 or year == first_year
    ]


def parse_as_of(text, today):
    """The day a board shows: the last day of `2018`, `2018-12` or `2018-12-01`; today when empty."""
    text = (text or "").strip()
    if not text:
        return today
    return parse_partial_date(text)[1]


def as_of_words(as_of, today):
    return gettext("today") if as_of == today else format_date(as_of, DatePrecision.DAY)


def event_lane(steps, current):
    """One measure's lane for the page of one of its events (`steps`: its public events), on its own years."""
    steps = sorted(steps, key=lambda event: (event.covers_until, event.pk))
    start_day = _day(datetime.date(steps[0].covers_until.year, 1, 1))
    end_day = _day(datetime.date(steps[-1].covers_until.year, 12, 31))
    span = max(end_day - start_day, 1)

    def x(day):
        return min(max((day - start_day) / span, 0), 1) * 100

    refs = {event.pk: EventRef(event.pk, event.slug, event.title, event.display_date, event.get_absolute_url()) for event in steps}
    transitions = []
    for event in steps:
        if event.stage and (not transitions or transitions[-1][1] != event.stage):
            transitions.append((_day(event.covers_until), event.stage, event.pk))
    lane = Lane(
        slug=current.measure.slug,
        title=current.measure.title,
        dots=[Dot(refs[event.pk], _pct(x(_day(event.covers_until))), event.stage, True, current=event.pk == current.pk) for event in steps],
        segments=_segments([(day, stage) for day, stage, _ in transitions], end_day, x),
        steps=_with_gaps([Step(stage, _date(day), refs[pk]) for day, stage, pk in transitions]),
        stage=transitions[-1][1] if transitions else "",
    )
    first_year, last_year = _date(start_day).year, _date(end_day).year
    return lane, _ticks(first_year, last_year, x)
