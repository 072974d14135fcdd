"""Share cards: every page's OpenGraph and Twitter card tags, and the PNG they point to."""

import datetime
import io
import re
from urllib.parse import urlsplit

import pytest
from django.utils import timezone
from PIL import Image

from timeline import share
from timeline.changes import data_version
from timeline.models import Event, Stage, Status

from .factories import DraftFactory, EventFactory, EventTypeFactory, MeasureFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def story():
    ban = EventTypeFactory(name="Ban or restriction", slug="ban")
    measure = MeasureFactory(title="Czech restrictions on Huawei", slug="czech-restrictions", description="What the Czech state did.")
    czech = {"countries": ["CZ"], "measure": measure}
    EventFactory(title="Czech agency warns", slug="warning", stage=Stage.CONSIDERED, date=datetime.date(2018, 12, 17), **czech)
    EventFactory(title="Czech ban", slug="czech-ban", event_type=ban, stage=Stage.IN_EFFECT, date=datetime.date(2019, 1, 4), **czech)
    EventFactory(title="German ban", slug="german-ban", event_type=ban, countries=["DE"], date=datetime.date(2019, 3, 1))
    DraftFactory(title="Secret draft", slug="secret", event_type=ban, countries=["FR"], measure=measure, date=datetime.date(2019, 6, 1))
    return measure


def meta(page, attribute, name):
    found = re.search(rf'<meta {attribute}="{re.escape(name)}" content="([^"]*)">', page)
    return found[1] if found else None


def tags(page):
    return {
        name: meta(page, attribute, name)
        for attribute, names in (
            ("property", ["og:title", "og:description", "og:url", "og:image", "og:type", "og:site_name", "og:image:alt"]),
            ("name", ["twitter:card", "twitter:title", "twitter:description", "twitter:image"]),
        )
        for name in names
    }


def png(client, url):
    response = client.get(url)
    assert response.status_code == 200, response.content
    assert response["Content-Type"] == "image/png"
    image = Image.open(io.BytesIO(response.content))
    assert image.format == "PNG" and image.size == (1200, 630)
    return response


@pytest.mark.parametrize("path", ["/", "/?country=DE", "/events/czech-ban/", "/measures/czech-restrictions/", "/data/", "/no-such-page/"])
def test_every_page_has_open_graph_and_twitter_card_tags(client, story, path):
    found = tags(client.get(path).content.decode())
    assert all(found.values()), found
    assert found["twitter:card"] == "summary_large_image"
    assert found["og:site_name"] == "Policy Timeline"
    assert found["og:image"].startswith("http://testserver/share/") and found["twitter:image"] == found["og:image"]


def test_a_filtered_view_says_what_it_holds(client, story):
    page = client.get("/?type=ban&country=DE&cursor=&utm_source=x").content.decode()
    found = tags(page)
    assert found["og:title"] == found["twitter:title"] == "Bans or restrictions in Germany"
    assert found["og:description"] == "Bans or restrictions in Germany: one event, Mar 2019, each with its sources."
    assert meta(page, "name", "description") == found["og:description"]
    assert found["og:url"] == "http://testserver/?type=ban&amp;country=DE"
    assert found["og:image"] == f"http://testserver/share/timeline.png?type=ban&amp;country=DE&amp;v={data_version()}"


def test_the_whole_timeline_describes_itself(client, story):
    found = tags(client.get("/").content.decode())
    assert found["og:title"] == "Policy Timeline"
    assert found["og:description"] == "Bans, reviews, arrests, warnings and laws: 3 events, Dec 2018 – Mar 2019, each with its sources."
    assert found["og:image"] == f"http://testserver/share/timeline.png?v={data_version()}"


def test_an_event_and_a_measure_point_to_their_own_images(client, story):
    event = tags(client.get("/events/czech-ban/").content.decode())
    assert event["og:type"] == "article" and event["og:title"] == "Czech ban"
    assert event["og:image"] == f"http://testserver/share/events/czech-ban.png?v={Event.objects.get(slug='czech-ban').version}"
    measure = tags(client.get("/measures/czech-restrictions/").content.decode())
    assert measure["og:title"] == "Czech restrictions on Huawei"
    # Two public events: the draft is not counted.
    assert measure["og:description"] == (
        "Now in effect. Followed through 2 sourced events, 17 Dec 2018 to 4 Jan 2019. What the Czech state did."
    )
    assert measure["og:image"] == f"http://testserver/share/measures/czech-restrictions.png?v={data_version()}"


def test_a_draft_preview_does_not_point_to_an_image_of_itself(admin_client, story):
    found = tags(admin_client.get("/events/secret/").content.decode())
    assert "secret" not in found["og:image"] and "Secret" not in found["og:title"]


def test_each_image_address_on_the_pages_answers_with_a_png(client, story):
    for path in ["/", "/?type=ban&country=CZ", "/events/warning/", "/measures/czech-restrictions/"]:
        image = tags(client.get(path).content.decode())["og:image"].replace("&amp;", "&")
        response = png(client, urlsplit(image).path + "?" + urlsplit(image).query)
        assert response["Cache-Control"] == f"public, max-age={share.MAX_AGE}"


@pytest.mark.parametrize(
    ("query", "reason"),
    [
        ("country=XX", "country: Select a valid choice"),
        ("since=yesterday", "since:"),
        ("type=no-such-type", "type: Select a valid choice"),
        ("since=2019&until=2018", "until: The end of the period is before its start."),
        ("q=" + "x" * 300, "q: some values were ignored"),
    ],
)
def test_a_filter_it_cannot_apply_is_a_400_with_the_reason(client, story, query, reason):
    response = client.get(f"/share/timeline.png?{query}")
    assert response.status_code == 400
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    assert reason in response.content.decode()


