"""Timeline cards, rendered once per version of an event and then served from the cache.

A card costs about 1 ms to render through the template engine and a page
shows 25 of them: most of a timeline page's time went there. Events change
rarely and pages are read often, so each card's HTML is cached under the
event's version (bumped by every save, inline changes included), the
data version (bumped by any edit, so a renamed actor or type shows on its
cards) and the reader's language. The page reads only each event's place in the timeline; the cards
missing from the cache are read in full with their type, places and actors.
"""

from django.conf import settings
from django.core.cache import cache
from django.db.models import Max, OuterRef, Prefetch, Subquery
from django.template.loader import get_template
from django.utils import translation

from .models import Correction, Event, EventActor

CARD_TEMPLATE = "timeline/_event_card.html"
# The day of an event's latest correction, for the card's "Corrected" mark; a
# subquery, so the cards' query stays one row per event.
_LAST_CORRECTION = Subquery(
    Correction.objects.filter(event_id=OuterRef("pk")).order_by().values("event_id").annotate(last=Max("corrected_on")).values("last")
)


def _key(version, event, focus):
    # A card is written in the reader's language (its labels, dates, type): one per language.
    return f"card:{translation.get_language()}:{version}:{event.pk}:{event.version}:{int(focus)}"


def attach_cards(events, version, focus_first=False):
    """Set `event.card` to each event's card HTML as of data `version`; the first one takes focus when `focus_first`."""
    keys = [_key(version, event, focus_first and position == 0) for position, event in enumerate(events)]
    cached = cache.get_many(keys)
    missing = [(key, event) for key, event in zip(keys, events, strict=True) if key not in cached]
    if missing:
        # The page's events carry only what places them (see EventQuerySet.for_cards).
        full = (
            Event.objects.filter(pk__in=[event.pk for _, event in missing])
            .select_related("event_type")
            .prefetch_related("jurisdictions", Prefetch("event_actors", queryset=EventActor.objects.select_related("actor")))
            .annotate(last_corrected_on=_LAST_CORRECTION)
            .in_bulk()
        )
        template = get_template(CARD_TEMPLATE)
        rendered = {key: template.render({"event": full[event.pk], "focus": key.endswith(":1")}) for key, event in missing}
        cache.set_many(rendered, settings.FACET_CACHE_SECONDS)
        cached.update(rendered)
    for key, event in zip(keys, events, strict=True):
        event.card = cached[key]
    return events
