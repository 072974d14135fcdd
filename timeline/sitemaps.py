from django.contrib.sitemaps import Sitemap
from django.db.models import Max, Q

from .models import Event, Measure


class EventSitemap(Sitemap):
    changefreq = "monthly"

    def items(self):
        return Event.objects.public().only("slug", "updated_at").order_by("-sort_date", "-id")

    def lastmod(self, event):
        return event.updated_at


class MeasureSitemap(Sitemap):
    changefreq = "monthly"

    def items(self):
        public = Event.objects.public()
        return (
            Measure.objects.filter(events__in=public)
            .annotate(last_change=Max("events__updated_at", filter=Q(events__in=public)))
            .order_by("title")
            .distinct()
        )

    def lastmod(self, measure):
        return measure.last_change


SITEMAPS = {"events": EventSitemap, "measures": MeasureSitemap}
