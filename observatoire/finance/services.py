"""The money of a project: budgets and their versions, reallocations and extensions, the funding
plan, transactions (recorded or imported), applications with their obligations, and reports.

Every write is atomic and checks its input with French messages (`ValidationError`); every
amount is a `Decimal`, every total is in EUR (each amount keeps the rate it was converted with).
"""

import datetime
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from observatoire.organizations.models import Organization
from observatoire.projects.models import Project, ProjectPartner

from .models import (
    CENT,
    EUR,
    BudgetAmount,
    BudgetLine,
    BudgetVersion,
    Extension,
    Funding,
    FundingApplication,
    Reallocation,
    ReallocationMove,
    Report,
    ReportingObligation,
    ReportVersion,
    Transaction,
)

ZERO = Decimal("0.00")
SPENDING_KINDS = (Transaction.Kind.EXPENDITURE, Transaction.Kind.DISBURSEMENT)


def to_eur(amount: Decimal, currency: str, rate_to_eur: Decimal | None) -> Decimal:
    """The EUR value of an amount; a currency other than EUR without its rate is refused."""
    currency = (currency or EUR).upper()
    if currency == EUR:
        return Decimal(amount).quantize(CENT)
    if not rate_to_eur:
        raise ValidationError(
            _("An amount in %(currency)s needs the rate used to convert it to euros.")
            % {"currency": currency}
        )
    return (Decimal(amount) * Decimal(rate_to_eur)).quantize(CENT, ROUND_HALF_UP)


def cents(value) -> Decimal:
    """An aggregated sum as an amount: SQLite returns sums of decimals with spurious digits."""
    return Decimal(value or 0).quantize(CENT, ROUND_HALF_UP)


def percent(part: Decimal, whole: Decimal) -> Decimal | None:
    if not whole:
        return None
    return (Decimal(part) * 100 / Decimal(whole)).quantize(Decimal("0.1"), ROUND_HALF_UP)


# Budget ---------------------------------------------------------------------------------------


@dataclass
class LineInput:
    category: str
    label: str
    amount: Decimal
    year: int | None = None
    partner: ProjectPartner | None = None
    currency: str = EUR
    rate_to_eur: Decimal | None = None


def current_version(project: Project) -> BudgetVersion | None:
    """The budget version in force: the last one adopted."""
    return project.budget_versions.order_by("-number").first()


def _check_partner(project: Project, partner: ProjectPartner | None) -> None:
    if partner is not None and partner.project_id != project.pk:
        raise ValidationError(_("This partner does not take part in this project."))


def _save_amount(*, version: BudgetVersion, line: BudgetLine, amount, currency, rate) -> None:
    currency = (currency or EUR).upper()
    if Decimal(amount) < 0:
        raise ValidationError(_("A budgeted amount cannot be negative."))
    to_eur(amount, currency, rate)  # refuses a currency without its rate, in French
    BudgetAmount(
        version=version, line=line, amount=amount, currency=currency, rate_to_eur=rate
    ).save()


@transaction.atomic
def budget_create(
    *,
    project: Project,
    lines: list[LineInput],
    adopted_on: datetime.date | None = None,
    label: str = "",
) -> BudgetVersion:
    """The original budget of a project, with its lines and their amounts."""
    if project.budget_versions.exists():
        raise ValidationError(_("This project already has a budget: add lines or reallocate."))
    version = BudgetVersion.objects.create(
        project=project,
        number=1,
        kind=BudgetVersion.Kind.ORIGINAL,
        label=label or _("Original budget"),
        adopted_on=adopted_on,
    )
    for position, line_input in enumerate(lines, start=1):
        _line_add(project=project, version=version, line_input=line_input, position=position)
    return version


def _line_add(
    *, project: Project, version: BudgetVersion, line_input: LineInput, position: int
) -> BudgetLine:
    _check_partner(project, line_input.partner)
    line = BudgetLine(
        project=project,
        category=line_input.category,
        label=line_input.label.strip(),
        year=line_input.year,
        partner=line_input.partner,
        position=position,
    )
    line.full_clean()
    line.save()
    _save_amount(
        version=version,
        line=line,
        amount=line_input.amount,
        currency=line_input.currency,
        rate=line_input.rate_to_eur,
    )
    return line


@transaction.atomic
def budget_line_add(*, project: Project, line_input: LineInput) -> BudgetLine:
    """A new line in the budget in force (the original budget is created with the first line)."""
    version = current_version(project)
    if version is None:
        version = budget_create(project=project, lines=[])
    position = (
        project.budget_lines.order_by("-position").values_list("position", flat=True).first() or 0
    ) + 1
    return _line_add(project=project, version=version, line_input=line_input, position=position)


@dataclass
class BudgetTotals:
    version: BudgetVersion | None
    lines: list[dict] = field(default_factory=list)
    by_category: list[tuple[str, Decimal]] = field(default_factory=list)
    by_year: list[tuple[int | None, Decimal]] = field(default_factory=list)
    by_partner: list[tuple[str, Decimal]] = field(default_factory=list)
    total: Decimal = ZERO


