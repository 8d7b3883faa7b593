"""Writes on calls and applications: atomic, recorded in the application's history, mails sent
after the commit."""

import zoneinfo
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from observatoire.core.text import unique_slug
from observatoire.organizations.models import Organization
from observatoire.referencing.services import referencing_request_submit

from . import notifications
from .models import Application, ApplicationEvent, Attachment, Call, FormField, Stage, Submission
from .rules import ATTACHMENT_TYPES, check_eligibility


class AlreadyApplied(Exception):
    """The organisation already has an application (not withdrawn) to this call."""

    def __init__(self, application: Application):
        super().__init__(application.pk)
        self.application = application


class DeadlinePassed(ValidationError):
    pass


def _record(application: Application, action: str, by=None) -> None:
    ApplicationEvent.objects.create(application=application, action=action, by=by)


def paris_moment(moment) -> dict:
    """The date and time of an aware datetime, as shown in Paris."""
    local = timezone.localtime(moment, zoneinfo.ZoneInfo(settings.TIME_ZONE))
    return {"date": date_format(local, "j F Y"), "time": local.strftime("%H h %M")}


# Staff: calls, stages and their forms.


@transaction.atomic
def call_save(*, call: Call, stages: list[dict], by, m2m: dict | None = None) -> Call:
    """Save a call with its one or two stages (dates aware, entered in Paris time)."""
    if not call.slug:
        call.slug = unique_slug(
            Call.objects.exclude(pk=call.pk), call.title, fallback="appel", max_length=200
        )
    if call.pk is None and by is not None:
        call.created_by = by
    call.full_clean()
    call.save()
    for name, values in (m2m or {}).items():
        getattr(call, name).set(values)
    numbers = []
    for data in stages:
        Stage.objects.update_or_create(
            call=call,
            number=data["number"],
            defaults={key: value for key, value in data.items() if key != "number"},
        )
        numbers.append(data["number"])
    # A second stage removed keeps its fields only while nobody has answered it.
    call.stages.exclude(number__in=numbers).filter(submissions__isnull=True).delete()
    return call


def call_set_published(*, call: Call, published: bool) -> Call:
    """Show or hide a call on the public pages; a draft call opens when published."""
    call.is_published = published
    if published and call.status == Call.Status.DRAFT:
        call.status = Call.Status.OPEN
    call.save(update_fields=["is_published", "status", "updated_at"])
    return call


@transaction.atomic
def form_field_save(*, field: FormField) -> FormField:
    """Add a field at the end of its stage's form, or save its changes."""
    if field.pk is None:
        last = field.stage.fields.aggregate(last=Max("order"))["last"]
        field.order = 0 if last is None else last + 1
    field.allowed_types = [t for t in field.allowed_types if t in ATTACHMENT_TYPES]
    field.full_clean()
    field.save()
    return field


@transaction.atomic
def form_field_move(*, field: FormField, offset: int) -> None:
    """Move a field up (-1) or down (+1) in its stage's form."""
    fields = list(field.stage.fields.select_for_update().order_by("order", "pk"))
    index = next(i for i, other in enumerate(fields) if other.pk == field.pk)
    target = index + offset
    if 0 <= target < len(fields):
        fields[index], fields[target] = fields[target], fields[index]
    for order, other in enumerate(fields):
        if other.order != order:
            other.order = order
            other.save(update_fields=["order"])


def form_field_delete(*, field: FormField) -> bool:
    """Remove a field nobody has answered yet; False when answers exist (the field stays)."""
    answered = (
        Submission.objects.filter(stage=field.stage, answers__has_key=str(field.pk)).exists()
        or field.attachments.exists()
    )
    if answered:
        return False
    field.delete()
    return True


# Applicants.


def _existing(call: Call, organization: Organization | None) -> Application | None:
    if organization is None:
        return None
    return Application.objects.active().filter(call=call, organization=organization).first()


@transaction.atomic
def application_start(
    *,
    call: Call,
    contact_name: str,
    contact_email: str,
    project_title: str,
    organization: Organization | None = None,
    new_organization: dict | None = None,
) -> Application:
    """A draft application, for a listed organisation or with a referencing request for an
    unknown one; the link to resume it is mailed. AlreadyApplied when the organisation has one."""
    stage = call.first_stage()
    if stage is None or not stage.is_open():
        raise ValidationError(_("This call does not accept applications now."))
    existing = _existing(call, organization)
    if existing is not None:
        raise AlreadyApplied(existing)
    referencing_request = None
    if new_organization is not None:
        data = {
            "name": new_organization["name"],
            "kind": new_organization["kind"],
            "postal_code": new_organization["postal_code"],
            "siren": new_organization.get("siren", ""),
            "rna": new_organization.get("rna", ""),
        }
        referencing_request = referencing_request_submit(
            data=data,
            contacts=[
                {
                    "first_name": new_organization["first_name"],
                    "last_name": new_organization["last_name"],
                    "email": contact_email,
                }
            ],
            requester_email=contact_email,
        )
    application = Application(
        call=call,
        organization=organization,
        referencing_request=referencing_request,
        contact_name=contact_name,
        contact_email=contact_email.strip().lower(),
        project_title=project_title,
    )
    application.full_clean(exclude=["token"])
    try:
        with transaction.atomic():
            application.save()
    except IntegrityError as error:
        # Two starts at once for the same organisation: the second finds the first.
        existing = _existing(call, organization)
        if existing is None:
            raise
        raise AlreadyApplied(existing) from error
    Submission.objects.create(application=application, stage=stage)
    _record(application, _("Draft started"))
    notifications.after_commit(notifications.send_resume_link, application_id=application.pk)
    return application


