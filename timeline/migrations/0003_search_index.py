"""A GIN index on the stored search vector, on PostgreSQL only (SQLite has no GIN)."""

from django.db import migrations


def create_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("CREATE INDEX IF NOT EXISTS event_search_vector_gin ON timeline_event USING gin (search_vector)")


def fill_vectors(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(
            "UPDATE timeline_event SET search_vector = "
            "setweight(to_tsvector('english', coalesce(title, '')), 'A') || "
            "setweight(to_tsvector('english', coalesce(summary, '')), 'B') || "
            "setweight(to_tsvector('english', coalesce(body, '')), 'C')"
        )


def drop_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("DROP INDEX IF EXISTS event_search_vector_gin")


class Migration(migrations.Migration):
    dependencies = [("timeline", "0002_jurisdictions")]

    operations = [
        migrations.RunPython(create_index, drop_index),
        migrations.RunPython(fill_vectors, migrations.RunPython.noop),
    ]
