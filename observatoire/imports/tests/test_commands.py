import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from observatoire.core.testing import make_organization
from observatoire.imports.models import RnaCandidate, SavedMapping
from observatoire.imports.rna import candidates_create, candidates_link
from observatoire.organizations.models import Membership, Organization, Person

from .helpers import ORGANIZATION_ROWS, csv_bytes


@pytest.fixture
def organizations_file(tmp_path):
    path = tmp_path / "structures.csv"
    path.write_bytes(csv_bytes(ORGANIZATION_ROWS))
    return path


@pytest.mark.django_db
def test_import_organizations_command(organizations_file, capsys):
    call_command("import_organizations", str(organizations_file))
    out, err = capsys.readouterr()
    assert "2 créées" in out
    assert "[##############################]" in err
    assert Organization.objects.count() == 2


@pytest.mark.django_db
def test_dry_run_writes_nothing(organizations_file, capsys):
    call_command("import_organizations", str(organizations_file), "--dry-run")
    assert "Essai à blanc" in capsys.readouterr().out
    assert not Organization.objects.exists()


@pytest.mark.django_db
def test_errors_exit_non_zero_and_change_nothing(tmp_path, capsys):
    path = tmp_path / "structures.csv"
    path.write_bytes(csv_bytes([["Nom", "SIRET"], ["Bonne", ""], ["Mauvaise", "123"]]))
    with pytest.raises(CommandError, match="rien n’a été importé"):
        call_command("import_organizations", str(path))
    assert not Organization.objects.exists()


@pytest.mark.django_db
def test_skip_invalid_imports_the_rest_and_exits_non_zero(tmp_path, capsys):
    path = tmp_path / "structures.csv"
    path.write_bytes(csv_bytes([["Nom", "SIRET"], ["Bonne", ""], ["Mauvaise", "123"]]))
    with pytest.raises(SystemExit) as exit_info:
        call_command("import_organizations", str(path), "--skip-invalid")
    assert exit_info.value.code == 1
    assert "ligne 3" in capsys.readouterr().err
    assert Organization.objects.count() == 1


@pytest.mark.django_db
def test_missing_columns_and_bad_files(tmp_path):
    path = tmp_path / "a.csv"
    path.write_bytes(csv_bytes([["Ville"], ["Niort"]]))
    with pytest.raises(CommandError, match="Colonnes obligatoires introuvables : Nom"):
        call_command("import_organizations", str(path))
    path.write_bytes(b"\x00\x01\x02binary")
    with pytest.raises(CommandError, match="ni un CSV ni un XLSX"):
        call_command("import_organizations", str(path))
    with pytest.raises(CommandError, match="Impossible de lire"):
        call_command("import_organizations", str(tmp_path / "absent.csv"))
    path.write_bytes(csv_bytes(ORGANIZATION_ROWS))
    with pytest.raises(CommandError, match="Aucune correspondance"):
        call_command("import_organizations", str(path), "--mapping", "inconnue")


@pytest.mark.django_db
def test_people_and_memberships_commands_with_a_saved_mapping(tmp_path, capsys):
    make_organization("Eau Vive", siret="73282932000074")
    people = tmp_path / "contacts.csv"
    people.write_bytes(
        csv_bytes([["P", "N", "M", "S"], ["Awa", "Traoré", "awa@ev.org", "73282932000074"]])
    )
    SavedMapping.objects.create(
        name="contacts",
        kind="people",
        columns={"P": "first_name", "N": "last_name", "M": "email", "S": "organization_siret"},
    )
    call_command("import_people", str(people), "--mapping", "contacts")
    assert Person.objects.get().affiliations.get().organization.name == "Eau Vive"
    memberships = tmp_path / "adhesions.csv"
    memberships.write_bytes(csv_bytes([["Structure", "Année"], ["Eau Vive", "2026"]]))
    call_command("import_memberships", str(memberships))
    assert Membership.objects.get().year == 2026


