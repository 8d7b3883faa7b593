"""The public pages of the lists: subscribe, confirm, unsubscribe; and the bounce webhook."""

import hashlib
import json

from django.conf import settings
from django.contrib import messages
from django.core import signing
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils.crypto import constant_time_compare
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from observatoire.core.antispam import client_address, form_stamp, rate_count, rate_hit

from . import services
from .forms import SubscribeForm
from .models import Bounce, MailingList
from .services import ConfirmationResult

# Subscriptions per address in the rate window: enough to fix a typo, not to flood someone.
ADDRESS_RATE_LIMIT = 3
ONE_CLICK = {"List-Unsubscribe": ["One-Click"]}


def _render_form(request, form, status=200):
    error_summary = [
        (
            f"id_{name}" if name in form.fields else "",
            form.fields[name].label if name in form.fields else "",
            error,
        )
        for name, errors in form.errors.items()
        for error in errors
    ]
    return render(
        request,
        "newsletters/subscribe.html",
        {"form": form, "error_summary": error_summary},
        status=status,
    )


def _address_key(address: str) -> str:
    digest = hashlib.sha256(address.strip().lower().encode()).hexdigest()[:32]
    return f"newsletters:subscribe:address:{digest}"


def subscribe(request):
    """The public subscription form (double opt-in)."""
    if request.method != "POST":
        return _render_form(request, SubscribeForm())
    form = SubscribeForm(request.POST)
    verdict = form.spam_verdict()
    ip_key = f"newsletters:subscribe:ip:{client_address(request)}"
    if verdict == "honeypot":
        rate_hit(ip_key, settings.REFERENCING_RATE_WINDOW)
        return redirect("newsletters:subscribed")
    address_key = _address_key(request.POST.get("email", ""))
    if (
        rate_count(ip_key) >= settings.REFERENCING_RATE_LIMIT
        or rate_count(address_key) >= ADDRESS_RATE_LIMIT
    ):
        form.is_valid()
        form.add_error(
            None,
            _(
                "Too many subscriptions were sent from your connection or for this address. "
                "Please try again in an hour, or write to us at %(email)s."
            )
            % {"email": settings.NETWORK_CONTACT_EMAIL},
        )
        return _render_form(request, form, status=429)
    if verdict:
        data = request.POST.copy()
        data["started"] = form_stamp()
        form = SubscribeForm(data)
        form.is_valid()
        messages.warning(
            request,
            _(
                "The form was sent very quickly, or had been open for a long time. "
                "Please check your answers and send it again."
            ),
        )
        return _render_form(request, form)
    if not form.is_valid():
        return _render_form(request, form)
    try:
        services.subscription_request(request=form.subscription_request())
    except ValidationError:
        form.add_error("email", _("Enter a valid e-mail address, for example nom@exemple.org."))
        return _render_form(request, form)
    except IntegrityError:
        # The same address sent twice at once: the other request recorded it.
        pass
    rate_hit(ip_key, settings.REFERENCING_RATE_WINDOW)
    rate_hit(address_key, settings.REFERENCING_RATE_WINDOW)
    return redirect("newsletters:subscribed")


@require_GET
def subscribed(request):
    return render(request, "newsletters/subscribed.html")


@require_http_methods(["GET", "POST"])
def confirm(request, token: str):
    """GET shows the button (mail scanners open links); POST confirms."""
    if request.method == "POST":
        result = services.subscription_confirm(token=token)
    else:
        result = services.subscription_state(token=token)
    status = 404 if result == ConfirmationResult.UNKNOWN else 200
    return render(
        request, "newsletters/confirm.html", {"result": result, "token": token}, status=status
    )


@require_POST
def resend(request, token: str):
    sent = services.subscription_resend(token=token)
    return render(request, "newsletters/resent.html", {"sent": sent}, status=200 if sent else 404)


def _bad_link(request):
    return render(
        request,
        "newsletters/bad_link.html",
        {"contact_email": settings.NETWORK_CONTACT_EMAIL},
        status=400,
    )


@csrf_exempt  # RFC 8058: mail clients POST without a CSRF token; the signed link authorises.
@require_http_methods(["GET", "POST"])
def unsubscribe(request, token: str):
    """GET: « Se désabonner de … » with a button; POST one-click (RFC 8058) or the button."""
    try:
        address, list_id = services.read_unsubscribe_token(token)
    except signing.BadSignature:
        return _bad_link(request)
    mailing_list = MailingList.objects.filter(pk=list_id).first() if list_id else None
    if request.method == "GET":
        return render(
            request,
            "newsletters/unsubscribe.html",
            {"address": address, "mailing_list": mailing_list, "token": token},
        )
    if dict(request.POST.lists()) == ONE_CLICK:
        services.unsubscribe(address=address, mailing_list=mailing_list, source="one-click")
        return HttpResponse(_("You are unsubscribed."), content_type="text/plain; charset=utf-8")
    if request.POST.get("confirm") != "yes":
        return _bad_link(request)
    everything = request.POST.get("scope") == "all" or mailing_list is None
    services.unsubscribe(
        address=address, mailing_list=mailing_list, source="link", everything=everything
    )
    return render(
        request,
        "newsletters/unsubscribed.html",
        {"mailing_list": None if everything else mailing_list},
    )


def _webhook_error(message: str) -> JsonResponse:
    return JsonResponse({"error": message}, status=400)


@csrf_exempt  # called by the sending service, authorised by the secret in the URL
@require_POST
def bounce_webhook(request, secret: str):
    """Bounces POSTed by the sending service: one JSON object or a list of them."""
    expected = settings.NEWSLETTERS_BOUNCE_WEBHOOK_SECRET
    if not expected or not constant_time_compare(secret, expected):
        raise Http404
    try:
        payload = json.loads(request.body.decode("utf-8"))
    except (UnicodeDecodeError, ValueError):
        return _webhook_error("malformed JSON")
    items = payload if isinstance(payload, list) else [payload]
    cleaned = []
    for index, item in enumerate(items):
        if not isinstance(item, dict):
            return _webhook_error(f"item {index}: an object is expected")
        address = str(item.get("address", "")).strip().lower()
        try:
            validate_email(address)
        except ValidationError:
            return _webhook_error(f"item {index}: invalid address")
        kind = item.get("kind")
        if kind not in Bounce.Kind.values:
            return _webhook_error(f"item {index}: kind must be hard or soft")
        cleaned.append(
            {
                "address": address,
                "kind": kind,
                "diagnostic": str(item.get("diagnostic", ""))[:2000],
                "message_id": str(item.get("message_id", ""))[:300],
            }
        )
    for bounce in cleaned:
        services.record_bounce(**bounce)
    return JsonResponse({"recorded": len(cleaned)})
