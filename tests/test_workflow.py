"""The editorial workflow: who may publish, scheduled publishing, history, no lost edit, corrections.

The admin forms are posted the way a browser posts them: the change page is
fetched, its form fields read from the HTML, a few of them changed, and the
whole form sent back with the button that was pressed.
"""

import datetime
import re
from io import StringIO
from pathlib import Path
from unittest import mock

import pytest
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.contrib.auth.models import Group, User
from django.contrib.messages import get_messages
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.test import Client
from django.utils import timezone
from reversion.models import Version

from timeline.models import Correction, EditConflict, Event, EventActor, Source, Status

from .admin_forms import event_add_form, event_form_fields
from .factories import ActorFactory, DraftFactory, EventFactory, MeasureFactory, TopicFactory, jurisdiction

pytestmark = pytest.mark.django_db

ADD = "/admin/timeline/event/add/"
CHANGELIST = "/admin/timeline/event/"
PUBLISH_REFUSED = "Only editors can publish, schedule or unpublish, or change a published event."
SCHEDULE_IN_THE_PAST = "To schedule, choose a publish time in the future."
NO_SOURCE = "A published event needs at least one source"
NEEDS_CORRECTION = "Write a correction note, or tick “minor edit”."


# People ---------------------------------------------------------------------------------------


def staff_member(username, role):
    user = User.objects.create_user(username=username, password="not-a-real-password-42", is_staff=True)
    user.groups.add(Group.objects.get(name=role))
    return user


def logged_in(user):
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def contributor():
    return staff_member("carla", "Contributor")


@pytest.fixture
def editor():
    return staff_member("edith", "Editor")


@pytest.fixture
def other_editor():
    return staff_member("emil", "Editor")


@pytest.fixture
def as_contributor(contributor):
    return logged_in(contributor)


@pytest.fixture
def as_editor(editor):
    return logged_in(editor)


# Forms ----------------------------------------------------------------------------------------


def change_url(event):
    return f"/admin/timeline/event/{event.pk}/change/"


def delete_url(event):
    return f"/admin/timeline/event/{event.pk}/delete/"


def split(moment):
    """A datetime as the admin's split date and time inputs take it."""
    local = timezone.localtime(moment)
    return {"publish_at_0": local.strftime("%Y-%m-%d"), "publish_at_1": local.strftime("%H:%M:%S")}


def form_fields(response):
    """The form on an admin page as {name: value or [values]}, without the empty-form templates."""
    assert response.status_code == 200, response
    return event_form_fields(response.content.decode())


def save_through_admin(client, url, button="_save", opened=None, **changes):
    """Open the admin page at `url` (or use an already `opened` page), change fields, press `button`."""
    data = form_fields(opened if opened is not None else client.get(url))
    data.update(changes)
    if button:
        data[button] = "pressed"
    return client.post(url, data)


def confirm_deletion(client, event, confirmation=None):
    """Press "Yes, I'm sure" on the deletion page of `event` (or on an already opened `confirmation`)."""
    confirmation = confirmation if confirmation is not None else client.get(delete_url(event))
    return client.post(delete_url(event), {"post": "yes", "opened_version": opened_version(confirmation)})


def page_text(response):
    return response.content.decode()


def errors_in(response):
    """The form errors on an admin page, for assertion messages."""
    if response.status_code != 200:
        return f"HTTP {response.status_code}"
    return re.findall(r'<ul class="errorlist[^>]*>(.*?)</ul>', page_text(response), re.S) or page_text(response)


def messages_of(response):
    return [str(message) for message in get_messages(response.wsgi_request)]


def action_choices(client):
    response = client.get(CHANGELIST)
    return {name for name, _ in response.context["action_form"].fields["action"].choices if name}


def run_action(client, action, events):
    data = {"action": action, ACTION_CHECKBOX_NAME: [e.pk for e in events], "select_across": "0", "index": "0"}
    return client.post(CHANGELIST, data)


def versions_of(event):
    return list(Version.objects.get_for_object(event).select_related("revision", "revision__user").order_by("pk"))


# 1. Roles -------------------------------------------------------------------------------------


def test_a_contributor_adds_a_draft_and_submits_it_for_review(as_contributor, contributor):
    response = as_contributor.post(ADD, event_add_form())
    assert response.status_code == 302, errors_in(response)
    event = Event.objects.get(slug="czech-phones")
    assert event.status == Status.DRAFT and event.created_by == contributor

    response = save_through_admin(as_contributor, change_url(event), "_submit_review")
    assert response.status_code == 302, errors_in(response)
    event.refresh_from_db()
    assert event.status == Status.REVIEW
    assert not Event.objects.public().exists()


def test_a_contributor_is_not_offered_the_publish_buttons(as_contributor, as_editor):
    for_contributor = page_text(as_contributor.get(ADD))
    assert 'name="_submit_review"' in for_contributor
    assert 'name="_publish"' not in for_contributor and 'name="_schedule"' not in for_contributor
    for_editor = page_text(as_editor.get(ADD))
    assert 'name="_publish"' in for_editor and 'name="_schedule"' in for_editor


@pytest.mark.parametrize("button", ["_publish", "_schedule"])
def test_a_contributor_cannot_publish_or_schedule_a_new_event_from_the_form(as_contributor, button):
    later = split(timezone.now() + datetime.timedelta(days=1))
    response = as_contributor.post(ADD, event_add_form(button, **later))
    assert response.status_code == 200
    assert PUBLISH_REFUSED in page_text(response)
    assert not Event.objects.exists()


