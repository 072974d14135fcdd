"""The timeline's filters: the one parser of the public query string.

The same EventFilter serves the page, the htmx partial, the downloads and the
feed, so all of them show exactly the same events for the same URL.
"""

import re
from dataclasses import dataclass
from functools import cached_property, wraps

import django_filters
from django import forms
from django.db.models import Exists, OuterRef
from django.http import HttpResponseBadRequest, QueryDict
from django.utils import timezone
from django.utils.translation import gettext, pgettext
from django.utils.translation import gettext_lazy as _

from . import search
from .changes import data_version
from .dates import parse_partial_date
from .facet_index import current_index
from .models import Correction, Event, EventActor, Stage

MAX_VALUE_LENGTH = 200
MAX_VALUES_PER_PARAMETER = 50


class PartialDateField(forms.CharField):
    """A year, a month or a day, cleaned to the (first, last) days it covers."""

    def __init__(self, **kwargs):
        kwargs.setdefault("max_length", 10)
        super().__init__(**kwargs)

    def clean(self, value):
        text = super().clean(value)
        if not text:
            return None
        try:
            return parse_partial_date(text)
        except ValueError as error:
            raise forms.ValidationError(str(error)) from None


class PartialDateFilter(django_filters.Filter):
    field_class = PartialDateField


class EventFilterForm(forms.Form):
    def __init__(self, *args, facet_index, **kwargs):
        # A callable: the index is fetched only when a facet value needs checking.
        self.facet_index = facet_index
        super().__init__(*args, **kwargs)

    def clean(self):
        cleaned = super().clean()
        since, until = cleaned.get("since"), cleaned.get("until")
        if since and until and since[0] > until[1]:
            self.add_error("until", gettext("The end of the period is before its start."))
            cleaned.pop("since", None)
        self._check_facet_values(cleaned)
        return cleaned

    def _check_facet_values(self, cleaned):
        """Turn each chosen facet value into a Chosen, checked against the facet index.

        Only values some public event carries are accepted (countries
        excepted: all of them exist): a value seen only on drafts is "not a
        valid choice", exactly like one that does not exist, so guessing
        slugs tells a reader nothing about what is in preparation. Checking
        in memory saves a query per chosen facet on every page.
        """
        chosen_fields = {name: field for name, field in self.fields.items() if isinstance(field, FacetValuesField) and cleaned.get(name)}
        if not chosen_fields:
            return
        index = self.facet_index()
        public = index.public(timezone.now())
        for name, field in chosen_fields.items():
            chosen = []
            for value in cleaned[name]:
                pk = index.value_id(field.facet, value, carried_by=public if field.public_only else None)
                if pk is None:
                    self.add_error(name, forms.ValidationError(INVALID_CHOICE, code="invalid_choice", params={"value": value}))
                    break
                chosen.append(Chosen(pk, value))
            else:
                cleaned[name] = chosen


def _related_exists(through, column, values):
    """Events linked to any of `values`: EXISTS, not a join, so no duplicate rows and no DISTINCT."""
    return Exists(through.objects.filter(event_id=OuterRef("pk"), **{f"{column}__in": _ids(values)}))


@dataclass(frozen=True)
class Chosen:
    """A facet value that passed validation: its id and its form in the URL (slug or country code)."""

    pk: int
    value: str


def _ids(chosen):
    return [item.pk for item in chosen]


# Django's own message, so Django's catalogs translate it.
INVALID_CHOICE = _("Select a valid choice. %(value)s is not one of the available choices.")


class FacetValuesField(forms.Field):
    """Several values of one facet as typed in the URL; EventFilterForm checks them against the facet index."""

    widget = forms.MultipleHiddenInput

    def __init__(self, *, facet, public_only=True, **kwargs):
        self.facet = facet
        self.public_only = public_only
        super().__init__(**kwargs)

    def clean(self, value):
        # Sorted and without repeats: the canonical URL and the cache keys of a view do not depend on how it was typed.
        return sorted({str(item) for item in value or []})


class FacetValuesFilter(django_filters.Filter):
    field_class = FacetValuesField


