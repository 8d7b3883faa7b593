"""Keeping the public search index in step with the register and the projects.

`organizations_refresh(ids)` and `projects_refresh(ids)` recompute the entries of those records
(removing the ones no longer listed); the signals connected by `connect_signals` call them on
every change made through the ORM, inside the same transaction. Bulk writes that bypass signals
(imports) call them, or `index_rebuild()`, when they finish.
"""

from collections.abc import Iterable, Iterator
from itertools import islice

from django.db import connection, transaction
from django.db.models.signals import m2m_changed, post_delete, post_save, pre_delete
from django.utils.text import slugify

from observatoire.core.public_cache import bump_public_version
from observatoire.core.text import fold
from observatoire.organizations.models import (
    VISIBILITY_DEFAULTS,
    InterventionPlace,
    Organization,
    Visibility,
)
from observatoire.projects.models import (
    PROJECT_VISIBILITY_DEFAULTS,
    Project,
    ProjectPartner,
    ProjectPlace,
)

from .facet_index import log_changes
from .fulltext import rebuild_fulltext, suspend_fulltext
from .models import OrganizationEntry, OrganizationFacet, ProjectEntry, ProjectFacet
from .text import index_terms

CHUNK = 300  # rows per refresh step; bigger steps overflow SQLite expression depth
BULK_CHUNK = 2000  # organisations per step of a full rebuild (fetched by key range)
BATCH = 500  # rows per INSERT


def _public(record, field: str, defaults: dict[str, str]) -> bool:
    return record.field_visibility.get(field, defaults.get(field, Visibility.PUBLIC)) == (
        Visibility.PUBLIC
    )


def _chunks(ids: Iterable[int], size: int = CHUNK) -> Iterator[list[int]]:
    iterator = iter(ids)
    while chunk := list(islice(iterator, size)):
        yield chunk


def _keys(chunk: list[int], by_range: bool) -> dict:
    """Lookup of the records of `chunk` (sorted): a key range when they are all the listed ones
    between its ends (a rebuild), else the list of keys."""
    return {"pk__range": (chunk[0], chunk[-1])} if by_range else {"pk__in": chunk}


def _insert(model, objects: list) -> None:
    """Insert `objects` with one executemany (a rebuild: no signals, no returned keys), which
    spares the ORM's building of one statement per batch."""
    if not objects:
        return
    fields = [f for f in model._meta.concrete_fields if not f.primary_key or f.remote_field]
    columns = ", ".join(connection.ops.quote_name(f.column) for f in fields)
    marks = ", ".join(["%s"] * len(fields))
    rows = [
        [f.get_db_prep_save(getattr(o, f.attname), connection) for f in fields] for o in objects
    ]
    with connection.cursor() as cursor:
        cursor.executemany(
            f"INSERT INTO {connection.ops.quote_name(model._meta.db_table)} ({columns}) "
            f"VALUES ({marks})",
            rows,
        )


def listed_organizations():
    """Organisations the public directory lists: qualified, not merged, with an address."""
    return Organization.objects.filter(
        status=Organization.Status.QUALIFIED, merged_into__isnull=True
    ).exclude(slug="")


def published_projects():
    return Project.objects.published().exclude(slug="")


def organizations_give_slugs(ids: Iterable[int] | None = None) -> int:
    """Give their public address to qualified organisations that lack one (bulk inserts skip
    `Organization.save`), by the rules of `core.text.unique_slug`. Returns how many got one."""
    unnamed = Organization.objects.filter(status=Organization.Status.QUALIFIED, slug="")
    if ids is None:
        missing = list(unnamed.order_by("pk").values_list("pk", "name"))
    else:  # by chunks: SQLite refuses more than 32,766 parameters in a query
        missing = [
            row
            for chunk in _chunks(ids)
            for row in unnamed.filter(pk__in=chunk).order_by("pk").values_list("pk", "name")
        ]
    if not missing:
        return 0
    taken = set(Organization.objects.exclude(slug="").values_list("slug", flat=True))
    for pk, name in missing:
        base = slugify(name)[:240] or "organisation"
        slug, number = base, 2
        while slug in taken:
            slug, number = f"{base}-{number}", number + 1
        taken.add(slug)
        Organization.objects.filter(pk=pk).update(slug=slug)
    return len(missing)


def _names(items) -> list[str]:
    return [text for item in items for text in (item.name_fr, item.name_en)]


