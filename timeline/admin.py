import itertools
import json
import re
from dataclasses import dataclass
from datetime import date, datetime

import reversion
from django import forms
from django.contrib import admin, messages
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.contrib.admin.models import DELETION, LogEntry
from django.contrib.admin.utils import unquote
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db import connection, models, transaction
from django.db.models import Exists, Max, Min, OuterRef, Prefetch, Q
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.template.defaultfilters import date as format_date
from django.template.defaultfilters import pluralize
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.html import format_html, format_html_join
from django.utils.text import slugify
from django_countries import countries
from reversion.admin import VersionAdmin
from reversion.models import Version

from . import bulk, export
from .dates import DatePrecision, edtf, parse_typed_date, period_start
from .duplicates import likely_duplicates
from .follow_up import next_step_from
from .history import current_snapshot, revision_snapshot
from .imports import EventImportMixin
from .models import (
    Actor,
    ActorKind,
    Correction,
    EditConflict,
    Event,
    EventActor,
    EventQuerySet,
    EventType,
    Jurisdiction,
    Measure,
    Release,
    Source,
    Status,
    Topic,
)
from .releases import ReleaseBusy, cut_release
from .roles import PUBLISH_PERMISSION


class CountryNameSearchMixin:
    """Search a CountryField by country name, which the database does not hold (it stores codes)."""

    country_field = "country"

    def get_search_results(self, request, queryset, search_term):
        results, may_have_duplicates = super().get_search_results(request, queryset, search_term)
        term = search_term.strip().lower()
        if term:
            codes = [code for code, name in countries if term in name.lower() or term == code.lower()]
            results |= queryset.filter(**{f"{self.country_field}__in": codes})
        return results, may_have_duplicates


@admin.register(Jurisdiction)
class JurisdictionAdmin(CountryNameSearchMixin, admin.ModelAdmin):
    list_display = ["name", "code"]
    search_fields = ["country"]


