"""Demo money: the pooled waste-management project under a ministry grant, in full (budget of
320,270 EUR, co-funding, two years of transactions, a reallocation of 11,850 EUR approved by the
ministry, a six-month extension, reporting obligations and a closed interim report), and simple
budgets for about ten other projects.

Runs after the projects demo (see `organizations.demo.load_app_demos`); creates the pooled
project itself when it is missing, so that it also loads alone. Dates follow today's date.
"""

import datetime
import random
from decimal import ROUND_HALF_UP, Decimal

from django.db import transaction
from django.utils import timezone

from observatoire.organizations.models import Organization
from observatoire.projects.models import Phase, Project, ProjectPartner
from observatoire.referentials.models import OrganizationKind

from . import services
from .models import (
    CENT,
    BudgetLine,
    FunderKind,
    Report,
    ReportingObligation,
    Transaction,
)

POOLED_SLUG = "gestion-mutualisee-dechets"
POOLED_TITLE = "Gestion mutualisée des déchets au Burkina Faso et au Togo"
MINISTRY = "Ministère de l'Europe et des Affaires étrangères (DAECT)"
LEAD = "Bordeaux Métropole"
FRENCH_PARTNERS = [
    "Ville de Bègles",
    "Ville de Pessac",
    "GrandAngoulême",
    "Grand Poitiers Communauté urbaine",
]
PARTNERS_ABROAD = ["Commune de Dédougou", "Commune d'Atakpamé"]
XOF_RATE = Decimal("0.00152449")
BUDGET_TOTAL = Decimal("320270.00")
REALLOCATED = Decimal("11850.00")
OTHER_PROJECTS = 10
D = Decimal


def ministry() -> Organization:
    """The ministry as a funder: found by name, created when the projects demo has not."""
    found = Organization.objects.filter(name=MINISTRY).first()
    if found is not None:
        return found
    from observatoire.organizations.services import organization_save

    return organization_save(
        organization=Organization(
            name=MINISTRY,
            acronym="MEAE",
            kind=OrganizationKind.objects.get(slug="public-agency"),
            status=Organization.Status.QUALIFIED,
            website="https://www.diplomatie.gouv.fr/",
            # Quai d'Orsay, Paris: outside the region's communes, so placed by hand.
            latitude=Decimal("48.86"),
            longitude=Decimal("2.31"),
            coordinates_overridden=True,
        )
    )


def _pooled_project(today: datetime.date) -> Project:
    project = Project.objects.filter(slug=POOLED_SLUG).first()
    if project is not None:
        return project
    project = Project.objects.create(
        title=POOLED_TITLE,
        slug=POOLED_SLUG,
        acronym="GMD",
        phase=Phase.IMPLEMENTATION,
        summary="Cinq collectivités de Nouvelle-Aquitaine et leurs partenaires au Burkina Faso "
        "et au Togo organisent la collecte et le tri des déchets ménagers.",
        planned_start=datetime.date(today.year - 1, 1, 1),
        planned_end=datetime.date(today.year, 12, 31),
        actual_start=datetime.date(today.year - 1, 1, 15),
    )
    by_name = {
        o.name: o
        for o in Organization.objects.filter(name__in=[LEAD, *FRENCH_PARTNERS, *PARTNERS_ABROAD])
    }
    if LEAD in by_name:
        ProjectPartner.objects.create(
            project=project, organization=by_name[LEAD], role=ProjectPartner.Role.LEAD
        )
    for name in [*FRENCH_PARTNERS, *PARTNERS_ABROAD]:
        if name in by_name:
            ProjectPartner.objects.create(
                project=project, organization=by_name[name], role=ProjectPartner.Role.PARTNER
            )
    return project


def _xof(eur: Decimal) -> Decimal:
    """The CFA franc amount worth `eur` at the rate the ministry uses."""
    return (eur / XOF_RATE).quantize(D("1"), ROUND_HALF_UP)


def _eur_of_xof(eur: Decimal) -> Decimal:
    return (_xof(eur) * XOF_RATE).quantize(CENT, ROUND_HALF_UP)


@transaction.atomic
def load_demo(*, seed: int, today: datetime.date | None = None, with_files: bool = True) -> None:
    today = today or timezone.localdate()
    rng = random.Random(seed)
    funder = ministry()
    project = _pooled_project(today)
    if not project.budget_versions.exists():
        _load_pooled(project, funder, rng, today, with_files=with_files)
    others = (
        Project.objects.exclude(pk=project.pk)
        .filter(budget_versions=None, partners__role=ProjectPartner.Role.LEAD)
        .exclude(phase=Phase.EMERGENCE)
        .order_by("pk")[:OTHER_PROJECTS]
    )
    for other in others:
        _load_simple(other, rng, today)


