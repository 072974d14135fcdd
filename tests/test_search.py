"""Words searches follow the same rules on SQLite and PostgreSQL: accents never matter,
"quoted phrases" keep their order, OR takes either word, -word excludes."""

import pytest

from timeline.search import Term, fold, parse

from .factories import DraftFactory, EventFactory
from .test_downloads import csv_rows

pytestmark = pytest.mark.django_db

HTMX = {"HX-Request": "true"}


@pytest.mark.parametrize(
    ("text", "folded"),
    [
        ("NÚKIB", "nukib"),
        ("Andrej Babiš", "andrej babis"),
        ("Łódź  Ørsted", "lodz orsted"),
        ("Straße", "strasse"),
        ("Citroën   Æther", "citroen aether"),
    ],
)
def test_it_folds_case_accents_and_spaces(text, folded):
    assert fold(text) == folded


@pytest.mark.parametrize(
    ("query", "clauses"),
    [
        ("core network", [[Term("core")], [Term("network")]]),
        ('"core network"', [[Term("core network")]]),
        ("Huawei OR ZTE", [[Term("huawei"), Term("zte")]]),
        ("huawei or zte 5G", [[Term("huawei"), Term("zte")], [Term("5g")]]),
        ("huawei -phones", [[Term("huawei")], [Term("phones", excluded=True)]]),
        ('-"core network" NÚKIB', [[Term("core network", excluded=True)], [Term("nukib")]]),
        ('OR huawei OR "" - ', [[Term("huawei")]]),
        ('"unclosed phrase', [[Term("unclosed phrase")]]),
    ],
)
def test_it_parses_a_query_as_a_web_search_would(query, clauses):
    assert parse(query) == clauses


@pytest.fixture
def stories():
    EventFactory(title="Czech cyber agency NÚKIB warns against Huawei", summary="A warning from the agency.")
    EventFactory(title="Babiš orders ministries off Huawei phones", summary="The prime minister acted.")
    EventFactory(title="Operator keeps Huawei out of its core network", summary="Radio access stays mixed.")
    EventFactory(title="Network review names the core suppliers", summary="A report on the network and its core.")
    EventFactory(title="ZTE agrees to a plea", summary="Export controls.")
    EventFactory(title="Ericsson wins a radio contract", summary="No Chinese supplier.")
    DraftFactory(title="Draft about NUKIB and Babis and ZTE", summary="Never shown.")


def found(client, q, headers=None):
    response = client.get("/", {"q": q}, headers=headers or {})
    assert response.status_code == 200
    body = response.content.decode()
    titles = [line.split(">", 1)[1] for line in body.split("</a></h5>")[:-1]]
    return {title.rsplit(">", 1)[-1] for title in titles}


@pytest.mark.parametrize(
    ("q", "expected"),
    [
        ("NUKIB", {"Czech cyber agency NÚKIB warns against Huawei"}),
        ("núkib", {"Czech cyber agency NÚKIB warns against Huawei"}),
        ("Babis", {"Babiš orders ministries off Huawei phones"}),
        ('"core network"', {"Operator keeps Huawei out of its core network"}),
        ("core network", {"Operator keeps Huawei out of its core network", "Network review names the core suppliers"}),
        ("Huawei OR ZTE", {
            "Czech cyber agency NÚKIB warns against Huawei",
            "Babiš orders ministries off Huawei phones",
            "Operator keeps Huawei out of its core network",
            "ZTE agrees to a plea",
        }),
        ("huawei -phones -agency", {"Operator keeps Huawei out of its core network"}),
        ('huawei -"core network"', {"Czech cyber agency NÚKIB warns against Huawei", "Babiš orders ministries off Huawei phones"}),
    ],
)  # fmt: skip
def test_every_route_finds_what_the_search_help_promises(client, stories, q, expected):
    assert found(client, q) == expected
    assert found(client, q, HTMX) == expected
    response = client.get("/", {"q": q})
    assert response.context["total"] == len(expected)
    assert {row["title"] for row in csv_rows(client.get("/export.csv", {"q": q}))} == expected


def test_the_words_field_says_how_searches_work(client):
    page = client.get("/").content.decode()
    assert 'aria-describedby="q-help"' in page
    assert (
        '<span class="help" id="q-help">All words must match; “exact phrase”; huawei OR zte; -word leaves out. Accents optional.</span>'
        in page
    )


def test_an_edit_is_searchable_at_once(client, stories):
    from timeline.models import Event

    event = Event.objects.get(title="Ericsson wins a radio contract")
    event.summary = "Télécoms opérateur choisit Ericsson."
    event.save()
    assert found(client, "telecoms operateur") == {"Ericsson wins a radio contract"}
