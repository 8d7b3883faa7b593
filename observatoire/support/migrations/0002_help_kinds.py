"""The six kinds of help, one row each: sessions point at them and figures count them."""

from django.db import migrations

CODES = [
    "project_design",
    "funding_search",
    "structuring",
    "partnership",
    "evaluation",
    "other",
]


def load_help_kinds(apps, schema_editor):
    HelpKind = apps.get_model("support", "HelpKind")
    db = schema_editor.connection.alias
    for position, code in enumerate(CODES):
        HelpKind.objects.using(db).update_or_create(code=code, defaults={"position": position})


def unload_help_kinds(apps, schema_editor):
    apps.get_model("support", "HelpKind").objects.using(schema_editor.connection.alias).filter(
        code__in=CODES
    ).delete()


class Migration(migrations.Migration):
    dependencies = [("support", "0001_initial")]

    operations = [migrations.RunPython(load_help_kinds, unload_help_kinds)]
