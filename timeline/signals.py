from django.db.models.signals import m2m_changed, post_delete, post_save, pre_delete, pre_save
from django.dispatch import receiver
from django.utils import timezone

from . import changes
from .models import Actor, ChangeKind, Correction, Event, EventActor, EventType, Jurisdiction, Measure, Topic, Withdrawal, WithdrawalReason


@receiver(pre_save, sender=Event)
def bump_version_of_restored_events(sender, instance, raw, **kwargs):
    """A revert or recovery (django-reversion saves raw) writes an old version
    number back; move it past the current one so forms opened before stay stale."""
    if raw:
        current = Event.objects.filter(pk=instance.pk).values_list("version", flat=True).first() or 0
        instance.version = current + 1


@receiver(pre_save, sender=Event)
def record_unpublishing(sender, instance, **kwargs):
    """A public event saved out of public view (unpublished, reverted to a draft,
    scheduled for later) is a withdrawal: the API lists it so mirrors drop the event."""
    if instance.pk is not None and not instance.is_public and Event.objects.public().filter(pk=instance.pk).exists():
        Withdrawal.objects.create(event_id=instance.pk, reason=WithdrawalReason.UNPUBLISHED)


@receiver(post_delete, sender=Event)
def record_deletion(sender, instance, **kwargs):
    if instance.is_public:
        Withdrawal.objects.create(event_id=instance.pk, reason=WithdrawalReason.DELETED)


@receiver(post_save, sender=Correction)
@receiver(post_delete, sender=Correction)
def corrections_change_their_event(sender, instance, raw=False, **kwargs):
    """A correction is a change to its event: the feed's <updated>, the API's `updated_since`,
    a release's changelog, the cards' "Corrected" mark and `corrected_since` read it.
    A restore (raw) keeps the saved times."""
    if not raw:
        Event.objects.filter(pk=instance.event_id).update(updated_at=timezone.now())
    changes.record(ChangeKind.EVENT, [instance.event_id])


@receiver(post_save, sender=Event)
def refresh_search_vector(sender, instance, **kwargs):
    Event.objects.filter(pk=instance.pk).refresh_search_vectors()


# What the facet counts, the overview and the cards show: each change is
# logged (changes.py) so every process applies it to its counts at once.
_NAMED = {
    EventType: ChangeKind.TYPE,
    Jurisdiction: ChangeKind.COUNTRY,
    Actor: ChangeKind.ACTOR,
    Topic: ChangeKind.TOPIC,
    Measure: ChangeKind.MEASURE,
}


def _event_changed(sender, instance, **kwargs):
    changes.record(ChangeKind.EVENT, [instance.pk])


def _event_link_changed(sender, instance, **kwargs):
    changes.record(ChangeKind.EVENT, [instance.event_id])


def _value_changed(sender, instance, **kwargs):
    changes.record(_NAMED[sender], [instance.pk])


@receiver(pre_delete, sender=Measure)
def record_events_leaving_a_deleted_measure(sender, instance, **kwargs):
    # Their measure is set to NULL by an UPDATE, which sends no signal.
    changes.record(ChangeKind.EVENT, instance.events.values_list("id", flat=True))


def _places_or_topics_changed(sender, instance, action, reverse, model, pk_set, **kwargs):
    if action in ("post_add", "post_remove") and reverse:
        changes.record(ChangeKind.EVENT, pk_set)
    elif action in ("post_add", "post_remove", "post_clear") and not reverse:
        changes.record(ChangeKind.EVENT, [instance.pk])
    elif action == "pre_clear" and reverse:
        # A country or topic cleared of all its events: which they were is known only before.
        value = "jurisdiction" if isinstance(instance, Jurisdiction) else "topic"
        changes.record(ChangeKind.EVENT, sender.objects.filter(**{value: instance}).values_list("event_id", flat=True))


post_save.connect(_event_changed, sender=Event, dispatch_uid="facet-change-event-save")
post_delete.connect(_event_changed, sender=Event, dispatch_uid="facet-change-event-delete")
post_save.connect(_event_link_changed, sender=EventActor, dispatch_uid="facet-change-event-actor-save")
post_delete.connect(_event_link_changed, sender=EventActor, dispatch_uid="facet-change-event-actor-delete")
for _model in _NAMED:
    post_save.connect(_value_changed, sender=_model, dispatch_uid=f"facet-change-save-{_model.__name__}")
    post_delete.connect(_value_changed, sender=_model, dispatch_uid=f"facet-change-delete-{_model.__name__}")
for _through in (Event.jurisdictions.through, Event.topics.through):
    m2m_changed.connect(_places_or_topics_changed, sender=_through, dispatch_uid=f"facet-change-{_through.__name__}")
