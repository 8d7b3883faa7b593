"""Demo projects: about forty cooperation projects of the demo network, in every phase.

Called by `load_demo_network` after the register, groups, events and partnerships (see
`organizations.demo.load_app_demos`); the finance demo runs next and adds the money. Among them
the pooled waste-management project (five French authorities, four cities abroad, one ministry
grant) and the projects of Ville de Châtellerault, whose international officer has a demo login.

Checklist entries are copied from the template directly (the same copy a project gets when it
enters a phase). Dates are relative to today; the same seed gives the same projects.
"""

import datetime
import random
from dataclasses import dataclass, field
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models.signals import post_save
from django.utils import timezone
from django.utils.text import slugify

from observatoire.accounts.models import Role
from observatoire.events.models import Event, Sitting
from observatoire.groups.models import Group
from observatoire.organizations.demo import IN_COUNTRY, PLACES, THEME_NOUNS, THEME_SDGS
from observatoire.organizations.models import Affiliation, Organization, Person, Source
from observatoire.organizations.services import organization_save, person_save
from observatoire.partnerships.models import Mission, Partnership
from observatoire.referentials.models import SDG, Country, OrganizationKind, SDGTarget, Theme

from .models import (
    DEFAULT_IATI_ROLE,
    BodyMember,
    ChecklistItem,
    ChecklistTemplateItem,
    Decision,
    ExpectedResult,
    GovernanceBody,
    Indicator,
    IndicatorValue,
    Objective,
    Phase,
    Project,
    ProjectPartner,
    ProjectPlace,
    ProjectUpdate,
    Stakeholder,
)

POOLED_SLUG = "gestion-mutualisee-dechets"
MINISTRY = "Ministère de l'Europe et des Affaires étrangères (DAECT)"
POOLED_LEAD = "Bordeaux Métropole"
POOLED_FRENCH = [
    "Bordeaux Métropole",
    "Grand Poitiers Communauté urbaine",
    "GrandAngoulême",
    "Ville de Bègles",
    "Ville de Tulle",
]
# The four cities abroad: (name, country, locality, latitude, longitude, share of the budget).
POOLED_ABROAD = [
    ("Commune de Dédougou", "BF", "Dédougou", "12.46", "-3.46", "28"),
    ("Commune d'Atakpamé", "TG", "Atakpamé", "7.53", "1.13", "26"),
    ("Commune de Kaya", "BF", "Kaya", "13.09", "-1.08", "24"),
    ("Commune de Fatick", "SN", "Fatick", "14.34", "-16.41", "22"),
]
OFFICER_AUTHORITY = "Ville de Châtellerault"
OUJDA = "Commune urbaine d'Oujda"

# SDG targets a theme's projects aim at.
THEME_TARGETS = {
    "agriculture": ["2.3", "2.4"],
    "water-sanitation": ["6.1", "6.2"],
    "health": ["3.8", "3.1"],
    "education": ["4.1", "4.a"],
    "vocational-training": ["4.4", "8.6"],
    "energy": ["7.1"],
    "environment": ["13.3", "15.2"],
    "waste": ["11.6", "12.5"],
    "economic-development": ["8.3"],
    "urban-development": ["11.1", "11.3"],
    "culture": ["11.4"],
    "gender-equality": ["5.5"],
    "human-rights": ["16.3"],
    "institutional-support": ["16.6", "17.17"],
    "migration": ["10.7"],
    "youth-mobility": ["4.7"],
    "global-citizenship-education": ["4.7"],
    "humanitarian-aid": ["1.5"],
}

# Titles by theme; {of} is « de Kaya » / « d'Atakpamé », {in_country} « au Burkina Faso ».
TITLES = {
    "water-sanitation": [
        "Accès à l'eau potable dans les quartiers {of}",
        "Latrines et hygiène dans les écoles {of}",
        "Service public de l'eau {of} : comités de gestion et bornes-fontaines",
    ],
    "health": [
        "Santé maternelle et infantile {in_country}",
        "Équipement et formation du centre de santé {of}",
    ],
    "education": [
        "Bibliothèques scolaires et lecture publique {of}",
        "Scolarisation des filles {in_country}",
        "Construction de salles de classe {of}",
    ],
    "agriculture": [
        "Maraîchage et sécurité alimentaire autour {of}",
        "Coopératives agricoles et semences paysannes {in_country}",
    ],
    "energy": ["Électrification solaire des centres de santé {of}"],
    "environment": ["Reboisement et gestion des forêts communautaires {of}"],
    "vocational-training": ["Formation professionnelle des jeunes {of}"],
    "economic-development": ["Appui aux artisanes et au commerce équitable {in_country}"],
    "gender-equality": ["Autonomisation économique des femmes {of}"],
    "culture": ["Échanges culturels et résidences d'artistes {in_country}"],
    "institutional-support": ["Appui à la maîtrise d'ouvrage communale {of}"],
    "youth-mobility": ["Chantiers de jeunes et volontariat {in_country}"],
    "urban-development": ["Amélioration de l'habitat précaire {of}"],
    "global-citizenship-education": ["Festival des solidarités : regards croisés {in_country}"],
}

