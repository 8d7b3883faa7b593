"""Staff pages of the follow-up (/espace/appels/suivi/): calls, their laureates, one laureate."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from observatoire.calls.models import Application, Call

from . import selectors, services
from .access import access_grants, can_edit_grants
from .forms import AgreementForm, InstalmentForm, PaymentForm, ReportDueForm, ReportReceivedForm
from .models import Grant


@login_required
def calls(request):
    access_grants(request.user)
    return render(request, "grants/calls.html", {"calls": selectors.calls_with_laureates()})


@login_required
def call(request, slug: str):
    access_grants(request.user)
    call = get_object_or_404(Call, slug=slug)
    return render(
        request,
        "grants/call.html",
        {
            "call": call,
            "laureates": selectors.laureates(call=call),
            "today": timezone.localdate(),
            "can_edit": can_edit_grants(request.user),
            "community_slug": services.community_slug(call),
        },
    )


@login_required
@require_POST
def community(request, slug: str):
    access_grants(request.user, write=True)
    call = get_object_or_404(Call, slug=slug)
    group, added = services.community_join(call=call, user=request.user)
    messages.success(
        request,
        _("« %(group)s »: %(count)s members added.") % {"group": group.name, "count": added},
    )
    return redirect("grants:call", slug=call.slug)


def _errors_to_form(form, error: ValidationError) -> None:
    if not hasattr(error, "error_dict"):
        form.add_error(None, error)
        return
    for field, errors in error.error_dict.items():
        form.add_error(field if field in form.fields else None, errors)


def _handle(request, grant: Grant, action: str, forms: dict) -> str | None:
    """Run the service of the posted form; the success message, or None with the form's errors."""
    data, files = request.POST, request.FILES
    if action == "agreement":
        form = forms["agreement"] = AgreementForm(data, files)
        if form.is_valid():
            services.agreement_save(grant=grant, **form.cleaned_data)
            return _("The agreement is saved.")
    elif action == "instalment":
        form = forms["instalment"] = InstalmentForm(data)
        if form.is_valid():
            services.instalment_add(grant=grant, **form.cleaned_data)
            return _("The instalment is added to the schedule.")
    elif action == "payment":
        form = forms["payment"] = PaymentForm(data, grant=grant)
        if form.is_valid():
            services.payment_record(grant=grant, user=request.user, **form.cleaned_data)
            return _("The payment is recorded.")
    elif action == "report":
        form = forms["report"] = ReportDueForm(data)
        if form.is_valid():
            services.report_due_add(grant=grant, **form.cleaned_data)
            return _("The report due is added.")
    elif action == "received":
        form = forms["received"] = ReportReceivedForm(data, files, grant=grant)
        if form.is_valid():
            services.report_receive(**form.cleaned_data)
            return _("The report is recorded as received.")
    return None


@login_required
def laureate(request, pk: int):
    """One laureate: agreement, schedule, payments, reports due, project; each form posts here."""
    access_grants(request.user)
    application = get_object_or_404(
        Application.objects.select_related("call", "organization"), pk=pk
    )
    grant = Grant.objects.filter(application=application).select_related("project").first()
    forms: dict = {}
    if request.method == "POST":
        access_grants(request.user, write=True)
        action = request.POST.get("action", "")
        try:
            if action == "open":
                services.grant_open(application=application, user=request.user)
                return redirect("grants:laureate", pk=pk)
            if grant is not None and action == "project":
                project, created = services.project_create(grant=grant, user=request.user)
                if created:
                    messages.success(request, _("The project is created."))
                return redirect("projects:detail", pk=project.pk)
            if grant is not None:
                message = _handle(request, grant, action, forms)
                if message:
                    messages.success(request, message)
                    return redirect("grants:laureate", pk=pk)
        except ValidationError as error:
            form = forms.get(action)
            if form is None:
                messages.error(request, " ".join(error.messages))
                return redirect("grants:laureate", pk=pk)
            _errors_to_form(form, error)
    context = {
        "application": application,
        "call": application.call,
        "grant": grant,
        "can_edit": can_edit_grants(request.user),
        "is_laureate": application.status == services.LAUREATE,
        "today": timezone.localdate(),
    }
    if grant is not None:
        context.update(
            totals=services.grant_totals(grant),
            instalments=grant.instalments.all(),
            payments=grant.payments.select_related("instalment"),
            reports=grant.reports.all(),
            agreement_form=forms.get("agreement")
            or AgreementForm(initial={"reference": grant.reference, "signed_on": grant.signed_on}),
            instalment_form=forms.get("instalment") or InstalmentForm(),
            payment_form=forms.get("payment") or PaymentForm(grant=grant),
            report_form=forms.get("report") or ReportDueForm(),
            received_form=forms.get("received") or ReportReceivedForm(grant=grant),
        )
    return render(request, "grants/laureate.html", context)
