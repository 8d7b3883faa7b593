"""Keeping the public search index in step with the register and the projects.

`organizations_refresh(ids)` and `projects_refresh(ids)` recompute the entries of those records
(removing the ones no longer listed); the signals connected by `connect_signals` call them on
every change made through the ORM, inside the same transaction. Bulk writes that bypass signals
(imports) call them, or `index_rebuild()`, when they finish.
"""

from collections import defaultdict
from collections.abc import Iterable, Iterator
from functools import lru_cache
from itertools import islice

from django.db import connection, transaction
from django.db.models.signals import m2m_changed, post_delete, post_save, pre_delete
from django.utils.text import slugify

from observatoire.core.bulk import grouped_by_owner, id_range
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
from observatoire.referentials.models import (
    SDG,
    ActionKind,
    Commune,
    Country,
    Departement,
    OrganizationKind,
    Theme,
)

from .facet_index import log_changes
from .fulltext import rebuild_fulltext, suspend_fulltext
from .models import OrganizationEntry, OrganizationFacet, ProjectEntry, ProjectFacet
from .text import index_terms

CHUNK = 300  # rows per refresh step; bigger steps overflow SQLite expression depth
BULK_CHUNK = 5000  # records per step of a full rebuild (read by key range)
BATCH = 500  # rows per INSERT


def _public(record, field: str, defaults: dict[str, str]) -> bool:
    return record.field_visibility.get(field, defaults.get(field, Visibility.PUBLIC)) == (
        Visibility.PUBLIC
    )


def _chunks(ids: Iterable[int], size: int = CHUNK) -> Iterator[list[int]]:
    iterator = iter(ids)
    while chunk := list(islice(iterator, size)):
        yield chunk


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


# A full rebuild reads plain rows by key range instead: building model instances for the
# prefetches above is what made it take ten minutes for 200,000 organisations. The entries it
# writes are the same (a test compares both ways).


@lru_cache(maxsize=200_000)
def _terms(text: str) -> str:
    """`index_terms(text)`, remembered: names of places, towns and vocabularies recur."""
    return index_terms(text)


def _joined(*parts: str) -> str:
    return " ".join(part for part in parts if part)


class _Vocabulary:
    """The rows of a small table by key: the value its facet shows, the terms of its names and
    its rank in the model's ordering (the order of a prefetch)."""

    def __init__(self, model, value: str, *names: str):
        rows = model.objects.values_list("pk", value, *names)
        self.value, self.terms, self.rank = {}, {}, {}
        for rank, (pk, shown, *texts) in enumerate(rows):
            self.value[pk] = str(shown)
            self.terms[pk] = _joined(*(_terms(text) for text in texts))
            self.rank[pk] = rank

    def ordered(self, keys: list[int]) -> list[int]:
        return sorted(keys, key=self.rank.__getitem__)


def _texts(queryset, owner: str, *fields: str) -> dict[int, list[tuple]]:
    """{owner key: [(fields…)]} in the model's ordering."""
    found = defaultdict(list)
    for owner_key, *values in queryset.values_list(owner, *fields):
        found[owner_key].append(tuple(values))
    return found


def _insert_rows(model, columns: list[str], rows: list[tuple]) -> None:
    """Insert plain `rows` (values ready for the database) with one executemany."""
    if not rows:
        return
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        cursor.executemany(
            f"INSERT INTO {quote(model._meta.db_table)} ({', '.join(map(quote, columns))}) "
            f"VALUES ({', '.join(['%s'] * len(columns))})",
            rows,
        )


def _datetime(value):
    return connection.ops.adapt_datetimefield_value(value)


