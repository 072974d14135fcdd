"""The demo story: `story.toml` beside this module, and its reader.

Editors edit the story as a document, so a mistake in it must come back as a
sentence naming the file, the entry and the key (never a KeyError from deep
inside the loader). `read_story()` checks every entry's keys and the kind of
each value; references between entries, statuses and everything the models
validate are checked by `manage.py load_demo` as it loads. Nothing here imports
Django: the benchmark's data generator reads the story's vocabularies and
frequencies from it too.
"""

import datetime
import re
import tomllib
from pathlib import Path

STORY = Path(__file__).with_name("story.toml")


class StoryError(ValueError):
    """The story file cannot be read: the message names the file, the entry and what is wrong."""


class Required:
    """A key every entry must have, with the kind of its value."""

    def __init__(self, kind):
        self.kind = kind


class Optional:
    """A key an entry may leave out, and what a missing one stands for."""

    def __init__(self, kind, default):
        self.kind, self.default = kind, default


class Table:
    """A list of entries (TOML tables) of one kind: `name` is the singular used in messages."""

    def __init__(self, name, keys):
        self.name, self.keys = name, keys


TEXT, DATE, TEXTS, PAIRS = "text", "date", "list of texts", "list of [slug, role] pairs"

SOURCE = Table(
    "source",
    {
        "title": Required(TEXT),
        "publisher": Required(TEXT),
        "url": Optional(TEXT, ""),
        "date": Optional(DATE, None),
        "quote": Optional(TEXT, ""),
    },
)
CORRECTION = Table("correction", {"date": Required(DATE), "note": Required(TEXT)})

TABLES = {
    "topics": Table("topic", {"slug": Required(TEXT), "name": Required(TEXT)}),
    "actors": Table("actor", {"slug": Required(TEXT), "name": Required(TEXT), "kind": Required(TEXT), "country": Optional(TEXT, "")}),
    "event_types": Table("event type", {"slug": Required(TEXT), "name": Required(TEXT), "definition": Required(TEXT)}),
    "measures": Table("measure", {"slug": Required(TEXT), "title": Required(TEXT), "description": Required(TEXT)}),
    "events": Table(
        "event",
        {
            "slug": Required(TEXT),
            "title": Required(TEXT),
            "summary": Required(TEXT),
            "body": Optional(TEXT, ""),
            "date": Required(DATE),
            "precision": Required(TEXT),
            "end_date": Optional(DATE, None),
            "type": Required(TEXT),
            "stage": Optional(TEXT, ""),
            "measure": Optional(TEXT, None),
            "jurisdictions": Optional(TEXTS, []),
            "actors": Optional(PAIRS, []),
            "topics": Optional(TEXTS, []),
            "status": Required(TEXT),
            "sources": Optional(SOURCE, []),
            "corrections": Optional(CORRECTION, []),
        },
    ),
}


def read_story(path=None):
    """The story as dicts of plain values, every optional key filled in; raises StoryError."""
    path = Path(path or STORY)
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        raise StoryError(f"{shown(path)}: cannot be read: {error}") from None
    try:
        document = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        raise StoryError(f"{shown(path)} is not valid TOML: {error}{_near_entry(text, error)}") from None
    unknown = sorted(set(document) - set(TABLES))
    if unknown:
        raise StoryError(f"{shown(path)}: unknown list “{unknown[0]}” (the story has {', '.join(TABLES)}).")
    story = {}
    for key, table in TABLES.items():
        if key not in document:
            raise StoryError(f"{shown(path)}: the story has no {key} (a list of {table.name} entries).")
        story[key] = _entries(document[key], table, f"{shown(path)}: {table.name}")
    return story


def shown(path):
    """The file as an editor would type it: relative to the working directory when inside it."""
    path = Path(path).resolve()
    return str(path.relative_to(Path.cwd())) if path.is_relative_to(Path.cwd()) else str(path)


def _entries(items, table, where):
    if not isinstance(items, list) or not all(isinstance(item, dict) for item in items):
        raise StoryError(f"{where}: expected a list of entries ([[...]] tables).")
    return [_entry(item, table, where, number) for number, item in enumerate(items, 1)]


def _entry(item, table, where, number):
    slug = item.get("slug")
    label = f"{where} “{slug}”" if isinstance(slug, str) else f"{where} no. {number}"
    unknown = sorted(set(item) - set(table.keys))
    if unknown:
        raise StoryError(f"{label} has an unknown key “{unknown[0]}”; its keys are {', '.join(table.keys)}.")
    entry = {}
    for key, spec in table.keys.items():
        if key not in item:
            if isinstance(spec, Required):
                raise StoryError(f"{label} has no “{key}”.")
            entry[key] = spec.default.copy() if isinstance(spec.default, list) else spec.default
            continue
        if isinstance(spec.kind, Table):
            entry[key] = _entries(item[key], spec.kind, f"{label}, {spec.kind.name}")
        else:
            entry[key] = _checked(item[key], spec.kind, f"{label}: “{key}”")
    return entry


def _checked(value, kind, label):
    if kind == TEXT:
        ok = isinstance(value, str)
    elif kind == DATE:
        # A datetime is a date too, but the story's dates are days; "2019-03-17" in quotes is text.
        if type(value) is not datetime.date:
            raise StoryError(f"{label} must be a date written YYYY-MM-DD without quotes, not {value!r}.")
        return value
    elif kind == TEXTS:
        ok = isinstance(value, list) and all(isinstance(item, str) for item in value)
    else:
        ok = isinstance(value, list) and all(
            isinstance(pair, list) and len(pair) == 2 and all(isinstance(item, str) for item in pair) for pair in value
        )
    if not ok:
        raise StoryError(f"{label} must be a {kind}, not {value!r}.")
    return value


_TABLE_HEADER = re.compile(r"^\s*\[\[?\s*([\w.]+)\s*\]\]?")
_SLUG = re.compile(r'\bslug\s*=\s*"([^"]*)"')


def _near_entry(text, error):
    """ ", in the entry “slug”": the entry around the line a syntax error names, for an editor to find it."""
    match = re.search(r"at line (\d+)", str(error))
    if not match:
        return ""
    lines = text.splitlines()[: int(match.group(1))]
    if lines and (slug := _SLUG.search(lines[-1])):  # one-line entries: topics, actors
        return f", in the entry “{slug.group(1)}”"

    def is_entry(line):
        # [[events]] starts an entry; [[events.sources]] is part of the event above it.
        header = _TABLE_HEADER.match(line)
        return header is not None and "." not in header.group(1)

    start = next((number for number in range(len(lines) - 1, -1, -1) if is_entry(lines[number])), None)
    if start is None:
        return ""
    for line in text.splitlines()[start + 1 :]:
        if is_entry(line):
            break
        if slug := _SLUG.search(line):
            return f", in the entry “{slug.group(1)}”"
    return ""
