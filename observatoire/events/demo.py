"""Demo events: a year of the network's life, as in a real network's annual report.

Over the last twelve months: 9 group meetings with 191 participants in all, 9 trainings (some
in two or three online sittings, others in person in the region's towns), attendance taken with
a few no-shows, partners joining from Senegal, Burkina Faso and Madagascar; then a few
published events to come (a training almost full, a webinar in Dakar time, a group meeting).

Registrations are created directly (no e-mail is sent). Runs after the demo groups.
"""

import datetime
import random
import zoneinfo
from dataclasses import dataclass, field

from django.contrib.auth import get_user_model
from django.utils import timezone
from django.utils.text import slugify

from observatoire.accounts.models import Role
from observatoire.groups.models import Group, GroupMember
from observatoire.organizations.models import Affiliation, Person, PersonEmail
from observatoire.referentials.models import Commune, Country, Theme

from .models import PARIS, Attendance, Event, Registration, Sitting

ONLINE = "https://visio.example.org/reseau-"


@dataclass
class Plan:
    title: str
    kind: str
    days_ago: int  # negative: to come
    participants: int
    no_shows: int = 0
    cancelled: int = 0
    waiting: int = 0
    group: str = ""
    insee: str = ""  # in person in this commune
    online: bool = False
    sittings: int = 1
    hours: tuple[int, int] = (10, 12)
    foreign: list[str] = field(default_factory=list)  # ISO codes of partners taking part
    zone: str = PARIS
    capacity: int | None = None
    themes: list[str] = field(default_factory=list)
    summary: str = ""


# The nine meetings of the groups: 24 + 18 + 27 + 15 + 22 + 31 + 19 + 16 + 19 = 191.
MEETINGS = [
    Plan(
        "Rencontre du groupe Sénégal : bilan des missions de l'hiver",
        Event.Kind.MEETING,
        330,
        24,
        no_shows=3,
        cancelled=2,
        group="senegal",
        insee="86194",
        online=True,
        foreign=["SN", "SN"],
        hours=(14, 17),
        summary="Retours des missions à Saint-Louis et Ziguinchor, projets de l'année.",
    ),
    Plan(
        "Mobiliser le 1 % eau : retours d'expériences",
        Event.Kind.WORKING_GROUP,
        300,
        18,
        no_shows=2,
        group="eau-assainissement",
        insee="33063",
        hours=(9, 12),
        themes=["water-sanitation"],
        summary="Syndicats des eaux et collectivités présentent leurs projets financés.",
    ),
    Plan(
        "Coopérer avec le Burkina Faso en période de crise",
        Event.Kind.WEBINAR,
        262,
        27,
        no_shows=4,
        cancelled=1,
        group="burkina-faso",
        online=True,
        foreign=["BF", "BF"],
        hours=(12, 14),
        summary="Suivre ses projets à distance et soutenir les partenaires.",
    ),
    Plan(
        "Rencontre du groupe Madagascar",
        Event.Kind.MEETING,
        220,
        15,
        no_shows=1,
        group="madagascar",
        insee="87085",
        hours=(14, 17),
        summary="Tour de table des projets et accueil de nouveaux membres.",
    ),
    Plan(
        "Préparer le Festival des solidarités",
        Event.Kind.MEETING,
        180,
        22,
        no_shows=2,
        group="ecsi",
        insee="79191",
        hours=(9, 16),
        themes=["global-citizenship-education"],
        summary="Programme régional, outils d'animation et calendrier.",
    ),
    Plan(
        "Santé communautaire : échanges avec les partenaires de Thiès",
        Event.Kind.WEBINAR,
        140,
        31,
        no_shows=5,
        cancelled=2,
        group="senegal",
        online=True,
        foreign=["SN", "SN", "SN"],
        hours=(15, 17),
        zone="Africa/Dakar",
        themes=["health"],
        summary="Les équipes de Thiès présentent leurs actions de santé communautaire.",
    ),
    Plan(
        "Atelier : suivre un projet d'eau à distance",
        Event.Kind.WORKING_GROUP,
        95,
        19,
        no_shows=2,
        group="eau-assainissement",
        insee="17300",
        hours=(9, 12),
        themes=["water-sanitation"],
    ),
    Plan(
        "Éducation à Madagascar : échanges avec les partenaires d'Antsirabe",
        Event.Kind.WEBINAR,
        60,
        16,
        no_shows=2,
        group="madagascar",
        online=True,
        foreign=["MG", "MG"],
        hours=(10, 12),
        zone="Indian/Antananarivo",
        themes=["education"],
    ),
    Plan(
        "Bilan du Festival des solidarités",
        Event.Kind.MEETING,
        12,
        19,
        no_shows=1,
        group="ecsi",
        insee="16015",
        hours=(14, 17),
        themes=["global-citizenship-education"],
    ),
]

