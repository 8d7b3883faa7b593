"""Writes of the follow-up: grants, agreements, schedules, payments, reports due and reminders,
the project built from a laureate's application and the laureates' community of practice.

Every write is atomic and validated; mail leaves after the commit.
"""

import datetime
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from observatoire.calls.models import Application
from observatoire.core.text import fold
from observatoire.groups.models import Group, GroupMember
from observatoire.organizations.models import Affiliation, Person
from observatoire.organizations.services import person_add_email, person_save
from observatoire.projects.models import Phase, Project, ProjectPartner
from observatoire.projects.services import project_save
from observatoire.referentials.models import Country
from observatoire.selection.models import Decision

from .models import MAX_DOCUMENT_MB, Grant, Instalment, Payment, ReportDue

ZERO = Decimal("0")
LAUREATE = "laureate"


def money_text(value: Decimal) -> str:
    """12 500,00 € as French readers write it."""
    text = f"{value:,.2f}".replace(",", "\u202f").replace(".", ",")
    return f"{text} €"


def granted_amount(application: Application) -> Decimal:
    """The amount the committee granted to a laureate (its latest decision), else asked."""
    decision = (
        Decision.objects.filter(application=application, outcome=Decision.Outcome.LAUREATE)
        .exclude(amount_granted=None)
        .order_by("-committee__held_on", "-pk")
        .first()
    )
    if decision is not None:
        return decision.amount_granted
    return application.amount_requested or ZERO


@transaction.atomic
def grant_open(*, application: Application, user=None) -> Grant:
    """The grant of a laureate, created at the amount granted the first time; idempotent."""
    if application.status != LAUREATE:
        raise ValidationError(_("Only a laureate's application has a follow-up."))
    grant, _created = Grant.objects.get_or_create(
        application=application,
        defaults={"amount": granted_amount(application), "created_by": user},
    )
    return grant


def check_document(upload) -> None:
    if upload and upload.size > MAX_DOCUMENT_MB * 1024 * 1024:
        raise ValidationError(
            _("The file is larger than %(limit)s MB.") % {"limit": MAX_DOCUMENT_MB}
        )


@transaction.atomic
def agreement_save(
    *, grant: Grant, reference: str, signed_on: datetime.date | None, agreement_file=None
) -> Grant:
    """Record the grant agreement: its reference, signature date and signed copy."""
    check_document(agreement_file)
    grant.reference = reference
    grant.signed_on = signed_on
    if agreement_file:
        grant.agreement_file = agreement_file
    grant.full_clean(exclude=["application", "project"])
    grant.save()
    return grant


def grant_totals(grant: Grant) -> dict:
    """Granted, scheduled, paid and left to pay, in EUR."""
    paid = grant.payments.aggregate(total=Sum("amount"))["total"] or ZERO
    scheduled = grant.instalments.aggregate(total=Sum("amount"))["total"] or ZERO
    return {
        "granted": grant.amount,
        "scheduled": scheduled,
        "paid": paid,
        "remaining": grant.amount - paid,
    }


@transaction.atomic
def instalment_add(
    *, grant: Grant, expected_on: datetime.date, amount: Decimal, condition: str = ""
) -> Instalment:
    """Add an instalment to the schedule; the schedule never exceeds the amount granted."""
    grant = Grant.objects.select_for_update().get(pk=grant.pk)
    if amount is None or amount <= 0:
        raise ValidationError({"amount": _("The amount must be above zero.")})
    scheduled = grant_totals(grant)["scheduled"]
    if scheduled + amount > grant.amount:
        raise ValidationError(
            {
                "amount": _(
                    "The schedule would exceed the amount granted: %(left)s are left to schedule."
                )
                % {"left": money_text(grant.amount - scheduled)}
            }
        )
    instalment = Instalment(
        grant=grant, expected_on=expected_on, amount=amount, condition=condition
    )
    instalment.full_clean()
    instalment.save()
    return instalment


