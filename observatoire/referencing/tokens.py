"""Signed links that let a requester come back to their request without an account."""

from django.conf import settings
from django.core import signing
from django.utils.crypto import constant_time_compare

from .models import ReferencingRequest

CONFIRM = "confirm"
FOLLOW = "follow"


def request_token(referencing_request: ReferencingRequest, purpose: str) -> str:
    """A signed token naming the request and its secret, for one purpose."""
    return signing.dumps(
        {"id": referencing_request.pk, "s": referencing_request.secret},
        salt=f"observatoire.referencing.{purpose}",
        compress=True,
    )


def request_from_token(token: str, purpose: str) -> ReferencingRequest | None:
    """The request a token designates, or None when it is forged, expired or revoked."""
    max_age = settings.REFERENCING_CONFIRMATION_DAYS * 86400 if purpose == CONFIRM else None
    try:
        payload = signing.loads(
            token or "", salt=f"observatoire.referencing.{purpose}", max_age=max_age
        )
    except signing.BadSignature:
        return None
    if not isinstance(payload, dict) or not isinstance(payload.get("id"), int):
        return None
    referencing_request = (
        ReferencingRequest.objects.select_related("commune", "kind", "target_organization")
        .filter(pk=payload["id"])
        .first()
    )
    if referencing_request is None or not constant_time_compare(
        str(payload.get("s", "")), referencing_request.secret
    ):
        return None
    return referencing_request
