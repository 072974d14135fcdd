from django import forms
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Prefetch
from django.utils import timezone
from django_countries import countries

from . import export
from .models import Actor, Correction, Event, EventActor, EventType, Jurisdiction, Measure, Source, Status, Topic

PUBLISH_PERMISSION = "timeline.publish_event"


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


class EventActorInline(admin.TabularInline):
    model = EventActor
    autocomplete_fields = ["actor"]
    extra = 1
    verbose_name = "actor"
    verbose_name_plural = "Actors and their roles"


class SourceInlineFormSet(forms.BaseInlineFormSet):
    def clean(self):
        super().clean()
        if self.instance.status != Status.PUBLISHED:
            return
        kept = [form for form in self.forms if form.cleaned_data and not form.cleaned_data.get("DELETE")]
        if not kept:
            raise ValidationError("A published event needs at least one source. Add one, or save it as a draft.")


class SourceInline(admin.StackedInline):
    model = Source
    formset = SourceInlineFormSet
    extra = 1
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}
    fields = [("title", "publisher"), ("url", "published_on"), "quote"]


class CorrectionInline(admin.StackedInline):
    model = Correction
    extra = 0
    fields = ["corrected_on", "note"]


class EventAdminForm(forms.ModelForm):
    class Meta:
        model = Event
        fields = [
            "title", "slug", "summary", "body", "date", "date_precision", "end_date",
            "event_type", "measure", "stage", "jurisdictions", "topics", "status", "publish_at",
        ]  # fmt: skip

    def clean(self):
        cleaned = super().clean()
        status = cleaned.get("status")
        was_published = self.instance.pk is not None and self.initial.get("status") == Status.PUBLISHED
        if (status == Status.PUBLISHED) != was_published and not self.user.has_perm(PUBLISH_PERMISSION):
            self.add_error("status", "You may not publish or unpublish events; submit the event for review instead.")
        if status == Status.PUBLISHED and not cleaned.get("publish_at"):
            cleaned["publish_at"] = timezone.now()
        return cleaned


@admin.register(Event)
class EventAdmin(admin.ModelAdmin):
    form = EventAdminForm
    list_display = ["display_date", "title", "event_type", "stage", "status", "jurisdiction_codes"]
    list_display_links = ["title"]
    list_filter = ["status", "event_type", "stage", "jurisdictions", "topics"]
    list_select_related = ["event_type"]
    search_fields = ["title", "summary", "actors__name", "sources__title", "sources__publisher"]
    date_hierarchy = "date"
    autocomplete_fields = ["event_type", "measure", "jurisdictions", "topics"]
    prepopulated_fields = {"slug": ["title"]}
    inlines = [EventActorInline, SourceInline, CorrectionInline]
    actions = ["publish_selected", "unpublish_selected", "export_csv"]
    readonly_fields = ["created_at", "created_by", "updated_at", "updated_by"]
    fieldsets = [
        (None, {"fields": ["title", "slug", "summary", "body"]}),
        ("When", {"fields": [("date", "date_precision"), "end_date"]}),
        ("What and where", {"fields": ["event_type", ("measure", "stage"), "jurisdictions", "topics"]}),
        ("Publishing", {"fields": [("status", "publish_at"), ("created_at", "created_by"), ("updated_at", "updated_by")]}),
    ]

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related(Prefetch("jurisdictions", queryset=Jurisdiction.objects.order_by("country")))

    def get_form(self, request, obj=None, **kwargs):
        form = super().get_form(request, obj, **kwargs)
        form.user = request.user
        return form

    @admin.display(description="Date", ordering="date")
    def display_date(self, event):
        return event.display_date

    @admin.display(description="Jurisdictions")
    def jurisdiction_codes(self, event):
        return ", ".join(j.code for j in event.jurisdictions.all())

    def save_model(self, request, obj, form, change):
        if not change:
            obj.created_by = request.user
        obj.updated_by = request.user
        super().save_model(request, obj, form, change)

    @admin.action(description="Publish selected events", permissions=["publish"])
    def publish_selected(self, request, queryset):
        published, refused = 0, []
        for event in queryset.exclude(status=Status.PUBLISHED):
            try:
                event.publish(user=request.user)
            except ValidationError as error:
                refused.extend(error.messages)
            else:
                published += 1
        if published:
            self.message_user(request, f"Published {published} event(s).", messages.SUCCESS)
        for message in refused:
            self.message_user(request, message, messages.ERROR)

    @admin.action(description="Unpublish selected events", permissions=["publish"])
    def unpublish_selected(self, request, queryset):
        count = 0
        for event in queryset.filter(status=Status.PUBLISHED):
            event.unpublish(user=request.user)
            count += 1
        self.message_user(request, f"Unpublished {count} event(s); they are drafts again.", messages.SUCCESS)

    @admin.action(description="Export selected events as CSV")
    def export_csv(self, request, queryset):
        return export.csv_response(queryset, request.build_absolute_uri("/").rstrip("/"), editorial=True)

    def has_publish_permission(self, request):
        return request.user.has_perm(PUBLISH_PERMISSION)
