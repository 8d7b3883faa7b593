from django.conf import settings
from django.shortcuts import render

from observatoire.organizations.selectors import register_key_figures


def home(request):
    return render(request, "core/home.html", {"figures": register_key_figures()})


def privacy(request):
    return render(
        request,
        "core/privacy.html",
        {"dpo_email": settings.NETWORK_DPO_EMAIL, "contact_email": settings.NETWORK_CONTACT_EMAIL},
    )
