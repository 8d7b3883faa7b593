"""The staff pages of support: follow-ups to do (with "mark done") and the figures of a year.

They live in the back office (`/gestion/`), wrapped by the admin site's `admin_view`.
"""

from urllib.parse import urlencode

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from observatoire.core.periods import Period

from . import selectors, services
from .access import access_follow_up, can_log_support, can_view_support
from .models import FollowUpAction, SupportSession

FOLLOW_UPS_URL = "admin:support_followupaction_changelist"
# How long done follow-ups stay on the page, so a wrong click can be undone.
RECENTLY_DONE_DAYS = 14


def follow_ups(request):
    """Open follow-ups, overdue first, of the user (default) or of everybody."""
    if not can_view_support(request.user):
        raise PermissionDenied
    who = "all" if request.GET.get("who") == "all" else "mine"
    assignee = request.user if who == "mine" else None
    rows = selectors.follow_ups_due(assignee=assignee, include_done_days=RECENTLY_DONE_DAYS)
    today = timezone.localdate()
    context = {
        **admin.site.each_context(request),
        "title": _("Follow-ups to do"),
        "opts": FollowUpAction._meta,
        "who": who,
        "today": today,
        "overdue": [f for f in rows if f.done_at is None and f.due_on < today],
        "upcoming": [f for f in rows if f.done_at is None and f.due_on >= today],
        "recently_done": sorted(
            (f for f in rows if f.done_at is not None), key=lambda f: f.done_at, reverse=True
        ),
        "recently_done_days": RECENTLY_DONE_DAYS,
        "can_act": can_log_support(request.user),
        "figures_url": reverse("admin:support_supportfigures_changelist"),
    }
    return TemplateResponse(request, "admin/support/followupaction/follow_ups.html", context)


def _back(request):
    who = request.POST.get("who")
    url = reverse(FOLLOW_UPS_URL)
    return redirect(f"{url}?{urlencode({'who': who})}" if who == "all" else url)


@require_POST
def follow_up_done(request, pk: int):
    follow_up = access_follow_up(request.user, pk, write=True)
    if services.follow_up_mark_done(follow_up=follow_up, by=request.user):
        messages.success(request, _("“%(action)s” is done.") % {"action": follow_up})
    else:
        messages.info(request, _("“%(action)s” was already done.") % {"action": follow_up})
    return _back(request)


@require_POST
def follow_up_reopen(request, pk: int):
    follow_up = access_follow_up(request.user, pk, write=True)
    if services.follow_up_reopen(follow_up=follow_up, by=request.user):
        messages.success(request, _("“%(action)s” is open again.") % {"action": follow_up})
    return _back(request)


def figures(request):
    """The support figures of a year, each linking to the list of the sessions it counts."""
    if not can_view_support(request.user):
        raise PermissionDenied
    years = selectors.support_years()
    year_text = request.GET.get("year", "")
    year = int(year_text) if year_text.isdigit() and 1980 <= int(year_text) <= 2100 else years[0]
    sessions_url = reverse("admin:support_supportsession_changelist")

    def link(**filters) -> str:
        return f"{sessions_url}?{urlencode({'year': year, **filters})}"

    data = selectors.support_figures(period=Period.year(year))
    sections = [
        (_("By département"), "departement", data["by_departement"]),
        (_("By theme"), "theme", data["by_theme"]),
        (_("By country of the project"), "country", data["by_country"]),
        (_("By kind of help"), "help", data["by_help_kind"]),
    ]
    context = {
        **admin.site.each_context(request),
        "title": _("Support figures"),
        "opts": SupportSession._meta,
        "year": year,
        "years": years,
        "totals": data["totals"],
        "year_url": link(),
        "sections": [
            (
                title,
                [
                    (row, link(**{parameter: row.key if row.key is not None else "none"}))
                    for row in rows
                ],
            )
            for title, parameter, rows in sections
        ],
        "follow_ups_url": reverse(FOLLOW_UPS_URL),
    }
    return TemplateResponse(request, "admin/support/figures.html", context)
