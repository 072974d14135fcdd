from django.conf import settings
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.cache import add_never_cache_headers
from django.views.decorators.vary import vary_on_headers

from . import embed, export, share
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
# An embed lists fewer events before its link to the full view; `shown` asks for more.
EMBED_PAGE_SIZE = 10


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
        query_part = f"?{context['query']}" if context["query"] else ""
        # "Embed this view" is in the results, so it follows the filters chosen with htmx.
        context["embed_path"] = reverse("timeline:embed") + query_part
        context["embed_height"] = embed.FALLBACK_HEIGHT
        frame_title = f"Policy Timeline: {context['title']}" if context["title"] else "Policy Timeline"
        context["embed_snippet"] = embed.snippet(_base_url(request), context["embed_path"], frame_title)
        if not partial:
            context["share"] = share.tags(
                request,
                context["title"] or "Policy Timeline",
                share.timeline_description(context["title"], context["total"], context["overview"]),
                context["urls"]["index"] + query_part,
                reverse("timeline:share_timeline") + query_part,
                filterset.data_version,
            )
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
    context = {"event": event, "measure_events": measure_events}
    if event.is_public:
        context["share"] = share.tags(
            request,
            event.title,
            event.summary,
            event.get_absolute_url(),
            reverse("timeline:share_event", args=[event.slug]),
            kind="article",
        )
    response = render(request, "timeline/event_detail.html", context)
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
    context = {"measure": measure, "steps": steps, "current": current}
    context["share"] = share.tags(
        request,
        measure.title,
        share.measure_description(measure, steps, current),
        measure.get_absolute_url(),
        reverse("timeline:share_measure", args=[measure.slug]),
    )
    return render(request, "timeline/measure_detail.html", context)


@embed.embeddable
def embed_timeline(request):
    """The timeline in another site's iframe: what the filters show, the first events, a link to the full view.

    The same query string as `/`, read by the same filters; no form and no
    htmx (a host page's frame is for reading), so it needs no JavaScript but
    embed.js, which only reports the page's height to the host.
    """
    filterset, ignored = filter_public_events(request.GET)
    status = 200
    try:
        shown = decode_shown(request.GET.get("shown", ""))
    except BadCursor as error:
        ignored.append(str(error))
        shown, status = None, 400
    facet_list = cached_facets(filterset)
    plan_words_search(filterset, facet_list)
    events, more = keyset_page(filterset.qs.for_cards(), None, filterset.newest_first, shown or EMBED_PAGE_SIZE)
    attach_cards(events, filterset.data_version)
    query = canonical_query(filterset).urlencode()
    context = {
        "filterset": filterset,
        "ignored": ignored,
        "groups": group_by_month(events),
        "more": more is not None,
        "total": total_from_facets(facet_list),
        "overview": facet_list.overview,
        "facets": facet_list,
        "facet_seconds": settings.FACET_CACHE_SECONDS,
        "title": describe(filterset, facet_list),
        "full_url": reverse("timeline:index") + (f"?{query}" if query else ""),
    }
    return render(request, "timeline/embed.html", context, status=status)


def _image_or_404(png):
    if png is None:
        raise Http404("Nothing public to show.")
    return share.png_response(png)


@every_filter_applied
def share_timeline_image(request, filterset):
    """The share image of a filtered view; 400 when a filter cannot be applied, as for the downloads."""

    def draw():
        facet_list = cached_facets(filterset)
        return share.timeline_picture(describe(filterset, facet_list), total_from_facets(facet_list), facet_list.overview)

    return _image_or_404(share.cached_png("timeline", canonical_query(filterset).urlencode(), draw))


def share_event_image(request, slug):
    """A public event's share image; a draft is 404, even to editors (an image travels)."""

    def draw():
        event = Event.objects.public().select_related("event_type", "measure").prefetch_related("jurisdictions").filter(slug=slug).first()
        return share.event_picture(event) if event else None

    return _image_or_404(share.cached_png("event", slug, draw))


def share_measure_image(request, slug):
    """A measure's share image, drawn from its public events only; 404 without any."""

    def draw():
        measure = Measure.objects.filter(slug=slug).first()
        steps = list(measure.events.public().order_by("sort_date", "id")) if measure else []
        if not steps:
            return None
        current = next((step for step in reversed(steps) if step.stage), None)
        return share.measure_picture(measure, steps, current)

    return _image_or_404(share.cached_png("measure", slug, draw))


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
    context["share"] = share.tags(
        request,
        "Open data: the codebook",
        "Every event of the timeline as CSV, JSON or through the API, free to reuse under CC BY 4.0: what each column and value means.",
        reverse("timeline:codebook"),
        reverse("timeline:share_timeline"),
    )
    return render(request, "timeline/codebook.html", context)


def robots_txt(request):
    lines = ["User-agent: *", "Disallow: /admin/", "Disallow: /export.", f"Sitemap: {_base_url(request)}/sitemap.xml"]
    return HttpResponse("\n".join(lines) + "\n", content_type="text/plain")
