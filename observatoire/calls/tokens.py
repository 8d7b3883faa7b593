"""Signed links that let an applicant come back to their application without an account."""

from django.core import signing
from django.utils.crypto import constant_time_compare

from .models import Application

SALT = "observatoire.calls.application"


def application_token(application: Application) -> str:
    """A signed token naming the application and its secret token."""
    return signing.dumps({"id": application.pk, "t": application.token}, salt=SALT, compress=True)


def application_from_token(token: str) -> Application | None:
    """The application a signed token designates, or None when forged or revoked."""
    try:
        payload = signing.loads(token or "", salt=SALT)
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
