"""/embed/: the timeline for another site's iframe, the only page that may be framed, and the snippet on `/` that embeds it."""

import datetime
import html
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from timeline.embed import FALLBACK_HEIGHT, HEIGHT_MESSAGE
from timeline.views import EMBED_PAGE_SIZE

from .factories import DraftFactory, EventFactory, EventTypeFactory

pytestmark = pytest.mark.django_db

HTMX = {"HX-Request": "true"}


def frame_ancestors(response):
    return re.search(r"frame-ancestors ([^;]+)", response["Content-Security-Policy"])[1]


def titles(response):
    return re.findall(r'<h5 class="card-title"[^>]*><a [^>]*>([^<]+)</a>', response.content.decode())


@pytest.fixture
def story():
    ban = EventTypeFactory(name="Ban or restriction", slug="ban")
    EventFactory(title="German ban", slug="german-ban", event_type=ban, countries=["DE"], date=datetime.date(2019, 1, 10))
    EventFactory(title="Czech warning", countries=["CZ"], date=datetime.date(2018, 12, 17))
    DraftFactory(title="German draft", event_type=ban, countries=["DE"], date=datetime.date(2019, 2, 1))


def test_it_lets_any_site_frame_it(client, story):
    response = client.get("/embed/?country=DE")
    assert response.status_code == 200
    assert frame_ancestors(response) == "*"
    assert "X-Frame-Options" not in response


@pytest.mark.parametrize("path", ["/", "/?country=DE", "/events/german-ban/", "/data/", "/feed/", "/no-such-page/"])
def test_every_other_page_refuses_to_be_framed(client, story, path):
    response = client.get(path)
    assert frame_ancestors(response) == "'none'"
    assert response["X-Frame-Options"] == "DENY"


def test_it_shows_what_the_filters_keep_and_links_to_the_full_view(client, story):
    response = client.get("/embed/?country=DE&utm_source=newsletter")
    page = response.content.decode()
    assert titles(response) == ["German ban"]
    assert '<h1 class="embed-title">Events in Germany</h1>' in page
    assert "1 event matches the filters" in page
    # The link back carries the filters the embed applied, nothing else.
    assert '<a class="embed-open" href="/?country=DE">' in page
    assert '<link rel="canonical" href="http://testserver/?country=DE">' in page
    assert "German draft" not in page


def test_its_links_open_beside_the_host_page_and_its_script_only_reports_its_height(client, story):
    page = client.get("/embed/").content.decode()
    assert '<base target="_blank">' in page
    assert re.search(r'<script src="/static/js/embed\.js" defer></script>', page)
    assert len(re.findall(r"<script", page)) == 1  # no htmx, no site.js: nothing to do in a frame but read
    assert '<meta name="robots" content="noindex, follow">' in page


def test_its_overview_bars_link_to_the_full_view(client, story):
    page = client.get("/embed/?country=DE").content.decode()
    assert 'class="overview-bar" href="/?country=DE&amp;since=2019-01&amp;until=2019-01"' in page
    assert "hx-get" not in page


def test_it_lists_the_first_events_then_links_to_all_of_them(client):
    for day in range(1, EMBED_PAGE_SIZE + 3):
        EventFactory(title=f"Event of day {day}", date=datetime.date(2019, 3, day))
    response = client.get("/embed/")
    assert len(titles(response)) == EMBED_PAGE_SIZE
    assert titles(response)[0] == f"Event of day {EMBED_PAGE_SIZE + 2}"
    assert f'<a class="button" href="/">See all {EMBED_PAGE_SIZE + 2} events' in response.content.decode()
    # `shown`, as on `/`, asks for more.
    response = client.get("/embed/?order=oldest&shown=12")
    assert len(titles(response)) == EMBED_PAGE_SIZE + 2 and titles(response)[0] == "Event of day 1"
    assert "See all" not in response.content.decode()


def test_its_number_of_queries_does_not_grow_with_the_events_shown(client):
    def queries(path):
        with CaptureQueriesContext(connection) as captured:
            assert client.get(path).status_code == 200
        return len(captured)

    for day in range(1, 21):
        EventFactory(date=datetime.date(2019, 3, day), countries=["DE", "FR"])
    queries("/embed/?shown=1")  # builds the facet index, once per data version
    # The data version, the page of events, then the cards missing from the cache:
    # the events with their type, then their places and their actors, each a query for all of them.
    assert queries("/embed/?shown=2&country=DE") == queries("/embed/?shown=20&country=FR&order=oldest") == 5


def test_it_lists_what_it_ignored_and_a_bad_count_is_a_400(client, story):
    response = client.get("/embed/?country=XX")
    assert response.status_code == 200
    assert "Part of this link was ignored" in response.content.decode()
    assert titles(response) == ["German ban", "Czech warning"]
    response = client.get("/embed/?shown=ten")
    assert response.status_code == 400
    assert "The number of events shown in this link is not valid" in response.content.decode()
    assert frame_ancestors(response) == "*"


def test_an_empty_view_says_so(client, story):
    page = client.get("/embed/?country=FR").content.decode()
    assert "0 events match the filters" in page and "No event matches these filters yet" in page


def snippet(page):
    return html.unescape(re.search(r'<textarea id="embed-snippet"[^>]*>(.*?)</textarea>', page, re.S)[1])


def test_the_timeline_offers_the_snippet_of_its_view(client, story):
    page = client.get("/?country=DE&type=ban&cursor=").content.decode()
    assert "<summary>Embed this view</summary>" in page
    code = snippet(page)
    iframe = re.search(r"<iframe [^>]*></iframe>", code)[0]
    assert 'src="http://testserver/embed/?type=ban&amp;country=DE"' in iframe
    assert 'title="Policy Timeline: Bans or restrictions in Germany"' in iframe
    assert f'height="{FALLBACK_HEIGHT}"' in iframe
    # The host's listener takes heights from this site's frames only, and sizes the frame that sent them.
    assert f'e.origin!=="http://testserver"||!e.data||e.data.type!=="{HEIGHT_MESSAGE}"' in code
    assert "f.contentWindow===e.source" in code
    assert '<a href="/embed/?type=ban&amp;country=DE">Preview the embed</a>' in page


def test_the_snippet_follows_the_filters_chosen_with_htmx(client, story):
    page = client.get("/?country=CZ", headers=HTMX).content.decode()
    assert 'src="http://testserver/embed/?country=CZ"' in snippet(page)


def test_the_snippet_escapes_what_a_reader_typed(client, story):
    page = client.get('/?q="><script>alert(1)</script>').content.decode()
    assert "<script>alert(1)" not in page
    code = snippet(page)
    assert "<script>alert(1)" not in code.split("<script>")[0]
    assert 'src="http://testserver/embed/?q=%22%3E%3Cscript%3Ealert%281%29%3C%2Fscript%3E"' in code
    assert 'title="Policy Timeline: Events matching “&quot;&gt;&lt;script&gt;alert(1)&lt;/script&gt;”"' in code
