"""Signed links that let an applicant come back to their application without an account."""

from django.core import signing
from django.utils.crypto import constant_time_compare

from .models import Application

SALT = "observatoire.calls.application"


def application_token(application: Application) -> str:
    """A signed token naming the application and its secret token; the same in every mail."""
    return signing.Signer(salt=SALT).sign_object(
        {"id": application.pk, "t": application.token}, compress=True
    )


def application_from_token(token: str) -> Application | None:
    """The application a signed token designates, or None when forged or revoked."""
    try:
        payload = signing.Signer(salt=SALT).unsign_object(token or "")
    except signing.BadSignature:
        return None
    if not isinstance(payload, dict) or not isinstance(payload.get("id"), int):
        return None
    application = (
        Application.objects.select_related("call", "organization", "referencing_request")
        .filter(pk=payload["id"])
        .first()
    )
    if application is None or not constant_time_compare(
        str(payload.get("t", "")), application.token
    ):
        return None
    return application
