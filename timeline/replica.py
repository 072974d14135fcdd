"""Readers' queries on a read replica, editors' and every write on the primary.

With DATABASE_REPLICA_URL set (a PostgreSQL streaming replica of the
primary, or a pool of them behind one address), settings.py adds the
`replica` database alias. `route_reads`, a middleware, marks a request as a
reader's when it only reads (GET, HEAD, OPTIONS), is not under /admin/ and
comes from nobody signed in; `ReplicaRouter` then sends that request's
reads to the replica. Everything else reads the primary:

- editors (anyone signed in, anywhere): an editor who saves and then
  previews, or opens the public page of what they just published, reads
  their own write, never a replica a few milliseconds behind;
- reads inside a transaction on the primary, and the rest of a request
  once it has written (it reads what it wrote), and code outside requests
  (management commands);
- readers, for RETRY_SECONDS, after the replica could not be reached
  (logged as a warning): a replica down or restarting costs one reader of
  each process a connect timeout at most, and the primary their load.

The mark lasts until the response is closed (request_finished), not until
the view returns: a download streams its rows after that, and reads them
from the replica too.
"""

import functools
import logging
import time
from contextvars import ContextVar

from django.core.signals import request_finished
from django.db import DEFAULT_DB_ALIAS, OperationalError, connections
from django.dispatch import receiver
from django.urls import reverse

REPLICA = "replica"
# Seconds readers stay on the primary after the replica failed to answer.
RETRY_SECONDS = 30

logger = logging.getLogger(__name__)


class _ReaderRequest:
    """A reader's request; whether it reads the replica is settled at its first read or write."""

    replica_answers = None


_reader_request = ContextVar("reader_request", default=None)
_replica_down_until = 0.0


def replica_configured():
    return REPLICA in connections.settings


def _replica_answers():
    global _replica_down_until
    if time.monotonic() < _replica_down_until:
        return False
    replica = connections[REPLICA]
    try:
        # What Django does before a connection's first query in a request,
        # done here so a dead replica is found before a query depends on it.
        replica.close_if_health_check_failed()
        replica.ensure_connection()
    except OperationalError:
        _replica_down_until = time.monotonic() + RETRY_SECONDS
        logger.warning("The read replica did not answer; readers read the primary for %d s.", RETRY_SECONDS, exc_info=True)
        return False
    return True


def reads_from_replica():
    """Whether a read made now goes to the replica."""
    request = _reader_request.get()
    if request is None or not replica_configured() or connections[DEFAULT_DB_ALIAS].in_atomic_block:
        return False
    if request.replica_answers is None:
        request.replica_answers = _replica_answers()
    return request.replica_answers


def reading_connection():
    """The connection for a raw SQL read made now: the one the router would pick for a model's."""
    return connections[REPLICA if reads_from_replica() else DEFAULT_DB_ALIAS]


class ReplicaRouter:
    def db_for_read(self, model, **hints):
        # None leaves the choice to Django: the database of the instance
        # the read starts from, else the primary.
        return REPLICA if reads_from_replica() else None

    def db_for_write(self, model, **hints):
        request = _reader_request.get()
        if request is not None:
            request.replica_answers = False
        return DEFAULT_DB_ALIAS

    def allow_relation(self, obj1, obj2, **hints):
        # Both hold the same rows.
        return {obj1._state.db, obj2._state.db} <= {DEFAULT_DB_ALIAS, REPLICA} or None

    def allow_migrate(self, db, app_label, **hints):
        # A replica is read-only and takes the primary's schema by replication.
        return False if db == REPLICA else None


@functools.cache
def _admin_prefix():
    # Once per process: reverse() took 70 us, more than all the rest of the routing.
    return reverse("admin:index")


def _is_a_readers(request):
    # Cheapest first: request.user may cost the session's queries (on the primary).
    return (
        request.method in ("GET", "HEAD", "OPTIONS") and not request.path.startswith(_admin_prefix()) and not request.user.is_authenticated
    )


def route_reads(get_response):
    """Middleware, after AuthenticationMiddleware: marks readers' requests for ReplicaRouter."""

    def middleware(request):
        _reader_request.set(_ReaderRequest() if replica_configured() and _is_a_readers(request) else None)
        return get_response(request)

    return middleware


@receiver(request_finished, dispatch_uid="timeline.replica.request_finished")
def _forget_the_request(**kwargs):
    _reader_request.set(None)
