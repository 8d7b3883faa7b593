"""Sign-in by a link sent by e-mail: no password to remember for organisation editors.

The link carries a signed token naming the user and a fingerprint of their last sign-in and
password hash. Signing in changes `last_login`, so a link works once; changing the password
also voids it; the signature's timestamp makes it expire after SIGNIN_LINK_MAX_AGE seconds.
"""

import hashlib
from enum import Enum

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core import signing
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from observatoire.core.antispam import rate_count, rate_hit

SALT = "observatoire.accounts.signin-link"
SIGNIN_LINK_MAX_AGE = 15 * 60
# Requests per address and per client address within the window.
RATE_PER_EMAIL = 3
RATE_PER_IP = 10
RATE_WINDOW = 60 * 60


class LinkState(Enum):
    VALID = "valid"
    EXPIRED = "expired"
    INVALID = "invalid"


def _fingerprint(user) -> str:
    state = f"{user.pk}:{user.password}:{user.last_login and user.last_login.isoformat()}"
    return hashlib.sha256(state.encode()).hexdigest()[:32]


def signin_token(user) -> str:
    """A token that signs `user` in once, within SIGNIN_LINK_MAX_AGE seconds."""
    return signing.dumps({"u": user.pk, "f": _fingerprint(user)}, salt=SALT, compress=True)


def signin_token_user(token: str):
    """(state, user): the active user the token signs in, or why it does not."""
    try:
        data = signing.loads(token, salt=SALT, max_age=SIGNIN_LINK_MAX_AGE)
    except signing.SignatureExpired:
        return LinkState.EXPIRED, None
    except signing.BadSignature:
        return LinkState.INVALID, None
    if not isinstance(data, dict):
        return LinkState.INVALID, None
    user = get_user_model().objects.filter(pk=data.get("u"), is_active=True).first()
    if user is None or data.get("f") != _fingerprint(user):
        return LinkState.INVALID, None
    return LinkState.VALID, user


def signin_link_rate_limited(*, email: str, ip_address: str) -> bool:
    """Whether this address or this client asked for too many links lately."""
    return (
        rate_count(f"signin-link:email:{email}") >= RATE_PER_EMAIL
        or rate_count(f"signin-link:ip:{ip_address}") >= RATE_PER_IP
    )


def signin_link_send(*, email: str, ip_address: str, base_url: str) -> None:
    """Count the request, then mail the link in the background if an account has the address.

    The lookup happens in the task, so the answer takes the same time whether the address
    belongs to an account or not.
    """
    from .tasks import send_signin_link

    email = email.strip().lower()
    rate_hit(f"signin-link:email:{email}", RATE_WINDOW)
    rate_hit(f"signin-link:ip:{ip_address}", RATE_WINDOW)
    send_signin_link.enqueue(
        email=email,
        base_url=base_url,
        language=translation.get_language() or settings.LANGUAGE_CODE,
    )


def signin_link_mail(*, email: str, base_url: str, language: str = "") -> bool:
    """Mail a sign-in link if an active account has this address; False when none has."""
    user = get_user_model().objects.filter(email__iexact=email, is_active=True).first()
    if user is None:
        return False
    url = base_url + reverse("accounts:signin_link", args=[signin_token(user)])
    context = {
        "user": user,
        "url": url,
        "minutes": SIGNIN_LINK_MAX_AGE // 60,
        "network": settings.NETWORK_NAME,
    }
    with translation.override(language or settings.LANGUAGE_CODE):
        send_mail(
            _("Your sign-in link"),
            render_to_string("accounts/signin_link_email.txt", context),
            None,
            [user.email],
        )
    return True
