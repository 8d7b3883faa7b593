"""Listed organisations and published projects for the tests of the public pages."""

import datetime

from django.utils import timezone

from observatoire.core.testing import make_organization, make_person
from observatoire.organizations.models import Affiliation, Consent, Membership, Organization
from observatoire.referentials.models import College


def make_listed_organization(name="Association Eau Vive Charente", **fields) -> Organization:
    """A qualified organisation, so with its page at /annuaire/<slug>/."""
    return make_organization(name, status=Organization.Status.QUALIFIED, **fields)


def make_member(organization: Organization) -> Membership:
    year = timezone.localdate().year
    return Membership.objects.create(
        organization=organization,
        year=year,
        college=College.objects.first(),
        paid_on=datetime.date(year, 1, 15),
    )


def add_contact(
    organization, first_name, last_name, *, role="", consent=None, main=False, email=None
):
    """A person working at `organization`; consent=True/False records a directory consent."""
    person = make_person(first_name, last_name, email=email)
    Affiliation.objects.create(
        person=person, organization=organization, role=role, is_main_contact=main
    )
    if consent is not None:
        Consent.objects.create(
            person=person,
            purpose=Consent.Purpose.DIRECTORY,
            granted=consent,
            given_at=timezone.now(),
            source=Consent.ConsentSource.FORM,
            wording="J'accepte de figurer dans l'annuaire.",
        )
    return person
