"""manage.py bench_data --events N: synthetic events for the benchmark (`make bench`).

Shaped like the launch story, at scale: dates spread over 15 years, two
jurisdictions, three actors with roles, two topics and two sources per event,
a tenth in draft, types and stages drawn with the demo story's frequencies,
staged events grouped into measures of a few steps each (as in the story),
and titles and summaries composed from a vocabulary of policy words, so that
a search hits a realistic fraction of the timeline.

Every row it creates is marked: events, actors and measures have slugs
starting with "bench-". A rerun deletes them first, so it can be repeated
with another N; event types, topics and jurisdictions are shared vocabularies
(found by slug or code, created when missing) and are left in place.

Bulk inserts in batches, link tables included; the PostgreSQL search vectors
are filled with one UPDATE, and the tables analysed, at the end.
"""

import collections
import datetime
import random
import time

from django.core.management.base import BaseCommand, CommandError
from django.db import connection, models, transaction
from django.utils import timezone
from django.utils.text import slugify
from tqdm import tqdm

from timeline import export_lines
from timeline.dates import DatePrecision
from timeline.demo import read_story
from timeline.facet_index import build_snapshot
from timeline.models import (
    Actor,
    ActorKind,
    Correction,
    Event,
    EventActor,
    EventType,
    ExportLine,
    Jurisdiction,
    Measure,
    Role,
    Source,
    Status,
    Topic,
)

PREFIX = "bench-"
BATCH = 5000
YEARS = 15
DEFAULT_EVENTS = 100_000

# ---------------------------------------------------------------------------
# Distributions, read off the demo story where it has them.

_STORY = read_story()
_TYPE_WEIGHTS = collections.Counter(event["type"] for event in _STORY["events"])
# Stage given the type, as in the story: e.g. most sanctions are "in effect",
# most statements have no stage at all.
_STAGES_BY_TYPE = collections.defaultdict(collections.Counter)
for _event in _STORY["events"]:
    _STAGES_BY_TYPE[_event["type"]][_event["stage"]] += 1
# Court rulings are in the story's vocabulary but not among its events.
for _type in _STORY["event_types"]:
    _TYPE_WEIGHTS.setdefault(_type["slug"], 1)
    _STAGES_BY_TYPE[_type["slug"]].setdefault("", 1)

