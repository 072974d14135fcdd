"""The measures page (`/measures/`): a lane per measure, where each country stood on a date, its map."""

import contextlib
import datetime
import re
from unittest import mock

import pytest
from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from timeline import measures
from timeline.models import Event

from .factories import ActorFactory, DraftFactory, EventFactory, EventTypeFactory, MeasureFactory, TopicFactory

pytestmark = pytest.mark.django_db

D = datetime.date


def page(client, query="", **headers):
    response = client.get(f"/measures/{query}", **headers)
    return response, response.content.decode()


def lanes(html):
    """(country, measure title) of each lane, in page order."""
    result, country = [], None
    for match in re.finditer(r'<h4 class="lane-country">(.*?)</h4>|<a class="lane-title" href="[^"]+">([^<]+)</a>', html, re.S):
        if match[1]:
            country = re.sub(r"<[^>]+>", "", match[1]).split("  ")[0].strip().rsplit(" ", 2)[0].strip()
        else:
            result.append((country, match[2]))
    return result


def board(html):
    """{stage: [country names]} of the board's lists."""
    result = {}
    for stage, body in re.findall(r'<section class="board-column board-(\w+)"[^>]*>(.*?)</section>', html, re.S):
        result[stage] = [re.sub(r"<[^>]+>", "", name).strip() for name in re.findall(r'<p class="standing-country">(.*?)</p>', body, re.S)]
    return result


def standing(html, name):
    for item in re.findall(r'<li class="standing">(.*?)</li>\s*(?=<li class="standing">|</ol>)', html, re.S):
        if re.search(rf">\s*{re.escape(name)}</a></p>", item):
            return " ".join(item.split())
    raise AssertionError(f"{name} is not on the board")


@pytest.fixture
def story():
    """Three countries, four measures: the UK considers, then announces; Germany considers; the US put one
    measure in effect and lifted it, and has another under consideration; plus hidden steps."""
    uk = MeasureFactory(slug="uk-limits", title="UK limits")
    de = MeasureFactory(slug="german-rules", title="German rules")
    zte = MeasureFactory(slug="us-zte", title="US ZTE ban")
    fcc = MeasureFactory(slug="us-fcc", title="US FCC rule")
    events = {
        "uk-review": EventFactory(
            slug="uk-review", title="UK review", date=D(2018, 7, 1), stage="considered", measure=uk, countries=["GB"]
        ),
        "uk-more": EventFactory(
            slug="uk-more", title="UK still reviewing", date=D(2018, 9, 1), stage="considered", measure=uk, countries=["GB"]
        ),
        "uk-decision": EventFactory(
            slug="uk-decision", title="UK decides", date=D(2019, 1, 10), stage="announced", measure=uk, countries=["GB"]
        ),
        "uk-comment": EventFactory(slug="uk-comment", title="UK minister comments", date=D(2019, 2, 1), measure=uk, countries=["GB"]),
        "de-debate": EventFactory(
            slug="de-debate",
            title="German debate",
            date=D(2018, 12, 1),
            date_precision="month",
            stage="considered",
            measure=de,
            countries=["DE"],
        ),
        "zte-ban": EventFactory(slug="zte-ban", title="ZTE banned", date=D(2018, 4, 15), stage="in_effect", measure=zte, countries=["US"]),
        "zte-lifted": EventFactory(
            slug="zte-lifted", title="ZTE ban lifted", date=D(2018, 7, 13), stage="lifted", measure=zte, countries=["US"]
        ),
        "fcc-proposal": EventFactory(
            slug="fcc-proposal", title="FCC proposes", date=D(2018, 4, 17), stage="considered", measure=fcc, countries=["US"]
        ),
    }
    DraftFactory(slug="uk-draft", title="Hidden UK step", date=D(2019, 3, 1), stage="in_effect", measure=uk, countries=["GB"])
    DraftFactory(
        slug="fr-draft",
        title="Hidden French step",
        date=D(2019, 3, 1),
        stage="in_effect",
        measure=MeasureFactory(title="French secret"),
        countries=["FR"],
    )
    EventFactory(slug="no-measure", title="Not a step", date=D(2018, 5, 1), countries=["FR"])
    return events


