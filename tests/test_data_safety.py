"""Data safety: migrations that go both ways, and a backup that restores."""

import pytest
from django.apps import apps
from django.core.management import call_command
from django.db import connection

from timeline.models import Event, Jurisdiction

from .factories import CorrectionFactory, DraftFactory, EventFactory


def row_counts():
    models = [*apps.get_app_config("timeline").get_models(), apps.get_model("auth", "Group"), apps.get_model("auth", "User")]
    return {model._meta.label: model.objects.count() for model in models}


@pytest.mark.django_db(transaction=True)
def test_every_migration_can_be_reversed_and_replayed():
    call_command("migrate", "timeline", "zero", verbosity=0)
    call_command("migrate", verbosity=0)
    assert Jurisdiction.objects.filter(country="EU").exists()
    assert apps.get_model("auth", "Group").objects.filter(name__in=["Contributor", "Editor"]).count() == 2


@pytest.mark.django_db(transaction=True)
def test_a_backup_restores_every_row(tmp_path, django_user_model):
    django_user_model.objects.create_superuser("editor", password="x")
    for _ in range(5):
        CorrectionFactory(event=EventFactory(countries=["DE", "EU"]))
    DraftFactory()
    before = row_counts()
    titles = sorted(Event.objects.values_list("title", flat=True))
    backup = tmp_path / ("backup.dump" if connection.vendor == "postgresql" else "backup.json.gz")
    call_command("backup", str(backup), verbosity=0)
    Event.objects.all().delete()
    django_user_model.objects.all().delete()
    call_command("restore", str(backup), yes=True, verbosity=0)
    assert row_counts() == before
    assert sorted(Event.objects.values_list("title", flat=True)) == titles
