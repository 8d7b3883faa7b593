"""Demo partnerships: ten French cities with a partner city abroad, one of them followed closely.

Called by `load_demo_network` right after the register (see `load_app_demos`). Ville de
Châtellerault and the Commune urbaine d'Oujda are partners since 2005: four agreements, key
contacts on both sides, missions both ways and one coming in the next weeks, followed by the
city's international officer (the demo login international@). The other pairs come from the
list of French twin towns (© Wikipedia contributors, CC BY-SA 4.0) whose French town has an
authority in the demo register.
"""

import datetime
import random
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from observatoire.accounts.models import REGISTER_EDITOR_ROLES
from observatoire.organizations.models import Affiliation, Organization, Person
from observatoire.organizations.services import person_save
from observatoire.referentials.models import Country, Theme

from . import services
from .models import Agreement, Mission, Partnership, PartnershipContact

Kind = Partnership.Kind
Status = Partnership.Status

# (French authority, partner, country, town, latitude, longitude, kind, status, since, themes)
PAIRS = [
    ("Ville de Châtellerault", "Commune urbaine d'Oujda", "MA", "Oujda", "34.6867", "-1.9114",
     Kind.COOPERATION, Status.ACTIVE, 2005,
     "institutional-support youth-mobility water-sanitation"),
    ("Ville de Niort", "Commune d'Atakpamé", "TG", "Atakpamé", "7.5269", "1.1267",
     Kind.TWINNING, Status.ACTIVE, 1984, "health education"),
    ("Ville de Tulle", "Commune de Dédougou", "BF", "Dédougou", "12.46", "-3.46",
     Kind.COOPERATION, Status.ACTIVE, 1998, "education health"),
    ("Ville de Châtellerault", "Commune de Kaya", "BF", "Kaya", "13.0856", "-1.084",
     Kind.TWINNING, Status.DORMANT, 1988, "education culture"),
    ("Ville de Bordeaux", "Commune de Ouagadougou", "BF", "Ouagadougou", "12.3686", "-1.5275",
     Kind.COOPERATION, Status.ACTIVE, 1995, "urban-development waste"),
    ("Ville de Bordeaux", "Commune urbaine de Casablanca", "MA", "Casablanca", "33.5333",
     "-7.5833", Kind.COOPERATION, Status.ACTIVE, 1988, "culture urban-development"),
    ("Ville de Pessac", "Commune de Banfora", "BF", "Banfora", "10.6308", "-4.7589",
     Kind.TWINNING, Status.ACTIVE, 1994, "education water-sanitation"),
    ("Ville de Poitiers", "Commune de Moundou", "TD", "Moundou", "8.5914", "16.0756",
     Kind.COOPERATION, Status.ACTIVE, 2002, "institutional-support health"),
    ("Ville de Pau", "Commune de Daloa", "CI", "Daloa", "6.8833", "-6.45",
     Kind.FRIENDSHIP, Status.DORMANT, 2009, "education"),
    ("Ville de Bressuire", "Commune de Kpalimé", "TG", "Kpalimé", "6.9", "0.6333",
     Kind.TWINNING, Status.ACTIVE, 1990, "agriculture"),
]  # fmt: skip

# The key contacts of Châtellerault–Oujda: (first name, last name, function, side, role).
OUJDA_CONTACTS = [
    ("Nadia", "Benali", "Chargée des relations internationales", "french",
     "Cheffe de projet de la coopération"),
    ("Jean-Marc", "Lefèvre", "Adjoint au maire délégué aux relations internationales", "french",
     "Élu référent"),
    ("Karim", "El Idrissi", "Vice-président du conseil communal", "foreign",
     "Élu chargé de la coopération décentralisée"),
    ("Samira", "Bennani", "Directrice générale des services", "foreign",
     "Coordinatrice technique à Oujda"),
]  # fmt: skip