def _organizations_rebuild(ids: list[int]) -> None:
    """Write the entries of the listed organisations `ids` (sorted) into an empty index."""
    kinds = _Vocabulary(OrganizationKind, "slug", "name_fr", "name_en")
    departements = _Vocabulary(Departement, "code", "name")
    countries = _Vocabulary(Country, "iso2", "name_fr", "name_en")
    themes = _Vocabulary(Theme, "slug", "name_fr", "name_en")
    sdgs = _Vocabulary(SDG, "number", "short_name_fr", "short_name_en")
    actions = _Vocabulary(ActionKind, "slug", "name_fr", "name_en")
    many = [
        ("themes", "theme_id", themes),
        ("sdgs", "sdg_id", sdgs),
        ("action_kinds", "actionkind_id", actions),
        ("countries", "country_id", countries),
    ]
    for chunk in _chunks(ids, BULK_CHUNK):
        records = listed_organizations().filter(**id_range("pk", chunk)).order_by("pk")
        rows = list(
            records.values_list(
                "pk", "name", "acronym", "description", "kind_id", "commune_id",
                "departement_id", "seat_locality", "seat_country_id", "field_visibility",
                "updated_at",
            )
        )  # fmt: skip
        links = {
            name: grouped_by_owner(
                getattr(Organization, name).through.objects.all(),
                "organization_id",
                column,
                chunk,
                ordered=False,
            )
            for name, column, _vocabulary in many
        }
        places = _texts(
            InterventionPlace.objects.filter(**id_range("organization_id", chunk)),
            "organization_id",
            "name",
        )
        communes = dict(
            Commune.objects.filter(pk__in={row[5] for row in rows if row[5]}).values_list(
                "pk", "name"
            )
        )
        entries, facets = [], []
        for (
            pk, name, acronym, description, kind, commune, departement, locality, seat,
            visibility, updated_at,
        ) in rows:  # fmt: skip

            def public(field, visibility=visibility):
                return visibility.get(field, VISIBILITY_DEFAULTS.get(field, Visibility.PUBLIC)) == (
                    Visibility.PUBLIC
                )

            linked = {
                name: vocabulary.ordered(links[name][pk]) if public(name) else []
                for name, _column, vocabulary in many
            }
            body = _joined(
                index_terms(description) if public("description") else "",
                kinds.terms[kind],
                _terms(communes[commune]) if commune else "",
                departements.terms[departement] if departement else "",
                _terms(locality),
                countries.terms[seat] if seat else "",
                *(themes.terms[k] for k in linked["themes"]),
                *(sdgs.terms[k] for k in linked["sdgs"]),
                *(actions.terms[k] for k in linked["action_kinds"]),
                *(countries.terms[k] for k in linked["countries"]),
                *(_terms(place) for (place,) in (places[pk] if public("places") else [])),
            )
            entries.append(
                (
                    pk,
                    index_terms(name, acronym if public("acronym") else ""),
                    body,
                    fold(name)[:255],
                    _datetime(updated_at),
                )
            )
            values = [("kind", kinds.value[kind])]
            if departement:
                values.append(("departement", departements.value[departement]))
            values += [("theme", themes.value[k]) for k in linked["themes"]]
            values += [("sdg", sdgs.value[k]) for k in linked["sdgs"]]
            values += [("country", countries.value[k]) for k in linked["countries"]]
            values += [("action", actions.value[k]) for k in linked["action_kinds"]]
            facets += [(pk, facet, value) for facet, value in values]
        with transaction.atomic():
            _insert_rows(OrganizationEntry, ENTRY_COLUMNS["organization_id"], entries)
            _insert_rows(OrganizationFacet, FACET_COLUMNS, facets)


ENTRY_COLUMNS = {
    key: [key, "name_text", "body_text", "sort_name", "updated_at"]
    for key in ("organization_id", "project_id")
}
FACET_COLUMNS = ["entry_id", "facet", "value"]


