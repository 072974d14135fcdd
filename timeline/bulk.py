"""Bulk edits from the changelist: one change (a topic, a country, an actor, the measure) to many events.

Each event changed is saved as an admin save is: its version moves on (a form
opened before is stale), it gets a revision of its own in the history with who
and what, and a public event changed in substance needs a correction note or
"minor edit", as in the form. Contributors change no published event.
"""

from dataclasses import dataclass, field

import reversion
from django import forms
from django.contrib import admin
from django.contrib.admin.widgets import AutocompleteSelect
from django.db import transaction

from .models import Actor, Correction, Event, EventActor, Jurisdiction, Measure, Role, Status, Topic
from .roles import PUBLISH_PERMISSION

CHANGES = [
    ("add_topic", "Add a topic"),
    ("remove_topic", "Remove a topic"),
    ("add_country", "Add a country or bloc"),
    ("remove_country", "Remove a country or bloc"),
    ("add_actor", "Add an actor, with a role"),
    ("remove_actor", "Remove an actor (in every role)"),
    ("set_measure", "Set the measure"),
    ("clear_measure", "Clear the measure (and the stage)"),
]
# What each change needs filled in.
NEEDS = {
    "add_topic": ["topic"],
    "remove_topic": ["topic"],
    "add_country": ["country"],
    "remove_country": ["country"],
    "add_actor": ["actor", "role"],
    "remove_actor": ["actor"],
    "set_measure": ["measure"],
    "clear_measure": [],
}
# Readers were told these (see SUBSTANTIVE_FIELDS in admin.py; actors as the inline's check).
SUBSTANTIVE = {"add_country", "remove_country", "add_actor", "remove_actor", "set_measure", "clear_measure"}


def _autocomplete(model, field_name):
    return AutocompleteSelect(model._meta.get_field(field_name), admin.site)


class BulkEditForm(forms.Form):
    change = forms.ChoiceField(choices=CHANGES, widget=forms.RadioSelect, label="Change")
    topic = forms.ModelChoiceField(Topic.objects.all(), required=False, widget=_autocomplete(Event, "topics"))
    country = forms.ModelChoiceField(
        Jurisdiction.objects.all(), required=False, label="Country or bloc", widget=_autocomplete(Event, "jurisdictions")
    )
    actor = forms.ModelChoiceField(Actor.objects.all(), required=False, widget=_autocomplete(EventActor, "actor"))
    role = forms.ChoiceField(choices=[("", "—"), *Role.choices], required=False, help_text="For “Add an actor”.")
    measure = forms.ModelChoiceField(Measure.objects.all(), required=False, widget=_autocomplete(Event, "measure"))
    correction_note = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
        help_text="For events readers have seen, when the change is one of substance (countries, actors, measure): "
        "the dated public note added to each of them.",
    )
    minor_edit = forms.BooleanField(required=False, label="Minor edit: no correction needed")

    def clean(self):
        cleaned = super().clean()
        for name in NEEDS.get(cleaned.get("change"), []):
            if not cleaned.get(name):
                self.add_error(name, "Choose one for this change.")
        return cleaned

    def describe(self):
        """The change in words, for messages and the history: “added the topic “5G””."""
        cleaned = self.cleaned_data
        change = cleaned["change"]
        if change == "clear_measure":
            return "cleared the measure"
        if change == "set_measure":
            return f"set the measure to “{cleaned['measure']}”"
        verb, kind = change.split("_")
        value = cleaned[{"country": "country", "topic": "topic", "actor": "actor"}[kind]]
        role = f" ({Role(cleaned['role']).label.lower()})" if change == "add_actor" else ""
        noun = "country or bloc" if kind == "country" else kind
        return f"{'added' if verb == 'add' else 'removed'} the {noun} “{value}”{role}"


@dataclass
class BulkResult:
    changed: list = field(default_factory=list)
    unchanged: list = field(default_factory=list)
    refused: list = field(default_factory=list)


def _apply_one(event, cleaned):
    """Make the change on `event`; False when it had it already (nothing to save)."""
    change = cleaned["change"]
    if change == "add_topic":
        if event.topics.filter(pk=cleaned["topic"].pk).exists():
            return False
        event.topics.add(cleaned["topic"])
    elif change == "remove_topic":
        if not event.topics.filter(pk=cleaned["topic"].pk).exists():
            return False
        event.topics.remove(cleaned["topic"])
    elif change == "add_country":
        if event.jurisdictions.filter(pk=cleaned["country"].pk).exists():
            return False
        event.jurisdictions.add(cleaned["country"])
    elif change == "remove_country":
        if not event.jurisdictions.filter(pk=cleaned["country"].pk).exists():
            return False
        event.jurisdictions.remove(cleaned["country"])
    elif change == "add_actor":
        _, created = EventActor.objects.get_or_create(event=event, actor=cleaned["actor"], role=cleaned["role"])
        return created
    elif change == "remove_actor":
        deleted, _ = EventActor.objects.filter(event=event, actor=cleaned["actor"]).delete()
        return bool(deleted)
    elif change == "set_measure":
        if event.measure_id == cleaned["measure"].pk:
            return False
        event.measure = cleaned["measure"]
    elif change == "clear_measure":
        if event.measure_id is None:
            return False
        # A stage describes a step of a measure: without one it describes nothing (Event.clean).
        event.measure, event.stage = None, ""
    return True


def needs_correction(form, events):
    """The public events among `events` this change would alter in substance (checked before anything is saved)."""
    if form.cleaned_data["change"] not in SUBSTANTIVE or form.cleaned_data.get("correction_note") or form.cleaned_data.get("minor_edit"):
        return []
    return [event for event in events if event.is_public]


# A bulk edit saves events one by one, each with its revision: a bound, not a whole table.
MOST_EVENTS = 1000


def apply_bulk_edit(form, events, user):
    """Apply the form's change to each event, a revision each; refuse published events to contributors."""
    result = BulkResult()
    may_publish = user.has_perm(PUBLISH_PERMISSION)
    description = form.describe()
    note = form.cleaned_data.get("correction_note", "").strip()
    for event in events:
        if event.status == Status.PUBLISHED and not may_publish:
            result.refused.append(event)
            continue
        with transaction.atomic(), reversion.create_revision():
            # The row as it is now, locked until this event's change is saved.
            event = Event.objects.select_for_update().get(pk=event.pk)
            was_public = event.is_public
            if not _apply_one(event, form.cleaned_data):
                result.unchanged.append(event)
                continue
            reversion.set_user(user)
            reversion.set_comment(f"Bulk edit: {description}.")
            event.updated_by = user
            event.save()
            if note and was_public and form.cleaned_data["change"] in SUBSTANTIVE:
                Correction.objects.create(event=event, note=note)
            result.changed.append(event)
    return result