def budget_totals(project: Project, version: BudgetVersion | None = None) -> BudgetTotals:
    """The budget in EUR by line, category, year and partner (the version in force by default)."""
    version = version or current_version(project)
    totals = BudgetTotals(version=version)
    if version is None:
        return totals
    amounts = version.amounts.select_related("line", "line__partner__organization").order_by(
        "line__position", "line__pk"
    )
    categories: dict[str, Decimal] = defaultdict(Decimal)
    years: dict[int | None, Decimal] = defaultdict(Decimal)
    partners: dict[str, Decimal] = defaultdict(Decimal)
    category_labels = dict(BudgetLine.Category.choices)
    for amount in amounts:
        line = amount.line
        totals.lines.append({"line": line, "amount": amount, "eur": amount.amount_eur})
        categories[category_labels.get(line.category, line.category)] += amount.amount_eur
        years[line.year] += amount.amount_eur
        partner = str(line.partner.organization) if line.partner else _("Not assigned")
        partners[partner] += amount.amount_eur
        totals.total += amount.amount_eur
    totals.by_category = sorted(categories.items(), key=lambda item: -item[1])
    totals.by_year = sorted(years.items(), key=lambda item: (item[0] is None, item[0] or 0))
    totals.by_partner = sorted(partners.items(), key=lambda item: -item[1])
    return totals


def budget_total(project: Project) -> Decimal:
    version = current_version(project)
    if version is None:
        return ZERO
    return cents(version.amounts.aggregate(total=Sum("amount_eur"))["total"])


# Reallocations and extensions -----------------------------------------------------------------


@dataclass(frozen=True)
class Move:
    from_line: BudgetLine
    to_line: BudgetLine
    amount: Decimal


@transaction.atomic
def reallocation_apply(
    *,
    project: Project,
    moves: list[Move],
    reason: str,
    date: datetime.date,
    approved_by: Organization | None,
    approved_on: datetime.date | None,
    user=None,
    approval_reference: str = "",
) -> Reallocation:
    """Move amounts between lines with the funder's approval: a revised version, same total.

    A line stated in another currency that gains or loses money is restated in EUR in the revised
    version, so that the total stays exactly the same.
    """
    # Two reallocations at once would both number their version n + 1: one waits.
    Project.objects.select_for_update().filter(pk=project.pk).first()
    version = current_version(project)
    if version is None:
        raise ValidationError(_("The project has no budget to reallocate yet."))
    if not moves:
        raise ValidationError(_("Give at least one amount to move between two lines."))
    if not reason.strip():
        raise ValidationError(_("Give the reason of the reallocation."))
    if approved_by is None or approved_on is None:
        raise ValidationError(
            _("A reallocation is applied once the funder has approved it: give who and when.")
        )
    if approved_on < date:
        raise ValidationError(_("The approval cannot come before the request."))
    current = {a.line_id: a for a in version.amounts.select_related("line")}
    balance: dict[int, Decimal] = {line_id: a.amount_eur for line_id, a in current.items()}
    moved_out: dict[int, Decimal] = defaultdict(Decimal)
    errors = []
    for move in moves:
        amount = Decimal(move.amount)
        if move.from_line.project_id != project.pk or move.to_line.project_id != project.pk:
            errors.append(_("A line of another project cannot take part in this reallocation."))
            continue
        if move.from_line.pk == move.to_line.pk:
            errors.append(_("An amount moves between two different lines."))
            continue
        if amount <= 0:
            errors.append(_("An amount moved must be above zero."))
            continue
        moved_out[move.from_line.pk] += amount
        balance.setdefault(move.to_line.pk, ZERO)
        balance[move.from_line.pk] = balance.get(move.from_line.pk, ZERO) - amount
        balance[move.to_line.pk] += amount
    for line_id, out in moved_out.items():
        held = current[line_id].amount_eur if line_id in current else ZERO
        if out > held:
            line = (
                current[line_id].line if line_id in current else BudgetLine.objects.get(pk=line_id)
            )
            errors.append(
                _(
                    "The line “%(line)s” holds %(held)s EUR: %(moved)s EUR cannot be moved "
                    "out of it."
                )
                % {"line": line, "held": money_text(held), "moved": money_text(out)}
            )
    if errors:
        raise ValidationError(errors)
    revised = BudgetVersion.objects.create(
        project=project,
        number=version.number + 1,
        kind=BudgetVersion.Kind.REVISED,
        label=_("Revised budget after the reallocation of %(date)s")
        % {"date": date.strftime("%d/%m/%Y")},
        adopted_on=approved_on,
        note=reason,
    )
    touched = set(moved_out) | {move.to_line.pk for move in moves}
    new_amounts = []
    for line_id, eur in balance.items():
        previous = current.get(line_id)
        if previous is not None and line_id not in touched:
            amount, currency, rate = previous.amount, previous.currency, previous.rate_to_eur
        else:
            amount, currency, rate = eur, EUR, None
        new_amounts.append(
            BudgetAmount(
                version=revised,
                line_id=line_id,
                amount=amount,
                currency=currency,
                rate_to_eur=rate,
                amount_eur=previous.amount_eur if line_id not in touched else eur,
            )
        )
    BudgetAmount.objects.bulk_create(new_amounts)
    reallocation = Reallocation.objects.create(
        project=project,
        date=date,
        reason=reason,
        from_version=version,
        result=revised,
        approved_by=approved_by,
        approved_on=approved_on,
        approval_reference=approval_reference,
        recorded_by=user,
    )
    ReallocationMove.objects.bulk_create(
        ReallocationMove(
            reallocation=reallocation,
            from_line=move.from_line,
            to_line=move.to_line,
            amount=Decimal(move.amount),
        )
        for move in moves
    )
    return reallocation