@pytest.mark.parametrize("button", ["_publish", "_schedule"])
def test_a_contributor_cannot_publish_or_schedule_their_draft_from_the_form(as_contributor, button):
    draft = DraftFactory(sources=1)
    later = split(timezone.now() + datetime.timedelta(days=1))
    response = save_through_admin(as_contributor, change_url(draft), button, **later)
    assert response.status_code == 200
    assert PUBLISH_REFUSED in page_text(response)
    draft.refresh_from_db()
    assert draft.status == Status.DRAFT and draft.publish_at is None
    assert not Event.objects.filter(status=Status.PUBLISHED).exists()


def test_a_contributor_is_not_offered_the_publish_actions_nor_bulk_delete(as_contributor, as_editor):
    offered = action_choices(as_contributor)
    assert "export_csv" in offered
    assert not offered & {"publish_selected", "unpublish_selected", "delete_selected"}
    assert {"publish_selected", "unpublish_selected", "delete_selected"} <= action_choices(as_editor)


def test_a_contributor_posting_the_publish_action_anyway_publishes_nothing(as_contributor):
    draft = DraftFactory(sources=1)
    run_action(as_contributor, "publish_selected", [draft])
    draft.refresh_from_db()
    assert draft.status == Status.DRAFT and not Event.objects.public().exists()


def test_a_contributor_posting_the_unpublish_or_delete_action_anyway_changes_nothing(as_contributor):
    published = EventFactory()
    run_action(as_contributor, "unpublish_selected", [published])
    run_action(as_contributor, "delete_selected", [published])
    assert list(Event.objects.public()) == [published]


def test_a_contributor_sees_a_published_event_read_only(as_contributor):
    event = EventFactory(title="Already public")
    response = as_contributor.get(change_url(event))
    assert response.status_code == 200
    assert not response.context["has_change_permission"]
    assert 'name="title"' not in page_text(response)  # shown, not editable
    assert "Already public" in page_text(response)


def test_a_contributor_cannot_save_a_published_event_by_posting_to_it(as_contributor, as_editor):
    event = EventFactory(title="Already public")
    data = form_fields(as_editor.get(change_url(event)))  # what an editable form would hold
    response = as_contributor.post(change_url(event), {**data, "title": "Rewritten", "minor_edit": "on", "_save": "Save"})
    assert response.status_code == 403
    event.refresh_from_db()
    assert event.title == "Already public" and event.status == Status.PUBLISHED


def test_the_read_only_view_of_a_published_event_offers_no_save_buttons(as_contributor):
    # Pressing one would only get a 403: a read-only page should not offer it.
    response = as_contributor.get(change_url(EventFactory()))
    page = page_text(response)
    assert 'name="_save"' not in page and 'name="_continue"' not in page


def test_a_contributor_cannot_delete_a_published_event(as_contributor):
    event = EventFactory()
    assert as_contributor.get(delete_url(event)).status_code == 403
    assert as_contributor.post(delete_url(event), {"post": "yes"}).status_code == 403
    assert Event.objects.filter(pk=event.pk).exists()


def test_a_contributor_can_delete_their_own_draft(as_contributor, contributor):
    draft = DraftFactory(created_by=contributor)
    confirmation = as_contributor.get(delete_url(draft))
    assert confirmation.status_code == 200
    response = confirm_deletion(as_contributor, draft, confirmation)
    assert response.status_code == 302
    assert not Event.objects.filter(pk=draft.pk).exists()


def test_an_editor_publishes_a_sourced_draft_from_the_form(as_editor, editor):
    draft = DraftFactory(sources=1)
    before = timezone.now()
    response = save_through_admin(as_editor, change_url(draft), "_publish")
    assert response.status_code == 302, errors_in(response)
    draft.refresh_from_db()
    assert draft.status == Status.PUBLISHED and before <= draft.publish_at <= timezone.now()
    assert draft.updated_by == editor
    assert list(Event.objects.public()) == [draft]


def test_an_editor_publishes_a_new_event_with_its_source(as_editor):
    response = as_editor.post(ADD, event_add_form("_publish"))
    assert response.status_code == 302, errors_in(response)
    assert Event.objects.public().get(slug="czech-phones").sources.count() == 1


def test_an_editor_schedules_a_draft(as_editor):
    draft = DraftFactory(sources=1)
    when = (timezone.now() + datetime.timedelta(days=2)).replace(microsecond=0)
    response = save_through_admin(as_editor, change_url(draft), "_schedule", **split(when))
    assert response.status_code == 302, errors_in(response)
    draft.refresh_from_db()
    assert draft.status == Status.PUBLISHED and draft.publish_at == when


def test_an_editor_unpublishes_from_the_form(as_editor):
    event = EventFactory()
    response = save_through_admin(as_editor, change_url(event), "_unpublish")
    assert response.status_code == 302, errors_in(response)
    event.refresh_from_db()
    assert event.status == Status.DRAFT and event.publish_at is None
    assert not Event.objects.public().exists()


def test_an_editor_publishes_and_unpublishes_with_the_actions(as_editor):
    draft = DraftFactory(sources=1)
    run_action(as_editor, "publish_selected", [draft])
    assert list(Event.objects.public()) == [draft]
    run_action(as_editor, "unpublish_selected", [draft])
    draft.refresh_from_db()
    assert draft.status == Status.DRAFT and not Event.objects.public().exists()


def test_an_editor_adds_a_correction_to_a_published_event(as_editor):
    event = EventFactory(title="Czech order covers network gear")
    response = save_through_admin(
        as_editor, change_url(event), title="Czech order covers phones", correction_note="The order covers phones, not network gear."
    )
    assert response.status_code == 302, errors_in(response)
    assert [c.note for c in event.corrections.all()] == ["The order covers phones, not network gear."]


