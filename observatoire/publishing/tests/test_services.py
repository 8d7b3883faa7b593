"""Moderation: what editors propose reaches the public only once staff approve it."""

import io

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from PIL import Image

from observatoire.core.images import clean_image
from observatoire.events.models import Event
from observatoire.news.models import NewsItem
from observatoire.projects.models import Project
from observatoire.projects.services import project_save
from observatoire.publishing import services
from observatoire.publishing.models import Submission
from observatoire.referentials.models import SDG

pytestmark = pytest.mark.django_db


def _project(organization, editor, title="Eau potable à Dédougou") -> Project:
    return project_save(project=Project(title=title), changed_by=editor, lead=organization)


def _proposal(organization, **values) -> dict:
    return {**services.organization_current_values(organization), **values}


def test_organisation_changes_wait_for_approval(organization, editor, staff):
    sdg = SDG.objects.get(number=6)
    submission = services.organization_details_propose(
        organization=organization,
        proposed=_proposal(
            organization, description="Eau et assainissement à Koudougou.", sdgs=[sdg.pk]
        ),
        user=editor,
    )
    assert submission.status == Submission.Status.PENDING
    assert set(submission.changes) == {"description", "sdgs"}
    organization.refresh_from_db()
    assert organization.description == "Puits et latrines au Burkina Faso."
    assert not organization.sdgs.exists()

    services.submission_approve(submission=submission, reviewer=staff)

    organization.refresh_from_db()
    assert organization.description == "Eau et assainissement à Koudougou."
    assert list(organization.sdgs.all()) == [sdg]
    latest = organization.history.first()
    assert latest.history_user == staff
    assert "approved" in latest.history_change_reason


def test_a_rejected_submission_changes_and_publishes_nothing(organization, editor, staff):
    project = _project(organization, editor)
    submission = services.publication_request(obj=project, organization=organization, user=editor)
    services.submission_reject(submission=submission, reviewer=staff, reason="Projet en doublon.")
    project.refresh_from_db()
    assert not project.is_published
    submission.refresh_from_db()
    assert submission.status == Submission.Status.REJECTED
    assert submission.message == "Projet en doublon."
    assert submission.reviewed_by == staff

    details = services.organization_details_propose(
        organization=organization,
        proposed=_proposal(organization, website="https://spam.example"),
        user=editor,
    )
    services.submission_reject(submission=details, reviewer=staff, reason="Site sans rapport.")
    organization.refresh_from_db()
    assert organization.website == ""


def test_rejecting_or_asking_for_changes_needs_a_reason(organization, editor, staff):
    project = _project(organization, editor)
    submission = services.publication_request(obj=project, organization=organization, user=editor)
    with pytest.raises(ValidationError):
        services.submission_reject(submission=submission, reviewer=staff, reason="  ")
    with pytest.raises(ValidationError):
        services.submission_request_changes(submission=submission, reviewer=staff, message="")
    submission.refresh_from_db()
    assert submission.status == Submission.Status.PENDING


def test_changes_requested_then_asked_again_returns_to_the_queue(organization, editor, staff):
    project = _project(organization, editor)
    submission = services.publication_request(obj=project, organization=organization, user=editor)
    services.submission_request_changes(
        submission=submission, reviewer=staff, message="Ajoutez un résumé."
    )
    again = services.publication_request(obj=project, organization=organization, user=editor)
    assert again.pk == submission.pk
    assert again.status == Submission.Status.PENDING
    assert again.message == ""
    services.submission_approve(submission=again, reviewer=staff)
    project.refresh_from_db()
    assert project.is_published
    assert project.history.first().history_user == staff


def test_a_decided_submission_cannot_be_decided_again(organization, editor, staff):
    project = _project(organization, editor)
    submission = services.publication_request(obj=project, organization=organization, user=editor)
    services.submission_reject(submission=submission, reviewer=staff, reason="Non.")
    with pytest.raises(ValidationError):
        services.submission_approve(submission=submission, reviewer=staff)
    project.refresh_from_db()
    assert not project.is_published


def test_a_trusted_organisation_publishes_directly(organization, editor):
    organization.publishes_directly = True
    organization.save()
    project = _project(organization, editor)
    assert services.publication_request(obj=project, organization=organization, user=editor) is None
    project.refresh_from_db()
    assert project.is_published
    assert project.history.first().history_user == editor

    assert (
        services.organization_details_propose(
            organization=organization,
            proposed=_proposal(organization, phone="05 49 00 00 00"),
            user=editor,
        )
        is None
    )
    organization.refresh_from_db()
    assert organization.phone == "05 49 00 00 00"
    assert organization.history.first().history_user == editor
    assert not Submission.objects.exists()


def test_a_newer_proposal_replaces_the_waiting_one(organization, editor):
    first = services.organization_details_propose(
        organization=organization,
        proposed=_proposal(organization, phone="05 49 00 00 00"),
        user=editor,
    )
    second = services.organization_details_propose(
        organization=organization,
        proposed=_proposal(organization, phone="05 49 11 11 11", website="https://eauvive.example"),
        user=editor,
    )
    assert second.pk == first.pk
    assert second.changes == {"phone": "05 49 11 11 11", "website": "https://eauvive.example"}
    assert Submission.objects.count() == 1


