"""Where an event stands in the timeline and the days it covers, stored for the period filters and the order.

A month or year date sorted as its first day came before the dated events it
may follow, and the period filters compared only that first day, dropping
"Dec 2018" from ?since=2018-12-10. The backfill uses the same rule as
Event.place(), written in SQL for each database so it runs at any size.
"""

from django.db import migrations, models

PAGE_COLUMNS = ("version", "date_precision", "status", "publish_at", "date", "covers_until")

_SQLITE_PERIOD_END = """CASE {precision}
    WHEN 'year' THEN date({column}, 'start of year', '+1 year', '-1 day')
    WHEN 'month' THEN date({column}, 'start of month', '+1 month', '-1 day')
    ELSE {column} END"""
_POSTGRESQL_PERIOD_END = """CASE {precision}
    WHEN 'year' THEN (date_trunc('year', {column}) + interval '1 year' - interval '1 day')::date
    WHEN 'month' THEN (date_trunc('month', {column}) + interval '1 month' - interval '1 day')::date
    ELSE {column} END"""


def fill(apps, schema_editor):
    template = _POSTGRESQL_PERIOD_END if schema_editor.connection.vendor == "postgresql" else _SQLITE_PERIOD_END
    start_end = template.format(precision="date_precision", column="date")
    end_end = template.format(precision="date_precision", column="end_date")
    schema_editor.execute(
        f"UPDATE timeline_event SET sort_date = {start_end}, "
        f"covers_until = CASE WHEN end_date IS NULL THEN {start_end} ELSE {end_end} END"
    )


class Migration(migrations.Migration):
    dependencies = [("timeline", "0008_covering_page_indexes")]

    operations = [
        migrations.AddField(
            model_name="event",
            name="placed_on",
            field=models.DateField(
                blank=True,
                null=True,
                help_text="Only for a date known to the month or year, when you know where it falls among that period's dated events "
                "(say, the day after the warning it followed): the day to place it on. Empty: after the period's dated events.",
            ),
        ),
        migrations.AlterField(
            model_name="event",
            name="date",
            field=models.DateField(
                help_text="When it happened, as precisely as it is known: 2018-12-17, 2018-12 (or Dec 2018) or 2018. "
                "A month or a year is stored as its first day."
            ),
        ),
        migrations.AddField(model_name="event", name="sort_date", field=models.DateField(editable=False, null=True)),
        migrations.AddField(model_name="event", name="covers_until", field=models.DateField(editable=False, null=True)),
        migrations.RunPython(fill, migrations.RunPython.noop),
        migrations.AlterField(model_name="event", name="sort_date", field=models.DateField(editable=False)),
        migrations.AlterField(model_name="event", name="covers_until", field=models.DateField(editable=False)),
        migrations.AlterModelOptions(
            name="event",
            options={"ordering": ["-sort_date", "-id"], "permissions": [("publish_event", "Can publish, schedule and unpublish events")]},
        ),
        migrations.RemoveIndex(model_name="event", name="event_date_id_covering"),
        migrations.RemoveIndex(model_name="event", name="event_type_date_id_covering"),
        migrations.AddIndex(
            model_name="event",
            index=models.Index(fields=["sort_date", "id"], include=PAGE_COLUMNS, name="event_sort_date_id_covering"),
        ),
        migrations.AddIndex(
            model_name="event",
            index=models.Index(fields=["event_type", "sort_date", "id"], include=PAGE_COLUMNS, name="event_type_sort_id_covering"),
        ),
        migrations.AddConstraint(
            model_name="event",
            constraint=models.CheckConstraint(
                condition=models.Q(sort_date__gte=models.F("date"), covers_until__gte=models.F("sort_date")),
                name="event_placed_in_its_period",
            ),
        ),
    ]