def test_publish_refuses_an_event_without_a_source():
    # The path a management command or a shell takes, without any form.
    draft = DraftFactory()
    with pytest.raises(ValidationError, match="needs at least one source"):
        draft.publish()
    draft.refresh_from_db()
    assert draft.status == Status.DRAFT and not Event.objects.public().exists()


# 2. Scheduled publishing ----------------------------------------------------------------------


def test_a_scheduled_event_is_published_but_not_public_before_its_time(as_editor):
    when = timezone.now() + datetime.timedelta(hours=3)
    response = as_editor.post(ADD, event_add_form("_schedule", **split(when)))
    assert response.status_code == 302, errors_in(response)
    event = Event.objects.get(slug="czech-phones")
    assert event.status == Status.PUBLISHED and event.publish_at > timezone.now()
    assert not Event.objects.public().exists()


def test_scheduling_in_the_past_is_refused(as_editor):
    draft = DraftFactory(sources=1)
    response = save_through_admin(as_editor, change_url(draft), "_schedule", **split(timezone.now() - datetime.timedelta(minutes=5)))
    assert response.status_code == 200
    assert SCHEDULE_IN_THE_PAST in page_text(response)
    draft.refresh_from_db()
    assert draft.status == Status.DRAFT and draft.publish_at is None


def reader_sees(path, title, slug):
    response = Client().get(path)
    body = b"".join(response.streaming_content) if response.streaming else response.content
    text = body.decode()
    if path.startswith("/events/"):
        assert response.status_code in (200, 404), path
        return response.status_code == 200
    assert response.status_code == 200, path
    return (f"/events/{slug}/" if path.startswith("/sitemap") else title) in text


def test_an_event_scheduled_a_second_ahead_reaches_every_public_page_when_its_time_comes(as_editor):
    now = timezone.now().replace(microsecond=0)
    title = "Scheduled to the second"
    with mock.patch("django.utils.timezone.now", return_value=now):
        response = as_editor.post(
            ADD, event_add_form("_schedule", title=title, slug="to-the-second", **split(now + datetime.timedelta(seconds=1)))
        )
    assert response.status_code == 302, errors_in(response)
    event = Event.objects.get(slug="to-the-second")
    assert event.publish_at == now + datetime.timedelta(seconds=1)

    paths = ["/", "/events/to-the-second/", "/export.csv", "/export.json", "/feed/", "/sitemap-events.xml"]
    for moment, visible in [(now, False), (event.publish_at, True), (event.publish_at + datetime.timedelta(seconds=1), True)]:
        with mock.patch("django.utils.timezone.now", return_value=moment):
            seen = {path: reader_sees(path, title, "to-the-second") for path in paths}
        assert seen == dict.fromkeys(paths, visible), moment


SCHEDULED_COMMAND = Path(__file__).resolve().parent.parent / "timeline" / "management" / "commands" / "scheduled.py"


@pytest.mark.skipif(not SCHEDULED_COMMAND.exists(), reason="there is no `manage.py scheduled` command")
def test_the_scheduled_command_lists_upcoming_events_only():
    EventFactory(title="Coming tomorrow", publish_at=timezone.now() + datetime.timedelta(days=1))
    EventFactory(title="Public already")
    DraftFactory(title="Only a draft")
    out = StringIO()
    call_command("scheduled", stdout=out)
    listed = out.getvalue()
    assert "Coming tomorrow" in listed
    assert "Public already" not in listed and "Only a draft" not in listed


# 3. History -----------------------------------------------------------------------------------


def test_every_admin_save_writes_a_revision_with_the_user_and_a_comment(as_editor, editor):
    as_editor.post(ADD, event_add_form())
    event = Event.objects.get(slug="czech-phones")
    response = save_through_admin(as_editor, change_url(event), title="Czech government stops buying Huawei and ZTE phones")
    assert response.status_code == 302, errors_in(response)
    revisions = [v.revision for v in versions_of(event)]
    assert len(revisions) == 2
    assert all(r.user == editor and r.get_comment() for r in revisions)


@pytest.mark.parametrize(
    "button, status, comment",
    [
        ("_submit_review", Status.DRAFT, "Submitted for review"),
        ("_publish", Status.DRAFT, "Published"),
        ("_schedule", Status.DRAFT, "Scheduled for"),
        ("_unpublish", Status.PUBLISHED, "Unpublished"),
    ],
)
def test_a_workflow_button_names_its_step_in_the_revision(as_editor, editor, button, status, comment):
    event = EventFactory(status=status, publish_at=timezone.now() if status == Status.PUBLISHED else None, sources=1)
    later = split(timezone.now() + datetime.timedelta(days=1))
    response = save_through_admin(as_editor, change_url(event), button, **(later if button == "_schedule" else {}))
    assert response.status_code == 302, errors_in(response)
    (version,) = versions_of(event)
    assert version.revision.user == editor
    assert comment in version.revision.comment
    # The editor is told what happened, not that the event "was changed successfully".
    assert [message.startswith(f"{comment}") and message.endswith(f"“{event.title}”.") for message in messages_of(response)] == [True]


@pytest.mark.parametrize(
    "action, status, comment", [("publish_selected", Status.DRAFT, "Published"), ("unpublish_selected", Status.PUBLISHED, "Unpublished")]
)
def test_the_publish_and_unpublish_actions_write_a_revision(as_editor, editor, action, status, comment):
    event = EventFactory(status=status, publish_at=timezone.now() if status == Status.PUBLISHED else None, sources=1)
    run_action(as_editor, action, [event])
    (version,) = versions_of(event)
    assert version.revision.user == editor and version.revision.comment == comment


def test_a_revision_holds_the_event_with_its_actors_and_sources(as_editor):
    as_editor.post(ADD, event_add_form())
    event = Event.objects.get(slug="czech-phones")
    (version,) = versions_of(event)
    held = {type(v.object) for v in version.revision.version_set.all()}
    assert {Event, EventActor, Source} <= held


