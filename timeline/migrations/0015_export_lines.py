"""Export lines (timeline/export_lines.py): each event's public CSV line and JSON object, written ahead.

Read on PostgreSQL only: SQLite formats downloads in Python and leaves the
table empty. There the line goes with its event (ON DELETE CASCADE). The function below
deletes the lines of the events a statement changed; export_lines.install_triggers()
attaches it, after every migrate, to each table the lines are read from, as
the current columns read them.
"""

import django.contrib.postgres.fields
import django.db.models.deletion
from django.db import migrations, models

# export_lines.LOCK: a writer that deletes lines holds it shared until it commits; a fill holds it alone.
CREATE = """
ALTER TABLE timeline_exportline ADD CONSTRAINT timeline_exportline_event_id_fkey
    FOREIGN KEY (event_id) REFERENCES timeline_event (id) ON DELETE CASCADE;
CREATE FUNCTION timeline_exportline_invalidate() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM pg_advisory_xact_lock_shared(120012);
    IF TG_OP = 'TRUNCATE' THEN
        DELETE FROM timeline_exportline;
    ELSIF TG_OP = 'UPDATE' THEN
        -- One IN over both, not two ORed: an OR of subqueries scans every line.
        EXECUTE format('DELETE FROM timeline_exportline WHERE event_id IN (%s UNION ALL %s)',
                       format(TG_ARGV[0], 'changed'), format(TG_ARGV[0], 'changed_before'));
    ELSE
        EXECUTE format('DELETE FROM timeline_exportline WHERE event_id IN (%s)', format(TG_ARGV[0], 'changed'));
    END IF;
    RETURN NULL;
END
$$;
"""

DROP = """
ALTER TABLE timeline_exportline DROP CONSTRAINT IF EXISTS timeline_exportline_event_id_fkey;
DROP FUNCTION IF EXISTS timeline_exportline_invalidate() CASCADE;
"""


def create(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        # No parameters: the function's %s are format()'s, not placeholders.
        schema_editor.execute(CREATE, params=None)


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP)


class Migration(migrations.Migration):
    dependencies = [
        ("timeline", "0014_data_version_notify"),
    ]

    operations = [
        migrations.CreateModel(
            name="ExportLine",
            fields=[
                (
                    "event",
                    models.OneToOneField(
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        primary_key=True,
                        related_name="export_line",
                        serialize=False,
                        to="timeline.event",
                        db_constraint=False,
                    ),
                ),
                ("fingerprint", models.CharField(max_length=32)),
                ("csv", django.contrib.postgres.fields.ArrayField(base_field=models.TextField(), size=None)),
                ("json", django.contrib.postgres.fields.ArrayField(base_field=models.TextField(), size=None)),
            ],
            options={
                "db_table": "timeline_exportline",
            },
        ),
        migrations.RunPython(create, drop, elidable=False),
    ]
