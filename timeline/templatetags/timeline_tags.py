from django import template
from django.utils.safestring import mark_safe

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
