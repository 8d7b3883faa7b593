"""Every error under /api/ is JSON: {"error": {"code", "message", "fields"}}.

Messages follow the active language (French unless the caller asks otherwise with
Accept-Language), as the forms' messages do.
"""

import logging

from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404, JsonResponse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

logger = logging.getLogger(__name__)

CODES = {
    400: "invalid",
    401: "not_authenticated",
    403: "permission_denied",
    404: "not_found",
    405: "method_not_allowed",
    406: "not_acceptable",
    415: "unsupported_media_type",
    429: "throttled",
    500: "server_error",
}


def error_body(status_code: int, message: str, *, code: str = "", fields=None) -> dict:
    return {
        "error": {
            "code": code or CODES.get(status_code, "error"),
            "message": message,
            "fields": fields or {},
        }
    }


def _flatten(detail) -> list[str]:
    if isinstance(detail, dict):
        return [m for value in detail.values() for m in _flatten(value)]
    if isinstance(detail, list):
        return [m for item in detail for m in _flatten(item)]
    return [str(detail)]


def _fields(detail) -> dict:
    """Field name → list of messages; nested errors (lists of objects) are flattened."""
    return {name: _flatten(value) for name, value in detail.items() if name != "__all__"}


def _validation_body(detail) -> dict:
    if not isinstance(detail, dict):
        messages = _flatten(detail)
        return error_body(400, " ".join(messages) or _("The data sent is not valid."))
    general = _flatten(detail.get("non_field_errors", [])) + _flatten(detail.get("__all__", []))
    fields = {k: v for k, v in _fields(detail).items() if k != "non_field_errors"}
    message = " ".join(general) or _("The data sent is not valid: see the fields.")
    return error_body(400, message, fields=fields)


def exception_handler(exc, context):
    """DRF's handler, reshaped into the project's error format; unexpected errors logged."""
    if isinstance(exc, DjangoValidationError):
        detail = exc.message_dict if hasattr(exc, "error_dict") else {"__all__": exc.messages}
        return Response(_validation_body(detail), status=status.HTTP_400_BAD_REQUEST)
    if isinstance(exc, Http404):
        exc = exceptions.NotFound(_("Nothing was found at this address."))
    elif isinstance(exc, PermissionDenied):
        exc = exceptions.PermissionDenied()
    response = drf_exception_handler(exc, context)
    if response is None:
        logger.exception("API error", exc_info=exc)
        return Response(
            error_body(500, _("An unexpected error occurred; it has been logged.")),
            status=status.HTTP_500_INTERNAL_SERVER_ERROR,
        )
    if isinstance(exc, exceptions.ValidationError):
        response.data = _validation_body(exc.detail)
    elif isinstance(exc, exceptions.Throttled):
        wait = int(exc.wait or 1)
        message = ngettext(
            "Too many requests: try again in %(seconds)d second.",
            "Too many requests: try again in %(seconds)d seconds.",
            wait,
        ) % {"seconds": wait}
        response.data = error_body(429, message)
    else:
        code = exc.get_codes() if isinstance(exc, exceptions.APIException) else ""
        message = " ".join(_flatten(response.data.get("detail", response.data)))
        response.data = error_body(
            response.status_code, message, code=code if isinstance(code, str) else ""
        )
    return response


def not_found(request, *args, **kwargs):
    """Any address under /api/ that names no endpoint."""
    return JsonResponse(error_body(404, _("There is no endpoint at this address.")), status=404)
