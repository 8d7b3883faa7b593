"""Demo digests: the two organisations whose editors have a demo login, and the best-served
association of the network, opted in to the weekly digest of their opportunities.

Runs after the watch demo (INSTALLED_APPS order), whose open calls it matches: nothing here
names a call. If the watch brought no open opportunity (the watch app without its demo), a few
calls of the usual funders are added so that the panel and the space page still show matches.
"""

import datetime

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone, translation
from django.utils.text import slugify

from observatoire.accounts.models import Role
from observatoire.organizations.models import Organization, PersonEmail
from observatoire.referentials.models import Country, OrganizationKind, Theme
from observatoire.watch.models import WatchItem

from . import selectors, services
from .models import DigestSubscription

# (title, funder, theme slug, zone, organisation kind slugs, days left)
FALLBACK_CALLS = [
    ("Appel à projets Eau et assainissement en Afrique", "Agence de l'eau Adour-Garonne",
     "water-sanitation", "AF", ["association", "ngo", "commune", "epci"], 45),
    ("Fonds de soutien aux projets de solidarité internationale", "Région Nouvelle-Aquitaine",
     "education", "", [], 30),
    ("Appel à projets coopération décentralisée", "MEAE – DAECT", "", "",
     ["commune", "epci", "departement", "region"], 60),
    ("Programme Initiatives OSC", "AFD", "health", "AF", ["association", "ngo"], 90),
    ("Appel Solidarité internationale et ODD", "Fondation de France", "agriculture", "", [], 20),
]  # fmt: skip


def _fallback_calls() -> None:
    today = timezone.localdate()
    themes = {theme.slug: theme for theme in Theme.objects.all()}
    for title, funder, theme, zone, kinds, days_left in FALLBACK_CALLS:
        item, created = WatchItem.objects.get_or_create(
            slug=slugify(title)[:300],
            defaults={
                "kind": WatchItem.Kind.FUNDING_CALL,
                "title": title,
                "funder": funder,
                "status": WatchItem.Status.PUBLISHED,
                "deadline": today + datetime.timedelta(days=days_left),
                "published_at": timezone.now() - datetime.timedelta(days=3),
                "zones": [zone] if zone else [],
            },
        )
        if created:
            if theme in themes:
                item.themes.set([themes[theme]])
            item.organization_kinds.set(OrganizationKind.objects.filter(slug__in=kinds))


def _address_of(organization: Organization) -> str:
    """The address of the organisation's editor, else of its main contact, else its own."""
    editor = (
        get_user_model()
        .objects.filter(role=Role.ORGANIZATION_EDITOR, organization=organization)
        .order_by("pk")
        .first()
    )
    if editor:
        return editor.email
    email = (
        PersonEmail.objects.filter(
            person__affiliations__organization=organization, person__erased_at__isnull=True
        )
        .order_by("-person__affiliations__is_main_contact", "-is_primary", "pk")
        .first()
    )
    return email.address if email else organization.public_email


def load_demo(*, seed: int) -> None:
    if DigestSubscription.objects.exists():
        return
    with transaction.atomic(), translation.override("fr"):
        if not selectors.open_opportunities().exists():
            _fallback_calls()
        edited = list(
            Organization.objects.filter(
                pk__in=get_user_model()
                .objects.filter(role=Role.ORGANIZATION_EDITOR, organization__isnull=False)
                .values("organization")
            ).order_by("pk")
        )
        # The association with the most matches, computed over the qualified associations.
        associations = Organization.objects.qualified().filter(
            kind__slug__in=["association", "ngo"], countries__in=Country.objects.all()
        )
        counts = selectors.matches_for_organizations(
            organization_ids=associations.values_list("pk", flat=True).distinct(),
            per_organization=None,
        )
        best = max(
            (pk for pk in counts if pk not in {o.pk for o in edited}),
            key=lambda pk: (len(counts[pk]), -pk),
            default=None,
        )
        chosen = edited + ([Organization.objects.get(pk=best)] if best else [])
        for days_ago, organization in enumerate(chosen, start=12):
            address = _address_of(organization)
            if not address:
                continue
            subscription = services.digest_subscribe(
                organization=organization,
                address=address,
                wording=services.digest_wording(organization=organization),
            )
            subscription.opted_in_at = timezone.now() - datetime.timedelta(days=days_ago)
            subscription.save(update_fields=["opted_in_at"])
