"""Full-text indexes of the public search tables: FTS5 on SQLite, weighted tsvector on PostgreSQL."""

from django.db import migrations

from observatoire.portal.fulltext import fulltext_sql

TABLES = [("portal_organizationentry", "organization_id"), ("portal_projectentry", "project_id")]


def create(apps, schema_editor):
    for table, key in TABLES:
        for statement in fulltext_sql(table, key, schema_editor.connection.vendor)[0]:
            schema_editor.execute(statement)


def drop(apps, schema_editor):
    for table, key in TABLES:
        for statement in fulltext_sql(table, key, schema_editor.connection.vendor)[1]:
            schema_editor.execute(statement)


class Migration(migrations.Migration):
    dependencies = [("portal", "0001_initial")]

    operations = [migrations.RunPython(create, drop)]