# Places, weighted like the story's (the US and the UK dominate), with the
# rest of Europe and the Five Eyes in the tail.
JURISDICTION_WEIGHTS = {
    "US": 22, "GB": 14, "EU": 5, "DE": 4, "CA": 3, "NO": 3, "CZ": 3, "AU": 2, "BE": 2, "PL": 2, "NZ": 1, "JP": 1,
    "FR": 1, "ES": 1, "HU": 1, "IT": 1, "NL": 1, "SE": 1, "DK": 1, "FI": 1, "EE": 1, "LT": 1, "LV": 1, "RO": 1,
    "PT": 1, "AT": 1, "IE": 1, "IN": 1, "KR": 1, "TW": 1,
}  # fmt: skip
COUNTRY_NAMES = {
    "US": "US", "GB": "UK", "EU": "EU", "DE": "German", "CA": "Canadian", "NO": "Norwegian", "CZ": "Czech",
    "AU": "Australian", "BE": "Belgian", "PL": "Polish", "NZ": "New Zealand", "JP": "Japanese", "FR": "French",
    "ES": "Spanish", "HU": "Hungarian", "IT": "Italian", "NL": "Dutch", "SE": "Swedish", "DK": "Danish",
    "FI": "Finnish", "EE": "Estonian", "LT": "Lithuanian", "LV": "Latvian", "RO": "Romanian", "PT": "Portuguese",
    "AT": "Austrian", "IE": "Irish", "IN": "Indian", "KR": "South Korean", "TW": "Taiwanese",
}  # fmt: skip
REGIONS = {
    "US": "North America",
    "CA": "North America",
    "AU": "the Pacific",
    "NZ": "the Pacific",
    "JP": "Asia",
    "IN": "Asia",
    "KR": "Asia",
    "TW": "Asia",
}
# Who acts in each country: (name pattern, kind).
INSTITUTIONS = [
    ("{adj} government", ActorKind.GOVERNMENT),
    ("{adj} cyber security agency", ActorKind.AGENCY),
    ("{adj} telecoms regulator", ActorKind.AGENCY),
    ("{adj} parliament", ActorKind.LEGISLATURE),
    ("{adj} interior ministry", ActorKind.GOVERNMENT),
    ("{adj} constitutional court", ActorKind.COURT),
    ("{adj} intelligence service", ActorKind.AGENCY),
]
OPERATOR_NAMES = ["Telecom", "Mobile", "Networks", "Connect"]
SUPPLIERS = [
    ("Huawei", "CN"), ("ZTE", "CN"), ("Hikvision", "CN"), ("Dahua Technology", "CN"), ("China Mobile", "CN"),
    ("China Telecom", "CN"), ("Kaspersky Lab", "RU"), ("TikTok", "CN"), ("Nuctech", "CN"), ("Quectel", "CN"),
    ("Ericsson", "SE"), ("Nokia", "FI"), ("Samsung Electronics", "KR"), ("Cisco Systems", "US"), ("Google", "US"),
    ("Arm", "GB"), ("Qualcomm", "US"), ("SMIC", "CN"), ("YMTC", "CN"), ("Lenovo", "CN"),
]  # fmt: skip
ORGANISATIONS = ["NATO", "European Commission", "ENISA", "NIS Cooperation Group", "OECD", "G7", "World Trade Organization"]
PEOPLE = [
    "the prime minister", "the foreign minister", "the digital minister", "a company executive", "the security minister",
    "a senior official", "the agency's director", "a member of parliament",
]  # fmt: skip

