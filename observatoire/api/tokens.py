"""The API tokens page of a back-office account (/compte/jetons/): create, list, revoke.

A token is shown once, when created; only its SHA-512 digest is stored (knox), so a lost
token is revoked and replaced, never shown again.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST
from knox.models import AuthToken

from observatoire.accounts.access import is_back_office

from .permissions import may_write


def access_api_tokens(user) -> None:
    """The back-office roles hold tokens: staff and administrators write, the observatory reads."""
    if not is_back_office(user):
        raise PermissionDenied


def api_token_create(*, user) -> tuple[AuthToken, str]:
    """A new token of `user`: the stored record and the token itself, to be shown once."""
    access_api_tokens(user)
    return AuthToken.objects.create(user=user)


def api_token_revoke(*, user, token_key: str) -> None:
    """Revoke one of `user`'s own tokens."""
    get_object_or_404(AuthToken, user=user, token_key=token_key).delete()


@login_required
@require_http_methods(["GET", "POST"])
def token_list(request):
    access_api_tokens(request.user)
    created = ""
    if request.method == "POST":
        _record, created = api_token_create(user=request.user)
    tokens = AuthToken.objects.filter(user=request.user).order_by("-created")
    return render(
        request,
        "api/tokens.html",
        {"tokens": tokens, "created": created, "may_write": may_write(request.user)},
    )


@login_required
@require_POST
def token_revoke(request, token_key: str):
    access_api_tokens(request.user)
    api_token_revoke(user=request.user, token_key=token_key)
    messages.success(request, _("The token was revoked: it no longer opens the API."))
    return redirect("api_tokens:list")
