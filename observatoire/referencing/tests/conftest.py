import time

import pytest
from django.core import signing

from observatoire.core.antispam import TIMESTAMP_SALT
from observatoire.referentials.models import SDG, OrganizationKind, Theme


@pytest.fixture(autouse=True)
def _clear_cache():
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


def old_stamp(seconds: int = 60) -> str:
    """The signed time of a form shown `seconds` ago."""
    return signing.dumps(int(time.time()) - seconds, salt=TIMESTAMP_SALT)


def form_data(**overrides) -> dict:
    """What a person filling the referencing form sends: one contact, a few tags."""
    data = {
        "name": "Association Kalo Diarra",
        "acronym": "AKD",
        "kind": OrganizationKind.objects.get(slug="association").pk,
        "legal_form": "association",
        "rna": "W332001234",
        "description": "Puits et maraîchage au Mali.",
        "website": "kalo-diarra.example.org",
        "public_email": "contact@kalo-diarra.example.org",
        "phone": "05 56 00 00 00",
        "address_line1": "12 rue de la République",
        "commune_query": "33000 Bordeaux",
        "themes": [Theme.objects.get(slug="water-sanitation").pk],
        "sdgs": [SDG.objects.get(number=6).pk],
        "requester_email": "Mariam.Diallo@example.org",
        "started": old_stamp(),
        "nickname": "",
        "contacts-TOTAL_FORMS": "1",
        "contacts-INITIAL_FORMS": "0",
        "contacts-MIN_NUM_FORMS": "1",
        "contacts-MAX_NUM_FORMS": "5",
        "contacts-0-first_name": "Mariam",
        "contacts-0-last_name": "Diallo",
        "contacts-0-job_title": "Présidente",
        "contacts-0-email": "mariam.diallo@example.org",
        "contacts-0-phone": "06 12 34 56 78",
        "contacts-0-consent_directory": "on",
        "contacts-0-consent_newsletter": "on",
    }
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}
