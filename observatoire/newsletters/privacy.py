"""What the mailing lists hold about a person, for the GDPR export and erasure of the register."""

from observatoire.organizations.models import PersonEmail
from observatoire.organizations.privacy import PersonalDataSection

from .models import Bounce, Subscription, Suppression
from .services import suppress


def _subscriptions(person):
    return Subscription.objects.filter(person=person).select_related("mailing_list")


def _export(person) -> list[dict]:
    return [
        {
            "list": s.mailing_list.name,
            "address": s.address,
            "status": s.get_status_display(),
            "source": s.get_source_display(),
            "wording": s.consent_wording,
            "consented_at": s.consented_at,
            "confirmed_at": s.confirmed_at,
            "unsubscribed_at": s.unsubscribed_at,
            "tracking_allowed": s.tracking_allowed,
        }
        for s in _subscriptions(person).order_by("consented_at")
    ]


def _erase(person) -> None:
    # The register deletes the e-mails before calling the sections: their history still holds
    # every address the person had. Each goes on the suppression list as a hash only.
    addresses = set(
        PersonEmail.history.filter(person_id=person.pk).values_list("address", flat=True)
    )
    addresses |= set(_subscriptions(person).values_list("address", flat=True))
    addresses = {a.strip().lower() for a in addresses if a}
    Subscription.objects.filter(person=person).delete()
    Subscription.objects.filter(address__in=addresses).delete()
    Bounce.objects.filter(address__in=addresses).delete()
    for address in addresses:
        # Earlier plain entries would keep the address in clear.
        Suppression.objects.filter(address=address).delete()
        suppress(address=address, reason=Suppression.Reason.ERASED, source="erasure")


SECTION = PersonalDataSection(name="mailing_lists", export=_export, erase=_erase)
