"""The demo network loads a believable register, once, through the register's services."""

import datetime
from io import StringIO

from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.db.models import Count
from django.urls import reverse
from django.utils import timezone

from observatoire.accounts.models import Role
from observatoire.core.text import fold
from observatoire.core.validators import validate_rna, validate_siren, validate_siret
from observatoire.organizations import selectors
from observatoire.organizations.demo import (
    DEMO_PASSWORD,
    DEMO_USERS,
    EDITED_ORGANIZATION,
    NEAR_DUPLICATES,
    OFFICER_AUTHORITY,
    demo_logins,
)
from observatoire.organizations.models import (
    Affiliation,
    BoardSeat,
    Consent,
    Interaction,
    Membership,
    Organization,
    OrganizationRelation,
    Person,
    PersonEmail,
    SavedSearch,
)
from observatoire.organizations.testing import DemoNetworkTestCase
from observatoire.referentials.models import OrganizationKind

NOUVELLE_AQUITAINE = {"16", "17", "19", "23", "24", "33", "40", "47", "64", "79", "86", "87"}


def _on_example_domain(address: str) -> bool:
    domain = address.rsplit("@", 1)[1]
    return any(domain == d or domain.endswith(f".{d}") for d in ("example.org", "example.com"))


class DemoNetworkTests(DemoNetworkTestCase):
    """One load for the whole class: the demo takes seconds to build."""

    @classmethod
    def setUpTestData(cls):
        cls.summary = cls.demo.summary
        cls.year = timezone.localdate().year

    def test_about_150_organisations_across_the_twelve_departements(self):
        assert 140 <= Organization.objects.count() <= 170
        codes = set(
            Organization.objects.exclude(departement=None).values_list(
                "departement__code", flat=True
            )
        )
        assert codes == NOUVELLE_AQUITAINE
        by_code = dict(
            Organization.objects.values_list("departement__code").annotate(n=Count("pk"))
        )
        assert by_code["33"] > by_code["86"] > by_code["16"] > by_code["23"]

    def test_every_kind_and_family_is_represented(self):
        used = set(Organization.objects.values_list("kind__slug", flat=True))
        assert used == set(OrganizationKind.objects.values_list("slug", flat=True))
        # The partner authorities abroad the other apps' demos add are not the region's actors.
        in_france = Organization.objects.filter(seat_country__isnull=True)
        families = dict(in_france.values_list("kind__family").annotate(n=Count("pk")))
        assert 90 <= families["association"] <= 110
        assert 25 <= families["local_authority"] <= 40

    def test_statuses_are_mostly_qualified_with_some_pending_drafts_and_two_archived(self):
        statuses = dict(Organization.objects.values_list("status").annotate(n=Count("pk")))
        assert statuses["archived"] == 2
        assert statuses["pending"] >= 5 and statuses["draft"] >= 3
        assert statuses["qualified"] > 0.75 * sum(statuses.values())

    def test_derived_fields_come_from_the_services(self):
        for organization in Organization.objects.select_related("commune__departement"):
            assert fold(organization.name) in organization.search_text
            assert organization.history.exists()
            assert organization.latitude is not None
            if organization.commune_id:
                assert organization.departement_id == organization.commune.departement_id
                assert organization.postal_code in organization.commune.postal_code_list
        qualified = Organization.objects.qualified().first()
        assert qualified.themes.exists() and qualified.sdgs.exists()
        assert qualified.action_kinds.exists() and qualified.countries.exists()
        # A contact's name is found through the organisation's search text.
        affiliation = Affiliation.objects.filter(is_main_contact=True).select_related("person")[0]
        found = selectors.organization_search(
            Organization.objects.all(), affiliation.person.last_name
        )
        assert affiliation.organization in found

    def test_identifiers_are_valid(self):
        organizations = list(Organization.objects.all())
        assert sum(bool(o.siren) for o in organizations) > 40
        assert sum(bool(o.rna) for o in organizations) > 60
        for organization in organizations:
            if organization.siren:
                validate_siren(organization.siren)
            if organization.siret:
                validate_siret(organization.siret)
                assert organization.siret.startswith(organization.siren)
            if organization.rna:
                validate_rna(organization.rna)

    def test_memberships_over_three_years_with_some_not_up_to_date(self):
        years = dict(Membership.objects.values_list("year").annotate(n=Count("pk")))
        assert set(years) == {self.year - 2, self.year - 1, self.year}
        assert all(100 <= count <= 140 for count in years.values())
        last_year = self.year - 1
        memberships = Membership.objects.filter(year=last_year)
        late = memberships.filter(paid_on__gt=datetime.date(last_year, 12, 31))
        assert late.exists() and memberships.filter(paid_on=None).exists()
        assert memberships.up_to_date(last_year).count() < memberships.count()
        assert (
            not Organization.objects.members_up_to_date(last_year)
            .filter(memberships__in=late)
            .exists()
        )
        for membership in Membership.objects.select_related("organization__kind"):
            assert membership.college_id == membership.organization.kind.default_college_id

    def test_board_relations_and_saved_searches(self):
        assert 12 <= BoardSeat.objects.filter(end_date=None).count() <= 18
        assert OrganizationRelation.objects.count() >= 20
        assert set(OrganizationRelation.objects.values_list("kind", flat=True)) == set(
            OrganizationRelation.Kind.values
        )
        for saved_search in SavedSearch.objects.all():
            assert selectors.saved_search_queryset(saved_search).exists(), saved_search.name

    def test_one_main_contact_per_organisation(self):
        per_organization = (
            Affiliation.objects.filter(is_main_contact=True)
            .values("organization")
            .annotate(n=Count("pk"))
        )
        assert all(row["n"] == 1 for row in per_organization)
        assert per_organization.count() >= 140

    def test_about_400_synthetic_people_with_consents(self):
        assert 350 <= Person.objects.count() <= 450
        addresses = list(PersonEmail.objects.values_list("address", flat=True))
        assert addresses and all(_on_example_domain(address) for address in addresses)
        assert Person.objects.filter(erased_at__isnull=False).count() == 1
        assert Consent.objects.filter(granted=False).exists()
        granted = Consent.objects.filter(purpose="newsletter", granted=True)
        subscribers = selectors.people_consenting(purpose="newsletter")
        assert 0 < subscribers.count() < granted.values("person").distinct().count()

    def test_interactions_over_the_last_eighteen_months(self):
        interactions = Interaction.objects.all()
        assert 250 <= interactions.count() <= 350
        oldest = interactions.order_by("occurred_at").first().occurred_at
        assert oldest >= timezone.now() - datetime.timedelta(days=560)
        assert not interactions.filter(organizations=None).exists()
        roles = set(interactions.values_list("staff_member__role", flat=True))
        assert roles <= {Role.STAFF, Role.ADMINISTRATOR}

    def test_near_duplicates_are_there_for_the_deduplication(self):
        assert 6 <= len(NEAR_DUPLICATES) <= 8
        for original_name, duplicate_name, shares in NEAR_DUPLICATES:
            original = Organization.objects.get(name=original_name)
            duplicate = Organization.objects.get(name=duplicate_name)
            for field in shares.split():
                assert getattr(original, field), (original_name, field)
                assert getattr(original, field) == getattr(duplicate, field)

    def test_one_demo_account_per_role_with_the_printed_password(self):
        User = get_user_model()
        users = User.objects.filter(email__in=[u.email for u in DEMO_USERS])
        assert set(users.values_list("role", flat=True)) == set(Role.values)
        for user in users:
            response = self.client.post(
                reverse("accounts:login"), {"username": user.email, "password": DEMO_PASSWORD}
            )
            assert response.status_code == 302, user.email
            self.client.logout()
        editors = users.filter(role=Role.ORGANIZATION_EDITOR).order_by("pk")
        assert [editor.organization.name for editor in editors] == [
            EDITED_ORGANIZATION,
            OFFICER_AUTHORITY,
        ]
        assert [email for _label, email, _password in demo_logins()] == [
            u.email for u in DEMO_USERS
        ]
        out = StringIO()
        call_command("demo_logins", stdout=out)
        assert out.getvalue().count(DEMO_PASSWORD) == len(DEMO_USERS)

    def test_the_back_office_opens_the_demo_records(self):
        staff = get_user_model().objects.get(email=DEMO_USERS[1].email)
        self.client.force_login(staff)
        organization = Organization.objects.get(name=EDITED_ORGANIZATION)
        contact = organization.affiliations.get(is_main_contact=True).person
        for url in [
            reverse("admin:organizations_organization_changelist"),
            reverse("admin:organizations_organization_change", args=[organization.pk]),
            reverse("admin:organizations_person_change", args=[contact.pk]),
            reverse("admin:organizations_interaction_changelist"),
        ]:
            assert self.client.get(url).status_code == 200, url

    def test_loading_again_changes_nothing(self):
        counts = {
            model: model.objects.count()
            for model in (Organization, Person, Membership, Interaction, Consent, SavedSearch)
        }
        out = StringIO()
        call_command("load_demo_network", stdout=out)
        assert "already" in out.getvalue()
        assert counts == {model: model.objects.count() for model in counts}


def test_demo_logins_says_so_when_there_is_no_demo(db):
    out = StringIO()
    call_command("demo_logins", stdout=out)
    assert DEMO_PASSWORD not in out.getvalue()
