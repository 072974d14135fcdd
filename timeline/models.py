"""The timeline's domain: events, what they are about, and where they come from."""

import re

import reversion
from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.contrib.postgres.search import SearchVector, SearchVectorField
from django.core.exceptions import ValidationError
from django.db import connection, models
from django.db.models import Case, F, Q, When
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from django_countries.fields import CountryField

from .dates import DatePrecision, format_span, period_end, period_start
from .search import fold


class Stage(models.TextChoices):
    """Where a measure stands after an event; blank when the event is not a step of one."""

    CONSIDERED = "considered", _("Under consideration")
    ANNOUNCED = "announced", _("Announced")
    IN_EFFECT = "in_effect", _("In effect")
    LIFTED = "lifted", _("Lifted or reversed")


STAGE_DEFINITIONS = {
    Stage.CONSIDERED: _("A government, regulator or company is reviewing or debating the measure; nothing is decided."),
    Stage.ANNOUNCED: _("The measure has been decided or announced but does not yet apply."),
    Stage.IN_EFFECT: _("The measure applies: a law in force, an order issued, equipment being removed."),
    Stage.LIFTED: _("The measure was withdrawn, struck down, relaxed or reversed."),
}

# A stage inside a sentence (“Bans in effect”, “Germany: in effect since…”):
# lowercasing the label would be wrong in German, whose nouns keep their capital.
STAGE_IN_TEXT = {
    Stage.CONSIDERED: pgettext_lazy("stage in a sentence", "under consideration"),
    Stage.ANNOUNCED: pgettext_lazy("stage in a sentence", "announced"),
    Stage.IN_EFFECT: pgettext_lazy("stage in a sentence", "in effect"),
    Stage.LIFTED: pgettext_lazy("stage in a sentence", "lifted or reversed"),
}


class Status(models.TextChoices):
    DRAFT = "draft", "Draft"
    REVIEW = "review", "In review"
    PUBLISHED = "published", "Published"


class ActorKind(models.TextChoices):
    GOVERNMENT = "government", "Government"
    AGENCY = "agency", "Agency or regulator"
    LEGISLATURE = "legislature", "Legislature"
    COURT = "court", "Court"
    COMPANY = "company", "Company"
    OPERATOR = "operator", "Network operator"
    PERSON = "person", "Person"
    ORGANISATION = "organisation", "International organisation"


class Role(models.TextChoices):
    INITIATOR = "initiator", _("Initiator")
    TARGET = "target", _("Target")
    INVOLVED = "involved", _("Involved")


# A role after an actor's name: “Huawei (target)”.
ROLE_IN_TEXT = {
    Role.INITIATOR: pgettext_lazy("role after a name", "initiator"),
    Role.TARGET: pgettext_lazy("role after a name", "target"),
    Role.INVOLVED: pgettext_lazy("role after a name", "involved"),
}


class EventType(models.Model):
    name = models.CharField(max_length=80, unique=True, help_text="Singular, as a reader would say it: “Arrest”, “Ban or restriction”.")
    slug = models.SlugField(max_length=80, unique=True, help_text="Used in filter URLs; lowercase words joined by hyphens.")
    definition = models.TextField(blank=True, help_text="What counts as this type; shown in the public codebook.")

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name


class Jurisdiction(models.Model):
    """A country or bloc an event happens in or applies to."""

    country = CountryField(unique=True, help_text="Pick from the ISO 3166 list; “European Union” for EU-level events.")

    class Meta:
        ordering = ["country"]

    def __str__(self):
        return self.country.name

    @property
    def name(self):
        return self.country.name

    @property
    def code(self):
        return self.country.code


class Actor(models.Model):
    name = models.CharField(
        max_length=200,
        unique=True,
        help_text="Full name as it is usually reported: “Deutsche Telekom”, “Czech cyber security agency (NÚKIB)”.",
    )
    slug = models.SlugField(max_length=200, unique=True, help_text="Used in filter URLs.")
    kind = models.CharField(max_length=20, choices=ActorKind.choices, help_text="What sort of actor this is.")
    country = CountryField(blank=True, help_text="Where the actor is based; leave empty for international bodies.")

    class Meta:
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(condition=Q(kind__in=ActorKind.values), name="actor_kind_valid"),
        ]

    def __str__(self):
        return self.name