class EventFilter(django_filters.FilterSet):
    type = FacetValuesFilter(label=_("Type"), facet="type", method="filter_type")
    # Every country exists (a data migration creates them all): knowing one reveals nothing.
    country = FacetValuesFilter(label=_("Country"), facet="country", public_only=False, method="filter_country")
    actor = FacetValuesFilter(label=_("Actor"), facet="actor", method="filter_actor")
    topic = FacetValuesFilter(label=_("Topic"), facet="topic", method="filter_topic")
    # A column of the event itself cannot repeat rows: no DISTINCT, which would
    # sort every matching row before the page's LIMIT.
    stage = django_filters.MultipleChoiceFilter(label=_("Stage"), choices=Stage.choices, distinct=False)
    measure = FacetValuesFilter(label=_("Measure"), facet="measure", method="filter_measure")
    since = PartialDateFilter(label=_("From"), method="filter_since")
    until = PartialDateFilter(label=_("To"), method="filter_until")
    q = django_filters.CharFilter(label=_("Words"), method="filter_words", max_length=MAX_VALUE_LENGTH)
    corrected_since = PartialDateFilter(label=_("Corrected since"), method="filter_corrected_since")
    order = django_filters.ChoiceFilter(
        label=_("Order"), choices=[("newest", _("Newest first")), ("oldest", _("Oldest first"))], empty_label=None, method="keep_order"
    )

    class Meta:
        model = Event
        fields = []
        form = EventFilterForm

    _form_class = None

    @cached_property
    def data_version(self):
        """The data version this request reads, once (a query only where changes.py says)."""
        return data_version()

    @cached_property
    def facet_index(self):
        return current_index(self.data_version)

    @cached_property
    def index_masks(self):
        """{name: the events (a mask over the facet index) it keeps} for each active filter.

        Read once a request: the facet counts and the measures page both
        narrow by them, and a words filter asks the database for its ids.
        """
        masks = {}
        for name, value in self.cleaned.items():
            if name == "order" or not value:
                continue
            masks[name] = self.facet_index.words_mask(value) if name == "q" else self.facet_index.mask(name, value)
        return masks

    def index_key(self, leaving_out=None):
        """What names the events the active filters keep (all but `leaving_out`), for what the facet index keeps of them."""
        # The order is not part of it: both orders list the same events.
        return tuple(
            sorted(
                (name, tuple(value) if isinstance(value, list) else value)
                for name, value in self.cleaned.items()
                if value and name not in ("order", leaving_out)
            )
        )

    def index_window(self, cursor, size):
        """The ids of the page of `size` events after `cursor` (a pagination.Cursor or None) and of
        the one event after them, in the timeline's order, found in the facet index; None when a
        filter is better answered by the database: words or corrections the index would ask it
        about, unless the counts already did (a page must not cost more queries than the database's own).

        The same events as keyset_window(self.qs, ...): the index's public events (what public()
        lists now, edits since its snapshot included) narrowed by the same cleaned filters.
        """
        active = {name: value for name, value in self.cleaned.items() if value and name != "order"}
        if not active:
            # The database's (sort_date, id) index serves the unfiltered timeline as fast.
            return None
        index, now = self.facet_index, timezone.now()
        key = self.index_key()
        view = index.cached_view(key, now)
        if view is None:
            if "index_masks" not in self.__dict__ and not self._index_answers_alone(active):
                return None
            view = index.filtered_view(key, now, self.index_masks.values())
        position = None if cursor is None else (cursor.sort_date, cursor.id)
        return index.page_window(view, position, self.newest_first, size + 1)

    def _index_answers_alone(self, active):
        """Whether the facet index applies these filters without a query (corrections are asked of the database)."""
        words = active.get("q")
        return "corrected_since" not in active and (not words or self.facet_index.finds_words_alone(words))

    @property
    def form(self):
        if not hasattr(self, "_form"):
            data = self.data if self.is_bound else None
            self._form = self.get_form_class()(data, prefix=self.form_prefix, facet_index=lambda: self.facet_index)
        return self._form

    def get_form_class(self):
        # No field depends on the request (facet values are checked against
        # the facet index, not a queryset): build the form class once, not
        # ten fields on every page.
        if type(self)._form_class is None:
            type(self)._form_class = super().get_form_class()
        return type(self)._form_class

    # By id, as the form has already looked the values up: filtering on
    # event_type__slug joined the types table, and PostgreSQL then read every
    # event of the type and sorted them instead of walking the (date, id)
    # index ("bans in Germany": 61 ms -> 11 ms at 100,000 events).
    def filter_type(self, queryset, name, value):
        return queryset.filter(event_type__in=_ids(value)) if value else queryset

    def filter_measure(self, queryset, name, value):
        return queryset.filter(measure__in=_ids(value)) if value else queryset

    def filter_country(self, queryset, name, value):
        return queryset.filter(_related_exists(Event.jurisdictions.through, "jurisdiction", value)) if value else queryset

    def filter_actor(self, queryset, name, value):
        return queryset.filter(_related_exists(EventActor, "actor", value)) if value else queryset

    def filter_topic(self, queryset, name, value):
        return queryset.filter(_related_exists(Event.topics.through, "topic", value)) if value else queryset

    # An event matches a period when the days it covers overlap it: "Dec
    # 2018" is in ?since=2018-12-10, a span 2017-2019 is in ?since=2019.
    def filter_since(self, queryset, name, value):
        return queryset.filter(covers_until__gte=value[0]) if value else queryset

    def filter_until(self, queryset, name, value):
        return queryset.filter(date__lte=value[1]) if value else queryset

    # A correction counts from the first day of the period asked for ("2019" keeps
    # those made in 2019 or later), by the date it was made public.
    def filter_corrected_since(self, queryset, name, value):
        if not value:
            return queryset
        return queryset.filter(Exists(Correction.objects.filter(event_id=OuterRef("pk"), corrected_on__gte=value[0])))

    # Set by the timeline once it knows, from the facet counts, that the words
    # match many events (see plan_words_search).
    words_are_common = False

    def filter_words(self, queryset, name, value):
        return self.matching_words(queryset, value, walk_by_date=self.words_are_common)

    def matching_words(self, queryset, value, walk_by_date=False):
        return search.matching(queryset, value, walk_by_date)

    def keep_order(self, queryset, name, value):
        # Ordering is the keyset pagination's business (see views.index).
        return queryset

    @property
    def cleaned(self):
        """The valid part of the query (invalid fields are left out), validated once."""
        self.form.is_valid()
        return self.form.cleaned_data

    @property
    def newest_first(self):
        return self.cleaned.get("order") != "oldest"

    def ignored(self):
        """A reader-facing line for each parameter that was ignored, and why."""
        return [Ignored(name, " ".join(errors)) for name, errors in self.form.errors.items() if name in self.filters]

    def active_values(self, name):
        """Values of a facet that passed validation, in the URL's form."""
        value = self.cleaned.get(name)
        if not value:
            return []
        return [item.value if isinstance(item, Chosen) else item for item in value]


