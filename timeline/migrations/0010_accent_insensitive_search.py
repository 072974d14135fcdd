"""Searches that ignore accents: NUKIB finds NÚKIB, Babis finds Babiš.

PostgreSQL: a text search configuration that runs unaccent before English
stemming, for the stored vectors and the queries alike (settings.SEARCH_CONFIG).
SQLite: each event's text stored folded (search.fold) for the LIKE tests.
"""

from django.db import migrations, models

from timeline.search import fold

CONFIG = "timeline_english"


def create_configuration(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    # Not django.contrib.postgres's UnaccentExtension: reversed on SQLite, it queries pg_extension.
    # A trusted extension (PostgreSQL 13+): the database's owner may create it. Left in place when reversed.
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS unaccent")
    schema_editor.execute(f"DROP TEXT SEARCH CONFIGURATION IF EXISTS {CONFIG}")
    schema_editor.execute(f"CREATE TEXT SEARCH CONFIGURATION {CONFIG} (COPY = english)")
    schema_editor.execute(f"ALTER TEXT SEARCH CONFIGURATION {CONFIG} ALTER MAPPING FOR hword, hword_part, word WITH unaccent, english_stem")


def drop_configuration(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"DROP TEXT SEARCH CONFIGURATION IF EXISTS {CONFIG}")


def index_text(config):
    def forwards(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            schema_editor.execute(
                "UPDATE timeline_event SET search_vector = "
                f"setweight(to_tsvector('{config}', coalesce(title, '')), 'A') || "
                f"setweight(to_tsvector('{config}', coalesce(summary, '')), 'B') || "
                f"setweight(to_tsvector('{config}', coalesce(body, '')), 'C')"
            )
            return
        Event = apps.get_model("timeline", "Event")
        events = Event.objects.only("title", "summary", "body").order_by("pk")
        for event in events.iterator(chunk_size=2000):
            event.search_text = fold(f"{event.title} {event.summary} {event.body}")
            Event.objects.filter(pk=event.pk).update(search_text=event.search_text)

    return forwards


class Migration(migrations.Migration):
    dependencies = [("timeline", "0009_event_place_and_period")]

    operations = [
        migrations.RunPython(create_configuration, drop_configuration),
        migrations.AddField(model_name="event", name="search_text", field=models.TextField(default="", editable=False)),
        migrations.RunPython(index_text(CONFIG), index_text("english")),
    ]
