"""Builders of lists and subscribers for the tests of the mailing lists."""

import datetime

from django.utils import timezone

from observatoire.core.testing import make_organization, make_person
from observatoire.organizations.models import Affiliation, Consent
from observatoire.organizations.services import consent_record

from ..models import MailingList, Subscription

WORDING = "J'accepte de recevoir la lettre du réseau."


def make_list(name="Lettre mensuelle", *, purpose="newsletter", kind="static", **fields):
    from django.utils.text import slugify

    fields.setdefault("slug", slugify(name))
    return MailingList.objects.create(name=name, purpose=purpose, kind=kind, **fields)


def subscribe(mailing_list, address, *, status="confirmed", person=None, **fields):
    return Subscription.objects.create(
        mailing_list=mailing_list,
        address=address,
        status=status,
        person=person,
        source=Subscription.Source.STAFF,
        consent_wording=WORDING,
        consented_at=timezone.now(),
        confirmed_at=timezone.now() if status == "confirmed" else None,
        **fields,
    )


def consent(person, purpose="newsletter", *, granted=True, days_ago=0):
    return consent_record(
        person=person,
        purpose=purpose,
        granted=granted,
        source=Consent.ConsentSource.FORM,
        wording=WORDING,
        given_at=timezone.now() - datetime.timedelta(days=days_ago),
    )


def contact(organization, first_name, last_name, email, *, main=False, purposes=("newsletter",)):
    """A person of the register affiliated to `organization`, with granted consents."""
    person = make_person(first_name, last_name, email=email)
    Affiliation.objects.create(person=person, organization=organization, is_main_contact=main)
    for purpose in purposes:
        consent(person, purpose)
    return person


def water_authority(name="Commune de Bègles", departement_code="33"):
    from observatoire.referentials.models import Departement, Theme

    organization = make_organization(name, kind_slug="commune")
    # The register derives the département from the address: set it as if it had one.
    organization.departement = Departement.objects.get(code=departement_code)
    type(organization).objects.filter(pk=organization.pk).update(
        departement=organization.departement
    )
    organization.themes.add(Theme.objects.get(slug="water-sanitation"))
    return organization