def labelled(label, value):
    """“Country: Germany”, a filter's label and a value or a reason; French sets a space before the colon."""
    return pgettext("a filter's label and its value", "%(label)s: %(value)s") % {"label": label, "value": value}


class Ignored(str):
    """A line saying why a parameter was ignored, as the page lists it ("From: ..."), that
    remembers the parameter (`since`) for those who typed the query string themselves."""

    def __new__(cls, parameter, reason):
        line = super().__new__(cls, labelled(EventFilter.base_filters[parameter].label, reason))
        line.parameter, line.reason = parameter, reason
        return line


# Control characters mean nothing in a filter and are not allowed in XML (the
# feed's title repeats the filters); they become spaces.
_CONTROL_CHARACTERS = re.compile(r"[\x01-\x08\x0b\x0c\x0e-\x1f\x7f]")


def clean_query(querydict):
    """The filters' parameters, without values no filter could use, and a line for each drop.

    Parameters the timeline does not read (utm_source, ...) are left out
    silently; empty values are what an untouched form field sends. PostgreSQL
    refuses NUL bytes in text outright: they never get past this point.
    """
    data = QueryDict(mutable=True)
    ignored = []
    for key in EventFilter.base_filters:
        values = [_CONTROL_CHARACTERS.sub(" ", v) for v in querydict.getlist(key) if v != ""]
        kept = [v for v in values if "\x00" not in v and len(v) <= MAX_VALUE_LENGTH][:MAX_VALUES_PER_PARAMETER]
        if len(kept) != len(values):
            ignored.append(Ignored(key, gettext("some values were ignored (too long, too many, or containing a NUL character).")))
        if kept:
            data.setlist(key, kept)
    return data, ignored


def filter_public_events(querydict):
    """The EventFilter of a query string over public events, and a line (Ignored) for each part of it that cannot be applied."""
    data, ignored = clean_query(querydict)
    filterset = EventFilter(data, queryset=Event.objects.public())
    return filterset, ignored + filterset.ignored()


def every_filter_applied(view):
    """Hand `view` the EventFilter of the request's query string, or answer 400 if any part of it cannot be applied.

    For the downloads and the feed. The page can show what it applied and
    list what it ignored; a file or a subscription has no place for that
    note, and without the bad filter it would hold more events than its
    link asks for (every public event, for a mistyped actor).
    """

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        filterset, ignored = filter_public_events(request.GET)
        if ignored:
            lines = [f"- {line.parameter}: {line.reason}" for line in ignored]
            message = "\n".join(
                [gettext("These filters cannot be applied, so nothing was sent:"), *lines, gettext("Correct or remove them and ask again.")]
            )
            return HttpResponseBadRequest(message + "\n", content_type="text/plain; charset=utf-8")
        return view(request, filterset, *args, **kwargs)

    return wrapper


FACETS = ["type", "country", "actor", "topic", "stage", "measure"]
TEXT_FIELDS = ["q", "since", "until", "corrected_since"]


def canonical_query(filterset):
    """The query string of what the filters actually apply: valid, non-empty values only."""
    query = QueryDict(mutable=True)
    for name in FACETS:
        values = list(filterset.active_values(name))
        if values:
            query.setlist(name, values)
    for name in TEXT_FIELDS:
        if filterset.cleaned.get(name):
            query[name] = filterset.data.get(name, "").strip()
    if not filterset.newest_first:
        query["order"] = "oldest"
    return query
