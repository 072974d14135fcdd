"""The admin home is the newsroom's desk: what is mine to finish, what waits for
review, what goes live next, what readers saw change; account tables kept aside."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from timeline.models import Status

from .factories import CorrectionFactory, DraftFactory, EventFactory
from .test_workflow import logged_in, staff_member

pytestmark = pytest.mark.django_db


def section(page, key):
    start = page.index(f'id="desk-{key}"')
    return page[start : page.index("</section>", start)]


@pytest.fixture
def newsroom():
    carla = staff_member("carla", "Contributor")
    edith = staff_member("edith", "Editor")
    DraftFactory(title="Carla's draft", created_by=carla)
    DraftFactory(title="Carla's piece in review", created_by=carla, status=Status.REVIEW)
    DraftFactory(title="Edith's draft", created_by=edith)
    EventFactory(title="Goes live tomorrow", publish_at=timezone.now() + datetime.timedelta(days=1))
    corrected = EventFactory(title="Published and corrected")
    CorrectionFactory(event=corrected, note="The order covers phones, not network gear.")
    return carla, edith


def test_a_contributor_sees_their_own_drafts_and_what_readers_see(newsroom):
    carla, _ = newsroom
    page = logged_in(carla).get("/admin/").content.decode()
    mine = section(page, "mine")
    assert "Carla&#x27;s draft" in mine and "Carla&#x27;s piece in review" in mine and "Edith" not in mine
    assert 'id="desk-review"' not in page and 'id="desk-scheduled"' not in page
    assert "Published and corrected" in section(page, "published") and "Goes live tomorrow" not in section(page, "published")
    assert "The order covers phones" in section(page, "corrected")


def test_an_editor_sees_the_review_queue_and_the_schedule(newsroom):
    _, edith = newsroom
    page = logged_in(edith).get("/admin/").content.decode()
    assert "Carla&#x27;s piece in review" in section(page, "review") and "Carla&#x27;s draft" not in section(page, "review")
    assert "Goes live tomorrow" in section(page, "scheduled")
    assert "Edith&#x27;s draft" in section(page, "mine")
    assert "No draft of yours" not in page


def test_an_empty_desk_says_so(admin_client):
    page = admin_client.get("/admin/").content.decode()
    assert "No draft of yours is open." in page and "Nothing waits for review." in page and "Nothing is scheduled." in page


def test_the_lockout_tables_are_not_among_the_newsrooms(admin_client, newsroom):
    page = admin_client.get("/admin/").content.decode()
    assert 'class="app-axes' not in page
    assert "Accounts: " in page and "/admin/axes/accessattempt/" in page
    _, edith = newsroom
    assert "/admin/axes/" not in logged_in(edith).get("/admin/").content.decode()


def test_the_desk_takes_the_same_queries_however_full_it_is(admin_client, admin_user):
    def queries():
        with CaptureQueriesContext(connection) as captured:
            assert admin_client.get("/admin/").status_code == 200
        return len(captured)

    few = queries()
    for n in range(15):
        DraftFactory(title=f"Draft {n}", created_by=admin_user, status=Status.REVIEW if n % 2 else Status.DRAFT)
        CorrectionFactory(event=EventFactory(title=f"Corrected {n}"), note=f"Note {n}")
    assert queries() == few