AGREEMENTS = [
    (2005, "Convention de coopération décentralisée 2005-2010",
     "Appui institutionnel à la commune urbaine, échanges de jeunes et de services techniques."),
    (2011, "Convention de coopération 2011-2016",
     "Ajout d'un volet eau et assainissement dans les quartiers périphériques."),
    (2017, "Convention de coopération 2017-2022",
     "Priorité à la jeunesse, à la gestion des déchets et à la formation des agents."),
    (2023, "Convention de coopération 2023-2028",
     "Mobilité des jeunes, eau potable et gestion de l'espace public."),
]  # fmt: skip

# (days from today or a fixed date, days long, direction, title, destination, cost, outcomes)
OUJDA_MISSIONS = [
    (datetime.date(2005, 5, 9), 5, Mission.Direction.OUTGOING, "Mission exploratoire à Oujda",
     "Oujda", "6850.00", "Choix des premiers axes : jeunesse, services techniques, culture."),
    (datetime.date(2011, 10, 3), 4, Mission.Direction.INCOMING,
     "Délégation d'Oujda pour le renouvellement de la convention", "Châtellerault", "4200.00",
     "Convention 2011-2016 signée ; volet eau et assainissement ajouté."),
    (datetime.date(2016, 4, 11), 6, Mission.Direction.OUTGOING,
     "Mission technique sur la collecte des déchets", "Oujda", "9300.00",
     "Diagnostic partagé de la collecte dans trois arrondissements."),
    (datetime.date(2019, 6, 17), 5, Mission.Direction.INCOMING,
     "Accueil de jeunes animateurs d'Oujda", "Châtellerault", "7150.00",
     "Douze jeunes accueillis ; projet d'échange retour en 2020."),
    (datetime.date(2023, 11, 20), 4, Mission.Direction.OUTGOING,
     "Signature de la convention 2023-2028", "Oujda", "5600.00",
     "Convention signée ; comité de pilotage annuel installé."),
    (-130, 5, Mission.Direction.INCOMING, "Délégation technique d'Oujda : eau potable",
     "Châtellerault", "4850.00",
     "Visite de l'usine de traitement ; plan de formation de six agents arrêté."),
    (24, 6, Mission.Direction.OUTGOING, "Mission de suivi du programme jeunesse et eau",
     "Oujda", "8200.00", ""),
]  # fmt: skip

PROGRAMME_COMING = """Jour 1 : arrivée à Oujda, accueil par le président du conseil communal.
Jour 2 : comité de pilotage annuel de la coopération.
Jour 3 : visite des chantiers d'adduction d'eau (quartiers Est).
Jour 4 : atelier avec les associations de jeunesse ; préparation des échanges de l'été.
Jour 5 : restitution et relevé de décisions.
Jour 6 : retour."""

PURPOSES = {
    Mission.Direction.OUTGOING: "Rencontrer les élus et les services d'Oujda, faire le point "
    "sur les actions en cours et préparer les suivantes.",
    Mission.Direction.INCOMING: "Accueillir la délégation d'Oujda, lui faire découvrir les "
    "services de la ville et les associations partenaires.",
}
REPORT_NEXT_STEPS = [
    "Prochaine étape : rédiger le programme d'actions avec les services techniques.",
    "Prochaine étape : préparer le dossier de cofinancement pour l'appel à projets du "
    "ministère (DAECT).",
    "Prochaine étape : programmer la formation des agents et le comité de pilotage annuel.",
    "Prochaine étape : accueillir un groupe de jeunes de Châtellerault l'été suivant.",
]

OTHER_MISSION_TITLES = [
    (Mission.Direction.OUTGOING, "Mission de suivi des projets à {town}"),
    (Mission.Direction.INCOMING, "Accueil d'une délégation de {town}"),
    (Mission.Direction.OUTGOING, "Mission d'élus à {town}"),
]
OTHER_CONTACT_ROLES = [
    ("french", "Chargé de mission relations internationales"),
    ("foreign", "Secrétaire général de la mairie"),
]
FOREIGN_NAMES = [
    ("Adama", "Ouédraogo"), ("Koffi", "Agbéko"), ("Aïcha", "Sawadogo"), ("Youssef", "Alaoui"),
    ("Mariam", "Koné"), ("Kodjo", "Amegan"), ("Fatou", "Traoré"), ("Ahmat", "Djibrine"),
    ("Awa", "Coulibaly"),
]  # fmt: skip


