import pytest
from django.urls import reverse

from observatoire.projects.models import Project
from observatoire.projects.services import project_save
from observatoire.publishing import services

pytestmark = pytest.mark.django_db


def test_staff_read_submissions_in_the_back_office_and_decide_in_the_queue(
    client, organization, editor, staff
):
    project = project_save(project=Project(title="Maraîchage à Kaya"), lead=organization)
    submission = services.publication_request(obj=project, organization=organization, user=editor)
    client.force_login(staff)
    listing = client.get(reverse("admin:publishing_submission_changelist"))
    assert listing.status_code == 200 and organization.name in listing.text
    page = client.get(reverse("admin:publishing_submission_change", args=[submission.pk]))
    assert reverse("moderation:submission", args=[submission.pk]) in page.text
    assert 'name="_save"' not in page.text  # read-only
    client.force_login(editor)
    assert client.get(reverse("admin:publishing_submission_changelist")).status_code == 302
