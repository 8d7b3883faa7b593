"""The organisation's opportunities in its space, and the digest's unsubscribe page."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt

from observatoire.accounts.models import Role
from observatoire.publishing.access import access_organization_space

from . import selectors, services
from .forms import DigestSubscribeForm, KindFilterForm
from .models import DigestSubscription

PAGE_SIZE = 100


@login_required
def mine(request):
    """The signed-in editor's own organisation; the team opens an organisation's from its record."""
    user = request.user
    if user.role != Role.ORGANIZATION_EDITOR or not user.organization_id:
        raise PermissionDenied
    return _opportunities(request, access_organization_space(user, user.organization_id))


@login_required
def organization(request, pk: int):
    return _opportunities(request, access_organization_space(request.user, pk))


def _opportunities(request, organization):
    wording = services.digest_wording(organization=organization)
    form = DigestSubscribeForm(
        request.POST if request.POST.get("action") == "subscribe" else None,
        wording=wording,
        initial={"address": request.user.email},
    )
    if request.method == "POST":
        if request.POST.get("action") == "unsubscribe":
            subscription = get_object_or_404(
                DigestSubscription.objects.active(),
                organization=organization,
                pk=request.POST.get("subscription")
                if str(request.POST.get("subscription")).isdigit()
                else None,
            )
            services.digest_unsubscribe(subscription=subscription)
            messages.success(
                request,
                _("%(address)s will no longer receive the digest.")
                % {"address": subscription.address},
            )
            return redirect(request.path)
        if form.is_valid():
            try:
                subscription = services.digest_subscribe(
                    organization=organization,
                    address=form.cleaned_data["address"],
                    wording=wording,
                )
            except ValidationError as error:
                for field, errors in error.message_dict.items():
                    for message in errors:
                        form.add_error(field if field in form.fields else None, message)
            else:
                messages.success(
                    request,
                    _("%(address)s will receive the digest every week.")
                    % {"address": subscription.address},
                )
                return redirect(request.path)
    filters = KindFilterForm(request.GET)
    matches = selectors.opportunities_for(
        organization=organization, limit=PAGE_SIZE, kinds=filters.kinds()
    )
    return render(
        request,
        "matching/opportunities.html",
        {
            "organization": organization,
            "matches": [(match, selectors.item_link(match.item)) for match in matches],
            "filters": filters,
            "form": form,
            "subscriptions": selectors.organization_subscriptions(organization).filter(
                unsubscribed_at__isnull=True
            ),
        },
    )


@csrf_exempt  # the one-click unsubscribe (RFC 8058) is a POST from the mail client, without token
def unsubscribe(request, token: str):
    subscription = (
        DigestSubscription.objects.select_related("organization").filter(token=token).first()
    )
    if subscription is None:
        return render(request, "matching/unsubscribe.html", {"unknown": True}, status=404)
    done = subscription.unsubscribed_at is not None
    if request.method == "POST":
        services.digest_unsubscribe(subscription=subscription)
        done = True
    return render(
        request, "matching/unsubscribe.html", {"subscription": subscription, "done": done}
    )