@admin.register(Actor)
class ActorAdmin(CountryNameSearchMixin, admin.ModelAdmin):
    list_display = ["name", "kind", "country"]
    list_filter = ["kind"]
    search_fields = ["name"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(Topic)
class TopicAdmin(admin.ModelAdmin):
    search_fields = ["name"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(EventType)
class EventTypeAdmin(admin.ModelAdmin):
    list_display = ["name", "slug"]
    search_fields = ["name"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(Measure)
class MeasureAdmin(admin.ModelAdmin):
    list_display = ["title"]
    search_fields = ["title", "description"]
    prepopulated_fields = {"slug": ["title"]}


def _needs_correction(formset, changed):
    """Refuse `changed` (what the inline changed, for the message) on an event readers have
    seen that stays published, unless the event form carries a correction note or "minor edit".

    Readers were told who did what, and which sources back it, as much as the title.
    "Seen" is read from the database, which still holds the event as it was.
    """
    event = formset.instance
    if not event.pk or event.status != Status.PUBLISHED or not Event.objects.public().filter(pk=event.pk).exists():
        return
    if formset.data.get("correction_note", "").strip() or formset.data.get("minor_edit"):
        return
    raise ValidationError(f"Readers have seen this event and you changed its {changed}. Write a correction note, or tick “minor edit”.")


class EventActorInlineFormSet(forms.BaseInlineFormSet):
    def clean(self):
        super().clean()
        if any(form.has_changed() for form in self.forms):
            _needs_correction(self, "actors")


def next_step_of(request):
    """The step an "Add next step" form continues (see follow_up.py), read once per request."""
    if not hasattr(request, "next_step"):
        adding = request.resolver_match is not None and request.resolver_match.url_name == "timeline_event_add"
        request.next_step = next_step_from(request.GET) if adding else None
    return request.next_step


class EventActorForm(forms.ModelForm):
    """An actor picked from the list, or a new one typed with its kind: no pop-up to leave the event for."""

    new_actor_name = forms.CharField(
        label="…or a new actor", max_length=Actor._meta.get_field("name").max_length, required=False,
        help_text="Not in the list? Type the full name as it is usually reported, and choose its kind.",
    )  # fmt: skip
    new_actor_kind = forms.ChoiceField(label="Kind", choices=[("", "—"), *ActorKind.choices], required=False)

    class Meta:
        model = EventActor
        fields = ["actor", "new_actor_name", "new_actor_kind", "role"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        actor = self.fields["actor"]
        actor.required = False
        actor.help_text = "Start typing a name."
        # A new actor is typed beside the list: no pop-up windows to add, change or delete one from here.
        for link in ("can_add_related", "can_change_related", "can_delete_related", "can_view_related"):
            setattr(actor.widget, link, False)
        self.new_actor = None

    def clean(self):
        cleaned = super().clean()
        name = " ".join(cleaned.get("new_actor_name", "").split())
        if cleaned.get("actor") and name:
            self.add_error("new_actor_name", "Pick an actor from the list or type a new one, not both.")
        elif name:
            # An actor typed again by name is the one already known, whatever the case.
            existing = Actor.objects.filter(name__iexact=name).first()
            if existing is not None:
                cleaned["actor"] = self.instance.actor = existing
            elif not cleaned.get("new_actor_kind"):
                self.add_error("new_actor_kind", f"Choose what kind of actor “{name}” is.")
            else:
                self.new_actor = Actor(name=name, kind=cleaned["new_actor_kind"])
        elif not cleaned.get("actor") and "actor" not in self.errors:
            self.add_error("actor", "Pick an actor, or type a new one's name.")
        return cleaned

    def save(self, commit=True):
        if self.new_actor is not None and self.new_actor.pk is None:
            self.new_actor.slug = unique_slug(Actor, self.new_actor.name)
            self.new_actor.save()
            self.instance.actor = self.new_actor
        return super().save(commit)


def unique_slug(model, text):
    """A slug for `text` no other `model` row has: "huawei", else "huawei-2", "huawei-3"..."""
    base = slugify(text)[: model._meta.get_field("slug").max_length - 8] or "actor"
    taken = set(model.objects.filter(slug__startswith=base).values_list("slug", flat=True))
    return next(slug for slug in (base if n == 1 else f"{base}-{n}" for n in itertools.count(1)) if slug not in taken)


class EventActorInline(admin.TabularInline):
    model = EventActor
    form = EventActorForm
    formset = EventActorInlineFormSet
    autocomplete_fields = ["actor"]
    extra = 1
    verbose_name = "actor"
    verbose_name_plural = "Who: actors and their roles"

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("actor")

    def get_extra(self, request, obj=None, **kwargs):
        # A next step starts with the actors of the step before it, and room for one more.
        step = next_step_of(request)
        return len(step.actor_roles) + 1 if step else self.extra


class SourceInlineFormSet(forms.BaseInlineFormSet):
    def clean(self):
        super().clean()
        if self.instance.status != Status.PUBLISHED:
            return
        kept = [form for form in self.forms if form.cleaned_data and not form.cleaned_data.get("DELETE")]
        if not kept:
            raise ValidationError("A published event needs at least one source. Add one, or save it as a draft.")
        # A new source adds evidence; changing or removing one changes what backed the story.
        if any(form.instance.pk and form.has_changed() for form in self.forms):
            _needs_correction(self, "sources")


class SourceInline(admin.StackedInline):
    model = Source
    formset = SourceInlineFormSet
    extra = 1
    verbose_name_plural = "Sources"
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}
    fields = [("title", "publisher"), ("url", "published_on"), "quote"]


class CorrectionInline(admin.StackedInline):
    model = Correction
    extra = 0
    # Shown with the correction note, after the event's classification (see change_form.html).
    classes = ["after-fieldsets"]
    fields = ["corrected_on", "note"]


# The buttons of the event form, and the status each one leads to.
WORKFLOW = {
    "_submit_review": Status.REVIEW,
    "_publish": Status.PUBLISHED,
    "_schedule": Status.PUBLISHED,
    "_unpublish": Status.DRAFT,
}
# Changing one of these on a public event changes what readers were told.
SUBSTANTIVE_FIELDS = {"title", "summary", "body", "date", "date_precision", "end_date", "event_type", "stage", "measure", "jurisdictions"}


def substantive_values(event, cleaned=None):
    """The values of SUBSTANTIVE_FIELDS (and status) of an event, or of a form's cleaned data over it."""
    values = {name: getattr(event, name) for name in SUBSTANTIVE_FIELDS - {"jurisdictions"}}
    values.update(status=event.status, publish_at=event.publish_at)
    if cleaned is not None:
        values.update({name: cleaned[name] for name in SUBSTANTIVE_FIELDS - {"jurisdictions"} if name in cleaned})
        values["jurisdictions"] = {j.pk for j in cleaned.get("jurisdictions", [])}
    else:
        values["jurisdictions"] = set(event.jurisdictions.values_list("pk", flat=True)) if event.pk else set()
    return values


def format_moment(moment):
    return format_date(timezone.localtime(moment), "Y-m-d H:i:s")


# Fields of the event form that are the form's workings, not the event.
_FORM_WORKINGS = {"opened_version", "seen_duplicates", "correction_note", "minor_edit"}


def describe_changes(form, formsets, add):
    """A history line an editor reads: “Changed the title and the summary; added the actor Huawei (target).”

    The admin's own says “Changed Title and correction_note.”; this names what changed in the event itself.
    """
    if add:
        return "Created."
    parts = []
    fields = [f"the {form.fields[name].label.lower()}" for name in form.changed_data if name not in _FORM_WORKINGS]
    if fields:
        parts.append("changed " + _and_list(fields))
    for formset in formsets:
        kind = "actor" if formset.model is EventActor else formset.model._meta.verbose_name
        for added in getattr(formset, "new_objects", []):
            parts.append(f"added the {kind} {_quoted(added)}")
        for changed, _fields in getattr(formset, "changed_objects", []):
            parts.append(f"changed the {kind} {_quoted(changed)}")
        for removed in getattr(formset, "deleted_objects", []):
            parts.append(f"removed the {kind} {_quoted(removed)}")
    if note := form.cleaned_data.get("correction_note"):
        parts.append(f"public correction: “{note}”")
    elif form.cleaned_data.get("minor_edit") and parts:
        parts.append("a minor edit")
    line = "; ".join(parts)
    return f"{line[0].upper()}{line[1:]}." if parts else "Saved with no change."


def _quoted(obj):
    return str(obj) if isinstance(obj, EventActor) else f"“{obj}”"


def _and_list(items):
    return items[0] if len(items) == 1 else f"{', '.join(items[:-1])} and {items[-1]}"


@dataclass(frozen=True)
class Deletion:
    """Who deleted an event and when, from the admin's log (unknown if it went some other way),
    and its last version in the history, from which it can be recovered (None if it has none)."""

    who: str | None
    when: datetime | None
    version: Version | None

    @property
    def by_whom(self):
        return f" by {self.who} at {format_moment(self.when)}" if self.who else ""


def deletion_of(object_id):
    """How the event `object_id`, which no longer exists, was deleted; None if it never was."""
    entry = (
        LogEntry.objects.filter(content_type=ContentType.objects.get_for_model(Event), object_id=object_id, action_flag=DELETION)
        .select_related("user")
        .order_by("-action_time")
        .first()
    )
    version = Version.objects.get_deleted(Event).filter(object_id=object_id).first()
    if entry is None and version is None:
        return None
    return Deletion(entry.user.get_username() if entry else None, entry.action_time if entry else None, version)


class TypedDateField(forms.CharField):
    """A date as an editor types it (2019, 2019-03, Mar 2019, 2019-03-17), cleaned to (first day, precision typed)."""

    def to_python(self, value):
        text = super().to_python(value)
        if not text:
            return None
        try:
            return parse_typed_date(text)
        except ValueError as error:
            raise ValidationError(f"{error} Also accepted: Mar 2019, 17 Mar 2019.") from None


DATE_FIELDS = ("date", "date_precision", "end_date")
# Coarser precisions come later: the precision of a date is the coarser of what was typed and what was chosen.
_PRECISION_RANK = {DatePrecision.DAY: 0, DatePrecision.MONTH: 1, DatePrecision.YEAR: 2}


class EventAdminForm(forms.ModelForm):
    date = TypedDateField(label="Date", help_text=Event._meta.get_field("date").help_text)
    date_precision = forms.ChoiceField(
        label="Date precision",
        choices=[("", "As typed"), *DatePrecision.choices],
        required=False,
        help_text="Set from what you typed (2019-03 is a month); choose a coarser one to say less than you typed.",
    )
    end_date = TypedDateField(label="End date", required=False, help_text=Event._meta.get_field("end_date").help_text)
    opened_version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    # The events the editor was warned this one may duplicate (ids, comma-separated): saving again with the
    # same ones is their confirmation that it is a different event.
    seen_duplicates = forms.CharField(widget=forms.HiddenInput, required=False)
    correction_note = forms.CharField(
        label="Correction note",
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
        help_text="Readers were told something else: say what changed, for the dated correction shown on the event and in the feed.",
    )
    minor_edit = forms.BooleanField(required=False, label="Minor edit (typo, wording): no correction needed")

    class Meta:
        model = Event
        fields = [
            "title", "summary", "event_type", "body", "date", "date_precision", "end_date", "placed_on",
            "jurisdictions", "measure", "stage", "topics", "publish_at", "slug",
        ]  # fmt: skip

    # Set by EventAdmin for a revert or a recovery: the version the restored
    # event will have once it is written back (see EventAdmin.revision_view).
    restored_version = None

    # Set by EventAdmin for a revert: the event as it was before the revision
    # was written back, which is what readers see and what permissions judge.
    before_restore = None

    # Set by EventAdmin when the event was deleted after this form was opened.
    deletion = None

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        before = self.before_restore or {"status": self.instance.status, "publish_at": self.instance.publish_at}
        self.status_before = before["status"] if self.instance.pk else Status.DRAFT
        self.was_published = self.status_before == Status.PUBLISHED
        self.was_public = self.was_published and before["publish_at"] is not None and before["publish_at"] <= timezone.now()
        if self.instance.pk:
            self.fields["opened_version"].initial = self.restored_version or self.instance.version
        # Shown as an editor would type them: "2018-12" for a month, with the precision "as typed".
        self.stored_dates = {name: getattr(self.instance, name) for name in DATE_FIELDS}
        if self.instance.date:
            self.initial["date"] = edtf(self.instance.date, None, self.instance.date_precision)
            self.initial["date_precision"] = ""
        if self.instance.end_date:
            self.initial["end_date"] = edtf(self.instance.end_date, None, self.instance.date_precision)

    @cached_property
    def changed_data(self):
        """Dates count as changed when their value changes, not their spelling (“2018-12” for “2018-12-01”)."""
        changed = [name for name in super().changed_data if name not in DATE_FIELDS]
        cleaned = getattr(self, "cleaned_data", {})
        return changed + [name for name in DATE_FIELDS if name in cleaned and cleaned[name] != self.stored_dates[name]]

    def clean(self):
        cleaned = super().clean()
        self._resolve_dates(cleaned)
        self._check_version()
        action = next((name for name in WORKFLOW if name in self.data), None)
        target = WORKFLOW.get(action, self.instance.status)
        may_publish = self.user.has_perm(PUBLISH_PERMISSION)
        if (target == Status.PUBLISHED or self.was_published) and not may_publish:
            raise ValidationError("Only editors can publish, schedule or unpublish, or change a published event. Submit it for review.")
        if action == "_publish":
            cleaned["publish_at"] = timezone.now()
        elif action == "_schedule" and not (cleaned.get("publish_at") and cleaned["publish_at"] > timezone.now()):
            self.add_error("publish_at", "To schedule, choose a publish time in the future.")
        elif action == "_unpublish":
            cleaned["publish_at"] = None
        elif target == Status.PUBLISHED and not cleaned.get("publish_at"):
            cleaned["publish_at"] = self.instance.publish_at or timezone.now()
        self.instance.status = target
        self._check_correction(cleaned, target)
        if not self.errors:
            self._warn_of_duplicates(cleaned)
        return cleaned

    def _warn_of_duplicates(self, cleaned):
        """Refuse the first save of an event that looks like others, listing them; saving again saves it."""
        if self.restored_version or self.before_restore or not cleaned.get("date"):
            return
        if self.instance.pk and not {"title", "date", "date_precision", "end_date", "jurisdictions"} & set(self.changed_data):
            return
        found = likely_duplicates(
            title=cleaned.get("title", ""),
            date=cleaned["date"],
            precision=cleaned["date_precision"],
            end_date=cleaned.get("end_date"),
            jurisdiction_ids=[j.pk for j in cleaned.get("jurisdictions", [])],
            source_urls=self._source_urls(),
            exclude_pk=self.instance.pk,
        )
        ids = {str(event.pk) for event, _ in found}
        if not ids or ids <= set(cleaned.get("seen_duplicates", "").split(",")):
            return
        self.data = self.data.copy()
        self.data[self.add_prefix("seen_duplicates")] = ",".join(sorted(ids))
        listed = format_html_join(
            "",
            '<li><a href="{}" target="_blank" rel="noopener">{}</a> ({}, {}): {}</li>',
            (
                (
                    reverse("admin:timeline_event_change", args=[event.pk]),
                    event.title,
                    event.display_date,
                    event.get_status_display().lower(),
                    why,
                )
                for event, why in found
            ),
        )
        raise ValidationError(
            format_html(
                "This may be an event already entered. Nothing was saved and your changes are still in the form below. "
                "Check these (they open in a new tab):<ul>{}</ul>If yours is a different event, save again.",
                listed,
            )
        )

    def _source_urls(self):
        """The source addresses in the form being saved (the sources are an inline: read from the posted data)."""
        data, urls = self.data, []
        for key in data:
            if match := re.fullmatch(r"sources-(\d+)-url", key):
                if not data.get(f"sources-{match[1]}-DELETE"):
                    urls.append(data[key])
        return urls

    def _resolve_dates(self, cleaned):
        """The date's precision is what was typed, or a coarser one the editor chose; both dates start their period."""
        if not cleaned.get("date"):
            cleaned.pop("date_precision", None)
            cleaned.pop("end_date", None)
            return
        first, typed = cleaned["date"]
        chosen = cleaned.get("date_precision") or typed
        if _PRECISION_RANK[chosen] < _PRECISION_RANK[typed]:
            self.add_error(
                "date_precision",
                f"You typed a {typed} ({first:%Y-%m-%d} is its first day), not a {chosen}: type the full date, or choose “As typed”.",
            )
            chosen = typed
        precision = max(chosen, typed, key=_PRECISION_RANK.get)
        cleaned["date"] = period_start(first, precision)
        cleaned["date_precision"] = precision
        if cleaned.get("end_date"):
            end, end_typed = cleaned["end_date"]
            if _PRECISION_RANK[end_typed] > _PRECISION_RANK[precision]:
                self.add_error("end_date", f"The end date is known to the {end_typed} only: give the date to the {end_typed} too.")
                cleaned.pop("end_date", None)
            else:
                cleaned["end_date"] = period_start(end, precision)

    def _check_version(self):
        if self.deletion is not None:
            self._refuse_deleted()
        if not self.instance.pk:
            return
        # Lock the row (PostgreSQL) until this request's transaction ends, so
        # no other save lands between this check and the conditional UPDATE.
        current = Event.objects.select_for_update().only("version", "updated_at", "updated_by").get(pk=self.instance.pk)
        if self.cleaned_data.get("opened_version") == current.version:
            return
        who = current.updated_by.get_username() if current.updated_by_id else "someone"
        # Carry the newer version in the re-rendered form: saving again is a
        # deliberate choice to replace their edit with this one.
        self._carry_version(current.version)
        raise ValidationError(
            f"This event was changed by {who} at {format_moment(current.updated_at)} since you opened it. "
            "Nothing was saved and your changes are still in the form below. Check their edit in the history; "
            "save again only if yours should replace it."
        )

    def _refuse_deleted(self):
        if self.deletion.version is None:
            then = "It has no version in the history to recover: copy what you need into a new event."
        else:
            # The form is re-rendered as a recovery of the deleted event (see
            # EventAdmin.changeform_view): saving again brings it back, with these changes.
            self._carry_version(self.restored_version)
            then = "Save again only if it should come back, with your changes."
        raise ValidationError(
            f"This event was deleted{self.deletion.by_whom} since you opened it. "
            f"Nothing was saved and your changes are still in the form below. {then}"
        )

    def _carry_version(self, version):
        self.data = self.data.copy()
        self.data[self.add_prefix("opened_version")] = version

    def _check_correction(self, cleaned, target):
        if self.before_restore is None:
            substantive = SUBSTANTIVE_FIELDS & set(self.changed_data)
        else:
            # A revert's form starts from the old version: compare with what readers saw.
            now = substantive_values(self.instance, cleaned)
            substantive = {name for name in SUBSTANTIVE_FIELDS if now[name] != self.before_restore[name]}
        # A scheduled event nobody has read yet needs no public correction.
        if not (self.was_public and target == Status.PUBLISHED and substantive):
            return
        if not cleaned.get("correction_note") and not cleaned.get("minor_edit"):
            changed = ", ".join(sorted(self.fields[name].label.lower() for name in substantive))
            self.add_error(
                "correction_note",
                f"Readers have seen this event and you changed its {changed}. Write a correction note, or tick “minor edit”.",
            )


class DeferredJoinPaginator(Paginator):
    """OFFSET over the ids alone, then the page's rows by id; pages past the middle counted from the end.

    The ids come from an index-only scan of the (date, id) index, so the last
    page of 100,000 events costs about what the first does; a plain OFFSET
    read every skipped row from the table (450 ms at 100,000 events). Still,
    the last page's OFFSET walked a million index entries (95-174 ms): read in
    the opposite order, the last page is the first.

    The whole table is not counted (45-76 ms at 1,000,000 events): above
    EXACT_COUNT_BELOW rows, PostgreSQL's planner estimate is shown, as "about".
    The last page then still shows the oldest events, read from the end.
    """

    EXACT_COUNT_BELOW = 100_000

    estimated = False

    @cached_property
    def count(self):
        query = self.object_list.query
        if connection.vendor == "postgresql" and not query.where and not query.combinator:
            plan = json.loads(self.object_list.model._default_manager.order_by().explain(format="json"))
            estimate = int(plan[0]["Plan"]["Plan Rows"])
            if estimate >= self.EXACT_COUNT_BELOW:
                self.estimated = True
                return estimate
        return super().count

    def page(self, number):
        number = self.validate_number(number)
        bottom = (number - 1) * self.per_page
        top = bottom + self.per_page
        if top + self.orphans >= self.count:
            top = self.count
        ids = self.object_list.prefetch_related(None).values_list("pk", flat=True)
        if bottom > self.count // 2:
            ids = ids.reverse()[max(self.count - top, 0) : self.count - bottom]
        else:
            ids = ids[bottom:top]
        return self._get_page(self.object_list.filter(pk__in=list(ids)), number, self)


class EventAdminQuerySet(EventQuerySet):
    """The admin's events: the date hierarchy's years found in the (sort_date, id) index.

    The changelist's date hierarchy asks for the distinct years of every event:
    a scan of the table (233-258 ms at 1,000,000 events). Its years are read
    instead as the first and last dates (two index probes), then in one query,
    whether each year between has an event (an index probe each).
    """

    # Beyond this many years between the first and the last event, one probe per year found instead.
    MOST_YEARS_AT_ONCE = 100

    def dates(self, field_name, kind, order="ASC"):
        if field_name != "sort_date" or kind != "year":
            return super().dates(field_name, kind, order)
        events = self.prefetch_related(None).order_by()
        bounds = events.aggregate(first=Min("sort_date"), last=Max("sort_date"))
        if bounds["first"] is None:
            return []
        span = range(bounds["first"].year, bounds["last"].year + 1)
        if len(span) > self.MOST_YEARS_AT_ONCE:
            years = self._years_one_by_one(events)
        else:
            probes = {
                f"in_{year}": Exists(events.filter(sort_date__gte=date(year, 1, 1), sort_date__lt=date(year + 1, 1, 1))) for year in span
            }
            found = events.annotate(**probes).values(*probes)[0]
            years = [date(year, 1, 1) for year in span if found[f"in_{year}"]]
        return years if order == "ASC" else years[::-1]

    @staticmethod
    def _years_one_by_one(events):
        column = events.order_by("sort_date").values_list("sort_date", flat=True)
        years, first = [], column.first()
        while first is not None:
            years.append(date(first.year, 1, 1))
            first = column.filter(sort_date__gte=date(first.year + 1, 1, 1)).first()
        return years


class UsedValuesListFilter(admin.RelatedFieldListFilter):
    """The values some event uses, like RelatedOnlyFieldListFilter, found with EXISTS on
    the link table instead of a DISTINCT over every event (100 ms a page at 100,000 events)."""

    def field_choices(self, field, request, model_admin):
        through = field.remote_field.through
        used = through.objects.filter(**{field.m2m_reverse_field_name(): OuterRef("pk")})
        choices = field.related_model._default_manager.filter(Exists(used))
        ordering = self.field_admin_ordering(field, request, model_admin)
        if ordering:
            choices = choices.order_by(*ordering)
        return [(obj.pk, str(obj)) for obj in choices]


@admin.register(Event)
class EventAdmin(EventImportMixin, VersionAdmin):
    form = EventAdminForm
    change_form_template = "admin/timeline/event/change_form.html"
    delete_confirmation_template = "admin/timeline/event/delete_confirmation.html"
    object_history_template = "admin/timeline/event/object_history.html"
    list_display = ["display_date", "title", "event_type", "stage", "status", "jurisdiction_codes"]
    list_display_links = ["title"]
    list_filter = [
        "status",
        "event_type",
        "stage",
        ("jurisdictions", UsedValuesListFilter),
        ("topics", UsedValuesListFilter),
    ]
    paginator = DeferredJoinPaginator
    # The changelist's second COUNT(*) (of all events, for "N total"): 5-10 ms at 100,000 events.
    show_full_result_count = False
    list_select_related = ["event_type"]
    # Searched by get_search_results, which the admin's search box calls.
    search_fields = ["title", "summary", "actors__name", "sources__title", "sources__publisher"]
    search_help_text = "Words of the title or summary, an actor's name, or a source's title or publisher."
    # The place in the timeline (the day a month-dated event sits on): always in the
    # date's year and month, and indexed, which `date` is not (see EventAdminQuerySet).
    date_hierarchy = "sort_date"
    autocomplete_fields = ["event_type", "measure", "jurisdictions", "topics"]
    prepopulated_fields = {"slug": ["title"]}
    inlines = [EventActorInline, SourceInline, CorrectionInline]
    actions = ["publish_selected", "unpublish_selected", "bulk_edit", "export_csv"]
    readonly_fields = ["status", "created_at", "created_by", "updated_at", "updated_by"]
    history_latest_first = True
    # In the order an editor tells it: what happened, when, where; then who and the
    # sources (the inlines); then how it is classified and published. Fieldsets of
    # class "after-inlines" come after the inlines (see change_form.html).
    fieldsets = [
        ("What happened", {"fields": ["opened_version", "seen_duplicates", "title", "summary", "event_type", "body"]}),
        ("When", {"fields": [("date", "date_precision"), "end_date", "placed_on"]}),
        ("Where", {"fields": ["jurisdictions"]}),
        ("Classification", {"fields": [("measure", "stage"), "topics"], "classes": ["after-inlines"]}),
        (
            "Publishing",
            {
                "fields": [("status", "publish_at"), "slug", ("created_at", "created_by"), ("updated_at", "updated_by")],
                "classes": ["after-inlines"],
            },
        ),
        (
            "Correction",
            {
                "fields": ["correction_note", "minor_edit"],
                "description": "Only for changes to an event readers have already seen.",
                "classes": ["after-inlines"],
            },
        ),
    ]

    def get_queryset(self, request):
        events = EventAdminQuerySet(Event)
        return events.prefetch_related(Prefetch("jurisdictions", queryset=Jurisdiction.objects.order_by("country")))

    def get_search_results(self, request, queryset, search_term):
        """The admin's search (each word in any of search_fields), without joins.

        Django joins actors and sources and then needs DISTINCT over every
        column for the count, the page, the date hierarchy and its bounds:
        3-4 s at 100,000 events on PostgreSQL. The related fields are asked
        as "id in (events whose actor or source matches)" instead, so rows
        never repeat and no DISTINCT is needed.
        """
        for word in search_term.split():
            actors = EventActor.objects.filter(actor__name__icontains=word).values("event_id")
            sources = Source.objects.filter(Q(title__icontains=word) | Q(publisher__icontains=word)).values("event_id")
            queryset = queryset.filter(Q(title__icontains=word) | Q(summary__icontains=word) | Q(pk__in=actors) | Q(pk__in=sources))
        return queryset, False

    def get_changeform_initial_data(self, request):
        initial = super().get_changeform_initial_data(request)
        if step := next_step_of(request):
            initial.update(step.initial)
        return initial

    def get_formset_kwargs(self, request, obj, inline, prefix):
        kwargs = super().get_formset_kwargs(request, obj, inline, prefix)
        step = next_step_of(request)
        # Only on the blank form: posted rows equal to their initial value would count as unchanged and not be saved.
        if step and request.method == "GET" and isinstance(inline, EventActorInline):
            kwargs["initial"] = step.actor_roles
        return kwargs

    def construct_change_message(self, request, form, formsets, add=False):
        return describe_changes(form, formsets, add)

    def get_form(self, request, obj=None, **kwargs):
        form = super().get_form(request, obj, **kwargs)
        form.user = request.user
        form.restored_version = getattr(request, "restored_version", None)
        form.before_restore = getattr(request, "before_restore", None)
        form.deletion = getattr(request, "deletion", None)
        return form

    def get_inlines(self, request, obj):
        # Corrections are for events readers have seen, and for editors.
        if obj is None or not request.user.has_perm("timeline.add_correction"):
            return [EventActorInline, SourceInline]
        return self.inlines

    def get_fieldsets(self, request, obj=None):
        if obj is not None and obj.status == Status.PUBLISHED:
            return self.fieldsets
        return self.fieldsets[:-1]

    def has_change_permission(self, request, obj=None):
        if obj is not None and obj.status == Status.PUBLISHED and not request.user.has_perm(PUBLISH_PERMISSION):
            return False
        return super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        if obj is not None and obj.status == Status.PUBLISHED and not request.user.has_perm(PUBLISH_PERMISSION):
            return False
        return super().has_delete_permission(request, obj)

    def get_actions(self, request):
        actions = super().get_actions(request)
        if not request.user.has_perm(PUBLISH_PERMISSION):
            # Bulk deletion could take published events with it.
            actions.pop("delete_selected", None)
        return actions

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        context["can_publish"] = request.user.has_perm(PUBLISH_PERMISSION)
        # The form's status before this request: a refused "Publish now" must
        # not leave the buttons of a published event on a draft.
        context["event_status"] = context["adminform"].form.status_before
        context["next_step"] = next_step_of(request) if add else None
        if deletion := getattr(request, "deletion", None):
            context["deletion"] = deletion
            if deletion.version is not None:
                form_url = reverse("admin:timeline_event_recover", args=[deletion.version.pk])
        return super().render_change_form(request, context, add, change, form_url, obj)

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        if request.method == "POST" and object_id is not None and self.get_object(request, unquote(object_id)) is None:
            if deletion := deletion_of(unquote(object_id)):
                # Someone deleted the event while this form was open: refuse the
                # save with the form as it was sent, instead of the admin's
                # "doesn't exist" redirect, which drops what the editor typed.
                request.deletion = deletion
                if deletion.version is not None:
                    # Rendered as a recovery, so the form's inlines find their rows.
                    return self.recover_view(request, deletion.version.pk, extra_context)
                return super().changeform_view(request, None, form_url, extra_context)
        try:
            return super().changeform_view(request, object_id, form_url, extra_context)
        except EditConflict as conflict:
            # Another save landed between this form's check and its write (a
            # race the row lock closes on PostgreSQL). Nothing was written.
            self.message_user(request, f"{conflict} Nothing was saved; open it again to see their edit.", messages.ERROR)
            return redirect(request.path)

    def delete_view(self, request, object_id, extra_context=None):
        """The deletion confirmation carries the version it showed; confirming it
        after someone saved a newer one deletes nothing and says who did."""
        with transaction.atomic():
            event = self.get_object(request, unquote(object_id))
            if event is not None:
                # Locked (PostgreSQL; SQLite's immediate transaction holds the whole
                # database) until the deletion commits: no save lands in between.
                current = Event.objects.select_for_update().only("version", "updated_at", "updated_by").get(pk=event.pk)
                confirmed = request.POST.get("opened_version")
                if request.method == "POST" and confirmed != str(current.version) and self.has_delete_permission(request, event):
                    self.message_user(request, self._stale_deletion_message(request, current), messages.ERROR)
                    return redirect(request.path)
                extra_context = {**(extra_context or {}), "opened_version": current.version}
            return super().delete_view(request, object_id, extra_context)

    @staticmethod
    def _stale_deletion_message(request, event):
        if "opened_version" not in request.POST:
            return "Nothing was deleted: confirm the deletion on this page, which shows the event as it is now."
        who = event.updated_by.get_username() if event.updated_by_id else "someone"
        return (
            f"This event was changed by {who} at {format_moment(event.updated_at)} since you opened this page. "
            "Nothing was deleted. Check their edit; delete it again only if it should go."
        )

    # The notation editors type dates in (2018-12, 2017/2019-03), as everywhere in the admin.
    @admin.display(description="Date", ordering="sort_date")
    def display_date(self, event):
        return edtf(event.date, event.end_date, event.date_precision)

    @admin.display(description="Jurisdictions")
    def jurisdiction_codes(self, event):
        return ", ".join(j.code for j in event.jurisdictions.all())

    def save_model(self, request, obj, form, change):
        if not change:
            obj.created_by = request.user
        obj.updated_by = request.user
        obj.save(expected_version=form.cleaned_data.get("opened_version") if change else None)
        action = next((name for name in WORKFLOW if name in request.POST), None)
        if action == "_schedule":
            request.workflow_step = f"Scheduled for {format_date(timezone.localtime(obj.publish_at), 'j M Y H:i T')}"
        elif action:
            request.workflow_step = {"_submit_review": "Submitted for review", "_publish": "Published", "_unpublish": "Unpublished"}[action]
        request.workflow_event = obj.title
        request.saved_as = self._saved_as(obj)
        if note := form.cleaned_data.get("correction_note"):
            Correction.objects.create(event=obj, note=note)

    def log_addition(self, request, obj, message):
        entry = super().log_addition(request, obj, message)
        self._name_workflow_step(request, entry)
        return entry

    def log_change(self, request, obj, message):
        entry = super().log_change(request, obj, message)
        self._name_workflow_step(request, entry)
        return entry

    @staticmethod
    def _saved_as(event):
        """What a plain save did, as the editor's message says it (the history line says what changed)."""
        if event.status == Status.DRAFT:
            return "Saved as a draft"
        if event.status == Status.REVIEW:
            return "Saved; it waits for review"
        if event.is_public:
            return "Saved; readers see it"
        return f"Saved; it is scheduled for {format_date(timezone.localtime(event.publish_at), 'j M Y H:i T')}"

    def message_user(self, request, message, level=messages.INFO, *args, **kwargs):
        # The admin says a published event "was changed successfully": say what happened instead.
        step = getattr(request, "workflow_step", None) or getattr(request, "saved_as", None)
        if step and level == messages.SUCCESS:
            message = format_html("{}: “{}”.", step, request.workflow_event)
            request.workflow_step = request.saved_as = None
        super().message_user(request, message, level, *args, **kwargs)

    def _name_workflow_step(self, request, entry):
        # django-reversion comments a revision with the admin's change message
        # ("Changed title."); a workflow step leads it: "Published. Changed title."
        if step := getattr(request, "workflow_step", None):
            reversion.set_comment(f"{step}. {entry.get_change_message()}".strip())

    def get_urls(self):
        compare = path(
            "<path:object_id>/history/<int:version_id>/compare/",
            self.admin_site.admin_view(self.compare_view),
            name="timeline_event_compare",
        )
        return [compare, *super().get_urls()]

    def compare_view(self, request, object_id, version_id):
        """An earlier revision beside the event as it is now, field by field."""
        event = self.get_object(request, unquote(object_id))
        if event is None:
            raise Http404("No such event.")
        if not self.has_view_or_change_permission(request, event):
            raise PermissionDenied
        version = get_object_or_404(Version.objects.get_for_object(event), pk=version_id)
        then, now = revision_snapshot(version.revision, event.pk), current_snapshot(event)
        rows = [(label, then.get(label, ""), now[label], then.get(label, "") != now[label]) for label in now]
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "original": event,
            "version": version,
            "rows": rows,
            "title": f"Compare with the version of {format_moment(version.revision.date_created)}",
        }
        return TemplateResponse(request, "admin/timeline/event/compare.html", context)

    def revision_view(self, request, object_id, version_id, extra_context=None):
        # django-reversion writes the old version before the form sees the
        # event: judge permissions and corrections on the event as it is now.
        event = self.get_object(request, unquote(object_id))
        if event is None:
            raise Http404("No such event.")
        if event.status == Status.PUBLISHED and not request.user.has_perm(PUBLISH_PERMISSION):
            raise PermissionDenied
        request.before_restore = substantive_values(event)
        request.restored_version = event.version + 1
        return super().revision_view(request, object_id, version_id, extra_context)

    def recover_view(self, request, version_id, extra_context=None):
        version = Version.objects.get_deleted(Event).filter(pk=version_id).first()
        if version is None and request.method == "POST":
            # Someone recovered it first: these changes meet the event as it is now.
            version = get_object_or_404(Version.objects.get_for_model(Event), pk=version_id)
            return self.changeform_view(request, version.object_id, extra_context=extra_context)
        if version is None:
            raise Http404("No such deleted event.")
        if version.field_dict["status"] == Status.PUBLISHED and not request.user.has_perm(PUBLISH_PERMISSION):
            raise PermissionDenied
        request.restored_version = 1
        return super().recover_view(request, version_id, extra_context)

    def _workflow_action(self, request, queryset, change, comment):
        done, refused = 0, []
        with reversion.create_revision():
            reversion.set_user(request.user)
            reversion.set_comment(comment)
            for event in queryset:
                try:
                    change(event)
                except ValidationError as error:
                    refused.extend(error.messages)
                else:
                    done += 1
        return done, refused

    @admin.action(description="Publish selected events now", permissions=["publish"])
    def publish_selected(self, request, queryset):
        done, refused = self._workflow_action(
            request, queryset.exclude(status=Status.PUBLISHED), lambda e: e.publish(when=timezone.now(), user=request.user), "Published"
        )
        if done:
            self.message_user(request, f"Published {done} event{pluralize(done)}.", messages.SUCCESS)
        for message in refused:
            self.message_user(request, message, messages.ERROR)

    @admin.action(description="Unpublish selected events", permissions=["publish"])
    def unpublish_selected(self, request, queryset):
        done, _ = self._workflow_action(
            request, queryset.filter(status=Status.PUBLISHED), lambda e: e.unpublish(user=request.user), "Unpublished"
        )
        self.message_user(
            request,
            f"Unpublished {done} event{pluralize(done)}; {'it is a draft' if done == 1 else 'they are drafts'} again.",
            messages.SUCCESS,
        )

    @admin.action(description="Add or remove a topic, country or actor; set the measure…")
    def bulk_edit(self, request, queryset):
        """Asks for the change on a page of its own, then applies it to each selected event (see bulk.py)."""
        count = queryset.count()
        if count > bulk.MOST_EVENTS:
            self.message_user(
                request, f"Select at most {bulk.MOST_EVENTS:,} events to edit together ({count:,} are selected).", messages.ERROR
            )
            return None
        events = list(queryset.select_related(None).prefetch_related(None).only("id", "title", "status", "publish_at"))
        form = bulk.BulkEditForm(request.POST if "apply" in request.POST else None)
        if form.is_bound and form.is_valid():
            if public := bulk.needs_correction(form, events):
                form.add_error(
                    "correction_note",
                    f"Readers have seen {len(public)} of these events and this changes what they were told. "
                    "Write a correction note, or tick “minor edit”.",
                )
            else:
                result = bulk.apply_bulk_edit(form, events, request.user)
                self._report_bulk_edit(request, form, result)
                return None
        context = {
            **self.admin_site.each_context(request),
            "title": f"Edit {count} selected event{pluralize(count)}",
            "opts": self.opts,
            "form": form,
            "media": self.media + form.media,
            "events": events,
            "published_refused": sum(e.status == Status.PUBLISHED for e in events) if not request.user.has_perm(PUBLISH_PERMISSION) else 0,
            "action_checkbox_name": ACTION_CHECKBOX_NAME,
        }
        return TemplateResponse(request, "admin/timeline/event/bulk_edit.html", context)

    def changelist_view(self, request, extra_context=None):
        if request.method == "POST" and "bulk_edit" in request.POST.getlist("action"):
            # VersionAdmin runs the changelist in one revision, which would hold every event
            # of a bulk edit: run it outside, so that each event gets a revision of its own.
            context = {"has_change_permission": self.has_change_permission(request), **(extra_context or {})}
            return admin.ModelAdmin.changelist_view(self, request, context)
        return super().changelist_view(request, extra_context)

    def _report_bulk_edit(self, request, form, result):
        what = form.describe()
        if result.changed:
            self.message_user(
                request, f"{what[0].upper()}{what[1:]}: {len(result.changed)} event{pluralize(len(result.changed))}.", messages.SUCCESS
            )
        if result.unchanged:
            n = len(result.unchanged)
            self.message_user(
                request, f"Nothing to change on {n} event{pluralize(n)}: left as {pluralize(n, 'it was,they were')}.", messages.INFO
            )
        if result.refused:
            n = len(result.refused)
            self.message_user(
                request, f"{n} published event{pluralize(n)} left unchanged: only editors change published events.", messages.WARNING
            )

    @admin.action(description="Export selected events as CSV")
    def export_csv(self, request, queryset):
        return export.csv_response(queryset, request.build_absolute_uri("/").rstrip("/"), editorial=True)

    def has_publish_permission(self, request):
        return request.user.has_perm(PUBLISH_PERMISSION)


@admin.register(Release)
class ReleaseAdmin(admin.ModelAdmin):
    """Releases are cut here (the add view) or by `manage.py cut_release`; once cut, never changed nor deleted:
    their addresses are cited."""

    list_display = ["number", "cut_at", "event_count", "changes", "codebook_version", "cut_by", "public_page"]
    list_select_related = ["cut_by"]
    change_list_template = "admin/timeline/release/change_list.html"

    @admin.display(description="Since the one before")
    def changes(self, release):
        if not release.has_changelog:
            return "First release"
        return f"{release.added} added, {release.changed} changed, {release.corrected} corrected, {release.withdrawn} withdrawn"

    @admin.display(description="Public page")
    def public_page(self, release):
        return format_html('<a href="{}">{}</a>', release.get_absolute_url(), release.get_absolute_url())

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def add_view(self, request, form_url="", extra_context=None):
        """The editor's button: a confirmation page, then the cut (POST), which can take a minute at a million events."""
        if not self.has_add_permission(request):
            raise PermissionDenied
        if request.method == "POST":
            try:
                release = cut_release(request.build_absolute_uri("/").rstrip("/"), user=request.user)
            except ReleaseBusy as busy:
                self.message_user(request, str(busy), messages.ERROR)
            else:
                self.message_user(
                    request,
                    format_html(
                        "Release {} is out: {} events, in {} s. <a href='{}'>Its public page</a>.",
                        release.number,
                        release.event_count,
                        f"{release.build_seconds:.1f}",
                        release.get_absolute_url(),
                    ),
                    messages.SUCCESS,
                )
            return redirect("admin:timeline_release_changelist")
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": "Cut a release",
            "latest": Release.objects.order_by("-number").first(),
            "public_events": Event.objects.public().count(),
        }
        return TemplateResponse(request, "admin/timeline/release/cut.html", context)