def reallocation_share(reallocation: Reallocation) -> tuple[Decimal, Decimal | None]:
    """The amount moved and its share (%) of the budget it was moved in."""
    moved = cents(reallocation.moves.aggregate(total=Sum("amount"))["total"])
    total = cents(reallocation.from_version.amounts.aggregate(total=Sum("amount_eur"))["total"])
    return moved, percent(moved, total)


@transaction.atomic
def extension_record(
    *,
    project: Project,
    requested_on: datetime.date,
    new_end: datetime.date,
    reason: str,
    approved_by: Organization | None = None,
    approved_on: datetime.date | None = None,
) -> Extension:
    """A no-cost extension; once approved, the project's planned end moves to the new end."""
    previous_end = project.planned_end
    if previous_end is None:
        raise ValidationError(_("Give the project's planned end before recording an extension."))
    if new_end <= previous_end:
        raise ValidationError(
            _("The new end must come after the current end (%(end)s).")
            % {"end": previous_end.strftime("%d/%m/%Y")}
        )
    if approved_on is not None and approved_on < requested_on:
        raise ValidationError(_("The approval cannot come before the request."))
    if not reason.strip():
        raise ValidationError(_("Give the reason of the extension."))
    extension = Extension.objects.create(
        project=project,
        requested_on=requested_on,
        previous_end=previous_end,
        new_end=new_end,
        reason=reason,
        approved_by=approved_by,
        approved_on=approved_on,
    )
    if approved_on is not None:
        project.planned_end = new_end
        project.save(update_fields=["planned_end", "updated_at"])
    return extension


# Funding plan ---------------------------------------------------------------------------------


@transaction.atomic
def funding_save(
    *,
    project: Project,
    funder: Organization,
    funder_kind: str,
    requested: Decimal,
    granted: Decimal | None = None,
    max_share: Decimal | None = None,
    is_in_kind: bool = False,
    application: FundingApplication | None = None,
) -> Funding:
    """A funder's entry in the funding plan, created or updated (one per funder)."""
    if requested < 0 or (granted is not None and granted < 0):
        raise ValidationError(_("Amounts of the funding plan cannot be negative."))
    if max_share is not None and not (0 <= max_share <= 100):
        raise ValidationError(_("A share is a percentage between 0 and 100."))
    values = {
        "funder_kind": funder_kind,
        "requested": requested,
        "granted": granted,
        "max_share": max_share,
        "is_in_kind": is_in_kind,
    }
    if application is not None:
        values["application"] = application
    funding, _created = Funding.objects.update_or_create(
        project=project, funder=funder, defaults=values
    )
    return funding


@dataclass
class FundingPlan:
    rows: list[dict]
    budget: Decimal
    requested: Decimal
    granted: Decimal
    received: Decimal
    granted_share: Decimal | None
    lead_share: Decimal | None
    lead_amount: Decimal
    warnings: list[str]


def money_text(value: Decimal) -> str:
    """12 345,67 — French grouping, for the messages."""
    text = f"{Decimal(value):,.2f}"
    return text.replace(",", "\u202f").replace(".", ",")


def line_spending(project: Project) -> dict[int, Decimal]:
    """Spending (expenditure and disbursement transactions) in EUR, by budget line."""
    rows = (
        Transaction.objects.filter(project=project, kind__in=SPENDING_KINDS)
        .exclude(budget_line=None)
        .values("budget_line")
        .annotate(total=Sum("amount_eur"))
    )
    return {row["budget_line"]: cents(row["total"]) for row in rows}


def overspent_lines(project: Project, totals: BudgetTotals | None = None) -> list[dict]:
    totals = totals or budget_totals(project)
    spent = line_spending(project)
    return [
        {"line": row["line"], "budget": row["eur"], "spent": spent[row["line"].pk]}
        for row in totals.lines
        if spent.get(row["line"].pk, ZERO) > row["eur"]
    ]