def test_it_lists_every_measure_as_a_lane_by_country(client, story):
    response, html = page(client)
    assert response.status_code == 200
    assert lanes(html) == [
        ("Germany", "German rules"),
        ("United Kingdom", "UK limits"),
        ("United States of America", "US ZTE ban"),
        ("United States of America", "US FCC rule"),
    ]
    assert '<p id="result-status" class="result-status" role="status">4 measures</p>' in html


def test_each_lane_has_a_dot_linking_to_each_public_event_with_its_date_and_stage(client, story):
    _, html = page(client, "?country=GB")
    dots = re.findall(r'<a href="(/events/[^"]+)" aria-label="([^"]+)">', html)
    assert dots == [
        ("/events/uk-review/", "1 Jul 2018, under consideration: UK review"),
        ("/events/uk-more/", "1 Sep 2018, under consideration: UK still reviewing"),
        ("/events/uk-decision/", "10 Jan 2019, announced: UK decides"),
        ("/events/uk-comment/", "1 Feb 2019: UK minister comments"),
    ]


def test_drafts_never_reach_the_measures_page(client, story):
    _, html = page(client)
    assert "Hidden" not in html and "French secret" not in html and "France" not in board(html).get("in_effect", [])
    assert 'href="/events/uk-draft/"' not in html


def test_a_lane_is_coloured_by_stage_from_each_step_that_changed_it(client, story):
    _, html = page(client, "?country=GB")
    assert re.findall(r'<rect class="segment segment-(\w+)"', html) == ["considered", "announced"]
    steps = " ".join(re.search(r'<ol class="lane-steps"[^>]*>(.*?)</ol>', html, re.S)[1].split())
    # The second "under consideration" changes nothing; the announcement came 193 days after the first.
    assert re.sub(r"<[^>]+>", "", steps) == "Under consideration 1 Jul 2018Announced 10 Jan 2019 (193 days later)"


@pytest.mark.parametrize(
    "as_of, expected",
    [
        ("2018-04-16", {"in_effect": ["United States of America"], "announced": [], "considered": [], "lifted": []}),
        # The US measure in effect was lifted, its other one considered: a country stands where its furthest live measure is.
        ("2018-07-31", {"in_effect": [], "announced": [], "considered": ["United States of America", "United Kingdom"], "lifted": []}),
        # "Dec 2018" counts from the end of December.
        ("2018-12-30", {"in_effect": [], "announced": [], "considered": ["United States of America", "United Kingdom"], "lifted": []}),
        ("2018", {"in_effect": [], "announced": [], "considered": ["United States of America", "United Kingdom", "Germany"], "lifted": []}),
        (
            "2019-06",
            {"in_effect": [], "announced": ["United Kingdom"], "considered": ["United States of America", "Germany"], "lifted": []},
        ),
    ],
)
def test_the_board_puts_each_country_at_its_furthest_stage_on_the_date(client, story, as_of, expected):
    response, html = page(client, f"?as_of={as_of}")
    assert response.status_code == 200
    assert board(html) == expected


def test_a_country_is_lifted_only_when_every_measure_was(client, story):
    story["fcc-proposal"].delete()
    assert board(page(client, "?as_of=2018-08-01")[1])["lifted"] == ["United States of America"]


def test_each_country_links_to_the_event_that_set_its_stage_with_the_days_between_stages(client, story):
    html = page(client, "?as_of=2019-06-30")[1]
    uk = standing(html, "United Kingdom")
    # The first step of the stage sets it, not a later one of the same stage.
    assert 'Since <a href="/events/uk-decision/">10 Jan 2019: UK decides</a>' in uk
    assert '<a href="/measures/uk-limits/">UK limits</a>' in uk
    assert re.sub(r"<[^>]+>", "", uk).count("193 days later") == 1
    assert '<a href="/events/uk-review/">Under consideration</a>' in uk


