"""Demo calls of the network: a two-stage SDG incubator whose notes of intent are in, a
micro-project fund open now, and last year's youth-mobility fund, archived.

Run by `load_demo_network` after the register (INSTALLED_APPS order); the selection demo invites
16 of the incubator's 25 notes of intent to the second stage (`fill_full_application` writes
their full applications), the grants demo follows the laureates. Dates are relative to now; the
same seed gives the same applications. Does nothing when calls exist.
"""

import datetime
import random
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify

from observatoire.accounts.models import REGISTER_EDITOR_ROLES
from observatoire.organizations.models import Organization
from observatoire.referentials.models import SDG, Departement, OrganizationKind

from .models import Application, ApplicationEvent, Call, FormField, Stage, Submission

INCUBATOR_SLUG = "incubateur-odd-2026"
MICRO_SLUG = "fonds-micro-projets-2027"
MOBILITY_SLUG = "fonds-mobilite-jeunesse-2025"
NOTES_OF_INTENT = 25

PROJECTS = [
    ("Forages solaires et comités de l'eau", "Burkina Faso", "Afrique de l'Ouest"),
    ("Maraîchage agroécologique des femmes", "Sénégal", "Afrique de l'Ouest"),
    ("Cantines scolaires et jardins pédagogiques", "Madagascar", "Océan Indien"),
    ("Filière de compostage des déchets urbains", "Maroc", "Maghreb"),
    ("Centre de santé communautaire", "Togo", "Afrique de l'Ouest"),
    ("Formation de jeunes électriciens solaires", "Bénin", "Afrique de l'Ouest"),
    ("Reboisement et apiculture", "Haïti", "Caraïbes"),
    ("Coopérative de transformation du karité", "Burkina Faso", "Afrique de l'Ouest"),
    ("Bibliothèques rurales et alphabétisation", "Mali", "Afrique de l'Ouest"),
    ("Accès à l'eau potable dans trois villages", "Niger", "Afrique de l'Ouest"),
    ("Microcrédit pour artisanes", "Cameroun", "Afrique centrale"),
    ("Éducation à la citoyenneté mondiale en lycée", "France", "Europe"),
    ("Radio communautaire des jeunes", "Guinée", "Afrique de l'Ouest"),
    ("Gestion des déchets plastiques du littoral", "Sénégal", "Afrique de l'Ouest"),
    ("Maison des femmes et droits", "Tunisie", "Maghreb"),
    ("Riziculture économe en eau", "Madagascar", "Océan Indien"),
    ("Échanges de jeunes volontaires", "Vietnam", "Asie"),
    ("Assainissement écologique des écoles", "Togo", "Afrique de l'Ouest"),
    ("Énergie solaire pour un dispensaire", "Tchad", "Afrique centrale"),
    ("Formation des élus à la gouvernance locale", "Bénin", "Afrique de l'Ouest"),
    ("Semences paysannes et banques de céréales", "Burkina Faso", "Afrique de l'Ouest"),
    ("Tourisme solidaire et patrimoine", "Maroc", "Maghreb"),
    ("Ateliers numériques pour la jeunesse", "Côte d'Ivoire", "Afrique de l'Ouest"),
    ("Prévention de la malnutrition infantile", "Madagascar", "Océan Indien"),
    ("Pêche artisanale durable", "Mauritanie", "Afrique de l'Ouest"),
    ("Jardins partagés franco-arméniens", "Arménie", "Europe"),
    ("Théâtre forum sur l'égalité", "Burkina Faso", "Afrique de l'Ouest"),
    ("Chantiers jeunes de solidarité", "Maroc", "Maghreb"),
]
CONTACTS = [
    "Marie Dubois",
    "Awa Diallo",
    "Jean-Pierre Moreau",
    "Fatoumata Traoré",
    "Hélène Lefèvre",
    "Karim Benali",
    "Sophie Garnier",
    "Mamadou Sow",
    "Claire Rousseau",
    "Théo Martin",
]
ZONES = ["Afrique de l'Ouest", "Afrique centrale", "Maghreb", "Océan Indien", "Asie", "Europe"]
PUBLICS = ["Jeunes", "Femmes", "Agriculteurs et agricultrices", "Élèves", "Élus locaux"]


