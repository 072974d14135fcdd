"""The downloads, byte for byte, against a reference written here from the ORM with csv.writer and json.dumps.

PostgreSQL writes the public CSV and JSON itself (timeline/export.py), SQLite
goes through Python: on either database the bytes must be those the reference
gives for the same events: quotes, line breaks, tabs, formula triggers,
unicode, empty lists, every date precision, spans, stages, measures and
corrections.
"""

import csv
import datetime
import io
import json

import pytest
from django.contrib.auth import get_user_model
from django.db import connection
from django.http import QueryDict
from django.utils import timezone
from django_countries import countries

from timeline import export_lines
from timeline.dates import edtf
from timeline.export import PUBLIC_COLUMNS, csv_response
from timeline.filters import filter_public_events
from timeline.models import Event, ExportLine, Stage
from timeline.views import _all_in_timeline_order

from .factories import ActorFactory, CorrectionFactory, EventFactory, EventTypeFactory, MeasureFactory, SourceFactory, TopicFactory

pytestmark = pytest.mark.django_db

BASE_URL = "http://testserver"
# What a spreadsheet would run as a formula (OWASP): the cell gets a leading apostrophe.
TRIGGERS = ("=", "+", "-", "@", "\t", "\r", "\n")
AWKWARD = [
    'Quoted "twice" and, with a comma',
    "Line one\nline two\r\nline three",
    '=HYPERLINK("http://evil.example")',
    "+1 555",
    "-minus",
    "@SUM(A1)",
    "\tleading tab",
    "\rleading return",
    "\nleading newline",
    "Čeština, NÚKIB, Zürich, 📡, 中文, \u2028 separator",
    "back\\slash and a control \x01 character",
    "trailing space ",
    "'already quoted",
]


def _utc(moment):
    return moment.astimezone(datetime.UTC).isoformat(timespec="seconds") if moment else ""


def reference_row(event, editorial=False):
    """The values of one event's row, in PUBLIC_COLUMNS order, read through the ORM."""
    sources = list(event.sources.order_by("id"))
    corrections = list(event.corrections.order_by("corrected_on", "id"))
    codes = sorted(j.country.code for j in event.jurisdictions.all())
    names = dict(countries)
    row = [
        event.pk,
        event.title,
        event.date.isoformat(),
        event.end_date.isoformat() if event.end_date else "",
        event.date_precision,
        edtf(event.date, event.end_date, event.date_precision),
        event.event_type.name,
        str(Stage(event.stage).label) if event.stage else "",
        event.measure.title if event.measure else "",
        codes,
        [names.get(code, code) for code in codes],
        [f"{link.actor.name} ({link.role})" for link in event.event_actors.order_by("id")],
        sorted(topic.name for topic in event.topics.all()),
        [source.title for source in sources],
        [source.publisher for source in sources],
        [source.published_on.isoformat() if source.published_on else "" for source in sources],
        [source.url for source in sources],
        event.summary,
        f"{BASE_URL}/events/{event.slug}/",
        _utc(event.publish_at),
        _utc(event.updated_at),
        event.body,
        [correction.corrected_on.isoformat() for correction in corrections],
        [correction.note for correction in corrections],
    ]
    if editorial:
        row += [event.status, event.created_by.username if event.created_by else "", event.updated_by.username if event.updated_by else ""]
    return row


def reference_csv(events, columns):
    def cell(value):
        text = " | ".join(value) if isinstance(value, list) else str(value)
        return "'" + text if text.startswith(TRIGGERS) else text

    out = io.StringIO()
    writer = csv.writer(out, quoting=csv.QUOTE_ALL)
    writer.writerow(columns)
    for event in events:
        writer.writerow([cell(value) for value in reference_row(event, editorial=len(columns) > len(PUBLIC_COLUMNS))])
    return ("\ufeff" + out.getvalue()).encode()


def reference_json(events):
    columns = [column.name for column in PUBLIC_COLUMNS]
    objects = [json.dumps(dict(zip(columns, reference_row(event), strict=True)), ensure_ascii=False) for event in events]
    return ('{"events": [' + ("\n" + ",\n".join(objects) if objects else "") + "\n]}\n").encode()


