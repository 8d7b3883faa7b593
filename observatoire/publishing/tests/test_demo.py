"""The demo: the editor's submissions wait in the staff queue; one organisation is trusted."""

from django.urls import reverse

from observatoire.organizations.demo import (
    EDITED_ORGANIZATION,
    OFFICER_AUTHORITY,
)
from observatoire.organizations.models import Organization
from observatoire.organizations.testing import DemoNetworkTestCase
from observatoire.publishing.demo import EDITOR_EMAIL
from observatoire.publishing.models import Submission


class DemoPublishingTests(DemoNetworkTestCase):
    def test_the_demo_editor_has_pending_submissions_in_the_queue(self):
        pending = Submission.objects.pending()
        kinds = set(pending.values_list("kind", flat=True))
        assert {Submission.Kind.PROJECT, Submission.Kind.NEWS} <= kinds
        assert set(pending.values_list("organization__name", flat=True)) == {EDITED_ORGANIZATION}
        assert set(pending.values_list("submitted_by__email", flat=True)) == {EDITOR_EMAIL}
        staff = (
            Organization.objects.get(name=EDITED_ORGANIZATION)
            .editors.model.objects.filter(role="staff")
            .first()
        )
        self.client.force_login(staff)
        queue = self.client.get(reverse("moderation:queue"))
        for submission in pending:
            assert reverse("moderation:submission", args=[submission.pk]) in queue.text

    def test_one_organisation_publishes_directly(self):
        assert Organization.objects.get(name=OFFICER_AUTHORITY).publishes_directly
        assert not Organization.objects.get(name=EDITED_ORGANIZATION).publishes_directly