def test_reverting_in_the_admin_restores_the_old_title_and_sources(as_editor):
    as_editor.post(ADD, event_add_form())
    event = Event.objects.get(slug="czech-phones")
    (first,) = versions_of(event)
    response = save_through_admin(
        as_editor,
        change_url(event),
        title="A rewritten headline",
        **{
            "sources-0-DELETE": "on",
            "sources-TOTAL_FORMS": "2",
            "sources-1-title": "A different report",
            "sources-1-publisher": "Another newspaper",
        },
    )
    assert response.status_code == 302, errors_in(response)
    event.refresh_from_db()
    assert event.title == "A rewritten headline"
    assert [s.title for s in event.sources.all()] == ["A different report"]

    revert = f"/admin/timeline/event/{event.pk}/history/{first.pk}/"
    response = save_through_admin(as_editor, revert)
    assert response.status_code == 302, errors_in(response)
    event.refresh_from_db()
    assert event.title == "Czech government stops buying Huawei phones"
    assert [s.title for s in event.sources.all()] == ["Another Setback For Telecom Chinese Suppliers"]
    assert "Reverted to previous version" in versions_of(event)[-1].revision.comment


def test_a_form_opened_before_a_revert_is_stale_after_it(as_editor, other_editor):
    as_editor.post(ADD, event_add_form())
    event = Event.objects.get(slug="czech-phones")
    (first,) = versions_of(event)
    save_through_admin(as_editor, change_url(event), title="A rewritten headline")
    as_other = logged_in(other_editor)
    opened_before = as_other.get(change_url(event))

    first.revision.revert(delete=True)  # what the admin's revert does, before it saves the form
    event.refresh_from_db()
    assert event.title == "Czech government stops buying Huawei phones"
    response = save_through_admin(as_other, change_url(event), opened=opened_before, summary="Typed before the revert.")
    assert response.status_code == 200
    assert "was changed by" in page_text(response)
    event.refresh_from_db()
    assert event.summary != "Typed before the revert."


def create_and_delete(client, edits=0):
    client.post(ADD, event_add_form())
    event = Event.objects.get(slug="czech-phones")
    for n in range(edits):
        response = save_through_admin(client, change_url(event), summary=f"Edited {n + 1} times.")
        assert response.status_code == 302, errors_in(response)
    response = confirm_deletion(client, event)
    assert response.status_code == 302
    assert not Event.objects.exists() and not Source.objects.exists()
    return Version.objects.get_deleted(Event).get()


@pytest.mark.parametrize("edits", [0, 1], ids=["saved-once", "edited-before-deletion"])
def test_a_deleted_event_is_recovered_with_its_sources(as_editor, edits):
    deleted = create_and_delete(as_editor, edits)
    assert deleted.pk in [v.pk for v in as_editor.get("/admin/timeline/event/recover/").context["deleted"]]
    response = save_through_admin(as_editor, f"/admin/timeline/event/recover/{deleted.pk}/")
    assert response.status_code == 302, errors_in(response)
    event = Event.objects.get(slug="czech-phones")
    assert [s.title for s in event.sources.all()] == ["Another Setback For Telecom Chinese Suppliers"]
    assert [str(a) for a in event.event_actors.all()] == ["Czech government (initiator)"]


# 4. No lost edit ------------------------------------------------------------------------------


def opened_version(response):
    return int(re.search(r'name="opened_version" value="(\d+)"', page_text(response)).group(1))


@pytest.fixture
def two_editors(editor, other_editor):
    return logged_in(editor), logged_in(other_editor)


def test_a_stale_save_is_refused_and_keeps_what_the_second_editor_typed(two_editors):
    first, second = two_editors
    event = DraftFactory(title="The original headline", sources=1)
    opened_by_first, opened_by_second = first.get(change_url(event)), second.get(change_url(event))
    assert opened_version(opened_by_first) == opened_version(opened_by_second) == event.version

    response = save_through_admin(first, change_url(event), opened=opened_by_first, title="The first editor's headline")
    assert response.status_code == 302, errors_in(response)
    response = save_through_admin(second, change_url(event), opened=opened_by_second, title="The second editor's headline")
    assert response.status_code == 200
    page = page_text(response)
    assert "was changed by edith at" in page
    assert response.context["adminform"].form["title"].value() == "The second editor's headline"
    event.refresh_from_db()
    assert event.title == "The first editor's headline"


def test_saving_again_after_a_conflict_replaces_the_edit_and_both_are_in_the_history(two_editors, editor, other_editor):
    first, second = two_editors
    event = DraftFactory(title="The original headline", sources=1)
    opened_by_second = second.get(change_url(event))
    save_through_admin(first, change_url(event), title="The first editor's headline")
    refused = save_through_admin(second, change_url(event), opened=opened_by_second, title="The second editor's headline")
    assert refused.status_code == 200
    event.refresh_from_db()
    assert opened_version(refused) == event.version  # the re-rendered form carries the newer version

    response = save_through_admin(second, change_url(event), opened=refused)
    assert response.status_code == 302, errors_in(response)
    event.refresh_from_db()
    assert event.title == "The second editor's headline"
    assert [v.revision.user for v in versions_of(event)] == [editor, other_editor]


def test_an_inline_only_change_makes_a_stale_save_stale(two_editors):
    first, second = two_editors
    event = DraftFactory(title="The original headline", sources=1)
    opened_by_second = second.get(change_url(event))
    response = save_through_admin(
        first,
        change_url(event),
        **{"sources-TOTAL_FORMS": "2", "sources-1-title": "A second report", "sources-1-publisher": "Another newspaper"},
    )
    assert response.status_code == 302, errors_in(response)
    assert event.sources.count() == 2

    response = save_through_admin(second, change_url(event), opened=opened_by_second, title="The second editor's headline")
    assert response.status_code == 200
    assert "was changed by edith at" in page_text(response)
    event.refresh_from_db()
    assert event.title == "The original headline" and event.sources.count() == 2