@pytest.fixture
def varied():
    """Events with every awkward value in every kind of cell."""
    ban = EventTypeFactory(slug="ban", name='Ban, "or" restriction')
    odd_type = EventTypeFactory(slug="odd", name="=Odd type")
    measure = MeasureFactory(title='-Limits on "high-risk" vendors\nsecond line')
    actors = [ActorFactory(name=name) for name in ["Huawei", "=cmd|' /C calc'!A0", 'NÚKIB "the agency"', "-Ministry"]]
    topics = [TopicFactory(name=name) for name in ["5G", "@mention", "zeta, with a comma", "Ärger"]]
    for n, text in enumerate(AWKWARD):
        precision = ("day", "month", "year")[n % 3]
        event = EventFactory(
            title=text,
            summary=AWKWARD[-1 - n],
            body=AWKWARD[(n + 3) % len(AWKWARD)] if n % 4 else "",
            event_type=ban if n % 2 else odd_type,
            date=datetime.date(2010 + n, 1 + n % 12, 1),
            date_precision=precision,
            end_date=datetime.date(2011 + n, 12, 1) if n % 3 == 1 else (datetime.date(2010 + n, 1 + n % 12, 1) if n % 5 == 0 else None),
            measure=measure if n % 3 == 0 else None,
            stage=list(Stage)[n % len(Stage)].value if n % 3 == 0 else "",
            countries=[["DE", "FR"], ["EU", "CZ", "GB"], [], ["XK"]][n % 4],
            actor_roles=[(actors[(n + k) % len(actors)], ("initiator", "target", "involved")[k]) for k in range(n % 4)],
            sources=0,
            publish_at=timezone.now() - datetime.timedelta(days=n, microseconds=123456),
        )
        event.topics.add(*topics[: n % 5])
        for k in range(n % 3):
            SourceFactory(
                event=event,
                title=AWKWARD[(n + k) % len(AWKWARD)][:300],
                publisher=f'Publisher "{k}", {text[:20]}',
                url="" if k else f'https://example.org/{n}?q=a,b&c="d"',
                published_on=None if k else datetime.date(2019, 1, 1 + n),
            )
        for k in range(n % 3 if n % 2 else 0):
            CorrectionFactory(event=event, corrected_on=datetime.date(2020, 1, 10 - k), note=AWKWARD[(n + 2 * k) % len(AWKWARD)])
    # Same day, several events: the order falls back to ids.
    EventFactory.create_batch(3, date=datetime.date(2015, 5, 5), title="Same day", sources=0)
    EventFactory(title="Draft", status="draft", publish_at=None)


def downloaded(response):
    assert response.status_code == 200 and response.streaming
    return b"".join(response.streaming_content)


@pytest.fixture(params=["computed", "written ahead"])
def lines(request):
    """On PostgreSQL the public downloads read lines written ahead (timeline/export_lines.py), and
    compute those missing: both must give the reference's bytes. SQLite has neither."""
    if request.param == "written ahead":
        export_lines.fill()
        if connection.vendor == "postgresql":
            assert ExportLine.objects.count() == Event.objects.count()


@pytest.mark.parametrize("query", [{}, {"order": "oldest"}, {"type": "ban"}, {"country": "DE"}])
def test_the_csv_is_byte_for_byte_the_reference(client, varied, lines, query):
    filterset, _ = filter_public_events(_querydict(query))
    events = list(_all_in_timeline_order(filterset))
    assert events
    assert downloaded(client.get("/export.csv", query)) == reference_csv(events, [column.name for column in PUBLIC_COLUMNS])


@pytest.mark.parametrize("query", [{}, {"order": "oldest"}, {"country": "DE"}, {"country": "NO"}])
def test_the_json_is_byte_for_byte_the_reference(client, varied, lines, query):
    filterset, _ = filter_public_events(_querydict(query))
    events = list(_all_in_timeline_order(filterset))
    assert downloaded(client.get("/export.json", query)) == reference_json(events)


def test_the_editorial_csv_is_byte_for_byte_the_reference(varied):
    editor = get_user_model().objects.create_user("=editor")
    Event.objects.filter(title__startswith="Line").update(created_by=editor, updated_by=editor)
    events = list(Event.objects.order_by("-sort_date", "-id"))
    columns = [column.name for column in PUBLIC_COLUMNS] + ["status", "created_by", "updated_by"]
    response = csv_response(Event.objects.order_by("-sort_date", "-id"), BASE_URL, editorial=True)
    assert downloaded(response) == reference_csv(events, columns)


def _querydict(query):
    data = QueryDict(mutable=True)
    data.update(query)
    return data