def funding_plan(project: Project) -> FundingPlan:
    """Per funder: requested, granted, received and share of the budget; with the warnings."""
    totals = budget_totals(project)
    budget = totals.total
    received_by_funder = {
        row["funder"]: cents(row["total"])
        for row in Transaction.objects.filter(project=project, kind=Transaction.Kind.INCOMING_FUNDS)
        .exclude(funder=None)
        .values("funder")
        .annotate(total=Sum("amount_eur"))
    }
    lead = next(
        (p.organization_id for p in project.partners.all() if p.role == ProjectPartner.Role.LEAD),
        None,
    )
    rows, warnings = [], []
    requested = granted = received = lead_amount = ZERO
    for funding in project.fundings.select_related("funder").order_by("-granted", "-requested"):
        got = received_by_funder.get(funding.funder_id, ZERO)
        share = percent(funding.granted or ZERO, budget)
        # Compared unrounded: 50.04 % is above a 50 % ceiling even if shown as 50.0 %.
        over = bool(
            funding.max_share is not None
            and budget
            and (funding.granted or ZERO) * 100 > funding.max_share * budget
        )
        rows.append(
            {
                "funding": funding,
                "requested": funding.requested,
                "granted": funding.granted,
                "received": got,
                "share": share,
                "over_share": over,
                "is_lead": funding.funder_id == lead,
            }
        )
        if over:
            warnings.append(
                _("%(funder)s funds %(share)s %% of the budget, above its maximum of %(max)s %%.")
                % {"funder": funding.funder, "share": share, "max": funding.max_share}
            )
        requested += funding.requested
        granted += funding.granted or ZERO
        received += got
        if funding.funder_id == lead:
            lead_amount += funding.granted or ZERO
    if budget and granted > budget:
        warnings.append(
            _("The grants add up to %(granted)s EUR, more than the budget of %(budget)s EUR.")
            % {"granted": money_text(granted), "budget": money_text(budget)}
        )
    for row in overspent_lines(project, totals):
        warnings.append(
            _("The line “%(line)s” is overspent: %(spent)s EUR spent for %(budget)s EUR budgeted.")
            % {
                "line": row["line"],
                "spent": money_text(row["spent"]),
                "budget": money_text(row["budget"]),
            }
        )
    return FundingPlan(
        rows=rows,
        budget=budget,
        requested=requested,
        granted=granted,
        received=received,
        granted_share=percent(granted, budget),
        lead_share=percent(lead_amount, budget),
        lead_amount=lead_amount,
        warnings=warnings,
    )


# Transactions ---------------------------------------------------------------------------------


def _check_transaction(transaction_: Transaction) -> None:
    project_id = transaction_.project_id
    if transaction_.budget_line is not None and transaction_.budget_line.project_id != project_id:
        raise ValidationError(_("This budget line belongs to another project."))
    if transaction_.partner is not None and transaction_.partner.project_id != project_id:
        raise ValidationError(_("This partner does not take part in this project."))
    if transaction_.amount is None or transaction_.amount <= 0:
        raise ValidationError(_("The amount of a transaction must be above zero."))
    transaction_.currency = (transaction_.currency or EUR).upper()
    to_eur(transaction_.amount, transaction_.currency, transaction_.rate_to_eur)
    if transaction_.kind != Transaction.Kind.INCOMING_FUNDS:
        transaction_.funder = None
    transaction_.full_clean(exclude=["amount_eur", "project"])


@transaction.atomic
def transaction_record(
    *,
    project: Project,
    kind: str,
    date: datetime.date,
    amount: Decimal,
    currency: str = EUR,
    rate_to_eur: Decimal | None = None,
    budget_line: BudgetLine | None = None,
    partner: ProjectPartner | None = None,
    funder: Organization | None = None,
    description: str = "",
    reference: str = "",
    user=None,
) -> Transaction:
    """A money movement of the project, attached to a line and a partner of this project."""
    record = Transaction(
        project=project,
        kind=kind,
        date=date,
        amount=amount,
        currency=currency,
        rate_to_eur=rate_to_eur,
        budget_line=budget_line,
        partner=partner,
        funder=funder,
        description=description,
        reference=reference,
        created_by=user,
    )
    _check_transaction(record)
    record.save()
    return record


# Import of transactions -------------------------------------------------------------------------

IMPORT_COLUMNS = {
    "date": ("date",),
    "kind": ("type", "kind", "nature", "type de transaction", "code iati"),
    "amount": ("montant", "amount", "somme"),
    "currency": ("devise", "currency", "monnaie"),
    "rate": ("taux", "rate", "taux de change", "rate to eur", "taux eur"),
    "line": ("ligne", "line", "ligne budgétaire", "ligne de budget", "budget line", "poste"),
    "partner": ("partenaire", "partner"),
    "funder": ("bailleur", "funder", "financeur"),
    "description": ("description", "libellé", "libelle", "objet"),
    "reference": ("référence", "reference", "réf", "ref", "pièce", "n° de pièce"),
}
REQUIRED_COLUMNS = ("date", "kind", "amount")


def _plain(text: str) -> str:
    import unicodedata

    text = unicodedata.normalize("NFKD", text or "")
    return " ".join("".join(c for c in text if not unicodedata.combining(c)).lower().split())


def _kind_names() -> dict[str, str]:
    from django.utils.translation import override

    names: dict[str, str] = {}
    for value, label in Transaction.Kind.choices:
        names[_plain(value)] = value
        for language in ("fr", "en"):
            with override(language):
                names[_plain(str(label))] = value
    synonyms = {
        "depense": Transaction.Kind.EXPENDITURE,
        "depenses": Transaction.Kind.EXPENDITURE,
        "recette": Transaction.Kind.INCOMING_FUNDS,
        "versement recu": Transaction.Kind.INCOMING_FUNDS,
        "fonds recus": Transaction.Kind.INCOMING_FUNDS,
        "decaissement": Transaction.Kind.DISBURSEMENT,
        "engagement": Transaction.Kind.COMMITMENT,
    }
    names.update({key: value for key, value in synonyms.items() if key not in names})
    return names


def parse_decimal(text: str) -> Decimal:
    """1 234,56 / 1234.56 / 1.234,56 € / -12,5 — as people write them in French spreadsheets."""
    cleaned = (
        (text or "").replace("\u202f", "").replace("\xa0", "").replace(" ", "").replace("€", "")
    )
    cleaned = cleaned.removesuffix("EUR").strip()
    if "," in cleaned and "." in cleaned:
        if cleaned.rfind(",") > cleaned.rfind("."):
            cleaned = cleaned.replace(".", "").replace(",", ".")
        else:
            cleaned = cleaned.replace(",", "")
    else:
        cleaned = cleaned.replace(",", ".")
    try:
        value = Decimal(cleaned)
    except InvalidOperation as error:
        raise ValueError(text) from error
    if not value.is_finite():
        raise ValueError(text)
    return value


