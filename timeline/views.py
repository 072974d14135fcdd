from django.conf import settings
from django.http import Http404, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.templatetags.static import static
from django.urls import reverse
from django.utils.cache import add_never_cache_headers, patch_cache_control
from django.views.decorators.vary import vary_on_headers

from . import export
from .cards import attach_cards
from .filters import (
    cached_facets,
    canonical_query,
    chips,
    describe,
    every_filter_applied,
    filter_public_events,
    plan_words_search,
    total_from_facets,
)
from .models import STAGE_DEFINITIONS, Event, EventType, Measure, Stage
from .pagination import BadCursor, decode_cursor, decode_shown, group_by_month, keyset_page

PAGE_SIZE = 25


# HX-Trigger: a chip's request also refreshes the form's text fields.
@vary_on_headers("HX-Request", "HX-Trigger")
def index(request):
    """The timeline: one view for the full page, the htmx results and "load more"."""
    filterset, ignored = filter_public_events(request.GET)
    status = 200
    try:
        cursor = decode_cursor(request.GET.get("cursor", ""))
        shown = decode_shown(request.GET.get("shown", ""))
    except BadCursor as error:
        ignored.append(str(error))
        cursor, shown, status = None, None, 400

    # htmx's history restore asks for the whole page, like a browser without JavaScript.
    partial = request.htmx and not request.htmx.history_restore_request
    shows_facets = not (partial and cursor)
    # A words search also needs the counts to choose how to find its page.
    facet_list = cached_facets(filterset) if shows_facets or filterset.cleaned.get("q") else None
    if facet_list is not None:
        plan_words_search(filterset, facet_list)

    # "Load more" sends how many events are above its cursor; a page without a cursor shows that many again.
    above = (shown or 0) if cursor else 0
    size = shown if shown and not cursor else PAGE_SIZE
    events, next_cursor = keyset_page(filterset.qs.for_cards(), cursor, filterset.newest_first, size)
    attach_cards(events, filterset.data_version, focus_first=cursor is not None)
    query = canonical_query(filterset)
    context = {
        # Each address once: the page links to "/" eight times.
        "urls": {name: reverse(f"timeline:{name}") for name in ("index", "feed", "export_csv", "export_json", "codebook")},
        "filterset": filterset,
        "groups": group_by_month(events, after=cursor),
        "next_cursor": next_cursor,
        "shown": above + len(events),
        "cursor": cursor,
        "ignored": ignored,
        "query": query.urlencode(),
    }
    template = "timeline/index.html"
    if not shows_facets:
        template += "#page"
    else:
        context["facets"] = facet_list
        context["facet_seconds"] = settings.FACET_CACHE_SECONDS
        context["total"] = total_from_facets(context["facets"])
        context["chips"] = chips(filterset, query, context["facets"])
        context["overview"] = facet_list.overview
        context["title"] = describe(filterset, facet_list)
        if partial:
            template += "#results"
            context["oob"] = True
            # A chip or "clear all" changed the filters from outside the form:
            # send the form's text fields too, so they match the new URL.
            context["refresh_text_fields"] = request.htmx.trigger != "filters"
    response = render(request, template, context, status=status)
    if partial and not cursor:
        # Push the URL of what the filters apply, not the form's raw fields
        # (no empty parameters, nothing that was ignored).
        response["HX-Push-Url"] = f"/?{context['query']}" if context["query"] else "/"
    elif partial:
        # "Load more" is not a new place to go back to: the address it
        # replaces shows every event seen so far (see pagination.MAX_SHOWN).
        response["HX-Replace-Url"] = f"/?{context['query']}{'&' if context['query'] else ''}shown={context['shown']}"
    return response


def _can_preview(user):
    return user.is_active and user.is_staff and user.has_perm("timeline.change_event")


def event_detail(request, slug):
    """One event. Drafts are 404 for readers; editors preview them, marked and never cached."""
    events = Event.objects.with_relations()
    preview = _can_preview(request.user)
    event = get_object_or_404(events if preview else events.public(), slug=slug)
    measure_events = []
    if event.measure_id:
        measure_events = list(event.measure.events.public().select_related("event_type").order_by("sort_date", "id"))
    response = render(request, "timeline/event_detail.html", {"event": event, "measure_events": measure_events})
    if not event.is_public:
        add_never_cache_headers(response)
    return response


def measure_detail(request, slug):
    measure = get_object_or_404(Measure, slug=slug)
    steps = list(measure.events.public().select_related("event_type").prefetch_related("sources").order_by("sort_date", "id"))
    if not steps:
        raise Http404("No public event on this measure yet.")
    # The measure stands where its latest staged step left it; a later event
    # without a stage (a statement about it, say) does not move it.
    current = next((step for step in reversed(steps) if step.stage), None)
    return render(request, "timeline/measure_detail.html", {"measure": measure, "steps": steps, "current": current})


def _all_in_timeline_order(filterset):
    """The events `/` shows for the same query string, all of them, in the same order."""
    return filterset.qs.order_by(*(("-sort_date", "-id") if filterset.newest_first else ("sort_date", "id")))


def _base_url(request):
    return request.build_absolute_uri("/").rstrip("/")


@every_filter_applied
def export_csv(request, filterset):
    return export.csv_response(_all_in_timeline_order(filterset), _base_url(request))


@every_filter_applied
def export_json(request, filterset):
    return export.json_response(_all_in_timeline_order(filterset), _base_url(request))


def codebook(request):
    context = {
        "columns": export.PUBLIC_COLUMNS,
        "separator": export.LIST_SEPARATOR,
        "event_types": EventType.objects.all(),
        "stages": [(stage.label, stage.value, STAGE_DEFINITIONS[stage]) for stage in Stage],
        "site_url": _base_url(request),
    }
    return render(request, "timeline/codebook.html", context)


def favicon(request):
    """Browsers ask for /favicon.ico whatever the page says; send them to the icon (its name changes with each release)."""
    response = HttpResponseRedirect(static("favicon.svg"))
    patch_cache_control(response, max_age=86400)
    return response


def robots_txt(request):
    lines = ["User-agent: *", "Disallow: /admin/", "Disallow: /export.", f"Sitemap: {_base_url(request)}/sitemap.xml"]
    return HttpResponse("\n".join(lines) + "\n", content_type="text/plain")
