"""When the in-memory facet index is rebuilt (timeline/facet_index.py)."""

import time
from unittest import mock

import pytest
from django.utils import timezone

from timeline import facet_index
from timeline.filters import data_version

from .factories import EventFactory

pytestmark = pytest.mark.django_db


def test_an_edit_rebuilds_the_index_and_nothing_else_does(settings):
    EventFactory(title="First")
    first = facet_index.current_index(data_version())
    assert facet_index.current_index(data_version()) is first
    EventFactory(title="Second")  # any save bumps the data version (signals.py)
    second = facet_index.current_index(data_version())
    assert second is not first
    assert second.public_count(timezone.now()) == 2


def test_with_a_per_process_cache_the_index_also_ages_out(settings):
    EventFactory()
    index = facet_index.current_index(data_version())
    later = time.monotonic() + settings.FACET_CACHE_SECONDS + 1
    with mock.patch.object(facet_index.time, "monotonic", return_value=later):
        assert facet_index.current_index(data_version()) is not index


def test_with_a_shared_cache_the_index_is_rebuilt_only_after_edits(settings):
    EventFactory()
    index = facet_index.current_index(data_version())
    later = time.monotonic() + settings.FACET_CACHE_SECONDS + 1
    with (
        mock.patch.object(facet_index, "_cache_is_shared", return_value=True),
        mock.patch.object(facet_index.time, "monotonic", return_value=later),
    ):
        assert facet_index.current_index(data_version()) is index