TRAININGS = [
    Plan(
        "Monter un projet de solidarité internationale",
        Event.Kind.TRAINING,
        315,
        28,
        no_shows=3,
        online=True,
        sittings=3,
        hours=(10, 12),
        foreign=["SN"],
        summary="Trois séances en ligne : diagnostic, partenariat, budget.",
    ),
    Plan(
        "Le cadre logique pas à pas",
        Event.Kind.TRAINING,
        285,
        17,
        no_shows=2,
        insee="33063",
        hours=(9, 17),
        capacity=20,
    ),
    Plan(
        "Rechercher des financements : AFD, DAECT, Région",
        Event.Kind.TRAINING,
        240,
        34,
        no_shows=4,
        cancelled=3,
        online=True,
        sittings=2,
        hours=(14, 16),
    ),
    Plan(
        "Accueillir un volontaire de solidarité internationale",
        Event.Kind.TRAINING,
        200,
        9,
        no_shows=1,
        insee="86194",
        hours=(9, 12),
        themes=["youth-mobility"],
    ),
    Plan(
        "Communiquer sur son projet",
        Event.Kind.TRAINING,
        160,
        21,
        no_shows=2,
        online=True,
        sittings=2,
        hours=(10, 12),
    ),
    Plan(
        "Évaluer un projet de coopération",
        Event.Kind.TRAINING,
        120,
        12,
        no_shows=1,
        insee="87085",
        hours=(9, 17),
    ),
    Plan(
        "Sécurité des missions à l'étranger",
        Event.Kind.TRAINING,
        75,
        6,
        online=True,
        hours=(18, 20),
        foreign=["BF"],
    ),
    Plan(
        "Animer une intervention ECSI en classe",
        Event.Kind.TRAINING,
        45,
        14,
        no_shows=1,
        insee="79191",
        hours=(9, 16),
        themes=["global-citizenship-education"],
    ),
    Plan(
        "Comptabilité et rapport financier d'un projet cofinancé",
        Event.Kind.TRAINING,
        20,
        11,
        no_shows=1,
        online=True,
        sittings=3,
        hours=(17, 19),
        foreign=["MG"],
    ),
]

UPCOMING = [
    Plan(
        "Monter son budget de projet",
        Event.Kind.TRAINING,
        -16,
        19,
        insee="33063",
        hours=(9, 17),
        capacity=20,
        summary="Une journée pour construire le budget d'un projet et son plan de financement.",
    ),
    Plan(
        "Le 1 % déchets et le 1 % énergie pour les collectivités",
        Event.Kind.TRAINING,
        -30,
        12,
        waiting=3,
        online=True,
        sittings=2,
        hours=(10, 12),
        capacity=12,
        themes=["waste", "energy"],
    ),
    Plan(
        "Webinaire avec nos partenaires de Dakar : jeunesse et emploi",
        Event.Kind.WEBINAR,
        -23,
        14,
        group="senegal",
        online=True,
        foreign=["SN", "SN", "SN"],
        hours=(15, 17),
        zone="Africa/Dakar",
        themes=["youth-mobility"],
        summary="En direct de Dakar : 15 h à Dakar, 16 h à Paris.",
    ),
    Plan(
        "Rencontre du groupe Madagascar : accueil des partenaires",
        Event.Kind.MEETING,
        -41,
        8,
        group="madagascar",
        insee="86194",
        hours=(14, 17),
    ),
]

# Partners abroad who join online: (first name, last name, organisation, country, zone).
PARTNERS = [
    ("Mamadou", "Ndiaye", "Association Jappo Dakar", "SN", "Africa/Dakar"),
    ("Aminata", "Sow", "Comité de santé de Thiès", "SN", "Africa/Dakar"),
    ("Ousmane", "Diop", "Mairie de Saint-Louis", "SN", "Africa/Dakar"),
    ("Fatou", "Faye", "Groupement des femmes de Fatick", "SN", "Africa/Dakar"),
    ("Ibrahim", "Ouédraogo", "Association Wend Panga", "BF", "Africa/Ouagadougou"),
    ("Salimata", "Kaboré", "Commune de Koudougou", "BF", "Africa/Ouagadougou"),
    ("Hery", "Rakotomalala", "Lycée d'Antsirabe", "MG", "Indian/Antananarivo"),
    ("Voahangy", "Randrianarisoa", "ONG Fanantenana", "MG", "Indian/Antananarivo"),
]


