"""Requests built through the services, as the form would build them."""

import datetime

from django.utils import timezone

from observatoire.organizations.models import Consent
from observatoire.referencing import services
from observatoire.referencing.forms import CONSENT_WORDING
from observatoire.referencing.models import ReferencingRequest
from observatoire.referentials.models import SDG, Commune, Country, OrganizationKind, Theme


def make_request(
    name: str = "Association Kalo Diarra",
    *,
    confirmed: bool = True,
    email: str = "mariam.diallo@example.org",
    days_ago: int = 0,
    target_organization=None,
    **fields,
) -> ReferencingRequest:
    data = {
        "name": name,
        "kind": OrganizationKind.objects.get(slug="association"),
        "rna": "W332001234",
        "phone": "05 56 00 00 00",
        "website": "https://kalo-diarra.example.org",
        "address_line1": "12 rue de la République",
        "commune": Commune.objects.get(insee_code="33063"),
        "postal_code": "33000",
        "themes": [Theme.objects.get(slug="water-sanitation")],
        "sdgs": [SDG.objects.get(number=6)],
        "countries": [Country.objects.get(iso2="ML")],
        **fields,
    }
    contacts = [
        {
            "first_name": "Mariam",
            "last_name": "Diallo",
            "job_title": "Présidente",
            "email": email,
            "phone": "06 12 34 56 78",
            "consents": [
                {"purpose": str(p), "granted": p != Consent.Purpose.MAILINGS, "wording": str(w)}
                for p, w in CONSENT_WORDING.items()
            ],
        }
    ]
    referencing_request = services.referencing_request_submit(
        data=data,
        contacts=contacts,
        requester_email=email,
        target_organization=target_organization,
    )
    if confirmed:
        services.referencing_request_confirm(referencing_request=referencing_request)
    if days_ago:
        ReferencingRequest.objects.filter(pk=referencing_request.pk).update(
            created_at=timezone.now() - datetime.timedelta(days=days_ago)
        )
    referencing_request.refresh_from_db()
    return referencing_request
