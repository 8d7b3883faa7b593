"""Demo campaigns: a year of the network's newsletters and targeted mailings, as data.

Run by `load_demo_network` after the newsletters demo (see `organizations.demo.load_app_demos`).
Ten campaigns sent over the last year, with deliveries and believable statistics (35–45 % of
the measured recipients open, a few bounces and unsubscriptions), next month's newsletter as a
draft with its blocks, and a scheduled mailing. Nothing is sent: deliveries are rows.
"""

import datetime
import random

from django.db import transaction
from django.utils import timezone

from observatoire.core.text import unique_slug
from observatoire.newsletters.models import MailingList
from observatoire.newsletters.selectors import recipients
from observatoire.organizations.models import Person

from .blocks import render_blocks
from .models import Campaign, Delivery, new_token
from .sanitize import sanitize_html

MONTHS = [
    "janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août", "septembre",
    "octobre", "novembre", "décembre",
]  # fmt: skip

NEWSLETTER_BODY = """<p>Bonjour {{ prenom }},</p>
<p>Voici les nouvelles du réseau pour {mois} : les appels à projets ouverts, les prochaines
formations et les initiatives des structures de Nouvelle-Aquitaine engagées à l'international.</p>
<h2>Le mot de l'équipe</h2>
<p>Merci aux {n} structures venues à nos rencontres territoriales. Les comptes rendus sont en
ligne, et le groupe pays <strong>Sénégal</strong> se réunit de nouveau à Poitiers.</p>"""

MAILINGS = [
    (
        "Appel à projets FRIO : réunion d'information",
        "<p>Bonjour {{ prenom }},</p><p>La Région ouvre le Fonds régional pour l'initiative et "
        "l'ouverture (FRIO). Nous présentons le règlement et les critères lors d'une réunion "
        'd\'information en ligne : <a href="https://www.nouvelle-aquitaine.fr">inscription</a>.'
        "</p>",
    ),
    (
        "Formation : monter un projet d'éducation à la citoyenneté mondiale",
        "<p>Bonjour {{ prenom }},</p><p>Deux séances en ligne pour construire un projet ECSI "
        "avec des jeunes de votre territoire. Places limitées.</p>",
    ),
    (
        "Collectivités : rencontre sur la coopération décentralisée",
        "<p>Madame, Monsieur,</p><p>Les élus et chargés de relations internationales des "
        "collectivités de la région sont invités à une matinée d'échanges à Bordeaux.</p>",
    ),
]


def _deliveries(campaign: Campaign, people: list[tuple], rng: random.Random, sent_at) -> None:
    rows = []
    bounced_flags = [rng.random() < 0.02 for _person in people]
    measured = [
        index for index, person in enumerate(people) if person[4] and not bounced_flags[index]
    ]
    # Exactly 36–44 % of the measured recipients open, as in the networks' reports.
    openers = set(rng.sample(measured, round(len(measured) * rng.uniform(0.36, 0.44))))
    for index, (address, first_name, last_name, organization, tracking) in enumerate(people):
        bounced = bounced_flags[index]
        opened = index in openers
        clicked = opened and rng.random() < 0.3
        at = sent_at + datetime.timedelta(hours=rng.randint(1, 72))
        rows.append(
            Delivery(
                campaign=campaign,
                address=address,
                first_name=first_name,
                last_name=last_name,
                organization_name=organization,
                tracking_allowed=tracking,
                token=new_token(),
                status=Delivery.Status.BOUNCED if bounced else Delivery.Status.SENT,
                attempts=1,
                sent_at=sent_at,
                message_id=f"<demo.{campaign.pk}.{len(rows)}@observatoire.example.org>",
                bounced_at=sent_at if bounced else None,
                opened_at=at if opened else None,
                open_count=rng.randint(1, 3) if opened else 0,
                clicked_at=at if clicked else None,
                click_count=1 if clicked else 0,
                unsubscribed_at=at if not bounced and rng.random() < 0.004 else None,
            )
        )
    Delivery.objects.bulk_create(rows, ignore_conflicts=True)


def _audience(lists) -> list[tuple]:
    people = [
        (r.address, r.first_name, r.last_name, r.organization_name, r.tracking_allowed)
        for r in recipients(lists=lists)
    ]
    if people:
        return people
    # No list yet (the newsletters demo did not run): the register's contacts stand in.
    fallback = []
    for index, person in enumerate(
        Person.objects.filter(erased_at__isnull=True).prefetch_related("emails")[:300]
    ):
        address = person.primary_email or f"contact{index}@example.org"
        fallback.append((address.lower(), person.first_name, person.last_name, "", index % 3 != 0))
    return fallback


