"""What the filters say to a reader: a removable chip per active filter, and a page title."""

from dataclasses import dataclass

from .dates import DatePrecision, format_date
from .filters import FACETS, TEXT_FIELDS
from .models import Stage


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
            result.append(Chip(f"{filterset.filters[name].label}: {label}", rest.urlencode()))
    for name in TEXT_FIELDS:
        if name in query:
            rest = query.copy()
            del rest[name]
            shown = f"“{query[name]}”" if name == "q" else query[name]
            result.append(Chip(f"{filterset.filters[name].label}: {shown}", rest.urlencode()))
    return result


# Type names that have no plural (see _plural).
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


def _some(labels, noun):
    """“Germany”, “Germany or France”, or “3 countries” beyond two."""
    return " or ".join(labels) if len(labels) <= 2 else f"{len(labels)} {noun}"


def _date_words(text, bound):
    """A period's bound as the timeline writes dates: “2018”, “Mar 2018”, “1 Mar 2018”."""
    precision = [DatePrecision.YEAR, DatePrecision.MONTH, DatePrecision.DAY][text.count("-")]
    return format_date(bound, precision)


# How a title names the chosen values of a facet: “in Germany”, “involving 3 actors”.
_TITLE_PHRASES = [
    ("measure", "on", "measures"),
    ("country", "in", "places"),
    ("actor", "involving", "actors"),
    ("topic", "about", "topics"),
]


def describe(filterset, facet_list):
    """What the filters show, in a few words, for the page title; empty without filters.

    “Bans or restrictions in Germany”, “Events matching “5G””, “Events in
    effect about 5G from Mar 2018”. Built from the chips' labels, in a
    fixed order, so a URL always gets the same title.
    """
    labels = {(facet.name, option.value): option.label for facet in facet_list for option in facet.options}

    def named(name):
        return [labels.get((name, value), value) for value in filterset.active_values(name)]

    types = named("type")
    words = [_plural(types[0]) if len(types) == 1 else "Events" if not types else f"Events of {len(types)} types"]
    # In their lifecycle order, however the URL lists them.
    stages = [Stage(value).label.lower() for value in sorted(filterset.active_values("stage"), key=Stage.values.index)]
    if stages:
        words.append(_some(stages, "stages"))
    query = filterset.cleaned.get("q") and filterset.data.get("q", "").strip()
    if query:
        words.append(f"matching “{query}”")
    for name, preposition, noun in _TITLE_PHRASES:
        values = named(name)
        if values:
            words.append(f"{preposition} {_some([f'“{v}”' for v in values] if name == 'measure' else values, noun)}")
    since, until = filterset.cleaned.get("since"), filterset.cleaned.get("until")
    since_text, until_text = (filterset.data.get(name, "").strip() for name in ("since", "until"))
    if since and until and since_text == until_text:
        words.append(f"in {_date_words(since_text, since[0])}")
    else:
        if since:
            words.append(f"from {_date_words(since_text, since[0])}")
        if until:
            words.append(f"until {_date_words(until_text, until[0])}")
    if corrected := filterset.cleaned.get("corrected_since"):
        words.append(f"corrected since {_date_words(filterset.data.get('corrected_since', '').strip(), corrected[0])}")
    return "" if words == ["Events"] else " ".join(words)
