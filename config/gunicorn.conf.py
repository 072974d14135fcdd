"""Gunicorn settings for `make run` and `make loadtest` (the command line adds --bind).

Read by `gunicorn -c config/gunicorn.conf.py`; an environment variable named
below overrides each default.
"""

import os

wsgi_app = "config.wsgi"

# Threads, not sync workers: a download streams for as long as the client
# reads (half a minute for every event at a million), and six of them held
# all three sync workers, so /robots.txt waited 13 s. A thread that streams
# waits on the database or the client's socket most of the time, and the
# other threads of its process keep serving pages.
worker_class = "gthread"
# Two cores here: a process per core and one spare while one is busy.
workers = int(os.environ.get("WEB_CONCURRENCY", "3"))
# Each thread keeps its own database connection (CONN_MAX_AGE), so
# workers x threads bounds the connections the site opens: 24 by default,
# and one more a worker on PostgreSQL that listens for edits (timeline/changes.py).
# DOWNLOADS_PER_PROCESS (2) of them may stream downloads; the rest are readers'.
threads = int(os.environ.get("GUNICORN_THREADS", "8"))
# With threads the worker's own loop reports it alive, so a long download
# no longer counts as silence; this only replaces a process that hangs.
timeout = 30
# No keep-alive: a connection kept open stays with the worker that accepted
# it, so two readers' connections could share one worker's GIL while another
# worker idled. Closed after each answer, the next request goes to whichever
# worker accepts it first, an idle one. At a million events, 3 workers and 3
# readers: p99 117-131 -> 68-89 ms, 130-165 -> 190-210 requests/s. Behind a proxy
# (TLS) the proxy keeps the readers' connections, as nginx does by default.
keepalive = int(os.environ.get("GUNICORN_KEEPALIVE", "0"))
# gunicornc's control socket defaults to one path per user, which a second
# gunicorn on the machine (make loadtest beside make run) would take over;
# nothing here uses it.
control_socket_disable = True


def on_starting(server):
    """Write the facet index's snapshot once, before the workers start, so none builds it on a reader's request.

    Each worker then maps the same files (timeline/facet_index.py). The
    unfiltered measures view is computed here too (timeline/measures.py
    `warm`): into Redis, or into the local-memory cache each worker is forked
    with. The database connection used here is closed before the workers are forked.
    """
    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    django.setup()
    from django.db import connections

    from timeline import measures
    from timeline.facet_index import ensure_snapshot

    ensure_snapshot()
    measures.warm()
    connections.close_all()