def parse_date(text: str) -> datetime.date:
    text = (text or "").strip()
    for pattern in (
        "%Y-%m-%d",
        "%d/%m/%Y",
        "%d/%m/%y",
        "%d-%m-%Y",
        "%d.%m.%Y",
        "%Y-%m-%d %H:%M:%S",
    ):
        try:
            return datetime.datetime.strptime(text, pattern).date()  # noqa: DTZ007 (a date)
        except ValueError:
            continue
    raise ValueError(text)


@dataclass
class ImportOutcome:
    saved: int = 0
    rows: int = 0
    errors: list[tuple[int, str]] = field(default_factory=list)
    file_error: str = ""

    @property
    def ok(self) -> bool:
        return not self.errors and not self.file_error


class _Lookup:
    """Lines, partners and funders of a project found by the names people write in a file."""

    def __init__(self, project: Project):
        self.lines: dict[str, list[BudgetLine]] = defaultdict(list)
        for line in project.budget_lines.all():
            for key in {_plain(line.label), _plain(str(line))}:
                self.lines[key].append(line)
            if line.year:
                self.lines[_plain(f"{line.label} {line.year}")].append(line)
        self.partners: dict[str, ProjectPartner] = {}
        for partner in project.partners.select_related("organization").order_by("role"):
            for key in (_plain(partner.organization.name), _plain(partner.organization.acronym)):
                # An organisation with several roles is found as its lead role first.
                if key and (key not in self.partners or partner.role == ProjectPartner.Role.LEAD):
                    self.partners[key] = partner
        self.funders: dict[str, Organization] = {}
        for partner in self.partners.values():
            self.funders.setdefault(_plain(partner.organization.name), partner.organization)
        for funding in project.fundings.select_related("funder"):
            self.funders[_plain(funding.funder.name)] = funding.funder
            if funding.funder.acronym:
                self.funders[_plain(funding.funder.acronym)] = funding.funder

    def line(self, text: str, date: datetime.date | None) -> BudgetLine:
        found = {line.pk: line for line in self.lines.get(_plain(text), [])}
        if len(found) > 1 and date is not None:
            same_year = {pk: line for pk, line in found.items() if line.year == date.year}
            found = same_year or found
        if not found:
            raise ValueError(_("unknown budget line “%(line)s”") % {"line": text})
        if len(found) > 1:
            raise ValueError(
                _("several budget lines are called “%(line)s”: add the year") % {"line": text}
            )
        return next(iter(found.values()))

    def partner(self, text: str) -> ProjectPartner:
        partner = self.partners.get(_plain(text))
        if partner is None:
            raise ValueError(_("“%(name)s” is not a partner of the project") % {"name": text})
        return partner

    def funder(self, text: str) -> Organization:
        funder = self.funders.get(_plain(text))
        if funder is None:
            funder = Organization.objects.filter(name__iexact=text.strip()).first()
        if funder is None:
            raise ValueError(_("unknown funder “%(name)s”") % {"name": text})
        return funder


def _column_index(headers: list[str]) -> dict[str, int]:
    wanted = {_plain(name): key for key, names in IMPORT_COLUMNS.items() for name in names}
    index = {}
    for position, header in enumerate(headers):
        key = wanted.get(_plain(header))
        if key and key not in index:
            index[key] = position
    return index


def transactions_import(*, project: Project, file, user=None) -> ImportOutcome:
    """Every row saved, or none: each rejected row comes back with its reason, in French."""
    from observatoire.imports import reading

    outcome = ImportOutcome()
    try:
        info = reading.detect(file)
        rows = reading.iter_rows(file, info)
        headers = next(rows, None) or []
        columns = _column_index(headers)
        missing = [key for key in REQUIRED_COLUMNS if key not in columns]
        if missing:
            names = ", ".join(IMPORT_COLUMNS[key][0] for key in missing)
            outcome.file_error = _("The first row must name the columns; missing: %(columns)s.") % {
                "columns": names
            }
            return outcome
        lookup = _Lookup(project)
        kinds = _kind_names()
        records = []
        for number, cells in enumerate(rows, start=2):
            outcome.rows += 1
            try:
                records.append(_transaction_from_row(project, cells, columns, lookup, kinds, user))
            except ValueError as error:
                outcome.errors.append((number, str(error)))
            except ValidationError as error:
                outcome.errors.append((number, " ".join(error.messages)))
    except reading.ReadError as error:
        outcome.file_error = str(error)
        return outcome
    if not outcome.rows:
        outcome.file_error = _("The file holds no transaction under its first row.")
    if outcome.ok:
        with transaction.atomic():
            for record in records:
                record.save()
        outcome.saved = len(records)
    return outcome


