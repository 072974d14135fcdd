"""The read-only JSON API under /api/v1/: the timeline's public data for programs.

Events go through the same door and the same filters as `/` (filter_public_events),
page by the timeline's keyset cursor, and carry the downloads' columns
(export_rows), their corrections as objects. Lists of types, places,
actors, topics and measures name only what public events carry, as the
filters accept only those. The schema (/api/v1/openapi.json) and its docs
page (/api/v1/docs) are generated from this module by django-ninja.
"""

import datetime
from typing import NamedTuple

from django.db.models import Exists, OuterRef, Q
from django.http import Http404, HttpResponse
from django.urls import reverse
from django.utils import timezone
from django_countries import countries
from django_filters import MultipleChoiceFilter
from ninja import Field, NinjaAPI, Path, Query, Schema, Status, Swagger
from ninja.errors import ValidationError
from pydantic import create_model

from . import export
from .filters import MAX_VALUE_LENGTH, MAX_VALUES_PER_PARAMETER, EventFilter, FacetValuesFilter, filter_public_events
from .models import Actor, Event, EventType, Jurisdiction, Measure, Topic, Withdrawal, WithdrawalReason
from .pagination import BadCursor, decode_cursor, keyset_window, page_order, split_window

DEFAULT_PAGE_SIZE = 50
MAX_PAGE_SIZE = 500
# Slugs as the admin's SlugField accepts them, and ISO codes. Anything else
# cannot name a row; refused before it reaches the database (PostgreSQL
# rejects a NUL byte in text with an error, not an empty result).
SLUG_PATTERN = r"^[-a-zA-Z0-9_]+$"
# Ids are positive 64-bit integers; more digits than that are a slug or nothing.
_MAX_ID_DIGITS = 18

api = NinjaAPI(
    title="Policy Timeline API",
    version="1",
    description=(
        "Read-only access to the public timeline: the events readers see at `/`, with the same filters, "
        "in pages that follow `next` (also sent as a `Link` header), and the values the filters take. "
        "Field meanings are in the codebook at `/data/`."
    ),
    urls_namespace="api",
    # Swagger UI's own files come from the ninja package through staticfiles
    # ("ninja" is in INSTALLED_APPS), never from a CDN: the site's CSP allows
    # scripts from itself only. No validator badge: it is an image from another site.
    docs=Swagger(settings={"validatorUrl": None}),
)


class Problem(Schema):
    detail: list[str] = Field(description="One line per reason the request cannot be answered, naming the parameter.")


@api.exception_handler(ValidationError)
def refuse_bad_parameters(request, error):
    """Parameters that do not fit the schema (a page size of 0, a date-time that is not one) are a 400, not ninja's 422,
    like a filter the timeline cannot apply."""
    lines = [f"{item['loc'][-1]}: {item['msg']}" for item in error.errors]
    return api.create_response(request, {"detail": lines}, status=400)


@api.exception_handler(Http404)
def not_found(request, error):
    return api.create_response(request, {"detail": [str(error) or "Not found."]}, status=404)


def _refused(lines):
    return Status(400, {"detail": list(lines)})


def _absolute(request, path):
    return request.build_absolute_uri(path)


def _next_link(request, response, **replace):
    """The URL of the next page (this request's query with `replace` applied), also sent as a Link header."""
    query = request.GET.copy()
    for name, value in replace.items():
        query[name] = value
    url = _absolute(request, f"{request.path}?{query.urlencode()}")
    response["Link"] = f'<{url}>; rel="next"'
    return url


def _utc(moment):
    """`moment` as an aware UTC datetime (naive ones are read as UTC), or None when no database could hold it."""
    if timezone.is_naive(moment):
        moment = moment.replace(tzinfo=datetime.UTC)
    try:
        return moment.astimezone(datetime.UTC)
    except OverflowError:
        return None


# --- events -------------------------------------------------------------------

# The downloads' parallel lists of correction dates and notes; the API gives each correction as one object instead.
_CORRECTION_COLUMNS = ("correction_dates", "correction_notes")
# How the downloads' kinds of values are typed here; dates and times are ISO 8601 strings, as in the JSON download.
_TYPES = {export.NUMBER: int, export.LIST: list[str]}


