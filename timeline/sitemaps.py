from django.contrib.sitemaps import Sitemap
from django.db.models import Exists, Max, OuterRef, Subquery

from .models import Event, Measure

# Addresses per sitemap page: a page is about 2 MB and is built in well under a second.
SITEMAP_PAGE_SIZE = 10_000


class EventSitemap(Sitemap):
    changefreq = "monthly"
    limit = SITEMAP_PAGE_SIZE

    def items(self):
        return Event.objects.public().only("slug", "updated_at").order_by("-sort_date", "-id")

    def lastmod(self, event):
        return event.updated_at

    def get_latest_lastmod(self):
        # The index's dates in one aggregate: Django's default calls lastmod() on every event.
        return Event.objects.public().aggregate(latest=Max("updated_at"))["latest"]


class MeasureSitemap(Sitemap):
    changefreq = "monthly"
    limit = SITEMAP_PAGE_SIZE

    def items(self):
        # EXISTS and a subquery per measure, each an index lookup of its events:
        # a join grouped over every public event took minutes to count at a million.
        steps = Event.objects.public().filter(measure=OuterRef("pk"))
        return (
            Measure.objects.filter(Exists(steps))
            .annotate(last_change=Subquery(steps.order_by("-updated_at").values("updated_at")[:1]))
            .order_by("title")
        )

    def lastmod(self, measure):
        return measure.last_change

    def get_latest_lastmod(self):
        return Event.objects.public().filter(measure__isnull=False).aggregate(latest=Max("updated_at"))["latest"]


SITEMAPS = {"events": EventSitemap, "measures": MeasureSitemap}