def _transaction_from_row(project, cells, columns, lookup, kinds, user) -> Transaction:
    def cell(key: str) -> str:
        position = columns.get(key)
        return cells[position].strip() if position is not None and position < len(cells) else ""

    problems = []
    try:
        date = parse_date(cell("date"))
    except ValueError:
        date = None
        problems.append(
            _("date “%(value)s” not understood (write 31/12/2025 or 2025-12-31)")
            % {"value": cell("date")}
        )
    kind = kinds.get(_plain(cell("kind")))
    if kind is None:
        problems.append(
            _(
                "type “%(value)s” unknown (1 incoming funds, 2 commitment, 3 disbursement, "
                "4 expenditure)"
            )
            % {"value": cell("kind")}
        )
    amount = rate = None
    try:
        amount = parse_decimal(cell("amount"))
        if amount <= 0:
            problems.append(_("the amount must be above zero"))
    except ValueError:
        problems.append(_("amount “%(value)s” is not a number") % {"value": cell("amount")})
    currency = (cell("currency") or EUR).upper()
    if len(currency) != 3 or not currency.isalpha():
        problems.append(_("currency “%(value)s” is not an ISO code") % {"value": currency})
    if cell("rate"):
        try:
            rate = parse_decimal(cell("rate"))
            if rate <= 0:
                raise ValueError
        except ValueError:
            problems.append(
                _("rate “%(value)s” is not a positive number") % {"value": cell("rate")}
            )
    elif currency != EUR:
        problems.append(
            _("an amount in %(currency)s needs its rate to EUR") % {"currency": currency}
        )
    line = partner = funder = None
    for key, find in (
        ("line", lambda text: lookup.line(text, date)),
        ("partner", lookup.partner),
        ("funder", lookup.funder),
    ):
        if cell(key):
            try:
                found = find(cell(key))
            except ValueError as error:
                problems.append(str(error))
                continue
            if key == "line":
                line = found
            elif key == "partner":
                partner = found
            else:
                funder = found
    if problems:
        raise ValueError("; ".join(problems))
    record = Transaction(
        project=project,
        kind=kind,
        date=date,
        amount=amount.quantize(CENT, ROUND_HALF_UP),
        currency=currency,
        rate_to_eur=rate if currency != EUR else None,
        budget_line=line,
        partner=partner,
        funder=funder,
        description=cell("description")[:300],
        reference=cell("reference")[:100],
        created_by=user,
    )
    _check_transaction(record)
    return record


# Funding applications and obligations ---------------------------------------------------------

ALLOWED_STATUS_CHANGES = {
    FundingApplication.Status.DRAFT: {
        FundingApplication.Status.SUBMITTED,
        FundingApplication.Status.WITHDRAWN,
    },
    FundingApplication.Status.SUBMITTED: {
        FundingApplication.Status.GRANTED,
        FundingApplication.Status.REFUSED,
        FundingApplication.Status.WITHDRAWN,
    },
    FundingApplication.Status.GRANTED: set(),
    FundingApplication.Status.REFUSED: set(),
    FundingApplication.Status.WITHDRAWN: set(),
}


@transaction.atomic
def application_create(*, project: Project, **fields) -> FundingApplication:
    """A new application to a funder, as a draft."""
    application = FundingApplication(
        project=project, status=FundingApplication.Status.DRAFT, **fields
    )
    application.full_clean()
    application.save()
    return application


@transaction.atomic
def application_status_change(
    *,
    application: FundingApplication,
    status: str,
    on: datetime.date,
    amount_granted: Decimal | None = None,
    max_share: Decimal | None = None,
) -> FundingApplication:
    """Draft → submitted → granted or refused; a grant enters the project's funding plan."""
    application = FundingApplication.objects.select_for_update().get(pk=application.pk)
    if status not in ALLOWED_STATUS_CHANGES.get(application.status, set()):
        raise ValidationError(
            _("An application “%(current)s” cannot become “%(new)s”.")
            % {
                "current": application.get_status_display(),
                "new": FundingApplication.Status(status).label,
            }
        )
    application.status = status
    if status == FundingApplication.Status.SUBMITTED:
        application.submitted_on = on
    elif status in (FundingApplication.Status.GRANTED, FundingApplication.Status.REFUSED):
        if application.submitted_on and on < application.submitted_on:
            raise ValidationError(_("The decision cannot come before the submission."))
        application.decided_on = on
    if status == FundingApplication.Status.GRANTED:
        if amount_granted is None or amount_granted <= 0:
            raise ValidationError(_("Give the amount granted."))
        application.amount_granted = amount_granted
    application.save()
    if status == FundingApplication.Status.GRANTED:
        existing = Funding.objects.filter(
            project=application.project, funder=application.funder
        ).first()
        funding_save(
            project=application.project,
            funder=application.funder,
            funder_kind=application.funder_kind,
            requested=application.amount_requested,
            granted=amount_granted,
            max_share=max_share if max_share is not None else getattr(existing, "max_share", None),
            application=application,
        )
    return application


@transaction.atomic
def obligation_add(
    *,
    application: FundingApplication,
    kind: str,
    title: str,
    due_on: datetime.date,
    period_start: datetime.date | None = None,
    period_end: datetime.date | None = None,
) -> ReportingObligation:
    if period_start and period_end and period_end < period_start:
        raise ValidationError(_("The period ends before it starts."))
    obligation = ReportingObligation(
        application=application,
        kind=kind,
        title=title,
        due_on=due_on,
        period_start=period_start,
        period_end=period_end,
    )
    obligation.full_clean()
    obligation.save()
    return obligation


