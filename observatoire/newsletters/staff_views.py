"""The staff pages of the mailing lists (/espace/listes/): lists, subscribers, exports,
suppressions and bounces. Staff and administrators only (access.access_lists)."""

from itertools import islice

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from . import selectors, services
from .access import access_lists, access_mailing_list
from .exports import FORMATS, export_csv
from .forms import AddressForm, ImportForm, MailingListForm, SubscriberForm, parse_rows
from .models import Bounce, MailingList, Subscription, Suppression

PREVIEW_ROWS = 20
PAGE_SIZE = 50


@require_GET
def list_index(request):
    access_lists(request.user)
    show_archived = request.GET.get("archived") == "1"
    return render(
        request,
        "newsletters/staff/index.html",
        {
            "lists": selectors.lists_with_counts(include_archived=show_archived),
            "show_archived": show_archived,
        },
    )


def _list_form(request, form, mailing_list=None):
    return render(
        request,
        "newsletters/staff/form.html",
        {"form": form, "mailing_list": mailing_list},
        status=200 if not form.is_bound or form.is_valid() else 400,
    )


@require_http_methods(["GET", "POST"])
def list_create(request):
    access_lists(request.user)
    form = MailingListForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        mailing_list = services.mailing_list_save(
            mailing_list=form.save(commit=False),
            filter_query=form.filter_query(),
            user=request.user,
        )
        messages.success(request, _("The list was created."))
        return redirect(mailing_list)
    return _list_form(request, form)


@require_http_methods(["GET", "POST"])
def list_edit(request, pk: int):
    mailing_list = access_mailing_list(request.user, pk)
    form = MailingListForm(request.POST or None, instance=mailing_list)
    if request.method == "POST":
        if request.POST.get("archive") in ("0", "1"):
            mailing_list.archived_at = timezone.now() if request.POST["archive"] == "1" else None
            mailing_list.save(update_fields=["archived_at"])
            return redirect(mailing_list)
        if form.is_valid():
            services.mailing_list_save(
                mailing_list=form.save(commit=False), filter_query=form.filter_query()
            )
            messages.success(request, _("The list was saved."))
            return redirect(mailing_list)
    return _list_form(request, form, mailing_list)


@require_GET
def dynamic_count(request):
    """The live count of the list form: how many contacts these filters reach today."""
    access_lists(request.user)
    mailing_list = MailingList(
        kind=MailingList.Kind.DYNAMIC,
        purpose=request.GET.get("purpose", MailingList.Purpose.NEWSLETTER),
        reach=request.GET.get("reach", MailingList.Reach.MAIN_CONTACTS),
    )
    if mailing_list.purpose not in MailingList.Purpose.values:
        mailing_list.purpose = MailingList.Purpose.NEWSLETTER
    params = {k: v for k, v in request.GET.items() if k not in ("purpose", "reach", "kind")}
    from urllib.parse import urlencode

    mailing_list.filter_query = urlencode(params)
    organizations = selectors.dynamic_organizations(params).count()
    return JsonResponse(
        {
            "organizations": organizations,
            "recipients": selectors.recipient_count(mailing_list=mailing_list),
        }
    )


@require_GET
def list_detail(request, pk: int):
    mailing_list = access_mailing_list(request.user, pk)
    counts = selectors.lists_with_counts(include_archived=True).get(pk=pk)
    reachable = selectors.recipients(lists=[mailing_list])
    preview = list(islice(reachable, PREVIEW_ROWS))
    reachable_count = len(preview) + sum(1 for _ in reachable)
    term = request.GET.get("q", "").strip()
    status = request.GET.get("status", "")
    page = None
    if not mailing_list.is_dynamic:
        page = Paginator(
            selectors.subscriptions_of(mailing_list=mailing_list, term=term, status=status),
            PAGE_SIZE,
        ).get_page(request.GET.get("page"))
    return render(
        request,
        "newsletters/staff/detail.html",
        {
            "mailing_list": mailing_list,
            "counts": counts,
            "preview": preview,
            "reachable_count": reachable_count,
            "page": page,
            "term": term,
            "status": status,
            "statuses": Subscription.Status.choices,
            "formats": FORMATS.values(),
            "filters": selectors.describe_filters(mailing_list),
        },
    )