OBJECTS = [
    ("5G radio access network", 9), ("core network", 7), ("5G equipment", 8), ("handsets", 5), ("base stations", 4),
    ("undersea cables", 2), ("cloud services", 3), ("surveillance cameras", 2), ("smart meters", 1), ("routers", 3),
    ("data centres", 2), ("semiconductors", 4), ("chips and software", 3), ("airport scanners", 1), ("drones", 1),
    ("fibre broadband", 2), ("government networks", 4), ("mobile apps", 2), ("antivirus software", 1), ("IoT modules", 1),
]  # fmt: skip
CONCERNS = [
    ("national security", 8), ("espionage", 5), ("supply chain security", 5), ("critical infrastructure", 5),
    ("export controls", 4), ("sanctions compliance", 3), ("data protection", 3), ("cyber security", 6),
    ("foreign interference", 2), ("human rights", 1), ("competition", 1), ("vendor diversity", 2),
]  # fmt: skip
VERBS = {
    "arrest": ["arrests an employee of", "detains a manager of", "arrests a former employee of"],
    "ban-or-restriction": ["restricts", "bans", "excludes", "limits the use of", "phases out"],
    "procurement-review": ["reviews purchases from", "pauses orders from", "reassesses contracts with"],
    "procurement-decision": ["chooses", "drops", "selects", "replaces"],
    "investigation-or-report": ["opens an inquiry into", "publishes a report on", "reviews the risks of", "audits"],
    "official-statement": ["warns about", "defends its position on", "says it will not exclude", "calls for caution on"],
    "security-warning": ["warns against", "flags risks in", "issues an alert on"],
    "legislation": ["adopts a law affecting", "proposes rules on", "passes an amendment targeting", "publishes a decree on"],
    "sanction-or-export-control": ["adds to the Entity List", "extends licences for", "tightens export rules on", "sanctions"],
    "court-ruling": ["rules against", "upholds the case against", "dismisses the appeal of"],
    "lawsuit": ["sues", "files a constitutional complaint against", "takes to court"],
    "criminal-charges": ["charges", "indicts", "unseals charges against"],
    "commercial-decision": ["suspends business with", "resumes sales to", "stops supplying", "cuts ties with"],
}
SENTENCES = [
    "{initiator} cited {concern} and said {target} {object} would face {adjective} scrutiny.",
    "Officials said the decision followed a review of {object} by {involved}.",
    "{target} denied the allegations and said it complied with all {adjective} rules on {concern}.",
    "The measure covers {object} and {object2} bought by operators and public bodies.",
    "Critics warned that removing {object} would delay the rollout and raise costs for operators.",
    "{involved} welcomed the step as part of a wider approach to {concern}.",
    "Operators have until {year} to replace affected {object}.",
    "The move came amid trade tensions and growing concern about {concern} in {place}.",
    "Lawmakers asked for a full assessment of the risks to {concern} before the next spectrum auction.",
    "Analysts expect other governments in {place} to follow with similar rules on {object2}.",
]
ADJECTIVES = ["strict", "new", "national", "European", "tighter", "additional", "binding", "temporary"]
PUBLISHERS = [
    ("Reuters", "www.reuters.com"), ("Financial Times", "www.ft.com"), ("Politico Europe", "www.politico.eu"),
    ("Light Reading", "www.lightreading.com"), ("The Guardian", "www.theguardian.com"), ("Bloomberg", "www.bloomberg.com"),
    ("Handelsblatt", "www.handelsblatt.com"), ("Le Monde", "www.lemonde.fr"), ("Federal Register", "www.federalregister.gov"),
    ("Official Journal of the European Union", "eur-lex.europa.eu"), ("BBC News", "www.bbc.co.uk"),
    ("Nikkei Asia", "asia.nikkei.com"), ("Euractiv", "www.euractiv.com"), ("Mobile World Live", "www.mobileworldlive.com"),
]  # fmt: skip
# Like the story's: 1 correction in about 60 published events.
CORRECTION_RATE = 0.015
DRAFT_RATE = 0.10
BODY_RATE = 0.05
MONTH_PRECISION_RATE = 9 / 61
STEPS_PER_MEASURE = (2, 8)  # a measure followed from consideration to effect (or lifting)
# The third actor's role, so that initiators, targets and involved parties keep
# the story's proportions (62 : 56 : 31) with three actors per event.
THIRD_ROLE = [(Role.INITIATOR, 27), (Role.TARGET, 15), (Role.INVOLVED, 58)]
PUBLISH_TIME = datetime.time(12, 0, tzinfo=datetime.UTC)


def _capital(text):
    return text[:1].upper() + text[1:]


def _weighted(pairs):
    values, weights = zip(*pairs, strict=True)
    return list(values), list(weights)


class Generator:
    """Composes events from the vocabularies with a seeded random source: the same N gives the same data."""

    def __init__(self, rng, today):
        self.rng = rng
        self.today = today
        self.start = today.replace(year=today.year - YEARS)
        self.span_days = (today - self.start).days
        self.types, self.type_weights = _weighted(sorted(_TYPE_WEIGHTS.items()))
        self.stages = {slug: _weighted(sorted(counter.items())) for slug, counter in _STAGES_BY_TYPE.items()}
        self.codes, self.code_weights = _weighted(JURISDICTION_WEIGHTS.items())
        self.objects, self.object_weights = _weighted(OBJECTS)
        self.concerns, self.concern_weights = _weighted(CONCERNS)
        self.third_roles, self.third_role_weights = _weighted(THIRD_ROLE)

    def pick(self, values, weights):
        return self.rng.choices(values, weights)[0]

    def two(self, values, weights):
        first = self.pick(values, weights)
        while (second := self.pick(values, weights)) == first:
            pass
        return [first, second]

    def date(self):
        day = self.start + datetime.timedelta(days=self.rng.randrange(self.span_days))
        if self.rng.random() < MONTH_PRECISION_RATE:
            return day.replace(day=1), DatePrecision.MONTH
        return day, DatePrecision.DAY


