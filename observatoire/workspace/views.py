from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from . import selectors


@login_required
def home(request):
    """The work view: partnerships, projects, missions, reports and payments due, delays."""
    mine = request.GET.get("scope") == "mine"
    workspace = selectors.workspace_for(user=request.user, mine=mine)
    return render(request, "workspace/home.html", {"workspace": workspace})
