from pathlib import Path

import pytest
from django.core.management import call_command

from observatoire.imports.demo import load_demo_imports
from observatoire.imports.models import SavedMapping
from observatoire.organizations.models import Organization, Person

SAMPLES = Path(__file__).resolve().parents[3] / "docs" / "samples"


@pytest.mark.django_db
def test_demo_samples_import_with_their_saved_mappings(capsys):
    assert load_demo_imports() == 2
    assert load_demo_imports() == 2  # idempotent
    assert SavedMapping.objects.count() == 2
    mapping = SavedMapping.objects.get(kind="organizations").name
    with pytest.raises(SystemExit):
        call_command(
            "import_organizations",
            str(SAMPLES / "structures-exemple.csv"),
            "--mapping",
            mapping,
            "--skip-invalid",
        )
    out = capsys.readouterr()
    assert "5 créées" in out.out and "2 en erreur" in out.out
    assert Organization.objects.count() == 5
    mapping = SavedMapping.objects.get(kind="people").name
    with pytest.raises(SystemExit):
        call_command(
            "import_people",
            str(SAMPLES / "contacts-exemple.csv"),
            "--mapping",
            mapping,
            "--skip-invalid",
        )
    assert Person.objects.count() == 2