def vocabularies(rng):
    """Event types, topics and jurisdictions (shared, created when missing); bench actors."""
    types = {}
    for item in _STORY["event_types"]:
        types[item["slug"]], _ = EventType.objects.get_or_create(
            slug=item["slug"], defaults={"name": item["name"], "definition": item["definition"]}
        )
    topics = {}
    for item in _STORY["topics"]:
        topics[item["slug"]], _ = Topic.objects.get_or_create(slug=item["slug"], defaults={"name": item["name"]})
    jurisdictions = {}
    for code in JURISDICTION_WEIGHTS:
        jurisdictions[code], _ = Jurisdiction.objects.get_or_create(country=code)

    actors = []
    for code, adjective in COUNTRY_NAMES.items():
        for pattern, kind in INSTITUTIONS:
            actors.append(Actor(name=_capital(pattern.format(adj=adjective)), kind=kind, country="" if code == "EU" else code))
        if code != "EU":
            actors.append(Actor(name=f"{adjective} {rng.choice(OPERATOR_NAMES)}", kind=ActorKind.OPERATOR, country=code))
    actors += [Actor(name=name, kind=ActorKind.COMPANY, country=country) for name, country in SUPPLIERS]
    actors += [Actor(name=name, kind=ActorKind.ORGANISATION) for name in ORGANISATIONS]
    for actor in actors:
        # Names are unique across the table: a bench actor must not collide with an editor's.
        actor.name = f"{actor.name} (bench)"
        actor.slug = PREFIX + slugify(actor.name)
    actors = Actor.objects.bulk_create(actors)
    by_country = collections.defaultdict(lambda: collections.defaultdict(list))
    for actor in actors:
        by_country[actor.country or "EU"][actor.kind].append(actor)
    suppliers = [actor for actor in actors if actor.kind == ActorKind.COMPANY]
    return types, topics, jurisdictions, actors, by_country, suppliers


def delete_bench_rows():
    """Remove every row an earlier run created, with set-based DELETEs (no per-row signals)."""
    event_table = connection.ops.quote_name(Event._meta.db_table)
    bench_events = f"SELECT id FROM {event_table} WHERE slug LIKE %s"
    children = [
        Event.jurisdictions.through,
        Event.topics.through,
        EventActor,
        Source,
        Correction,
    ]
    with transaction.atomic(), connection.cursor() as cursor:
        for model in children:
            table = connection.ops.quote_name(model._meta.db_table)
            cursor.execute(f"DELETE FROM {table} WHERE event_id IN ({bench_events})", [PREFIX + "%"])
        cursor.execute(f"DELETE FROM {event_table} WHERE slug LIKE %s", [PREFIX + "%"])
        deleted = cursor.rowcount
        for model in (Measure, Actor):
            table = connection.ops.quote_name(model._meta.db_table)
            cursor.execute(f"DELETE FROM {table} WHERE slug LIKE %s", [PREFIX + "%"])
    return deleted


def _sentence(gen, pattern, parts):
    return pattern.format(
        concern=gen.pick(gen.concerns, gen.concern_weights),
        object=parts["object"],
        object2=gen.pick(gen.objects, gen.object_weights),
        adjective=gen.rng.choice(ADJECTIVES),
        year=parts["date"].year + gen.rng.randint(1, 5),
        **{key: parts[key] for key in ("initiator", "target", "involved", "place")},
    )


def compose_text(gen, type_slug, parts):
    """A headline, a two-or-three sentence summary and, rarely, a Markdown body."""
    verb = gen.rng.choice(VERBS[type_slug])
    title = f"{parts['initiator_name']} {verb} {parts['target_name']} {parts['object']} over {parts['concern']}"
    title = _capital(title)
    sentences = gen.rng.sample(SENTENCES, gen.rng.randint(2, 3))
    summary = " ".join(_sentence(gen, pattern, parts) for pattern in sentences)
    body = ""
    if gen.rng.random() < BODY_RATE:
        paragraphs = [" ".join(_sentence(gen, p, parts) for p in gen.rng.sample(SENTENCES, 4)) for _ in range(3)]
        body = "\n\n".join(paragraphs) + f"\n\n- **Concern:** {parts['concern']}\n- **Covers:** {parts['object']}\n"
    return title[:200], summary, body


