import csv
import datetime
import io

import pytest
import reversion.models
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.contrib.staticfiles import finders
from django.db import connection
from django.test.utils import CaptureQueriesContext

from timeline.models import Actor, Event, EventType, Source, Status

from .admin_forms import event_add_form, event_form_fields
from .factories import ActorFactory, DraftFactory, EventFactory, MeasureFactory, TopicFactory, jurisdiction

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


# Add next step ----------------------------------------------------------------------------------


ADD = "/admin/timeline/event/add/"


def a_step_of_a_measure():
    measure = MeasureFactory(title="Czech limits on Huawei")
    government, huawei = ActorFactory(name="Czech government"), ActorFactory(name="Huawei", kind="company")
    event = EventFactory(
        title="Czech agency warns against Huawei",
        measure=measure,
        stage="considered",
        countries=["CZ", "EU"],
        actor_roles=[(government, "initiator"), (huawei, "target")],
    )
    event.topics.add(TopicFactory(name="5G"), TopicFactory(name="core network"))
    return event


def fill_in_what_is_new(form):
    """What an editor types for a follow-up: date, title, summary, stage and a source."""
    form.update(
        {
            "title": "Czech government bans Huawei from its offices",
            "slug": "czech-ban-offices",
            "summary": "The ban follows the agency's warning.",
            "date": "2019-01",
            "stage": "in_effect",
            "sources-0-title": "Government order",
            "sources-0-publisher": "Czech government",
        }
    )
    return form


def test_add_next_step_fills_in_the_measure_countries_actors_and_topics(editor):
    previous = a_step_of_a_measure()
    response = editor.get(ADD, {"after": previous.pk})
    assert "Next step after “Czech agency warns against Huawei”" in response.content.decode()
    form = event_form_fields(response.content.decode())
    assert form["measure"] == str(previous.measure_id) and form["event_type"] == str(previous.event_type_id)
    assert sorted(form["jurisdictions"]) == sorted(str(j.pk) for j in previous.jurisdictions.all())
    assert form["event_actors-0-role"] == "initiator" and form["event_actors-1-role"] == "target"
    assert form["title"] == form["summary"] == form["date"] == form["stage"] == ""

    response = editor.post(ADD + f"?after={previous.pk}", fill_in_what_is_new(form) | {"_save": "Save"})
    assert response.status_code == 302, response.context["errors"] if response.context else response
    step = Event.objects.get(slug="czech-ban-offices")
    assert step.status == Status.DRAFT and step.measure == previous.measure and step.stage == "in_effect"
    assert set(step.jurisdictions.all()) == set(previous.jurisdictions.all())
    assert set(step.topics.all()) == set(previous.topics.all())
    assert [str(link) for link in step.event_actors.all()] == ["Czech government (initiator)", "Huawei (target)"]
    assert previous.event_actors.count() == 2 and previous.sources.count() == 1


def test_add_next_step_on_a_measure_continues_its_latest_event(editor):
    previous = a_step_of_a_measure()
    EventFactory(title="An older step", measure=previous.measure, date=datetime.date(2017, 1, 1), countries=["DE"])
    form = event_form_fields(editor.get(ADD, {"after_measure": previous.measure_id}).content.decode())
    assert form["measure"] == str(previous.measure_id)
    assert sorted(form["jurisdictions"]) == sorted(str(j.pk) for j in previous.jurisdictions.all())


def test_add_next_step_of_a_measure_without_events_fills_in_the_measure(editor):
    measure = MeasureFactory()
    form = event_form_fields(editor.get(ADD, {"after_measure": measure.pk}).content.decode())
    assert form["measure"] == str(measure.pk) and "jurisdictions" not in form


@pytest.mark.parametrize("query", [{"after": "999999"}, {"after": "x"}, {"after_measure": "999999"}, {"after": ""}])
def test_add_next_step_of_nothing_opens_the_empty_form(editor, query):
    response = editor.get(ADD, query)
    assert response.status_code == 200 and "Next step" not in response.content.decode()


def test_the_event_and_measure_forms_offer_add_next_step(editor):
    event = a_step_of_a_measure()
    assert f'href="/admin/timeline/event/add/?after={event.pk}"' in editor.get(f"{CHANGELIST}{event.pk}/change/").content.decode()
    measure_page = editor.get(f"/admin/timeline/measure/{event.measure_id}/change/").content.decode()
    assert f'href="/admin/timeline/event/add/?after_measure={event.measure_id}"' in measure_page


# The form -----------------------------------------------------------------------------------------


def with_new_actor(name, kind="company", role="target"):
    return event_add_form(
        **{"event_actors-TOTAL_FORMS": "2", "event_actors-1-actor": "", "event_actors-1-new_actor_name": name}
        | {"event_actors-1-new_actor_kind": kind, "event_actors-1-role": role}
    )