class CorrectionOut(Schema):
    corrected_on: datetime.date = Field(description="The date the correction was made public, YYYY-MM-DD.")
    note: str = Field(description="What was wrong and what is right now.")


# The downloads' columns, in their order and with the codebook's meanings, then the corrections.
EventOut = create_model(
    "Event",
    __base__=Schema,
    **{
        column.name: (_TYPES.get(column.kind, str), Field(description=column.description))
        for column in export.PUBLIC_COLUMNS
        if column.name not in _CORRECTION_COLUMNS
    },
    corrections=(list[CorrectionOut], Field(description="Dated public corrections of the event, oldest first.")),
)


class EventPage(Schema):
    items: list[EventOut] = Field(description="Events: the download columns (but the two correction lists), then `corrections`.")
    next: str | None = Field(description="The URL of the next page, also sent as a Link header; null on the last page.")


_FILTER_HELP = {
    "type": "Event type slugs (see /api/v1/event-types).",
    "country": "ISO 3166-1 alpha-2 codes, EU for the European Union (see /api/v1/jurisdictions).",
    "actor": "Actor slugs (see /api/v1/actors).",
    "topic": "Topic slugs (see /api/v1/topics).",
    "stage": "Stages a measure reached with the event.",
    "measure": "Measure slugs (see /api/v1/measures).",
    "since": "Events whose days overlap this period or come after it: a year (2018), a month (2018-12) or a day (2018-12-01).",
    "until": "Events whose days overlap this period or come before it: a year, a month or a day.",
    "q": 'Words in the title, summary or body: every word must match; "a phrase"; huawei OR zte; -word leaves out.',
    "corrected_since": "Events with a public correction made on or after this period's first day: a year, a month or a day.",
    "order": "`newest` first (the default) or `oldest` first.",
}


def _filter_parameter(name, definition):
    """The OpenAPI description of one EventFilter parameter, read off the filter itself."""
    choices = [value for value, _ in definition.extra.get("choices", [])]
    schema = {"type": "string", "maxLength": MAX_VALUE_LENGTH, **({"enum": choices} if choices else {})}
    repeatable = isinstance(definition, FacetValuesFilter | MultipleChoiceFilter)
    if repeatable:
        schema = {"type": "array", "items": schema, "maxItems": MAX_VALUES_PER_PARAMETER}
    description = _FILTER_HELP[name] + (" Repeat the parameter for several: any of them." if repeatable else "")
    return {"name": name, "in": "query", "required": False, "description": description, "schema": schema}


# Documented from EventFilter, not declared again: the filters stay the one parser of these parameters.
_FILTER_PARAMETERS = [_filter_parameter(name, definition) for name, definition in EventFilter.base_filters.items()]

Cursor = Query(None, description="Where the page starts: the `next` URL carries it. Opaque.")
PageSize = Query(DEFAULT_PAGE_SIZE, ge=1, le=MAX_PAGE_SIZE, description="Items per page.")
UpdatedSince = Query(
    None,
    description="Only events changed or made public at or after this time (ISO 8601; UTC unless it says otherwise), "
    "for incremental harvests; /api/v1/withdrawals lists the events taken out of public view meanwhile.",
)
EventKey = Path(..., pattern=SLUG_PATTERN, max_length=200, description="The event's id, or its slug.")
WithdrawnSince = Query(..., description="ISO 8601; UTC unless it says otherwise.")

BAD_REQUEST = "A parameter cannot be applied (an unknown slug, a date that is not one, a bad cursor...): each one and why."


