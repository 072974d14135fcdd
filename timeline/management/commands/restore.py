"""manage.py restore FILE: replace the database's content with a backup.

PostgreSQL: `pg_restore --clean` of a `pg_dump -Fc` file. SQLite: a flush,
then `loaddata` of a `backup` JSON file, into a database already migrated.
"""

import sys

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction

from timeline.facet_index import build_snapshot

from .backup import postgres_arguments, run


class Command(BaseCommand):
    help = "Restore the database from a FILE made by `manage.py backup`. Everything in the database now is replaced."

    def add_arguments(self, parser):
        parser.add_argument("file")
        parser.add_argument("--yes", action="store_true", help="Do not ask for confirmation.")

    def handle(self, *args, file, yes, **options):
        if not yes and not self.confirmed(file):
            self.stdout.write("Nothing restored.")
            return
        if connection.vendor == "postgresql":
            connection.close()
            arguments, environment = postgres_arguments()
            run(["pg_restore", "--clean", "--if-exists", "--no-owner", "--single-transaction", *arguments, file], environment)
        else:
            with transaction.atomic():
                call_command("flush", interactive=False, verbosity=0)
                call_command("loaddata", file, verbosity=0)
        # The facet index's snapshot shows the rows replaced: a restore logs no
        # change. The log restored stays as it was backed up.
        build_snapshot(prune_log=False)
        self.stdout.write(f"Restored the {connection.vendor} database from {file}.")

    def confirmed(self, file):
        # A script or a cron job has nobody to answer the question: say how to
        # confirm instead of dying at the prompt (EOFError).
        if not sys.stdin.isatty():
            raise CommandError(
                "Nothing restored: restoring replaces everything in the database, and there is no terminal to confirm it. "
                "Pass --yes (make restore FILE=... YES=1) to restore without asking."
            )
        try:
            answer = input(f"Replace everything in the {connection.vendor} database with {file}? [y/N] ")
        except EOFError:
            return False
        return answer.strip().lower() == "y"