def _staff():
    return (
        get_user_model()
        .objects.filter(role__in=REGISTER_EDITOR_ROLES, is_active=True)
        .order_by("pk")
        .first()
    )


def _field(stage, order, label, kind, **options) -> FormField:
    return FormField.objects.create(stage=stage, order=order, label=label, kind=kind, **options)


def _stage1_fields(stage: Stage) -> dict[str, FormField]:
    kind = FormField.Kind
    return {
        "summary": _field(
            stage,
            0,
            "Résumé du projet",
            kind.LONG_TEXT,
            required=True,
            max_words=300,
            help_text="Le contexte, les objectifs et les bénéficiaires.",
        ),
        "zone": _field(stage, 1, "Zone d'intervention", kind.CHOICE, required=True, choices=ZONES),
        "publics": _field(stage, 2, "Publics visés", kind.MULTIPLE_CHOICE, choices=PUBLICS),
        "amount": _field(stage, 3, "Montant demandé", kind.AMOUNT, required=True),
        "start": _field(stage, 4, "Date de démarrage prévue", kind.DATE),
        "file": _field(
            stage,
            5,
            "Note d'intention signée (PDF)",
            kind.ATTACHMENT,
            allowed_types=["pdf"],
            max_size_mb=5,
        ),
    }


def _stage2_fields(stage: Stage) -> dict[str, FormField]:
    kind = FormField.Kind
    return {
        "description": _field(
            stage, 0, "Description détaillée", kind.LONG_TEXT, required=True, max_words=1500
        ),
        "partners": _field(
            stage, 1, "Partenaires ici et là-bas", kind.LONG_TEXT, required=True, max_words=400
        ),
        "budget": _field(stage, 2, "Budget prévisionnel", kind.BUDGET_TABLE, required=True),
        "calendar": _field(stage, 3, "Calendrier", kind.LONG_TEXT, max_words=300),
        "file": _field(
            stage,
            4,
            "Dossier complet et statuts",
            kind.ATTACHMENT,
            required=True,
            allowed_types=["pdf", "docx", "odt"],
            max_size_mb=10,
        ),
    }


def _summary(title: str, country: str, organization: Organization) -> str:
    return (
        f"{organization.name} et son partenaire local portent le projet « {title} » "
        f"({country}). Il répond à un besoin exprimé par les habitants et s'appuie sur "
        "une association partenaire présente depuis plusieurs années. Les activités sont "
        "menées avec les autorités locales ; un comité de suivi réunit les deux côtés."
    )


def _amount(rng: random.Random) -> Decimal:
    return Decimal(rng.randrange(5000, 30001, 500))


def _applicants(rng: random.Random, count: int, exclude=(), kinds=None) -> list[Organization]:
    organizations = Organization.objects.qualified().exclude(pk__in=exclude)
    if kinds is not None:
        organizations = organizations.filter(kind__in=kinds)
    pool = list(organizations.filter(departement__isnull=False).order_by("pk"))
    rng.shuffle(pool)
    return pool[:count]


def _application(
    rng, call, stage, fields, organization, index, *, submitted_at, status, eligible=True
) -> Application:
    title, country, zone = PROJECTS[index % len(PROJECTS)]
    amount = _amount(rng)
    contact = CONTACTS[index % len(CONTACTS)]
    application = Application.objects.create(
        call=call,
        organization=organization,
        project_title=title,
        amount_requested=amount,
        contact_name=contact,
        contact_email=f"{slugify(contact.split()[0])}.{index}@example.org",
        status=status,
        submitted_at=submitted_at,
        is_eligible=eligible if submitted_at else None,
        eligibility_notes="" if eligible else "Siège hors de la région : à vérifier.",
    )
    answers = {
        str(fields["summary"].pk): _summary(title, country, organization),
        str(fields["zone"].pk): zone if zone in ZONES else ZONES[0],
        str(fields["publics"].pk): rng.sample(PUBLICS, 2),
        str(fields["amount"].pk): str(amount),
        str(fields["start"].pk): (timezone.localdate() + datetime.timedelta(days=90)).isoformat(),
    }
    Submission.objects.create(
        application=application, stage=stage, answers=answers, submitted_at=submitted_at
    )
    ApplicationEvent.objects.create(
        application=application,
        at=submitted_at or timezone.now(),
        action=f"Déposée : {stage.name}" if submitted_at else "Brouillon commencé",
    )
    return application