def generate(events, seed=7, progress=True, stdout=None):
    """Replace the bench rows with `events` new events; return timings by step."""
    rng = random.Random(seed)
    gen = Generator(rng, timezone.localdate() - datetime.timedelta(days=1))
    timings = {}
    started = time.perf_counter()
    deleted = delete_bench_rows()
    timings["delete"] = time.perf_counter() - started
    if stdout and deleted:
        stdout.write(f"Deleted {deleted} bench events from an earlier run.")

    step = time.perf_counter()
    with transaction.atomic():
        types, topics, jurisdictions, actors, by_country, suppliers = vocabularies(rng)
    topic_list = list(topics.values())
    initiator_kinds = [ActorKind.GOVERNMENT, ActorKind.AGENCY, ActorKind.LEGISLATURE, ActorKind.COURT]

    # Staged events are steps of measures of a few steps each: decide the
    # events' skeleton first, then group the staged ones by place and supplier.
    skeleton = []
    for index in range(events):
        type_slug = gen.pick(gen.types, gen.type_weights)
        stage = gen.pick(*gen.stages[type_slug])
        date, precision = gen.date()
        codes = gen.two(gen.codes, gen.code_weights)
        supplier = rng.choice(suppliers)
        skeleton.append((index, type_slug, stage, date, precision, codes, supplier))
    staged = sorted((row for row in skeleton if row[2]), key=lambda row: (row[5][0], row[6].pk, row[3]))
    measures, measure_of = [], {}
    position = 0
    while position < len(staged):
        steps = staged[position : position + rng.randint(*STEPS_PER_MEASURE)]
        first = steps[0]
        subject = gen.pick(gen.objects, gen.object_weights)
        title = f"{COUNTRY_NAMES[first[5][0]]} limits on {first[6].name.removesuffix(' (bench)')} in {subject}"
        measures.append(
            Measure(
                title=title[:200],
                slug=f"{PREFIX}{len(measures) + 1}-{slugify(title)}"[:200],
                description=f"How far {title[0].lower() + title[1:]} go, followed from consideration to effect.",
            )
        )
        for row in steps:
            measure_of[row[0]] = len(measures) - 1
        position += len(steps)
    with transaction.atomic():
        measures = Measure.objects.bulk_create(measures, batch_size=1000)
    timings["vocabularies"] = time.perf_counter() - step

    step = time.perf_counter()
    now = timezone.now()
    bar = tqdm(total=events, desc="Bench events", unit="event", disable=not progress, mininterval=0.5)
    for batch_start in range(0, events, BATCH):
        rows = skeleton[batch_start : batch_start + BATCH]
        new_events, relations = [], []
        for index, type_slug, stage, date, precision, codes, supplier in rows:
            place = codes[0]
            local = by_country[place]
            initiator = rng.choice(local[rng.choice([k for k in initiator_kinds if local[k]])])
            involved_pool = by_country[codes[1]][ActorKind.OPERATOR] or by_country[codes[1]][ActorKind.AGENCY]
            involved = rng.choice(involved_pool or actors)
            third_role = gen.pick(gen.third_roles, gen.third_role_weights)
            links = [(initiator, Role.INITIATOR), (supplier, Role.TARGET), (involved, third_role)]
            if len({(actor.pk, role) for actor, role in links}) < 3 or involved.pk in (initiator.pk, supplier.pk):
                links[2] = (rng.choice(actors), Role.INVOLVED)
                while links[2][0].pk in (initiator.pk, supplier.pk):
                    links[2] = (rng.choice(actors), Role.INVOLVED)
            parts = {
                "initiator": initiator.name.removesuffix(" (bench)"),
                "initiator_name": initiator.name.removesuffix(" (bench)"),
                "target": supplier.name.removesuffix(" (bench)"),
                "target_name": supplier.name.removesuffix(" (bench)"),
                "involved": links[2][0].name.removesuffix(" (bench)"),
                "place": REGIONS.get(place, "Europe"),
                "object": gen.pick(gen.objects, gen.object_weights),
                "concern": gen.pick(gen.concerns, gen.concern_weights),
                "date": date,
            }
            title, summary, body = compose_text(gen, type_slug, parts)
            draft = rng.random() < DRAFT_RATE
            new_events.append(
                Event(
                    title=title,
                    slug=f"{PREFIX}{index + 1}-{slugify(title)}"[:200],
                    summary=summary,
                    body=body,
                    date=date,
                    date_precision=precision,
                    event_type=types[type_slug],
                    stage=stage,
                    measure=measures[measure_of[index]] if index in measure_of else None,
                    status=Status.DRAFT if draft else Status.PUBLISHED,
                    publish_at=None if draft else min(now, datetime.datetime.combine(date, PUBLISH_TIME)),
                )
            )
            relations.append((codes, rng.sample(topic_list, 2), links, date))
        for event in new_events:
            event.derive_fields()  # bulk_create skips save(), which derives them
        with transaction.atomic():
            insert_events(new_events)
            place_links, topic_links, actor_links, sources, corrections = [], [], [], [], []
            for event, (codes, event_topics, links, date) in zip(new_events, relations, strict=True):
                place_links += [(event.pk, jurisdictions[code].pk) for code in codes]
                topic_links += [(event.pk, topic.pk) for topic in event_topics]
                actor_links += [(event.pk, actor.pk, role.value) for actor, role in links]
                for publisher, domain in rng.sample(PUBLISHERS, 2):
                    published = date + datetime.timedelta(days=rng.randint(0, 3))
                    url = f"https://{domain}/{published:%Y/%m/%d}/{event.slug[len(PREFIX) :][:80]}" if rng.random() < 0.8 else ""
                    sources.append(
                        (
                            event.pk,
                            event.title if rng.random() < 0.5 else f"{publisher}: {event.title[:120]}",
                            publisher,
                            url,
                            published if rng.random() < 0.9 else None,
                            "" if rng.random() < 0.8 else event.summary.split(". ")[0] + ".",
                        )
                    )
                if event.status == Status.PUBLISHED and rng.random() < CORRECTION_RATE:
                    corrected = date + datetime.timedelta(days=rng.randint(1, 60))
                    corrections.append((event.pk, corrected, CORRECTION_NOTE, now))
            # The child rows go in with executemany: building a model instance
            # per link row would double the run time for nothing.
            insert_rows(Event.jurisdictions.through, ["event_id", "jurisdiction_id"], place_links)
            insert_rows(Event.topics.through, ["event_id", "topic_id"], topic_links)
            insert_rows(EventActor, ["event_id", "actor_id", "role"], actor_links)
            insert_rows(Source, ["event_id", "title", "publisher", "url", "published_on", "quote"], sources)
            insert_rows(Correction, ["event_id", "corrected_on", "note", "created_at"], corrections)
        bar.update(len(rows))
    bar.close()
    timings["insert"] = time.perf_counter() - step

    step = time.perf_counter()
    Event.objects.filter(slug__startswith=PREFIX).refresh_search_vectors()
    timings["search_vectors"] = time.perf_counter() - step

    # Lines written ahead for the downloads (a bulk insert sends no signal that would have them refilled).
    step = time.perf_counter()
    export_lines.fill()
    timings["export_lines"] = time.perf_counter() - step

    step = time.perf_counter()
    analyse()
    timings["analyse"] = time.perf_counter() - step
    # Bulk inserts send no signals, so no change is logged: the facet counts need a new snapshot.
    build_snapshot()
    timings["total"] = time.perf_counter() - started
    return timings