@transaction.atomic
def payment_record(
    *,
    grant: Grant,
    paid_on: datetime.date,
    amount: Decimal,
    instalment: Instalment | None = None,
    note: str = "",
    user=None,
) -> Payment:
    """Record a payment to the laureate; one above what is left to pay is refused."""
    # Locked so that two payments recorded at once cannot both fit in the same remainder.
    grant = Grant.objects.select_for_update().get(pk=grant.pk)
    if amount is None or amount <= 0:
        raise ValidationError({"amount": _("The amount must be above zero.")})
    if instalment is not None and instalment.grant_id != grant.pk:
        raise ValidationError({"instalment": _("This instalment belongs to another grant.")})
    remaining = grant_totals(grant)["remaining"]
    if amount > remaining:
        raise ValidationError(
            {
                "amount": _("This payment is more than the amount left to pay (%(remaining)s).")
                % {"remaining": money_text(remaining)}
            }
        )
    payment = Payment(
        grant=grant,
        paid_on=paid_on,
        amount=amount,
        instalment=instalment,
        note=note,
        recorded_by=user,
    )
    payment.full_clean()
    payment.save()
    return payment


@transaction.atomic
def report_due_add(*, grant: Grant, kind: str, due_on: datetime.date) -> ReportDue:
    """A report the laureate owes by `due_on`."""
    report = ReportDue(grant=grant, kind=kind, due_on=due_on)
    report.full_clean()
    report.save()
    return report


@transaction.atomic
def report_receive(*, report: ReportDue, received_on: datetime.date, file=None) -> ReportDue:
    """The report came in (with its file): no more reminders for it."""
    check_document(file)
    report.received_on = received_on
    if file:
        report.file = file
    report.full_clean(exclude=["grant"])
    report.save()
    return report


# Reminders -----------------------------------------------------------------------------------


def reports_to_remind(*, today: datetime.date):
    """Reports not received whose due date is within the reminder window or past."""
    return (
        ReportDue.objects.filter(received_on__isnull=True)
        .filter(due_on__lte=today + datetime.timedelta(days=settings.REPORT_REMINDER_DAYS))
        .select_related("grant__application__call")
        .order_by("due_on", "pk")
    )


def report_reminders_send(*, today: datetime.date | None = None) -> int:
    """Once before each report is due, once when it is late; returns how many mails left."""
    from .notifications import send_report_reminder

    today = today or timezone.localdate()
    sent = 0
    for report in reports_to_remind(today=today):
        stage = "overdue" if report.due_on < today else "before"
        recipient = report.grant.application.contact_email
        if not recipient or any(entry.get("stage") == stage for entry in report.reminded_at):
            continue
        with transaction.atomic():
            # Claimed under a lock before sending: two sweeps never send the same reminder twice.
            locked = ReportDue.objects.select_for_update().get(pk=report.pk)
            if any(entry.get("stage") == stage for entry in locked.reminded_at):
                continue
            locked.reminded_at = [
                *locked.reminded_at,
                {"stage": stage, "at": timezone.now().isoformat()},
            ]
            locked.save(update_fields=["reminded_at", "updated_at"])
        send_report_reminder(report=report, stage=stage, recipients=[recipient])
        sent += 1
    return sent


# Project and community -----------------------------------------------------------------------


def _answers_text(application: Application) -> str:
    """The longest text answer of the latest submitted stage: the summary of the project."""
    submission = (
        application.submissions.exclude(submitted_at=None).order_by("-stage__number").first()
    )
    if submission is None:
        return ""
    texts = [
        value.strip()
        for value in (submission.answers or {}).values()
        if isinstance(value, str) and len(value.strip()) > 40
    ]
    return max(texts, key=len, default="")


def _answer_countries(application: Application) -> list[Country]:
    """Countries named by a short answer or a choice of the submitted stages (« Burkina Faso »)."""
    answers = []
    for submission in application.submissions.exclude(submitted_at=None):
        for value in (submission.answers or {}).values():
            values = value if isinstance(value, list) else [value]
            answers += [fold(item) for item in values if isinstance(item, str) and len(item) < 100]
    if not answers:
        return []
    wanted = set(answers)
    return [
        country
        for country in Country.objects.all()
        if fold(country.name_fr) in wanted or fold(country.name_en) in wanted
    ]


