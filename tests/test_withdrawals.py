"""A public event leaving public view is recorded, so the API's mirrors can drop it."""

import datetime

import pytest
import reversion
from django.utils import timezone
from reversion.models import Version

from timeline.models import Event, Withdrawal

from .factories import DraftFactory, EventFactory

pytestmark = pytest.mark.django_db


def recorded():
    return list(Withdrawal.objects.values_list("event_id", "reason"))


def test_unpublishing_a_public_event_records_a_withdrawal():
    event = EventFactory()
    event.unpublish()
    assert recorded() == [(event.pk, "unpublished")]


def test_scheduling_a_public_event_for_later_records_a_withdrawal():
    event = EventFactory()
    event.publish_at = timezone.now() + datetime.timedelta(days=1)
    event.save()
    assert recorded() == [(event.pk, "unpublished")]


def test_deleting_public_events_records_each_one():
    first, second = EventFactory(), EventFactory()
    ids = {first.pk, second.pk}
    # As the admin's "delete selected" does: one query, a signal per event.
    Event.objects.filter(pk__in=ids).delete()
    assert set(recorded()) == {(pk, "deleted") for pk in ids}


def test_reverting_a_public_event_to_its_draft_records_a_withdrawal():
    with reversion.create_revision():
        event = DraftFactory(sources=1)
    with reversion.create_revision():
        event.publish()
    Version.objects.get_for_object(event).last().revert()
    assert Event.objects.get(pk=event.pk).status == "draft"
    assert recorded() == [(event.pk, "unpublished")]


def test_what_readers_never_saw_or_still_see_records_nothing():
    public = EventFactory()
    public.summary = "Edited while public."
    public.save()
    draft = DraftFactory()
    draft.summary = "Edited draft."
    draft.save()
    draft.delete()
    scheduled = EventFactory(publish_at=timezone.now() + datetime.timedelta(hours=1))
    scheduled.unpublish()
    scheduled.delete()
    DraftFactory(sources=1).publish()
    assert recorded() == []
