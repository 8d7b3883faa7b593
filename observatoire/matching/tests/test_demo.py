import pytest

from observatoire.accounts.models import Role
from observatoire.core.testing import make_organization, make_user
from observatoire.matching import demo, selectors
from observatoire.matching.models import DigestSubscription
from observatoire.organizations.models import Organization

from .factories import make_item, make_profiled_organization

pytestmark = pytest.mark.django_db


def test_the_demo_opts_in_the_edited_organisations_and_the_best_served_association():
    eau_vive = make_profiled_organization(
        "Association Eau Vive Charente", themes=["water-sanitation"], countries=["SN"]
    )
    city = make_organization("Ville de Châtellerault", kind_slug="commune")
    make_user(Role.ORGANIZATION_EDITOR, organization=eau_vive, email="editeur@demo.test")
    make_user(Role.ORGANIZATION_EDITOR, organization=city, email="international@demo.test")
    served = make_profiled_organization(
        "Solidarité Sénégal", themes=["water-sanitation"], countries=["SN"]
    )
    served.status = Organization.Status.QUALIFIED
    served.public_email = "contact@solidarite-senegal.fr"
    served.save()
    make_item("Eau au Sénégal", themes=["water-sanitation"], countries=["SN"], days_left=400)

    demo.load_demo(seed=7)
    demo.load_demo(seed=7)  # a second run adds nothing

    subscriptions = DigestSubscription.objects.order_by("organization__name")
    assert [(s.organization.name, s.address) for s in subscriptions] == [
        ("Association Eau Vive Charente", "editeur@demo.test"),
        ("Solidarité Sénégal", "contact@solidarite-senegal.fr"),
        ("Ville de Châtellerault", "international@demo.test"),
    ]
    assert all("une fois par semaine" in s.wording for s in subscriptions)
    assert selectors.opportunities_for(organization=eau_vive)


def test_without_watch_items_the_demo_adds_a_few_calls_so_the_pages_show_matches():
    eau_vive = make_organization("Association Eau Vive Charente")
    make_user(Role.ORGANIZATION_EDITOR, organization=eau_vive, email="editeur@demo.test")

    demo.load_demo(seed=7)

    assert len(selectors.opportunities_for(organization=eau_vive)) >= 3