def _organization_entry(org: Organization) -> tuple[OrganizationEntry, list[OrganizationFacet]]:
    def public(field):
        return _public(org, field, VISIBILITY_DEFAULTS)

    themes = list(org.themes.all()) if public("themes") else []
    sdgs = list(org.sdgs.all()) if public("sdgs") else []
    actions = list(org.action_kinds.all()) if public("action_kinds") else []
    countries = list(org.countries.all()) if public("countries") else []
    places = list(org.places.all()) if public("places") else []
    body = [
        org.description if public("description") else "",
        org.kind.name_fr,
        org.kind.name_en,
        org.commune.name if org.commune else "",
        org.departement.name if org.departement else "",
        org.seat_locality,
        *(_names([org.seat_country]) if org.seat_country else []),
        *_names(themes),
        *[text for sdg in sdgs for text in (sdg.short_name_fr, sdg.short_name_en)],
        *_names(actions),
        *_names(countries),
        *[place.name for place in places],
    ]
    entry = OrganizationEntry(
        organization_id=org.pk,
        name_text=index_terms(org.name, org.acronym if public("acronym") else ""),
        body_text=index_terms(*body),
        sort_name=fold(org.name)[:255],
        updated_at=org.updated_at,
    )
    values = [("kind", org.kind.slug)]
    if org.departement:
        values.append(("departement", org.departement.code))
    values += [("theme", t.slug) for t in themes] + [("sdg", str(s.number)) for s in sdgs]
    values += [("country", c.iso2) for c in countries] + [("action", a.slug) for a in actions]
    facets = [OrganizationFacet(entry_id=org.pk, facet=f, value=v) for f, v in values]
    return entry, facets


def _project_entry(project: Project) -> tuple[ProjectEntry, list[ProjectFacet]]:
    def public(field):
        return _public(project, field, PROJECT_VISIBILITY_DEFAULTS)

    themes, sdgs, countries = project.themes.all(), project.sdgs.all(), project.countries.all()
    partners = [
        partner
        for partner in project.partners.all()
        if public("funders" if partner.role == ProjectPartner.Role.FUNDER else "partners")
    ]
    body = [
        project.summary if public("summary") else "",
        project.description if public("description") else "",
        *_names(themes),
        *[text for sdg in sdgs for text in (sdg.short_name_fr, sdg.short_name_en)],
        *_names(countries),
        *([place.name for place in project.places.all()] if public("places") else []),
        *[p.organization.name for p in partners],
    ]
    entry = ProjectEntry(
        project_id=project.pk,
        name_text=index_terms(project.title, project.acronym),
        body_text=index_terms(*body),
        sort_name=fold(project.title)[:255],
        updated_at=project.updated_at,
    )
    values = [("phase", project.phase)]
    values += [("theme", t.slug) for t in themes] + [("sdg", str(s.number)) for s in sdgs]
    values += [("country", c.iso2) for c in countries]
    for partner in partners:
        if partner.role == ProjectPartner.Role.LEAD and partner.organization.slug:
            values.append(("lead", partner.organization.slug))
        elif partner.role == ProjectPartner.Role.FUNDER:
            values.append(("funder_type", partner.organization.kind.slug))
    facets = [ProjectFacet(entry_id=project.pk, facet=f, value=v) for f, v in dict.fromkeys(values)]
    return entry, facets


def organizations_refresh(ids: Iterable[int], *, fresh: bool = False) -> None:
    """Recompute the index entries of these organisations (dropping the unlisted ones).
    `fresh`: the index is being rebuilt from empty (nothing to delete, no change to log)."""
    for chunk in _chunks(ids, BULK_CHUNK if fresh else CHUNK):
        with transaction.atomic():
            if not fresh:
                OrganizationFacet.objects.filter(entry_id__in=chunk).delete()
                OrganizationEntry.objects.filter(pk__in=chunk)._raw_delete(
                    OrganizationEntry.objects.db
                )
                log_changes("organizations", chunk)
            organizations = (
                listed_organizations()
                .filter(**_keys(chunk, fresh))
                .select_related("kind", "commune", "departement", "seat_country")
                .prefetch_related("themes", "sdgs", "action_kinds", "countries", "places")
            )
            built = [_organization_entry(org) for org in organizations]
            entries = [entry for entry, _facets in built]
            facets = [f for _entry, facets in built for f in facets]
            if fresh:
                _insert(OrganizationEntry, entries)
                _insert(OrganizationFacet, facets)
            else:
                OrganizationEntry.objects.bulk_create(entries, batch_size=BATCH)
                OrganizationFacet.objects.bulk_create(facets, batch_size=BATCH)


def projects_refresh(ids: Iterable[int], *, fresh: bool = False) -> None:
    """Recompute the index entries of these projects (dropping the unpublished ones).
    `fresh`: the index is being rebuilt from empty (nothing to delete, no change to log)."""
    for chunk in _chunks(ids):
        with transaction.atomic():
            if not fresh:
                ProjectFacet.objects.filter(entry_id__in=chunk).delete()
                ProjectEntry.objects.filter(pk__in=chunk)._raw_delete(ProjectEntry.objects.db)
                log_changes("projects", chunk)
            projects = (
                published_projects()
                .filter(**_keys(chunk, fresh))
                .prefetch_related(
                    "themes", "sdgs", "countries", "places", "partners__organization__kind"
                )
            )
            built = [_project_entry(project) for project in projects]
            entries = [entry for entry, _facets in built]
            facets = [f for _entry, facets in built for f in facets]
            if fresh:
                _insert(ProjectEntry, entries)
                _insert(ProjectFacet, facets)
            else:
                ProjectEntry.objects.bulk_create(entries, batch_size=BATCH)
                ProjectFacet.objects.bulk_create(facets, batch_size=BATCH)


