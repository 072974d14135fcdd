"""Numbered releases of the public dataset: frozen, checksummed files with a changelog.

An editor (the admin's "Cut a release") or a scheduled `manage.py cut_release`
writes every public event, in the full download's order, to a CSV and a JSON
file in one pass over one query (so both hold the same snapshot), hashing them
as they are written, in constant memory. The files go to a directory of their
own under RELEASES_ROOT and are never written again; the Release row that
names them is created last, so a failed cut leaves nothing visible.

The changelog compares the release with the previous one: events added,
withdrawn, corrected (a correction was made public in between) and changed
(edited otherwise). Each release keeps the ids it holds (8 bytes an event, not
served) for the next one to compare with.
"""

import contextlib
import fcntl
import hashlib
import json
import shutil
import time
import uuid
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from django.conf import settings
from django.db import transaction
from django.utils import timezone, translation

from . import export
from .models import Correction, Event, Release

_IDS_FILE = "event-ids.int64"
_LATEST_FILE = "LATEST"
# A release directory being written: never listed, never served.
_BUILDING_PREFIX = ".building-"


class ReleaseBusy(Exception):
    """Another release is being cut."""


@dataclass(frozen=True)
class ReleaseFile:
    kind: str
    name: str
    content_type: str
    sha256: str | None
    size: int | None


def release_dir(number):
    return Path(settings.RELEASES_ROOT) / str(number)


def csv_name(number):
    return f"policy-timeline-release-{number}.csv"


def json_name(number):
    return f"policy-timeline-release-{number}.json"


def changelog_name(number):
    return f"policy-timeline-release-{number}-changelog.json"


def files_of(release):
    """The files a release serves, in the order its page lists them."""
    files = [
        ReleaseFile("CSV", csv_name(release.number), "text/csv; charset=utf-8", release.csv_sha256, release.csv_bytes),
        ReleaseFile("JSON", json_name(release.number), "application/json", release.json_sha256, release.json_bytes),
    ]
    if release.has_changelog:
        files.append(ReleaseFile("Changelog", changelog_name(release.number), "application/json", None, None))
    return files


def citation(release, site_url):
    """How to cite a release: it names the version and its permanent address."""
    return (
        f"Policy Timeline ({release.cut_at:%Y}). Policy Timeline dataset, release {release.number} "
        f"(codebook version {release.codebook_version}), {release.cut_at:%-d %B %Y}. "
        f"{site_url}{release.get_absolute_url()}. CC BY 4.0."
    )


@contextlib.contextmanager
def _exclusive():
    """One cut at a time on this storage: a second one is refused, not queued behind a minute-long build."""
    root = Path(settings.RELEASES_ROOT)
    root.mkdir(parents=True, exist_ok=True)
    with open(root / ".lock", "w") as lock:
        try:
            fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise ReleaseBusy("Another release is being cut right now; try again when it is done.") from None
        try:
            yield
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)


class _HashedFile:
    """A binary file that keeps the SHA-256 and the size of what was written to it."""

    def __init__(self, path):
        self.file = open(path, "wb")
        self.hash = hashlib.sha256()
        self.size = 0

    def write(self, text):
        data = text.encode()
        self.hash.update(data)
        self.size += len(data)
        self.file.write(data)

    def close(self):
        self.file.close()


def _write_files(directory, number, base_url):
    """Write the CSV, the JSON and the ids of every public event; return (count, csv, json) with their hashes."""
    columns = export.columns_for(False)
    csv_file = _HashedFile(directory / csv_name(number))
    json_file = _HashedFile(directory / json_name(number))
    count = 0
    try:
        with open(directory / _IDS_FILE, "wb") as ids:
            events = Event.objects.public().order_by("-sort_date", "-id")
            csv_file.write("\ufeff" + export.csv_line(columns))
            json_file.write('{"events": [')
            separator = "\n"
            for chunk in export.chunks(export.release_lines(events, base_url)):
                csv_file.write("".join([line for _, line, _ in chunk]))
                json_file.write(separator + ",\n".join([item for _, _, item in chunk]))
                separator = ",\n"
                ids.write(np.array([pk for pk, _, _ in chunk], dtype=np.int64).tobytes())
                count += len(chunk)
            json_file.write("\n]}\n")
    finally:
        csv_file.close()
        json_file.close()
    return count, csv_file, json_file