def insert_events(events):
    """Insert `events` and set their primary keys: COPY on PostgreSQL, with ids drawn from the
    table's sequence first, else bulk_create.

    bulk_create composed and sent a 22,000-parameter INSERT per thousand
    events: 60% of the insert step's time at a million events, most of it in
    Python. The search vectors are written after, in one UPDATE.
    """
    if connection.vendor != "postgresql":
        Event.objects.bulk_create(events, batch_size=1000)
        return
    with connection.cursor() as cursor:
        cursor.execute("SELECT nextval(pg_get_serial_sequence(%s, 'id')) FROM generate_series(1, %s)", [Event._meta.db_table, len(events)])
        for event, (pk,) in zip(events, cursor.fetchall(), strict=True):
            event.pk = pk
    fields = [field for field in Event._meta.concrete_fields if field.name != "search_vector"]
    # pre_save: what save() would fill in (the creation and update times).
    rows = [[field.pre_save(event, add=True) for field in fields] for event in events]
    insert_rows(Event, [field.column for field in fields], rows)


def insert_rows(model, columns, rows):
    """One COPY (PostgreSQL) or executemany (SQLite) per table and batch."""
    if not rows:
        return
    quote = connection.ops.quote_name
    fields = {field.column: field for field in model._meta.concrete_fields}
    # Only dates need the backend's conversion (SQLite stores them as text).
    dated = [(i, fields[column]) for i, column in enumerate(columns) if isinstance(fields[column], models.DateField)]
    if dated:
        rows = [list(row) for row in rows]
        for row in rows:
            for i, field in dated:
                row[i] = field.get_db_prep_save(row[i], connection)
    table, names = quote(model._meta.db_table), ", ".join(quote(c) for c in columns)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            with cursor.cursor.copy(f"COPY {table} ({names}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
        else:
            cursor.executemany(f"INSERT INTO {table} ({names}) VALUES ({', '.join(['%s'] * len(columns))})", rows)


CORRECTION_NOTE = "An earlier version of this event gave the wrong date for the decision; it was announced a week later."


def analyse():
    """Fresh planner statistics on PostgreSQL; VACUUM too when we may (outside a transaction).

    The search-vector UPDATE wrote every bench event a second time: the
    event table holds each row twice, and a page of the timeline reads twice
    the pages it would in a table that autovacuum keeps, or that a restore
    loads. VACUUM FULL rewrites it compactly (97 MB instead of 156 MB at
    100,000 events); the link tables were never updated and only need the
    visibility map that index-only scans read.
    """
    if connection.vendor != "postgresql":
        return
    tables = [
        model._meta.db_table
        for model in (Event, Event.jurisdictions.through, Event.topics.through, EventActor, Source, Correction, Measure, Actor, ExportLine)
    ]
    with connection.cursor() as cursor:
        for table in tables:
            name = connection.ops.quote_name(table)
            if connection.in_atomic_block:
                cursor.execute(f"ANALYZE {name}")
                continue
            if table == Event._meta.db_table:
                cursor.execute(f"VACUUM FULL {name}")
            # After FULL too: it leaves the visibility map empty, and the admin's
            # deep pages read ids with an index-only scan.
            cursor.execute(f"VACUUM (ANALYZE) {name}")


class Command(BaseCommand):
    help = "Replace the synthetic benchmark events (slugs bench-...) with N new ones. Safe to rerun."

    def add_arguments(self, parser):
        parser.add_argument("--events", type=int, default=DEFAULT_EVENTS, help=f"How many events (default {DEFAULT_EVENTS}).")
        parser.add_argument("--seed", type=int, default=7, help="Random seed; the same seed and N give the same data.")

    def handle(self, *args, events, seed, verbosity=1, **options):
        if events < 1:
            raise CommandError("--events must be at least 1.")
        timings = generate(events, seed=seed, progress=verbosity > 0, stdout=self.stdout if verbosity else None)
        if verbosity:
            steps = ", ".join(f"{name} {seconds:.1f}s" for name, seconds in timings.items())
            self.stdout.write(self.style.SUCCESS(f"{events} bench events on {connection.vendor}: {steps}"))
