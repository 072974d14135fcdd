"""What the filters say to a reader: a removable chip per active filter, and a page title."""

from dataclasses import dataclass

from django.utils.translation import gettext, ngettext, pgettext, pgettext_lazy

from .dates import DatePrecision, format_date
from .filters import FACETS, TEXT_FIELDS, labelled
from .models import STAGE_IN_TEXT, Stage


@dataclass
class Chip:
    text: str
    query: str


def chips(filterset, query, facet_list):
    """One removable chip per active filter value; its link is the query without it.

    Labels come from the facets, which only name what public events carry.
    """
    labels = {(facet.name, option.value): option.label for facet in facet_list for option in facet.options}
    result = []
    for name in FACETS:
        for value in filterset.active_values(name):
            label = labels.get((name, value), value)
            rest = query.copy()
            rest.setlist(name, [v for v in rest.getlist(name) if v != value])
            result.append(Chip(labelled(filterset.filters[name].label, label), rest.urlencode()))
    for name in TEXT_FIELDS:
        if name in query:
            rest = query.copy()
            del rest[name]
            shown = _quoted(query[name]) if name == "q" else query[name]
            result.append(Chip(labelled(filterset.filters[name].label, shown), rest.urlencode()))
    return result


# English type names that have no plural (see _plural).
_UNCOUNTABLE = {"legislation", "guidance", "equipment"}


def _plural(name):
    """“Ban or restriction” -> “Bans or restrictions”: the last word of each alternative, by the
    regular English rules. A type name is an editor's singular noun phrase; one these rules get
    wrong reads a little oddly in a page title, nothing worse."""

    def one(phrase):
        *head, last = phrase.split(" ")
        lower = last.lower()
        if lower in _UNCOUNTABLE or lower.endswith("s"):
            plural = last
        elif lower.endswith(("x", "z", "ch", "sh")):
            plural = last + "es"
        elif lower.endswith("y") and lower[-2:-1] not in set("aeiou"):
            plural = last[:-1] + "ies"
        else:
            plural = last + "s"
        return " ".join([*head, plural])

    return " or ".join(one(phrase) for phrase in name.split(" or "))


def _type_plural(name):
    """The plural of a type's name for a page title: the catalog's, else by English rules."""
    plural = pgettext("event type, plural", name)
    return _plural(name) if plural == name else plural


def _quoted(text):
    return pgettext("quoted text", "“%(text)s”") % {"text": text}


def _some(labels, counted):
    """“Germany”, “Germany or France”, or “3 countries” beyond two (`counted` names the count)."""
    if len(labels) == 1:
        return labels[0]
    if len(labels) == 2:
        return pgettext("title: one of two values", "%(first)s or %(second)s") % {"first": labels[0], "second": labels[1]}
    return counted(len(labels))


# The words for a period's bound as the timeline writes dates (“2018”, “Mar 2018”, “1 Mar 2018”): a
# phrase per precision, since French and German change the preposition with it (“le 1 mars”, “im März”).
_PERIOD_PHRASES = {
    "in": (
        pgettext_lazy("title: in a year", "in %(date)s"),
        pgettext_lazy("title: in a month", "in %(date)s"),
        pgettext_lazy("title: on a day", "in %(date)s"),
    ),
    "from": (
        pgettext_lazy("title: from a year", "from %(date)s"),
        pgettext_lazy("title: from a month", "from %(date)s"),
        pgettext_lazy("title: from a day", "from %(date)s"),
    ),
    "until": (
        pgettext_lazy("title: until a year", "until %(date)s"),
        pgettext_lazy("title: until a month", "until %(date)s"),
        pgettext_lazy("title: until a day", "until %(date)s"),
    ),
    "corrected": (
        pgettext_lazy("title: corrected since a year", "corrected since %(date)s"),
        pgettext_lazy("title: corrected since a month", "corrected since %(date)s"),
        pgettext_lazy("title: corrected since a day", "corrected since %(date)s"),
    ),
}


def _period_words(phrase, text, bound):
    precision = text.count("-")
    return _PERIOD_PHRASES[phrase][precision] % {
        "date": format_date(bound, [DatePrecision.YEAR, DatePrecision.MONTH, DatePrecision.DAY][precision])
    }


# How a title names the chosen values of a facet: “in Germany”, “involving 3 actors”.
_TITLE_PHRASES = [
    ("measure", pgettext_lazy("title", "on %(measures)s"), lambda n: ngettext("%(count)s measure", "%(count)s measures", n) % {"count": n}),
    ("country", pgettext_lazy("title", "in %(places)s"), lambda n: ngettext("%(count)s place", "%(count)s places", n) % {"count": n}),
    ("actor", pgettext_lazy("title", "involving %(actors)s"), lambda n: ngettext("%(count)s actor", "%(count)s actors", n) % {"count": n}),
    ("topic", pgettext_lazy("title", "about %(topics)s"), lambda n: ngettext("%(count)s topic", "%(count)s topics", n) % {"count": n}),
]
_PLACEHOLDERS = {"measure": "measures", "country": "places", "actor": "actors", "topic": "topics"}


def describe(filterset, facet_list):
    """What the filters show, in a few words, for the page title; empty without filters.

    “Bans or restrictions in Germany”, “Events matching “5G””, “Events in
    effect about 5G from Mar 2018”. Built from the chips' labels, in a
    fixed order, so a URL always gets the same title; in the active language.
    """
    labels = {(facet.name, option.value): option.label for facet in facet_list for option in facet.options}

    def named(name):
        return [labels.get((name, value), value) for value in filterset.active_values(name)]

    # The type facet's labels are translated: the plural is looked up by the editor's name.
    types = filterset.active_values("type")
    type_names = {
        option.value: option.raw_label or option.label for facet in facet_list if facet.name == "type" for option in facet.options
    }
    if len(types) == 1:
        words = [_type_plural(type_names.get(types[0], types[0]))]
    elif types:
        words = [ngettext("Events of %(count)s type", "Events of %(count)s types", len(types)) % {"count": len(types)}]
    else:
        words = [gettext("Events")]
    nothing = list(words) if not types else None
    # In their lifecycle order, however the URL lists them.
    stages = [str(STAGE_IN_TEXT[Stage(value)]) for value in sorted(filterset.active_values("stage"), key=Stage.values.index)]
    if stages:
        some = _some(stages, lambda n: ngettext("%(count)s stage", "%(count)s stages", n) % {"count": n})
        words.append(pgettext("title: the stages chosen", "%(stages)s") % {"stages": some})
    query = filterset.cleaned.get("q") and filterset.data.get("q", "").strip()
    if query:
        words.append(gettext("matching %(words)s") % {"words": _quoted(query)})
    for name, phrase, counted in _TITLE_PHRASES:
        values = named(name)
        if values:
            shown = _some([_quoted(v) for v in values] if name == "measure" else values, counted)
            words.append(phrase % {_PLACEHOLDERS[name]: shown})
    since, until = filterset.cleaned.get("since"), filterset.cleaned.get("until")
    since_text, until_text = (filterset.data.get(name, "").strip() for name in ("since", "until"))
    if since and until and since_text == until_text:
        words.append(_period_words("in", since_text, since[0]))
    else:
        if since:
            words.append(_period_words("from", since_text, since[0]))
        if until:
            words.append(_period_words("until", until_text, until[0]))
    if corrected := filterset.cleaned.get("corrected_since"):
        words.append(_period_words("corrected", filterset.data.get("corrected_since", "").strip(), corrected[0]))
    return "" if words == nothing else " ".join(words)