def contact_person(application: Application, *, user=None) -> Person | None:
    """The applicant's contact in the register: found by e-mail, else added to it.

    None when the application gives no address the register accepts (it checks addresses
    more strictly than some applicants type them): the organisation still takes part.
    """
    email = (application.contact_email or "").strip()
    try:
        validate_email(email)
    except ValidationError:
        return None
    person = (
        Person.objects.not_archived().filter(emails__address__iexact=email).order_by("pk").first()
    )
    if person is None:
        first, _space, last = (application.contact_name or email.split("@")[0]).partition(" ")
        person = person_save(
            person=Person(first_name=first[:100], last_name=(last or first)[:100]),
            changed_by=user,
            reason=_("Laureate of « %(call)s »") % {"call": application.call.title},
        )
        person_add_email(person=person, address=email, is_primary=True)
    if (
        application.organization_id
        and not Affiliation.objects.filter(
            person=person, organization=application.organization
        ).exists()
    ):
        Affiliation.objects.create(person=person, organization=application.organization)
    return person


@transaction.atomic
def project_create(*, grant: Grant, user=None) -> tuple[Project, bool]:
    """The project of a laureate, led by the applicant organisation; a second call returns it."""
    grant = Grant.objects.select_for_update().get(pk=grant.pk)
    if grant.project_id:
        return grant.project, False
    application = grant.application
    if application.organization_id is None:
        raise ValidationError(
            _(
                "Match the application to an organisation of the register before creating "
                "its project."
            )
        )
    text = _answers_text(application)
    started = grant.signed_on or timezone.localdate()
    project = Project(
        title=application.project_title[:255],
        summary=text[:500],
        description=text if len(text) > 500 else "",
        # In implementation from the agreement: it started then, for the usual two years.
        phase=Phase.IMPLEMENTATION,
        planned_start=started,
        actual_start=started,
        planned_end=started + datetime.timedelta(days=730),
        coordinator=user if user is not None and user.is_authenticated else None,
        origin_note=(_("Laureate of « %(call)s »") % {"call": application.call.title})[:255],
    )
    project = project_save(
        project=project,
        changed_by=user,
        lead=application.organization,
        reason=_("Created from a laureate's application"),
    )
    project.themes.set(application.call.themes.all())
    project.sdgs.set(application.call.sdgs.all())
    project.countries.set(_answer_countries(application))
    person = contact_person(application, user=user)
    if person is not None:
        lead = project.partners.get(role=ProjectPartner.Role.LEAD)
        lead.contacts.add(person)
    grant.project = project
    grant.save(update_fields=["project", "updated_at"])
    return project, True


def community_slug(call) -> str:
    return f"communaute-laureats-{call.slug}"[:200]


@transaction.atomic
def community_join(*, call, user=None, on: datetime.date | None = None) -> tuple[Group, int]:
    """The call's community-of-practice group with every laureate and its contact; idempotent.

    Returns the group and how many members were added this time.
    """
    on = on or timezone.localdate()
    group, created = Group.objects.get_or_create(
        slug=community_slug(call),
        defaults={
            "name": (_("Community of laureates — %(call)s") % {"call": call.title})[:200],
            "kind": Group.Kind.THEMATIC,
            "summary": (
                _("The laureates of « %(call)s » share their experience.") % {"call": call.title}
            )[:300],
            "lead": user if user is not None and user.is_authenticated else None,
        },
    )
    if created:
        group.themes.set(call.themes.all())
    added = 0
    laureates = call.applications.filter(status=LAUREATE).select_related("organization", "call")
    for application in laureates:
        members = []
        if application.organization_id:
            members.append({"organization": application.organization, "person": None})
        person = contact_person(application, user=user)
        if person is not None:
            members.append({"organization": None, "person": person})
        for member in members:
            current = GroupMember.objects.current(on).filter(group=group, **member)
            if not current.exists():
                GroupMember.objects.create(group=group, joined_on=on, **member)
                added += 1
    return group, added
