from django.urls import path

from . import contact, records, views

app_name = "portal"
urlpatterns = [
    # The public page of one organisation, of one project, and the contact form.
    path("annuaire/<slug:slug>/", records.organization_detail, name="organization"),
    path(
        "annuaire/<slug:slug>/contact/", contact.organization_contact, name="organization_contact"
    ),
    path(
        "annuaire/<slug:slug>/contact/envoye/",
        contact.organization_contact_sent,
        name="organization_contact_sent",
    ),
    path("projets/<slug:slug>/", records.project_detail, name="project"),
    path("projets/<slug:slug>/photos/<int:pk>/", records.project_photo, name="project_photo"),
]

# The search pages: the directory and the project panorama.
urlpatterns += [
    path("annuaire/", views.directory, name="directory"),
    path("projets/", views.panorama, name="panorama"),
]
