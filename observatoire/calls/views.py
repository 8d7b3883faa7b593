"""Public pages of the calls (/appels/): the list, a call, and the applicant's flow."""

from decimal import Decimal

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from observatoire.core.antispam import client_address, rate_count, rate_hit
from observatoire.organizations.models import Organization

from . import selectors, services
from .forms import (
    ApplicantForm,
    LostLinkForm,
    NewOrganizationForm,
    OrganizationSearchForm,
    StageForm,
    WithdrawForm,
)
from .models import Application, Call, FormField
from .notifications import application_path
from .rules import check_eligibility
from .tokens import application_from_token

SUBMITTED = gettext_noop("Your application has been submitted; a confirmation was sent by e-mail.")
TO_CORRECT = gettext_noop(
    "Some answers need correcting (see below); the other answers are saved in your draft."
)
LINK_SENT = gettext_noop(
    "If an application to this call was started with this address, its link has been sent there."
)
WITHDRAWN = gettext_noop(
    "Your application is withdrawn. Your organisation may apply again while the call is open."
)


def call_list(request):
    return render(request, "calls/list.html", {"calls": selectors.public_calls()})


def _published_call(slug: str) -> Call:
    return get_object_or_404(Call.objects.published().prefetch_related("stages"), slug=slug)


def call_detail(request, slug: str):
    call = _published_call(slug)
    return render(
        request,
        "calls/detail.html",
        {
            "call": call,
            "stages": call.stages.order_by("number"),
            "phase": call.phase(),
            "first_open": call.first_stage() is not None and call.first_stage().is_open(),
        },
    )


def _closed(request, call: Call):
    messages.error(request, _("This call does not accept applications now."))
    return redirect(call.get_absolute_url())


def _already_applied(request, call: Call, application: Application):
    services.application_resend_link(application=application)
    messages.warning(
        request,
        _(
            "Your organisation has already applied to this call. We have sent the link to that "
            "application again to the contact person who started it."
        ),
    )
    return redirect(call.get_absolute_url())


def _started(request, application: Application):
    messages.success(
        request,
        _(
            "Your application is started. A link to come back to it has been sent to %(email)s; "
            "every save keeps your draft."
        )
        % {"email": application.contact_email},
    )
    return redirect(application_path(application))


def apply(request, slug: str):
    """Step 1: find the organisation in the register, then say who applies."""
    call = _published_call(slug)
    stage = call.first_stage()
    if stage is None or not stage.is_open() or call.status != Call.Status.OPEN:
        return _closed(request, call)
    organization = None
    chosen = request.POST.get("structure") or request.GET.get("structure")
    if chosen and chosen.isdigit():
        organization = Organization.objects.qualified().filter(pk=int(chosen)).first()
    if organization is None:
        search = OrganizationSearchForm(request.GET or None)
        results = None
        if search.is_valid() and search.cleaned_data["q"]:
            results = selectors.register_search(search.cleaned_data["q"])
        return render(
            request,
            "calls/apply_search.html",
            {"call": call, "search": search, "results": results},
        )
    form = ApplicantForm(request.POST or None)
    verdict = check_eligibility(call=call, organization=organization)
    if request.method == "POST" and form.is_valid():
        try:
            application = services.application_start(
                call=call, organization=organization, **form.cleaned_data
            )
        except services.AlreadyApplied as error:
            return _already_applied(request, call, error.application)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            return _started(request, application)
    return render(
        request,
        "calls/apply_contact.html",
        {"call": call, "organization": organization, "form": form, "verdict": verdict},
    )


def apply_new(request, slug: str):
    """Step 1 for an organisation the register does not list: a short referencing request."""
    call = _published_call(slug)
    stage = call.first_stage()
    if stage is None or not stage.is_open() or call.status != Call.Status.OPEN:
        return _closed(request, call)
    form = NewOrganizationForm(request.POST or None, initial={"name": request.GET.get("q", "")})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            application = services.application_start(
                call=call,
                contact_name=f"{data['first_name']} {data['last_name']}",
                contact_email=data["contact_email"],
                project_title=data["project_title"],
                new_organization=data,
            )
        except ValidationError as error:
            if hasattr(error, "error_dict"):
                for field, errors in error.error_dict.items():
                    form.add_error(field if field in form.fields else None, errors)
            else:
                form.add_error(None, error)
        else:
            return _started(request, application)
    return render(request, "calls/apply_new.html", {"call": call, "form": form})


