"""Atom feed of the filtered timeline: "bans in Germany" is a subscription."""

import re

from django.contrib.syndication.views import Feed
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed
from django.utils.html import escape
from django.utils.translation import gettext

from .chips import chips
from .facets import cached_facets
from .filters import canonical_query, every_filter_applied
from .i18n import format_reader_date

FEED_SIZE = 50

# XML 1.0 has no place for these; one pasted into a title must not break the feed.
_NOT_IN_XML = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def xml_safe(text):
    return _NOT_IN_XML.sub("", text)


def _with_query(path, filterset):
    query = canonical_query(filterset).urlencode()
    return path + (f"?{query}" if query else "")


class TimelineFeed(Feed):
    feed_type = Atom1Feed
    description_template = None

    def get_object(self, request, filterset):
        return filterset

    def title(self, filterset):
        active = chips(filterset, canonical_query(filterset), cached_facets(filterset))
        return xml_safe("Policy Timeline" + (": " + "; ".join(chip.text for chip in active) if active else ""))

    def subtitle(self, filterset):
        return gettext("Newest policy developments with their sources.")

    def link(self, filterset):
        return _with_query(reverse("timeline:index"), filterset)

    def feed_url(self, filterset):
        # Django's default is the path without its query: a subscriber's
        # reader would then follow rel="self" to the unfiltered feed.
        return _with_query(reverse("timeline:feed"), filterset)

    def items(self, filterset):
        # Newest published first: a subscriber wants what is new to the feed.
        return filterset.qs.with_relations().order_by("-publish_at", "-id")[:FEED_SIZE]

    def item_title(self, event):
        return xml_safe(f"{event.display_date}: {event.title}")

    def item_description(self, event):
        parts = [f"<p>{escape(event.summary)}</p>"]
        for correction in event.corrections.all():
            corrected = gettext("Corrected %(date)s:") % {"date": format_reader_date(correction.corrected_on)}
            parts.append(f"<p><strong>{corrected}</strong> {escape(correction.note)}</p>")
        sources = "".join(f"<li>{escape(source.title)}, {escape(source.publisher)}</li>" for source in event.sources.all())
        if sources:
            parts.append(f"<p>{escape(gettext('Sources:'))}</p><ol>{sources}</ol>")
        return xml_safe("".join(parts))

    def item_pubdate(self, event):
        return event.publish_at

    def item_updateddate(self, event):
        return event.updated_at

    def item_categories(self, event):
        return [xml_safe(event.event_type.name)] + [j.name for j in event.jurisdictions.all()]


timeline_feed = every_filter_applied(TimelineFeed())
