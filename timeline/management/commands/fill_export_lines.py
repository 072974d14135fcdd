"""manage.py fill_export_lines: write every missing export line (timeline/export_lines.py).

Downloads are right without them (they compute a missing line themselves), only
slower: run it after a deploy that changes the export's columns, after loading
data, or whenever a process's own refill could not run. Only lines missing or
of another format are written; a second run finds nothing to do.
"""

import time

from django.core.management.base import BaseCommand
from django.db import connections

from timeline import export_lines


class Command(BaseCommand):
    help = "Write the export lines of every event that has none of the current format (PostgreSQL; nothing to do on SQLite)."

    def add_arguments(self, parser):
        parser.add_argument("--database", default=None, help="The database alias (default: where the lines are written).")

    def handle(self, *args, database=None, **options):
        using = database or export_lines._database()
        if connections[using].vendor != "postgresql":
            self.stdout.write("Export lines are PostgreSQL's; SQLite formats downloads as they are asked for.")
            return
        started = time.perf_counter()
        written = export_lines.fill(using=using)
        self.stdout.write(f"Wrote {written:,} export lines in {time.perf_counter() - started:.1f} s.")
