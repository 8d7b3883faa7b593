"""What the calls hold about a person (the contact of an application), for the GDPR export and
erasure of the register. An application is found through the contact's e-mail addresses."""

from django.db.models import Q

from observatoire.organizations.models import PersonEmail
from observatoire.organizations.privacy import PersonalDataSection

from .models import Application


def _addresses(person) -> set[str]:
    # The register deletes the e-mails before erasing the sections: their history keeps them.
    addresses = set(person.emails.values_list("address", flat=True))
    addresses |= set(
        PersonEmail.history.filter(person_id=person.pk).values_list("address", flat=True)
    )
    return {address.strip().lower() for address in addresses if address}


def _applications(person):
    query = Q(pk__in=[])
    for address in _addresses(person):
        query |= Q(contact_email__iexact=address)
    return Application.objects.filter(query).select_related("call")


def _export(person) -> list[dict]:
    return [
        {
            "call": application.call.title,
            "project": application.project_title,
            "contact_name": application.contact_name,
            "contact_email": application.contact_email,
            "status": application.get_status_display(),
            "submitted_at": application.submitted_at,
        }
        for application in _applications(person).order_by("created_at")
    ]


def _erase(person) -> None:
    # The application stays (the call's figures and the organisation's file need it); the
    # contact's name and address do not.
    for application in _applications(person):
        application.contact_name = "Personne anonymisée"
        application.contact_email = f"anonymise-{application.pk}@invalid.example"
        application.save(update_fields=["contact_name", "contact_email", "updated_at"])


SECTION = PersonalDataSection(name="calls", export=_export, erase=_erase)