def _projects_rebuild(ids: list[int]) -> None:
    """Write the entries of the published projects `ids` (sorted) into an empty index."""
    countries = _Vocabulary(Country, "iso2", "name_fr", "name_en")
    themes = _Vocabulary(Theme, "slug", "name_fr", "name_en")
    sdgs = _Vocabulary(SDG, "number", "short_name_fr", "short_name_en")
    many = [("themes", "theme_id", themes), ("sdgs", "sdg_id", sdgs)]
    many.append(("countries", "country_id", countries))
    for chunk in _chunks(ids, BULK_CHUNK):
        records = published_projects().filter(**id_range("pk", chunk)).order_by("pk")
        rows = list(
            records.values_list(
                "pk", "title", "acronym", "summary", "description", "phase", "field_visibility",
                "updated_at",
            )
        )  # fmt: skip
        links = {
            name: grouped_by_owner(
                getattr(Project, name).through.objects.all(),
                "project_id",
                column,
                chunk,
                ordered=False,
            )
            for name, column, _vocabulary in many
        }
        in_range = id_range("project_id", chunk)
        places = _texts(ProjectPlace.objects.filter(**in_range), "project_id", "name")
        partners = _texts(
            ProjectPartner.objects.filter(**in_range),
            "project_id",
            "role",
            "organization__name",
            "organization__slug",
            "organization__kind__slug",
        )
        entries, facets = [], []
        for pk, title, acronym, summary, description, phase, visibility, updated_at in rows:

            def public(field, visibility=visibility):
                default = PROJECT_VISIBILITY_DEFAULTS.get(field, Visibility.PUBLIC)
                return visibility.get(field, default) == Visibility.PUBLIC

            linked = {name: vocabulary.ordered(links[name][pk]) for name, _c, vocabulary in many}
            shown = [
                partner
                for partner in partners[pk]
                if public("funders" if partner[0] == ProjectPartner.Role.FUNDER else "partners")
            ]
            body = _joined(
                index_terms(summary) if public("summary") else "",
                index_terms(description) if public("description") else "",
                *(themes.terms[k] for k in linked["themes"]),
                *(sdgs.terms[k] for k in linked["sdgs"]),
                *(countries.terms[k] for k in linked["countries"]),
                *(_terms(place) for (place,) in (places[pk] if public("places") else [])),
                *(_terms(partner[1]) for partner in shown),
            )
            entries.append(
                (
                    pk,
                    index_terms(title, acronym),
                    body,
                    fold(title)[:255],
                    _datetime(updated_at),
                )
            )
            values = [("phase", phase)]
            values += [("theme", themes.value[k]) for k in linked["themes"]]
            values += [("sdg", sdgs.value[k]) for k in linked["sdgs"]]
            values += [("country", countries.value[k]) for k in linked["countries"]]
            for role, _name, slug, kind in shown:
                if role == ProjectPartner.Role.LEAD and slug:
                    values.append(("lead", slug))
                elif role == ProjectPartner.Role.FUNDER:
                    values.append(("funder_type", kind))
            facets += [(pk, facet, value) for facet, value in dict.fromkeys(values)]
        with transaction.atomic():
            _insert_rows(ProjectEntry, ENTRY_COLUMNS["project_id"], entries)
            _insert_rows(ProjectFacet, FACET_COLUMNS, facets)


def organizations_refresh(ids: Iterable[int]) -> None:
    """Recompute the index entries of these organisations (dropping the unlisted ones)."""
    for chunk in _chunks(ids):
        with transaction.atomic():
            OrganizationFacet.objects.filter(entry_id__in=chunk).delete()
            OrganizationEntry.objects.filter(pk__in=chunk)._raw_delete(OrganizationEntry.objects.db)
            log_changes("organizations", chunk)
            organizations = (
                listed_organizations()
                .filter(pk__in=chunk)
                .select_related("kind", "commune", "departement", "seat_country")
                .prefetch_related("themes", "sdgs", "action_kinds", "countries", "places")
            )
            built = [_organization_entry(org) for org in organizations]
            OrganizationEntry.objects.bulk_create([e for e, _f in built], batch_size=BATCH)
            OrganizationFacet.objects.bulk_create(
                [f for _e, facets in built for f in facets], batch_size=BATCH
            )


def projects_refresh(ids: Iterable[int]) -> None:
    """Recompute the index entries of these projects (dropping the unpublished ones)."""
    for chunk in _chunks(ids):
        with transaction.atomic():
            ProjectFacet.objects.filter(entry_id__in=chunk).delete()
            ProjectEntry.objects.filter(pk__in=chunk)._raw_delete(ProjectEntry.objects.db)
            log_changes("projects", chunk)
            projects = (
                published_projects()
                .filter(pk__in=chunk)
                .prefetch_related(
                    "themes", "sdgs", "countries", "places", "partners__organization__kind"
                )
            )
            built = [_project_entry(project) for project in projects]
            ProjectEntry.objects.bulk_create([e for e, _f in built], batch_size=BATCH)
            ProjectFacet.objects.bulk_create(
                [f for _e, facets in built for f in facets], batch_size=BATCH
            )


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
        _organizations_rebuild(
            list(listed_organizations().order_by("pk").values_list("pk", flat=True))
        )
        _projects_rebuild(list(published_projects().order_by("pk").values_list("pk", flat=True)))
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
