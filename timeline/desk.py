"""The newsroom's desk: the admin home shows the work, not a list of tables.

An editor opening /admin/ wants to know what is theirs to finish, what waits
for their review, what goes live next and what readers saw change lately.
"""

from dataclasses import dataclass

from django.contrib import admin
from django.utils import timezone

from .models import Correction, Event, Status
from .roles import PUBLISH_PERMISSION

DESK_ROWS = 10
# Login lockouts are for whoever administers accounts, not part of the newsroom's work:
# the desk links to them instead of listing their tables among the newsroom's.
ACCOUNT_APPS = {"axes"}


@dataclass
class Pile:
    """One list on the desk: a heading, its events (or corrections), and what to say when it is empty."""

    key: str
    heading: str
    rows: list
    empty: str


def desk_for(user):
    """The desk's piles for `user`: their drafts for everyone, the review queue and the schedule for editors."""
    events = Event.objects.select_related("updated_by").only(
        "title", "date", "end_date", "date_precision", "status", "publish_at", "updated_at", "updated_by__username"
    )
    now = timezone.now()
    piles = [
        Pile(
            "mine",
            "My drafts",
            list(events.filter(created_by=user, status__in=[Status.DRAFT, Status.REVIEW]).order_by("-updated_at")[:DESK_ROWS]),
            "No draft of yours is open.",
        )
    ]
    if user.has_perm(PUBLISH_PERMISSION):
        piles += [
            Pile(
                "review",
                "Waiting for review",
                list(events.filter(status=Status.REVIEW).order_by("updated_at")[:DESK_ROWS]),
                "Nothing waits for review.",
            ),
            Pile(
                "scheduled",
                "Scheduled",
                list(events.filter(status=Status.PUBLISHED, publish_at__gt=now).order_by("publish_at")[:DESK_ROWS]),
                "Nothing is scheduled.",
            ),
        ]
    piles += [
        Pile(
            "published", "Published lately", list(events.public().order_by("-publish_at", "-id")[:DESK_ROWS]), "Nothing is published yet."
        ),
        Pile(
            "corrected",
            "Corrected lately",
            list(Correction.objects.select_related("event").order_by("-created_at", "-id")[:DESK_ROWS]),
            "No correction yet.",
        ),
    ]
    return piles


class NewsroomAdminSite(admin.AdminSite):
    site_header = "Policy Timeline · editors"
    site_title = "Policy Timeline editors"
    index_title = "Newsroom"
    index_template = "admin/desk.html"
    # The desk and the breadcrumbs lead to the lists; a sidebar repeating them took
    # 300 px from the changelist at 1366 px and cut its last column off.
    enable_nav_sidebar = False

    def index(self, request, extra_context=None):
        context = {
            "desk": desk_for(request.user),
            "account_apps": [app for app in super().get_app_list(request) if app["app_label"] in ACCOUNT_APPS],
            **(extra_context or {}),
        }
        return super().index(request, context)

    def get_app_list(self, request, app_label=None):
        apps = super().get_app_list(request, app_label)
        if app_label is not None:
            return apps
        return [app for app in apps if app["app_label"] not in ACCOUNT_APPS]
