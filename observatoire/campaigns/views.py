"""Staff pages of the campaigns (/espace/campagnes/): thin views over services and selectors."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.http import require_POST

from . import selectors, services
from .access import access_campaign, access_campaigns
from .forms import CampaignForm, ScheduleForm, TestSendForm
from .models import Campaign, Delivery

PER_PAGE = 30


@login_required
def campaign_list(request):
    access_campaigns(request.user)
    status = request.GET.get("status", "")
    page = Paginator(selectors.campaign_list(status=status), PER_PAGE).get_page(
        request.GET.get("page")
    )
    for campaign in page.object_list:
        campaign.stats = selectors.stats_of(campaign)
    return render(
        request,
        "campaigns/staff/list.html",
        {
            "page": page,
            "status": status if status in Campaign.Status.values else "",
            "statuses": Campaign.Status.choices,
            "years": selectors.stats_by_year(),
        },
    )


def _save(request, form: CampaignForm):
    campaign = form.save(commit=False)
    campaign.blocks = form.blocks()
    try:
        return services.campaign_save(
            campaign=campaign, lists=form.cleaned_data["lists"], user=request.user
        )
    except ValidationError as error:
        if hasattr(error, "error_dict"):
            for field, errors in error.error_dict.items():
                form.add_error(field if field in form.fields else None, errors)
        else:
            form.add_error(None, error.messages)
        return None


@login_required
def campaign_create(request):
    access_campaigns(request.user)
    form = CampaignForm(request.POST or None, initial={"language": "fr"})
    if request.method == "POST" and form.is_valid():
        campaign = _save(request, form)
        if campaign is not None:
            messages.success(request, _("Campaign saved. Check its preview before sending."))
            return redirect("campaigns_staff:preview", pk=campaign.pk)
    return render(request, "campaigns/staff/form.html", {"form": form, "campaign": None})


@login_required
def campaign_edit(request, pk: int):
    campaign = access_campaign(request.user, pk)
    if not campaign.is_editable:
        messages.error(request, _("A campaign that started sending can no longer be changed."))
        return redirect(campaign)
    form = CampaignForm(request.POST or None, instance=campaign)
    if request.method == "POST" and form.is_valid():
        saved = _save(request, form)
        if saved is not None:
            messages.success(request, _("Campaign saved."))
            return redirect("campaigns_staff:preview", pk=saved.pk)
    return render(request, "campaigns/staff/form.html", {"form": form, "campaign": campaign})


@login_required
def campaign_detail(request, pk: int):
    campaign = access_campaign(request.user, pk)
    problems = campaign.deliveries.filter(
        status__in=[Delivery.Status.UNCERTAIN, Delivery.Status.FAILED]
    ).order_by("status", "address")[:200]
    retrying = campaign.deliveries.filter(status=Delivery.Status.PENDING, attempts__gt=0)
    return render(
        request,
        "campaigns/staff/detail.html",
        {
            "campaign": campaign,
            "stats": selectors.stats_of(campaign),
            "problems": problems,
            "retrying": retrying.order_by("next_attempt_at")[:50],
            "schedule_form": ScheduleForm(),
            "lists": campaign.lists.all(),
        },
    )


def _preview_page(request, campaign, test_form):
    rendered = services.campaign_preview(campaign=campaign)
    return render(
        request,
        "campaigns/staff/preview.html",
        {
            "campaign": campaign,
            "rendered": rendered,
            "recipient_count": services.recipient_count(lists=campaign.lists.all()),
            "test_form": test_form,
            "schedule_form": ScheduleForm(),
        },
    )


@login_required
def campaign_preview(request, pk: int):
    campaign = access_campaign(request.user, pk)
    return _preview_page(request, campaign, TestSendForm())


@login_required
@require_POST
def campaign_test_send(request, pk: int):
    campaign = access_campaign(request.user, pk)
    form = TestSendForm(request.POST)
    if not form.is_valid():
        return _preview_page(request, campaign, form)
    addresses = form.cleaned_data["addresses"]
    try:
        services.campaign_test_send(campaign=campaign, addresses=addresses)
    except OSError as error:
        form.add_error(None, _("The mail server refused the test: %(error)s") % {"error": error})
        return _preview_page(request, campaign, form)
    messages.success(
        request, _("Test sent to %(addresses)s.") % {"addresses": ", ".join(addresses)}
    )
    return redirect("campaigns_staff:preview", pk=campaign.pk)


@login_required
@require_POST
def campaign_schedule(request, pk: int):
    campaign = access_campaign(request.user, pk)
    form = ScheduleForm(request.POST)
    if form.is_valid():
        try:
            services.campaign_schedule(campaign=campaign, at=form.send_at())
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            if campaign.status == Campaign.Status.SCHEDULED:
                messages.success(request, _("Campaign scheduled."))
            else:
                messages.success(request, _("Sending started."))
            return redirect(campaign)
    else:
        for errors in form.errors.values():
            messages.error(request, " ".join(errors))
    return redirect(campaign)


ACTIONS = {
    "pause": (services.campaign_pause, gettext_lazy("Sending paused.")),
    "resume": (services.campaign_resume, gettext_lazy("Sending resumed.")),
    "cancel": (services.campaign_cancel, gettext_lazy("Campaign cancelled.")),
    "unschedule": (services.campaign_unschedule, gettext_lazy("Campaign back to draft.")),
}


@login_required
@require_POST
def campaign_action(request, pk: int, action: str):
    campaign = access_campaign(request.user, pk)
    if action == "resend":
        count = services.deliveries_resend_uncertain(campaign=campaign)
        messages.success(
            request,
            ngettext("%(count)s message queued again.", "%(count)s messages queued again.", count)
            % {"count": count},
        )
        return redirect(campaign)
    if action not in ACTIONS:
        raise Http404
    service, done = ACTIONS[action]
    try:
        service(campaign=campaign)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, str(done))
    return redirect(campaign)
