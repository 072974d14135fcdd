"""The data version: how every process learns that the data changed, from the database.

Each edit that the facet counts, the overview or a card shows writes a
FacetChange row in the editor's own transaction (signals.py), so the change
becomes visible exactly when the edit does, and a rolled-back edit leaves
none. The data version is the log's last id and size, read in one indexed
query: it behaves the same with the local-memory cache, Redis or no cache at
all, and in every process at once. (Kept in a cache, it had to be guessed
whether the cache was shared, and with a per-process cache each process
rebuilt its counts every FACET_CACHE_SECONDS on a reader's request.)

The size is part of the version because ids are handed out when a
transaction writes, not when it commits: an edit committed after a later
one adds a row below the last id.
"""

from django.db.models import Count, Max

from .models import FacetChange


def data_version():
    """A string that changes whenever an edit is committed (and only then)."""
    log = FacetChange.objects.aggregate(size=Count("id"), last=Max("id"))
    return f"{log['last'] or 0}.{log['size']}"


def record(kind, object_ids):
    """Note that these events (or named values: types, countries, ...) changed."""
    FacetChange.objects.bulk_create(FacetChange(kind=kind, object_id=pk) for pk in set(object_ids))
