"""Public pages of the campaigns: the archive, the personal web version, open and click counters.

The archive shows a campaign as a web page without personal data and without tracking. The
counters only count for recipients who consented to measurement; the click counter redirects
only to a URL signed for this campaign, so it can never serve as an open redirect.
"""

import base64

from django.http import Http404, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from . import selectors, services
from .models import Campaign, Delivery
from .rendering import Person, personalize, render_message, unsign_click

# A transparent 1×1 GIF.
PIXEL = base64.b64decode("R0lGODlhAQABAIAAAAAAAP///yH5BAEAAAAALAAAAAABAAEAAAIBRAA7")
NOBODY = Person("")


@require_GET
def archive_list(request):
    # Not through the public cache: the status of a campaign changes by queryset updates
    # (the sending engine), which do not send the signals the cache listens to.
    campaigns = selectors.archive().only("slug", "subject", "preheader", "finished_at")
    return render(request, "campaigns/public/archive_list.html", {"campaigns": campaigns})


def archive_content(campaign: Campaign) -> str:
    """The body and blocks as sent, with personalisation fields emptied: nobody's name on a
    public page."""
    return personalize(campaign.body_html, NOBODY, escape=True) + campaign.rendered_blocks_html


@require_GET
def archive_detail(request, slug: str):
    campaign = get_object_or_404(selectors.archive(), slug=slug)
    return render(
        request,
        "campaigns/public/archive_detail.html",
        {"campaign": campaign, "content": archive_content(campaign)},
    )


@require_GET
def web_version(request, token: str):
    """The message as this recipient received it, without tracking (the link is personal)."""
    delivery = get_object_or_404(Delivery.objects.select_related("campaign"), token=token)
    campaign = delivery.campaign
    person = Person(
        delivery.address, delivery.first_name, delivery.last_name, delivery.organization_name
    )
    rendered = render_message(
        campaign,
        person,
        blocks=(campaign.rendered_blocks_html, campaign.rendered_blocks_text),
        unsubscribe_url="",
        web_url=request.build_absolute_uri(),
    )
    response = HttpResponse(rendered.html)
    response["X-Robots-Tag"] = "noindex"
    return response


@never_cache
@require_GET
def open_pixel(request, token: str):
    services.delivery_opened(token=token[:40])
    response = HttpResponse(PIXEL, content_type="image/gif")
    response["Cache-Control"] = "no-store, no-cache, must-revalidate, max-age=0"
    return response


@never_cache
@require_GET
def click(request, token: str):
    delivery = Delivery.objects.filter(token=token[:40]).first()
    if delivery is None:
        raise Http404
    url = unsign_click(campaign_id=delivery.campaign_id, value=request.GET.get("u", ""))
    if url is None:
        raise Http404
    services.delivery_clicked(delivery=delivery, url=url)
    return HttpResponseRedirect(url)