WALDEC_HEADER = (
    "id;id_ex;siret;rup_mi;gestion;date_creat;date_decla;date_publi;date_disso;nature;groupement;"
    "titre;titre_court;objet;objet_social1;objet_social2;adrs_complement;adrs_numvoie;"
    "adrs_repetition;adrs_typevoie;adrs_libvoie;adrs_distrib;adrs_codeinsee;adrs_codepostal;"
    "adrs_libcommune;siteweb;position;maj_time"
)


def _waldec_line(rna, title, code1, code2="000000", position="A", siret="", disso=""):
    cells = {
        "id": rna, "siret": siret, "titre": title, "objet": "Solidarité avec le Burkina Faso",
        "objet_social1": code1, "objet_social2": code2, "adrs_codepostal": "79000",
        "adrs_libcommune": "NIORT", "adrs_numvoie": "3", "adrs_typevoie": "RUE",
        "adrs_libvoie": "des Lilas", "position": position, "date_creat": "2004-05-06",
        "date_disso": disso,
    }  # fmt: skip
    return ";".join(cells.get(c, "") for c in WALDEC_HEADER.split(";"))


@pytest.mark.django_db
def test_import_rna_keeps_international_associations_as_candidates(tmp_path, capsys, staff):
    known = make_organization("Amitié Niort Ouahigouya", rna="W791000003")
    lines = [
        WALDEC_HEADER,
        _waldec_line("W791000001", "SOLIDARITE NIORT BURKINA", "020020"),
        _waldec_line("W791000002", "CLUB DE PETANQUE", "011000"),
        _waldec_line("W791000003", "AMITIE NIORT OUAHIGOUYA", "011000", "009050"),
        _waldec_line("W791000004", "ANCIENNE ASSO", "020000", position="D"),
        _waldec_line("W791000005", "ASSO DES MALIENS", "014040", disso="2020-01-01"),
    ]
    path = tmp_path / "rna_waldec_79.csv"
    path.write_bytes(("\n".join(lines) + "\n").encode("cp1252"))
    call_command("import_rna", str(path))
    assert "5 associations lues, 2 candidates" in capsys.readouterr().out
    assert set(RnaCandidate.objects.values_list("rna", flat=True)) == {"W791000001", "W791000003"}
    linked = RnaCandidate.objects.get(rna="W791000003")
    assert linked.matched_organization == known
    # Nothing is published: no organisation was created by the import itself.
    assert Organization.objects.count() == 1

    created = candidates_create(candidates=RnaCandidate.objects.filter(rna="W791000001"))
    assert created == 1
    organization = Organization.objects.get(rna="W791000001")
    assert organization.status == Organization.Status.PENDING
    assert organization.commune.name == "Niort"
    assert candidates_link(candidates=RnaCandidate.objects.all()) == (1, 0)
    assert RnaCandidate.objects.get(rna="W791000003").state == RnaCandidate.State.LINKED

    # A second run refreshes without duplicating nor reopening what staff decided.
    call_command("import_rna", str(path))
    assert RnaCandidate.objects.count() == 2
    assert RnaCandidate.objects.get(rna="W791000001").state == RnaCandidate.State.CREATED


@pytest.mark.django_db
def test_import_rna_refuses_other_files(tmp_path):
    path = tmp_path / "a.csv"
    path.write_bytes(csv_bytes(ORGANIZATION_ROWS))
    with pytest.raises(CommandError, match="pas un fichier RNA"):
        call_command("import_rna", str(path))


@pytest.mark.django_db
def test_rna_candidates_qualified_from_the_back_office(client, staff):
    from django.urls import reverse

    candidate = RnaCandidate.objects.create(rna="W791000001", name="SOLIDARITE NIORT BURKINA")
    client.force_login(staff)
    url = reverse("admin:imports_rnacandidate_changelist")
    response = client.post(
        url, {"action": "create_organizations", "_selected_action": [candidate.pk]}
    )
    assert response.status_code == 302
    candidate.refresh_from_db()
    assert candidate.state == RnaCandidate.State.CREATED
    assert candidate.matched_organization.status == Organization.Status.PENDING


@pytest.mark.django_db
def test_observatory_may_not_qualify_rna_candidates(client, observatory):
    from django.urls import reverse

    client.force_login(observatory)
    response = client.get(reverse("admin:imports_rnacandidate_changelist"))
    assert response.status_code == 403
