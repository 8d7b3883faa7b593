import pytest
from django.urls import reverse

from observatoire.core.testing import make_organization, make_user
from observatoire.organizations import record_panels


@pytest.fixture
def panel_provider():
    def provider(organization, request):
        if organization.name.startswith("Sans"):
            return None
        return record_panels.RecordPanel(
            title="Panneau d’essai",
            template="admin/organizations/test_panel.html",
            context={"organization_name": organization.name},
        )

    record_panels.register_organization_panel(provider)
    yield provider
    record_panels._organization_providers.remove(provider)


@pytest.mark.django_db
def test_an_app_panel_shows_on_the_organisation_record(client, panel_provider, tmp_path, settings):
    (tmp_path / "admin" / "organizations").mkdir(parents=True)
    (tmp_path / "admin" / "organizations" / "test_panel.html").write_text(
        "<p>Panneau de {{ panel.context.organization_name }}</p>"
    )
    # Assigned, not changed in place: the template engines are rebuilt only on assignment.
    engine = settings.TEMPLATES[0]
    settings.TEMPLATES = [{**engine, "DIRS": [tmp_path, *engine["DIRS"]]}]
    client.force_login(make_user("staff"))
    shown = make_organization(name="Tiers-Monde Bordeaux")
    hidden = make_organization(name="Sans panneau")

    page = client.get(reverse("admin:organizations_organization_change", args=[shown.pk]))
    assert "Panneau d’essai" in page.text
    assert "Panneau de Tiers-Monde Bordeaux" in page.text

    page = client.get(reverse("admin:organizations_organization_change", args=[hidden.pk]))
    assert "Panneau d’essai" not in page.text