class Topic(models.Model):
    name = models.CharField(max_length=80, unique=True, help_text="A short tag: “5G”, “core network”, “handsets”.")
    slug = models.SlugField(max_length=80, unique=True, help_text="Used in filter URLs.")

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name


class Measure(models.Model):
    """One policy measure followed through its life across several events."""

    title = models.CharField(max_length=200, help_text="Name the measure, not an event: “UK limits on Huawei in 5G networks”.")
    slug = models.SlugField(max_length=200, unique=True, help_text="The measure's permanent address.")
    description = models.TextField(blank=True, help_text="One or two sentences on what the measure covers.")

    class Meta:
        ordering = ["title"]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("timeline:measure", args=[self.slug])


class EditConflict(Exception):
    """The event changed since the form being saved was opened."""

    def __init__(self, event):
        super().__init__(f"“{event}” was changed by someone else since it was opened.")
        self.event = event


# What a timeline page reads of its events besides its place (sort_date, id),
# what public() tests and what the period filters test: the covering indexes
# of Event carry them (PostgreSQL).
PAGE_COLUMNS = ["version", "date_precision", "status", "publish_at", "date", "covers_until"]


# The one rule of what readers see: a published event, from its publish time on.
# Stated here three ways, side by side, for the three places it is asked:
PUBLISHED = Q(status=Status.PUBLISHED)


def visible_from(status, publish_at):
    """When an event with this status and publish time becomes public, or None if it does not (is_public)."""
    return publish_at if status == Status.PUBLISHED else None


# The same, per row, in the database: the facet index reads it for every event (timeline/facet_index.py).
VISIBLE_FROM = Case(When(PUBLISHED, then=F("publish_at")))


class EventQuerySet(models.QuerySet):
    def public(self):
        """The one door for readers (see visible_from), as a filter the status and publish time indexes serve."""
        return self.filter(PUBLISHED, publish_at__lte=timezone.now())

    def refresh_search_vectors(self):
        """Recompute the stored full-text vectors (PostgreSQL only; SQLite searches the text itself)."""
        if connection.vendor != "postgresql":
            return
        config = settings.SEARCH_CONFIG
        self.update(
            search_vector=SearchVector("title", weight="A", config=config)
            + SearchVector("summary", weight="B", config=config)
            + SearchVector("body", weight="C", config=config)
        )

    def for_cards(self):
        """What a timeline page reads of its events: where each stands (place, heading, cursor)
        and which version its cached card is (cards.attach_cards reads the rest for cards it
        renders). Four columns: a page is mostly served from cached cards, and reading and
        converting the other twenty cost more than the query."""
        return self.only("id", "sort_date", "version", "date_precision")

    def with_relations(self):
        """Everything a card, a page or an export row shows, in a fixed number of queries."""
        return self.select_related("event_type", "measure").prefetch_related(
            "jurisdictions",
            "topics",
            models.Prefetch("event_actors", queryset=EventActor.objects.select_related("actor")),
            "sources",
            "corrections",
        )


