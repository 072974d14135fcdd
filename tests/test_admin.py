import csv
import io

import pytest
import reversion.models
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.db import connection
from django.test.utils import CaptureQueriesContext

from timeline.models import Event, EventType, Status

from .admin_forms import event_add_form
from .factories import ActorFactory, DraftFactory, EventFactory, MeasureFactory, jurisdiction

pytestmark = pytest.mark.django_db

CHANGELIST = "/admin/timeline/event/"


@pytest.fixture
def editor(admin_client):
    return admin_client


def changelist_queries(client, count):
    EventFactory.create_batch(count, countries=["GB", "DE"])
    with CaptureQueriesContext(connection) as queries:
        response = client.get(CHANGELIST)
    assert response.status_code == 200
    return len(queries)


def test_it_lists_events_in_a_constant_number_of_queries(editor):
    few = changelist_queries(editor, 3)
    many = changelist_queries(editor, 40)
    # Session, user, two counts, the page of events with their type, one
    # prefetch of jurisdictions, the date hierarchy and the list filters'
    # choices: none of them per row.
    assert few == many


def test_it_shows_the_columns_an_editor_scans(editor):
    EventFactory(title="Czech order", date_precision="month", countries=["CZ"])
    page = editor.get(CHANGELIST).content.decode()
    assert "Czech order" in page and "2018-12" in page and "CZ" in page


def test_it_finds_events_by_actor_and_source(editor):
    event = EventFactory(title="Unrelated headline", actor_roles=[(ActorFactory(name="Deutsche Telekom"), "initiator")])
    event.sources.update(publisher="Handelsblatt")
    assert "Unrelated headline" in editor.get(CHANGELIST, {"q": "telekom"}).content.decode()
    assert "Unrelated headline" in editor.get(CHANGELIST, {"q": "handelsblatt"}).content.decode()


def test_it_finds_jurisdictions_by_country_name(editor):
    response = editor.get(
        "/admin/autocomplete/",
        {"term": "czech", "app_label": "timeline", "model_name": "event", "field_name": "jurisdictions"},
    )
    assert [r["text"] for r in response.json()["results"]] == ["Czechia"]


def event_form(**overrides):
    """The add form with two countries, sent with "Publish now"."""
    return event_add_form("_publish", **{"jurisdictions": [jurisdiction("CZ").pk, jurisdiction("EU").pk], **overrides})


def test_it_adds_a_published_event_with_countries_an_actor_and_a_source(editor, admin_user):
    response = editor.post("/admin/timeline/event/add/", event_form())
    assert response.status_code == 302, response.context["errors"] if response.context else response
    event = Event.objects.public().get(slug="czech-phones")
    assert {j.code for j in event.jurisdictions.all()} == {"CZ", "EU"}
    assert [str(link) for link in event.event_actors.all()] == ["Czech government (initiator)"]
    assert event.sources.count() == 1
    assert event.created_by == admin_user == event.updated_by


def test_it_refuses_to_publish_from_the_form_without_a_source(editor):
    response = editor.post(
        "/admin/timeline/event/add/",
        event_form(**{"sources-0-title": "", "sources-0-publisher": ""}),
    )
    assert response.status_code == 200
    assert "A published event needs at least one source" in response.content.decode()
    # What the editor typed is still in the form.
    assert "Czech government stops buying Huawei phones" in response.content.decode()
    assert not Event.objects.exists()


def test_it_refuses_an_end_date_before_the_date_in_the_form(editor):
    response = editor.post("/admin/timeline/event/add/", event_form(end_date="2018-11-01"))
    assert "The end date cannot be before the date." in response.content.decode()


STAGE_NEEDS_A_MEASURE = "A stage needs a measure: pick the measure this event is a step of, or clear the stage."


def test_it_refuses_a_stage_without_a_measure_on_the_stage_field(editor):
    response = editor.post("/admin/timeline/event/add/", event_form(stage="in_effect"))
    assert response.status_code == 200
    assert response.context["adminform"].form.errors == {"stage": [STAGE_NEEDS_A_MEASURE]}
    assert not Event.objects.exists()


def test_it_saves_a_stage_with_its_measure(editor):
    measure = MeasureFactory()
    response = editor.post("/admin/timeline/event/add/", event_form(stage="in_effect", measure=measure.pk))
    assert response.status_code == 302
    assert Event.objects.get(slug="czech-phones").stage == "in_effect"


