import datetime
from urllib.parse import urlsplit

from django.conf import settings
from django.db.models import Q
from django.http import FileResponse, Http404, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.templatetags.static import static
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.cache import add_never_cache_headers, patch_cache_control, patch_vary_headers
from django.utils.translation import gettext as _
from django.utils.translation import npgettext
from django.views.decorators.vary import vary_on_headers

from . import embed, export, measures, releases, share
from .api import codebook_fields as api_fields
from .cards import attach_cards
from .changes import data_version
from .chips import chips, describe
from .dates import DatePrecision, format_date
from .facet_index import current_index
from .facets import cached_facets, cached_until_published, plan_words_search, total_from_facets
from .filters import canonical_query, every_filter_applied, filter_public_events
from .i18n import format_reader_date
from .models import STAGE_DEFINITIONS, Event, EventActor, EventType, Measure, Release, Role, Stage
from .pagination import BadCursor, decode_cursor, decode_shown, filtered_page, group_by_month

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
    events, next_cursor = filtered_page(filterset, cursor, size)
    attach_cards(events, filterset.data_version, focus_first=cursor is not None)
    query = canonical_query(filterset)
    context = {
        # Each address once: the page links to "/" eight times.
        "urls": {name: reverse(f"timeline:{name}") for name in ("index", "feed", "export_csv", "export_json", "export_xlsx", "codebook")},
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


# The order the actors of an event are listed in: who acted, on whom, who else.
ROLE_ORDER = {role: position for position, role in enumerate(Role.values)}
RELATED_EACH_SIDE = 3


def event_detail(request, slug):
    """One event. Drafts are 404 for readers; editors preview them, marked and never cached."""
    # Read before the event: what is cached under this version is never older than the event it goes with.
    version = data_version()
    events = Event.objects.with_relations()
    preview = _can_preview(request.user)
    event = get_object_or_404(events if preview else events.public(), slug=slug)
    actor_links = sorted(event.event_actors.all(), key=lambda link: (ROLE_ORDER.get(link.role, len(ROLE_ORDER)), link.pk))
    context = {
        "event": event,
        **(_around_cached(event, actor_links, version) if event.is_public else _around(event, actor_links)),
        "actor_links": actor_links,
        "back": _way_back(request),
    }
    if event.is_public:
        context["share"] = share.tags(
            request,
            event.title,
            event.summary,
            event.get_absolute_url(),
            reverse("timeline:share_event", args=[event.slug]),
            version=event.version,
            kind="article",
        )
    response = render(request, "timeline/event_detail.html", context)
    # The way back depends on the page the reader came from.
    patch_vary_headers(response, ["Referer"])
    if not event.is_public:
        add_never_cache_headers(response)
    return response


def _around(event, actor_links):
    """What an event's page shows of other public events: its measure's steps, drawn as a lane, and the related events."""
    measure_events, lane, ticks = [], None, []
    if event.measure_id:
        measure_events = list(event.measure.events.public().only(*STEP_COLUMNS).order_by("sort_date", "id"))
        if measure_events:
            lane, ticks = measures.event_lane(measure_events, event)
    return {"measure_events": measure_events, "lane": lane, "ticks": ticks, "related": _related_by_actors(event, actor_links)}


def _around_cached(event, actor_links, version):
    """_around(), cached per data version until the next scheduled event goes live.

    It depends only on public events, their actors, types and measures, and
    this event's place, measure and actors: every edit of those changes the
    data version (signals.py). Publishing needs no edit, so the entry lasts
    until the facet index's next publish time, as the counts do. Per
    language: the lane's dates are written out.
    """
    key = f"event-around:{translation.get_language()}:{version}:{event.pk}"
    return cached_until_published(key, current_index(version), lambda: _around(event, actor_links))


# How many events on each side of an event are searched for ones sharing its actors.
RELATED_WINDOW = 200
# What the page shows of a related event, and its place in the timeline.
RELATED_COLUMNS = ["slug", "title", "date", "date_precision", "end_date", "sort_date"]
# What the page shows of a step of the event's measure, and what places it on the lane.
STEP_COLUMNS = ["id", "slug", "title", "date", "date_precision", "end_date", "stage", "sort_date", "covers_until", "measure"]


def _related_by_actors(event, actor_links):
    """Public events off this event's measure that share an actor with it: the nearest before and after it.

    Among the RELATED_WINDOW public events on each side in the timeline's
    order: a walk of the (date, id) index from the event, and the links of
    those events to its actors with the events' own columns, a query a side,
    whatever the number of events of an actor. Asked of the database as
    "the nearest events with an actor", PostgreSQL read every event of a
    supplier that has 50,000 (9 s an event page at 1,000,000 events).
    """
    actor_ids = {link.actor_id for link in actor_links}
    if not actor_ids:
        return []
    nearby = Event.objects.public().exclude(pk=event.pk)
    if event.measure_id:
        nearby = nearby.exclude(measure=event.measure_id)
    day, pk = event.sort_date, event.pk
    # A range on the date alone, so PostgreSQL walks the (date, id) index from the event (an OR
    # of date and id alone scanned every event); the same day's events are split by id on the way.
    sides = [
        nearby.filter(Q(sort_date__lt=day) | Q(sort_date=day, pk__lt=pk), sort_date__lte=day).order_by("-sort_date", "-id"),
        nearby.filter(Q(sort_date__gt=day) | Q(sort_date=day, pk__gt=pk), sort_date__gte=day).order_by("sort_date", "id"),
    ]
    related = []
    for side, order in zip(sides, (-1, 1), strict=True):
        # Plain rows, not models: a common actor links ~100 of the window's events, and the page shows six.
        links = EventActor.objects.filter(event__in=side.values("pk")[:RELATED_WINDOW], actor__in=actor_ids).values_list(
            "event_id", "actor__name", *(f"event__{name}" for name in RELATED_COLUMNS), "event__event_type__name"
        )
        rows, shared = {}, {}
        for linked, actor, *columns in links.order_by("id"):
            rows[linked] = columns
            names = shared.setdefault(linked, [])
            if actor not in names:
                names.append(actor)
        place = RELATED_COLUMNS.index("sort_date")
        nearest = sorted(rows, key=lambda linked: (rows[linked][place], linked), reverse=order < 0)
        items = []
        for linked in nearest[:RELATED_EACH_SIDE]:
            *columns, type_name = rows[linked]
            item = Event(pk=linked, **dict(zip(RELATED_COLUMNS, columns, strict=True)), event_type=EventType(name=type_name))
            item.shared_actors = shared[linked]
            items.append(item)
        # Listed in the timeline's order, oldest first.
        related += items[::order]
    return related


def _way_back(request):
    """Where "back" goes from an event: the timeline or the measures page the reader came from, filters
    and all (the Referer of a link followed on this site), or the timeline."""
    referer = urlsplit(request.headers.get("Referer", ""))
    pages = {reverse("timeline:index"): _("Back to the timeline"), reverse("timeline:measures"): _("Back to the measures")}
    if referer.netloc == request.get_host() and referer.path in pages:
        return {"url": referer.path + (f"?{referer.query}" if referer.query else ""), "label": pages[referer.path]}
    return {"url": reverse("timeline:index"), "label": _("The timeline")}


MAX_PAGE = 100_000


@vary_on_headers("HX-Request", "HX-Trigger")
def measures_index(request):
    """Every measure as a lane over time and where each country stood on a date (`as_of`), with the timeline's filters."""
    filterset, ignored = filter_public_events(request.GET)
    today = timezone.localdate()
    status = 200
    as_of_text = request.GET.get("as_of", "").strip()
    try:
        as_of = measures.parse_as_of(as_of_text, today)
    except ValueError as error:
        ignored.append(_("As of: %(error)s Showing today instead.") % {"error": error})
        as_of, as_of_text, status = today, "", 400
    page_text = request.GET.get("page", "").strip() or "1"
    if not page_text.isdigit() or not 1 <= int(page_text) <= MAX_PAGE:
        ignored.append(_("Page: enter a page number, 1 or more; showing the first page."))
        page_text, status = "1", 400
    facet_list = cached_facets(filterset)
    view = measures.cached_view(filterset, as_of, int(page_text), today)

    query = canonical_query(filterset)
    # What the page shows besides the filters: the board's date (when not today) and the page of lanes.
    state = query.copy()
    if as_of != today:
        state["as_of"] = as_of_text
    with_page = state.copy()
    if view.page > 1:
        with_page["page"] = str(view.page)
    partial = request.htmx and not request.htmx.history_restore_request
    title = describe(filterset, facet_list)
    keep_query = f"as_of={as_of_text}" if as_of != today else ""
    context = {
        "urls": {name: reverse(f"timeline:{name}") for name in ("index", "measures", "codebook")},
        "filterset": filterset,
        "facets": facet_list,
        "facet_seconds": settings.FACET_CACHE_SECONDS,
        "view": view,
        "ignored": ignored,
        "chips": chips(filterset, state, facet_list),
        "query": query.urlencode(),
        "filterset_query": query,
        "state": state.urlencode(),
        "keep_query": keep_query,
        # Clearing the filters keeps the date the reader chose.
        "clear_url": reverse("timeline:measures") + (f"?{keep_query}" if keep_query else ""),
        "as_of_param": as_of_text if as_of != today else "",
        "as_of_words": measures.as_of_words(as_of, today),
        "today": today,
        "title": _("Measures: %(view)s") % {"view": title} if title else _("Measures"),
        "as_of_field": True,
        "hide_order": True,
        "stages": [(stage.value, stage.label) for stage in measures.BOARD_ORDER],
        "trend_stages": [(stage.value, stage.label, measures.SHORT_LABELS[stage]) for stage in measures.BOARD_ORDER],
    }
    template = "timeline/measures.html"
    if partial:
        template += "#results"
        context["oob"] = True
        context["refresh_text_fields"] = request.htmx.trigger != "filters"
    response = render(request, template, context, status=status)
    if partial:
        response["HX-Push-Url"] = reverse("timeline:measures") + (f"?{with_page.urlencode()}" if with_page else "")
    return response


def measure_detail(request, slug):
    measure = get_object_or_404(Measure, slug=slug)
    steps = list(measure.events.public().select_related("event_type").prefetch_related("sources").order_by("sort_date", "id"))
    if not steps:
        raise Http404(_("No public event on this measure yet."))
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
    events, more = filtered_page(filterset, None, shown or EMBED_PAGE_SIZE)
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
        raise Http404(_("Nothing public to show."))
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
    return _pointing_to_release(request, export.csv_response(_all_in_timeline_order(filterset), _base_url(request)), filterset)


@every_filter_applied
def export_json(request, filterset):
    return _pointing_to_release(request, export.json_response(_all_in_timeline_order(filterset), _base_url(request)), filterset)


@every_filter_applied
def export_xlsx(request, filterset):
    return export.xlsx_response(_all_in_timeline_order(filterset), _base_url(request))


def _pointing_to_release(request, response, filterset):
    """The full download (no filters) names the latest release's file of the same format in a
    Link header: the same data frozen, checksummed and citable. The download itself stays live."""
    number = releases.latest_number()
    if response.status_code == 200 and number is not None and not canonical_query(filterset):
        is_csv = response["Content-Type"].startswith("text/csv")
        name = releases.csv_name(number) if is_csv else releases.json_name(number)
        url = request.build_absolute_uri(reverse("timeline:release_file", args=[number, name]))
        response["Link"] = f'<{url}>; rel="alternate"; type="{"text/csv" if is_csv else "application/json"}"; title="Release {number}"'
    return response


def codebook(request):
    latest = Release.objects.order_by("-number").first()
    context = {
        "latest_release": latest,
        "latest_citation": releases.citation(latest, _base_url(request)) if latest else "",
        "codebook_version": export.CODEBOOK_VERSION,
        "api_fields": api_fields(),
        # The column names are a contract; what they mean is written in the reader's language.
        "columns": [(column.name, _(column.description)) for column in export.PUBLIC_COLUMNS],
        "separator": export.LIST_SEPARATOR,
        "event_types": EventType.objects.all(),
        "stages": [(stage.label, stage.value, STAGE_DEFINITIONS[stage]) for stage in Stage],
        "precisions": DatePrecision.choices,
        # How this language writes the examples' dates.
        "day_example": format_date(datetime.date(2018, 12, 1), DatePrecision.DAY),
        "month_example": format_date(datetime.date(2018, 12, 1), DatePrecision.MONTH),
        "sometime_example": _("Sometime in %(year)s") % {"year": 2018},
        "day_not_known": _("day not known"),
        "today_words": format_reader_date(timezone.localdate(), "LONG_DAY"),
        "site_url": _base_url(request),
    }
    context["share"] = share.tags(
        request,
        _("Open data: the codebook"),
        _("Every event of the timeline as CSV, JSON or through the API, free to reuse under CC BY 4.0: what each column and value means."),
        reverse("timeline:codebook"),
        reverse("timeline:share_timeline"),
    )
    return render(request, "timeline/codebook.html", context)


def release_list(request):
    listed = list(Release.objects.all())
    for release in listed:
        release.files = releases.files_of(release)
    return render(request, "timeline/release_list.html", {"releases": listed})


# How many events of each kind of change a release's page names; the changelog file lists them all.
CHANGES_SHOWN = 50


def _change_label(name, count):
    """What happened to `count` events of releases.CHANGES `name`, after their number: “3 added”."""
    return {
        "added": npgettext("release changes, after a number", "added", "added", count),
        "changed": npgettext("release changes, after a number", "changed", "changed", count),
        "corrected": npgettext("release changes, after a number", "corrected", "corrected", count),
        "withdrawn": npgettext("release changes, after a number", "withdrawn", "withdrawn", count),
    }[name]


def release_detail(request, number):
    release = get_object_or_404(Release, number=number)
    changes = []
    if changelog := releases.changelog_of(release):
        shown_ids = {pk for name in releases.CHANGES for pk in changelog[name][:CHANGES_SHOWN]}
        # Titles of those still public, as they read now; the release's files hold them as they were.
        shown = Event.objects.public().filter(pk__in=shown_ids).values_list("pk", "title", "slug")
        public = {pk: (title, slug) for pk, title, slug in shown}
        for name in releases.CHANGES:
            ids = changelog[name]
            listed = [(pk, *public.get(pk, (None, None))) for pk in ids[:CHANGES_SHOWN]]
            label = _change_label(name, len(ids))
            changes.append({"name": name, "label": label, "count": len(ids), "listed": listed, "more": len(ids) - len(listed)})
    context = {
        "release": release,
        "files": releases.files_of(release),
        "changes": changes,
        "citation": releases.citation(release, _base_url(request)),
        "is_latest": not Release.objects.filter(number__gt=release.number).exists(),
        "current_codebook": export.CODEBOOK_VERSION,
    }
    return render(request, "timeline/release_detail.html", context)


def release_file(request, number, name):
    """A release's file, as it was written: sent by the server from disk (FileResponse), never rebuilt."""
    release = get_object_or_404(Release, number=number)
    file = next((file for file in releases.files_of(release) if file.name == name), None)
    if file is None:
        raise Http404("This release has no such file.")
    try:
        handle = open(releases.release_dir(number) / name, "rb")
    except FileNotFoundError:
        raise Http404("This release's file is missing from the server's storage.") from None
    response = FileResponse(handle, as_attachment=True, filename=name, content_type=file.content_type)
    # Frozen: a year in caches, and the checksum as its validator.
    response["Cache-Control"] = "public, max-age=31536000, immutable"
    if file.sha256:
        response["ETag"] = f'"{file.sha256}"'
    return response


def favicon(request):
    """Browsers ask for /favicon.ico whatever the page says; send them to the icon (its name changes with each release)."""
    response = HttpResponseRedirect(static("favicon.svg"))
    patch_cache_control(response, max_age=86400)
    return response


def robots_txt(request):
    lines = ["User-agent: *", "Disallow: /admin/", "Disallow: /export.", f"Sitemap: {_base_url(request)}/sitemap.xml"]
    return HttpResponse("\n".join(lines) + "\n", content_type="text/plain")
