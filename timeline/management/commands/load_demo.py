"""manage.py load_demo: load the launch story from timeline/demo/story.toml.

Safe to run again. Rows are found by their natural keys (slugs, country codes,
a source's title and publisher, a correction's date and note) and saved only
when a field differs, so a second run writes nothing, not even `updated_at`.
"""

import datetime

import reversion
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone
from django_countries import countries
from tqdm import tqdm

from timeline import demo
from timeline.models import Actor, Correction, Event, EventActor, EventType, Jurisdiction, Measure, Source, Status, Topic

# The story's events were not published in 2012-2019: they go public on this
# site when the demo is loaded, and a feed reader should see that. Stamping all
# with the same instant would leave the feed's order to row ids, i.e. to where an
# event sits in the file; instead they are spaced a second apart, ending at the
# moment the load started, in the order of their dates. The newest development
# is then the newest entry, no two entries share a time, all times fall within a
# minute or two of the load, and every event is public as soon as the load
# commits. A published event keeps the time it went public, so a rerun changes
# nothing and never re-announces an event to feed subscribers.
PUBLISH_SPACING = datetime.timedelta(seconds=1)


class Command(BaseCommand):
    help = "Load the demo story (Huawei and European networks, 2012-2019). Running it again changes nothing."

    def add_arguments(self, parser):
        parser.add_argument(
            "--if-empty",
            action="store_true",
            help="Load only into a database without events, so a restart never resets what editors changed.",
        )

    def handle(self, *args, verbosity=1, if_empty=False, **options):
        if if_empty and Event.objects.exists():
            if verbosity:
                self.stdout.write("The database already has events; the demo story was not loaded again.")
            return
        try:
            story = demo.read_story()
        except demo.StoryError as error:
            raise CommandError(str(error)) from None
        tally = Tally()
        # All or nothing: a bad reference halfway must not leave half a story.
        # One revision for the whole load, so each event's history in the admin
        # starts with the story as loaded (a run that changes nothing adds none).
        try:
            with transaction.atomic(), reversion.create_revision():
                reversion.set_comment("Loaded from the demo story")
                refs = load_vocabularies(story, tally)
                publish_at = publish_times(story["events"], timezone.now().replace(microsecond=0))
                for data in tqdm(story["events"], desc="Events", unit="event", disable=verbosity == 0):
                    load_event(data, refs, tally, publish_at.get(data["slug"]))
        except CommandError as error:
            # The editor fixes the file: name it, as read_story does.
            raise CommandError(f"{demo.shown(demo.STORY)}: {error}") from error
        if verbosity:
            self.stdout.write(str(tally))


class Tally:
    def __init__(self):
        self.created = self.updated = self.unchanged = 0

    def add(self, outcome):
        setattr(self, outcome, getattr(self, outcome) + 1)

    def __str__(self):
        return f"{self.created} created, {self.updated} updated, {self.unchanged} unchanged"


class Refs:
    """The vocabularies by slug (jurisdictions by code), for resolving the story's references."""

    def __init__(self, tally):
        self.tally = tally
        self.tables = {"event type": {}, "topic": {}, "actor": {}, "measure": {}}
        self.jurisdictions = {}

    def get(self, kind, slug, label):
        try:
            return self.tables[kind][slug]
        except KeyError:
            raise CommandError(f"{label} refers to an unknown {kind} “{slug}”.") from None

    def jurisdiction(self, code, label):
        # Jurisdictions have no list of their own in the story: the codes the
        # events use are the list, checked against django-countries (EU included).
        if code not in self.jurisdictions:
            if not countries.name(code):
                raise CommandError(f"{label} refers to an unknown country code “{code}”.")
            self.jurisdictions[code], outcome = upsert(Jurisdiction, {"country": code}, {}, f"Jurisdiction “{code}”")
            self.tally.add(outcome)
        return self.jurisdictions[code]


def load_vocabularies(story, tally):
    refs = Refs(tally)
    specs = [
        ("event type", EventType, story["event_types"], ["name", "definition"]),
        ("topic", Topic, story["topics"], ["name"]),
        ("actor", Actor, story["actors"], ["name", "kind", "country"]),
        ("measure", Measure, story["measures"], ["title", "description"]),
    ]
    for kind, model, items, fields in specs:
        for item in items:
            label = f"{kind.capitalize()} “{item['slug']}”"
            row, outcome = upsert(model, {"slug": item["slug"]}, {name: item[name] for name in fields}, label)
            refs.tables[kind][item["slug"]] = row
            tally.add(outcome)
    return refs


