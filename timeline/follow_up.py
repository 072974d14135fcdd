"""“Add next step”: a new draft that continues an event or a measure.

A follow-up (the ban announced in March comes into effect in June) shares
almost everything with the step before it: the measure, the countries, who
acted on whom, the topics and the kind of development. The add form opens
with those filled in, so the editor types only what is new: the date, the
title, the summary, the stage and the source.
"""

from dataclasses import dataclass, field

from .models import Event, Measure

# The add form's query parameters that name what the new draft follows.
AFTER_EVENT = "after"
AFTER_MEASURE = "after_measure"


@dataclass
class NextStep:
    """What the add form starts from: the event's form fields, and the actors with their roles."""

    follows: Event | None = None
    measure: Measure | None = None
    initial: dict = field(default_factory=dict)
    actor_roles: list = field(default_factory=list)

    @property
    def label(self):
        if self.follows is not None:
            return f"Next step after “{self.follows}”"
        return f"Next step of “{self.measure}”" if self.measure is not None else ""


def next_step_from(params):
    """The NextStep the add form's query parameters ask for, or None.

    An id that is not one (or names nothing) gives None: the form opens empty,
    as "Add event" does, rather than failing.
    """
    event_id, measure_id = params.get(AFTER_EVENT, ""), params.get(AFTER_MEASURE, "")
    if event_id.isdigit():
        previous = Event.objects.select_related("measure").filter(pk=event_id).first()
        return _continuing(previous, previous.measure if previous else None) if previous else None
    if measure_id.isdigit():
        measure = Measure.objects.filter(pk=measure_id).first()
        if measure is None:
            return None
        # The measure's latest step, whatever its status: the draft continues where the thread stands.
        latest = measure.events.order_by("-sort_date", "-id").first()
        return _continuing(latest, measure) if latest else NextStep(measure=measure, initial={"measure": measure.pk})
    return None


def _continuing(previous, measure):
    initial = {
        "event_type": previous.event_type_id,
        "measure": measure.pk if measure else None,
        "jurisdictions": list(previous.jurisdictions.values_list("pk", flat=True)),
        "topics": list(previous.topics.values_list("pk", flat=True)),
    }
    roles = [{"actor": link.actor_id, "role": link.role} for link in previous.event_actors.order_by("id")]
    return NextStep(follows=previous, measure=measure, initial=initial, actor_roles=roles)
