"""What the digest subscriptions hold about a person, for the register's GDPR export and erasure."""

from django.utils import timezone

from observatoire.organizations.privacy import PersonalDataSection

from .models import DigestSubscription


def _export(person) -> list[dict]:
    return [
        {
            "organization": s.organization.name,
            "address": s.address,
            "subscribed_at": s.opted_in_at,
            "source": s.get_source_display(),
            "wording": s.wording,
            "unsubscribed_at": s.unsubscribed_at,
        }
        for s in DigestSubscription.objects.filter(person=person).select_related("organization")
    ]


def _erase(person) -> None:
    # The subscriptions end and forget the address; the rows stay so the sendings still count.
    now = timezone.now()
    for subscription in DigestSubscription.objects.filter(person=person):
        subscription.address = f"anonyme-{subscription.pk}@invalid.example"
        subscription.unsubscribed_at = subscription.unsubscribed_at or now
        subscription.wording = ""
        subscription.person = None
        subscription.save(update_fields=["address", "unsubscribed_at", "wording", "person"])


SECTION = PersonalDataSection(name="opportunity_digests", export=_export, erase=_erase)