def publish_times(events, until):
    """Publish times for the story's published events: PUBLISH_SPACING apart, oldest development first, the last at `until`."""
    published = sorted(
        (event["date"], position, event["slug"]) for position, event in enumerate(events) if event["status"] == Status.PUBLISHED
    )
    return {slug: until - (len(published) - 1 - rank) * PUBLISH_SPACING for rank, (_, _, slug) in enumerate(published)}


def load_event(data, refs, tally, publish_at):
    label = f"Event “{data['slug']}”"
    values = {
        "title": data["title"],
        "summary": data["summary"],
        "body": data["body"],
        "date": data["date"],
        "date_precision": data["precision"],
        "end_date": data["end_date"],
        "event_type": refs.get("event type", data["type"], label),
        "stage": data["stage"],
        "measure": refs.get("measure", data["measure"], label) if data["measure"] else None,
    }
    if data["status"] not in Status.values:
        raise CommandError(f"{label} has an unknown status “{data['status']}”.")
    # A new event starts unpublished: publish() wants its sources saved first.
    initial_status = Status.DRAFT if data["status"] == Status.PUBLISHED else data["status"]
    event, outcome = upsert(Event, {"slug": data["slug"]}, values, label, create_extra={"status": initial_status})

    relations_changed = sync_tags(event, data, refs, label)
    relations_changed |= sync_actors(event, data["actors"], refs, label)
    for source in data["sources"]:
        key = {"event": event, "title": source["title"], "publisher": source["publisher"]}
        fields = {"url": source["url"], "published_on": source["date"], "quote": source["quote"]}
        tally.add(upsert(Source, key, fields, f"{label}, source “{source['title']}”")[1])
    for correction in data["corrections"]:
        key = {"event": event, "corrected_on": correction["date"], "note": correction["note"]}
        tally.add(upsert(Correction, key, {}, f"{label}, correction of {correction['date']}")[1])
    status_changed = sync_status(event, data["status"], publish_at, label)

    if outcome == "unchanged" and (relations_changed or status_changed):
        outcome = "updated"
    tally.add(outcome)


def upsert(model, key, values, label, create_extra=None):
    """Find a row by its natural key; create it, or save it only if a value differs.

    Returns (row, outcome) with outcome "created", "updated" or "unchanged".
    """
    row = model.objects.filter(**key).first()
    if row is None:
        row = model(**key, **values, **(create_extra or {}))
        validate(row, label)
        row.save()
        return row, "created"
    changed = {name: value for name, value in values.items() if getattr(row, name) != value}
    if not changed:
        return row, "unchanged"
    for name, value in changed.items():
        setattr(row, name, value)
    validate(row, label)
    row.save()
    return row, "updated"


def sync_tags(event, data, refs, label):
    """Make the event's jurisdictions and topics exactly the story's; report whether anything changed."""
    wanted = [
        (event.jurisdictions, {refs.jurisdiction(code, label) for code in data["jurisdictions"]}),
        (event.topics, {refs.get("topic", slug, label) for slug in data["topics"]}),
    ]
    changed = False
    for manager, rows in wanted:
        if set(manager.all()) != rows:
            manager.set(rows)
            changed = True
    return changed


def sync_actors(event, pairs, refs, label):
    """Make the event's actors and roles exactly the story's, in the story's order."""
    wanted = [(refs.get("actor", slug, label), role) for slug, role in pairs]
    current = {(link.actor, link.role): link for link in event.event_actors.select_related("actor")}
    stale = [link for pair, link in current.items() if pair not in wanted]
    for link in stale:
        link.delete()
    missing = [pair for pair in wanted if pair not in current]
    for actor, role in missing:
        link = EventActor(event=event, actor=actor, role=role)
        validate(link, f"{label}, actor “{actor.slug}”")
        link.save()
    return bool(stale or missing)


def sync_status(event, status, when, label):
    """Bring the editorial status in line with the story; report whether it changed.

    `when` is the publish time for an event the story publishes and this run finds unpublished.
    """
    if status == Status.PUBLISHED:
        if event.status == status and event.publish_at is not None:
            return False
        # Through publish(), so the "a published event has a source" rule holds here too.
        try:
            event.publish(when=when)
        except ValidationError as error:
            raise CommandError(f"{label} cannot be published: {' '.join(error.messages)}") from error
        return True
    if event.status == status and event.publish_at is None:
        return False
    event.status, event.publish_at = status, None
    event.save()
    return True


def validate(row, label):
    try:
        # The search vector is derived data kept by the database, not story content.
        row.full_clean(exclude=["search_vector"])
    except ValidationError as error:
        raise CommandError(f"{label}: {'; '.join(error.messages)}") from error