def load_demo(*, seed: int, today: datetime.date | None = None) -> list[Partnership]:
    """The partnerships of the demo network (called by `load_demo_network`)."""
    rng = random.Random(seed + 5)
    today = today or timezone.localdate()
    names = {pair[0] for pair in PAIRS} | {pair[1] for pair in PAIRS}
    authorities = {
        o.name: o
        for o in Organization.objects.filter(name__in=names).select_related("seat_country")
    }
    if not all(pair[0] in authorities for pair in PAIRS):
        return []  # not the demo register
    User = get_user_model()
    officer = User.objects.filter(email__startswith="international@").first()
    staff = list(User.objects.filter(role__in=REGISTER_EDITOR_ROLES).order_by("pk"))
    countries = {c.iso2: c for c in Country.objects.filter(iso2__in={p[2] for p in PAIRS})}
    themes = {t.slug: t for t in Theme.objects.all()}
    partnerships = []
    with transaction.atomic():
        for index, (french, foreign, iso2, town, lat, lng, kind, status, since, slugs) in enumerate(
            PAIRS
        ):
            partner = authorities.get(foreign)
            if partner is None:
                partner = services.foreign_authority_create(
                    name=foreign,
                    country=countries[iso2],
                    locality=town,
                    latitude=Decimal(lat),
                    longitude=Decimal(lng),
                )
            follower = (
                officer
                if french == "Ville de Châtellerault" and officer
                else (staff[index % len(staff)] if staff else None)
            )
            partnership = services.partnership_create(
                french_authority=authorities[french],
                foreign_authority=partner,
                kind=kind,
                status=status,
                since_year=since,
                description=_description(french, foreign, since),
                themes=[themes[s] for s in slugs.split() if s in themes],
                officer=follower,
                source="demo",
            )
            partnerships.append(partnership)
            if index == 0:
                _oujda(partnership, today)
            else:
                _other(rng, partnership, town, today, index)
    return partnerships


def _description(french: str, foreign: str, since: int) -> str:
    return (
        f"{french} et {foreign} travaillent ensemble depuis {since} : échanges entre élus et "
        "services, projets portés avec les associations des deux territoires."
    )


def _person(first_name, last_name, job_title, organization) -> Person:
    person = Person.objects.filter(first_name=first_name, last_name=last_name).first()
    if person is None:
        person = person_save(
            person=Person(first_name=first_name, last_name=last_name, job_title=job_title)
        )
        Affiliation.objects.create(person=person, organization=organization, role=job_title)
    return person


