"""Share cards: what a link to a page shows where it is posted.

Each page has OpenGraph and Twitter card tags (templates/_share_tags.html)
whose image is drawn here with Pillow: 1200x630, the size both platforms
show large, with the page's title, its counts and the overview strip's bars.
An image is drawn once per data version (changes.data_version, which every
edit bumps) and served from the cache after that; the page's tags add the
version to the image's address, so a shared link shows an edit once the
platform reads the page again.

Only public events are drawn: the timeline's images go through
filter_public_events, an event's and a measure's through Event.objects.public().
"""

import hashlib
import io
from dataclasses import dataclass
from functools import lru_cache

from django.conf import settings
from django.core.cache import cache
from django.http import HttpResponse, QueryDict
from django.utils import translation
from django.utils.cache import patch_cache_control
from django.utils.formats import number_format
from django.utils.translation import gettext, ngettext, pgettext
from PIL import Image, ImageDraw, ImageFont

from .changes import data_version
from .facets import cached_facets, total_from_facets
from .filters import filter_public_events
from .models import STAGE_IN_TEXT
from .vocabulary import type_name

WIDTH, HEIGHT = 1200, 630
MARGIN = 64
# Platforms fetch an image once per address, and the address changes with
# the data version: an hour only bounds what a reader's browser keeps.
MAX_AGE = 60 * 60

# The site's light palette (static/css/site.css): a shared card is seen on any background.
PAPER = "#ffffff"
INK = "#1a1a1a"
MUTED = "#555555"
ACCENT = "#a3111b"
WASH = "#f6f4ef"


@dataclass(frozen=True)
class ShareTags:
    """A page's OpenGraph and Twitter card tags."""

    title: str
    description: str
    url: str
    image: str
    image_alt: str
    kind: str = "website"


@dataclass(frozen=True)
class Picture:
    """What a share image shows: a line above the title, the title, its counts and an overview (overview.Overview)."""

    kicker: str
    title: str
    counts: str
    overview: object = None
    # The bar of this date (ISO) is drawn darker: an event's place among its neighbours.
    highlight: str = ""


def _events(count):
    return ngettext("One event", "%(count)s events", count) % {"count": number_format(count, force_grouping=True)}


def _period(overview):
    if not overview:
        return ""
    first, last = overview.bars[0].label, overview.bars[-1].label
    return first if first == last else f"{first} – {last}"


def timeline_picture(title, total, overview):
    """A filtered view: what the filters show (chips.describe), how many events, when."""
    period = _period(overview)
    counts = f"{_events(total)}, {period}" if period else _events(total) if total else gettext("No event matches these filters yet")
    return Picture(gettext("Timeline"), title or gettext("Policy developments with their sources"), counts, overview)


def timeline_description(title, total, overview):
    """What a view holds, for its description tags: “Bans or restrictions in Germany: 12 events, 2018 – 2019, each with its sources.”"""
    what = title or gettext("Bans, reviews, arrests, warnings and laws")
    if not total:
        return gettext("%(view)s: no event yet.") % {"view": what}
    count = number_format(total, force_grouping=True)
    if period := _period(overview):
        text = ngettext(
            "%(view)s: one event, %(period)s, each with its sources.",
            "%(view)s: %(count)s events, %(period)s, each with its sources.",
            total,
        )
    else:
        text = ngettext("%(view)s: one event, each with its sources.", "%(view)s: %(count)s events, each with its sources.", total)
    return text % {"view": what, "count": count, "period": period}


def measure_description(measure, steps, current):
    """Where a measure stands, how many public events followed it, when, and what it covers."""
    stage = gettext("Now %(stage)s.") % {"stage": STAGE_IN_TEXT[current.stage]} + " " if current else ""
    if len(steps) == 1:
        followed = gettext("One sourced event, %(date)s.") % {"date": steps[0].display_date}
    else:
        followed = gettext("Followed through %(count)s sourced events, %(first)s to %(last)s.") % {
            "count": len(steps),
            "first": steps[0].display_date,
            "last": steps[-1].display_date,
        }
    return f"{stage}{followed} {measure.description}".strip()