@pytest.mark.parametrize(
    "path", ["/share/events/secret.png", "/share/events/no-such-event.png", "/share/measures/no-such-measure.png", "/share/events/x.png"]
)
def test_no_image_of_what_is_not_public(client, story, path):
    assert client.get(path).status_code == 404


def test_a_scheduled_event_and_a_measure_of_drafts_only_have_no_image(client, story):
    drafts_only = MeasureFactory(slug="in-preparation")
    DraftFactory(measure=drafts_only)
    EventFactory(slug="scheduled", publish_at=timezone.now() + datetime.timedelta(hours=1))
    assert client.get("/share/events/scheduled.png").status_code == 404
    assert client.get("/share/measures/in-preparation.png").status_code == 404
    # A value only drafts carry is no filter a reader can use: nothing tells it exists.
    assert client.get("/share/timeline.png?measure=in-preparation").status_code == 400


@pytest.fixture
def drawn(monkeypatch):
    """The pictures the views ask to draw, instead of their PNGs."""
    pictures = []

    def render(picture):
        pictures.append(picture)
        return b"PNG of " + picture.title.encode()

    monkeypatch.setattr(share, "render", render)
    return pictures


def test_the_images_show_only_public_events(client, story, drawn):
    client.get("/share/measures/czech-restrictions.png")
    client.get("/share/timeline.png?type=ban")
    client.get("/share/events/czech-ban.png")
    measure, bans, event = drawn
    assert (measure.kicker, measure.counts) == ("Measure · now in effect", "2 events, 17 Dec 2018 – 4 Jan 2019")
    assert sum(bar.count for bar in measure.overview.bars) == 2
    assert (bans.title, bans.counts) == ("Bans or restrictions", "2 events, Jan 2019 – Mar 2019")
    assert sum(bar.count for bar in bans.overview.bars) == 2
    assert event.kicker == "Ban or restriction · 4 Jan 2019 · Czechia"
    assert event.counts == "One of 2 events on “Czech restrictions on Huawei”"
    assert [bar.label for bar in event.overview.bars if share._covers(bar, event.highlight)] == ["Jan 2019"]


def test_an_event_without_a_measure_is_shown_among_the_events_of_its_place(client, story, drawn):
    client.get("/share/events/german-ban.png")
    EventFactory(countries=["DE"], date=datetime.date(2019, 3, 2))
    client.get("/share/events/german-ban.png")
    assert [picture.counts for picture in drawn] == ["The only event in Germany", "One of 2 events in Germany"]


def test_an_image_is_drawn_once_per_data_version(client, story, drawn, django_assert_num_queries):
    assert client.get("/share/events/czech-ban.png").content == b"PNG of Czech ban"
    # Only the data version, read from the database: no event, no facet count, no drawing.
    with django_assert_num_queries(1):
        assert client.get("/share/events/czech-ban.png").content == b"PNG of Czech ban"
    assert len(drawn) == 1
    Event.objects.get(slug="german-ban").save()  # any edit bumps the data version
    client.get("/share/events/czech-ban.png")
    assert len(drawn) == 2


def test_an_unpublished_event_loses_its_image_at_once(client, story):
    png(client, "/share/events/german-ban.png")
    event = Event.objects.get(slug="german-ban")
    event.status = Status.DRAFT
    event.save()
    assert client.get("/share/events/german-ban.png").status_code == 404


@pytest.mark.parametrize(
    "query",
    [
        "q=%00",
        "q=%F0%9F%98%80+%D8%B4%D8%B4+%E4%B8%AD%E6%96%87",
        "q=" + "%D8%B4" * 200,
        "q=+++",
        "since=0001&until=9999-12-31",
        "since=0001-01-01",
        "country=eu&country=DE&country=de",
        "&".join(["type=ban"] * 60),
        "order=sideways",
        "v=not-a-version&shown=-1&cursor=%FF",
        "country=%C0%AF",
    ],
)
def test_hostile_queries_get_an_image_or_a_400_never_a_500(client, story, query):
    response = client.get(f"/share/timeline.png?{query}")
    assert response.status_code in (200, 400)
    if response.status_code == 200:
        assert Image.open(io.BytesIO(response.content)).size == (1200, 630)


def test_a_long_title_is_set_in_three_lines_at_most():
    font, lines = share._fit("Word " * 80, "DejaVuSerif-Bold", [(60, 2), (52, 3), (44, 3)], 1072)
    assert len(lines) == 3 and lines[-1].endswith("…")
    assert all(font.getlength(line) <= 1072 for line in lines)
    # A word too long for a line is broken inside.
    font, lines = share._fit("x" * 200, "DejaVuSans", [(30, 3)], 500)
    assert all(font.getlength(line) <= 500 for line in lines)


def test_it_draws_any_script_and_an_empty_view(story):
    picture = share.Picture("Ban or restriction · 1 Dec 2018 · Česko", "Zákaz Huawei: «ŁÓDŹ» ÆØÅ Ελλάδα Україна", "One of 2 events")
    image = Image.open(io.BytesIO(share.render(picture)))
    assert image.size == (1200, 630)
    empty = share.timeline_picture("Bans in France", 0, None)
    assert empty.counts == "No event matches these filters yet"
    assert Image.open(io.BytesIO(share.render(empty))).size == (1200, 630)
