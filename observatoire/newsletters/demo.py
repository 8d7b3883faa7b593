"""Demo lists: the monthly newsletter, the calls for projects, and a dynamic list of the
Gironde local authorities working on water, with subscribers, a few bounces and suppressions.

Called by `load_demo_network` once the register exists (see `organizations.demo.load_app_demos`).
The newsletter reaches the register's people who consented to it, plus subscribers who came
through the public form. No mail is sent. The same seed gives the same lists.
"""

import datetime
import random
from urllib.parse import urlencode

from django.utils import timezone
from django.utils.text import slugify

from observatoire.organizations.demo import (
    CONSENT_WORDINGS,
    FEMALE_FIRST_NAMES,
    LAST_NAMES,
    MALE_FIRST_NAMES,
)
from observatoire.organizations.models import Affiliation, Consent, Organization, PersonEmail
from observatoire.organizations.selectors import people_consenting
from observatoire.referentials.models import Departement, Theme

from .models import Bounce, MailingList, Subscription, Suppression
from .services import suppress

NEWSLETTER = "Lettre mensuelle du réseau"
CALLS = "Appels à projets"
GIRONDE_WATER = "Collectivités de Gironde — eau"
PUBLIC_WORDING = (
    "J’accepte que le réseau m’envoie les listes cochées ci-dessus à cette adresse et la "
    "conserve à cette seule fin. Je peux me désabonner à tout moment par le lien présent dans "
    "chaque message."
)
MAIL_DOMAINS = ["courriel.example", "messagerie.example", "poste.example", "webmail.example"]
NEWSLETTER_SUBSCRIBERS = 250


def _names(text: str) -> list[str]:
    return text.split() if isinstance(text, str) else list(text)


def _public_people(rng: random.Random, count: int, taken: set[str]) -> list[tuple[str, str, str]]:
    first_names = _names(FEMALE_FIRST_NAMES) + _names(MALE_FIRST_NAMES)
    last_names = _names(LAST_NAMES)
    people = []
    while len(people) < count:
        first, last = rng.choice(first_names), rng.choice(last_names)
        address = f"{slugify(first)}.{slugify(last)}@{rng.choice(MAIL_DOMAINS)}"
        if address in taken:
            continue
        taken.add(address)
        people.append((first, last, address))
    return people


def _subscription(mailing_list, address, *, rng, now, **fields) -> Subscription:
    consented = now - datetime.timedelta(days=rng.randint(5, 900), hours=rng.randint(0, 23))
    status = fields.pop("status", Subscription.Status.CONFIRMED)
    return Subscription(
        mailing_list=mailing_list,
        address=address,
        status=status,
        consented_at=fields.pop("consented_at", consented),
        confirmed_at=consented + datetime.timedelta(minutes=rng.randint(2, 600))
        if status != Subscription.Status.PENDING
        else None,
        consent_wording=fields.pop("consent_wording", PUBLIC_WORDING),
        source=fields.pop("source", Subscription.Source.FORM),
        tracking_allowed=rng.random() < 0.6,
        **fields,
    )


def _register_subscribers(mailing_list, purpose, *, rng, now, limit) -> list[Subscription]:
    """Subscriptions for the register's people who consented to `purpose`, their consent's
    wording and date kept (the lists and the register say the same)."""
    people = list(
        people_consenting(purpose=purpose).order_by("pk").prefetch_related("emails")[:limit]
    )
    latest = {}
    for consent in Consent.objects.filter(person__in=people, purpose=purpose, granted=True):
        latest.setdefault(consent.person_id, consent)
        if consent.given_at > latest[consent.person_id].given_at:
            latest[consent.person_id] = consent
    rows = []
    for person in people:
        address = person.primary_email
        if not address or person.pk not in latest:
            continue
        consent = latest[person.pk]
        rows.append(
            _subscription(
                mailing_list,
                address.lower(),
                rng=rng,
                now=now,
                person=person,
                first_name=person.first_name,
                last_name=person.last_name,
                consent_wording=consent.wording,
                consented_at=consent.given_at,
                source=Subscription.Source.IMPORT,
            )
        )
    return rows