def event_picture(event):
    """One event among its neighbours: the events of its measure, or of its first place, or the whole timeline."""
    places = [place.name for place in event.jurisdictions.all()]
    kicker = " · ".join([type_name(event.event_type.name), event.display_date, *([", ".join(places)] if places else [])])
    if event.measure:
        query = f"measure={event.measure.slug}"
        among = pgettext("share image", "on %(measure)s") % {
            "measure": pgettext("quoted text", "“%(text)s”") % {"text": event.measure.title}
        }
    elif places:
        first = event.jurisdictions.all()[0]
        query, among = f"country={first.code}", pgettext("share image", "in %(place)s") % {"place": first.name}
    else:
        query, among = "", pgettext("share image", "on the timeline")
    filterset, _ = filter_public_events(QueryDict(query))
    facet_list = cached_facets(filterset)
    total = total_from_facets(facet_list)
    if total == 1:
        counts = gettext("The only event %(among)s") % {"among": among}
    else:
        counts = gettext("One of %(count)s events %(among)s") % {"count": number_format(total, force_grouping=True), "among": among}
    return Picture(kicker, event.title, counts, facet_list.overview, highlight=event.date.isoformat())


def measure_picture(measure, steps, current):
    """A measure: where it stands now, how many public events followed it, when."""
    kicker = gettext("Measure · now %(stage)s") % {"stage": STAGE_IN_TEXT[current.stage]} if current else gettext("Measure")
    filterset, _ = filter_public_events(QueryDict(f"measure={measure.slug}"))
    overview = cached_facets(filterset).overview
    first, last = steps[0].display_date, steps[-1].display_date
    counts = f"{_events(len(steps))}, {first}" + (f" – {last}" if last != first else "")
    return Picture(kicker, measure.title, counts, overview)


def tags(request, title, description, path, image_path, version=None, kind="website"):
    """A page's share tags: `path` is its address (with the query it applies), `image_path` its picture's.

    `version` goes into the image's address, so that platforms, which fetch an
    image once per address, fetch it again after an edit: the data version when
    the view has read it already, an event's own version on its page (an edit
    elsewhere does not make platforms fetch it again), changes.data_version otherwise.
    """
    separator = "&" if "?" in image_path else "?"
    # The image in the page's language, whoever fetches it (timeline/i18n.py).
    language = translation.get_language()
    in_language = f"&lang={language}" if language != settings.LANGUAGE_CODE else ""
    return ShareTags(
        title=title,
        description=description,
        url=request.build_absolute_uri(path),
        # The data version makes a new address after each edit: platforms fetch an image once per address.
        image=request.build_absolute_uri(f"{image_path}{separator}v={version or data_version()}{in_language}"),
        image_alt=gettext("%(title)s: a Policy Timeline card with the number of events and a bar chart of them over time.")
        % {"title": title},
        kind=kind,
    )


def cached_png(kind, identity, draw):
    """The PNG of `identity` (a string naming what is drawn) as of the current data version; `draw()` makes it when missing.

    `draw` returns a Picture, or None when there is nothing public to draw (the view answers 404).
    """
    # Per language: the picture's words and dates are in it.
    key = f"share:{kind}:{translation.get_language()}:{data_version()}:" + hashlib.sha256(identity.encode()).hexdigest()
    png = cache.get(key)
    if png is None:
        picture = draw()
        if picture is None:
            return None
        png = render(picture)
        cache.set(key, png, settings.FACET_CACHE_SECONDS)
    return png


def png_response(png):
    response = HttpResponse(png, content_type="image/png")
    patch_cache_control(response, public=True, max_age=MAX_AGE)
    return response


@lru_cache(maxsize=16)
def _font(name, size):
    """DejaVu when installed (Debian's fonts-dejavu-core: every European script), else Pillow's own font."""
    try:
        return ImageFont.truetype(f"{name}.ttf", size)
    except OSError:
        return ImageFont.load_default(size)


def _wrap(text, font, width):
    """Lines of `text` no wider than `width`, broken between words (inside a word only when it alone is too wide)."""
    lines, line = [], ""
    for word in text.split():
        candidate = f"{line} {word}" if line else word
        if font.getlength(candidate) <= width:
            line = candidate
            continue
        if line:
            lines.append(line)
        line = ""
        for character in word:
            if font.getlength(line + character) > width:
                lines.append(line)
                line = ""
            line += character
    if line:
        lines.append(line)
    return lines