class Event(models.Model):
    title = models.CharField(
        max_length=200, help_text="What happened, in a sentence-case headline: “Czech cyber agency warns against Huawei and ZTE”."
    )
    slug = models.SlugField(max_length=200, unique=True, help_text="The event's permanent address; filled from the title.")
    summary = models.TextField(help_text="Two or three plain sentences for the timeline card: who did what, and why it matters.")
    body = models.TextField(blank=True, help_text="Optional longer account in Markdown (links, lists, emphasis); raw HTML is not allowed.")
    date = models.DateField(
        help_text="When it happened, as precisely as it is known: 2018-12-17, 2018-12 (or Dec 2018) or 2018. "
        "A month or a year is stored as its first day."
    )
    date_precision = models.CharField(
        max_length=5,
        choices=DatePrecision.choices,
        default=DatePrecision.DAY,
        help_text="How exactly the date is known; the timeline shows “1 Dec 2018”, “Dec 2018” or “2018”.",
    )
    end_date = models.DateField(
        null=True, blank=True, help_text="For a span (an investigation, a consultation): when it ended. Same precision as the date."
    )
    placed_on = models.DateField(
        null=True,
        blank=True,
        help_text="Only for a date known to the month or year, when you know where it falls among that period's dated events "
        "(say, the day after the warning it followed): the day to place it on. Empty: after the period's dated events.",
    )
    # Derived from the fields above on every save (see place()): where the
    # event stands in the timeline's order, and the last day it covers, which
    # the period filters compare (an event matches a period its days overlap).
    sort_date = models.DateField(editable=False)
    covers_until = models.DateField(editable=False)
    event_type = models.ForeignKey(
        EventType, on_delete=models.PROTECT, related_name="events", help_text="What kind of development this is."
    )
    stage = models.CharField(
        max_length=12,
        choices=Stage.choices,
        blank=True,
        help_text="The stage the measure reached with this event; leave empty when it is not a step of a measure.",
    )
    measure = models.ForeignKey(
        Measure,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="events",
        help_text="The policy measure this event is a step of, if any.",
    )
    jurisdictions = models.ManyToManyField(
        Jurisdiction, related_name="events", blank=True, help_text="Countries or blocs where it happened or that it applies to."
    )
    topics = models.ManyToManyField(Topic, related_name="events", blank=True, help_text="Tags readers filter by.")
    actors = models.ManyToManyField(Actor, through="EventActor", related_name="events", blank=True)

    status = models.CharField(max_length=10, choices=Status.choices, default=Status.DRAFT, help_text="Only published events reach readers.")
    publish_at = models.DateTimeField(
        null=True, blank=True, help_text="When a published event becomes public. Empty until it is published."
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", editable=False
    )
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", editable=False
    )

    # PostgreSQL full-text search reads a stored vector (kept current on save)
    # because a GIN index on a to_tsvector() expression still recomputes
    # vectors on date-ordered pages. Unused on SQLite.
    search_vector = SearchVectorField(null=True, editable=False)
    # SQLite has no text search: it compares the title, summary and body
    # folded (lower case, accents removed; see search.py). Empty on PostgreSQL.
    search_text = models.TextField(default="", editable=False)

    # Bumped on every save; an admin form carries the version it was opened
    # at, and saving it over a newer version is refused (see save()).
    version = models.PositiveIntegerField(default=1, editable=False)

    objects = EventQuerySet.as_manager()

    class Meta:
        ordering = ["-sort_date", "-id"]
        indexes = [
            # Timeline pages walk this index in order. On PostgreSQL it carries
            # what a page reads (EventQuerySet.for_cards) and what public()
            # tests, so a walk that skips events (a country, an actor) reads
            # the index alone, not each event's row.
            models.Index(fields=["sort_date", "id"], include=PAGE_COLUMNS, name="event_sort_date_id_covering"),
            # No index leads with status: nine events in ten are published, and
            # SQLite's planner took one for every public() query, sorting all
            # 90,000 public events instead of reading the (date, id) index
            # ("load more" 480 ms -> 25 ms, an event page 146 ms -> 10 ms at
            # 100,000 events). publish_at alone serves "next scheduled event".
            models.Index(fields=["publish_at"], name="event_publish_at"),
            # The type is the filter readers use most ("bans in Germany"): a page
            # of one type walks its events in date order instead of reading every
            # event by date and dropping nine in ten (100,000 events on
            # PostgreSQL: 2.3 ms; by type 0.5 ms; covering 0.25 ms).
            models.Index(fields=["event_type", "sort_date", "id"], include=PAGE_COLUMNS, name="event_type_sort_id_covering"),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(end_date__isnull=True) | Q(end_date__gte=F("date")), name="event_end_not_before_start"),
            models.CheckConstraint(
                condition=Q(sort_date__gte=F("date"), covers_until__gte=F("sort_date")), name="event_placed_in_its_period"
            ),
            models.CheckConstraint(condition=Q(date_precision__in=DatePrecision.values), name="event_date_precision_valid"),
            models.CheckConstraint(condition=Q(stage="") | Q(stage__in=Stage.values), name="event_stage_valid"),
            models.CheckConstraint(condition=Q(status__in=Status.values), name="event_status_valid"),
            models.CheckConstraint(
                condition=~Q(status=Status.PUBLISHED) | Q(publish_at__isnull=False),
                name="event_published_has_publish_time",
            ),
        ]
        permissions = [("publish_event", "Can publish, schedule and unpublish events")]

    def __str__(self):
        return self.title

    def save(self, *args, expected_version=None, **kwargs):
        """Save, bumping `version`; with `expected_version`, only over that version.

        The conditional UPDATE is what stops a stale admin form from writing
        over a newer edit: it matches no row once someone else has saved.
        """
        self.derive_fields()
        if kwargs.get("update_fields") is not None:
            kwargs["update_fields"] = {*kwargs["update_fields"], "sort_date", "covers_until", "search_text"}
        if not self._state.adding:
            current = Event.objects.filter(pk=self.pk)
            if expected_version is not None:
                current = current.filter(version=expected_version)
            if not current.update(version=F("version") + 1):
                raise EditConflict(self)
            self.version = Event.objects.values_list("version", flat=True).get(pk=self.pk)
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("timeline:event", args=[self.slug])

    def derive_fields(self):
        """Set the columns derived from what editors enter; save() calls it, bulk inserts must too."""
        self.place()
        if connection.vendor == "sqlite":
            self.search_text = fold(f"{self.title} {self.summary} {self.body}")

    def place(self):
        """Derive sort_date and covers_until from the date, its precision, the end date and placed_on.

        A date known to the month ("Dec 2018") is stored as the 1st; sorting
        it there would put it before the dated events it may follow, so it
        goes after them (the period's last day) unless an editor placed it.
        """
        period_last = period_end(self.date, self.date_precision)
        if self.date_precision != DatePrecision.DAY and self.placed_on and self.date <= self.placed_on <= period_last:
            self.sort_date = self.placed_on
        else:
            self.sort_date = period_last if self.date_precision != DatePrecision.DAY else self.date
        self.covers_until = max(period_end(self.end_date, self.date_precision), period_last) if self.end_date else period_last

    @property
    def unknown_part(self):
        """What a reader should not read into the date's position: “day not known” for “Dec 2018”."""
        return {DatePrecision.MONTH: _("day not known"), DatePrecision.YEAR: _("month not known")}.get(self.date_precision, "")

    @property
    def display_date(self):
        return format_span(self.date, self.end_date, self.date_precision)

    @property
    def is_public(self):
        moment = visible_from(self.status, self.publish_at)
        return moment is not None and moment <= timezone.now()

    def clean(self):
        errors = {}
        if self.end_date and self.date and self.end_date < self.date:
            errors["end_date"] = "The end date cannot be before the date."
        if self.placed_on and self.date:
            first, last = period_start(self.date, self.date_precision), period_end(self.date, self.date_precision)
            if self.date_precision == DatePrecision.DAY:
                errors["placed_on"] = "The day is known: the event is placed on its date. Clear this field."
            elif not first <= self.placed_on <= last:
                errors["placed_on"] = f"Choose a day between {first:%Y-%m-%d} and {last:%Y-%m-%d}, the period of the date."
        # A stage is where a measure stood after this event: without the
        # measure it describes nothing, and no measure page would show it.
        if self.stage and not self.measure_id:
            errors["stage"] = "A stage needs a measure: pick the measure this event is a step of, or clear the stage."
        if errors:
            raise ValidationError(errors)

    def check_publishable(self):
        """Raise ValidationError unless the saved event may be published.

        Every path that publishes (admin form, admin action, management
        command) calls this, so the rule lives in one place.
        """
        if self.pk is None or not self.sources.exists():
            raise ValidationError(f"“{self}” needs at least one source before it can be published.")

    def publish(self, when=None, user=None):
        self.check_publishable()
        self.status = Status.PUBLISHED
        self.publish_at = when or self.publish_at or timezone.now()
        self.updated_by = user or self.updated_by
        self.save()

    def unpublish(self, user=None):
        self.status = Status.DRAFT
        self.publish_at = None
        self.updated_by = user or self.updated_by
        self.save()