# Links sent again per hour, per connection and per address.
LOST_LINK_LIMIT = 5


def lost_link(request, slug: str):
    """Send again the link of one's application, to the address given when applying only."""
    call = _published_call(slug)
    form = LostLinkForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        # A few requests an hour per connection and per address: the form must not be a way
        # to flood a contact with mail. Past the limit the answer is the same, nothing is sent.
        email = form.cleaned_data["email"].lower()
        keys = [f"calls:lost-link:{client_address(request)}", f"calls:lost-link:{email}"]
        if all(rate_count(key) < LOST_LINK_LIMIT for key in keys):
            for key in keys:
                rate_hit(key, 60 * 60)
            services.application_links_resend(call=call, email=email)
        messages.success(request, _(LINK_SENT))
        return redirect(call.get_absolute_url())
    return render(request, "calls/lost_link.html", {"call": call, "form": form})


def _invalid_link(request):
    return render(request, "calls/invalid_link.html", status=404)


def _stage_for(application: Application):
    """The stage the applicant works on: the second once invited to it, else the first."""
    stages = {stage.number: stage for stage in application.call.stages.all()}
    invited = application.status in (
        Application.Status.INVITED,
        Application.Status.FINALIST,
        Application.Status.LAUREATE,
    )
    if invited and 2 in stages:
        return stages[2]
    return stages.get(1)


def _amount_field(stage) -> FormField | None:
    return next(
        (field for field in stage.fields.all() if field.kind == FormField.Kind.AMOUNT), None
    )


def application(request, token: str):
    """The applicant's page: the form of the stage, saved as a draft or submitted."""
    application = application_from_token(token)
    if application is None:
        return _invalid_link(request)
    stage = _stage_for(application)
    if stage is None:
        raise Http404
    submission = services.submission_for(application=application, stage=stage)
    attachments = {attachment.field_id: attachment for attachment in submission.attachments.all()}
    withdrawn = application.status == Application.Status.WITHDRAWN
    is_open = stage.is_open()
    editable = not withdrawn and (is_open or submission.submitted_at is None)
    submit = "submit" in request.POST
    form = StageForm(
        request.POST or None,
        request.FILES or None,
        stage=stage,
        answers=submission.answers,
        attachments=attachments,
        for_submission=submit,
    )
    if request.method == "POST" and not editable:
        messages.error(request, _("This application can no longer be changed."))
    elif request.method == "POST":
        form.is_valid()
        amount_field = _amount_field(stage)
        answers = form.answers()
        amount = None
        if amount_field is not None and str(amount_field.pk) in answers:
            amount = Decimal(answers[str(amount_field.pk)])
        try:
            services.application_save(
                application=application,
                stage=stage,
                answers=answers,
                uploads=form.uploads(),
                amount=amount,
                submit=submit and not form.errors,
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            if not form.errors:
                if submit:
                    was = submission.submitted_at is not None
                    messages.success(
                        request,
                        _("Your application has been updated; a confirmation was sent by e-mail.")
                        if was
                        else _(SUBMITTED),
                    )
                else:
                    messages.success(request, _("Your draft is saved."))
                return redirect(request.path)
            messages.error(
                request,
                _(TO_CORRECT),
            )
    submission.refresh_from_db()
    verdict = check_eligibility(
        call=application.call,
        organization=application.organization,
        referencing_request=application.referencing_request,
        amount=application.amount_requested,
    )
    previous = None
    if stage.number == 2:
        first = application.submissions.filter(stage__number=1).first()
        previous = selectors.submission_summary(submission=first) if first else None
    return render(
        request,
        "calls/application.html",
        {
            "application": application,
            "call": application.call,
            "stage": stage,
            "submission": submission,
            "form": form,
            "editable": editable,
            "is_open": is_open,
            "withdrawn": withdrawn,
            "verdict": verdict,
            "previous": previous,
            "token": token,
        },
    )


def withdraw(request, token: str):
    application = application_from_token(token)
    if application is None:
        return _invalid_link(request)
    form = WithdrawForm(request.POST or None)
    if application.status == Application.Status.WITHDRAWN:
        return redirect(application_path(application))
    if request.method == "POST" and form.is_valid():
        services.application_withdraw(application=application)
        messages.success(
            request,
            _(WITHDRAWN),
        )
        return redirect(application_path(application))
    return render(
        request, "calls/withdraw.html", {"application": application, "form": form, "token": token}
    )
