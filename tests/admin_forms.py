"""What an editor sends from the admin's event form, for tests that post it."""

from timeline.models import Actor

from .factories import EventTypeFactory, jurisdiction


def event_add_form(button="_save", **overrides):
    """The add form as an editor fills it in: one actor, one source, no publish time."""
    data = {
        "title": "Czech government stops buying Huawei phones",
        "slug": "czech-phones",
        "summary": "The prime minister ordered the government office to stop.",
        "body": "",
        "date": "2018-12-01",
        "date_precision": "month",
        "end_date": "",
        "event_type": EventTypeFactory().pk,
        "stage": "",
        "measure": "",
        "jurisdictions": [jurisdiction("CZ").pk],
        "topics": [],
        "publish_at_0": "",
        "publish_at_1": "",
        "event_actors-TOTAL_FORMS": "1",
        "event_actors-INITIAL_FORMS": "0",
        "event_actors-0-actor": Actor.objects.get_or_create(
            name="Czech government", defaults={"slug": "czech-government", "kind": "government"}
        )[0].pk,
        "event_actors-0-role": "initiator",
        "sources-TOTAL_FORMS": "1",
        "sources-INITIAL_FORMS": "0",
        "sources-0-title": "Another Setback For Telecom Chinese Suppliers",
        "sources-0-publisher": "Telecom trade press",
        "sources-0-url": "",
        "sources-0-published_on": "",
        "sources-0-quote": "",
        "corrections-TOTAL_FORMS": "0",
        "corrections-INITIAL_FORMS": "0",
    }
    if button:
        data[button] = "pressed"
    data.update(overrides)
    return data
