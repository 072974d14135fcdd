"""On PostgreSQL, a NOTIFY on the data version's channel with each statement that changes the FacetChange log.

The notification is delivered when the transaction commits, never for one
rolled back: every process's listener (timeline/changes.py) then knows the
data version changed without a query per request.
"""

from django.db import migrations

CREATE = """
CREATE FUNCTION timeline_data_version_notify() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM pg_notify('timeline_data_version', '');
    RETURN NULL;
END
$$;
CREATE TRIGGER timeline_facetchange_notify
    AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON timeline_facetchange
    FOR EACH STATEMENT EXECUTE FUNCTION timeline_data_version_notify();
"""

DROP = """
DROP TRIGGER IF EXISTS timeline_facetchange_notify ON timeline_facetchange;
DROP FUNCTION IF EXISTS timeline_data_version_notify();
"""


def create(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(CREATE)


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP)


class Migration(migrations.Migration):
    dependencies = [
        ("timeline", "0013_release"),
    ]

    operations = [migrations.RunPython(create, drop, elidable=False)]