def test_saving_over_a_newer_version_raises_edit_conflict():
    event = DraftFactory()
    opened = event.version
    Event.objects.get(pk=event.pk).save()
    event.title = "Stale edit"
    with pytest.raises(EditConflict):
        event.save(expected_version=opened)
    event.refresh_from_db()
    assert event.title != "Stale edit" and event.version == opened + 1


def test_saving_an_event_deleted_since_it_was_opened_is_refused_naming_who_and_when_with_the_text_kept(two_editors):
    first, second = two_editors
    first.post(ADD, event_add_form())
    event = Event.objects.get(slug="czech-phones")
    opened_by_second = second.get(change_url(event))
    assert confirm_deletion(first, event).status_code == 302

    typed = "Typed by the second editor while the first deleted the event."
    response = save_through_admin(second, change_url(event), opened=opened_by_second, summary=typed)
    assert response.status_code == 200
    page = page_text(response)
    assert re.search(r"This event was deleted by edith at \d{4}-\d{2}-\d{2} [\d:]+ since you opened it. Nothing was saved", page)
    assert response.context["adminform"].form["summary"].value() == typed
    deleted = Version.objects.get_deleted(Event).get()
    assert f'href="/admin/timeline/event/recover/{deleted.pk}/"' in page
    assert 'href="/admin/timeline/event/recover/"' in page
    assert not Event.objects.exists()


def test_saving_again_after_the_deletion_refusal_brings_the_event_back_with_the_changes(two_editors, editor, other_editor):
    first, second = two_editors
    first.post(ADD, event_add_form())
    event = Event.objects.get(slug="czech-phones")
    opened_by_second = second.get(change_url(event))
    confirm_deletion(first, event)
    refused = save_through_admin(second, change_url(event), opened=opened_by_second, summary="Worth keeping after all.")
    recover_url = re.search(r'<form [^>]*action="([^"]+)"[^>]*id="event_form"', page_text(refused)).group(1)

    response = save_through_admin(second, recover_url, opened=refused)
    assert response.status_code == 302, errors_in(response)
    event = Event.objects.get(slug="czech-phones")
    assert event.summary == "Worth keeping after all."
    assert [s.title for s in event.sources.all()] == ["Another Setback For Telecom Chinese Suppliers"]
    assert [v.revision.user for v in versions_of(event)] == [editor, other_editor]


def test_a_save_refused_over_a_deletion_meets_a_recovery_made_meanwhile_as_a_newer_version(two_editors):
    first, second = two_editors
    first.post(ADD, event_add_form())
    event = Event.objects.get(slug="czech-phones")
    opened_by_second = second.get(change_url(event))
    confirm_deletion(first, event)
    refused = save_through_admin(second, change_url(event), opened=opened_by_second, summary="Typed before the recovery.")
    recover_url = f"/admin/timeline/event/recover/{Version.objects.get_deleted(Event).get().pk}/"
    assert save_through_admin(first, recover_url).status_code == 302

    response = save_through_admin(second, recover_url, opened=refused)
    assert response.status_code == 200
    assert "This event was changed by edith at" in page_text(response)
    assert response.context["adminform"].form["summary"].value() == "Typed before the recovery."
    assert Event.objects.get(slug="czech-phones").summary != "Typed before the recovery."


def test_saving_a_deleted_event_without_history_is_refused_with_the_text_kept(two_editors):
    first, second = two_editors
    event = DraftFactory(title="Never saved in the admin", sources=1)
    opened_by_second = second.get(change_url(event))
    confirm_deletion(first, event)

    response = save_through_admin(second, change_url(event), opened=opened_by_second, summary="Still in the form.")
    assert response.status_code == 200
    page = page_text(response)
    assert "This event was deleted by edith at" in page
    assert "It has no version in the history to recover" in page
    assert response.context["adminform"].form["summary"].value() == "Still in the form."
    assert not Event.objects.exists()


def test_a_deletion_confirmed_after_someone_saved_a_newer_version_deletes_nothing_and_names_them(two_editors):
    first, second = two_editors
    event = DraftFactory(title="The original headline", sources=1)
    confirmation = first.get(delete_url(event))
    assert save_through_admin(second, change_url(event), title="The second editor's headline").status_code == 302

    response = confirm_deletion(first, event, confirmation)
    assert response.status_code == 302 and response.url == delete_url(event)
    [message] = messages_of(response)
    assert re.match(r"This event was changed by emil at .+ since you opened this page. Nothing was deleted.", message)
    event.refresh_from_db()
    assert event.title == "The second editor's headline"

    assert confirm_deletion(first, event).status_code == 302
    assert not Event.objects.filter(pk=event.pk).exists()


def test_a_deletion_posted_without_the_version_it_confirms_deletes_nothing(as_editor):
    event = DraftFactory()
    response = as_editor.post(delete_url(event), {"post": "yes"})
    assert response.status_code == 302 and response.url == delete_url(event)
    assert Event.objects.filter(pk=event.pk).exists()


# 5. Corrections -------------------------------------------------------------------------------


def test_changing_what_readers_were_told_needs_a_correction_note_or_minor_edit(as_editor):
    event = EventFactory(title="Czech order covers network gear")
    response = save_through_admin(as_editor, change_url(event), title="Czech order covers phones")
    assert response.status_code == 200
    assert NEEDS_CORRECTION in page_text(response) and "changed its title" in page_text(response)
    event.refresh_from_db()
    assert event.title == "Czech order covers network gear" and not event.corrections.exists()