def _load_pooled(project, funder, rng, today, *, with_files: bool) -> None:
    partners = list(project.partners.select_related("organization"))
    lead = next((p for p in partners if p.role == ProjectPartner.Role.LEAD), None)
    french = [p for p in partners if p.organization.name in FRENCH_PARTNERS]
    abroad = [p for p in partners if p.organization.legal_form == Organization.LegalForm.FOREIGN]
    abroad = abroad or [p for p in partners if p.organization.name in PARTNERS_ABROAD]
    if not ProjectPartner.objects.filter(project=project, organization=funder).exists():
        ProjectPartner.objects.create(
            project=project, organization=funder, role=ProjectPartner.Role.FUNDER
        )
    year0, year1 = today.year - 1, today.year
    project.planned_start = project.planned_start or datetime.date(year0, 1, 1)
    project.planned_end = datetime.date(year1, 12, 31)
    project.save(update_fields=["planned_start", "planned_end", "updated_at"])
    abroad_1 = abroad[0] if abroad else None
    abroad_2 = abroad[1] if len(abroad) > 1 else abroad_1
    Category = BudgetLine.Category
    xof_lines = [
        (Category.EQUIPMENT, "Bacs et charrettes de pré-collecte", D("45000"), year0, abroad_1),
        (Category.TRAINING, "Formation des agents de collecte", D("18000"), year0, abroad_2),
    ]
    eur_lines = [
        (Category.STAFF, "Coordination du projet", D("30000"), year0, lead),
        (Category.STAFF, "Coordination du projet", D("30000"), year1, lead),
        (Category.TRAVEL, "Missions d'experts et d'élus", D("12500"), year0, lead),
        (Category.TRAVEL, "Missions d'experts et d'élus", D("12500"), year1, lead),
        (Category.EQUIPMENT, "Camion benne et conteneurs", D("38000"), year1, abroad_2),
        (Category.WORKS, "Centre de tri et de compostage", D("60000"), year1, abroad_1),
        (
            Category.SERVICES,
            "Étude de filière et assistance technique",
            D("20000"),
            year0,
            french[0] if french else lead,
        ),
        (Category.COMMUNICATION, "Capitalisation et restitution", D("9500"), year1, lead),
        (Category.EVALUATION, "Évaluation finale", D("12000"), year1, lead),
        (Category.OVERHEADS, "Frais de structure", D("18000"), None, lead),
    ]
    fixed = sum(_eur_of_xof(line[2]) for line in xof_lines) + sum(line[2] for line in eur_lines)
    operating = BUDGET_TOTAL - fixed  # the rest: 14,770 EUR give or take the conversion
    inputs = [
        services.LineInput(category, label, amount, year, partner)
        for category, label, amount, year, partner in eur_lines
    ]
    inputs += [
        services.LineInput(category, label, _xof(eur), year, partner, "XOF", XOF_RATE)
        for category, label, eur, year, partner in xof_lines
    ]
    inputs.append(
        services.LineInput(Category.OPERATING, "Fonctionnement local", operating, None, abroad_1)
    )
    services.budget_create(
        project=project,
        lines=inputs,
        adopted_on=datetime.date(year0 - 1, 12, 10),
        label="Budget initial (dossier DAECT)",
    )
    lines = list(project.budget_lines.all())

    def line(label, year=None):
        return next(x for x in lines if x.label == label and (year is None or x.year == year))

    # The ministry's grant, through its application, and the co-funding of the authorities.
    application = services.application_create(
        project=project,
        funder=funder,
        funder_kind=FunderKind.MINISTRY,
        call=f"Appel à projets généraliste {year0}-{year1 + 1} (DAECT)",
        amount_requested=D("160000"),
        deadline=datetime.date(year0 - 1, 10, 31),
        reference=f"DAECT-{year0}-GEN-0417",
    )
    services.application_status_change(
        application=application, status="submitted", on=datetime.date(year0 - 1, 10, 20)
    )
    services.application_status_change(
        application=application,
        status="granted",
        on=datetime.date(year0, 1, 22),
        amount_granted=D("160000"),
        max_share=D("50"),
    )
    shares = [(lead, FunderKind.OWN_FUNDS, D("70000"))] if lead else []
    rest = BUDGET_TOTAL - D("160000") - sum(share[2] for share in shares)
    amounts = [D("25000"), D("20000"), D("15000")]
    for partner, amount in zip(french, amounts, strict=False):
        kind = FunderKind.MUNICIPALITY
        shares.append((partner, kind, amount))
        rest -= amount
    if french and rest > 0:
        shares.append((french[-1], FunderKind.MUNICIPALITY, rest))
    for partner, kind, amount in shares:
        existing = project.fundings.filter(funder=partner.organization).first()
        services.funding_save(
            project=project,
            funder=partner.organization,
            funder_kind=kind,
            requested=amount + (existing.requested if existing else 0),
            granted=amount + (existing.granted or 0 if existing else 0),
        )

    # Two years of money: tranches received, spending on most lines.
    def record(kind, date, amount, **fields):
        if date > today:
            return
        services.transaction_record(project=project, kind=kind, date=date, amount=amount, **fields)

    record(
        "1",
        datetime.date(year0, 3, 12),
        D("80000"),
        funder=funder,
        description="Première tranche de la subvention DAECT",
        reference="VIR-DAECT-1",
    )
    record(
        "1",
        datetime.date(year1, 4, 8),
        D("48000"),
        funder=funder,
        description="Deuxième tranche de la subvention DAECT",
        reference="VIR-DAECT-2",
    )
    for partner, _kind, amount in shares:
        record(
            "1",
            datetime.date(year0, 2, rng.randint(1, 27)),
            (amount / 2).quantize(CENT),
            funder=partner.organization,
            partner=partner,
            description=f"Apport de {partner.organization.name} ({year0})",
        )
        record(
            "1",
            datetime.date(year1, 2, rng.randint(1, 27)),
            (amount / 2).quantize(CENT),
            funder=partner.organization,
            partner=partner,
            description=f"Apport de {partner.organization.name} ({year1})",
        )
    versions = services.budget_totals(project)
    spent_share = {
        year0: (D("0.80"), D("0.98")),
        year1: (D("0.35"), D("0.70")),
        None: (D("0.4"), D("0.6")),
    }
    for row in versions.lines:
        budget_line = row["line"]
        low, high = spent_share[budget_line.year]
        if budget_line.category == Category.SERVICES:
            low, high = D("0.50"), D("0.58")  # the study cost less: the reallocation's reason
        target = (row["eur"] * D(str(rng.uniform(float(low), float(high))))).quantize(CENT)
        pieces = rng.randint(2, 5)
        year = budget_line.year or year0
        for piece in range(pieces):
            month = 1 + (piece * 11) // pieces + rng.randint(0, 1)
            date = datetime.date(year, min(month, 12), rng.randint(1, 28))
            amount = (target / pieces).quantize(CENT)
            if budget_line.pk and row["amount"].currency == "XOF":
                record(
                    "4",
                    date,
                    _xof(amount),
                    currency="XOF",
                    rate_to_eur=XOF_RATE,
                    budget_line=budget_line,
                    partner=budget_line.partner,
                    description=f"{budget_line.label} — paiement {piece + 1}",
                    reference=f"OP-{year}-{rng.randint(100, 999)}",
                )
            else:
                record(
                    "4",
                    date,
                    amount,
                    budget_line=budget_line,
                    partner=budget_line.partner,
                    description=f"{budget_line.label} — facture {piece + 1}",
                    reference=f"F-{year}-{rng.randint(100, 999)}",
                )

    # The interim report, closed and sent; the next ones due.
    report = services.report_save(
        report=Report(
            project=project,
            title=f"Rapport intermédiaire {year0}",
            period_start=datetime.date(year0, 1, 1),
            period_end=datetime.date(year0, 12, 31),
            funder=funder,
            activities="Diagnostic des filières à Dédougou et Atakpamé ; 120 bacs et 12 "
            "charrettes livrés ; 34 agents formés ; deux missions croisées d'élus.",
            difficulties="Retard de dédouanement des bacs (trois mois) ; hausse du prix des "
            "billets d'avion.",
            next_steps="Construction du centre de tri ; campagne de sensibilisation ; "
            "réaffectation à soumettre au ministère.",
        )
    )
    services.report_produce(report, with_files=with_files, produced_on=datetime.date(year1, 2, 18))
    services.report_close(report, on=datetime.date(year1, 2, 20))
    # The reallocation: tickets dearer, expertise cheaper, the sorting centre larger.
    services.reallocation_apply(
        project=project,
        moves=[
            services.Move(
                line("Étude de filière et assistance technique"),
                line("Centre de tri et de compostage"),
                D("8000"),
            ),
            services.Move(
                line("Frais de structure"), line("Missions d'experts et d'élus", year1), D("3850")
            ),
        ],
        reason="L'étude de filière a coûté moins que prévu ; le centre de tri de Dédougou "
        "demande une dalle plus grande et les billets d'avion ont augmenté.",
        date=datetime.date(year1, 3, 3),
        approved_by=funder,
        approved_on=datetime.date(year1, 3, 27),
        approval_reference="Courrier DAECT du 27 mars",
    )
    # The six-month extension: the rainy season delayed the works.
    services.extension_record(
        project=project,
        requested_on=datetime.date(year1, 6, 12),
        new_end=datetime.date(year1 + 1, 6, 30),
        reason="La saison des pluies a retardé les travaux du centre de tri ; six mois de plus "
        "pour la mise en service et l'évaluation finale.",
        approved_by=funder,
        approved_on=datetime.date(year1, 7, 9),
    )

    interim = services.obligation_add(
        application=application,
        kind=ReportingObligation.Kind.BOTH,
        title=f"Rapport intermédiaire {year0}",
        period_start=datetime.date(year0, 1, 1),
        period_end=datetime.date(year0, 12, 31),
        due_on=datetime.date(year1, 2, 28),
    )
    services.obligation_mark_sent(
        obligation=interim, sent_on=datetime.date(year1, 2, 20), report=report
    )
    services.obligation_add(
        application=application,
        kind=ReportingObligation.Kind.FINANCIAL,
        title="Point financier d'étape (après réaffectation)",
        due_on=today + datetime.timedelta(days=10),
    )
    services.obligation_add(
        application=application,
        kind=ReportingObligation.Kind.BOTH,
        title="Rapport final",
        period_start=project.planned_start,
        period_end=datetime.date(year1 + 1, 6, 30),
        due_on=datetime.date(year1 + 1, 9, 30),
    )
    if french:
        partner = french[0]
        cofunding = services.application_create(
            project=project,
            funder=partner.organization,
            funder_kind=FunderKind.MUNICIPALITY,
            call="Fonds de coopération décentralisée",
            amount_requested=D("25000"),
        )
        services.application_status_change(
            application=cofunding, status="submitted", on=datetime.date(year0 - 1, 11, 5)
        )
        services.application_status_change(
            application=cofunding,
            status="granted",
            on=datetime.date(year0 - 1, 12, 15),
            amount_granted=project.fundings.get(funder=partner.organization).granted,
        )
        services.obligation_add(
            application=cofunding,
            kind=ReportingObligation.Kind.FINANCIAL,
            title=f"État des dépenses {year0} pour la délibération",
            due_on=today - datetime.timedelta(days=18),
        )


