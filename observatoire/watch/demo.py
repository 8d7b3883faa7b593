"""Demo watch: about thirty funding calls, offers, events and news of a Nouvelle-Aquitaine network.

Called by `load_demo_network` through `organizations.demo.load_app_demos`. Dates are relative to
today: most items are open, two close within the week, some have expired, and five wait in the
queue « À qualifier », brought by two example feeds (inactive, on example.org: they show where
collected items come from, the worker never reads them).
"""

import datetime
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from observatoire.accounts.models import Role
from observatoire.referentials.models import SDG, Country, Need, OrganizationKind, Theme

from . import services
from .models import WatchFeed, WatchItem, WatchItemSource, WatchKind, WatchTag

K = WatchKind
LOCAL_AUTHORITIES = ["commune", "epci", "departement", "region"]
CIVIL_SOCIETY = ["association", "ngo"]

# Each item: kind, title, funder, summary, source, days to the deadline (None: no deadline;
# negative: expired), eligibility (kinds, themes, countries, zones, SDGs, needs), amounts, tags.
ITEMS = [
    dict(kind=K.FUNDING_CALL, title="FISONG 2027 : innovation des ONG pour l'accès à l'eau",
         funder="Agence française de développement (AFD)",
         summary="La Facilité d'innovation sectorielle pour les ONG finance des projets "
         "innovants portés par des ONG françaises avec leurs partenaires du Sud.",
         url="https://www.afd.fr/fr/fisong", days=45, kinds=CIVIL_SOCIETY,
         themes=["water-sanitation"], zones=["AF"], sdgs=[6], needs=["funding"],
         amounts=("200000", "1500000"), tags=["ONG"]),
    dict(kind=K.FUNDING_CALL, title="Appel à projets « Jeunesse VI » (DAECT)",
         funder="Ministère de l'Europe et des Affaires étrangères (DAECT)",
         summary="Cofinancement des projets de coopération décentralisée des collectivités "
         "en faveur de la jeunesse : mobilité, insertion, engagement citoyen.",
         url="https://www.diplomatie.gouv.fr/fr/politique-etrangere-de-la-france/"
         "action-exterieure-des-collectivites-territoriales/", days=5,
         kinds=LOCAL_AUTHORITIES, themes=["youth-mobility", "education"], sdgs=[4, 8],
         needs=["funding"], amounts=("10000", "200000"), tags=["Coopération décentralisée"]),
    dict(kind=K.FUNDING_CALL, title="Fonds régional de coopération internationale 2027",
         funder="Région Nouvelle-Aquitaine",
         summary="Soutien aux projets de solidarité internationale des associations et "
         "collectivités néo-aquitaines, en priorité dans les zones de coopération de la Région.",
         url="https://www.nouvelle-aquitaine.fr/aides", days=60,
         kinds=[*CIVIL_SOCIETY, "commune", "epci"], themes=["development-projects"],
         countries=["SN", "BF", "MA", "VN"], needs=["funding"], amounts=("5000", "30000"),
         tags=["Région"]),
    dict(kind=K.FUNDING_CALL, title="FRIO : Fonds régional pour les initiatives à l'international",
         funder="Région Nouvelle-Aquitaine",
         summary="Petites subventions pour les premières initiatives de solidarité "
         "internationale des associations et des jeunes de la région.",
         url="https://www.nouvelle-aquitaine.fr/aides/frio", days=3,
         kinds=CIVIL_SOCIETY, themes=["youth-mobility"], needs=["funding"],
         amounts=("1000", "5000"), tags=["Région"]),
    dict(kind=K.FUNDING_CALL, title="Dispositif 1 % eau : solidarité internationale",
         funder="Agence de l'eau Adour-Garonne",
         summary="L'Agence cofinance les actions d'accès à l'eau potable et à "
         "l'assainissement menées par les collectivités et associations du bassin.",
         url="https://eau-grandsudouest.fr/", days=90,
         kinds=[*LOCAL_AUTHORITIES, *CIVIL_SOCIETY], themes=["water-sanitation"],
         zones=["AF", "AS"], sdgs=[6], needs=["funding"], amounts=("10000", "150000"),
         tags=["Eau"]),
    dict(kind=K.FUNDING_CALL, title="Fondation de France : solidarité internationale",
         funder="Fondation de France",
         summary="Soutien aux projets d'associations qui renforcent les organisations "
         "paysannes et l'agroécologie en Afrique de l'Ouest.",
         url="https://www.fondationdefrance.org/fr/appels-a-projets", days=28,
         kinds=CIVIL_SOCIETY, zones=["AF"], sdgs=[2], needs=["funding"],
         amounts=("15000", "60000")),
    dict(kind=K.FUNDING_CALL, title="Appel à projets Éducation à la citoyenneté mondiale",
         funder="Région Nouvelle-Aquitaine",
         summary="Projets d'éducation à la citoyenneté et à la solidarité internationale "
         "menés en Nouvelle-Aquitaine auprès des jeunes.",
         url="https://www.nouvelle-aquitaine.fr/aides/ecsi", days=21,
         kinds=[*CIVIL_SOCIETY, "university", "training-body"], themes=["education"],
         sdgs=[4], needs=["funding"], amounts=("3000", "20000")),
    dict(kind=K.FUNDING_CALL, title="Programme PRAOJEUNES : coopération jeunesse Afrique",
         funder="Agence française de développement (AFD)",
         summary="Projets portés par des organisations de jeunesse en Afrique de l'Ouest "
         "avec un partenaire français.",
         url="https://www.afd.fr/", days=120, kinds=CIVIL_SOCIETY,
         themes=["youth-mobility"], countries=["SN", "BJ", "TG"], sdgs=[8, 10],
         amounts=("50000", "300000")),
    dict(kind=K.FUNDING_CALL, title="Appel à projets « Égalité femmes-hommes »",
         funder="Agence française de développement (AFD)",
         summary="Initiatives de la société civile pour l'égalité de genre et les droits "
         "des femmes.", url="https://www.afd.fr/", days=None, kinds=CIVIL_SOCIETY,
         themes=["gender-equality"], sdgs=[5], needs=["funding"]),
    dict(kind=K.FUNDING_CALL, title="Cofinancement des projets énergie des collectivités",
         funder="Ministère de l'Europe et des Affaires étrangères (DAECT)",
         summary="Accès à l'énergie et transition énergétique dans les partenariats de "
         "coopération décentralisée.", url="https://www.diplomatie.gouv.fr/", days=75,
         kinds=LOCAL_AUTHORITIES, themes=["energy"], zones=["AF"], sdgs=[7],
         amounts=("20000", "250000")),
    dict(kind=K.TRAINING, title="Formation : gestion du cycle de projet",
         funder="Réseau régional Nouvelle-Aquitaine",
         summary="Deux jours pour construire un projet de solidarité internationale, du "
         "diagnostic au budget et au suivi-évaluation. À Bordeaux, gratuit pour les membres.",
         url="https://www.example.org/formations/cycle-de-projet", days=14,
         kinds=CIVIL_SOCIETY, needs=["training"], tags=["Formation du réseau"]),
    dict(kind=K.TRAINING, title="Formation en ligne : rechercher des financements européens",
         funder="Réseau régional Nouvelle-Aquitaine",
         summary="Trois sessions en visioconférence sur les programmes européens ouverts "
         "aux associations et aux collectivités.", url="https://www.example.org/formations/europe",
         days=35, kinds=[*CIVIL_SOCIETY, *LOCAL_AUTHORITIES], needs=["training", "funding"]),
    dict(kind=K.VOLUNTEERING, title="Mission de Service civique : animation ECSI à Poitiers",
         funder="Agence du Service civique",
         summary="Huit mois pour animer des ateliers d'éducation à la citoyenneté mondiale "
         "dans les collèges de la Vienne.", url="https://www.service-civique.gouv.fr/",
         days=20, themes=["education"], needs=["volunteers"]),
    dict(kind=K.VOLUNTEERING, title="VSI : chargé·e de projet eau et assainissement à Kaya",
         funder="France Volontaires",
         summary="Volontariat de solidarité internationale de deux ans auprès de la commune "
         "de Kaya, au Burkina Faso.", url="https://www.france-volontaires.org/",
         days=30, themes=["water-sanitation"], countries=["BF"], sdgs=[6]),
    dict(kind=K.JOB, title="Offre d'emploi : chargé·e de mission coopération (CDD 18 mois)",
         funder="Bordeaux Métropole",
         summary="Suivi des partenariats de coopération décentralisée de la Métropole.",
         url="https://www.example.org/emplois/bordeaux-metropole", days=12),
    dict(kind=K.JOB, title="Offre d'emploi : coordinateur·rice de programmes Afrique de l'Ouest",
         funder="Association Eau Vive Charente",
         summary="Poste basé à Angoulême avec des missions au Sénégal et au Burkina Faso.",
         url="https://www.example.org/emplois/eau-vive", days=25, zones=["AF"]),
    dict(kind=K.EVENT, title="Assises nationales de la coopération décentralisée",
         funder="Cités Unies France",
         summary="Deux jours de rencontres à Paris entre collectivités engagées à "
         "l'international.", url="https://cites-unies-france.org/", days=40,
         kinds=LOCAL_AUTHORITIES),
    dict(kind=K.EVENT, title="Festival des Solidarités : appel à participation",
         funder="Festival des Solidarités",
         summary="Inscrivez vos animations pour l'édition de novembre.",
         url="https://www.festivaldessolidarites.org/", days=50, themes=["education"]),
    dict(kind=K.EVENT, title="Webinaire : les financements de l'Union européenne pour les ONG",
         funder="Coordination SUD", summary="Une heure pour comprendre les appels de "
         "l'Union européenne.", url="https://www.coordinationsud.org/", days=8,
         kinds=CIVIL_SOCIETY),
    dict(kind=K.NEWS, title="Nouveau guide de la coopération décentralisée",
         funder="Ministère de l'Europe et des Affaires étrangères (DAECT)",
         summary="Le guide présente les dispositifs de soutien aux collectivités pour 2027.",
         url="https://www.diplomatie.gouv.fr/", days=None, kinds=LOCAL_AUTHORITIES),
    dict(kind=K.PUBLICATION,
         title="Étude : l'engagement international des collectivités néo-aquitaines",
         funder="Réseau régional Nouvelle-Aquitaine",
         summary="Chiffres clés et témoignages sur dix ans de coopération décentralisée en "
         "région.", url="https://www.example.org/publications/etude-collectivites", days=None),
    dict(kind=K.PUBLICATION, title="Boîte à outils : évaluer un projet de solidarité",
         funder="F3E", summary="Fiches pratiques pour préparer et conduire une évaluation.",
         url="https://f3e.asso.fr/", days=None, needs=["training"]),
    # Expired: still reachable, marked closed.
    dict(kind=K.FUNDING_CALL, title="Appel à projets « Jeunesse V » (DAECT)",
         funder="Ministère de l'Europe et des Affaires étrangères (DAECT)",
         summary="L'édition précédente de l'appel Jeunesse.", url="https://www.diplomatie.gouv.fr/",
         days=-40, kinds=LOCAL_AUTHORITIES, themes=["youth-mobility"]),
    dict(kind=K.FUNDING_CALL, title="Fonds régional de coopération internationale 2026",
         funder="Région Nouvelle-Aquitaine", summary="La session 2026 du fonds régional.",
         url="https://www.nouvelle-aquitaine.fr/aides", days=-10,
         kinds=[*CIVIL_SOCIETY, "commune", "epci"], needs=["funding"]),
    dict(kind=K.TRAINING, title="Formation : communiquer sur son projet",
         funder="Réseau régional Nouvelle-Aquitaine", summary="Session d'automne.",
         url="https://www.example.org/formations/communication", days=-3, needs=["communication"]),
]  # fmt: skip

