"""Search indexes on the folded search text: FTS5 trigram on SQLite, pg_trgm on PostgreSQL."""

from django.db import migrations

from observatoire.core.search import search_index_sql

TABLES = ["organizations_organization", "organizations_person"]


def create_indexes(apps, schema_editor):
    for table in TABLES:
        for statement in search_index_sql(table, schema_editor.connection.vendor)[0]:
            schema_editor.execute(statement)


def drop_indexes(apps, schema_editor):
    for table in TABLES:
        for statement in search_index_sql(table, schema_editor.connection.vendor)[1]:
            schema_editor.execute(statement)


class Migration(migrations.Migration):
    dependencies = [("organizations", "0002_register_export")]

    operations = [migrations.RunPython(create_indexes, drop_indexes)]