@api.get(
    "/events",
    response={200: EventPage, 400: Problem},
    tags=["events"],
    summary="Public events, filtered as on the timeline, a page at a time",
    openapi_extra={"parameters": _FILTER_PARAMETERS, "responses": {400: {"description": BAD_REQUEST}}},
)
def events(
    request,
    response: HttpResponse,
    cursor: str | None = Cursor,
    page_size: int = PageSize,
    updated_since: datetime.datetime | None = UpdatedSince,
):
    """Public events in the timeline's order (`order`), with the timeline's filters. Follow `next` to the end for all of them."""
    filterset, ignored = filter_public_events(request.GET)
    reasons = [f"{line.parameter}: {line.reason}" for line in ignored]
    try:
        position = decode_cursor(cursor)
    except BadCursor:
        reasons.append("cursor: not a position this API gave; follow the `next` URL as it is.")
    events = filterset.qs
    if updated_since is not None:
        since = _utc(updated_since)
        if since is None:
            reasons.append("updated_since: out of the range of dates this API can compare.")
        else:
            # Publishing a scheduled event changes nothing in it: its publish time is when it changed for a reader.
            events = events.filter(Q(updated_at__gte=since) | Q(publish_at__gte=since))
    if reasons:
        return _refused(reasons)
    # The page's ids first, then every column of those rows only. The facet index finds them in
    # memory when it answers every filter (not `updated_since`); else the database's indexes alone
    # do, in the same query (a filter may pass over hundreds of events to find fifty).
    ids = filterset.index_window(position, page_size) if updated_since is None else None
    window = keyset_window(events.only("id"), position, filterset.newest_first, page_size).values("pk") if ids is None else ids
    rows = Event.objects.public().filter(pk__in=window).order_by(*page_order(filterset.newest_first))
    objects = export.public_objects(rows, _base_url(request), keep=_Place._fields)
    page, next_cursor = split_window([_Place(*place) for place, _ in objects], page_size)
    payload = {
        "items": [_event_item(item) for _, item in objects[:page_size]],
        "next": _next_link(request, response, cursor=next_cursor) if next_cursor else None,
    }
    return api.create_response(request, payload, temporal_response=response)


@api.get(
    "/events/{key}",
    response={200: EventOut, 400: Problem, 404: Problem},
    tags=["events"],
    summary="One public event, by id or slug",
)
def event(request, key: str = EventKey):
    """One public event. A key of digits alone is read as an id."""
    lookup = {"pk": int(key)} if key.isdigit() and len(key) <= _MAX_ID_DIGITS else {"slug": key}
    found = export.public_objects(Event.objects.public().filter(**lookup), _base_url(request))
    if not found:
        raise Http404(f"No public event has the {'id' if 'pk' in lookup else 'slug'} {key}.")
    return api.create_response(request, _event_item(found[0][1]), status=200)


def _base_url(request):
    return _absolute(request, "/").rstrip("/")


class _Place(NamedTuple):
    """Where an event stands in the timeline's order: what a page's next cursor is made of (pagination.encode_cursor)."""

    id: int
    sort_date: datetime.date
    date_precision: str

    @property
    def pk(self):
        return self.id


def _event_item(item):
    """The API's item of an event from its public columns (export.public_objects()): the download's
    columns, the corrections as objects.

    Sent as it is (api.create_response), not checked again against EventOut:
    the columns' kinds make both the values and the schema, and checking 50
    items field by field took a fifth of a page's time. The schema tests
    (tests/test_api_schema.py) hold every answer to it.
    """
    dates, notes = (item.pop(name) for name in _CORRECTION_COLUMNS)
    item["corrections"] = [{"corrected_on": date, "note": note} for date, note in zip(dates, notes, strict=True)]
    return item


# --- withdrawals ----------------------------------------------------------------


class WithdrawalOut(Schema):
    id: int = Field(description="The id the event had.")
    reason: WithdrawalReason = Field(description="unpublished (or scheduled again for later) or deleted.")
    withdrawn_at: datetime.datetime = Field(description="When it left public view, ISO 8601 in UTC.")


class WithdrawalList(Schema):
    items: list[WithdrawalOut] = Field(description="Withdrawals, oldest first.")


@api.get(
    "/withdrawals",
    response={200: WithdrawalList, 400: Problem},
    tags=["events"],
    summary="Events taken out of public view since a time",
)
def withdrawals(request, withdrawn_since: datetime.datetime = WithdrawnSince):
    """Events that were public and no longer are (unpublished or deleted) since `withdrawn_since`, oldest first.

    With `/api/v1/events?updated_since=` from the same time, a mirror stays exact: drop these ids, then
    add or replace the changed events. An event public again is not listed here but there. Not paged:
    withdrawals are editors' acts, a few short rows.
    """
    since = _utc(withdrawn_since)
    if since is None:
        return _refused(["withdrawn_since: out of the range of dates this API can compare."])
    public_again = Exists(Event.objects.public().filter(pk=OuterRef("event_id")))
    rows = Withdrawal.objects.filter(withdrawn_at__gte=since).exclude(public_again)
    return {"items": [{"id": row.event_id, "reason": row.reason, "withdrawn_at": row.withdrawn_at} for row in rows]}


