"""Two editors save the same event in real Chromium: the second is told, and loses nothing they typed."""

import re

import pytest
import reversion
from django.contrib.auth.models import User
from playwright.sync_api import expect

from tests.factories import DraftFactory
from timeline.models import Event

pytestmark = pytest.mark.browser

PASSWORD = "correct horse battery staple"


def log_in(new_context, site, username):
    """A separate browser session (its own cookies) signed in to the admin."""
    context = new_context()
    page = context.new_page()
    page.goto(site + "/admin/login/?next=/admin/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page).to_have_url(site + "/admin/")
    return context, page


def test_the_second_of_two_editors_is_told_who_changed_the_event_and_keeps_their_edit(new_context, site):
    for username in ("ada", "ben"):
        User.objects.create_superuser(username, f"{username}@example.org", PASSWORD)
    event = DraftFactory(title="The original headline", summary="The original summary.", sources=1)
    change_page = f"{site}/admin/timeline/event/{event.pk}/change/"

    (ada_context, ada), (ben_context, ben) = log_in(new_context, site, "ada"), log_in(new_context, site, "ben")
    ada.goto(change_page)
    ben.goto(change_page)

    ada.locator("#id_title").fill("Ada's headline")
    ada.get_by_role("button", name="Save", exact=True).click()
    expect(ada.locator("ul.messagelist")).to_contain_text("Saved as a draft: “")

    typed = "Ben's summary, typed while Ada was saving."
    ben.locator("#id_summary").fill(typed)
    ben.get_by_role("button", name="Save", exact=True).click()
    expect(ben.locator("ul.errorlist.nonfield")).to_contain_text(re.compile(r"This event was changed by ada at .+ since you opened it"))
    expect(ben.locator("#id_summary")).to_have_value(typed)
    expect(ben.locator("#id_title")).to_have_value("The original headline")

    event.refresh_from_db()
    assert event.title == "Ada's headline"
    assert event.summary == "The original summary."
    ada_context.close()
    ben_context.close()


def test_an_editor_whose_event_was_deleted_meanwhile_keeps_their_text_and_can_bring_it_back(new_context, site):
    for username in ("ada", "ben"):
        User.objects.create_superuser(username, f"{username}@example.org", PASSWORD)
    with reversion.create_revision():  # as an admin save leaves it: a version to recover
        event = DraftFactory(title="A headline about to be deleted", summary="The original summary.", sources=1)
    (ada_context, ada), (ben_context, ben) = log_in(new_context, site, "ada"), log_in(new_context, site, "ben")
    change_page = f"{site}/admin/timeline/event/{event.pk}/change/"

    ada.goto(change_page)
    ben.goto(change_page)
    ben.get_by_role("link", name="Delete", exact=True).click()
    ben.get_by_role("button", name="Yes, I’m sure").click()
    expect(ben.locator("ul.messagelist")).to_contain_text("was deleted successfully")

    typed = "Ada's summary, typed while Ben was deleting."
    ada.locator("#id_summary").fill(typed)
    ada.get_by_role("button", name="Save", exact=True).click()
    expect(ada.locator("ul.errorlist.nonfield")).to_contain_text(re.compile(r"This event was deleted by ben at .+ since you opened it"))
    expect(ada.locator("#id_summary")).to_have_value(typed)
    assert not Event.objects.filter(pk=event.pk).exists()

    ada.get_by_role("button", name="Save", exact=True).click()
    expect(ada.locator("ul.messagelist")).to_contain_text("Saved as a draft: “")
    assert Event.objects.get(pk=event.pk).summary == typed
    ada_context.close()
    ben_context.close()