def test_the_map_links_each_country_to_the_filtered_timeline_and_the_rest_stay_grey(client, story):
    Event.objects.get(slug="no-measure").topics.add(TopicFactory(slug="5g"))
    html = page(client, "?as_of=2019-06-30&topic=5g")[1]
    # No step of a measure has the topic: nothing is listed, and the map is not drawn.
    assert "No measure of these filters had reached a stage by then." in html
    html = page(client, "?as_of=2019-06-30&since=2018")[1]
    tiles = re.findall(r'<a class="tile tile-(\w+)" href="([^"]+)" aria-label="([^"]+)">', html)
    assert ("announced", "/?country=GB&amp;since=2018", "United Kingdom: announced since 10 Jan 2019") in tiles
    assert ("considered", "/?country=DE&amp;since=2018", "Germany: under consideration since Dec 2018") in tiles
    # Outside Europe: a row of its own.
    assert any(code == "considered" and "country=US" in href for code, href, _ in tiles)
    assert '<g class="tile tile-none" aria-hidden="true"><rect x="250" y="0"' in html  # Sweden: no measure


def test_filters_choose_measures_and_a_lane_keeps_all_its_steps(client, story):
    proposals = EventTypeFactory(slug="proposal", name="Proposal")
    EventFactory(
        slug="uk-proposal",
        title="UK proposal",
        date=D(2018, 8, 1),
        event_type=proposals,
        measure=story["uk-review"].measure,
        countries=["GB"],
    )
    html = page(client, "?type=proposal")[1]
    assert lanes(html) == [("United Kingdom", "UK limits")]
    # Every step of the measure is drawn; those the filters leave out smaller.
    assert len(re.findall(r'<circle class="dot ', html)) == 5
    assert len(re.findall(r'<circle class="dot [^"]*dot-other', html)) == 4
    assert lanes(page(client, "?country=US")[1]) == [
        ("United States of America", "US ZTE ban"),
        ("United States of America", "US FCC rule"),
    ]
    assert lanes(page(client, "?q=ZTE")[1]) == [("United States of America", "US ZTE ban")]
    html = page(client, "?country=DE")[1]
    assert board(html) == {"in_effect": [], "announced": [], "considered": ["Germany"], "lifted": []}


def test_a_period_filter_narrows_the_axis(client, story):
    html = page(client, "?since=2019&until=2019")[1]
    assert re.findall(r"<text x=\"[\d.]+%\" y=\"10\" dx=\"2\">(\d+)</text>", html)[:1] == ["2019"]
    assert lanes(html) == [("United Kingdom", "UK limits")]


@pytest.mark.parametrize(
    "query, message",
    [
        ("?as_of=yesterday", "As of: Enter a year (2018), a month (2018-12) or a day (2018-12-01). Showing today instead."),
        ("?as_of=2019-02-30", "As of: 2019-02-30 is not a day of the calendar. Showing today instead."),
        ("?page=0", "Page: enter a page number, 1 or more; showing the first page."),
        ("?page=two", "Page: enter a page number, 1 or more; showing the first page."),
    ],
)
def test_bad_input_is_a_400_that_says_what_was_ignored(client, story, query, message):
    response, html = page(client, query)
    assert response.status_code == 400
    assert f"<li>{message}</li>" in html
    assert len(lanes(html)) == 4


def test_an_unknown_filter_value_is_listed_as_ignored(client, story):
    response, html = page(client, "?actor=nobody")
    assert response.status_code == 200
    assert "Actor: Select a valid choice. nobody is not one of the available choices." in html


def test_the_partial_is_the_results_block_and_pushes_the_canonical_url(client, story):
    response, html = page(client, "?country=GB&as_of=2018&q=&country=GB", HTTP_HX_REQUEST="true", HTTP_HX_TRIGGER="filters")
    assert response["HX-Push-Url"] == "/measures/?country=GB&as_of=2018"
    # The page's title first: htmx takes the first <title> of the answer, and the lanes' SVG titles follow.
    assert re.match(r'\s*<title>Measures: Events in United Kingdom · Policy Timeline</title>\s*<div id="results" class="results">', html)
    assert '<input type="hidden" name="as_of" id="as-of-hidden" value="2018" hx-swap-oob="true">' in html
    assert "HX-Request" in response["Vary"]