def test_a_new_actor_typed_with_its_kind_is_created_and_linked(editor):
    response = editor.post(ADD, with_new_actor("  ZTE   Corporation "))
    assert response.status_code == 302, response.context["errors"] if response.context else response
    zte = Actor.objects.get(name="ZTE Corporation")
    assert zte.kind == "company" and zte.slug == "zte-corporation"
    assert [str(link) for link in Event.objects.get().event_actors.all()] == ["Czech government (initiator)", "ZTE Corporation (target)"]


def test_an_actor_typed_again_by_name_is_the_known_one(editor):
    known = ActorFactory(name="ZTE Corporation", kind="company")
    assert editor.post(ADD, with_new_actor("zte corporation", kind="")).status_code == 302
    assert Actor.objects.filter(name__iexact="zte corporation").count() == 1
    assert Event.objects.get().event_actors.filter(actor=known).exists()


def test_a_new_actors_name_with_the_same_slug_as_another_gets_its_own(editor):
    ActorFactory(name="ZTE", slug="zte", kind="company")
    assert editor.post(ADD, with_new_actor("ZTE!")).status_code == 302
    assert Actor.objects.get(name="ZTE!").slug == "zte-2"


@pytest.mark.parametrize(
    "row, message",
    [
        ({"event_actors-1-new_actor_kind": ""}, "Choose what kind of actor “ZTE” is."),
        ({"event_actors-1-actor": "picked"}, "Pick an actor from the list or type a new one, not both."),
        ({"event_actors-1-new_actor_name": ""}, "Pick an actor, or type a new one&#x27;s name."),
    ],
)
def test_an_actor_row_says_what_is_missing_and_saves_nothing(editor, row, message):
    data = with_new_actor("ZTE")
    if row.get("event_actors-1-actor") == "picked":
        row = {"event_actors-1-actor": ActorFactory().pk}
    response = editor.post(ADD, data | row)
    assert response.status_code == 200 and message in response.content.decode()
    assert not Event.objects.exists() and not Actor.objects.filter(name="ZTE").exists()
    # What was typed is still there.
    assert "Czech government stops buying Huawei phones" in response.content.decode()


def test_the_form_asks_what_happened_when_where_who_sources_then_classification(editor):
    page = editor.get(ADD).content.decode()
    order = ["What happened", 'id="id_title"', 'id="id_summary"', ">When<", 'id="id_date"', ">Where<", 'id="id_jurisdictions"']
    order += ['id="event_actors-heading"', 'id="sources-heading"', ">Classification<", 'id="id_measure"', 'id="id_topics"', ">Publishing<"]
    positions = [page.index(marker) for marker in order]
    assert positions == sorted(positions)


def test_the_actor_row_has_no_pop_up_links(editor):
    page = editor.get(ADD).content.decode()
    assert 'id="add_id_event_actors-0-actor"' not in page and 'id="change_id_event_actors-0-actor"' not in page


# Duplicates ---------------------------------------------------------------------------------------


def test_a_likely_duplicate_is_listed_and_saving_again_saves_the_event(editor):
    existing = EventFactory(title="Czech government stops buying Huawei phones", countries=["CZ"], date=datetime.date(2018, 12, 17))
    response = editor.post(ADD, event_add_form())
    page = response.content.decode()
    assert response.status_code == 200 and "This may be an event already entered" in page
    assert f'href="/admin/timeline/event/{existing.pk}/change/"' in page and "similar title" in page
    assert not Event.objects.filter(slug="czech-phones").exists()

    again = event_form_fields(page) | {"_save": "Save"}
    assert again["seen_duplicates"] == str(existing.pk)
    assert editor.post(ADD, again).status_code == 302
    assert Event.objects.filter(slug="czech-phones").exists()


def test_the_same_story_dated_days_apart_in_the_month_is_listed(editor):
    EventFactory(title="Czech government stops buying Huawei phones", countries=["CZ"], date=datetime.date(2018, 12, 17))
    response = editor.post(ADD, event_add_form(date="2018-12-03"))
    assert "This may be an event already entered" in response.content.decode()


def test_an_event_citing_the_same_source_address_is_listed(editor):
    existing = EventFactory(title="Something else entirely", countries=["FR"], date=datetime.date(2015, 1, 1))
    Source.objects.filter(event=existing).update(url="https://www.example.org/story/")
    response = editor.post(ADD, event_add_form(**{"sources-0-url": "http://example.org/story"}))
    assert "cites the same source" in response.content.decode()
    assert not Event.objects.filter(slug="czech-phones").exists()


@pytest.mark.parametrize(
    "other",
    [
        {"title": "Czech government stops buying Huawei phones", "countries": ["DE"]},
        {"title": "Czech government stops buying Huawei phones", "countries": ["CZ"], "date": datetime.date(2016, 12, 1)},
        {"title": "Czech court rules on a procurement dispute", "countries": ["CZ"]},
    ],
    ids=["another-country", "another-year", "another-title"],
)
def test_a_different_event_is_saved_without_a_warning(editor, other):
    EventFactory(**other)
    assert editor.post(ADD, event_add_form()).status_code == 302


