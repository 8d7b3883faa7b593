"""The back office of the reference data."""

import pytest
from django.urls import reverse

from observatoire.referentials.models import Commune, Theme

pytestmark = pytest.mark.django_db

MODELS = [
    "region",
    "departement",
    "commune",
    "country",
    "sdg",
    "sdgtarget",
    "theme",
    "actionkind",
    "need",
    "college",
    "organizationkind",
]


@pytest.mark.parametrize("model", MODELS)
def test_changelists(admin_client, model, django_assert_max_num_queries):
    with django_assert_max_num_queries(12):
        response = admin_client.get(reverse(f"admin:referentials_{model}_changelist"))
    assert response.status_code == 200


def test_reference_data_cannot_be_added_or_deleted(admin_client):
    bordeaux = Commune.objects.get(insee_code="33063")
    assert admin_client.get(reverse("admin:referentials_commune_add")).status_code == 403
    url = reverse("admin:referentials_commune_delete", args=[bordeaux.pk])
    assert admin_client.get(url).status_code == 403
    url = reverse("admin:referentials_commune_change", args=[bordeaux.pk])
    assert admin_client.get(url).status_code == 200


def test_commune_search(admin_client):
    url = reverse("admin:referentials_commune_changelist")
    response = admin_client.get(url, {"q": "st etienne"})
    names = {commune.name for commune in response.context["cl"].result_list}
    assert "Saint-Étienne" in names
    response = admin_client.get(url, {"q": "86194"})
    assert [c.name for c in response.context["cl"].result_list] == ["Poitiers"]
    response = admin_client.get(url, {"q": "86000"})
    assert [c.name for c in response.context["cl"].result_list] == ["Poitiers"]


def test_commune_autocomplete_for_other_admins(admin_client):
    response = admin_client.get(
        reverse("admin:autocomplete"),
        {
            "app_label": "organizations",
            "model_name": "organization",
            "field_name": "commune",
            "term": "poitie",
        },
    )
    assert response.status_code == 200
    assert response.json()["results"][0]["text"] == "Poitiers (86000)"


def test_vocabularies_are_edited_in_the_list(admin_client):
    theme = Theme.objects.get(slug="health")
    url = reverse("admin:referentials_theme_changelist")
    themes = list(Theme.objects.all())
    data = {
        "form-TOTAL_FORMS": str(len(themes)),
        "form-INITIAL_FORMS": str(len(themes)),
        "_save": "Save",
    }
    for index, entry in enumerate(themes):
        data[f"form-{index}-id"] = str(entry.pk)
        data[f"form-{index}-position"] = str(entry.position)
        if entry.is_active and entry.pk != theme.pk:
            data[f"form-{index}-is_active"] = "on"
    response = admin_client.post(url, data)
    assert response.status_code == 302
    theme.refresh_from_db()
    assert not theme.is_active
    assert Theme.objects.active().count() == 17