def test_visibility_changes_are_moderated_too(organization, editor, staff):
    submission = services.organization_details_propose(
        organization=organization,
        proposed=_proposal(organization, field_visibility={"description": "staff"}),
        user=editor,
    )
    organization.refresh_from_db()
    assert "description" not in organization.field_visibility
    services.submission_approve(submission=submission, reviewer=staff)
    organization.refresh_from_db()
    assert organization.field_visibility["description"] == "staff"


def test_a_proposed_event_is_published_on_approval(organization, editor, staff):
    import datetime

    from django.utils import timezone

    starts = timezone.now() + datetime.timedelta(days=30)
    event, submission = services.event_propose(
        organization=organization,
        user=editor,
        title="Conférence : l'eau au Sahel",
        kind=Event.Kind.PUBLIC_EVENT,
        starts_at=starts,
        ends_at=starts + datetime.timedelta(hours=2),
        venue="Espace Mendès-France, Poitiers",
    )
    assert event.status == Event.Status.DRAFT
    assert list(event.partner_organizers.all()) == [organization]
    assert not event.organized_by_network
    services.submission_approve(submission=submission, reviewer=staff)
    event.refresh_from_db()
    assert event.status == Event.Status.PUBLISHED


def _png(width=2400, height=1200) -> io.BytesIO:
    buffer = io.BytesIO()
    Image.new("RGB", (width, height), "teal").save(buffer, "PNG")
    buffer.seek(0)
    buffer.name = "photo.png"
    buffer.size = len(buffer.getvalue())
    return buffer


def test_news_is_published_on_approval_with_a_cleaned_image(organization, editor, staff):
    item = NewsItem(title="Inauguration du forage de Tikaré", body="Le forage est en service.")
    item, submission = services.news_item_save(
        item=item, organization=organization, user=editor, image=clean_image(_png())
    )
    assert not item.is_published
    assert item.image.name.endswith(".png")
    with item.image.open() as file, Image.open(file) as stored:
        assert max(stored.size) == 1600
    services.submission_approve(submission=submission, reviewer=staff)
    item.refresh_from_db()
    assert item.is_published and item.published_at
    assert NewsItem.objects.published().get() == item


def test_editing_published_news_takes_it_offline_until_approved(organization, editor, staff):
    item, submission = services.news_item_save(
        item=NewsItem(title="Assemblée générale", body="Texte."),
        organization=organization,
        user=editor,
    )
    services.submission_approve(submission=submission, reviewer=staff)
    item.refresh_from_db()
    item.body = "Texte corrigé."
    item, again = services.news_item_save(item=item, organization=organization, user=editor)
    assert not item.is_published
    assert again.status == Submission.Status.PENDING


def test_the_editor_is_mailed_at_each_decision(
    organization, editor, staff, mailoutbox, django_capture_on_commit_callbacks, settings
):
    settings.NETWORK_CONTACT_EMAIL = "reseau@example.org"
    project = _project(organization, editor)
    submission = services.publication_request(obj=project, organization=organization, user=editor)
    with django_capture_on_commit_callbacks(execute=True):
        services.submission_request_changes(
            submission=submission, reviewer=staff, message="Précisez les partenaires."
        )
    with django_capture_on_commit_callbacks(execute=True):
        services.publication_request(obj=project, organization=organization, user=editor)
        services.submission_approve(submission=submission, reviewer=staff)
    recipients = [m.to for m in mailoutbox]
    assert recipients == [[editor.email], [editor.email], ["reseau@example.org"], [editor.email]]
    changes, received, to_review, approved = mailoutbox
    assert reverse("moderation:submission", args=[submission.pk]) in to_review.body
    assert "Précisez les partenaires." in changes.body
    assert received.subject.startswith("Reçu")
    assert approved.subject == "Approuvé : Eau potable à Dédougou"


def test_roles_and_details_proposed_apart_wait_together(organization, editor, staff):
    from observatoire.core.testing import make_person
    from observatoire.organizations.models import Affiliation

    affiliation = Affiliation.objects.create(
        person=make_person(), organization=organization, role="Chargée de projets"
    )
    services.organization_details_propose(
        organization=organization,
        proposed={"roles": {str(affiliation.pk): "Présidente"}},
        user=editor,
    )
    submission = services.organization_details_propose(
        organization=organization,
        proposed=_proposal(organization, phone="05 45 00 00 00"),
        user=editor,
    )
    assert submission.changes == {
        "roles": {str(affiliation.pk): "Présidente"},
        "phone": "05 45 00 00 00",
    }
    # Setting the phone back leaves only the role waiting; setting that back too, nothing.
    services.organization_details_propose(
        organization=organization, proposed=_proposal(organization), user=editor
    )
    submission.refresh_from_db()
    assert submission.changes == {"roles": {str(affiliation.pk): "Présidente"}}
    services.organization_details_propose(
        organization=organization,
        proposed={"roles": {str(affiliation.pk): "Chargée de projets"}},
        user=editor,
    )
    assert not Submission.objects.exists()
