"""Create the Contributor and Editor groups with their permissions.

The grants are written out here, not imported: a migration must keep doing
what it did. Change a role with a new migration.
"""

from django.contrib.auth.management import create_permissions
from django.db import migrations

_WRITE = ["add", "change", "view"]
_ALL = ["add", "change", "delete", "view"]

ROLES = {
    "Contributor": {
        "event": _WRITE + ["delete"],  # deleting a *published* event needs the publish permission too
        "eventactor": _ALL,
        "source": _ALL,
        # Names of actors, topics and measures show on published events: a
        # contributor adds new ones, an editor renames them.
        "actor": ["add", "view"],
        "topic": ["add", "view"],
        "measure": ["add", "view"],
        "eventtype": ["view"],
        "jurisdiction": ["view"],
        "correction": ["view"],
    },
    "Editor": {
        "event": _ALL + ["publish"],
        "eventactor": _ALL,
        "source": _ALL,
        "actor": _ALL,
        "topic": _ALL,
        "measure": _ALL,
        "eventtype": _ALL,
        "jurisdiction": ["view"],
        "correction": _ALL,
    },
}


def create_roles(apps, schema_editor):
    # Permissions are normally created after all migrations have run; the
    # groups need them now, on a fresh database too.
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, verbosity=0)
        app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for name, grants in ROLES.items():
        group, _ = Group.objects.get_or_create(name=name)
        wanted = [f"{action}_{model}" for model, actions in grants.items() for action in actions]
        group.permissions.set(Permission.objects.filter(content_type__app_label="timeline", codename__in=wanted))


def delete_roles(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name__in=ROLES).delete()


class Migration(migrations.Migration):
    dependencies = [("timeline", "0003_search_index"), ("auth", "0012_alter_user_first_name_max_length")]

    operations = [migrations.RunPython(create_roles, delete_roles)]