def run_action(client, action, events=(), select_across=False, query=""):
    data = {"action": action, ACTION_CHECKBOX_NAME: [e.pk for e in events], "select_across": "1" if select_across else "0", "index": "0"}
    return client.post(CHANGELIST + query, data)


def test_the_publish_action_publishes_events_with_sources_and_names_the_others(editor):
    ready = DraftFactory(sources=1)
    unsourced = DraftFactory(title="No source yet")
    response = run_action(editor, "publish_selected", [ready, unsourced])
    messages = [str(m) for m in response.wsgi_request._messages]
    assert "Published 1 event." in messages
    assert any("No source yet" in m and "at least one source" in m for m in messages)
    assert set(Event.objects.public()) == {ready}


def test_the_unpublish_action_makes_events_drafts(editor):
    event = EventFactory()
    run_action(editor, "unpublish_selected", [event])
    event.refresh_from_db()
    assert event.status == Status.DRAFT and not Event.objects.public().exists()


def exported_rows(response):
    body = b"".join(response.streaming_content).decode("utf-8")
    assert body.startswith("\ufeff")
    return list(csv.DictReader(io.StringIO(body[1:])))


def test_the_csv_action_exports_the_whole_filtered_changelist_when_all_are_selected(editor):
    ban = EventType.objects.create(name="Ban", slug="ban")
    bans = EventFactory.create_batch(3, event_type=ban)
    EventFactory.create_batch(2)
    response = run_action(editor, "export_csv", bans[:1], select_across=True, query=f"?event_type__id__exact={ban.pk}")
    assert response.streaming
    rows = exported_rows(response)
    assert sorted(int(r["id"]) for r in rows) == sorted(e.pk for e in bans)
    assert {r["status"] for r in rows} == {"published"} and rows[0]["created_by"] == ""


def test_the_csv_action_exports_only_the_selected_events(editor):
    chosen, _other = EventFactory(), EventFactory()
    rows = exported_rows(run_action(editor, "export_csv", [chosen]))
    assert [int(r["id"]) for r in rows] == [chosen.pk]


def test_the_csv_action_neutralises_formulas(editor):
    event = EventFactory(title='=HYPERLINK("http://evil")', summary="+1", countries=["DE"])
    row = exported_rows(run_action(editor, "export_csv", [event]))[0]
    assert row["title"] == '\'=HYPERLINK("http://evil")'
    assert row["summary"] == "'+1"
    assert row["jurisdiction_names"] == "Germany"


def test_the_history_compares_an_earlier_version_with_now(editor):
    editor.post("/admin/timeline/event/add/", event_form())
    event = Event.objects.get(slug="czech-phones")
    change = event_form(
        title="Czech government bans Huawei phones", minor_edit="on", opened_version=event.version, event_type=event.event_type_id
    )
    change.update({"event_actors-INITIAL_FORMS": "1", "event_actors-0-id": event.event_actors.get().pk, "event_actors-0-event": event.pk})
    change.update({"sources-INITIAL_FORMS": "1", "sources-0-id": event.sources.get().pk, "sources-0-event": event.pk})
    change.pop("_publish")
    assert editor.post(f"/admin/timeline/event/{event.pk}/change/", change).status_code == 302

    history = editor.get(f"/admin/timeline/event/{event.pk}/history/").content.decode()
    assert history.count("Compare with now") == 2
    first = reversion.models.Version.objects.get_for_object(event).order_by("pk").first()
    page = editor.get(f"/admin/timeline/event/{event.pk}/history/{first.pk}/compare/").content.decode()
    assert "Czech government stops buying Huawei phones" in page and "Czech government bans Huawei phones" in page
    assert page.count("(changed)") == 1


def test_a_search_needs_every_word_somewhere_and_lists_each_event_once(editor):
    event = EventFactory(
        title="Operators told to remove equipment",
        actor_roles=[(ActorFactory(name="Deutsche Telekom"), "initiator"), (ActorFactory(name="Telekom Austria"), "target")],
    )
    event.sources.update(publisher="Handelsblatt")
    EventFactory(title="Telekom wins a tender")
    response = editor.get(CHANGELIST, {"q": "telekom equipment"})
    assert [e.pk for e in response.context["cl"].result_list] == [event.pk]
    # Two matching actors, one row.
    response = editor.get(CHANGELIST, {"q": "telekom handelsblatt"})
    assert [e.pk for e in response.context["cl"].result_list] == [event.pk]
    assert response.context["cl"].result_count == 1
