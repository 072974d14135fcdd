"""Data safety: migrations that go both ways, and a backup that restores."""

import io
import os
import stat
import subprocess
import sys
from unittest import mock

import pytest
from django.apps import apps
from django.conf import settings
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection

from timeline.management.commands import backup as backup_command
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


def backup_name(tmp_path):
    return tmp_path / ("backup.dump" if connection.vendor == "postgresql" else "backup.json.gz")


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("existing", [False, True], ids=["new-file", "over-a-readable-file"])
def test_a_backup_is_readable_by_its_owner_alone_before_anything_is_written(tmp_path, django_user_model, existing):
    django_user_model.objects.create_superuser("editor", password="x")
    backup = backup_name(tmp_path)
    if existing:
        backup.write_text("an older backup")
        backup.chmod(0o644)
    modes_when_writing = []

    def recording(write):
        def wrapper(*args, **kwargs):
            modes_when_writing.append(stat.S_IMODE(os.stat(backup).st_mode))
            return write(*args, **kwargs)

        return wrapper

    previous_umask = os.umask(0o022)
    try:
        with (
            mock.patch.object(backup_command, "run", recording(backup_command.run)),
            mock.patch.object(backup_command, "call_command", recording(backup_command.call_command)),
        ):
            call_command("backup", str(backup), verbosity=0)
    finally:
        os.umask(previous_umask)
    assert modes_when_writing == [0o600]
    assert stat.S_IMODE(backup.stat().st_mode) == 0o600
    assert backup.stat().st_size > len("an older backup")


@pytest.mark.django_db(transaction=True)
def test_restore_without_a_terminal_nor_yes_refuses_and_changes_nothing(tmp_path):
    EventFactory()
    backup = backup_name(tmp_path)
    call_command("backup", str(backup), verbosity=0)
    EventFactory()
    with mock.patch("sys.stdin", io.StringIO()), pytest.raises(CommandError, match=r"Pass --yes \(make restore FILE=\.\.\. YES=1\)"):
        call_command("restore", str(backup), verbosity=0)
    assert Event.objects.count() == 2


def test_restore_run_by_a_script_exits_with_a_message_not_a_traceback(tmp_path):
    result = subprocess.run(
        [sys.executable, "manage.py", "restore", str(tmp_path / "backup.json.gz")],
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        cwd=settings.BASE_DIR,
        timeout=60,
    )
    assert result.returncode != 0
    assert "Pass --yes" in result.stderr
    assert "Traceback" not in result.stderr + result.stdout


@pytest.mark.parametrize(("yes", "option"), [("1", "--yes"), ("", "")])
def test_make_restore_passes_yes_only_when_asked(yes, option):
    result = subprocess.run(
        ["make", "--dry-run", "restore", "FILE=backup.dump", f"YES={yes}"],
        capture_output=True,
        text=True,
        cwd=settings.BASE_DIR,
        timeout=60,
    )
    [command] = [line for line in result.stdout.splitlines() if "manage.py restore" in line]
    assert command.rstrip().endswith(f'manage.py restore "backup.dump" {option}'.rstrip())
