"""The public page of one organisation and of one project: only what their owners published."""

from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render

from observatoire.organizations.models import Organization
from observatoire.organizations.selectors import organization_field_visible
from observatoire.projects.models import Project


def public_organization(slug: str) -> Organization:
    """The listed organisation at `slug`; a merged record leads to the one it was merged into."""
    organization = get_object_or_404(Organization, slug=slug)
    survivor = organization.survivor
    if survivor.status != Organization.Status.QUALIFIED or not survivor.slug:
        raise Http404
    return survivor


def organization_detail(request, slug):
    organization = public_organization(slug)
    if organization.slug != slug:
        return redirect("portal:organization", slug=organization.slug, permanent=True)

    def visible(field):
        return organization_field_visible(organization, field, "public")

    return render(
        request,
        "portal/organization_detail.html",
        {
            "organization": organization,
            "description": organization.description if visible("description") else "",
            "website": organization.website if visible("website") else "",
            "themes": organization.themes.all() if visible("themes") else [],
            "sdgs": organization.sdgs.all() if visible("sdgs") else [],
            "countries": organization.countries.all() if visible("countries") else [],
        },
    )


def project_detail(request, slug):
    project = get_object_or_404(Project.objects.published(), slug=slug)
    return render(request, "portal/project_detail.html", {"project": project})
