from django.urls import path

from . import feeds, views

app_name = "watch"
urlpatterns = [
    path("", views.item_list, name="list"),
    path("rss/", feeds.OpportunityFeed(), name="rss"),
    path("atom/", feeds.OpportunityAtomFeed(), name="atom"),
    path("<slug:slug>/", views.item_detail, name="detail"),
]
