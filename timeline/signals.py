from django.db.models.signals import post_save, pre_save
from django.dispatch import receiver

from .models import Event


@receiver(pre_save, sender=Event)
def bump_version_of_restored_events(sender, instance, raw, **kwargs):
    """A revert or recovery (django-reversion saves raw) writes an old version
    number back; move it past the current one so forms opened before stay stale."""
    if raw:
        current = Event.objects.filter(pk=instance.pk).values_list("version", flat=True).first() or 0
        instance.version = current + 1


@receiver(post_save, sender=Event)
def refresh_search_vector(sender, instance, **kwargs):
    Event.objects.filter(pk=instance.pk).refresh_search_vectors()