SUMMARIES = {
    "water-sanitation": "Donner un accès durable à l'eau potable et à l'assainissement, avec des "
    "comités d'usagers formés à la gestion du service.",
    "health": "Renforcer les soins de proximité avec les agents de santé communautaire.",
    "education": "Améliorer les conditions d'apprentissage et le maintien des enfants à l'école.",
    "agriculture": "Accompagner les producteurs vers des pratiques agroécologiques et des "
    "revenus plus stables.",
    "energy": "Équiper des bâtiments publics en énergie solaire et former les techniciens.",
    "environment": "Restaurer les sols et les forêts avec les villages riverains.",
    "vocational-training": "Former des jeunes aux métiers demandés localement et les accompagner "
    "vers l'emploi.",
    "economic-development": "Structurer des filières artisanales et ouvrir des débouchés.",
    "gender-equality": "Soutenir les groupements de femmes : formation, crédit, accès aux marchés.",
    "culture": "Faire se rencontrer artistes et publics des deux territoires.",
    "institutional-support": "Renforcer les services de la commune partenaire : état civil, "
    "finances locales, services techniques.",
    "youth-mobility": "Permettre à des jeunes des deux territoires de se rencontrer et d'agir "
    "ensemble.",
    "urban-development": "Améliorer les quartiers précaires avec leurs habitants.",
    "global-citizenship-education": "Sensibiliser le public de la région aux enjeux de la "
    "solidarité internationale.",
}

# Indicators by theme: (name, unit, baseline, target).
INDICATORS = {
    "water-sanitation": [
        ("Habitants desservis par un point d'eau potable", "habitants", 1200, 6500),
        ("Comités de gestion de l'eau formés", "comités", 0, 12),
    ],
    "health": [
        ("Consultations prénatales par an", "consultations", 800, 2000),
        ("Agents de santé communautaire formés", "agents", 4, 30),
    ],
    "education": [
        ("Élèves bénéficiaires", "élèves", 0, 1500),
        ("Taux de scolarisation des filles", "%", 58, 75),
    ],
    "agriculture": [
        ("Producteurs accompagnés", "producteurs", 0, 250),
        ("Surface cultivée en agroécologie", "ha", 10, 80),
    ],
    "waste": [
        ("Déchets collectés par mois", "tonnes", 120, 640),
        ("Ménages abonnés à la pré-collecte", "ménages", 900, 7200),
        ("Points de regroupement aménagés", "points", 3, 28),
        ("Agents municipaux formés", "agents", 0, 60),
    ],
}
DEFAULT_INDICATORS = [
    ("Personnes bénéficiaires", "personnes", 0, 800),
    ("Sessions de formation tenues", "sessions", 0, 20),
]

STAKEHOLDER_ROLES = [
    "Autorité de tutelle",
    "Services techniques déconcentrés",
    "Association d'usagers",
    "Chefferie coutumière",
    "Opérateur privé",
    "Bailleur potentiel",
]

UPDATES = [
    ("Lancement officiel du projet", "Les partenaires se sont réunis pour lancer le projet et "
     "présenter le plan d'action aux habitants et aux autorités locales."),
    ("Premiers chantiers", "Les premiers travaux ont commencé ; les équipes locales suivent le "
     "calendrier et tiennent les partenaires informés chaque semaine."),
    ("Retour de mission", "La délégation est rentrée : visites de terrain, rencontres avec les "
     "élus et les associations, ajustements du calendrier."),
    ("Formation des équipes locales", "Une session de formation a réuni les agents et les "
     "bénévoles chargés du suivi des activités."),
    ("Bilan à mi-parcours", "Le comité de pilotage a examiné les indicateurs et validé les "
     "orientations pour la suite du projet."),
]  # fmt: skip

FIRST_NAMES = ["Issa", "Aminata", "Koffi", "Mariama", "Abdoulaye", "Fatou", "Yao", "Awa",
               "Moussa", "Rokia", "Kossi", "Binta"]  # fmt: skip
LAST_NAMES = ["Zongo", "Sawadogo", "Diouf", "Agbodjan", "Kaboré", "Ndiaye", "Amouzou", "Sarr",
              "Ouédraogo", "Faye", "Kpodar", "Compaoré"]  # fmt: skip

# Phases of the generated projects, in the order they are drawn.
PHASE_PLAN = (
    [Phase.EMERGENCE] * 6
    + [Phase.CONSTRUCTION] * 6
    + [Phase.IMPLEMENTATION] * 10
    + [Phase.COMPLETED] * 6
    + [Phase.SUSPENDED] * 4
)


@dataclass
class Spec:
    """A project to create, before it is saved."""

    title: str
    lead: str
    phase: str
    themes: list[str]
    country: str
    summary: str = ""
    slug: str = ""
    acronym: str = ""
    partners: list[str] = field(default_factory=list)
    funders: list[str] = field(default_factory=list)
    places: list[tuple] = field(default_factory=list)  # (name, iso2, lat, lng, share)
    partnership: tuple[str, str] | None = None
    origin_group: str = ""
    origin_note: str = ""
    months_running: int | None = None  # implementation: started this many months ago
    partners_may_edit: bool = False


