from django.urls import path

from . import staff_views as views

app_name = "watch_staff"
urlpatterns = [
    path("", views.queue, name="queue"),
    path("nouvelle/", views.item_create, name="item_create"),
    path("<int:pk>/", views.item_edit, name="item_edit"),
    path("<int:pk>/ecarter/", views.item_discard, name="item_discard"),
    path("<int:pk>/fusionner/", views.item_merge, name="item_merge"),
    path("flux/", views.feeds, name="feeds"),
    path("flux/nouveau/", views.feed_form, name="feed_create"),
    path("flux/<int:pk>/", views.feed_form, name="feed_edit"),
    path("flux/<int:pk>/activer/", views.feed_toggle, name="feed_toggle"),
    path("flux/<int:pk>/lire/", views.feed_read, name="feed_read"),
]
