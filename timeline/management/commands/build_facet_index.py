"""manage.py build_facet_index: write a new snapshot of the facet index (timeline/facet_index.py).

Run before app processes start (gunicorn does, see config/gunicorn.conf.py),
by a process whose edits outgrew the index's delta, and after a restore or a
bulk load that sent no signals. One process writes at a time; another run
meanwhile returns at once.
"""

import time

from django.core.management.base import BaseCommand

from timeline.facet_index import build_snapshot


class Command(BaseCommand):
    help = "Write a new snapshot of the facet index, unless another process is writing one."

    def handle(self, *args, **options):
        started = time.perf_counter()
        built = build_snapshot()
        if built is None:
            self.stdout.write("Another process is writing a snapshot of the facet index.")
        elif options["verbosity"]:
            self.stdout.write(f"Wrote {built} in {time.perf_counter() - started:.1f} s.")