def _oujda(partnership: Partnership, today: datetime.date) -> None:
    previous = None
    for year, title, summary in AGREEMENTS:
        agreement = Agreement(
            partnership=partnership,
            title=title,
            status=Agreement.Status.RENEWED if previous else Agreement.Status.SIGNED,
            signed_on=datetime.date(year, 6 if year == 2005 else 11, 21 if year == 2005 else 24),
            starts_on=datetime.date(year if year != 2005 else 2005, 7, 1),
            ends_on=datetime.date(year + 5, 12, 31),
            renews=previous,
            summary=summary,
        )
        previous = services.agreement_save(agreement=agreement)
    people = {}
    for first_name, last_name, job_title, side, role in OUJDA_CONTACTS:
        authority = (
            partnership.french_authority if side == "french" else partnership.foreign_authority
        )
        person = _person(first_name, last_name, job_title, authority)
        people[last_name] = person
        PartnershipContact.objects.create(
            partnership=partnership, person=person, side=side, role=role
        )
    for number, (when, days, direction, title, destination, cost, outcomes) in enumerate(
        OUJDA_MISSIONS
    ):
        starts_on = when if isinstance(when, datetime.date) else today + datetime.timedelta(when)
        ends_on = starts_on + datetime.timedelta(days=days - 1)
        done = ends_on < today
        outgoing = direction == Mission.Direction.OUTGOING
        travellers = [people["Benali"], people["Lefèvre"]] if outgoing else [people["El Idrissi"]]
        participants = [
            {"person": p, "organization": p.affiliations.first().organization, "role": ""}
            for p in travellers
        ]
        participants.append(
            {
                "name": "Interprète (Maison des langues)" if outgoing else "Youssef Alaoui",
                "organization": None,
                "role": "Interprète" if outgoing else "Responsable du service des eaux",
            }
        )
        services.mission_save(
            mission=Mission(
                partnership=partnership,
                title=title,
                direction=direction,
                status=Mission.Status.DONE if done else Mission.Status.PLANNED,
                starts_on=starts_on,
                ends_on=ends_on,
                destination=destination,
                purpose=PURPOSES[direction]
                if done
                else "Comité de pilotage annuel et suivi des chantiers d'eau potable.",
                programme="" if done else PROGRAMME_COMING,
                cost=Decimal(cost),
                outcomes=outcomes if done else "",
                report=(
                    f"{title}. La délégation a tenu son programme. {outcomes} "
                    f"{REPORT_NEXT_STEPS[number % len(REPORT_NEXT_STEPS)]}"
                )
                if done
                else "",
            ),
            participants=participants,
        )


def _other(rng: random.Random, partnership: Partnership, town: str, today, index: int) -> None:
    if partnership.status == Status.DORMANT:
        agreement = Agreement(
            partnership=partnership,
            title=f"Charte d'amitié {partnership.french_authority.name} – {town}",
            status=Agreement.Status.ENDED,
            signed_on=datetime.date(partnership.since_year, 9, 15),
            starts_on=datetime.date(partnership.since_year, 10, 1),
            ends_on=datetime.date(2019, 12, 31),
        )
        services.agreement_save(agreement=agreement)
        return
    year = rng.randint(2019, today.year - 1)
    services.agreement_save(
        agreement=Agreement(
            partnership=partnership,
            title=f"Convention de partenariat {year}-{year + 3}",
            status=Agreement.Status.SIGNED,
            signed_on=datetime.date(year, rng.randint(1, 12), rng.randint(1, 28)),
            starts_on=datetime.date(year, 1, 1),
            ends_on=datetime.date(year + 3, 12, 31),
            summary="Programme d'actions triennal adopté par les deux conseils.",
        )
    )
    first_name, last_name = FOREIGN_NAMES[index % len(FOREIGN_NAMES)]
    contact = _person(
        first_name, last_name, "Secrétaire général de la mairie", partnership.foreign_authority
    )
    PartnershipContact.objects.create(
        partnership=partnership,
        person=contact,
        side=PartnershipContact.Side.FOREIGN,
        role="Interlocuteur de la coopération",
    )
    for _ in range(rng.randint(1, 2)):
        direction, title = rng.choice(OTHER_MISSION_TITLES)
        starts_on = today - datetime.timedelta(days=rng.randint(40, 900))
        services.mission_save(
            mission=Mission(
                partnership=partnership,
                title=title.format(town=town),
                direction=direction,
                status=Mission.Status.DONE,
                starts_on=starts_on,
                ends_on=starts_on + datetime.timedelta(days=rng.randint(3, 7)),
                destination=town if direction == Mission.Direction.OUTGOING else "",
                cost=Decimal(rng.randint(25, 95) * 100),
                outcomes="Points d'étape partagés avec les partenaires ; suite prévue.",
            ),
            participants=[{"name": contact.first_name + " " + contact.last_name, "role": ""}],
        )