FEEDS = [
    ("Actualités AFD (exemple)", "https://flux.example.org/afd.xml", K.FUNDING_CALL,
     "Agence française de développement (AFD)"),
    ("Portail des appels Europe-Afrique (exemple)", "https://flux.example.org/europe-afrique.xml",
     K.FUNDING_CALL, ""),
]  # fmt: skip

# (feed index, guid, title, summary, days to the deadline)
COLLECTED = [
    (0, "afd-2027-114", "Appel à manifestation d'intérêt : villes durables en Afrique",
     "L'AFD lance un appel à manifestation d'intérêt. Date limite : voir le site.", 55),
    (0, "afd-2027-118", "Facilité de financement des collectivités territoriales (FICOL)",
     "Cofinancement des projets des collectivités françaises avec leurs partenaires.", 80),
    (1, "eu-af-0042", "Programme Erasmus+ : partenariats de coopération jeunesse",
     "Partenariats entre organisations de jeunesse d'Europe et d'Afrique.", 38),
    (1, "eu-af-0043", "Appel Horizon : recherche sur l'eau en Afrique de l'Ouest",
     "Consortiums de recherche associant universités européennes et africaines.", 100),
    (1, "eu-af-0044", "FICOL : financement des collectivités territoriales",
     "Annonce relayée du dispositif FICOL de l'AFD.", 80),
]  # fmt: skip