class EventActor(models.Model):
    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="event_actors")
    actor = models.ForeignKey(
        Actor, on_delete=models.PROTECT, related_name="event_roles", help_text="Start typing a name; add a missing actor with the + button."
    )
    role = models.CharField(
        max_length=10, choices=Role.choices, help_text="Initiator acts, target is acted upon, involved takes part otherwise."
    )

    class Meta:
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(fields=["event", "actor", "role"], name="event_actor_role_unique"),
            models.CheckConstraint(condition=Q(role__in=Role.values), name="event_actor_role_valid"),
        ]

    def __str__(self):
        return f"{self.actor} ({self.role_in_text})"

    @property
    def role_in_text(self):
        return ROLE_IN_TEXT.get(self.role, self.role)


# Only these schemes become links; a leading space or control character
# (which browsers skip) is not let through either.
_WEB_ADDRESS = re.compile(r"https?://", re.IGNORECASE)


class Source(models.Model):
    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="sources")
    title = models.CharField(max_length=300, help_text="Title of the article, report or document.")
    publisher = models.CharField(max_length=200, help_text="Who published it: a newspaper, ministry, agency or company.")
    url = models.URLField(max_length=500, blank=True, help_text="Link to the source. Leave empty rather than guess.")
    published_on = models.DateField(null=True, blank=True, help_text="Date the source was published, if known.")
    quote = models.TextField(blank=True, help_text="Optional short quotation supporting the event.")

    class Meta:
        ordering = ["id"]

    def __str__(self):
        return f"{self.publisher}: {self.title}"

    @property
    def link(self):
        """The address to link the source to, or "" when it is not a web address.

        The admin accepts only web and FTP addresses, but rows also arrive by
        imports and scripts: a "javascript:" address rendered as a link would
        run in the reader's browser. Pages show such a source's title as text.
        """
        return self.url if _WEB_ADDRESS.match(self.url) else ""


