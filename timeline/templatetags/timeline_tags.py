from django import template
from django.template.defaultfilters import date as date_filter
from django.utils.safestring import mark_safe

from .. import vocabulary
from ..i18n import reader_format
from ..markdown import render_markdown

register = template.Library()


@register.filter
def markdown(text):
    return mark_safe(render_markdown(text))


@register.filter
def machine_date(event):
    """An event's date for <time datetime>, no more precise than it is known: 2018-12-01, 2018-12 or 2018."""
    iso = event.date.isoformat()
    return {"year": iso[:4], "month": iso[:7]}.get(event.date_precision, iso)


@register.filter(expects_localtime=True)
def reader_date(value, name="DAY"):
    """A date as readers read it in the active language: DAY (“1 Dec 2018”), LONG_DAY (“1 December 2018”),
    MONTH, LONG_MONTH or DATETIME (config/formats/<lang>/formats.py)."""
    if not value:
        return ""
    return date_filter(value, reader_format(name))


@register.filter
def type_name(name):
    """An event type's name in the active language (timeline/vocabulary.py)."""
    return vocabulary.type_name(name)


@register.filter
def type_definition(definition):
    return vocabulary.type_definition(definition)