def test_the_full_page_has_the_filters_and_keeps_the_date_in_them(client, story):
    response, html = page(client, "?as_of=2018-12-31")
    assert '<form id="filters" method="get" action="/measures/"' in html
    assert '<input type="hidden" name="as_of" id="as-of-hidden" value="2018-12-31">' in html
    assert '<input type="date" name="as_of" id="id_as_of" value="2018-12-31"' in html
    assert 'name="order"' not in html
    assert "<title>Measures · Policy Timeline</title>" in html


def test_it_pages_the_lanes(client, settings, monkeypatch):
    monkeypatch.setattr(measures, "LANES_PER_PAGE", 2)
    for n in range(5):
        EventFactory(date=D(2018, 1, 1 + n), stage="considered", measure=MeasureFactory(title=f"Measure {n}"), countries=["NO"])
    first = lanes(page(client)[1])
    second = lanes(page(client, "?page=2")[1])
    last_response, last_html = page(client, "?page=9")
    assert [title for _, title in first + second + lanes(last_html)] == [f"Measure {n}" for n in range(5)]
    assert 'href="?page=2"' in page(client)[1]
    assert "Page 3 of 3" in last_html


def test_it_shows_each_view_in_a_constant_number_of_queries(client, django_assert_num_queries):
    def make(count, offset):
        actor, topic = ActorFactory(), TopicFactory()
        for n in range(count):
            measure = MeasureFactory()
            for step, stage in enumerate(["considered", "announced", "in_effect"]):
                event = EventFactory(
                    date=D(2015 + step, 1 + n % 12, 1),
                    stage=stage,
                    measure=measure,
                    countries=["DE", "FR", "PL"][: 1 + n % 3],
                    actor_roles=[(actor, "initiator")],
                )
                event.topics.add(topic)

    make(1, 0)

    def queries(query):
        from django.core.cache import cache

        from timeline import search

        # Cold each time: nothing cached, words parsed afresh.
        cache.clear()
        search._parsed.cache_clear()
        with CaptureQueriesContext(connection) as captured:
            assert client.get(f"/measures/{query}").status_code == 200
        return len(captured)

    few = [queries(q) for q in ("", "?country=DE&as_of=2016", "?q=event")]
    make(12, 1)
    many = [queries(q) for q in ("", "?country=DE&as_of=2016", "?q=event")]
    # The data version (1) on every request. After edits, the facet index reads
    # the change log and the edited events' rows into its delta: the log, the
    # events, three link tables (places, actors, topics) and the names of the
    # types, measures, places, actors and topics edited (2-10); then the titles
    # and dates of the events the page links to (11). Nothing edited since:
    # the version and the titles. A words search adds the ids it matches, once
    # for the counts and the measures (3); on PostgreSQL the words are parsed by
    # PostgreSQL first, and looked up in the snapshot's events and in the
    # delta's (3-5). None per measure, lane, country or event.
    assert few == many == [11, 2, 5 if connection.vendor == "postgresql" else 3]
    # Cached: the data version alone, which says the cached view is still current.
    client.get("/measures/?country=DE&as_of=2016")
    with django_assert_num_queries(1):
        client.get("/measures/?country=DE&as_of=2016")


def test_how_it_moved_counts_what_the_board_shows_at_the_end_of_each_year(client, story):
    html = page(client)[1]
    rows = re.findall(r'<tr[^>]*>\s*<th scope="row"><a href="([^"]*)"[^>]*>([^<]+)</a></th>\s*((?:<td>\d+</td>)+)', html)
    trend = {label: [int(n) for n in re.findall(r"<td>(\d+)</td>", cells)] for _, label, cells in rows}
    assert list(trend) == ["End of 2018", "End of 2019", "Today"]
    assert rows[0][0] == "?as_of=2018"
    for label, as_of in (("End of 2018", "2018"), ("End of 2019", "2019"), ("Today", "")):
        shown = board(page(client, f"?as_of={as_of}")[1])
        assert trend[label] == [len(shown[stage]) for stage in ("in_effect", "announced", "considered", "lifted")], label
    assert trend["End of 2018"] == [0, 0, 3, 0]