class Correction(models.Model):
    """A dated public note on what changed in a published event."""

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="corrections")
    corrected_on = models.DateField(default=timezone.localdate, help_text="The date the correction is made public.")
    note = models.TextField(help_text="What was wrong and what is right now, in a sentence: “The order covers phones, not network gear.”")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["corrected_on", "id"]

    def __str__(self):
        return f"Correction of {self.corrected_on:%Y-%m-%d}"


class WithdrawalReason(models.TextChoices):
    UNPUBLISHED = "unpublished", "Unpublished"
    DELETED = "deleted", "Deleted"


class Withdrawal(models.Model):
    """A public event taken out of public view, so a mirror of the API can drop it.

    Written by signals (see signals.py) when a public event is unpublished,
    reverted to a draft, scheduled again for later, or deleted. Not a foreign
    key: the event may be gone.
    """

    event_id = models.BigIntegerField()
    reason = models.CharField(max_length=12, choices=WithdrawalReason.choices)
    withdrawn_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["withdrawn_at", "id"]
        indexes = [models.Index(fields=["withdrawn_at", "id"], name="withdrawal_time")]
        constraints = [models.CheckConstraint(condition=Q(reason__in=WithdrawalReason.values), name="withdrawal_reason_valid")]

    def __str__(self):
        return f"Event {self.event_id} {self.reason} at {self.withdrawn_at:%Y-%m-%d %H:%M}"