def index_rebuild() -> tuple[int, int]:
    """Rebuild the whole public index; returns the numbers of organisations and projects listed."""
    organizations_give_slugs()
    entry_models = (OrganizationEntry, ProjectEntry)
    with transaction.atomic():
        for model in (OrganizationFacet, ProjectFacet):
            model.objects.all()._raw_delete(model.objects.db)
        # Without the full-text triggers: one row at a time into the full-text index is what
        # made a rebuild take half an hour; it is rebuilt in one pass at the end instead.
        suspend_fulltext(entry_models)
        for model in entry_models:
            model.objects.all()._raw_delete(model.objects.db)
        org_ids = list(listed_organizations().order_by("pk").values_list("pk", flat=True))
        organizations_refresh(org_ids, fresh=True)
        project_ids = list(published_projects().order_by("pk").values_list("pk", flat=True))
        projects_refresh(project_ids, fresh=True)
        rebuild_fulltext(entry_models)
        log_changes("organizations", None)
        log_changes("projects", None)
    bump_public_version()
    return OrganizationEntry.objects.count(), ProjectEntry.objects.count()


def index_after_bulk_write(organization_ids: Iterable[int]) -> None:
    """After writes that bypassed signals (an import): address and index of these records."""
    ids = list(organization_ids)
    organizations_give_slugs(ids)
    organizations_refresh(ids)
    for chunk in _chunks(ids):
        projects_refresh(
            ProjectPartner.objects.filter(organization_id__in=chunk)
            .values_list("project_id", flat=True)
            .distinct()
        )
    bump_public_version()


# Signals: every ORM change to what an entry is built from refreshes that entry.


def _organization_saved(sender, instance, raw=False, **kwargs):
    if raw:
        return
    ids = [instance.pk] + ([instance.merged_into_id] if instance.merged_into_id else [])
    organizations_refresh(ids)
    # Partner names are in the projects' text, and a lead's address in their facets.
    projects_refresh(
        ProjectPartner.objects.filter(organization_id=instance.pk)
        .values_list("project_id", flat=True)
        .distinct()
    )


# Records being deleted: the deletion of their places or partners, which comes first, must not
# index them again (their new entry would then point to a deleted row).
_deleting: set[tuple[str, int]] = set()


def _deletion_started(sender, instance, **kwargs):
    _deleting.add((sender._meta.label, instance.pk))


def _deletion_ended(sender, instance, **kwargs):
    _deleting.discard((sender._meta.label, instance.pk))


def _place_changed(sender, instance, raw=False, **kwargs):
    if not raw and ("organizations.Organization", instance.organization_id) not in _deleting:
        organizations_refresh([instance.organization_id])


def _project_part_changed(sender, instance, raw=False, **kwargs):
    if not raw and ("projects.Project", instance.project_id) not in _deleting:
        projects_refresh([instance.project_id])


def _project_saved(sender, instance, raw=False, **kwargs):
    if not raw:
        projects_refresh([instance.pk])


def _m2m_refresher(refresh):
    def changed(sender, instance, action, reverse, pk_set, **kwargs):
        if action not in ("post_add", "post_remove", "post_clear"):
            return
        if not reverse:
            refresh([instance.pk])
        elif pk_set:
            refresh(pk_set)

    return changed


_organization_m2m = _m2m_refresher(organizations_refresh)
_project_m2m = _m2m_refresher(projects_refresh)


def _entry_deleted(sender, instance, **kwargs):
    # An entry deleted with its record (a cascade), not by a refresh: the facet index of the
    # other processes must hear of it too.
    log_changes("organizations" if sender is OrganizationEntry else "projects", [instance.pk])


def connect_signals() -> None:
    uid = "portal-index-"
    for model in (OrganizationEntry, ProjectEntry):
        post_delete.connect(_entry_deleted, sender=model, dispatch_uid=uid + "entry-" + str(model))
    for model in (Organization, Project):
        pre_delete.connect(_deletion_started, sender=model, dispatch_uid=uid + "del-" + str(model))
        post_delete.connect(_deletion_ended, sender=model, dispatch_uid=uid + "deld-" + str(model))
    post_save.connect(_organization_saved, sender=Organization, dispatch_uid=uid + "org")
    for name in ("themes", "sdgs", "action_kinds", "countries"):
        through = getattr(Organization, name).through
        m2m_changed.connect(_organization_m2m, sender=through, dispatch_uid=uid + "org-" + name)
    for signal in (post_save, post_delete):
        signal.connect(_place_changed, sender=InterventionPlace, dispatch_uid=uid + "place")
        signal.connect(_project_part_changed, sender=ProjectPlace, dispatch_uid=uid + "pplace")
        signal.connect(_project_part_changed, sender=ProjectPartner, dispatch_uid=uid + "partner")
    post_save.connect(_project_saved, sender=Project, dispatch_uid=uid + "project")
    for name in ("themes", "sdgs", "countries"):
        through = getattr(Project, name).through
        m2m_changed.connect(_project_m2m, sender=through, dispatch_uid=uid + "project-" + name)