def _read_ids(directory):
    return np.sort(np.fromfile(directory / _IDS_FILE, dtype=np.int64))


def _changelog(previous, directory, cut_at):
    """What changed since `previous` (a Release): {"added": ids, "changed": ..., "corrected": ..., "withdrawn": ...}."""
    now_ids = _read_ids(directory)
    before_ids = _read_ids(release_dir(previous.number))
    kept = np.intersect1d(now_ids, before_ids, assume_unique=True)
    corrections = Correction.objects.filter(created_at__gt=previous.cut_at, created_at__lte=cut_at)
    corrected = np.intersect1d(kept, np.fromiter(corrections.values_list("event_id", flat=True), dtype=np.int64))
    edits = Event.objects.filter(updated_at__gt=previous.cut_at, updated_at__lte=cut_at)
    edited = np.intersect1d(kept, np.fromiter(edits.values_list("id", flat=True), dtype=np.int64))
    return {
        "added": np.setdiff1d(now_ids, before_ids, assume_unique=True).tolist(),
        "changed": np.setdiff1d(edited, corrected, assume_unique=True).tolist(),
        "corrected": corrected.tolist(),
        "withdrawn": np.setdiff1d(before_ids, now_ids, assume_unique=True).tolist(),
    }


CHANGES = ["added", "changed", "corrected", "withdrawn"]


def cut_release(site_url, user=None):
    """Write the next release of the public dataset and return its Release. Raises ReleaseBusy during another cut."""
    started = time.perf_counter()
    with _exclusive():
        previous = Release.objects.order_by("-number").first()
        number = previous.number + 1 if previous else 1
        building = Path(settings.RELEASES_ROOT) / f"{_BUILDING_PREFIX}{number}-{uuid.uuid4().hex}"
        building.mkdir(parents=True)
        try:
            cut_at = timezone.now()
            # The files are data, in English whatever language the thread last served (country names).
            with translation.override(settings.LANGUAGE_CODE):
                count, csv_file, json_file = _write_files(building, number, site_url)
            counts = {}
            if previous is not None:
                changes = _changelog(previous, building, cut_at)
                counts = {name: len(changes[name]) for name in CHANGES}
                changelog = {"release": number, "previous_release": previous.number, "counts": counts, **changes}
                (building / changelog_name(number)).write_text(json.dumps(changelog, indent=1) + "\n")
            final = release_dir(number)
            if final.exists():
                # Left by a cut whose row was never written (the process died between the two): not a release.
                shutil.rmtree(final)
            building.rename(final)
        except BaseException:
            shutil.rmtree(building, ignore_errors=True)
            raise
        with transaction.atomic():
            release = Release.objects.create(
                number=number,
                cut_at=cut_at,
                cut_by=user,
                site_url=site_url,
                codebook_version=export.CODEBOOK_VERSION,
                event_count=count,
                csv_sha256=csv_file.hash.hexdigest(),
                csv_bytes=csv_file.size,
                json_sha256=json_file.hash.hexdigest(),
                json_bytes=json_file.size,
                build_seconds=time.perf_counter() - started,
                **counts,
            )
            transaction.on_commit(lambda: _point_latest_to(number))
        return release


def _point_latest_to(number):
    """Name the newest release in a file beside the releases, which the full downloads read to link to
    it without a query of their own (they stream in one)."""
    root = Path(settings.RELEASES_ROOT)
    pointer = root / f".{_LATEST_FILE}-{uuid.uuid4().hex}"
    pointer.write_text(f"{number}\n")
    pointer.replace(root / _LATEST_FILE)


def latest_number():
    """The newest release's number, or None before the first."""
    try:
        return int((Path(settings.RELEASES_ROOT) / _LATEST_FILE).read_text())
    except (OSError, ValueError):
        return None


def changelog_of(release):
    """The release's changelog as written, or None for the first release."""
    if not release.has_changelog:
        return None
    return json.loads((release_dir(release.number) / changelog_name(release.number)).read_text())
