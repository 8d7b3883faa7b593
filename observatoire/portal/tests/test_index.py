import pytest
from django.core.management import call_command
from django.http import QueryDict

from observatoire.core.testing import make_organization
from observatoire.imports.tests.helpers import ORGANIZATION_ROWS, csv_bytes
from observatoire.organizations.models import Organization
from observatoire.portal import index
from observatoire.portal.search import filtered_organizations

pytestmark = pytest.mark.django_db


def test_an_import_refreshes_the_index_of_the_listed_records_it_updated(tmp_path):
    listed = make_organization(
        "Solidarité Gironde Sénégal", siret="73282932000074", status=Organization.Status.QUALIFIED
    )
    rows = [
        ORGANIZATION_ROWS[0],
        ["Solidarité Gironde Sénégal", "SGS", "73282932000074", "33000", "Bordeaux", "", ""],
        ORGANIZATION_ROWS[2],
    ]
    path = tmp_path / "structures.csv"
    path.write_bytes(csv_bytes(rows))
    call_command("import_organizations", str(path))
    # The acronym the import brought is searchable at once (the rows went in past the signals).
    assert list(filtered_organizations(QueryDict("q=sgs"))) == [listed]
    # The created row waits for qualification: not in the directory.
    assert not filtered_organizations(QueryDict("q=antsirabe")).exists()


def test_bulk_qualified_rows_get_an_address_and_enter_the_directory(tmp_path):
    path = tmp_path / "structures.csv"
    path.write_bytes(csv_bytes(ORGANIZATION_ROWS))
    call_command("import_organizations", str(path))
    # Imported rows wait for qualification; a bulk update (no signal) then lists them.
    Organization.objects.update(status=Organization.Status.QUALIFIED)
    index.index_after_bulk_write(Organization.objects.values_list("pk", flat=True))
    slugs = sorted(Organization.objects.values_list("slug", flat=True))
    assert slugs == ["les-amis-dantsirabe", "solidarite-gironde-senegal"]
    found = filtered_organizations(QueryDict("q=antsirabe"))
    assert list(found.values_list("name", flat=True)) == ["Les Amis d'Antsirabe"]


def test_rebuild_command(network, capsys):
    call_command("rebuild_public_index")
    assert "3 organisations and 2 projects" in capsys.readouterr().out


def test_deleting_a_published_project_or_a_listed_organisation_leaves_the_index(network):
    from observatoire.portal.models import OrganizationEntry, ProjectEntry

    network["forages"].delete()
    assert not ProjectEntry.objects.filter(pk=network["forages"].pk).exists()
    assert filtered_organizations(QueryDict("")).count() == 3
    network["cantines"].delete()
    network["ecole"].delete()
    assert not OrganizationEntry.objects.filter(pk=network["ecole"].pk).exists()
