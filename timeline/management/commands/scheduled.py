"""manage.py scheduled: what goes live next.

A scheduled event becomes public by itself when its publish time comes
(Event.objects.public() compares with the clock); nothing needs to run then.
This command only tells editors what is queued.
"""

from django.core.management.base import BaseCommand
from django.utils import timezone

from timeline.models import Event, Status


class Command(BaseCommand):
    help = "List published events whose publish time is still to come, soonest first."

    def handle(self, *args, **options):
        upcoming = Event.objects.filter(status=Status.PUBLISHED, publish_at__gt=timezone.now()).order_by("publish_at", "id")
        if not upcoming:
            self.stdout.write("Nothing is scheduled.")
            return
        for event in upcoming:
            when = timezone.localtime(event.publish_at)
            self.stdout.write(f"{when:%Y-%m-%d %H:%M %Z}  {event.title}  ({event.get_absolute_url()})")