def _of(name: str) -> str:
    """« de Kaya », « d'Atakpamé », « de Ouagadougou » (no elision before a semi-vowel)."""
    if name[:1] in "AEIOUÉaeiouéè" and not name.startswith(("Oua", "Oui")):
        return f"d'{name}"
    return f"de {name}"


def _hand_written() -> list[Spec]:
    """The projects the demo's story needs, whatever the draw."""
    return [
        Spec(
            "Gestion mutualisée des déchets à Dédougou, Atakpamé, Kaya et Fatick",
            POOLED_LEAD,
            Phase.IMPLEMENTATION,
            ["waste", "urban-development"],
            "BF",
            slug=POOLED_SLUG,
            acronym="GEMUD",
            summary="Cinq collectivités de Nouvelle-Aquitaine et quatre villes partenaires "
            "organisent ensemble la pré-collecte, le transport et la valorisation des déchets "
            "ménagers, avec le soutien du ministère de l'Europe et des Affaires étrangères.",
            partners=POOLED_FRENCH[1:] + [name for name, *_rest in POOLED_ABROAD],
            funders=[MINISTRY],
            places=[(town, iso2, lat, lng, share)
                    for _name, iso2, town, lat, lng, share in POOLED_ABROAD],
            months_running=20,
            partners_may_edit=True,
        ),
        Spec(
            "Jeunesse et mobilité internationale entre Châtellerault et Oujda",
            OFFICER_AUTHORITY,
            Phase.IMPLEMENTATION,
            ["youth-mobility", "institutional-support"],
            "MA",
            summary="Échanges de jeunes, chantiers solidaires et formation des animateurs des "
            "maisons de quartier des deux villes.",
            partners=[OUJDA, "Comité de jumelage Châtellerault–Oujda",
                      "Association des Marocains de Châtellerault"],
            funders=["Région Nouvelle-Aquitaine", MINISTRY],
            places=[("Oujda", "MA", "34.68", "-1.91", None)],
            partnership=(OFFICER_AUTHORITY, OUJDA),
            months_running=14,
        ),
        Spec(
            "Eau potable et assainissement des quartiers périphériques d'Oujda",
            OFFICER_AUTHORITY,
            Phase.CONSTRUCTION,
            ["water-sanitation"],
            "MA",
            summary="Étendre le réseau d'eau et l'assainissement dans deux quartiers "
            "périphériques, avec l'appui technique du syndicat d'eau du Nord Vienne.",
            partners=[OUJDA, "Syndicat intercommunal d'adduction d'eau potable du Nord Vienne"],
            funders=["Département de la Vienne"],
            places=[("Oujda", "MA", "34.68", "-1.91", None)],
            partnership=(OFFICER_AUTHORITY, OUJDA),
            origin_group="eau-assainissement",
        ),
        Spec(
            "Relance de la coopération scolaire avec Kaya",
            OFFICER_AUTHORITY,
            Phase.EMERGENCE,
            ["education", "culture"],
            "BF",
            summary="Reprendre contact avec la commune de Kaya et les écoles jumelées pour "
            "imaginer un nouveau projet éducatif.",
            partners=["Commune de Kaya"],
            places=[("Kaya", "BF", "13.09", "-1.08", None)],
            partnership=(OFFICER_AUTHORITY, "Commune de Kaya"),
            origin_group="burkina-faso",
        ),
        Spec(
            "Centre de santé et mutuelle communautaire d'Atakpamé",
            "Ville de Niort",
            Phase.IMPLEMENTATION,
            ["health"],
            "TG",
            partners=["Commune d'Atakpamé", "Comité de jumelage Niort–Atakpamé",
                      "Les Amis d'Atakpamé"],
            funders=["Département des Deux-Sèvres"],
            places=[("Atakpamé", "TG", "7.53", "1.13", None)],
            partnership=("Ville de Niort", "Commune d'Atakpamé"),
            months_running=30,
        ),
        Spec(
            "Écoles et cantines scolaires de Dédougou",
            "Ville de Tulle",
            Phase.COMPLETED,
            ["education", "health"],
            "BF",
            partners=["Commune de Dédougou", "Comité de jumelage Tulle–Dédougou"],
            funders=[MINISTRY],
            places=[("Dédougou", "BF", "12.46", "-3.46", None)],
            partnership=("Ville de Tulle", "Commune de Dédougou"),
        ),
        Spec(
            "Forages et comités de l'eau en Charente–Burkina",
            "Association Eau Vive Charente",
            Phase.IMPLEMENTATION,
            ["water-sanitation"],
            "BF",
            summary="Réhabiliter douze forages et former les comités qui en assurent "
            "l'entretien.",
            partners=["GrandAngoulême"],
            funders=["GrandAngoulême"],
            places=[("Koudougou", "BF", "12.25", "-2.36", "60"),
                    ("Ouahigouya", "BF", "13.58", "-2.42", "40")],
            origin_group="eau-assainissement",
            months_running=9,
        ),
        Spec(
            "Assainissement des écoles de Podor",
            "Association Eau Vive Charente",
            Phase.CONSTRUCTION,
            ["water-sanitation", "education"],
            "SN",
            places=[("Podor", "SN", "16.65", "-14.96", None)],
            funders=["Syndicat des eaux de la Charente-Maritime"],
        ),
    ]  # fmt: skip