@transaction.atomic
def obligation_mark_sent(
    *, obligation: ReportingObligation, sent_on: datetime.date, report: Report | None = None
) -> ReportingObligation:
    obligation.status = ReportingObligation.Status.SENT
    obligation.sent_on = sent_on
    if report is not None:
        obligation.report = report
    obligation.save(update_fields=["status", "sent_on", "report", "updated_at"])
    return obligation


def obligation_recipients(project: Project) -> list[str]:
    """Who hears of a report due: the person who follows the project and the lead's contacts."""
    addresses = []
    if project.coordinator_id and project.coordinator.email:
        addresses.append(project.coordinator.email)
    for partner in project.partners.filter(role=ProjectPartner.Role.LEAD).prefetch_related(
        "contacts__emails"
    ):
        for person in partner.contacts.all():
            if person.primary_email:
                addresses.append(person.primary_email)
    return list(dict.fromkeys(addresses))


def obligations_coming(*, projects, today: datetime.date, days: int = 60):
    """Reports still to send for `projects` (a queryset), late ones first: for work views."""
    return (
        ReportingObligation.objects.filter(
            application__project__in=projects,
            status=ReportingObligation.Status.DUE,
            due_on__lte=today + datetime.timedelta(days=days),
        )
        .select_related("application__project", "application__funder")
        .order_by("due_on", "pk")
    )


def obligations_due_reminder(*, today: datetime.date):
    days = settings.REPORT_REMINDER_DAYS
    return (
        ReportingObligation.objects.filter(status=ReportingObligation.Status.DUE)
        .filter(due_on__lte=today + datetime.timedelta(days=days))
        .select_related("application__project__coordinator", "application__funder")
        .order_by("due_on", "pk")
    )


def obligation_reminders_send(*, today: datetime.date | None = None) -> int:
    """Once before each report is due, once when it is late; returns how many mails left."""
    from .notifications import send_obligation_reminder

    today = today or timezone.localdate()
    sent = 0
    for obligation in obligations_due_reminder(today=today):
        stage = "overdue" if obligation.due_on < today else "before"
        if any(entry.get("stage") == stage for entry in obligation.reminded_at):
            continue
        recipients = obligation_recipients(obligation.application.project)
        if not recipients:
            continue
        with transaction.atomic():
            # Claimed under a lock before sending: two sweeps never send the same reminder twice.
            locked = ReportingObligation.objects.select_for_update().get(pk=obligation.pk)
            if any(entry.get("stage") == stage for entry in locked.reminded_at):
                continue
            locked.reminded_at = [
                *locked.reminded_at,
                {"stage": stage, "at": timezone.now().isoformat()},
            ]
            locked.save(update_fields=["reminded_at", "updated_at"])
        send_obligation_reminder(obligation=obligation, stage=stage, recipients=recipients)
        sent += 1
    return sent


# Reports --------------------------------------------------------------------------------------


def financial_statement(
    project: Project, period_start: datetime.date, period_end: datetime.date
) -> dict:
    """Planned (budget in force) against actual (spending in the period and to its end), by line
    and by funder, in EUR. The totals are the sums of the transactions themselves."""
    totals = budget_totals(project)
    in_period = Transaction.objects.filter(
        project=project, date__gte=period_start, date__lte=period_end
    )
    to_date = Transaction.objects.filter(project=project, date__lte=period_end)

    def by(queryset, key, kinds):
        return {
            row[key]: cents(row["total"])
            for row in queryset.filter(kind__in=kinds).values(key).annotate(total=Sum("amount_eur"))
        }

    spent_period = by(in_period, "budget_line", SPENDING_KINDS)
    spent_to_date = by(to_date, "budget_line", SPENDING_KINDS)
    lines = []
    for row in totals.lines:
        line = row["line"]
        actual = spent_period.pop(line.pk, ZERO)
        cumulative = spent_to_date.pop(line.pk, ZERO)
        lines.append(
            {
                "line": str(line),
                "category": line.get_category_display(),
                "planned": row["eur"],
                "actual": actual,
                "cumulative": cumulative,
                "rate": percent(cumulative, row["eur"]),
            }
        )
    # Spending on lines no longer in the budget, or on no line at all, still counts.
    leftover_period = sum(spent_period.values(), ZERO)
    leftover_to_date = sum(spent_to_date.values(), ZERO)
    if leftover_period or leftover_to_date:
        lines.append(
            {
                "line": _("Not attached to a budget line"),
                "category": "",
                "planned": ZERO,
                "actual": leftover_period,
                "cumulative": leftover_to_date,
                "rate": None,
            }
        )
    received_period = by(in_period, "funder", [Transaction.Kind.INCOMING_FUNDS])
    received_to_date = by(to_date, "funder", [Transaction.Kind.INCOMING_FUNDS])
    funders = []
    for funding in project.fundings.select_related("funder").order_by("-granted", "pk"):
        funders.append(
            {
                "funder": str(funding.funder),
                "granted": funding.granted or ZERO,
                "received": received_period.pop(funding.funder_id, ZERO),
                "cumulative": received_to_date.pop(funding.funder_id, ZERO),
            }
        )
    other_period = sum(received_period.values(), ZERO)
    other_to_date = sum(received_to_date.values(), ZERO)
    if other_period or other_to_date:
        funders.append(
            {
                "funder": _("Other receipts"),
                "granted": ZERO,
                "received": other_period,
                "cumulative": other_to_date,
            }
        )
    return {
        "period_start": period_start,
        "period_end": period_end,
        "budget_version": str(totals.version) if totals.version else "",
        "lines": lines,
        "funders": funders,
        "planned_total": totals.total,
        "actual_total": sum((row["actual"] for row in lines), ZERO),
        "cumulative_total": sum((row["cumulative"] for row in lines), ZERO),
        "granted_total": sum((row["granted"] for row in funders), ZERO),
        "received_total": sum((row["received"] for row in funders), ZERO),
        "received_cumulative": sum((row["cumulative"] for row in funders), ZERO),
    }


