"""Writing to a listed organisation from its public page, without seeing its e-mail address.

The message goes to the organisation's public e-mail, or else to its main contact; the sender
only learns that it left. Spam protection is the one of the other public forms (core.antispam).
"""

import logging
import smtplib
from email.utils import formataddr, parseaddr

from django import forms
from django.conf import settings
from django.contrib import messages
from django.core.mail import EmailMessage
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, override

from observatoire.core.antispam import (
    client_address,
    form_stamp,
    rate_count,
    rate_hit,
    spam_verdict,
)
from observatoire.organizations.models import Organization
from observatoire.referencing.forms import AccessibleFormMixin

from .records import organization_contact_address, public_organization

logger = logging.getLogger(__name__)

MESSAGE_MAX_LENGTH = 5000


class ContactForm(AccessibleFormMixin, forms.Form):
    name = forms.CharField(label=gettext_lazy("Your name"), max_length=150)
    email = forms.EmailField(label=gettext_lazy("Your e-mail address"))
    subject = forms.CharField(label=gettext_lazy("Subject"), max_length=200)
    message = forms.CharField(
        label=gettext_lazy("Message"),
        widget=forms.Textarea(attrs={"rows": 8}),
        max_length=MESSAGE_MAX_LENGTH,
        help_text=gettext_lazy("At most %(count)s characters.") % {"count": MESSAGE_MAX_LENGTH},
    )
    # Spam protection, as on the referencing form: a hidden field and the time it was shown.
    nickname = forms.CharField(label=gettext_lazy("Leave this field empty"), required=False)
    started = forms.CharField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["nickname"].widget.attrs.update({"autocomplete": "off", "tabindex": "-1"})
        self.fields["name"].widget.attrs["autocomplete"] = "name"
        self.fields["email"].widget.attrs["autocomplete"] = "email"
        if not self.is_bound:
            self.initial.setdefault("started", form_stamp())

    def clean_name(self):
        # One line: it goes into the Reply-To header.
        return " ".join(self.cleaned_data["name"].split())

    def clean_subject(self):
        return " ".join(self.cleaned_data["subject"].split())

    def clean_email(self):
        return self.cleaned_data["email"].strip()

    def spam_verdict(self) -> str:
        return spam_verdict(self.data)


def _submission_key(request) -> str:
    return f"portal:contact:{client_address(request)}"


def contact_message_send(*, organization: Organization, recipient: str, data: dict) -> None:
    """Send the visitor's message to the organisation, answers going back to the visitor."""
    with override(settings.LANGUAGE_CODE):
        body = render_to_string(
            "portal/record_contact_email.txt",
            {
                "organization": organization,
                "network_name": settings.NETWORK_NAME,
                "page_url": settings.SITE_URL.rstrip("/")
                + reverse("portal:organization", args=[organization.slug]),
                **data,
            },
        )
        subject = _("[%(network)s] Message from the directory: %(subject)s") % {
            "network": settings.NETWORK_NAME,
            "subject": data["subject"],
        }
    # From the network (its name, the site's sending address); answers go to the visitor.
    sender = formataddr((settings.NETWORK_NAME, parseaddr(settings.DEFAULT_FROM_EMAIL)[1]))
    EmailMessage(
        subject=subject,
        body=body,
        from_email=sender,
        to=[recipient],
        reply_to=[formataddr((data["name"], data["email"]))],
    ).send()


def _render(request, organization, form, *, recipient: str, status: int = 200):
    error_summary = [
        (form[name].auto_id, form.fields[name].label, error)
        for name, errors in (form.errors.items() if form.is_bound else [])
        if name in form.fields
        for error in errors
    ]
    return render(
        request,
        "portal/record_contact.html",
        {
            "organization": organization,
            "form": form,
            "can_be_contacted": bool(recipient),
            "error_summary": error_summary,
            "network_email": settings.NETWORK_CONTACT_EMAIL,
        },
        status=status,
    )


def organization_contact(request, slug):
    """The contact form of a listed organisation."""
    organization = public_organization(slug)
    if organization.slug != slug:
        return redirect("portal:organization_contact", slug=organization.slug, permanent=True)
    recipient = organization_contact_address(organization)
    if request.method != "POST" or not recipient:
        return _render(request, organization, ContactForm(), recipient=recipient)

    form = ContactForm(request.POST)
    verdict = form.spam_verdict()
    key = _submission_key(request)
    if verdict == "honeypot":
        # A robot filled the hidden field: it is told all went well and nothing is sent.
        rate_hit(key, settings.REFERENCING_RATE_WINDOW)
        return redirect("portal:organization_contact_sent", slug=organization.slug)
    if rate_count(key) >= settings.REFERENCING_RATE_LIMIT:
        form.is_valid()
        messages.error(
            request,
            _(
                "Too many messages were sent from your connection. Please try again in an "
                "hour, or write to us at %(email)s."
            )
            % {"email": settings.NETWORK_CONTACT_EMAIL},
        )
        return _render(request, organization, form, recipient=recipient, status=429)
    if verdict:
        data = request.POST.copy()
        data["started"] = form_stamp()
        form = ContactForm(data)
        form.is_valid()
        messages.warning(
            request,
            _(
                "The form was sent very quickly, or had been open for a long time. "
                "Please check your answers and send it again."
            ),
        )
        return _render(request, organization, form, recipient=recipient)
    if not form.is_valid():
        return _render(request, organization, form, recipient=recipient)
    try:
        contact_message_send(organization=organization, recipient=recipient, data=form.cleaned_data)
    except (smtplib.SMTPException, OSError):
        logger.exception("Contact message to organisation %s not sent", organization.pk)
        form.add_error(
            None,
            _(
                "Your message could not be sent just now. Please try again later, or write "
                "to us at %(email)s."
            )
            % {"email": settings.NETWORK_CONTACT_EMAIL},
        )
        return _render(request, organization, form, recipient=recipient, status=503)
    rate_hit(key, settings.REFERENCING_RATE_WINDOW)
    return redirect("portal:organization_contact_sent", slug=organization.slug)


def organization_contact_sent(request, slug):
    organization = public_organization(slug)
    return render(request, "portal/record_contact_sent.html", {"organization": organization})
