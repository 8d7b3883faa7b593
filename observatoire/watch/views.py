"""Public pages of the watch: « Opportunités », a page per item, and their RSS and Atom feeds."""

from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.http import urlencode
from django.views.decorators.http import require_GET

from . import selectors
from .models import WatchItem

PER_PAGE = 20


@require_GET
def item_list(request):
    """Open published items, filtered by the query string (bad values are ignored)."""
    filters = selectors.PublicFilters.from_params(request.GET)
    items = selectors.public_items(filters=filters)
    page = Paginator(items, PER_PAGE).get_page(request.GET.get("page"))
    query = urlencode(filters.as_params())
    return render(
        request,
        "watch/list.html",
        {
            "page": page,
            "filters": filters,
            "query": query,
            "choices": selectors.filter_choices(),
            "kinds": WatchItem.Kind.choices,
            "today": timezone.localdate(),
        },
    )


@require_GET
def item_detail(request, slug: str):
    survivor = (
        WatchItem.objects.filter(slug=slug, merged_into__isnull=False)
        .values_list("merged_into__slug", flat=True)
        .first()
    )
    if survivor:
        return redirect("watch:detail", slug=survivor, permanent=True)
    item = selectors.public_item(slug)
    return render(
        request,
        "watch/detail.html",
        {"item": item, "closed": selectors.is_closed(item), "today": timezone.localdate()},
    )