def indicator_values(project: Project, period_start, period_end) -> list[dict]:
    from observatoire.projects.models import IndicatorValue

    values = (
        IndicatorValue.objects.filter(indicator__result__objective__project=project)
        .filter(period_start__lte=period_end, period_end__gte=period_start)
        .select_related("indicator")
        .order_by("indicator__pk", "period_start")
    )
    return [
        {
            "indicator": value.indicator.name,
            "unit": value.indicator.unit,
            "baseline": value.indicator.baseline,
            "target": value.indicator.target,
            "value": value.value,
            "period": f"{value.period_start:%d/%m/%Y} – {value.period_end:%d/%m/%Y}",
            "comment": value.comment,
        }
        for value in values
    ]


def _check_report_period(report: Report) -> None:
    if report.period_end < report.period_start:
        raise ValidationError(_("The period ends before it starts."))
    overlapping = Report.objects.filter(
        project=report.project_id,
        status=Report.Status.CLOSED,
        period_start__lte=report.period_end,
        period_end__gte=report.period_start,
    ).exclude(pk=report.pk)
    overlapping = (
        overlapping.filter(funder=report.funder_id)
        if report.funder_id
        else overlapping.filter(funder=None)
    )
    closed = overlapping.first()
    if closed is not None:
        raise ValidationError(
            _(
                "The report “%(title)s” (%(start)s – %(end)s) is already closed for this "
                "period: choose a period after it."
            )
            % {
                "title": closed.title,
                "start": closed.period_start.strftime("%d/%m/%Y"),
                "end": closed.period_end.strftime("%d/%m/%Y"),
            }
        )


@transaction.atomic
def report_save(*, report: Report) -> Report:
    """A report created or changed while in draft; a period already closed is refused."""
    if report.pk and Report.objects.filter(pk=report.pk, status=Report.Status.CLOSED).exists():
        raise ValidationError(_("This report is closed: it can no longer change."))
    if not report.title.strip():
        raise ValidationError(_("Give the report a title."))
    _check_report_period(report)
    report.save()
    return report


def _jsonable(value):
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, (datetime.date, datetime.datetime)):
        return value.isoformat()
    if isinstance(value, dict):
        return {key: _jsonable(item) for key, item in value.items()}
    if isinstance(value, (list, tuple)):
        return [_jsonable(item) for item in value]
    return value


@transaction.atomic
def report_produce(
    report: Report,
    user=None,
    *,
    with_files: bool = True,
    produced_on: datetime.date | None = None,
) -> ReportVersion:
    """A new numbered version: figures and indicator values frozen, PDF and XLSX kept."""
    from django.core.files.base import ContentFile

    from .documents import report_pdf, report_xlsx

    report = (
        Report.objects.select_for_update(of=("self",))
        .select_related("project", "funder")
        .get(pk=report.pk)
    )
    if report.status == Report.Status.CLOSED:
        raise ValidationError(_("This report is closed: its last version is final."))
    _check_report_period(report)
    figures = {
        "statement": financial_statement(report.project, report.period_start, report.period_end),
        "indicators": indicator_values(report.project, report.period_start, report.period_end),
    }
    number = (report.versions.order_by("-number").values_list("number", flat=True).first() or 0) + 1
    version = ReportVersion(
        report=report, number=number, produced_by=user, figures=_jsonable(figures)
    )
    if with_files:
        stem = f"{report.project.slug}-rapport-{report.pk}-v{number}"
        version.pdf.save(
            f"{stem}.pdf",
            ContentFile(report_pdf(report, figures, number, produced_on=produced_on)),
            save=False,
        )
        version.xlsx.save(
            f"{stem}.xlsx", ContentFile(report_xlsx(report, figures, number)), save=False
        )
    version.save()
    if produced_on is not None:  # a version recorded afterwards, e.g. in the demo
        moment = datetime.datetime.combine(produced_on, datetime.time(10), tzinfo=datetime.UTC)
        ReportVersion.objects.filter(pk=version.pk).update(produced_at=moment)
    return version


@transaction.atomic
def report_close(report: Report, user=None, *, on: datetime.date | None = None) -> Report:
    """The report becomes final: its last version (produced now if none) is the one sent."""
    report = Report.objects.select_for_update().get(pk=report.pk)
    if report.status == Report.Status.CLOSED:
        raise ValidationError(_("This report is already closed."))
    _check_report_period(report)
    if not report.versions.exists():
        report_produce(report, user)
    report.status = Report.Status.CLOSED
    report.closed_on = on or timezone.localdate()
    report.save(update_fields=["status", "closed_on", "updated_at"])
    return report
