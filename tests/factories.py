import datetime
import importlib

import factory
from django.contrib.auth.models import Group, Permission
from django.utils import timezone

from timeline.models import Actor, Correction, Event, EventActor, EventType, Jurisdiction, Measure, Source, Status, Topic


def editors_group():
    """The Editor group as migration 0004 makes it: a transactional test's flush empties the groups
    (the permissions come back with the flush's post_migrate)."""
    grants = importlib.import_module("timeline.migrations.0004_roles").ROLES["Editor"]
    group, _ = Group.objects.get_or_create(name="Editor")
    wanted = [f"{action}_{model}" for model, actions in grants.items() for action in actions]
    group.permissions.set(Permission.objects.filter(content_type__app_label="timeline", codename__in=wanted))
    return group


def jurisdiction(code):
    # get_or_create, not get: transactional tests flush the rows the data migration made.
    return Jurisdiction.objects.get_or_create(country=code)[0]


class EventTypeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = EventType
        django_get_or_create = ["slug"]

    name = factory.Sequence(lambda n: f"Type {n}")
    slug = factory.Sequence(lambda n: f"type-{n}")


class ActorFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Actor

    name = factory.Sequence(lambda n: f"Actor {n}")
    slug = factory.Sequence(lambda n: f"actor-{n}")
    kind = "government"


class TopicFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Topic

    name = factory.Sequence(lambda n: f"Topic {n}")
    slug = factory.Sequence(lambda n: f"topic-{n}")


class MeasureFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Measure

    title = factory.Sequence(lambda n: f"Measure {n}")
    slug = factory.Sequence(lambda n: f"measure-{n}")


class EventFactory(factory.django.DjangoModelFactory):
    """A published, public event with one source, unless told otherwise."""

    class Meta:
        model = Event
        skip_postgeneration_save = True

    title = factory.Sequence(lambda n: f"Event {n}")
    slug = factory.Sequence(lambda n: f"event-{n}")
    summary = "A development worth recording."
    date = datetime.date(2018, 12, 1)
    event_type = factory.SubFactory(EventTypeFactory)
    status = Status.PUBLISHED
    publish_at = factory.LazyFunction(lambda: timezone.now() - datetime.timedelta(days=1))

    @factory.post_generation
    def sources(event, create, extracted, **kwargs):
        if create:
            default = 1 if event.status == Status.PUBLISHED else 0
            for _ in range(default if extracted is None else extracted):
                SourceFactory(event=event)

    @factory.post_generation
    def countries(event, create, extracted, **kwargs):
        if create and extracted:
            event.jurisdictions.add(*(jurisdiction(code) for code in extracted))

    @factory.post_generation
    def actor_roles(event, create, extracted, **kwargs):
        if create and extracted:
            for actor, role in extracted:
                EventActor.objects.create(event=event, actor=actor, role=role)


class DraftFactory(EventFactory):
    status = Status.DRAFT
    publish_at = None


class SourceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Source

    event = factory.SubFactory(EventFactory)
    title = factory.Sequence(lambda n: f"Report {n}")
    publisher = "Ministry of Examples"
    published_on = datetime.date(2018, 12, 2)


class CorrectionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Correction

    event = factory.SubFactory(EventFactory)
    note = "The order covers phones, not network gear."
