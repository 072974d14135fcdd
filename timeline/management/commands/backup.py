"""manage.py backup FILE: a restorable copy of the whole database.

PostgreSQL: `pg_dump -Fc` (custom format, for pg_restore). SQLite: `dumpdata`
as JSON, every table the app needs, with natural keys so it loads into a
freshly migrated database. The file holds the editors' password hashes: it is
readable by its owner alone from the moment it is created.
"""

import os
import subprocess

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import connection

# Rebuilt by `migrate` or worth nothing in a restore.
DUMPDATA_EXCLUDES = ["contenttypes", "auth.permission", "sessions", "admin.logentry", "axes"]


def postgres_arguments():
    settings = connection.settings_dict
    arguments = ["--dbname", settings["NAME"]]
    for option, key in [("--host", "HOST"), ("--port", "PORT"), ("--username", "USER")]:
        if settings.get(key):
            arguments += [option, str(settings[key])]
    environment = {**os.environ, **({"PGPASSWORD": settings["PASSWORD"]} if settings.get("PASSWORD") else {})}
    return arguments, environment


def create_private(path):
    """Create or empty `path` with mode 0600, before anything is written to it.

    pg_dump and dumpdata then write into it and keep its mode. An existing
    file keeps its own mode through os.open, hence the fchmod.
    """
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    try:
        os.fchmod(descriptor, 0o600)
    finally:
        os.close(descriptor)


def run(command, environment):
    try:
        subprocess.run(command, env=environment, check=True, capture_output=True, text=True)
    except FileNotFoundError:
        raise CommandError(f"{command[0]} is not installed (Debian: apt-get install postgresql-client).") from None
    except subprocess.CalledProcessError as error:
        raise CommandError(f"{command[0]} failed: {error.stderr.strip()}") from None


class Command(BaseCommand):
    help = "Back up the database to FILE (pg_dump -Fc on PostgreSQL, dumpdata JSON on SQLite)."

    def add_arguments(self, parser):
        parser.add_argument("file")

    def handle(self, *args, file, **options):
        if connection.vendor == "postgresql":
            arguments, environment = postgres_arguments()
            create_private(file)
            run(["pg_dump", "--format=custom", "--no-owner", "--file", file, *arguments], environment)
        else:
            if ".json" not in file:
                raise CommandError("On SQLite the backup is JSON: name it *.json, or *.json.gz to compress it.")
            create_private(file)
            call_command("dumpdata", natural_foreign=True, natural_primary=True, exclude=DUMPDATA_EXCLUDES, output=file, verbosity=0)
        self.stdout.write(f"Backed up the {connection.vendor} database to {file}.")