def _campaign(**fields) -> Campaign:
    fields["body_html"] = sanitize_html(fields.get("body_html", ""))
    fields["slug"] = unique_slug(Campaign.objects.all(), fields["subject"], fallback="lettre")
    return Campaign.objects.create(**fields)


@transaction.atomic
def load_demo(*, seed: int) -> list[Campaign]:
    rng = random.Random(seed + 8)
    now = timezone.now()
    newsletter_lists = list(MailingList.objects.filter(purpose="newsletter")[:1])
    mailing_lists = list(MailingList.objects.filter(purpose="mailings")[:2]) or newsletter_lists
    newsletter_people = _audience(newsletter_lists)
    mailing_people = _audience(mailing_lists) if mailing_lists else newsletter_people
    campaigns = []
    for months_ago in range(7, 0, -1):
        sent_at = now - datetime.timedelta(days=30 * months_ago + rng.randint(0, 3))
        month = MONTHS[timezone.localtime(sent_at).month - 1]
        campaign = _campaign(
            name=f"Lettre du réseau — {month} {sent_at.year}",
            subject=f"La lettre du réseau — {month}",
            preheader="Appels à projets ouverts, formations et nouvelles des structures",
            body_html=NEWSLETTER_BODY.replace("{mois}", month).replace(
                "{n}", str(rng.randint(30, 60))
            ),
            status=Campaign.Status.SENT,
            scheduled_at=sent_at,
            started_at=sent_at,
            finished_at=sent_at + datetime.timedelta(minutes=12),
            materialized_at=sent_at,
            public_in_archive=True,
            blocks=[{"type": "watch", "title": "", "count": 5, "kinds": ["funding_call"]}],
        )
        campaign.lists.set(newsletter_lists)
        _deliveries(campaign, newsletter_people, rng, sent_at)
        campaigns.append(campaign)
    for index, (subject, body) in enumerate(MAILINGS):
        sent_at = now - datetime.timedelta(days=40 + 95 * index)
        campaign = _campaign(
            name=subject,
            subject=subject,
            body_html=body,
            status=Campaign.Status.SENT,
            scheduled_at=sent_at,
            started_at=sent_at,
            finished_at=sent_at + datetime.timedelta(minutes=4),
            materialized_at=sent_at,
        )
        campaign.lists.set(mailing_lists)
        _deliveries(campaign, mailing_people[: rng.randint(60, 400)], rng, sent_at)
        campaigns.append(campaign)
    next_month = MONTHS[(timezone.localdate().month) % 12]
    draft = _campaign(
        name=f"Lettre du réseau — {next_month}",
        subject=f"La lettre du réseau — {next_month}",
        preheader="Les appels à projets du mois et les prochains rendez-vous",
        body_html="<p>Bonjour {{ prenom }},</p><p>Au sommaire ce mois-ci : …</p>",
        public_in_archive=True,
        blocks=[
            {
                "type": "watch",
                "title": "Appels à projets ouverts",
                "count": 5,
                "kinds": ["funding_call"],
                "theme": "",
                "items": [],
            },
            {
                "type": "events",
                "title": "Prochains événements",
                "count": 4,
                "kinds": [],
                "theme": "",
                "items": [],
            },
            {
                "type": "news",
                "title": "Actualités",
                "count": 3,
                "kinds": [],
                "theme": "",
                "items": [],
            },
        ],  # fmt: skip
    )
    draft.lists.set(newsletter_lists)
    scheduled = _campaign(
        name="Appel à projets AFD : webinaire de présentation",
        subject="Webinaire : l'appel à projets de l'AFD pour les OSC",
        body_html="<p>Bonjour {{ prenom }},</p><p>Nous présentons l'appel à projets en ligne "
        "la semaine prochaine.</p>",
        status=Campaign.Status.SCHEDULED,
        scheduled_at=now + datetime.timedelta(days=6, hours=2),
    )
    scheduled.lists.set(mailing_lists)
    # The archive pages show the blocks as they were sent.
    blocks_html, blocks_text = render_blocks(campaigns[0].blocks)
    Campaign.objects.filter(pk__in=[c.pk for c in campaigns[:7]]).update(
        rendered_blocks_html=blocks_html, rendered_blocks_text=blocks_text
    )
    return [*campaigns, draft, scheduled]