class _Builder:
    def __init__(self, seed: int):
        self.rng = random.Random(seed + 202)
        self.today = timezone.localdate()
        self.now = timezone.now()
        self.paris = zoneinfo.ZoneInfo(PARIS)
        self.staff = list(get_user_model().objects.filter(role=Role.STAFF).order_by("pk"))
        self.groups = {group.slug: group for group in Group.objects.all()}
        self.communes = {
            c.insee_code: c
            for c in Commune.objects.filter(
                insee_code__in={
                    plan.insee for plan in MEETINGS + TRAININGS + UPCOMING if plan.insee
                }
            )
        }
        self.countries = {
            c.iso2: c for c in Country.objects.filter(iso2__in=["FR", "SN", "BF", "MG"])
        }
        self.themes = {t.slug: t for t in Theme.objects.all()}
        # Everyone with a current affiliation and an address: (person, organisation, e-mail).
        emails = dict(
            PersonEmail.objects.filter(is_primary=True).values_list("person_id", "address")
        )
        seen = set()
        self.pool = []
        for affiliation in (
            Affiliation.objects.current()
            .filter(person__archived_at__isnull=True, person__erased_at__isnull=True)
            .select_related("person", "organization")
            .order_by("pk")
        ):
            if affiliation.person_id in seen or affiliation.person_id not in emails:
                continue
            seen.add(affiliation.person_id)
            self.pool.append(
                (affiliation.person, affiliation.organization, emails[affiliation.person_id])
            )
        self.members_by_group = {}
        for group_id, organization_id in GroupMember.objects.filter(
            organization__isnull=False
        ).values_list("group_id", "organization_id"):
            self.members_by_group.setdefault(group_id, set()).add(organization_id)
        self.partners = self._partners()

    def _partners(self) -> dict[str, list]:
        partners: dict[str, list] = {}
        for first, last, organization, iso2, zone in PARTNERS:
            person = Person.objects.create(first_name=first, last_name=last, job_title="")
            address = f"{slugify(first)}.{slugify(last)}@partenaires.example.org"
            PersonEmail.objects.create(person=person, address=address, is_primary=True)
            partners.setdefault(iso2, []).append((person, organization, address, zone))
        return partners

    def _day(self, days_ago: int) -> datetime.date:
        day = self.today - datetime.timedelta(days=days_ago)
        while day.weekday() >= 5:  # meetings and trainings are held on weekdays
            day -= datetime.timedelta(days=1) if days_ago > 0 else -datetime.timedelta(days=1)
        return day

    def _people(self, plan: Plan, count: int) -> list:
        group = self.groups.get(plan.group)
        members = self.members_by_group.get(group.pk, set()) if group else set()
        close = [entry for entry in self.pool if entry[1].pk in members]
        others = [entry for entry in self.pool if entry[1].pk not in members]
        self.rng.shuffle(close)
        self.rng.shuffle(others)
        return (close + others)[:count]

    def build(self, plan: Plan) -> Event:
        day = self._day(plan.days_ago)
        zone = zoneinfo.ZoneInfo(plan.zone)
        starts = []
        for index in range(plan.sittings):
            sitting_day = day + datetime.timedelta(days=7 * index)
            start = datetime.datetime.combine(
                sitting_day, datetime.time(plan.hours[0]), tzinfo=zone
            )
            end = datetime.datetime.combine(sitting_day, datetime.time(plan.hours[1]), tzinfo=zone)
            starts.append((start, end))
        commune = self.communes.get(plan.insee)
        event = Event.objects.create(
            title=plan.title,
            slug=f"{slugify(plan.title)[:200]}-{day:%Y-%m-%d}",
            kind=plan.kind,
            status=Event.Status.PUBLISHED,
            summary=plan.summary,
            description=(plan.summary + "\n\n" if plan.summary else "")
            + "Gratuit pour les membres du réseau. Inscription obligatoire.",
            group=self.groups.get(plan.group),
            venue="Maison des associations" if commune else "",
            address=f"{self.rng.randint(2, 60)} rue de la Solidarité" if commune else "",
            commune=commune,
            online_url=f"{ONLINE}{slugify(plan.title)[:40]}" if plan.online else "",
            capacity=plan.capacity,
            registration_deadline=starts[0][0] - datetime.timedelta(days=2),
            staff_contact=self.rng.choice(self.staff) if self.staff else None,
        )
        event.themes.set([self.themes[s] for s in plan.themes if s in self.themes])
        if plan.foreign:
            event.countries.set([self.countries[c] for c in set(plan.foreign)])
        sittings = [
            Sitting.objects.create(
                event=event,
                title=f"Séance {n} sur {plan.sittings}" if plan.sittings > 1 else "",
                starts_at=start,
                ends_at=end,
                time_zone=plan.zone,
            )
            for n, (start, end) in enumerate(starts, start=1)
        ]
        self._register(event, plan, sittings, starts[0][0])
        return event

    def _register(self, event: Event, plan: Plan, sittings: list[Sitting], first_start):
        local = plan.participants + plan.no_shows + plan.cancelled + plan.waiting
        local -= len(plan.foreign)
        people = self._people(plan, local)
        foreign = []
        used: dict[str, int] = {}
        for iso2 in plan.foreign:
            index = used.get(iso2, 0)
            used[iso2] = index + 1
            foreign.append(self.partners[iso2][index % len(self.partners[iso2])])
        registrations = []

        def registration(status, when, *, source=None, **fields):
            return Registration(
                event=event,
                status=status,
                registered_at=when,
                confirmed_at=when if status == Registration.Status.CONFIRMED else None,
                source=source
                or self.rng.choice(
                    [Registration.Source.FORM] * 5
                    + [Registration.Source.STAFF, Registration.Source.IMPORT]
                ),
                **fields,
            )

        def when():
            # People register in the weeks before; for an event to come, before today.
            return min(first_start, self.now) - datetime.timedelta(
                days=self.rng.randint(3, 30), minutes=self.rng.randint(0, 600)
            )

        for person, organization_name, address, zone in foreign:
            registrations.append(
                registration(
                    Registration.Status.CONFIRMED,
                    when(),
                    person=person,
                    email=address,
                    organization_name=organization_name,
                    country=self.countries[_iso_of(zone)],
                    time_zone=zone,
                    source=Registration.Source.FORM,
                )
            )
        statuses = (
            [Registration.Status.CONFIRMED] * (plan.participants - len(foreign) + plan.no_shows)
            + [Registration.Status.CANCELLED] * plan.cancelled
            + [Registration.Status.WAITING] * plan.waiting
        )
        for (person, organization, address), status in zip(people, statuses, strict=False):
            registered = when()
            row = registration(
                status,
                registered,
                person=person,
                organization=organization,
                email=address,
                country=self.countries["FR"] if self.rng.random() < 0.3 else None,
            )
            if status == Registration.Status.CANCELLED:
                row.cancelled_at = registered + datetime.timedelta(days=1)
            registrations.append(row)
        Registration.objects.bulk_create(registrations)
        if plan.days_ago <= 0:
            return
        # Attendance was taken: everyone confirmed came except the last `no_shows`.
        confirmed = [r for r in registrations if r.status == Registration.Status.CONFIRMED]
        came, missed = confirmed[: plan.participants], confirmed[plan.participants :]
        recorder = self.rng.choice(self.staff) if self.staff else None
        attendances = []
        for sitting in sittings:
            recorded_at = sitting.ends_at
            for index, row in enumerate(came):
                # Everyone came to the first sitting; a few missed a later one.
                present = sitting is sittings[0] or self.rng.random() < 0.85 or index == 0
                attendances.append(
                    Attendance(
                        registration=row,
                        sitting=sitting,
                        present=present,
                        recorded_at=recorded_at,
                        recorded_by=recorder,
                    )
                )
            attendances.extend(
                Attendance(
                    registration=row,
                    sitting=sitting,
                    present=False,
                    recorded_at=recorded_at,
                    recorded_by=recorder,
                )
                for row in missed
            )
        Attendance.objects.bulk_create(attendances)


def _iso_of(zone: str) -> str:
    return {
        "Africa/Dakar": "SN",
        "Africa/Ouagadougou": "BF",
        "Indian/Antananarivo": "MG",
    }[zone]


def load_demo(*, seed: int) -> None:
    """Create the demo year of events; does nothing if events exist."""
    if Event.objects.exists():
        return
    builder = _Builder(seed)
    for plan in MEETINGS + TRAININGS + UPCOMING:
        builder.build(plan)
    # A general assembly in preparation: a draft, not on the public calendar yet.
    Event.objects.create(
        title="Assemblée générale du réseau",
        slug=f"assemblee-generale-{builder.today.year + 1}",
        kind=Event.Kind.GENERAL_ASSEMBLY,
        status=Event.Status.DRAFT,
        summary="Rapport d'activité, comptes, élection du conseil d'administration par collège.",
        registration_rule=Event.RegistrationRule.MEMBERS,
    )