def application_resend_link(*, application: Application) -> None:
    """Mail the link to the application again, to its contact only."""
    notifications.after_commit(notifications.send_resume_link, application_id=application.pk)


def application_links_resend(*, call: Call, email: str) -> int:
    """Mail again the links of the applications of a call whose contact has this address.

    Only to that address: whoever types it learns nothing about the applications.
    """
    applications = Application.objects.active().filter(
        call=call, contact_email__iexact=email.strip()
    )
    for application in applications:
        application_resend_link(application=application)
    return len(applications)


def submission_for(*, application: Application, stage: Stage) -> Submission:
    submission, _created = Submission.objects.get_or_create(application=application, stage=stage)
    return submission


def _deadline_error(stage: Stage) -> ValidationError:
    moment = paris_moment(stage.closes_at)
    return DeadlinePassed(
        _("The deadline passed on %(date)s at %(time)s (Paris time).") % moment,
        code="deadline",
    )


def application_save(
    *,
    application: Application,
    stage: Stage,
    answers: dict,
    uploads: dict,
    amount: Decimal | None = None,
    project_title: str | None = None,
    submit: bool = False,
    now=None,
) -> Submission:
    """Keep the answers given (a draft), and submit them when asked while the stage is open.

    The answers of a draft are kept even when the deadline has passed (nothing typed is lost);
    a submitted application is only changed before the deadline. DeadlinePassed otherwise.
    """
    now = now or timezone.now()
    with transaction.atomic():
        submission, error = _save_and_submit(
            application=application,
            stage=stage,
            answers=answers,
            uploads=uploads,
            amount=amount,
            project_title=project_title,
            submit=submit,
            now=now,
        )
    # Raised once the draft is committed: a late or ineligible submission loses nothing.
    if error is not None:
        raise error
    return submission


def _save_and_submit(
    *, application, stage, answers, uploads, amount, project_title, submit, now
) -> tuple[Submission, ValidationError | None]:
    application = Application.objects.select_for_update().get(pk=application.pk)
    submission = submission_for(application=application, stage=stage)
    is_open = stage.is_open(now)
    if submission.submitted_at is not None and not is_open:
        raise _deadline_error(stage)
    if application.status == Application.Status.WITHDRAWN:
        raise ValidationError(_("This application was withdrawn."))
    submission.answers = {**submission.answers, **answers}
    submission.save()
    for form_field, upload in uploads.items():
        old = Attachment.objects.filter(submission=submission, field=form_field)
        for attachment in old:
            attachment.file.delete(save=False)
        old.delete()
        head_type = getattr(upload, "content_type", "") or ""
        Attachment.objects.create(
            submission=submission,
            field=form_field,
            file=upload,
            original_name=upload.name[:255],
            size=upload.size,
            content_type=head_type[:100],
        )
    fields = ["updated_at"]
    if amount is not None:
        application.amount_requested = amount
        fields.append("amount_requested")
    if project_title:
        application.project_title = project_title
        fields.append("project_title")
    application.save(update_fields=fields)
    if not submit:
        return submission, None
    if not is_open:
        return submission, _deadline_error(stage)
    verdict = check_eligibility(
        call=application.call,
        organization=application.organization,
        referencing_request=application.referencing_request,
        amount=application.amount_requested,
    )
    if verdict.blocking:
        return submission, ValidationError(verdict.blocking, code="ineligible")
    resubmitted = submission.submitted_at is not None
    submission.submitted_at = now
    submission.save(update_fields=["submitted_at", "updated_at"])
    application.is_eligible = verdict.eligible
    application.eligibility_notes = "\n".join(verdict.reasons)
    application.submitted_at = application.submitted_at or now
    if application.status == Application.Status.DRAFT:
        application.status = Application.Status.SUBMITTED
    application.stage_reached = max(application.stage_reached, stage.number)
    application.save(
        update_fields=[
            "is_eligible",
            "eligibility_notes",
            "submitted_at",
            "status",
            "stage_reached",
            "updated_at",
        ]
    )
    _record(
        application,
        (_("Updated: %(stage)s") if resubmitted else _("Submitted: %(stage)s"))
        % {"stage": stage.name},
    )
    notifications.after_commit(
        notifications.send_confirmation, application_id=application.pk, resubmitted=resubmitted
    )
    return submission, None


@transaction.atomic
def application_withdraw(*, application: Application, now=None) -> Application:
    """Withdraw an application; the organisation may apply again afterwards."""
    application = Application.objects.select_for_update().get(pk=application.pk)
    if application.status == Application.Status.WITHDRAWN:
        return application
    application.status = Application.Status.WITHDRAWN
    application.withdrawn_at = now or timezone.now()
    application.save(update_fields=["status", "withdrawn_at", "updated_at"])
    _record(application, _("Withdrawn by the applicant"))
    notifications.after_commit(notifications.send_withdrawal, application_id=application.pk)
    return application


@transaction.atomic
def application_set_eligibility(
    *, application: Application, is_eligible: bool, notes: str, by
) -> Application:
    """Staff's verdict on eligibility, with their note."""
    application.is_eligible = is_eligible
    application.eligibility_notes = notes
    application.save(update_fields=["is_eligible", "eligibility_notes", "updated_at"])
    _record(
        application,
        (_("Marked eligible") if is_eligible else _("Marked not eligible"))
        + (f" — {notes}" if notes else ""),
        by,
    )
    return application


@transaction.atomic
def application_invite(*, application: Application, by) -> Application:
    """Invite an application to the second stage and mail the link to it after the commit."""
    application = Application.objects.select_for_update().get(pk=application.pk)
    application.status = Application.Status.INVITED
    application.save(update_fields=["status", "updated_at"])
    _record(application, _("Invited to the second stage"), by)
    notifications.after_commit(notifications.send_invitation, application_id=application.pk)
    return application