# --- what the filters take ------------------------------------------------------


def _carried(link):
    """Values some public event carries (through `link`): the only ones the filters accept, so a value seen
    only on drafts is not revealed here either."""
    return Exists(Event.objects.public().filter(**{link: OuterRef("pk")}))


After = Query(None, pattern=SLUG_PATTERN, max_length=200, description="Where the page starts: the `next` URL carries it.")


def _reference_page(request, response, rows, key, after, page_size, item):
    """A page of `rows` in `key` order after the value `after`, as {"items", "next"}."""
    if after:
        rows = rows.filter(**{f"{key}__gt": after})
    page = list(rows.order_by(key)[: page_size + 1])
    # str(): a jurisdiction's country is a Country, whose text is its code.
    last = str(getattr(page[page_size - 1], key)) if len(page) > page_size else None
    return {
        "items": [item(row) for row in page[:page_size]],
        "next": _next_link(request, response, after=last) if last else None,
    }


class EventTypeOut(Schema):
    slug: str = Field(description="The value of the `type` filter.")
    name: str = Field(description="The type's name, as the `event_type` column gives it.")
    definition: str = Field(description="What counts as this type.")


class EventTypePage(Schema):
    items: list[EventTypeOut] = Field(description="A page of values, in the order of their filter value.")
    next: str | None = Field(description="The URL of the next page, also sent as a Link header; null on the last page.")


@api.get("/event-types", response={200: EventTypePage, 400: Problem}, tags=["values"], summary="Event types public events have")
def event_types(request, response: HttpResponse, after: str | None = After, page_size: int = PageSize):
    rows = EventType.objects.filter(_carried("event_type"))
    return _reference_page(
        request, response, rows, "slug", after, page_size, lambda row: {"slug": row.slug, "name": row.name, "definition": row.definition}
    )


class JurisdictionOut(Schema):
    code: str = Field(description="ISO 3166-1 alpha-2 code, EU for the European Union: the value of the `country` filter.")
    name: str = Field(description="The country's or bloc's name in English.")


class JurisdictionPage(Schema):
    items: list[JurisdictionOut] = Field(description="A page of values, in the order of their filter value.")
    next: str | None = Field(description="The URL of the next page, also sent as a Link header; null on the last page.")


@api.get(
    "/jurisdictions", response={200: JurisdictionPage, 400: Problem}, tags=["values"], summary="Countries and blocs public events concern"
)
def jurisdictions(request, response: HttpResponse, after: str | None = After, page_size: int = PageSize):
    rows = Jurisdiction.objects.filter(_carried("jurisdictions"))
    names = dict(countries)

    def item(row):
        return {"code": row.country.code, "name": names.get(row.country.code, "")}

    return _reference_page(request, response, rows, "country", after, page_size, item)


class ActorOut(Schema):
    slug: str = Field(description="The value of the `actor` filter.")
    name: str = Field(description="The actor's name, as the `actors` column gives it.")
    kind: str = Field(description="government, agency, legislature, court, company, operator, person or organisation.")
    country: str = Field(description="ISO 3166-1 alpha-2 code of where the actor is based; empty for international bodies.")


class ActorPage(Schema):
    items: list[ActorOut] = Field(description="A page of values, in the order of their filter value.")
    next: str | None = Field(description="The URL of the next page, also sent as a Link header; null on the last page.")


@api.get("/actors", response={200: ActorPage, 400: Problem}, tags=["values"], summary="Actors of public events")
def actors(request, response: HttpResponse, after: str | None = After, page_size: int = PageSize):
    rows = Actor.objects.filter(_carried("event_actors__actor"))
    return _reference_page(
        request,
        response,
        rows,
        "slug",
        after,
        page_size,
        lambda row: {"slug": row.slug, "name": row.name, "kind": row.kind, "country": row.country.code or ""},
    )


class TopicOut(Schema):
    slug: str = Field(description="The value of the `topic` filter.")
    name: str = Field(description="The tag, as the `topics` column gives it.")


class TopicPage(Schema):
    items: list[TopicOut] = Field(description="A page of values, in the order of their filter value.")
    next: str | None = Field(description="The URL of the next page, also sent as a Link header; null on the last page.")