@require_http_methods(["GET", "POST"])
def subscriber_add(request, pk: int):
    mailing_list = access_mailing_list(request.user, pk)
    if mailing_list.is_dynamic:
        raise Http404
    form = SubscriberForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        services.subscriber_add(
            mailing_list=mailing_list,
            address=data["email"],
            first_name=data["first_name"],
            last_name=data["last_name"],
            organization_name=data["organization_name"],
            wording=data["wording"],
            consented_at=form.consented_at(),
        )
        messages.success(request, _("%(address)s was added.") % {"address": data["email"]})
        if services.is_suppressed(address=data["email"]):
            messages.warning(
                request,
                _(
                    "This address is on the suppression list: it will receive nothing until "
                    "it subscribes again itself on the public form."
                ),
            )
        return redirect(mailing_list)
    return render(
        request,
        "newsletters/staff/subscriber_form.html",
        {"form": form, "mailing_list": mailing_list},
        status=400 if form.is_bound else 200,
    )


@require_http_methods(["GET", "POST"])
def subscriber_import(request, pk: int):
    mailing_list = access_mailing_list(request.user, pk)
    if mailing_list.is_dynamic:
        raise Http404
    form = ImportForm(request.POST or None, request.FILES or None)
    rejected = []
    if request.method == "POST" and form.is_valid():
        try:
            count = services.subscribers_import(
                mailing_list=mailing_list,
                rows=parse_rows(form.cleaned_data["text"]),
                wording=form.cleaned_data["wording"],
                consented_at=form.consented_at(),
            )
        except services.ImportRejected as error:
            rejected = error.rejected
        else:
            messages.success(request, _("%(count)d subscribers were imported.") % {"count": count})
            return redirect(mailing_list)
    return render(
        request,
        "newsletters/staff/import.html",
        {"form": form, "mailing_list": mailing_list, "rejected": rejected},
        status=400 if form.is_bound else 200,
    )


@require_GET
def list_export(request, pk: int, file_format: str):
    mailing_list = access_mailing_list(request.user, pk)
    if file_format not in FORMATS:
        raise Http404
    content = export_csv(
        file_format=file_format, recipients=selectors.recipients(lists=[mailing_list])
    )
    response = HttpResponse(content, content_type="text/csv; charset=utf-8")
    stamp = timezone.localdate().isoformat()
    filename = f"{mailing_list.slug}-{file_format}-{stamp}.csv"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@require_http_methods(["GET", "POST"])
def address_unsubscribe(request):
    access_lists(request.user)
    form = AddressForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.address_suppress(
                address=form.cleaned_data["email"],
                reason=form.cleaned_data["reason"],
                by=request.user.email,
            )
        except ValidationError:
            form.add_error("email", _("Enter a valid e-mail address, for example nom@exemple.org."))
        else:
            messages.success(
                request,
                _("Nothing will be sent to %(address)s any more.")
                % {"address": form.cleaned_data["email"]},
            )
            return redirect("newsletters_staff:suppressions")
    return render(
        request,
        "newsletters/staff/address_form.html",
        {"form": form},
        status=400 if form.is_bound else 200,
    )


@require_GET
def suppression_index(request):
    access_lists(request.user)
    term = request.GET.get("q", "").strip().lower()
    queryset = Suppression.objects.active()
    if term:
        queryset = queryset.filter(address__contains=term)
    page = Paginator(queryset, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "newsletters/staff/suppressions.html", {"page": page, "term": term})


@require_GET
def bounce_index(request):
    access_lists(request.user)
    page = Paginator(Bounce.objects.all(), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "newsletters/staff/bounces.html", {"page": page})
