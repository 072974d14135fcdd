from django.db.models.signals import m2m_changed, post_delete, post_save, pre_save
from django.dispatch import receiver
from django.utils import timezone

from .filters import bump_data_version
from .models import Actor, Correction, Event, EventActor, EventType, Jurisdiction, Measure, Topic, Withdrawal, WithdrawalReason

# What the timeline's facets count or name: a change to any of them makes
# cached facet counts stale.
# (Corrections: the `corrected_since` filter and the cards' "Corrected" mark.)
_COUNTED = [Event, EventActor, EventType, Actor, Topic, Measure, Jurisdiction, Correction]


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
    """A correction is a change to its event: the feed's <updated>, the API's `updated_since`
    and a release's changelog read the event's updated_at. A restore (raw) keeps the saved times."""
    if not raw:
        Event.objects.filter(pk=instance.event_id).update(updated_at=timezone.now())


@receiver(post_save, sender=Event)
def refresh_search_vector(sender, instance, **kwargs):
    Event.objects.filter(pk=instance.pk).refresh_search_vectors()


def _facets_are_stale(**kwargs):
    bump_data_version()


for _model in _COUNTED:
    post_save.connect(_facets_are_stale, sender=_model, dispatch_uid=f"facets-stale-save-{_model.__name__}")
    post_delete.connect(_facets_are_stale, sender=_model, dispatch_uid=f"facets-stale-delete-{_model.__name__}")
for _through in (Event.jurisdictions.through, Event.topics.through):
    m2m_changed.connect(_facets_are_stale, sender=_through, dispatch_uid=f"facets-stale-{_through.__name__}")
