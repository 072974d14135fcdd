"""An editor imports a spreadsheet in real Chromium: upload, a preview naming the row to fix,
the fixed file uploaded again, confirm, and the new drafts waiting on the desk."""

import pytest
from django.contrib.auth.models import User
from playwright.sync_api import expect

from tests.factories import ActorFactory, EventTypeFactory, editors_group
from timeline.models import Event, Status

pytestmark = pytest.mark.browser

PASSWORD = "correct horse battery staple"
HEADER = "id,title,date,event_type,jurisdiction_codes,actors,source_urls,summary,status\n"
GOOD_ROW = ",Czech agency warns against Huawei,Dec 2018,Security warning,CZ,Huawei (target),https://nukib.cz/a,It warns.,published\n"


def test_an_editor_fixes_a_row_the_preview_points_to_and_finds_the_drafts_on_the_desk(page, site, tmp_path):
    EventTypeFactory(name="Security warning", slug="security-warning")
    ActorFactory(name="Huawei", slug="huawei", kind="company")
    editor = User.objects.create_user("edith", password=PASSWORD, is_staff=True)
    editor.groups.add(editors_group())
    broken = tmp_path / "december.csv"
    broken.write_text(HEADER + GOOD_ROW + ",Germany tightens rules,2019-03,Security warning,DE,Huawai (target),,New rules.,\n")
    fixed = tmp_path / "december-fixed.csv"
    fixed.write_text(HEADER + GOOD_ROW + ",Germany tightens rules,2019-03,Security warning,DE,Huawei (target),,New rules.,\n")

    page.goto(site + "/admin/login/?next=/admin/timeline/event/")
    page.get_by_label("Username").fill("edith")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.get_by_role("link", name="Import").click()

    page.get_by_label("Spreadsheet").set_input_files(broken)
    page.get_by_role("button", name="Check the file").click()
    problems = page.locator(".import-problem-table tbody tr")
    expect(problems).to_have_count(1)
    expect(problems.first).to_contain_text("3")
    expect(problems.first).to_contain_text("actors")
    expect(problems.first).to_contain_text("Not known as actors: Huawai")
    expect(page.get_by_role("button", name="Confirm import")).to_have_count(0)
    assert not Event.objects.exists()

    page.get_by_label("Spreadsheet").set_input_files(fixed)
    page.get_by_label("In review").check()
    page.get_by_label("Drafts").check()
    page.get_by_role("button", name="Check the file").click()
    expect(page.locator(".import-problem-table")).to_have_count(0)
    expect(page.locator(".import-preview-table tbody tr")).to_have_count(2)
    expect(page.locator(".import-confirm")).to_contain_text("2 new events and 0 updates will be saved as drafts")
    page.get_by_role("button", name="Confirm import").click()

    expect(page).to_have_url(site + "/admin/")
    expect(page.locator("ul.messagelist")).to_contain_text("Imported from “december-fixed.csv”: 2 new events (drafts)")
    mine = page.locator("#desk-mine")
    expect(mine).to_contain_text("Czech agency warns against Huawei")
    expect(mine).to_contain_text("Germany tightens rules")
    assert set(Event.objects.values_list("status", flat=True)) == {Status.DRAFT}
