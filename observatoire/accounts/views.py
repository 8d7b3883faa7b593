"""Sign-in by e-mail link. The password login and reset are Django's own views (see urls.py)."""

from django.contrib import messages
from django.contrib.auth import login
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from observatoire.core.antispam import client_address

from .forms import SigninLinkForm
from .signin_links import (
    SIGNIN_LINK_MAX_AGE,
    LinkState,
    signin_link_rate_limited,
    signin_link_send,
    signin_token_user,
)


@require_http_methods(["GET", "POST"])
def signin_link_request(request):
    """Ask for a link; the answer is the same whether an account has the address or not."""
    form = SigninLinkForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        email = form.cleaned_data["email"].strip().lower()
        ip_address = client_address(request)
        if signin_link_rate_limited(email=email, ip_address=ip_address):
            form.add_error(None, _("Too many links were asked for lately: try again in an hour."))
        else:
            signin_link_send(
                email=email, ip_address=ip_address, base_url=request.build_absolute_uri("/")[:-1]
            )
            return render(
                request,
                "accounts/signin_link_sent.html",
                {"email": email, "minutes": SIGNIN_LINK_MAX_AGE // 60},
            )
    return render(request, "accounts/signin_link_request.html", {"form": form})


@require_http_methods(["GET", "POST"])
def signin_link(request, token: str):
    """The link from the mail. Signing in takes a click (POST): mail scanners that open links
    ahead of the reader would otherwise use it up."""
    state, user = signin_token_user(token)
    if state is not LinkState.VALID:
        return render(
            request,
            "accounts/signin_link_invalid.html",
            {"expired": state is LinkState.EXPIRED},
            status=400,
        )
    if request.method == "POST":
        login(request, user, backend="django.contrib.auth.backends.ModelBackend")
        messages.success(request, _("You are signed in."))
        next_url = request.POST.get("next", "")
        if url_has_allowed_host_and_scheme(
            next_url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
        ):
            return redirect(next_url)
        return redirect("core:home")
    return render(request, "accounts/signin_link_confirm.html", {"signed_user": user})
