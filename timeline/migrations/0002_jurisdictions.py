"""Create a jurisdiction for every country in django-countries' list (and the EU),
so editors pick from the complete list and never type a country's name."""

from django.db import migrations


def create_jurisdictions(apps, schema_editor):
    from django_countries import countries

    Jurisdiction = apps.get_model("timeline", "Jurisdiction")
    existing = set(Jurisdiction.objects.values_list("country", flat=True))
    Jurisdiction.objects.bulk_create(
        Jurisdiction(country=code) for code, _ in countries if code not in existing
    )


def delete_jurisdictions(apps, schema_editor):
    apps.get_model("timeline", "Jurisdiction").objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [("timeline", "0001_initial")]

    operations = [migrations.RunPython(create_jurisdictions, delete_jurisdictions)]
