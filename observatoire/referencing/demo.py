"""Demo referencing requests: a few believable requests in every state of the staff queue.

People and addresses are synthetic (example.org); no mail is sent. Call after the demo network
(`load_demo_network`) so that update requests find a listed organisation to point at.
"""

import datetime
import random

from django.db import transaction
from django.utils import timezone

from observatoire.accounts.models import REGISTER_EDITOR_ROLES
from observatoire.organizations.models import Consent, Organization
from observatoire.referentials.models import (
    SDG,
    ActionKind,
    Commune,
    Country,
    Need,
    OrganizationKind,
    Theme,
)

from . import notifications, services
from .forms import CONSENT_WORDING
from .models import ReferencingRequest

FIRST_NAMES = ["Mariam", "Julien", "Fatou", "Claire", "Ousmane", "Léa", "Karim", "Sophie", "Hugo"]
LAST_NAMES = ["Diallo", "Moreau", "Sawadogo", "Lefèvre", "Rakoto", "Bernard", "Haddad", "Petit"]

# (name, kind slug, INSEE code, theme slugs, country ISO codes, SDG numbers)
REQUESTS = [
    ("Association Kalo Diarra", "association", "24322", ["water-sanitation"], ["ML"], [6]),
    ("Collectif Pessac Solidarité Madagascar", "association", "33318", ["education"], ["MG"], [4]),
    ("Les Ateliers du Baobab", "association", "86194", ["economic-development"], ["SN"], [8]),
    ("Comité de jumelage Saintes–Fatick", "twinning-committee", "17415", ["culture"], ["SN"], [17]),
    ("Énergies Partagées Limousin", "association", "87085", ["energy"], ["BF"], [7, 13]),
    ("Réseau Santé Bassin Sahel", "association", "64445", ["health"], ["NE"], [3]),
    ("Terres d'Échanges Charente", "association", "16015", ["agriculture"], ["TG"], [2]),
    ("Jeunes Ambassadeurs Niort", "association", "79191", ["youth-mobility"], ["BJ"], [4, 10]),
]


def _contact(rng: random.Random, index: int) -> dict:
    first, last = rng.choice(FIRST_NAMES), rng.choice(LAST_NAMES)
    purposes = [Consent.Purpose.DIRECTORY] + rng.sample(
        [Consent.Purpose.NEWSLETTER, Consent.Purpose.MAILINGS], k=rng.randint(0, 2)
    )
    return {
        "first_name": first,
        "last_name": last,
        "job_title": rng.choice(["Présidente", "Président", "Coordinatrice", "Trésorier"]),
        "email": f"{first}.{last}.{index}@example.org".lower().replace("é", "e").replace("è", "e"),
        "phone": f"05 {rng.randint(10, 99)} {rng.randint(10, 99)} {rng.randint(10, 99)} 00",
        "consents": [
            {"purpose": str(p), "granted": p in purposes, "wording": str(w)}
            for p, w in CONSENT_WORDING.items()
        ],
    }


def _data(rng, name, kind_slug, insee_code, themes, countries, sdgs) -> dict:
    commune = Commune.objects.get(insee_code=insee_code)
    return {
        "name": name,
        "kind": OrganizationKind.objects.get(slug=kind_slug),
        "description": f"{name} mène des actions de solidarité internationale depuis "
        f"{rng.randint(1995, 2020)}.",
        "website": f"https://{name.split()[-1].lower().replace('–', '-')}.example.org",
        "address_line1": f"{rng.randint(1, 40)} rue de la République",
        "commune": commune,
        "postal_code": commune.postal_code_list[0] if commune.postal_codes else "",
        "themes": list(Theme.objects.filter(slug__in=themes)),
        "countries": list(Country.objects.filter(iso2__in=countries)),
        "sdgs": list(SDG.objects.filter(number__in=sdgs)),
        "action_kinds": list(ActionKind.objects.filter(slug="development-projects")),
        "needs": list(Need.objects.all()[:1]),
    }


def load_demo_referencing(seed: int = 1901) -> list[ReferencingRequest]:
    """Create demo requests: new, update, stale, waiting, unconfirmed, qualified, rejected."""
    from django.contrib.auth import get_user_model

    rng = random.Random(seed)
    now = timezone.now()
    staff = (
        get_user_model()
        .objects.filter(role__in=REGISTER_EDITOR_ROLES, is_active=True)
        .order_by("pk")
        .first()
    )
    created = []
    with notifications.muted(), transaction.atomic():
        for index, spec in enumerate(REQUESTS):
            referencing_request = services.referencing_request_submit(
                data=_data(rng, *spec),
                contacts=[_contact(rng, index)],
                requester_email=f"demande.{index}@example.org",
            )
            created.append(referencing_request)
        (new, update, stale, waiting, unconfirmed, qualified, rejected, last_year) = created
        ages = {new: 3, update: 6, stale: 45, waiting: 12, unconfirmed: 1, qualified: 20}
        ages |= {rejected: 25, last_year: 300}
        for referencing_request, days in ages.items():
            ReferencingRequest.objects.filter(pk=referencing_request.pk).update(
                created_at=now - datetime.timedelta(days=days)
            )
        for referencing_request in created:
            if referencing_request is not unconfirmed:
                services.referencing_request_confirm(referencing_request=referencing_request)
        listed = Organization.objects.qualified().order_by("pk").first()
        if listed is not None:
            ReferencingRequest.objects.filter(pk=update.pk).update(
                target_organization=listed, name=listed.name
            )
        services.referencing_request_ask_information(
            referencing_request=waiting,
            message="Pouvez-vous préciser vos projets en cours et vos partenaires au Sénégal ?",
            by=staff,
        )
        for referencing_request in (qualified, last_year):
            services.referencing_request_qualify(referencing_request=referencing_request, by=staff)
        services.referencing_request_reject(
            referencing_request=rejected,
            reason="Votre structure n'a pas d'activité de solidarité internationale pour "
            "l'instant : revenez vers nous quand votre premier projet sera lancé.",
            by=staff,
        )
        ReferencingRequest.objects.filter(pk=last_year.pk).update(
            decided_at=now - datetime.timedelta(days=280)
        )
    return [ReferencingRequest.objects.get(pk=r.pk) for r in created]


def load_demo(*, seed: int) -> None:
    """The referencing part of the demo network (called by `load_demo_network`)."""
    load_demo_referencing(seed=seed)
