"""Demo of the organisation space: what the demo editor sent for review, and a trusted organisation.

Run by `load_demo_network` after the projects and news (see `organizations.demo.load_app_demos`).
The editor of Association Eau Vive Charente (editeur@demo.observatoire.test) has asked to
publish a project and a news item and proposed new details: the staff queue shows all three.
Ville de Châtellerault publishes without moderation.
"""

import datetime

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from observatoire.news.models import NewsItem
from observatoire.organizations.demo import (
    DEMO_LOGIN_DOMAIN,
    EDITED_ORGANIZATION,
    OFFICER_AUTHORITY,
)
from observatoire.organizations.models import Organization
from observatoire.projects.models import Project, ProjectPartner
from observatoire.projects.services import project_save

from . import services
from .models import Submission

EDITOR_EMAIL = f"editeur@{DEMO_LOGIN_DOMAIN}"
NEWS_TITLE = "Douze forages réhabilités autour de Koudougou"
NEWS_BODY = (
    "Après neuf mois de travaux, les comités de l'eau de Koudougou et de Ouahigouya ont "
    "réceptionné douze forages réhabilités. Les membres des comités, formés à l'entretien des "
    "pompes, tiennent désormais un cahier des pannes et une caisse pour les pièces.\n\n"
    "Une soirée de restitution aura lieu à Angoulême au printemps : les bénévoles de retour du "
    "Burkina Faso y présenteront les photos du chantier."
)


def _unpublished_project(organization: Organization, editor) -> Project:
    led = ProjectPartner.objects.filter(
        organization=organization, role=ProjectPartner.Role.LEAD
    ).values("project")
    project = Project.objects.filter(pk__in=led, is_published=False).order_by("pk").first()
    if project is not None:
        return project
    return project_save(
        project=Project(
            title="Potagers scolaires à Tikaré",
            summary="Des potagers et un point d'eau dans trois écoles de Tikaré, tenus par les "
            "associations de parents d'élèves.",
        ),
        changed_by=editor,
        lead=organization,
    )


@transaction.atomic
def load_demo(*, seed: int) -> list[Submission]:
    """Pending submissions of the demo editor; does nothing without the demo register."""
    if Submission.objects.exists():
        return []
    editor = get_user_model().objects.filter(email=EDITOR_EMAIL).first()
    organization = Organization.objects.filter(name=EDITED_ORGANIZATION).first()
    if editor is None or organization is None:
        return []
    Organization.objects.filter(name=OFFICER_AUTHORITY).update(publishes_directly=True)
    organization.publishes_directly = False

    with services.without_mail():
        submissions = []
        # Submitted a few days apart, so the queue's order shows.
        project = _unpublished_project(organization, editor)
        submissions.append(
            services.publication_request(obj=project, organization=organization, user=editor)
        )
        _news, news_submission = services.news_item_save(
            item=NewsItem(
                title=NEWS_TITLE,
                summary="Les comités de l'eau ont réceptionné les travaux.",
                body=NEWS_BODY,
                language="fr",
            ),
            organization=organization,
            user=editor,
        )
        submissions.append(news_submission)
        proposed = services.organization_current_values(organization)
        proposed["description"] = (
            organization.description + "\n\n" if organization.description else ""
        ) + "Nous recherchons des bénévoles pour la restitution de nos chantiers au Burkina Faso."
        proposed["website"] = organization.website or "https://eau-vive-charente.example.org"
        submissions.append(
            services.organization_details_propose(
                organization=organization, proposed=proposed, user=editor
            )
        )
    now = timezone.now()
    for days, submission in zip((6, 3, 1), submissions, strict=True):
        if submission is not None:
            Submission.objects.filter(pk=submission.pk).update(
                submitted_at=now - datetime.timedelta(days=days)
            )
    return [s for s in submissions if s is not None]