def fill_full_application(application: Application, *, rng: random.Random) -> Submission | None:
    """The full application (stage 2) of an invited demo application; None without stage 2."""
    stage = application.call.stages.filter(number=2).first()
    if stage is None:
        return None
    fields = {field.label: field for field in stage.fields.all()}
    amount = application.amount_requested or Decimal(15000)
    share = (amount * Decimal("0.6")).quantize(Decimal("1"))
    rows = [
        {"label": "Équipements et travaux", "amount": str(share)},
        {"label": "Formation et animation", "amount": str(amount - share)},
        {
            "label": "Apport de la structure (valorisé)",
            "amount": str(Decimal(rng.randrange(1000, 5001, 500))),
        },
    ]
    total = sum(Decimal(row["amount"]) for row in rows)
    answers = {}
    for label, field in fields.items():
        if field.kind == FormField.Kind.BUDGET_TABLE:
            answers[str(field.pk)] = {"rows": rows, "total": str(total)}
        elif field.kind == FormField.Kind.LONG_TEXT:
            answers[str(field.pk)] = (
                f"{label} du projet « {application.project_title} » : les activités, les "
                "résultats attendus et le rôle de chaque partenaire sont décrits ici."
            )
    submitted_at = stage.opens_at + datetime.timedelta(days=rng.randint(10, 30))
    submission, _created = Submission.objects.update_or_create(
        application=application,
        stage=stage,
        defaults={"answers": answers, "submitted_at": submitted_at},
    )
    Application.objects.filter(pk=application.pk).update(stage_reached=2)
    ApplicationEvent.objects.create(
        application=application, at=submitted_at, action=f"Déposée : {stage.name}"
    )
    return submission