def test_an_edit_that_keeps_title_date_and_countries_is_not_warned_again(editor):
    EventFactory(title="Czech government stops buying Huawei phones", countries=["CZ"])
    event = DraftFactory(title="Czech government stops buying Huawei phones too", countries=["CZ"], sources=1)
    form = event_form_fields(editor.get(f"{CHANGELIST}{event.pk}/change/").content.decode())
    assert editor.post(f"{CHANGELIST}{event.pk}/change/", form | {"summary": "Reworded.", "_save": "Save"}).status_code == 302


# Messages, history, icons ---------------------------------------------------------------------------


def test_history_lines_say_what_changed_in_words(editor):
    event = DraftFactory(title="Old headline", sources=1, actor_roles=[(ActorFactory(name="Huawei"), "target")])
    change = f"{CHANGELIST}{event.pk}/change/"
    form = event_form_fields(editor.get(change).content.decode())
    form |= {"title": "New headline", "summary": "New summary.", "event_actors-0-DELETE": "on", "_save": "Save"}
    assert editor.post(change, form).status_code == 302
    (version,) = reversion.models.Version.objects.get_for_object(event)
    assert version.revision.comment == "Changed the title and the summary; removed the actor Huawei (target)."
    assert "Changed the title and the summary" in editor.get(f"{change[: -len('change/')]}history/").content.decode()


def test_favicon_ico_leads_to_the_sites_icon(client):
    response = client.get("/favicon.ico")
    assert response.status_code == 302 and response["Location"] == "/static/favicon.svg"
    assert finders.find("favicon.svg")


def test_admin_pages_name_their_icon(editor):
    assert 'rel="icon"' in editor.get("/admin/").content.decode()


# The changelist at any size ----------------------------------------------------------------------


def test_the_date_hierarchy_finds_its_years_one_index_probe_each(editor):
    for year in (2012, 2015, 2019):
        EventFactory.create_batch(2, date=datetime.date(year, 6, 1))
    with CaptureQueriesContext(connection) as queries:
        response = editor.get(CHANGELIST)
    years = [choice["title"] for choice in date_choices(response)]
    assert years == ["2012", "2015", "2019"]
    # No DISTINCT over every event's date: the first and last dates, then whether each year between has one.
    assert not any("DISTINCT" in q["sql"].upper() and "sort_date" in q["sql"] for q in queries.captured_queries)


def test_the_date_hierarchy_finds_years_one_by_one_across_a_long_span(editor, monkeypatch):
    monkeypatch.setattr("timeline.admin.EventAdminQuerySet.MOST_YEARS_AT_ONCE", 2)
    for year in (2012, 2015, 2019):
        EventFactory(date=datetime.date(year, 6, 1))
    assert [choice["title"] for choice in date_choices(editor.get(CHANGELIST))] == ["2012", "2015", "2019"]


def date_choices(response):
    from django.contrib.admin.templatetags.admin_list import date_hierarchy

    return date_hierarchy(response.context["cl"])["choices"]


def test_the_date_hierarchy_still_drills_into_a_year(editor):
    EventFactory(date=datetime.date(2018, 3, 1))
    EventFactory(date=datetime.date(2019, 5, 1))
    response = editor.get(CHANGELIST, {"sort_date__year": "2019"})
    assert [c["title"] for c in date_choices(response)] == ["May 2019"]


def test_the_last_page_shows_the_oldest_events_in_order(editor):
    events = [EventFactory(date=datetime.date(2000, 1, 1) + datetime.timedelta(days=n)) for n in range(230)]
    response = editor.get(CHANGELIST, {"p": 3})
    assert [e.pk for e in response.context["cl"].result_list] == [e.pk for e in reversed(events[:30])]
    response = editor.get(CHANGELIST, {"p": 2})
    assert [e.pk for e in response.context["cl"].result_list] == [e.pk for e in reversed(events[30:130])]


def test_a_large_unfiltered_count_is_the_planners_estimate_on_postgresql(editor, monkeypatch):
    from timeline.admin import DeferredJoinPaginator

    monkeypatch.setattr(DeferredJoinPaginator, "EXACT_COUNT_BELOW", 1)
    EventFactory.create_batch(3)
    with CaptureQueriesContext(connection) as queries:
        page = editor.get(CHANGELIST).content.decode()
    counted = any("COUNT(" in q["sql"].upper() and "timeline_event" in q["sql"] for q in queries.captured_queries)
    if connection.vendor == "postgresql":
        assert not counted and "about " in page
    else:
        assert counted and "3 events" in page
    # Filtered, it is counted.
    assert "1 event" in editor.get(CHANGELIST, {"q": Event.objects.first().title}).content.decode()
