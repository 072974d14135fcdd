"""Events as readable snapshots, so an editor can compare a revision with now."""

from django_countries import countries

from .dates import edtf
from .models import Actor, EventType, Jurisdiction, Measure, Role, Stage, Status, Topic


def _names(model, pks, attribute="name"):
    return ", ".join(str(getattr(row, attribute)) for row in model.objects.filter(pk__in=pks).order_by("pk"))


def _snapshot(fields, jurisdiction_codes, topics, actors, sources):
    return {
        "Title": fields["title"],
        "Slug": fields["slug"],
        "Summary": fields["summary"],
        "Body": fields["body"],
        "Date": edtf(fields["date"], fields["end_date"], fields["date_precision"]),
        "Type": fields["event_type"],
        "Stage": dict(Stage.choices).get(fields["stage"], ""),
        "Measure": fields["measure"],
        "Status": dict(Status.choices).get(fields["status"], fields["status"]),
        "Publish at": fields["publish_at"].strftime("%Y-%m-%d %H:%M %Z") if fields["publish_at"] else "",
        "Jurisdictions": ", ".join(sorted(countries.name(code) for code in jurisdiction_codes)),
        "Topics": topics,
        "Actors": "; ".join(sorted(actors)),
        "Sources": "; ".join(sorted(sources)),
    }


def current_snapshot(event):
    fields = {
        name: getattr(event, name)
        for name in ["title", "slug", "summary", "body", "date", "end_date", "date_precision", "stage", "status", "publish_at"]
    }
    fields["event_type"] = str(event.event_type)
    fields["measure"] = str(event.measure) if event.measure else ""
    return _snapshot(
        fields,
        [j.code for j in event.jurisdictions.all()],
        ", ".join(str(topic) for topic in event.topics.order_by("pk")),
        [f"{link.actor} ({link.get_role_display().lower()})" for link in event.event_actors.select_related("actor")],
        [f"{source.publisher}: {source.title}" for source in event.sources.all()],
    )


def revision_snapshot(revision, event_id):
    """The event and its inlines as the revision saved them."""
    by_model = {}
    for version in revision.version_set.select_related("content_type"):
        fields = version.field_dict
        # A revision can hold several events (a bulk publish, the demo load).
        owner = fields["id"] if version.content_type.model == "event" else fields.get("event_id")
        if owner == event_id:
            by_model.setdefault(version.content_type.model, []).append(fields)
    [fields] = by_model["event"]
    fields = dict(fields)
    fields["event_type"] = _names(EventType, [fields["event_type_id"]])
    fields["measure"] = _names(Measure, [fields["measure_id"]], "title") if fields["measure_id"] else ""
    roles = dict(Role.choices)
    actor_names = {actor.pk: actor.name for actor in Actor.objects.filter(pk__in=[a["actor_id"] for a in by_model.get("eventactor", [])])}
    return _snapshot(
        fields,
        Jurisdiction.objects.filter(pk__in=fields["jurisdictions"]).values_list("country", flat=True),
        _names(Topic, fields["topics"]),
        [f"{actor_names.get(a['actor_id'], '(deleted actor)')} ({roles[a['role']].lower()})" for a in by_model.get("eventactor", [])],
        [f"{source['publisher']}: {source['title']}" for source in by_model.get("source", [])],
    )
