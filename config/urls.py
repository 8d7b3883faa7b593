from django.conf import settings
from django.contrib import admin
from django.urls import include, path
from django.utils.translation import gettext_lazy as _
from django.views.i18n import JavaScriptCatalog

admin.site.site_header = settings.NETWORK_NAME
admin.site.site_title = "Observatoire"
admin.site.index_title = _("Back office")
# The list pages need the width more than the app menu.
admin.site.enable_nav_sidebar = False

urlpatterns = [
    path("", include("observatoire.core.urls")),
    path("", include("observatoire.portal.urls")),
    path("", include("observatoire.maps.urls")),
    path("", include("observatoire.feeds.urls")),
    path("actualites/", include("observatoire.news.urls")),
    # Before the watch's pages: /opportunites/lettre/<token>/ is the digest's, not an item's.
    path("", include("observatoire.matching.urls")),
    path("opportunites/", include("observatoire.watch.urls")),
    path("compte/", include("observatoire.accounts.urls")),
    # The campaigns' archive and counters before the newsletters' own /lettre/ pages.
    path("lettre/", include("observatoire.campaigns.public_urls")),
    path("lettre/", include("observatoire.newsletters.urls")),
    path("registre/", include("observatoire.organizations.urls")),
    path("referencement/", include("observatoire.referencing.urls")),
    path("questionnaire/", include("observatoire.surveys.urls")),
    path("evenements/", include("observatoire.events.urls")),
    path("groupes/", include("observatoire.groups.urls")),
    path("appels/", include("observatoire.calls.urls")),
    # Before the calls' staff pages under /espace/appels/.
    path("espace/appels/selection/", include("observatoire.selection.urls")),
    path("espace/appels/suivi/", include("observatoire.grants.urls")),
    path("jury/", include("observatoire.selection.jury_urls")),
    path("espace/", include("observatoire.workspace.urls")),
    path("espace/veille/", include("observatoire.watch.staff_urls")),
    path("espace/listes/", include("observatoire.newsletters.staff_urls")),
    path("espace/campagnes/", include("observatoire.campaigns.urls")),
    path("espace/appels/", include("observatoire.calls.staff_urls")),
    path("espace/organisation/", include("observatoire.publishing.urls")),
    path("espace/moderation/", include("observatoire.publishing.moderation_urls")),
    path("espace/projets/", include("observatoire.projects.urls")),
    path("espace/projets/", include("observatoire.finance.urls")),
    path("espace/partenariats/", include("observatoire.partnerships.urls")),
    path("observatoire/rapports/", include("observatoire.reports.urls")),
    path("rapport-annuel/", include("observatoire.reports.public_urls")),
    path("observatoire/", include("observatoire.observatory.urls")),
    path("donnees-ouvertes/", include("observatoire.opendata.urls")),
    path("api/", include("observatoire.api.urls")),
    path("compte/jetons/", include("observatoire.api.token_urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("jsi18n/", JavaScriptCatalog.as_view(), name="javascript-catalog"),
    path("gestion/evenements/", include("observatoire.events.import_urls")),
    path("gestion/", admin.site.urls),
]