class ChangeKind(models.TextChoices):
    EVENT = "event"
    TYPE = "type"
    COUNTRY = "country"
    ACTOR = "actor"
    TOPIC = "topic"
    MEASURE = "measure"


class FacetChange(models.Model):
    """An edit the facet counts have not absorbed yet: which event, or which named value, changed.

    Written in the editor's transaction by signals.py. Every process counts
    facets from a snapshot on disk plus the rows these changes point to
    (timeline/facet_index.py), and the log's size and last id are the data
    version that tells a process something changed, with any cache backend.
    Rows the current snapshot has absorbed are pruned when it is written.
    """

    kind = models.CharField(max_length=8, choices=ChangeKind.choices)
    object_id = models.BigIntegerField()
    changed_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [models.CheckConstraint(condition=Q(kind__in=ChangeKind.values), name="facet_change_kind_valid")]

    def __str__(self):
        return f"{self.kind} {self.object_id} changed at {self.changed_at:%Y-%m-%d %H:%M}"


class ExportLine(models.Model):
    """An event's public CSV line and JSON object, written ahead (timeline/export_lines.py), on PostgreSQL only.

    `csv` and `json` hold the text around the cells that depend on the request
    (the event's URL, which starts with the site's address), composed at
    download time. SQLite has the table but never fills it. On PostgreSQL the
    line goes with its event (ON DELETE CASCADE), and triggers delete it
    whenever anything it shows changes (migration 0015, export_lines.install_triggers).
    A line whose `fingerprint` is not the current format's is never read.
    """

    # The foreign key is PostgreSQL's own, ON DELETE CASCADE (migration 0015): Django's would not cascade in the database.
    event = models.OneToOneField(Event, primary_key=True, on_delete=models.DO_NOTHING, related_name="export_line", db_constraint=False)
    fingerprint = models.CharField(max_length=32)
    csv = ArrayField(models.TextField())
    json = ArrayField(models.TextField())

    class Meta:
        db_table = "timeline_exportline"

    def __str__(self):
        return f"Export line of event {self.event_id}"


class Release(models.Model):
    """A numbered, frozen copy of the public dataset (see releases.py): its files are
    written once under RELEASES_ROOT and never change; this row describes them."""

    number = models.PositiveIntegerField(unique=True, editable=False)
    cut_at = models.DateTimeField(editable=False, help_text="When the snapshot of public events was taken.")
    cut_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        editable=False,
        help_text="Who cut it; empty for the scheduled command.",
    )
    site_url = models.CharField(max_length=200, editable=False, help_text="The address the events' URLs in the files start with.")
    codebook_version = models.CharField(max_length=20, editable=False)
    event_count = models.PositiveIntegerField(editable=False)
    csv_sha256 = models.CharField(max_length=64, editable=False)
    csv_bytes = models.PositiveBigIntegerField(editable=False)
    json_sha256 = models.CharField(max_length=64, editable=False)
    json_bytes = models.PositiveBigIntegerField(editable=False)
    # Against the previous release; empty on the first.
    added = models.PositiveIntegerField(null=True, editable=False)
    changed = models.PositiveIntegerField(null=True, editable=False)
    corrected = models.PositiveIntegerField(null=True, editable=False)
    withdrawn = models.PositiveIntegerField(null=True, editable=False)
    build_seconds = models.FloatField(editable=False)

    class Meta:
        ordering = ["-number"]

    def __str__(self):
        return f"Release {self.number}"

    def get_absolute_url(self):
        return reverse("timeline:release", args=[self.number])

    @property
    def has_changelog(self):
        return self.added is not None


# Revisions hold an event with its actors and sources, so a revert or a
# recovery in the admin brings them back. Corrections are not followed: a
# public correction is never taken back by reverting the event it corrects.
# The search vector and text are derived, not history.
for _inline_model in (EventActor, Source, Correction):
    reversion.register(_inline_model)
reversion.register(Event, follow=["event_actors", "sources"], exclude=["search_vector", "search_text"])