@api.get("/topics", response={200: TopicPage, 400: Problem}, tags=["values"], summary="Topics of public events")
def topics(request, response: HttpResponse, after: str | None = After, page_size: int = PageSize):
    rows = Topic.objects.filter(_carried("topics"))
    return _reference_page(request, response, rows, "slug", after, page_size, lambda row: {"slug": row.slug, "name": row.name})


class MeasureOut(Schema):
    slug: str = Field(description="The value of the `measure` filter.")
    title: str = Field(description="The measure's title, as the `measure` column gives it.")
    description: str = Field(description="What the measure covers, in a sentence or two; may be empty.")
    url: str = Field(description="The measure's public page: its lifecycle.")


class MeasurePage(Schema):
    items: list[MeasureOut] = Field(description="A page of values, in the order of their filter value.")
    next: str | None = Field(description="The URL of the next page, also sent as a Link header; null on the last page.")


@api.get("/measures", response={200: MeasurePage, 400: Problem}, tags=["values"], summary="Measures public events are steps of")
def measures(request, response: HttpResponse, after: str | None = After, page_size: int = PageSize):
    rows = Measure.objects.filter(_carried("measure"))

    def item(row):
        return {"slug": row.slug, "title": row.title, "description": row.description, "url": _absolute(request, row.get_absolute_url())}

    return _reference_page(request, response, rows, "slug", after, page_size, item)


# --- the index and CORS ---------------------------------------------------------


class Index(Schema):
    events: str = Field(description="Public events, filtered and paged.")
    withdrawals: str = Field(description="Events taken out of public view since a time.")
    event_types: str = Field(description="The values of the `type` filter.")
    jurisdictions: str = Field(description="The values of the `country` filter.")
    actors: str = Field(description="The values of the `actor` filter.")
    topics: str = Field(description="The values of the `topic` filter.")
    measures: str = Field(description="The values of the `measure` filter.")
    openapi: str = Field(description="This API's OpenAPI 3 schema.")
    docs: str = Field(description="The schema as a browsable page.")
    codebook: str = Field(description="What every field and value means.")


@api.get("/", response=Index, tags=["index"], summary="Where everything is")
def index(request):
    names = {
        "events": "events",
        "withdrawals": "withdrawals",
        "event_types": "event_types",
        "jurisdictions": "jurisdictions",
        "actors": "actors",
        "topics": "topics",
        "measures": "measures",
        "openapi": "openapi-json",
        "docs": "openapi-view",
    }
    links = {field: _absolute(request, reverse(f"api:{name}")) for field, name in names.items()}
    return {**links, "codebook": _absolute(request, reverse("timeline:codebook") + "#api")}


# What the codebook (/data/#api-fields) lists of the API, field by field, with the
# descriptions above. An event's other fields are the download columns, listed there too.
CODEBOOK_SCHEMAS = [
    ("A page of events (/api/v1/events)", EventPage),
    ("An event (/api/v1/events/<id or slug>, each item of a page): the download columns, but the two correction lists, and", EventOut),
    ("An event's corrections (each item of `corrections`)", CorrectionOut),
    ("Withdrawals (/api/v1/withdrawals)", WithdrawalList),
    ("A withdrawal", WithdrawalOut),
    ("An event type (/api/v1/event-types)", EventTypeOut),
    ("A jurisdiction (/api/v1/jurisdictions)", JurisdictionOut),
    ("An actor (/api/v1/actors)", ActorOut),
    ("A topic (/api/v1/topics)", TopicOut),
    ("A measure (/api/v1/measures)", MeasureOut),
    ("A page of values (each list above)", MeasurePage),
    ("A refusal (400, 404)", Problem),
    ("The index (/api/v1/)", Index),
]


def codebook_fields():
    """[(what, [(field, meaning)])] for the codebook page."""
    columns = set(export.columns_for(False))
    return [
        (title, [(name, field.description or "") for name, field in schema.model_fields.items() if name not in columns])
        for title, schema in CODEBOOK_SCHEMAS
    ]


def allow_any_origin(get_response):
    """CORS for the API: any site's script may read what any reader may (GET only; nothing here needs a cookie)."""

    def middleware(request):
        response = get_response(request)
        if request.method in ("GET", "HEAD") and request.path.startswith("/api/"):
            response["Access-Control-Allow-Origin"] = "*"
        return response

    return middleware