def test_a_correction_note_is_shown_dated_on_the_event_page_and_in_the_feed(as_editor):
    event = EventFactory(title="Czech order covers network gear", slug="czech-order")
    note = "The order covers phones, not network gear."
    response = save_through_admin(as_editor, change_url(event), title="Czech order covers phones", correction_note=note)
    assert response.status_code == 302, errors_in(response)
    event.refresh_from_db()
    assert event.title == "Czech order covers phones"
    (correction,) = Correction.objects.filter(event=event)
    assert correction.note == note and correction.corrected_on == timezone.localdate()

    dated = f"Corrected {correction.corrected_on:%-d %b %Y}"
    page = page_text(Client().get("/events/czech-order/"))
    assert f'datetime="{correction.corrected_on:%Y-%m-%d}"' in page and note in page
    assert re.search(rf"Corrected <time[^>]*>{correction.corrected_on:%-d %b %Y}</time>", page)
    feed = page_text(Client().get("/feed/"))
    assert f"{dated}:&lt;/strong&gt; {note}" in feed


def test_editing_a_scheduled_event_before_readers_saw_it_needs_no_correction(as_editor):
    event = EventFactory(title="Czech order covers network gear", publish_at=timezone.now() + datetime.timedelta(days=1))
    response = save_through_admin(as_editor, change_url(event), title="Czech order covers phones")
    assert response.status_code == 302, errors_in(response)
    event.refresh_from_db()
    assert event.title == "Czech order covers phones" and not event.corrections.exists()


def test_a_minor_edit_saves_without_a_correction(as_editor):
    event = EventFactory(title="Czech order covers phnoes")
    response = save_through_admin(as_editor, change_url(event), title="Czech order covers phones", minor_edit="on")
    assert response.status_code == 302, errors_in(response)
    event.refresh_from_db()
    assert event.title == "Czech order covers phones" and not event.corrections.exists()


def test_changing_the_actors_of_a_public_event_needs_a_correction_note(as_editor):
    event = EventFactory(actor_roles=[(ActorFactory(name="Huawei"), "target")])
    response = save_through_admin(as_editor, change_url(event), **{"event_actors-0-role": "involved"})
    assert response.status_code == 200
    assert NEEDS_CORRECTION in page_text(response) and "changed its actors" in page_text(response)
    assert EventActor.objects.get(event=event).role == "target" and not event.corrections.exists()

    note = "Huawei was involved in, not the target of, the review."
    response = save_through_admin(as_editor, change_url(event), **{"event_actors-0-role": "involved", "correction_note": note})
    assert response.status_code == 302, errors_in(response)
    assert EventActor.objects.get(event=event).role == "involved"
    assert [c.note for c in event.corrections.all()] == [note]


def test_changing_or_removing_a_source_of_a_public_event_needs_a_correction_but_adding_one_does_not(as_editor):
    event = EventFactory(sources=2)
    response = save_through_admin(as_editor, change_url(event), **{"sources-1-DELETE": "on"})
    assert response.status_code == 200 and "changed its sources" in page_text(response)
    assert event.sources.count() == 2

    response = save_through_admin(as_editor, change_url(event), **{"sources-0-title": "Renamed report"})
    assert response.status_code == 200 and "changed its sources" in page_text(response)

    added = {"sources-2-title": "A further report", "sources-2-publisher": "Reuters"}
    response = save_through_admin(as_editor, change_url(event), **added)
    assert response.status_code == 302, errors_in(response)
    assert event.sources.count() == 3 and not event.corrections.exists()

    response = save_through_admin(as_editor, change_url(event), **{"sources-1-DELETE": "on", "minor_edit": "on"})
    assert response.status_code == 302, errors_in(response)
    assert event.sources.count() == 2 and not event.corrections.exists()


def test_the_actors_of_a_draft_change_freely(as_editor):
    event = DraftFactory(actor_roles=[(ActorFactory(), "target")])
    response = save_through_admin(as_editor, change_url(event), **{"event_actors-0-role": "initiator"})
    assert response.status_code == 302, errors_in(response)
    assert EventActor.objects.get(event=event).role == "initiator"


# 6. Validation messages -----------------------------------------------------------------------


@pytest.mark.parametrize(
    "button, overrides, message",
    [
        ("_save", {"end_date": "2018-11-01"}, "The end date cannot be before the date."),
        ("_publish", {"sources-0-title": "", "sources-0-publisher": ""}, NO_SOURCE),
        ("_save", {"slug": "taken"}, "Event with this Slug already exists."),
        ("_schedule", split(timezone.now() - datetime.timedelta(hours=1)), SCHEDULE_IN_THE_PAST),
    ],
    ids=["end-before-start", "publish-without-source", "slug-taken", "schedule-in-the-past"],
)
def test_a_form_mistake_is_a_clear_error_and_saves_nothing(as_editor, button, overrides, message):
    EventFactory(slug="taken", title="Already there")
    response = as_editor.post(ADD, event_add_form(button, **overrides))
    assert response.status_code == 200
    assert message in page_text(response)
    assert "Please correct the error" in page_text(response)
    assert list(Event.objects.values_list("slug", flat=True)) == ["taken"]
    assert Source.objects.count() == 1


# --- reverts judged on the event as it is, not as it was ------------------------------


def published_then_corrected(client):
    """An event published from the form, then retitled with a public correction."""
    client.post(ADD, event_add_form("_publish"))
    event = Event.objects.get(slug="czech-phones")
    response = save_through_admin(client, change_url(event), title="A corrected headline", correction_note="The headline was wrong.")
    assert response.status_code == 302, errors_in(response)
    return event, versions_of(event)[0]


