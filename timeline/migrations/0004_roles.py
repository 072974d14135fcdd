"""Create the Contributor and Editor groups with their permissions."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

from timeline.roles import ROLES, codenames


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
        wanted = [code for model, actions in grants.items() for code in codenames(model, actions)]
        group.permissions.set(Permission.objects.filter(content_type__app_label="timeline", codename__in=wanted))


def delete_roles(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name__in=ROLES).delete()


class Migration(migrations.Migration):
    dependencies = [("timeline", "0003_search_index"), ("auth", "0012_alter_user_first_name_max_length")]

    operations = [migrations.RunPython(create_roles, delete_roles)]
