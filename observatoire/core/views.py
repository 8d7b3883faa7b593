from django.conf import settings
from django.shortcuts import render

from observatoire.portal.selectors import home_key_figures, latest_projects, next_events


def home(request):
    return render(
        request,
        "core/home.html",
        {
            "figures": home_key_figures(),
            "projects": latest_projects(),
            "events": next_events(),
        },
    )


def privacy(request):
    return render(
        request,
        "core/privacy.html",
        {"dpo_email": settings.NETWORK_DPO_EMAIL, "contact_email": settings.NETWORK_CONTACT_EMAIL},
    )
