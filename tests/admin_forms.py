"""What an editor sends from the admin's event form, for tests that post it."""

from html.parser import HTMLParser

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


class _FormReader(HTMLParser):
    """What a browser would submit from the admin's <form id="event_form">, buttons aside."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.fields = []
        self.in_form = False
        self.select = None
        self.textarea = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form" and attrs.get("id") == "event_form":
            self.in_form = True
        if not self.in_form:
            return
        name = attrs.get("name")
        if tag == "input" and name:
            kind = attrs.get("type", "text")
            if kind in {"submit", "button", "image", "reset", "file"}:
                return
            if kind in {"checkbox", "radio"}:
                if "checked" in attrs:
                    self.fields.append((name, attrs.get("value", "on")))
                return
            self.fields.append((name, attrs.get("value") or ""))
        elif tag == "select" and name:
            self.select = {"name": name, "multiple": "multiple" in attrs, "first": None, "chosen": []}
        elif tag == "option" and self.select is not None:
            value = attrs.get("value", "")
            if self.select["first"] is None:
                self.select["first"] = value
            if "selected" in attrs:
                self.select["chosen"].append(value)
        elif tag == "textarea" and name:
            self.textarea = [name, ""]

    def handle_data(self, data):
        if self.textarea is not None:
            self.textarea[1] += data

    def handle_endtag(self, tag):
        if tag == "form" and self.in_form:
            self.in_form = False
        elif tag == "select" and self.select is not None:
            chosen = self.select["chosen"]
            if not chosen and not self.select["multiple"] and self.select["first"] is not None:
                chosen = [self.select["first"]]
            self.fields.extend((self.select["name"], value) for value in chosen)
            self.select = None
        elif tag == "textarea" and self.textarea is not None:
            name, text = self.textarea
            # Browsers drop the newline that follows <textarea>.
            self.fields.append((name, text[1:] if text.startswith("\n") else text))
            self.textarea = None


def event_form_fields(html):
    """The fields of the event form in an admin page's `html` as {name: value or [values]}, without the empty-form templates."""
    reader = _FormReader()
    reader.feed(html)
    data = {}
    for name, value in reader.fields:
        if "__prefix__" in name:
            continue
        data.setdefault(name, []).append(value)
    return {name: values[0] if len(values) == 1 else values for name, values in data.items()}
