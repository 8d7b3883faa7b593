from django.core.paginator import Paginator
from django.shortcuts import render
from django.views.decorators.http import require_GET

from . import selectors

PER_PAGE = 12


@require_GET
def news_list(request):
    """Published news: all, the network's (`?source=reseau`) or one organisation's (its slug)."""
    sources = selectors.news_sources()
    source = request.GET.get("source", "")
    if source != selectors.SOURCE_NETWORK and source not in {o.slug for o in sources}:
        source = ""  # an unknown value shows every news item rather than an error
    news = selectors.news_filtered(source=source)
    page = Paginator(news, PER_PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "news/list.html",
        {
            "page": page,
            "sources": sources,
            "source": source,
            "network_source": selectors.SOURCE_NETWORK,
        },
    )


@require_GET
def news_detail(request, slug):
    item = selectors.public_news_item(slug)
    return render(request, "news/detail.html", {"item": item})
