"""The demo network shows the public pages at work: events co-organised by listed
organisations, visibility choices, and the pages of its projects and organisations."""

from django.urls import reverse

from observatoire.events.models import Event
from observatoire.organizations.models import Organization
from observatoire.organizations.testing import DemoNetworkTestCase
from observatoire.projects.models import Project


class DemoPublicPagesTests(DemoNetworkTestCase):
    """One load of the whole demo network for the class: it takes seconds."""

    def test_an_organisation_page_lists_an_event_it_co_organises(self):
        event = Event.objects.published().filter(partner_organizers__isnull=False).first()
        assert event is not None
        organization = event.partner_organizers.first()
        response = self.client.get(reverse("portal:organization", args=[organization.slug]))
        assert response.status_code == 200
        self.assertContains(response, reverse("events:detail", args=[event.slug]))

    def test_some_organisations_keep_fields_for_members(self):
        chosen = Organization.objects.qualified().exclude(field_visibility={})
        assert chosen.count() >= 5

    def test_every_published_project_and_listed_organisation_has_a_page(self):
        for project in Project.objects.published()[:10]:
            response = self.client.get(reverse("portal:project", args=[project.slug]))
            assert response.status_code == 200, project
        for organization in Organization.objects.qualified().order_by("pk")[:10]:
            response = self.client.get(reverse("portal:organization", args=[organization.slug]))
            assert response.status_code == 200, organization