def test_a_contributor_cannot_revert_a_published_event(as_editor, as_contributor):
    event, first = published_then_corrected(as_editor)
    revert = f"/admin/timeline/event/{event.pk}/history/{first.pk}/"
    assert as_contributor.get(revert).status_code == 403
    assert as_contributor.post(revert, {"_save": "Save"}).status_code == 403
    event.refresh_from_db()
    assert event.title == "A corrected headline" and Event.objects.public().filter(pk=event.pk).exists()


def test_reverting_a_public_event_in_substance_asks_for_a_correction_and_keeps_the_old_ones(as_editor):
    event, first = published_then_corrected(as_editor)
    revert = f"/admin/timeline/event/{event.pk}/history/{first.pk}/"
    response = save_through_admin(as_editor, revert)
    assert response.status_code == 200 and "Write a correction note" in page_text(response)
    event.refresh_from_db()
    assert event.title == "A corrected headline"
    response = save_through_admin(as_editor, revert, correction_note="Back to the first headline.")
    assert response.status_code == 302, errors_in(response)
    event.refresh_from_db()
    assert event.title == "Czech government stops buying Huawei phones"
    assert sorted(event.corrections.values_list("note", flat=True)) == ["Back to the first headline.", "The headline was wrong."]


def test_a_refused_publish_keeps_the_buttons_of_a_draft(as_editor):
    draft = DraftFactory(title="Unsourced")
    response = save_through_admin(as_editor, change_url(draft), button="_publish")
    assert response.status_code == 200 and "needs at least one source" in page_text(response)
    assert 'name="_publish"' in page_text(response) and 'name="_unpublish"' not in page_text(response)


def test_the_history_pages_answer_404_to_an_id_that_is_not_one(as_editor):
    assert as_editor.get("/admin/timeline/event/abc/history/1/").status_code in {302, 404}
    assert as_editor.get("/admin/timeline/event/abc/history/1/compare/").status_code == 404


def test_comparing_shows_only_the_events_own_actors_and_sources(as_editor):
    first = DraftFactory(title="First", sources=1, actor_roles=[(ActorFactory(name="Alpha Gov"), "initiator")])
    second = DraftFactory(title="Second", sources=1, actor_roles=[(ActorFactory(name="Beta Corp"), "target")])
    run_action(as_editor, "publish_selected", [first, second])
    [version] = versions_of(first)
    page = page_text(as_editor.get(f"/admin/timeline/event/{first.pk}/history/{version.pk}/compare/"))
    assert "Alpha Gov" in page and "Beta Corp" not in page


# 6. Bulk edits ------------------------------------------------------------------------------------


def bulk_edit(client, events, **change):
    """Choose "Add or remove…" for `events` on the changelist, then apply `change` on the page it opens."""
    ids = [e.pk for e in events]
    page = client.post(CHANGELIST, {"action": "bulk_edit", ACTION_CHECKBOX_NAME: ids, "select_across": "0", "index": "0"})
    assert page.status_code == 200 and "Apply to the selected events" in page_text(page)
    data = {"action": "bulk_edit", ACTION_CHECKBOX_NAME: ids, "select_across": "0", "index": "0", "apply": "Apply"}
    return client.post(CHANGELIST, data | {key: value.pk if hasattr(value, "pk") else value for key, value in change.items()})


def test_a_bulk_edit_adds_a_topic_to_each_event_with_a_revision_each(as_editor, editor):
    events = [DraftFactory(title="One"), DraftFactory(title="Two", sources=1)]
    opened = [e.version for e in events]
    topic = TopicFactory(name="5G")
    response = bulk_edit(as_editor, events, change="add_topic", topic=topic)
    assert response.status_code == 302
    assert messages_of(response) == ["Added the topic “5G”: 2 events."]
    for event, version in zip(events, opened, strict=True):
        event.refresh_from_db()
        assert list(event.topics.all()) == [topic] and event.version == version + 1 and event.updated_by == editor
        (revision,) = [v.revision for v in versions_of(event)]
        assert revision.user == editor and revision.comment == "Bulk edit: added the topic “5G”."
        assert revision.version_set.get(content_type__model="event").field_dict["topics"] == [topic.pk]


@pytest.mark.parametrize(
    "change, check",
    [
        ("remove_topic", lambda event, topic, actor, measure: not event.topics.exists()),
        ("add_country", lambda event, *_: set(event.jurisdictions.values_list("country", flat=True)) == {"CZ", "DE"}),
        ("remove_country", lambda event, *_: not event.jurisdictions.exists()),
        ("add_actor", lambda event, topic, actor, measure: [str(link) for link in event.event_actors.all()][-1] == "Huawei (target)"),
        ("set_measure", lambda event, topic, actor, measure: event.measure == measure),
    ],
)
def test_a_bulk_edit_changes_what_it_says(as_editor, change, check):
    topic, huawei, measure = TopicFactory(), ActorFactory(name="Huawei"), MeasureFactory()
    event = DraftFactory(countries=["CZ"])
    event.topics.add(topic)
    values = {"remove_topic": {"topic": topic}, "add_country": {"country": jurisdiction("DE")}}
    values |= {"remove_country": {"country": jurisdiction("CZ")}, "add_actor": {"actor": huawei, "role": "target"}}
    values |= {"set_measure": {"measure": measure}}
    assert bulk_edit(as_editor, [event], change=change, **values[change]).status_code == 302
    event.refresh_from_db()
    assert check(event, topic, huawei, measure)
    assert len(versions_of(event)) == 1


