"""Random and hostile requests at every public route: never a 5xx, and no GET changes anything.

Each test reports how many inputs hypothesis tried in the run's statistics
(`pytest --hypothesis-show-statistics`).
"""

from urllib.parse import quote, urlencode

import pytest
from django.apps import apps
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from .factories import ActorFactory, CorrectionFactory, DraftFactory, EventFactory, MeasureFactory, TopicFactory

pytestmark = pytest.mark.django_db

PARAMETERS = ["type", "country", "actor", "topic", "stage", "measure", "since", "until", "q", "order", "cursor", "as_of", "page"]
NASTY = ["\x00", "%00", "' OR 1=1 --", "<script>", "../../etc/passwd", "\u202e", "𝕳", "9" * 40, "2018-02-30", "-1", "DE\x00", "a" * 10_000]

values = st.one_of(st.text(max_size=300), st.sampled_from(NASTY), st.from_regex(r"[A-Za-z0-9+/=_-]{0,60}", fullmatch=True))
queries = st.lists(st.tuples(st.one_of(st.sampled_from(PARAMETERS), st.text(max_size=20)), values), max_size=8)
RUNS = settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])


@pytest.fixture
def story():
    measure = MeasureFactory(slug="uk-5g")
    topic = TopicFactory(slug="5g")
    huawei = ActorFactory(slug="huawei")
    for _ in range(30):
        event = EventFactory(countries=["DE", "EU"], actor_roles=[(huawei, "target")], measure=measure, stage="announced")
        event.topics.add(topic)
    CorrectionFactory(event=event)
    DraftFactory(slug="secret-draft")


def body_of(response):
    return b"".join(response.streaming_content) if response.streaming else response.content


def row_counts():
    return {model._meta.label: model.objects.count() for model in apps.get_app_config("timeline").get_models()}


@pytest.mark.parametrize("path", ["/", "/measures/", "/export.csv", "/export.json", "/feed/"])
@RUNS
@given(pairs=queries)
def test_no_query_string_makes_a_public_route_fail(client, story, path, pairs):
    query = urlencode(pairs)
    for headers in ({}, {"HTTP_HX_REQUEST": "true"}):
        response = client.get(f"{path}?{query}", **headers)
        body_of(response)
        assert response.status_code < 500, (path, query, response.status_code)
        assert response.status_code in {200, 400}


@RUNS
@given(raw=st.text(alphabet=st.characters(codec="ascii"), max_size=200))
def test_no_raw_query_string_makes_the_timeline_fail(client, story, raw):
    response = client.get("/?" + raw)
    assert response.status_code in {200, 400}, raw


@pytest.mark.parametrize("prefix", ["/events/", "/measures/"])
@RUNS
@given(slug=st.one_of(st.text(max_size=200), st.sampled_from(NASTY + ["secret-draft"])))
def test_no_slug_makes_a_detail_page_fail(client, story, prefix, slug):
    response = client.get(prefix + quote(slug, safe="") + "/")
    assert response.status_code in {200, 404}, slug
    assert b"secret-draft" not in response.content or response.status_code == 404


def test_a_flood_of_hostile_gets_changes_nothing(client, admin_client, story):
    before = row_counts()
    for path in [
        "/",
        "/?q=%00",
        "/measures/?as_of=%00",
        "/export.csv",
        "/export.json",
        "/feed/",
        "/sitemap.xml",
        "/robots.txt",
        "/data/",
        "/events/secret-draft/",
    ]:
        for caller in (client, admin_client):
            body_of(caller.get(path))
    assert row_counts() == before