def _by_slug(model, slugs):
    return list(model.objects.filter(slug__in=slugs or []))


def _eligibility(spec: dict) -> dict:
    return {
        "organization_kinds": _by_slug(OrganizationKind, spec.get("kinds")),
        "themes": _by_slug(Theme, spec.get("themes")),
        "countries": list(Country.objects.filter(iso2__in=spec.get("countries") or [])),
        "sdgs": list(SDG.objects.filter(number__in=spec.get("sdgs") or [])),
        "needs": _by_slug(Need, spec.get("needs")),
        "tags": [
            WatchTag.objects.get_or_create(name=name, defaults={"slug": _slugify(name)})[0]
            for name in spec.get("tags") or []
        ],
    }


def _slugify(text: str) -> str:
    from django.utils.text import slugify

    return slugify(text)


def load_demo(*, seed: int) -> None:
    """Create the demo watch; does nothing when watch items exist."""
    if WatchItem.objects.exists():
        return
    today = timezone.localdate()
    staff = get_user_model().objects.filter(role=Role.STAFF).order_by("pk").first()
    with transaction.atomic():
        for spec in ITEMS:
            days = spec["days"]
            deadline = today + datetime.timedelta(days=days) if days is not None else None
            low, high = spec.get("amounts", (None, None))
            item = services.watch_item_create(
                user=staff,
                kind=spec["kind"],
                title=spec["title"],
                funder=spec["funder"],
                summary=spec["summary"],
                source_url=spec["url"],
                deadline=deadline,
                opens_on=deadline - datetime.timedelta(days=90) if deadline else None,
                published_on=today - datetime.timedelta(days=abs(days or 30) % 20 + 2),
                zones=spec.get("zones", []),
                amount_min=Decimal(low) if low else None,
                amount_max=Decimal(high) if high else None,
                eligibility=_eligibility(spec),
            )
            # Expired items were published before their deadline, then swept.
            published_on_day = min(today, deadline) if deadline else today
            services.watch_item_publish(item=item, user=staff, today=published_on_day)
        services.expire_due(today=today)

        feeds = []
        for name, url, kind, funder in FEEDS:
            feed, _created = WatchFeed.objects.get_or_create(
                url=url,
                defaults={"name": name, "default_kind": kind, "funder": funder, "is_active": False},
            )
            feeds.append(feed)
        for feed_index, guid, title, summary, days in COLLECTED:
            feed = feeds[feed_index]
            link = f"{feed.url.rsplit('/', 1)[0]}/{guid}"
            item = services.watch_item_create(
                user=None,
                kind=feed.default_kind,
                title=title,
                summary=summary,
                funder=feed.funder,
                source_url=link,
                deadline=today + datetime.timedelta(days=days),
            )
            WatchItemSource.objects.create(item=item, feed=feed, guid=guid, url=link)