def _fit(text, font_name, sizes, width):
    """The first (size, max_lines) of `sizes` that sets `text` in its lines; at the last, its last line ends in “…”."""
    for size, max_lines in sizes:
        font = _font(font_name, size)
        lines = _wrap(text, font, width) or [""]
        if len(lines) <= max_lines:
            return font, lines
    lines = lines[:max_lines]
    last = lines[-1]
    while last and font.getlength(last + "…") > width:
        last = last[:-1]
    lines[-1] = last.rstrip() + "…"
    return font, lines


# Below the title's three lines and the counts; the ticks and the caption fit around it.
STRIP_TOP, STRIP_BOTTOM = 430, 560


def render(picture):
    """The 1200x630 PNG of `picture`."""
    image = Image.new("RGB", (WIDTH, HEIGHT), PAPER)
    draw = ImageDraw.Draw(image)
    inner = WIDTH - 2 * MARGIN
    draw.rectangle((0, 0, WIDTH, 10), fill=ACCENT)

    brand = _font("DejaVuSerif-Bold", 34)
    draw.text((MARGIN, 40), "Policy ", font=brand, fill=INK)
    draw.text((MARGIN + brand.getlength("Policy "), 40), "Timeline", font=brand, fill=ACCENT)

    kicker_font = _font("DejaVuSans-Bold", 26)
    kicker = _fit(picture.kicker, "DejaVuSans-Bold", [(26, 1)], inner)[1][0]
    draw.text((MARGIN, 104), kicker, font=kicker_font, fill=MUTED)

    title_font, lines = _fit(picture.title, "DejaVuSerif-Bold", [(60, 2), (52, 3), (44, 3)], inner)
    y = 146
    line_height = round(title_font.size * 1.2)
    for line in lines:
        draw.text((MARGIN, y), line, font=title_font, fill=INK)
        y += line_height

    counts_font = _font("DejaVuSans", 30)
    counts = _fit(picture.counts, "DejaVuSans", [(30, 1)], inner)[1][0]
    draw.text((MARGIN, y + 14), counts, font=counts_font, fill=INK)

    if picture.overview:
        _strip(draw, picture.overview, picture.highlight)

    buffer = io.BytesIO()
    image.save(buffer, "PNG")
    return buffer.getvalue()


def _strip(draw, overview, highlight):
    """The overview's bars, as on the page: a slot per period, empty ones kept so gaps in time show."""
    inner = WIDTH - 2 * MARGIN
    bars = overview.bars
    slot = min(inner / len(bars), 80)
    gap = 2 if slot >= 6 else 0
    left = MARGIN + (inner - slot * len(bars)) / 2
    tallest = max(bar.count for bar in bars)
    draw.rectangle((MARGIN, STRIP_TOP, WIDTH - MARGIN, STRIP_BOTTOM), fill=WASH)
    tick_font = _font("DejaVuSans", 20)
    tick_end = 0
    for position, bar in enumerate(bars):
        x = left + position * slot
        if bar.count:
            height = max(3, round(bar.count / tallest * (STRIP_BOTTOM - STRIP_TOP - 8)))
            colour = INK if highlight and _covers(bar, highlight) else ACCENT
            draw.rectangle((x + gap / 2, STRIP_BOTTOM - height, x + slot - gap / 2 - 1, STRIP_BOTTOM), fill=colour)
        if bar.tick and x >= tick_end:
            draw.text((x, STRIP_BOTTOM + 6), bar.tick, font=tick_font, fill=MUTED)
            tick_end = x + tick_font.getlength(bar.tick) + 12
    draw.line((MARGIN, STRIP_BOTTOM, WIDTH - MARGIN, STRIP_BOTTOM), fill=MUTED, width=1)
    caption_font = _font("DejaVuSans", 20)
    caption = _fit(overview.caption, "DejaVuSans", [(20, 1)], inner)[1][0]
    draw.text((MARGIN, STRIP_TOP - 28), caption, font=caption_font, fill=MUTED)


def _covers(bar, day):
    """Whether the bar's period (its link's since and until) holds the ISO date `day`."""
    period = QueryDict(bar.query)
    since, until = period.get("since", ""), period.get("until", "")
    return bool(since) and since <= day[: len(since)] <= until
