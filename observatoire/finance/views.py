"""The finance tabs of a project in the workspace: budget, funding plan, transactions,
applications and reports. Everyone who may read the project reads them; those who may edit it
act. A form refused comes back filled in, with the reason."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Prefetch, ProtectedError
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from observatoire.projects.access import access_project
from observatoire.projects.context import project_page_context

from . import services
from .forms import (
    ApplicationForm,
    BudgetLineForm,
    ExtensionForm,
    FundingForm,
    ImportForm,
    MoveFormSet,
    ObligationForm,
    ReallocationForm,
    ReportForm,
    SentForm,
    StatusForm,
    TransactionForm,
)
from .models import (
    FundingApplication,
    Reallocation,
    Report,
    ReportingObligation,
    ReportVersion,
    Transaction,
)

TRANSACTIONS_PER_PAGE = 200


def _project(request, pk):
    """The project, readable by the user; for a POST, editable by them."""
    return access_project(request.user, pk, write=request.method == "POST")


def _refused(form, error: ValidationError) -> None:
    for message in error.messages:
        form.add_error(None, message)


def _action(request) -> str:
    return request.POST.get("action", "") if request.method == "POST" else ""


# Budget ----------------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def budget(request, pk):
    project = _project(request, pk)
    action = _action(request)
    data = request.POST if action else None
    line_form = BudgetLineForm(data if action == "line" else None, project=project, prefix="line")
    moves = MoveFormSet(
        data if action == "reallocation" else None,
        form_kwargs={"project": project},
        prefix="moves",
    )
    reallocation_form = ReallocationForm(
        data if action == "reallocation" else None, project=project, prefix="reallocation"
    )
    extension_form = ExtensionForm(
        data if action == "extension" else None, project=project, prefix="extension"
    )
    if action == "line" and line_form.is_valid():
        cleaned = line_form.cleaned_data
        try:
            services.budget_line_add(
                project=project,
                line_input=services.LineInput(
                    category=cleaned["category"],
                    label=cleaned["label"],
                    amount=cleaned["amount"],
                    year=cleaned["year"],
                    partner=cleaned["partner"],
                    currency=cleaned["currency"],
                    rate_to_eur=cleaned["rate_to_eur"],
                ),
            )
        except ValidationError as error:
            _refused(line_form, error)
        else:
            messages.success(request, _("The line is added to the budget."))
            return redirect("finance:budget", pk=project.pk)
    if action == "reallocation" and reallocation_form.is_valid() and moves.is_valid():
        cleaned = reallocation_form.cleaned_data
        try:
            reallocation = services.reallocation_apply(
                project=project,
                moves=[
                    services.Move(m["from_line"], m["to_line"], m["amount"])
                    for m in moves.cleaned_data
                    if m
                ],
                reason=cleaned["reason"],
                date=cleaned["date"],
                approved_by=cleaned["approved_by"],
                approved_on=cleaned["approved_on"],
                approval_reference=cleaned["approval_reference"],
                user=request.user,
            )
        except ValidationError as error:
            _refused(reallocation_form, error)
        else:
            moved, share = services.reallocation_share(reallocation)
            messages.success(
                request,
                _("Reallocation recorded: %(amount)s EUR moved (%(share)s %% of the budget).")
                % {"amount": services.money_text(moved), "share": share},
            )
            return redirect("finance:budget", pk=project.pk)
    if action == "extension" and extension_form.is_valid():
        cleaned = extension_form.cleaned_data
        try:
            services.extension_record(project=project, **cleaned)
        except ValidationError as error:
            _refused(extension_form, error)
        else:
            messages.success(request, _("The extension is recorded."))
            return redirect("finance:budget", pk=project.pk)
    totals = services.budget_totals(project)
    spent = services.line_spending(project)
    for row in totals.lines:
        row["spent"] = spent.get(row["line"].pk, services.ZERO)
        row["overspent"] = row["spent"] > row["eur"]
    reallocations = [
        (reallocation, *services.reallocation_share(reallocation))
        for reallocation in Reallocation.objects.filter(project=project)
        .select_related("approved_by", "result")
        .prefetch_related("moves__from_line", "moves__to_line")
    ]
    return render(
        request,
        "finance/workspace/budget.html",
        project_page_context(
            request,
            project,
            "budget",
            totals=totals,
            versions=project.budget_versions.all(),
            reallocations=reallocations,
            extensions=project.extensions.select_related("approved_by"),
            line_form=line_form,
            moves=moves,
            reallocation_form=reallocation_form,
            extension_form=extension_form,
        ),
    )


# Funding plan ----------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def funding(request, pk):
    project = _project(request, pk)
    action = _action(request)
    form = FundingForm(request.POST if action == "funding" else None, project=project)
    if action == "funding" and form.is_valid():
        try:
            services.funding_save(project=project, **form.cleaned_data)
        except ValidationError as error:
            _refused(form, error)
        else:
            messages.success(request, _("The funding plan is updated."))
            return redirect("finance:funding", pk=project.pk)
    return render(
        request,
        "finance/workspace/funding.html",
        project_page_context(
            request, project, "funding", plan=services.funding_plan(project), form=form
        ),
    )


# Transactions ----------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def transactions(request, pk):
    project = _project(request, pk)
    action = _action(request)
    form = TransactionForm(
        request.POST if action == "record" else None, project=project, prefix="record"
    )
    import_form = ImportForm(
        request.POST if action == "import" else None,
        request.FILES if action == "import" else None,
        prefix="import",
    )
    outcome = None
    if action == "record" and form.is_valid():
        try:
            record = services.transaction_record(
                project=project, user=request.user, **form.cleaned_data
            )
        except ValidationError as error:
            _refused(form, error)
        else:
            messages.success(request, _("The transaction is recorded."))
            if record.budget_line_id:
                for row in services.overspent_lines(project):
                    if row["line"].pk == record.budget_line_id:
                        messages.warning(
                            request,
                            _(
                                "The line “%(line)s” is now overspent: %(spent)s EUR for "
                                "%(budget)s EUR."
                            )
                            % {
                                "line": row["line"],
                                "spent": services.money_text(row["spent"]),
                                "budget": services.money_text(row["budget"]),
                            },
                        )
            return redirect("finance:transactions", pk=project.pk)
    if action == "import" and import_form.is_valid():
        outcome = services.transactions_import(
            project=project, file=import_form.cleaned_data["file"], user=request.user
        )
        if outcome.ok:
            messages.success(
                request, _("%(count)s transactions imported.") % {"count": outcome.saved}
            )
            return redirect("finance:transactions", pk=project.pk)
    rows = (
        Transaction.objects.filter(project=project)
        .select_related("budget_line", "partner__organization", "funder")
        .order_by("-date", "-pk")
    )
    return render(
        request,
        "finance/workspace/transactions.html",
        project_page_context(
            request,
            project,
            "transactions",
            transactions=rows[:TRANSACTIONS_PER_PAGE],
            count=rows.count(),
            form=form,
            import_form=import_form,
            outcome=outcome,
        ),
        status=400 if outcome is not None and not outcome.ok else 200,
    )


@login_required
@require_http_methods(["POST"])
def transaction_delete(request, pk, transaction_pk):
    project = _project(request, pk)
    record = get_object_or_404(Transaction, pk=transaction_pk, project=project)
    try:
        record.delete()
    except ProtectedError:
        messages.error(request, _("This transaction is referred to elsewhere: it is kept."))
    else:
        messages.success(request, _("The transaction is deleted."))
    return redirect("finance:transactions", pk=project.pk)


# Applications and obligations ------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def applications(request, pk):
    project = _project(request, pk)
    action = _action(request)
    target = request.POST.get("target", "") if action else ""
    form = ApplicationForm(
        request.POST if action == "application" else None, project=project, prefix="application"
    )
    bound: dict[str, object] = {}
    if action == "application" and form.is_valid():
        services.application_create(project=project, **form.cleaned_data)
        messages.success(request, _("The application is recorded as a draft."))
        return redirect("finance:applications", pk=project.pk)
    if action in ("status", "obligation", "sent"):
        if not target.isdigit():
            raise Http404
        if action == "sent":
            obligation = get_object_or_404(
                ReportingObligation, pk=target, application__project=project
            )
            sent = SentForm(request.POST, prefix=f"sent-{obligation.pk}")
            if sent.is_valid():
                services.obligation_mark_sent(
                    obligation=obligation, sent_on=sent.cleaned_data["sent_on"]
                )
                messages.success(request, _("The report is marked as sent."))
                return redirect("finance:applications", pk=project.pk)
            bound[f"sent-{obligation.pk}"] = sent
        else:
            application = get_object_or_404(FundingApplication, pk=target, project=project)
            if action == "status":
                status_form = StatusForm(request.POST, prefix=f"status-{application.pk}")
                if status_form.is_valid():
                    try:
                        services.application_status_change(
                            application=application, **status_form.cleaned_data
                        )
                    except ValidationError as error:
                        _refused(status_form, error)
                    else:
                        messages.success(request, _("The status of the application is changed."))
                        return redirect("finance:applications", pk=project.pk)
                bound[f"status-{application.pk}"] = status_form
            else:
                obligation_form = ObligationForm(
                    request.POST, prefix=f"obligation-{application.pk}"
                )
                if obligation_form.is_valid():
                    try:
                        services.obligation_add(
                            application=application, **obligation_form.cleaned_data
                        )
                    except ValidationError as error:
                        _refused(obligation_form, error)
                    else:
                        messages.success(request, _("The reporting obligation is added."))
                        return redirect("finance:applications", pk=project.pk)
                bound[f"obligation-{application.pk}"] = obligation_form
    rows = []
    for application in (
        FundingApplication.objects.filter(project=project)
        .select_related("funder")
        .prefetch_related(
            Prefetch("obligations", queryset=ReportingObligation.objects.select_related("report"))
        )
    ):
        obligations = [
            (o, bound.get(f"sent-{o.pk}") or SentForm(prefix=f"sent-{o.pk}"))
            for o in application.obligations.all()
        ]
        rows.append(
            {
                "application": application,
                "obligations": obligations,
                "status_form": bound.get(f"status-{application.pk}")
                or StatusForm(prefix=f"status-{application.pk}"),
                "obligation_form": bound.get(f"obligation-{application.pk}")
                or ObligationForm(prefix=f"obligation-{application.pk}"),
            }
        )
    return render(
        request,
        "finance/workspace/applications.html",
        project_page_context(request, project, "applications", rows=rows, form=form),
        status=400 if bound else 200,
    )


# Reports ---------------------------------------------------------------------------------------


def _report_form_save(form):
    if not form.is_valid():
        return None
    try:
        return services.report_save(report=form.save(commit=False))
    except ValidationError as error:
        _refused(form, error)
        return None


@login_required
@require_http_methods(["GET", "POST"])
def reports(request, pk):
    project = _project(request, pk)
    action = _action(request)
    form = ReportForm(request.POST if action == "report" else None, project=project)
    if action == "report":
        report = _report_form_save(form)
        if report is not None:
            messages.success(request, _("The report is created."))
            return redirect("finance:report", pk=project.pk, report_pk=report.pk)
    rows = (
        Report.objects.filter(project=project).select_related("funder").prefetch_related("versions")
    )
    return render(
        request,
        "finance/workspace/reports.html",
        project_page_context(request, project, "reports", reports=rows, form=form),
    )


@login_required
@require_http_methods(["GET", "POST"])
def report(request, pk, report_pk):
    project = _project(request, pk)
    report = get_object_or_404(
        Report.objects.select_related("funder"), pk=report_pk, project=project
    )
    action = _action(request)
    form = ReportForm(request.POST if action == "edit" else None, instance=report, project=project)
    if action == "edit" and report.status == Report.Status.CLOSED:
        messages.error(request, _("This report is closed: it can no longer change."))
        return redirect("finance:report", pk=project.pk, report_pk=report.pk)
    if action == "edit":
        if _report_form_save(form) is not None:
            messages.success(request, _("The report is saved."))
            return redirect("finance:report", pk=project.pk, report_pk=report.pk)
        report.refresh_from_db()
    elif action in ("produce", "close"):
        try:
            if action == "produce":
                version = services.report_produce(report, request.user)
                messages.success(
                    request, _("Version %(number)s is produced.") % {"number": version.number}
                )
            else:
                services.report_close(report, request.user)
                messages.success(request, _("The report is closed."))
        except ValidationError as error:
            for message in error.messages:
                messages.error(request, message)
        return redirect("finance:report", pk=project.pk, report_pk=report.pk)
    return render(
        request,
        "finance/workspace/report.html",
        project_page_context(
            request,
            project,
            "reports",
            report=report,
            versions=report.versions.select_related("produced_by"),
            statement=services.financial_statement(project, report.period_start, report.period_end),
            form=form,
        ),
    )


@login_required
def report_download(request, pk, report_pk, number, kind):
    if kind not in ("pdf", "xlsx"):
        raise Http404
    project = access_project(request.user, pk)
    version = get_object_or_404(
        ReportVersion, report__pk=report_pk, report__project=project, number=number
    )
    file = version.pdf if kind == "pdf" else version.xlsx
    if not file:
        raise Http404
    try:
        handle = file.open("rb")
    except FileNotFoundError as error:
        raise Http404 from error
    name = f"{project.slug}-{version.report.pk}-v{version.number}.{kind}"
    return FileResponse(handle, as_attachment=True, filename=name)