def load_demo(*, seed: int) -> None:
    """Create the demo calls and their applications; nothing when calls exist."""
    if Call.objects.exists():
        return
    rng = random.Random(seed + 9)
    now = timezone.now().replace(minute=0, second=0, microsecond=0)
    noon = now.replace(hour=11)  # 12 h 00 in Paris in winter, 13 h 00 in summer
    staff = _staff()
    day = datetime.timedelta(days=1)
    associations = OrganizationKind.objects.filter(
        slug__in=["association", "twinning-committee", "foundation", "ngo"]
    )
    region = Departement.objects.filter(
        code__in=["16", "17", "19", "23", "24", "33", "40", "47", "64", "79", "86", "87"]
    )
    with transaction.atomic():
        incubator = Call.objects.create(
            title="Incubateur ODD 2026",
            slug=INCUBATOR_SLUG,
            summary="Un accompagnement et jusqu'à 30 000 EUR pour les projets qui font "
            "avancer les objectifs de développement durable, ici et là-bas.",
            description="L'incubateur accompagne pendant un an des projets de solidarité "
            "internationale portés par des structures de Nouvelle-Aquitaine : formation, "
            "appui individuel, mise en réseau et subvention.\n\nDeux étapes : une note "
            "d'intention, puis, pour les structures invitées, un dossier complet.",
            rules="1. La structure a son siège en Nouvelle-Aquitaine.\n2. Le projet vise au "
            "moins un ODD.\n3. Le montant demandé ne dépasse pas 30 000 EUR ni 50 % du budget.\n"
            "4. Une seule candidature par structure.",
            budget=Decimal("180000"),
            max_amount_per_application=Decimal("30000"),
            status=Call.Status.CLOSED,
            is_published=True,
            created_by=staff,
        )
        incubator.eligible_departements.set(region)
        incubator.sdgs.set(SDG.objects.all())
        first = Stage.objects.create(
            call=incubator,
            number=1,
            name="Note d'intention",
            opens_at=noon - 120 * day,
            closes_at=noon - 60 * day,
            instructions="Présentez votre projet en quelques lignes.",
        )
        second = Stage.objects.create(
            call=incubator,
            number=2,
            name="Dossier complet",
            opens_at=noon - 45 * day,
            closes_at=noon - 14 * day,
            by_invitation=True,
            instructions="Le dossier complet détaille les activités, les partenaires et le budget.",
        )
        fields = _stage1_fields(first)
        _stage2_fields(second)
        applicants = _applicants(rng, NOTES_OF_INTENT)
        for index, organization in enumerate(applicants):
            submitted_at = first.opens_at + datetime.timedelta(
                days=rng.randint(20, 59), hours=rng.randint(0, 10)
            )
            _application(
                rng,
                incubator,
                first,
                fields,
                organization,
                index,
                submitted_at=submitted_at,
                status=Application.Status.SUBMITTED,
                eligible=index not in (7, 19),
            )

        micro = Call.objects.create(
            title="Fonds micro-projets 2027",
            slug=MICRO_SLUG,
            summary="Jusqu'à 5 000 EUR pour un premier projet de solidarité internationale.",
            description="Le fonds soutient les petites structures qui lancent ou consolident un "
            "projet avec un partenaire à l'étranger. Une seule étape, un dossier court.",
            rules="Structures associatives dont le siège est en Nouvelle-Aquitaine ; budget du "
            "projet inférieur à 20 000 EUR ; 5 000 EUR au plus.",
            budget=Decimal("40000"),
            max_amount_per_application=Decimal("5000"),
            status=Call.Status.OPEN,
            is_published=True,
            created_by=staff,
        )
        micro.eligible_kinds.set(associations)
        micro.eligible_departements.set(region)
        micro_stage = Stage.objects.create(
            call=micro,
            number=1,
            name="Dossier",
            opens_at=noon - 21 * day,
            closes_at=noon + 21 * day,
        )
        micro_fields = _stage1_fields(micro_stage)
        chosen = _applicants(
            rng, 5, exclude=[organization.pk for organization in applicants], kinds=associations
        )
        for index, organization in enumerate(chosen):
            submitted = index < 2
            application = _application(
                rng,
                micro,
                micro_stage,
                micro_fields,
                organization,
                NOTES_OF_INTENT + index,
                submitted_at=now - rng.randint(1, 10) * day if submitted else None,
                status=Application.Status.SUBMITTED if submitted else Application.Status.DRAFT,
            )
            application.amount_requested = Decimal(rng.randrange(2000, 5001, 250))
            application.save(update_fields=["amount_requested"])

        mobility = Call.objects.create(
            title="Fonds mobilité jeunesse 2025",
            slug=MOBILITY_SLUG,
            summary="Des bourses pour des projets de mobilité internationale des jeunes.",
            description="Le fonds a soutenu en 2025 des chantiers et échanges de jeunes.",
            budget=Decimal("25000"),
            max_amount_per_application=Decimal("4000"),
            status=Call.Status.ARCHIVED,
            is_published=True,
            created_by=staff,
        )
        mobility_stage = Stage.objects.create(
            call=mobility,
            number=1,
            name="Dossier",
            opens_at=noon - 400 * day,
            closes_at=noon - 340 * day,
        )
        mobility_fields = _stage1_fields(mobility_stage)
        taken = [organization.pk for organization in applicants + chosen]
        for index, organization in enumerate(_applicants(rng, 6, exclude=taken)):
            _application(
                rng,
                mobility,
                mobility_stage,
                mobility_fields,
                organization,
                index + 3,
                submitted_at=mobility_stage.opens_at + rng.randint(5, 55) * day,
                status=Application.Status.LAUREATE
                if index < 3
                else Application.Status.NOT_SELECTED,
            )