def test_a_site_without_measures_says_so(client):
    EventFactory(title="Not a step")
    response, html = page(client)
    assert response.status_code == 200
    assert "No measure matches these filters." in html
    assert "No measure of these filters had reached a stage by then." in html
    assert '<p id="result-status" class="result-status" role="status">0 measures</p>' in html


# --- the cached view: kept until what it shows can change ------------------------------


@contextlib.contextmanager
def clock_at(moment):
    """Time travel: Django's now, and the clock by which the local-memory cache expires its entries."""
    with mock.patch("django.utils.timezone.now", return_value=moment), mock.patch("time.time", return_value=moment.timestamp()):
        yield


def local(day, hour, minute=0, second=0):
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour, minute, second)))


@pytest.fixture
def computed(monkeypatch):
    """The views computed so far: one item per call of measures_view."""
    calls, compute = [], measures.measures_view

    def counted(*args):
        calls.append(args)
        return compute(*args)

    monkeypatch.setattr(measures, "measures_view", counted)
    return calls


def test_the_view_stays_cached_past_a_minute_and_an_edit_shows_at_once(client, story, computed):
    noon = local(timezone.localdate() + datetime.timedelta(days=1), 12)
    later = noon + datetime.timedelta(minutes=10)
    assert later - noon > datetime.timedelta(seconds=settings.FACET_CACHE_SECONDS)
    with clock_at(noon):
        page(client)
    with clock_at(later):
        page(client)
    assert len(computed) == 1
    story["uk-decision"].title = "UK decides at last"
    story["uk-decision"].save()
    with clock_at(later):
        _, html = page(client)
    assert len(computed) == 2 and "UK decides at last" in html


def test_the_view_is_computed_afresh_at_midnight(client, story, computed):
    evening = local(timezone.localdate() + datetime.timedelta(days=1), 23, 59, 30)
    midnight = local(evening.date() + datetime.timedelta(days=1), 0)
    # A step dated the next day, public already: the board of "today" counts it from its day.
    EventFactory(slug="fr-ban", date=midnight.date(), stage="in_effect", measure=MeasureFactory(title="French ban"), countries=["FR"])
    with clock_at(evening):
        _, html = page(client)
    assert "France" not in board(html)["in_effect"]
    with clock_at(midnight + datetime.timedelta(seconds=30)):
        _, html = page(client)
    assert "France" in board(html)["in_effect"]
    assert len(computed) == 2


def test_a_scheduled_step_reaches_the_cached_view_when_it_goes_live(client, story, computed):
    noon = local(timezone.localdate() + datetime.timedelta(days=1), 12)
    goes_live = noon + datetime.timedelta(hours=2)
    EventFactory(
        slug="fr-ban",
        date=D(2019, 5, 1),
        stage="in_effect",
        measure=MeasureFactory(title="French ban"),
        countries=["FR"],
        publish_at=goes_live,
    )
    with clock_at(noon):
        _, html = page(client)
    assert "French ban" not in html
    with clock_at(goes_live - datetime.timedelta(seconds=1)):
        page(client)
    assert len(computed) == 1
    with clock_at(goes_live + datetime.timedelta(seconds=1)):
        _, html = page(client)
    assert ("France", "French ban") in lanes(html)
    assert len(computed) == 2


def test_a_server_starts_with_the_unfiltered_view_computed(client, story, computed):
    # What gunicorn's on_starting runs before it forks its workers (config/gunicorn.conf.py).
    measures.warm()
    assert len(computed) == 1
    response, html = page(client)
    assert response.status_code == 200 and ("United Kingdom", "UK limits") in lanes(html)
    assert len(computed) == 1
