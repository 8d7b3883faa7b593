"""One campaign message for one recipient: personalised, with its footer and, when the recipient
consented to measurement, the open pixel and the click links.

Personalisation fields (« {{ prenom }} », « {{ nom }} », « {{ structure }} » and the English
aliases) are replaced by plain substitution, escaped in the HTML: what staff write is never
evaluated as a template.
"""

import html
import re
from dataclasses import dataclass
from email.utils import formataddr, parseaddr
from urllib.parse import urlencode, urlsplit

from django.conf import settings
from django.core import signing
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation

from .models import Campaign
from .sanitize import html_to_text

_MERGE_FIELD = re.compile(
    r"\{\{\s*(prenom|prénom|first_name|nom|last_name|structure|organisation|organization)\s*\}\}",
    re.IGNORECASE,
)
_FIELD = {
    "prenom": "first_name",
    "prénom": "first_name",
    "first_name": "first_name",
    "nom": "last_name",
    "last_name": "last_name",
    "structure": "organization_name",
    "organisation": "organization_name",
    "organization": "organization_name",
}
_HREF = re.compile(r'href="(https?://[^"]+)"', re.IGNORECASE)


@dataclass(frozen=True)
class Person:
    """Who a message is written for: a delivery, a `Recipient` or the sample of the preview."""

    address: str
    first_name: str = ""
    last_name: str = ""
    organization_name: str = ""


SAMPLE = Person("camille.martin@example.org", "Camille", "Martin", "Association Solidarité Sahel")


def personalize(text: str, person: Person, *, escape: bool) -> str:
    """`text` with its personalisation fields replaced by the person's values, HTML-escaped
    when `escape`."""

    def value(match: re.Match) -> str:
        found = getattr(person, _FIELD[match.group(1).lower()]) or ""
        return html.escape(found) if escape else found

    return _MERGE_FIELD.sub(value, text or "")


def absolute(path: str) -> str:
    return settings.SITE_URL.rstrip("/") + path


def _click_signer(campaign_id: int) -> signing.Signer:
    return signing.Signer(salt=f"campaigns.click.{campaign_id}")


def click_url(*, campaign_id: int, token: str, url: str) -> str:
    signed = _click_signer(campaign_id).sign(url)
    path = reverse("campaigns:click", kwargs={"token": token})
    return absolute(path) + "?" + urlencode({"u": signed})


def unsign_click(*, campaign_id: int, value: str) -> str | None:
    """The URL signed for this campaign, or None when the value was not signed by us."""
    try:
        url = _click_signer(campaign_id).unsign(value)
    except signing.BadSignature:
        return None
    return url if urlsplit(url).scheme in ("http", "https") else None


def track_links(content: str, *, campaign_id: int, token: str) -> str:
    """Every http(s) link of the content sent through the click counter."""

    def rewrite(match: re.Match) -> str:
        url = html.unescape(match.group(1))
        tracked = click_url(campaign_id=campaign_id, token=token, url=url)
        return f'href="{html.escape(tracked)}"'

    return _HREF.sub(rewrite, content)


def text_body(campaign: Campaign) -> str:
    return campaign.body_text.strip() or html_to_text(campaign.body_html)


def message_domain() -> str:
    return urlsplit(settings.SITE_URL).hostname or "localhost"


def from_address(campaign: Campaign) -> str:
    name, address = parseaddr(settings.DEFAULT_FROM_EMAIL)
    return formataddr((campaign.from_name or settings.NETWORK_NAME or name, address))


@dataclass(frozen=True)
class Rendered:
    subject: str
    html: str
    text: str


def render_message(
    campaign: Campaign,
    person: Person,
    *,
    blocks: tuple[str, str],
    unsubscribe_url: str,
    web_url: str,
    token: str = "",
    tracking: bool = False,
) -> Rendered:
    """The subject, HTML and text of the campaign for one person."""
    blocks_html, blocks_text = blocks
    content = personalize(campaign.body_html, person, escape=True) + blocks_html
    if tracking and token:
        content = track_links(content, campaign_id=campaign.pk, token=token)
    pixel = absolute(reverse("campaigns:open", kwargs={"token": token})) if tracking else ""
    with translation.override(campaign.language):
        context = {
            "campaign": campaign,
            "subject": personalize(campaign.subject, person, escape=False),
            "preheader": campaign.preheader,
            "content": content,
            "text": personalize(text_body(campaign), person, escape=False),
            "blocks_text": blocks_text,
            "unsubscribe_url": unsubscribe_url,
            "web_url": web_url,
            "pixel": pixel,
            "network_name": settings.NETWORK_NAME,
        }
        return Rendered(
            subject=context["subject"],
            html=render_to_string("campaigns/mail/message.html", context),
            text=render_to_string("campaigns/mail/message.txt", context),
        )


def build_email(
    campaign: Campaign,
    rendered: Rendered,
    *,
    to: str,
    unsubscribe_url: str,
    message_id: str,
    subject_prefix: str = "",
    connection=None,
) -> EmailMultiAlternatives:
    """The multipart message (text, then HTML) with the one-click unsubscription headers."""
    mailto = f"mailto:{settings.NETWORK_CONTACT_EMAIL}?subject=unsubscribe"
    message = EmailMultiAlternatives(
        subject=subject_prefix + rendered.subject,
        body=rendered.text,
        from_email=from_address(campaign),
        to=[to],
        reply_to=[campaign.reply_to] if campaign.reply_to else None,
        headers={
            "List-Unsubscribe": f"<{unsubscribe_url}>, <{mailto}>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
            "Message-ID": message_id,
        },
        connection=connection,
    )
    message.attach_alternative(rendered.html, "text/html")
    return message
