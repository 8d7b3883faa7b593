"""The public search index: one row per listed organisation and published project.

Only what the public may see goes in: listed records (qualified, not merged organisations;
published projects) and, of them, only the fields their owners made public. The text columns
hold folded, stemmed words (see `portal.text`); the facet rows hold the public values a record
can be filtered by. Kept in sync by `portal.index`; `manage.py rebuild_public_index` rebuilds it.
"""

from django.db import models

from observatoire.organizations.models import Organization
from observatoire.projects.models import Project


class Entry(models.Model):
    """What one listed record contributes to the search: its words and its sort keys."""

    name_text = models.TextField(blank=True)
    body_text = models.TextField(blank=True)
    sort_name = models.CharField(max_length=255, db_index=True)
    updated_at = models.DateTimeField(db_index=True)

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return self.sort_name


class Facet(models.Model):
    """One public value a record can be filtered by (facet « theme », value « eau », …)."""

    facet = models.CharField(max_length=20)
    value = models.CharField(max_length=255)

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return f"{self.facet}={self.value}"


class OrganizationEntry(Entry):
    organization = models.OneToOneField(
        Organization, on_delete=models.CASCADE, primary_key=True, related_name="public_entry"
    )

    class Meta:
        # The order of the lists (name, then key): a deep API page walks this index instead of
        # sorting the whole table (the key is not SQLite's rowid, so `sort_name` alone is not).
        indexes = [models.Index(fields=["sort_name", "organization"], name="portal_orgentry_sort")]


class OrganizationFacet(Facet):
    entry = models.ForeignKey(OrganizationEntry, on_delete=models.CASCADE, related_name="facets")

    class Meta:
        indexes = [
            models.Index(fields=["facet", "value", "entry"], name="portal_orgfacet_value"),
            models.Index(fields=["entry", "facet", "value"], name="portal_orgfacet_entry"),
        ]


class ProjectEntry(Entry):
    project = models.OneToOneField(
        Project, on_delete=models.CASCADE, primary_key=True, related_name="public_entry"
    )

    class Meta:
        indexes = [models.Index(fields=["sort_name", "project"], name="portal_projentry_sort")]


class ProjectFacet(Facet):
    entry = models.ForeignKey(ProjectEntry, on_delete=models.CASCADE, related_name="facets")

    class Meta:
        indexes = [
            models.Index(fields=["facet", "value", "entry"], name="portal_projfacet_value"),
            models.Index(fields=["entry", "facet", "value"], name="portal_projfacet_entry"),
        ]


class IndexChange(models.Model):
    """One entry of the index recomputed (`entry_id`), or the whole index (`entry_id` null).

    Each process keeps the facet values in memory (`portal.facet_index`) and reads the changes
    made since its last look, so that it reloads only the entries that changed. `token` tells a
    row apart from a later one that reused its id (SQLite, after a rolled-back transaction).
    """

    kind = models.CharField(max_length=20)  # the engine's key: organizations or projects
    entry_id = models.IntegerField(null=True)
    token = models.BigIntegerField()

    class Meta:
        indexes = [models.Index(fields=["kind", "id"], name="portal_indexchange_kind")]

    def __str__(self) -> str:
        return f"{self.kind}:{self.entry_id or '*'}"