def test_removing_an_actor_removes_it_in_every_role_and_clearing_the_measure_clears_the_stage(as_editor):
    huawei = ActorFactory(name="Huawei")
    event = DraftFactory(measure=MeasureFactory(), stage="announced", actor_roles=[(huawei, "target"), (huawei, "involved")])
    bulk_edit(as_editor, [event], change="remove_actor", actor=huawei)
    bulk_edit(as_editor, [event], change="clear_measure")
    event.refresh_from_db()
    assert not event.event_actors.exists() and event.measure is None and event.stage == ""
    assert [v.revision.comment for v in versions_of(event)] == [
        "Bulk edit: removed the actor “Huawei”.",
        "Bulk edit: cleared the measure.",
    ]


def test_a_bulk_edit_leaves_events_that_have_it_already_without_a_revision(as_editor):
    topic = TopicFactory(name="5G")
    has_it, lacks_it = DraftFactory(), DraftFactory()
    has_it.topics.add(topic)
    response = bulk_edit(as_editor, [has_it, lacks_it], change="add_topic", topic=topic)
    assert messages_of(response) == ["Added the topic “5G”: 1 event.", "Nothing to change on 1 event: left as it was."]
    assert versions_of(has_it) == [] and len(versions_of(lacks_it)) == 1


def test_a_contributor_cannot_bulk_change_a_published_event(as_contributor):
    topic = TopicFactory()
    published, draft = EventFactory(title="Published one"), DraftFactory(title="Draft one")
    page = as_contributor.post(CHANGELIST, {"action": "bulk_edit", ACTION_CHECKBOX_NAME: [published.pk, draft.pk], "index": "0"})
    assert "1 of them is published and will be left unchanged" in page_text(page)
    response = bulk_edit(as_contributor, [published, draft], change="add_topic", topic=topic)
    assert "1 published event left unchanged: only editors change published events." in messages_of(response)
    assert not published.topics.exists() and versions_of(published) == []
    assert draft.topics.get() == topic


def test_a_bulk_edit_of_what_readers_were_told_needs_a_correction_note_or_minor_edit(as_editor):
    public, draft = EventFactory(countries=["CZ"]), DraftFactory(countries=["CZ"])
    response = bulk_edit(as_editor, [public, draft], change="add_country", country=jurisdiction("SK"))
    assert response.status_code == 200 and "Readers have seen 1 of these events" in page_text(response)
    assert public.jurisdictions.count() == draft.jurisdictions.count() == 1

    response = bulk_edit(as_editor, [public, draft], change="add_country", country=jurisdiction("SK"), correction_note="Slovakia too.")
    assert response.status_code == 302
    assert list(public.corrections.values_list("note", flat=True)) == ["Slovakia too."] and not draft.corrections.exists()
    assert public.jurisdictions.count() == draft.jurisdictions.count() == 2


def test_a_topic_is_not_a_change_of_substance(as_editor):
    public = EventFactory()
    assert bulk_edit(as_editor, [public], change="add_topic", topic=TopicFactory()).status_code == 302
    assert public.topics.count() == 1 and not public.corrections.exists()


@pytest.mark.parametrize("change, missing", [("add_topic", "topic"), ("add_actor", "role"), ("nonsense", "change")])
def test_a_bulk_edit_without_what_it_needs_is_a_form_error(as_editor, change, missing):
    event = DraftFactory()
    change = {"change": change, "actor": ActorFactory()}
    response = bulk_edit(as_editor, [event], **change)
    assert response.status_code == 200 and response.context["form"].errors[missing]
    assert versions_of(event) == []


def test_a_form_opened_before_a_bulk_edit_is_stale_after_it(as_editor):
    event = DraftFactory(sources=1)
    opened = as_editor.get(change_url(event))
    bulk_edit(as_editor, [event], change="add_topic", topic=TopicFactory())
    response = save_through_admin(as_editor, change_url(event), opened=opened, title="Edited meanwhile")
    assert response.status_code == 200 and "since you opened it" in page_text(response)


def test_a_bulk_edit_of_more_events_than_it_takes_asks_for_fewer(as_editor, monkeypatch):
    monkeypatch.setattr("timeline.bulk.MOST_EVENTS", 1)
    events = [DraftFactory(), DraftFactory()]
    response = as_editor.post(CHANGELIST, {"action": "bulk_edit", ACTION_CHECKBOX_NAME: [e.pk for e in events], "index": "0"})
    assert response.status_code == 302
    assert messages_of(response) == ["Select at most 1 events to edit together (2 are selected)."]


@pytest.mark.parametrize(
    "status, publish_in, said",
    [
        (Status.DRAFT, None, "Saved as a draft"),
        (Status.REVIEW, None, "Saved; it waits for review"),
        (Status.PUBLISHED, datetime.timedelta(days=-1), "Saved; readers see it"),
        (Status.PUBLISHED, datetime.timedelta(days=30), "Saved; it is scheduled for "),
    ],
)
def test_a_plain_save_says_what_state_the_event_is_in(as_editor, status, publish_in, said):
    event = EventFactory(title="A headline", status=status, publish_at=timezone.now() + publish_in if publish_in else None, sources=1)
    response = save_through_admin(as_editor, change_url(event), summary="Reworded.", minor_edit="on")
    assert response.status_code == 302, errors_in(response)
    (message,) = messages_of(response)
    assert message.startswith(said) and message.endswith(": “A headline”.")
    # The history line says what changed, not how it was saved.
    assert versions_of(event)[-1].revision.comment == "Changed the summary; a minor edit."


def test_a_scheduled_event_is_announced_with_a_date_an_editor_reads(as_editor):
    event = DraftFactory(title="Later", sources=1)
    when = timezone.make_aware(datetime.datetime(2031, 12, 3, 9, 0))
    response = save_through_admin(as_editor, change_url(event), "_schedule", **split(when))
    assert messages_of(response) == ["Scheduled for 3 Dec 2031 09:00 UTC: “Later”."]
