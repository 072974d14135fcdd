"""The data version: how every process learns that the data changed, from the database.

Each edit that the facet counts, the overview or a card shows writes a
FacetChange row in the editor's own transaction (signals.py), so the change
becomes visible exactly when the edit does, and a rolled-back edit leaves
none. The data version is the log's last id and size: it behaves the same
with the local-memory cache, Redis or no cache at all, and in every process
at once. (Kept in a cache, it had to be guessed whether the cache was shared,
and with a per-process cache each process rebuilt its counts every
FACET_CACHE_SECONDS on a reader's request.)

The size is part of the version because ids are handed out when a
transaction writes, not when it commits: an edit committed after a later
one adds a row below the last id.

Reading it is a query, one more round trip on every page. On PostgreSQL a
trigger (migration 0014) sends a NOTIFY with every statement that changes
the log, delivered when the editor's transaction commits; each process keeps
one listening connection, in a thread, that reads the version again when a
notification comes, so a reader's request reads it from memory. A request
pays the query instead whenever the listener cannot vouch for what it holds:

- a notification has reached the listener's socket and is not read yet, or
  is being read (`_Listener.version`): a page that starts after the
  notification arrived never pairs the old version with the new data;
- the listener is starting (a process's first requests) or reconnecting
  after losing its connection (notifications sent meanwhile are lost, so it
  listens, then reads the version afresh);
- inside a transaction: it sees its own uncommitted edits, the listener
  only committed ones;
- a reader's request on a read replica (replica.py): the version must be
  the replica's own, or a version learned from the primary would name the
  rows of a replica that has not replayed them yet (cached under the new
  key, they would stay stale). A pool of replicas behind one address may be
  at different points, so nothing learned from an earlier answer holds
  either: such requests keep the query, on the replica;
- SQLite: no notifications, and the query costs microseconds.

An edit shows in another process as soon as its notification is in that
process's socket: 0.02-4 ms after the commit on one host (tests/test_data_version.py).
"""

import logging
import os
import select
import threading

import psycopg
from django.db import DEFAULT_DB_ALIAS, connections

from .models import FacetChange
from .replica import reading_connection, reads_from_replica

CHANNEL = "timeline_data_version"
# The listener reads the version this often when nothing comes: a connection
# that died quietly (no FIN, a firewall) is found and replaced.
HEALTH_CHECK_SECONDS = 10
RECONNECT_SECONDS = 1
# How the listening connections show in pg_stat_activity, followed by their process's id.
APPLICATION_NAME = "timeline data version listener"

logger = logging.getLogger(__name__)

_SQL = f"SELECT COUNT(id), MAX(id) FROM {FacetChange._meta.db_table}"


def _read(connection):
    with connection.cursor() as cursor:
        cursor.execute(_SQL)
        size, last = cursor.fetchone()
    return f"{last or 0}.{size}"


def data_version():
    """A string that changes whenever an edit is committed (and only then)."""
    primary = connections[DEFAULT_DB_ALIAS]
    if primary.vendor == "postgresql" and not primary.in_atomic_block and not reads_from_replica():
        known = _listener().version()
        if known is not None:
            return known
    return _read(reading_connection())


def record(kind, object_ids):
    """Note that these events (or named values: types, countries, ...) changed."""
    FacetChange.objects.bulk_create(FacetChange(kind=kind, object_id=pk) for pk in set(object_ids))


class _Listener:
    """This process's listening connection, in a thread of its own, and the version it vouches for."""

    def __init__(self, params):
        self.pid = os.getpid()
        self._params = {**params, "autocommit": True, "application_name": f"{APPLICATION_NAME} {self.pid}"}
        self._params.setdefault("connect_timeout", 5)
        # The version, while every notification sent before it was read; None otherwise.
        self._known = None
        self._fd = -1
        self._notified = False
        self._stopping = threading.Event()
        self._wake_read, self._wake_write = os.pipe()
        self._thread = threading.Thread(target=self._run, name="data-version-listener", daemon=True)
        self._thread.start()

    def version(self):
        """The data version, or None when only a query can tell it."""
        # The socket first, then the version: the thread forgets the version
        # before it reads anything off the socket, and learns the new one
        # only after, so either this sees a notification's bytes waiting or
        # it sees no version.
        fd = self._fd
        if fd < 0:
            return None
        # poll, not select: a worker's sockets may number past select's 1,024.
        socket = select.poll()
        socket.register(fd, select.POLLIN)
        try:
            waiting = socket.poll(0)
        except OSError:
            return None
        return None if waiting else self._known

    def stop(self):
        self._stopping.set()
        os.write(self._wake_write, b"x")
        self._thread.join(timeout=5)

    def _run(self):
        while not self._stopping.is_set():
            try:
                conn = psycopg.connect(**self._params)
            except psycopg.Error:
                logger.warning("The data version listener cannot connect; pages read the version by a query meanwhile.", exc_info=True)
                self._stopping.wait(RECONNECT_SECONDS)
                continue
            try:
                self._listen(conn)
            except Exception:
                # Whatever went wrong, the thread lives on: it listens again on a new connection.
                logger.warning("The data version listener lost its connection; pages read the version by a query meanwhile.", exc_info=True)
            finally:
                # Forgotten before the socket closes: its number may be reused by another.
                self._known = None
                self._fd = -1
                conn.close()
            self._stopping.wait(RECONNECT_SECONDS)
        os.close(self._wake_read)
        os.close(self._wake_write)

    def _listen(self, conn):
        conn.add_notify_handler(self._on_notify)
        # Listening before the first read: no commit falls between the two.
        conn.execute(f"LISTEN {CHANNEL}")
        self._fd = conn.fileno()
        self._refresh(conn)
        while not self._stopping.is_set():
            sockets = select.poll()
            sockets.register(conn.fileno(), select.POLLIN)
            sockets.register(self._wake_read, select.POLLIN)
            sockets.poll(HEALTH_CHECK_SECONDS * 1000)
            self._refresh(conn)

    def _refresh(self, conn):
        while True:
            # Vouched for only while this thread waits: a read may take a
            # notification off the socket before it hands it to _on_notify.
            self._known = None
            self._notified = False
            # Reading the answer reads any notification that came with it (_on_notify).
            version = _read(conn)
            if not self._notified:
                self._known = version
                return
            # A notification came during the read: its commit may be after the read's snapshot.

    def _on_notify(self, notify):
        self._known = None
        self._notified = True


_current = None
_starting = threading.Lock()


def _listener():
    """This process's listener, started at its first page (a worker forked by gunicorn starts its own)."""
    global _current
    listener = _current
    if listener is None or listener.pid != os.getpid():
        with _starting:
            if _current is None or _current.pid != os.getpid():
                _current = _Listener(connections[DEFAULT_DB_ALIAS].get_connection_params())
            listener = _current
    return listener


def stop_listening():
    """Close this process's listening connection (tests: before the test database is dropped)."""
    global _current
    with _starting:
        if _current is not None and _current.pid == os.getpid():
            _current.stop()
        _current = None