def _gironde_water_list(*, now) -> MailingList:
    gironde = Departement.objects.filter(code="33").first()
    water = Theme.objects.filter(slug="water-sanitation").first()
    params = {"family": "local_authority"}
    if gironde:
        params["departement"] = str(gironde.pk)
    if water:
        params["theme"] = str(water.pk)
    authorities = Organization.objects.filter(
        kind__family="local_authority", departement=gironde, merged_into__isnull=True
    )
    if water and not authorities.filter(themes=water).exists():
        # A small demo register may have none: some Gironde authorities take up water.
        for organization in authorities.order_by("name")[:4]:
            organization.themes.add(water)
    # Their main contacts agreed, at the network's water forum, to receive targeted mailings.
    main_contacts = Affiliation.objects.filter(
        organization__in=authorities.filter(themes=water) if water else authorities,
        is_main_contact=True,
    ).values_list("person_id", flat=True)
    consenting = set(
        people_consenting(purpose=Consent.Purpose.MAILINGS).values_list("pk", flat=True)
    )
    Consent.objects.bulk_create(
        Consent(
            person_id=person_id,
            purpose=Consent.Purpose.MAILINGS,
            granted=True,
            given_at=now - datetime.timedelta(days=120),
            source=Consent.ConsentSource.PAPER,
            wording=CONSENT_WORDINGS[Consent.Purpose.MAILINGS],
        )
        for person_id in main_contacts
        if person_id not in consenting
    )
    return MailingList.objects.create(
        name=GIRONDE_WATER,
        slug=slugify(GIRONDE_WATER),
        description="Élus et services des collectivités girondines engagées sur l’eau et "
        "l’assainissement : appels 1 % eau, agence de l’eau, rencontres du groupe thématique.",
        purpose=MailingList.Purpose.MAILINGS,
        kind=MailingList.Kind.DYNAMIC,
        filter_query=urlencode(params),
        reach=MailingList.Reach.MAIN_CONTACTS,
    )


def load_demo(*, seed: int) -> None:
    """Create the demo lists; does nothing if lists exist."""
    if MailingList.objects.exists():
        return
    rng = random.Random(seed + 8)
    now = timezone.now()
    newsletter = MailingList.objects.create(
        name=NEWSLETTER,
        slug=slugify(NEWSLETTER),
        description="Chaque mois : les appels à projets ouverts, les formations et rencontres "
        "du réseau, les actualités des structures de Nouvelle-Aquitaine.",
        purpose=MailingList.Purpose.NEWSLETTER,
        is_public=True,
    )
    calls = MailingList.objects.create(
        name=CALLS,
        slug=slugify(CALLS),
        description="Dès leur parution : les appels à projets et à manifestation d’intérêt "
        "(AFD, DAECT, Région, agences de l’eau, Union européenne).",
        purpose=MailingList.Purpose.MAILINGS,
        is_public=True,
    )
    rows = _register_subscribers(
        newsletter, Consent.Purpose.NEWSLETTER, rng=rng, now=now, limit=180
    )
    taken = {row.address for row in rows} | set(
        PersonEmail.objects.values_list("address", flat=True)
    )
    public = _public_people(rng, NEWSLETTER_SUBSCRIBERS - len(rows) + 20, taken)
    for index, (first, last, address) in enumerate(public):
        status = Subscription.Status.CONFIRMED
        if index < 6:
            status = Subscription.Status.PENDING
        elif index < 14:
            status = Subscription.Status.UNSUBSCRIBED
        subscription = _subscription(
            newsletter, address, rng=rng, now=now, first_name=first, last_name=last, status=status
        )
        if status == Subscription.Status.PENDING:
            subscription.consented_at = now - datetime.timedelta(hours=rng.randint(1, 30))
            subscription.token = f"demo-{index}-{rng.getrandbits(64):x}"
            subscription.token_expires_at = subscription.consented_at + datetime.timedelta(hours=48)
        if status == Subscription.Status.UNSUBSCRIBED:
            subscription.unsubscribed_at = now - datetime.timedelta(days=rng.randint(1, 200))
        rows.append(subscription)
    calls_rows = _register_subscribers(calls, Consent.Purpose.MAILINGS, rng=rng, now=now, limit=45)
    for first, last, address in rng.sample(public[14:], 25):
        calls_rows.append(
            _subscription(calls, address, rng=rng, now=now, first_name=first, last_name=last)
        )
    Subscription.objects.bulk_create(rows + calls_rows)
    _gironde_water_list(now=now)

    # Mail that came back, and addresses that asked for nothing more.
    bounced = [address for _first, _last, address in public[20:25]]
    for address in bounced[:3]:
        Bounce.objects.create(
            address=address,
            kind=Bounce.Kind.HARD,
            diagnostic=f"smtp; 550 5.1.1 <{address}>: Recipient address rejected: User unknown",
            message_id=f"<lettre-demo.{rng.getrandbits(40):x}@reseau-na.example>",
        )
        suppress(address=address, reason=Suppression.Reason.HARD_BOUNCE, source="bounce")
    for address in bounced[3:]:
        Bounce.objects.create(
            address=address,
            kind=Bounce.Kind.SOFT,
            diagnostic="smtp; 452 4.2.2 Mailbox full",
            message_id=f"<lettre-demo.{rng.getrandbits(40):x}@reseau-na.example>",
        )
    for _first, _last, address in public[6:10]:
        suppress(address=address, reason=Suppression.Reason.UNSUBSCRIBED, source="link")
    suppress(address=public[30][2], reason=Suppression.Reason.COMPLAINT, source="staff")