SIMPLE_LINES = [
    (BudgetLine.Category.STAFF, "Coordination"),
    (BudgetLine.Category.TRAVEL, "Missions"),
    (BudgetLine.Category.EQUIPMENT, "Matériel"),
    (BudgetLine.Category.TRAINING, "Formations"),
    (BudgetLine.Category.COMMUNICATION, "Communication"),
]


def _load_simple(project, rng, today) -> None:
    """A small budget, its funding and a few expenses, for a project of the demo."""
    partners = list(project.partners.select_related("organization"))
    lead = next(p for p in partners if p.role == ProjectPartner.Role.LEAD)
    year = (project.planned_start or today).year
    lines = [
        services.LineInput(category, label, D(rng.randrange(2000, 25000, 500)), year, lead)
        for category, label in rng.sample(SIMPLE_LINES, rng.randint(3, 5))
    ]
    services.budget_create(project=project, lines=lines, adopted_on=datetime.date(year, 1, 5))
    total = services.budget_total(project)
    funders = [p for p in partners if p.role == ProjectPartner.Role.FUNDER]
    own = (total * D(str(rng.choice(["0.2", "0.3", "0.5"])))).quantize(D("1"))
    services.funding_save(
        project=project,
        funder=lead.organization,
        funder_kind=FunderKind.OWN_FUNDS,
        requested=own,
        granted=own,
    )
    for partner in funders[:2]:
        amount = ((total - own) / max(1, len(funders[:2]))).quantize(D("1"))
        services.funding_save(
            project=project,
            funder=partner.organization,
            funder_kind=FunderKind.OTHER,
            requested=amount,
            granted=amount if rng.random() < 0.7 else None,
        )
    for budget_line in project.budget_lines.all():
        amount = budget_line.amounts.get().amount_eur
        date = datetime.date(year, rng.randint(2, 11), rng.randint(1, 28))
        if date <= today:
            services.transaction_record(
                project=project,
                kind=Transaction.Kind.EXPENDITURE,
                date=date,
                amount=(amount * D(str(rng.uniform(0.2, 0.9)))).quantize(CENT),
                budget_line=budget_line,
                partner=lead,
                description=budget_line.label,
            )