def _link(project: Project, name: str, targets) -> None:
    """Write the rows of a many-to-many field of a new project in one query, without signals."""
    field = Project._meta.get_field(name)
    through = field.remote_field.through
    source, target = field.m2m_field_name(), field.m2m_reverse_field_name()
    through.objects.bulk_create(
        through(**{f"{source}_id": project.pk, f"{target}_id": pk})
        for pk in dict.fromkeys(item.pk for item in targets)
    )


class _Builder:
    def __init__(self, seed: int):
        self.rng = random.Random(seed + 505)
        self.today = timezone.localdate()
        self.now = timezone.now()
        self.organizations: dict[str, Organization] = {
            o.name: o for o in Organization.objects.select_related("kind")
        }
        self.countries = {c.iso2: c for c in Country.objects.all()}
        self.themes = {
            t.slug: t for t in Theme.objects.prefetch_related("dac_sectors").filter(is_active=True)
        }
        self.sdgs = {s.number: s for s in SDG.objects.all()}
        self.targets = {t.code: t for t in SDGTarget.objects.all()}
        self.template = list(ChecklistTemplateItem.objects.filter(is_active=True))
        self.groups = {g.slug: g for g in Group.objects.all()}
        self.past_events = list(
            Event.objects.filter(
                kind__in=[Event.Kind.MEETING, Event.Kind.WORKING_GROUP, Event.Kind.WEBINAR],
                status=Event.Status.PUBLISHED,
                sittings__starts_at__lt=self.now,
            )
            .distinct()
            .order_by("pk")
        )
        User = get_user_model()
        self.staff = list(User.objects.filter(role=Role.STAFF).order_by("pk"))
        self.people_of: dict[int, list[Person]] = {}
        for affiliation in (
            Affiliation.objects.current()
            .filter(person__archived_at__isnull=True, person__erased_at__isnull=True)
            .select_related("person")
            .order_by("-is_main_contact", "pk")
        ):
            self.people_of.setdefault(affiliation.organization_id, []).append(affiliation.person)
        self.partnerships = {
            (p.french_authority.name, p.foreign_authority.name): p
            for p in Partnership.objects.select_related("french_authority", "foreign_authority")
        }
        self.slugs: set[str] = set()
        self.projects: list[Project] = []
        self.name_index = 0

    # Organisations and people ----------------------------------------------------------------

    def _foreign_authority(self, name: str, iso2: str, town: str, lat: str, lng: str):
        """A city abroad, lightly described, created if the register lacks it."""
        if name in self.organizations:
            return self.organizations[name]
        country = self.countries[iso2]
        organization = organization_save(
            organization=Organization(
                name=name,
                kind=OrganizationKind.objects.get(slug="commune"),
                legal_form=Organization.LegalForm.FOREIGN,
                seat_country=country,
                seat_locality=town,
                latitude=Decimal(lat),
                longitude=Decimal(lng),
                coordinates_overridden=True,
                status=Organization.Status.QUALIFIED,
                source=Source.STAFF,
            ),
            reason="Projet mutualisé",
        )
        organization.countries.add(country)
        self.organizations[name] = organization
        return organization

    def _ministry(self) -> Organization:
        ministry = self.organizations.get(MINISTRY)
        if ministry is None:
            ministry = Organization.objects.filter(name=MINISTRY).first() or organization_save(
                organization=Organization(
                    name=MINISTRY,
                    acronym="MEAE",
                    kind=OrganizationKind.objects.get(slug="public-agency"),
                    legal_form=Organization.LegalForm.PUBLIC_BODY,
                    website="https://www.diplomatie.gouv.fr/",
                    # Quai d'Orsay, Paris: placed by hand, the register's communes being the
                    # region's for its map and figures.
                    latitude=Decimal("48.86"),
                    longitude=Decimal("2.31"),
                    coordinates_overridden=True,
                    description="Délégation pour l'action extérieure des collectivités "
                    "territoriales (DAECT) : appels à projets de soutien à la coopération "
                    "décentralisée.",
                    status=Organization.Status.QUALIFIED,
                    source=Source.STAFF,
                ),
                reason="Bailleur des projets",
            )
            self.organizations[MINISTRY] = ministry
        return ministry

    def _person(self, organization: Organization, job_title: str = "") -> Person:
        """Someone of `organization`: a current affiliate, or a new contact for a city abroad."""
        people = self.people_of.get(organization.pk)
        if people:
            return people[self.rng.randrange(len(people))] if len(people) > 2 else people[0]
        first = FIRST_NAMES[self.name_index % len(FIRST_NAMES)]
        last = LAST_NAMES[(self.name_index * 5) % len(LAST_NAMES)]
        self.name_index += 1
        person = person_save(
            person=Person(first_name=first, last_name=last, job_title=job_title or "Élu")
        )
        Affiliation.objects.create(person=person, organization=organization, role=job_title)
        self.people_of[organization.pk] = [person]
        return person

    # Specs -----------------------------------------------------------------------------------

    def _generated(self, count: int, taken: set[str]) -> list[Spec]:
        """Projects of the register's organisations, on their themes and in their countries."""
        candidates = []
        for organization in (
            Organization.objects.filter(
                status=Organization.Status.QUALIFIED,
                kind__family__in=["association", "local_authority", "education"],
                seat_country__isnull=True,
            )
            .prefetch_related("themes", "countries")
            .order_by("name")
        ):
            countries = [c.iso2 for c in organization.countries.all() if c.iso2 in PLACES]
            themes = [t.slug for t in organization.themes.all() if t.slug in TITLES]
            if countries and themes and organization.name not in taken:
                candidates.append((organization, countries, themes))
        self.rng.shuffle(candidates)
        funders = [
            name
            for name in (
                "Région Nouvelle-Aquitaine",
                "Département de la Gironde",
                "Département de la Vienne",
                "Département de la Haute-Vienne",
                MINISTRY,
            )
            if name in self.organizations or name == MINISTRY
        ]
        phases = list(PHASE_PLAN)
        self.rng.shuffle(phases)
        used_patterns: set[str] = set()
        titles: set[str] = set()
        specs = []
        for index in range(min(count, len(candidates))):
            organization, countries, themes = candidates[index]
            iso2 = self.rng.choice(countries)
            theme = self.rng.choice(themes)
            place_count = 2 if self.rng.random() < 0.3 else 1
            places = self.rng.sample(PLACES[iso2], place_count)
            shares = ["55", "45"] if place_count == 2 else [None]
            fresh = [t for t in TITLES[theme] if t not in used_patterns] or TITLES[theme]
            pattern = self.rng.choice(fresh)
            used_patterns.add(pattern)
            title = pattern.format(of=_of(places[0][0]), in_country=IN_COUNTRY[iso2])
            if title in titles:  # the same theme in the same country: name the town
                title = f"{title} – {places[0][0]}"
            titles.add(title)
            other_themes = [t for t in themes if t != theme]
            partners = [
                name
                for name, candidate in self.organizations.items()
                if candidate.seat_country_id == self.countries[iso2].pk
            ][:1]
            specs.append(
                Spec(
                    title,
                    organization.name,
                    phases[index % len(phases)],
                    [theme] + other_themes[:1],
                    iso2,
                    summary=SUMMARIES.get(theme, ""),
                    partners=partners,
                    funders=self.rng.sample(funders, self.rng.randint(1, 2)) if funders else [],
                    places=[
                        (name, iso2, lat, lng, share)
                        for (name, lat, lng), share in zip(places, shares, strict=True)
                    ],
                    origin_group=self.rng.choice(["", "", "senegal", "madagascar", "burkina-faso"])
                    if iso2 in ("SN", "MG", "BF")
                    else "",
                    origin_note=self.rng.choice(
                        ["", "", "Appel à projets de la Région", "Appel à projets DAECT"]
                    ),
                )
            )
        return specs

    # Building --------------------------------------------------------------------------------

    def _dates(self, spec: Spec) -> dict:
        today, months = self.today, datetime.timedelta(days=30)
        if spec.phase == Phase.EMERGENCE:
            start = today + months * self.rng.randint(4, 12)
            return {"planned_start": start, "planned_end": start + months * 24}
        if spec.phase == Phase.CONSTRUCTION:
            start = today + months * self.rng.randint(1, 6)
            return {"planned_start": start, "planned_end": start + months * 30}
        if spec.phase == Phase.IMPLEMENTATION:
            running = spec.months_running or self.rng.randint(3, 28)
            start = today - months * running
            length = 36 if spec.slug == POOLED_SLUG else self.rng.choice([24, 30, 36])
            return {
                "planned_start": start,
                "actual_start": start,
                "planned_end": start + months * max(length, running + 4),
            }
        if spec.phase == Phase.COMPLETED:
            end = today - months * self.rng.randint(1, 24)
            start = end - months * self.rng.choice([18, 24, 36])
            return {
                "planned_start": start,
                "actual_start": start,
                "planned_end": end,
                "actual_end": end,
            }
        start = today - months * self.rng.randint(12, 30)  # suspended
        return {"planned_start": start, "actual_start": start, "planned_end": start + months * 36}

    def _slug(self, spec: Spec) -> str:
        base = spec.slug or slugify(spec.title)[:80].strip("-")
        slug, n = base, 2
        while slug in self.slugs:
            slug, n = f"{base}-{n}", n + 1
        self.slugs.add(slug)
        return slug

    def build(self, spec: Spec) -> Project | None:
        lead = self.organizations.get(spec.lead)
        if lead is None:
            return None
        published = spec.phase in (Phase.IMPLEMENTATION, Phase.COMPLETED) and (
            spec.slug == POOLED_SLUG or self.rng.random() < 0.7
        )
        partnership = self.partnerships.get(spec.partnership) if spec.partnership else None
        project = Project(
            title=spec.title,
            slug=self._slug(spec),
            acronym=spec.acronym,
            summary=spec.summary,
            description=(f"{spec.summary}\n\n" if spec.summary else "")
            + f"Projet porté par {lead.name} avec ses partenaires {IN_COUNTRY[spec.country]}.",
            phase=spec.phase,
            partnership=partnership,
            origin_group=self.groups.get(spec.origin_group),
            origin_event=self.rng.choice(self.past_events)
            if self.past_events and not spec.origin_group and self.rng.random() < 0.25
            else None,
            origin_note=spec.origin_note,
            is_published=published,
            partners_may_edit=spec.partners_may_edit,
            coordinator=self.staff[0]
            if self.staff and spec.slug == POOLED_SLUG
            else (self.rng.choice(self.staff) if self.staff and self.rng.random() < 0.4 else None),
            **self._dates(spec),
        )
        # The project is saved without history, its many-to-many rows are written in bulk, then
        # its creation is recorded once, with its themes, SDGs, sectors and countries.
        project.skip_history_when_saving = True
        project.save()
        themes = [self.themes[s] for s in spec.themes if s in self.themes]
        numbers = sorted({n for s in spec.themes for n in THEME_SDGS.get(s, [])})
        targets = [c for s in spec.themes for c in THEME_TARGETS.get(s, [])]
        countries = {self.countries[place[1]] for place in spec.places}
        _link(project, "themes", themes)
        _link(project, "sdgs", [self.sdgs[n] for n in numbers if n in self.sdgs])
        _link(project, "sdg_targets", [self.targets[c] for c in targets if c in self.targets])
        _link(project, "dac_sectors", {s for theme in themes for s in theme.dac_sectors.all()})
        _link(project, "countries", countries | {self.countries[spec.country]})
        del project.skip_history_when_saving
        post_save.send(
            sender=Project,
            instance=project,
            created=True,
            raw=False,
            using="default",
            update_fields=None,
        )
        ProjectPlace.objects.bulk_create(
            ProjectPlace(
                project=project,
                name=name,
                country=self.countries[iso2],
                latitude=Decimal(lat),
                longitude=Decimal(lng),
                budget_share=Decimal(share) if share else None,
            )
            for name, iso2, lat, lng, share in spec.places
        )
        self._partners(project, lead, spec)
        self._checklist(project, lead)
        self.projects.append(project)
        return project

    def _partners(self, project: Project, lead: Organization, spec: Spec) -> None:
        rows = [(lead, ProjectPartner.Role.LEAD, "Chef de file : coordination et rapports")]
        for name in spec.partners:
            if name in self.organizations and name != lead.name:
                partner = self.organizations[name]
                abroad = partner.seat_country_id is not None
                rows.append(
                    (
                        partner,
                        ProjectPartner.Role.PARTNER,
                        "Maîtrise d'ouvrage locale" if abroad else "Appui technique et expertise",
                    )
                )
        for name in spec.funders:
            funder = self._ministry() if name == MINISTRY else self.organizations.get(name)
            if funder is not None:
                rows.append((funder, ProjectPartner.Role.FUNDER, "Cofinancement"))
        seen = set()
        partners = []
        for organization, role, contribution in rows:
            if (organization.pk, role) in seen:
                continue
            seen.add((organization.pk, role))
            partners.append(
                ProjectPartner(
                    project=project,
                    organization=organization,
                    role=role,
                    iati_role=DEFAULT_IATI_ROLE[role],
                    contribution=contribution,
                )
            )
        ProjectPartner.objects.bulk_create(partners)
        project.demo_partners = partners

    def _checklist(self, project: Project, lead: Organization) -> None:
        """Earlier phases done, the current one partly; some entries late, some assigned."""
        phase = project.phase
        if phase == Phase.COMPLETED:
            phases = [Phase.EMERGENCE, Phase.CONSTRUCTION, Phase.IMPLEMENTATION]
        elif phase == Phase.SUSPENDED:
            phases = [Phase.EMERGENCE, Phase.CONSTRUCTION, Phase.IMPLEMENTATION]
            phase = Phase.IMPLEMENTATION
        else:
            phases = [p for p in (Phase.EMERGENCE, Phase.CONSTRUCTION, Phase.IMPLEMENTATION)]
            phases = phases[: phases.index(phase) + 1]
        started = project.actual_start or project.planned_start or self.today
        items = []
        current = [entry for entry in self.template if entry.phase == phase]
        done_count = (
            len(current)
            if project.phase == Phase.COMPLETED
            else self.rng.randint(0, max(len(current) - 2, 0))
        )
        for entry in self.template:
            if entry.phase not in phases:
                continue
            item = ChecklistItem(
                project=project,
                template_item=entry,
                phase=entry.phase,
                title=entry.title,
                guidance=entry.guidance,
                position=entry.position,
            )
            if entry.phase != phase or current.index(entry) < done_count:
                item.done_on = min(
                    started + datetime.timedelta(days=self.rng.randint(-200, 200)),
                    self.today - datetime.timedelta(days=1),
                )
            else:
                # Not done yet: due soon, or already late for about one in three.
                item.due_on = self.today + datetime.timedelta(days=self.rng.randint(-60, 120))
                if self.rng.random() < 0.6:
                    item.responsible_organization = lead
                    item.responsible = self._person(lead)
            items.append(item)
        ChecklistItem.objects.bulk_create(items)

    def stakeholders(self, project: Project) -> None:
        partners = project.demo_partners
        rows = []
        for partner in partners[:4]:
            rows.append(
                Stakeholder(
                    project=project,
                    organization=partner.organization,
                    role=partner.get_role_display(),
                    influence=self.rng.randint(3, 5),
                    interest=self.rng.randint(3, 5),
                    stance=Stakeholder.Stance.DRIVING
                    if partner.role == ProjectPartner.Role.LEAD
                    else self.rng.choice(
                        [Stakeholder.Stance.DRIVING, Stakeholder.Stance.FOLLOWING]
                    ),
                )
            )
        for role in self.rng.sample(STAKEHOLDER_ROLES, 2):
            person = self._person(partners[-1].organization)
            rows.append(
                Stakeholder(
                    project=project,
                    person=person,
                    role=role,
                    influence=self.rng.randint(1, 5),
                    interest=self.rng.randint(1, 4),
                    stance=self.rng.choice(
                        [Stakeholder.Stance.NEUTRAL, Stakeholder.Stance.FOLLOWING,
                         Stakeholder.Stance.HOSTILE]
                    ),
                )
            )  # fmt: skip
        Stakeholder.objects.bulk_create(rows)

    def meeting(self, project: Project, title: str, day: datetime.date, *, online: bool) -> Event:
        start = timezone.make_aware(datetime.datetime.combine(day, datetime.time(14)))
        event = Event.objects.create(
            title=title,
            slug=f"{slugify(title)[:180]}-{day:%Y-%m-%d}",
            kind=Event.Kind.MEETING,
            status=Event.Status.PUBLISHED,
            summary=f"Réunion des partenaires du projet « {project.title} ».",
            organized_by_network=project.slug == POOLED_SLUG,
            registration_rule=Event.RegistrationRule.INVITATION,
            online_url=f"https://visio.example.org/{project.slug[:40]}" if online else "",
            staff_contact=project.coordinator,
        )
        Sitting.objects.create(
            event=event, starts_at=start, ends_at=start + datetime.timedelta(hours=2, minutes=30)
        )
        return event

    def governance(
        self,
        project: Project,
        *,
        extra_members=(),
        meetings: int = 2,
        events_before: datetime.date | None = None,
    ) -> None:
        steering = GovernanceBody.objects.create(
            project=project,
            kind=GovernanceBody.Kind.STEERING,
            name="Comité de pilotage",
            remit="Valide le plan d'action, le budget et ses révisions ; suit les indicateurs.",
        )
        technical = GovernanceBody.objects.create(
            project=project,
            kind=GovernanceBody.Kind.TECHNICAL,
            name="Comité technique",
            remit="Prépare les décisions du comité de pilotage et suit les activités.",
        )
        members, technicians, seen = [], [], set()
        for partner in project.demo_partners:
            if partner.role == ProjectPartner.Role.FUNDER:
                continue
            person = self._person(partner.organization, "Élu référent")
            if person.pk not in seen:
                seen.add(person.pk)
                members.append(
                    BodyMember(
                        body=steering,
                        person=person,
                        organization=partner.organization,
                        role="Président" if partner.role == ProjectPartner.Role.LEAD else "Membre",
                    )
                )
                technicians.append(
                    BodyMember(
                        body=technical,
                        person=person,
                        organization=partner.organization,
                        role="Référent technique",
                    )
                )
        for person, organization, role in extra_members:
            if person.pk not in seen:
                seen.add(person.pk)
                members.append(
                    BodyMember(body=steering, person=person, organization=organization, role=role)
                )
        BodyMember.objects.bulk_create(members + technicians[:4])
        start = project.actual_start or self.today
        days = [start + datetime.timedelta(days=30 + 170 * index) for index in range(meetings)]
        days = [day for day in days if day < self.today]
        # A meeting becomes an event only before `events_before`: the events of the last twelve
        # months are the network's own, counted in its annual figures.
        events = {
            day: self.meeting(
                project, f"Comité de pilotage n° {index} – {project.title[:60]}", day,
                online=index % 2 == 0,
            )
            for index, day in enumerate(days, start=1)
            if events_before and day < events_before
        }  # fmt: skip
        steering.meetings.set(events.values())
        texts = [
            "Adoption du plan d'action et du calendrier de la première année.",
            "Validation du rapport d'activité et des priorités de l'année suivante.",
        ]
        Decision.objects.bulk_create(
            Decision(
                project=project,
                body=steering,
                meeting=events.get(day),
                date=day,
                text=texts[min(index, 1)],
                follow_up="Le chef de file diffuse le compte rendu aux partenaires.",
            )
            for index, day in enumerate(days)
        )
        self.days = days
        self.bodies = (steering, technical, list(events.values()))

    def results(self, project: Project, themes: list[str], *, silent: bool = False) -> None:
        theme = next((t for t in themes if t in INDICATORS), None)
        catalogue = INDICATORS.get(theme, DEFAULT_INDICATORS) if theme else DEFAULT_INDICATORS
        Objective.objects.create(
            project=project,
            level=Objective.Level.OVERALL,
            title="Améliorer durablement les services rendus aux habitants dans le domaine de "
            + THEME_NOUNS.get(themes[0], "la coopération"),
            position=1,
        )
        specific = Objective.objects.create(
            project=project,
            level=Objective.Level.SPECIFIC,
            title="Renforcer les capacités des partenaires locaux à gérer le service durablement",
            position=1,
        )
        result = ExpectedResult.objects.create(
            objective=specific, title="Les services sont en place et suivis", position=1
        )
        start = project.actual_start or self.today
        end = project.actual_end or min(project.planned_end or self.today, self.today)
        indicators, values = [], []
        for name, unit, baseline, target in catalogue:
            indicators.append(
                Indicator(
                    result=result,
                    name=name,
                    unit=unit,
                    baseline=Decimal(baseline),
                    baseline_date=start,
                    target=Decimal(target),
                    target_date=project.planned_end,
                    source="Rapports des services techniques",
                )
            )
        Indicator.objects.bulk_create(indicators)
        for position, indicator in enumerate(indicators):
            if silent and position == len(indicators) - 1:
                continue  # never measured: the work view shows it
            period_start = start
            step = 0
            while period_start + datetime.timedelta(days=180) <= end:
                period_end = period_start + datetime.timedelta(days=180)
                step += 1
                progress = min(Decimal(step) / Decimal(6), Decimal(1))
                value = indicator.baseline + (indicator.target - indicator.baseline) * progress
                values.append(
                    IndicatorValue(
                        indicator=indicator,
                        period_start=period_start,
                        period_end=period_end,
                        value=value.quantize(Decimal("1")),
                    )
                )
                period_start = period_end + datetime.timedelta(days=1)
        IndicatorValue.objects.bulk_create(values)

    def updates(self, project: Project) -> None:
        start = project.actual_start or self.today
        last = project.actual_end or self.today
        span = max((last - start).days, 1)
        count = self.rng.randint(1, 3)
        ProjectUpdate.objects.bulk_create(
            ProjectUpdate(
                project=project,
                date=start + datetime.timedelta(days=span * (index + 1) // (count + 1)),
                title=title,
                text=text,
            )
            for index, (title, text) in enumerate(UPDATES[:count])
        )


def _pooled(builder: _Builder, project: Project) -> None:
    """The pooled project's governance: nine authorities and the ministry as observer."""
    ministry = builder._ministry()
    observer = builder._person(ministry, "Chargé de mission DAECT")
    builder.governance(
        project,
        extra_members=[(observer, ministry, "Observateur")],
        meetings=4,
        events_before=builder.today - datetime.timedelta(days=366),
    )
    steering = builder.bodies[0]
    upcoming = builder.meeting(
        project,
        "Comité de pilotage du projet mutualisé déchets",
        builder.today + datetime.timedelta(days=41),
        online=True,
    )
    steering.meetings.add(upcoming)
    # Decided at the last steering committee.
    day = builder.days[-1] if builder.days else builder.today
    Decision.objects.bulk_create(
        [
            Decision(
                project=project,
                body=steering,
                date=day,
                text="Approbation de la demande de réaffectation de 11 850 EUR (3,7 % du budget) "
                "des frais de mission vers l'équipement des points de regroupement, à soumettre "
                "au ministère.",
                follow_up="Le chef de file transmet la demande à la DAECT.",
            ),
            Decision(
                project=project,
                body=steering,
                date=day,
                text="Demande d'un avenant de prolongation de six mois pour achever les "
                "travaux de Kaya, retardés par la saison des pluies.",
                follow_up="Avenant à signer avec le ministère.",
            ),
        ]
    )
    # A technical mission of the French authorities' agents, coming in the next weeks.
    Mission.objects.create(
        project=project,
        title="Mission technique des agents de collecte à Dédougou et Kaya",
        direction=Mission.Direction.OUTGOING,
        starts_on=builder.today + datetime.timedelta(days=24),
        ends_on=builder.today + datetime.timedelta(days=33),
        destination="Dédougou, Kaya",
        purpose="Former les équipes de pré-collecte et réceptionner les points de regroupement.",
    )


@transaction.atomic
def load_demo(*, seed: int) -> list[Project]:
    """Create the demo projects; does nothing if projects exist or the register is not the demo."""
    if Project.objects.exists():
        return []
    builder = _Builder(seed)
    if not all(name in builder.organizations for name in POOLED_FRENCH + [OFFICER_AUTHORITY]):
        return []
    for name, iso2, town, lat, lng, _share in POOLED_ABROAD:
        builder._foreign_authority(name, iso2, town, lat, lng)
    builder._ministry()
    specs = _hand_written()
    taken = {spec.lead for spec in specs}
    specs += builder._generated(40 - len(specs), taken)
    for spec in specs:
        project = builder.build(spec)
        if project is None:
            continue
        if project.slug == POOLED_SLUG:
            builder.stakeholders(project)
            _pooled(builder, project)
            builder.results(project, spec.themes)
            builder.updates(project)
            continue
        if project.phase != Phase.EMERGENCE:
            builder.stakeholders(project)
        if project.phase in (Phase.IMPLEMENTATION, Phase.COMPLETED, Phase.SUSPENDED):
            builder.governance(project)
            builder.results(
                project,
                spec.themes,
                silent=spec.lead == OFFICER_AUTHORITY or builder.rng.random() < 0.2,
            )
        if project.is_published:
            builder.updates(project)
    return builder.projects
