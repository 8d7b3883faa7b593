from django.contrib.sitemaps import views as sitemap_views
from django.http import HttpResponse, HttpResponsePermanentRedirect
from django.templatetags.static import static
from django.urls import reverse
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_GET

from observatoire.core.public_cache import cached_public

from .sitemaps import SITEMAPS

# Pages no search engine has any business with: the back office, workspaces, accounts.
ROBOTS_DISALLOW = ["/gestion/", "/espace/", "/compte/"]


@require_GET
@cache_control(max_age=60 * 60 * 24, public=True)
def robots_txt(request):
    lines = [
        "User-agent: *",
        *(f"Disallow: {prefix}" for prefix in ROBOTS_DISALLOW),
        "",
        f"Sitemap: {request.build_absolute_uri(reverse('feeds:sitemap'))}",
        "",
    ]
    return HttpResponse("\n".join(lines), content_type="text/plain; charset=utf-8")


@require_GET
def favicon(request):
    """Browsers and crawlers ask for /favicon.ico whatever a page's <link rel="icon"> says."""
    # Resolved per request: the static files' manifest may not exist when URLs are imported.
    return HttpResponsePermanentRedirect(static("favicon.svg"))


@require_GET
def sitemap_section(request, section: str):
    """One file of the sitemap, Django's, kept in the public cache until the public data changes.

    A file of 10,000 addresses takes a second or two to render (bench/bench_sitemap.py), and
    crawlers fetch every file of the index in a row.
    """
    page = request.GET.get("p", "1")[:12]
    key = f"sitemap:{request.scheme}://{request.get_host()}:{section}:{page}"

    def render() -> bytes:
        response = sitemap_views.sitemap(request, sitemaps=SITEMAPS, section=section)
        response.render()
        return response.content

    response = HttpResponse(cached_public(key, render), content_type="application/xml")
    response["X-Robots-Tag"] = "noindex, noodp, noarchive"
    return response
