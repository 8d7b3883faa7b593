"""A small network to count: organisations in two départements and of two kinds, members,
a training with its survey, support, a meeting, projects, a partnership, news."""

import datetime
from decimal import Decimal

import pytest
from django.utils import timezone

from observatoire.core.testing import make_organization
from observatoire.events.models import Event
from observatoire.events.tests.backoffice_factories import make_event, register
from observatoire.news.models import NewsItem
from observatoire.organizations.models import Membership, Organization
from observatoire.partnerships.models import Partnership
from observatoire.projects.models import Phase, Project, ProjectPartner
from observatoire.referencing.tests.factories import make_request
from observatoire.referentials.models import SDG, ActionKind, Commune, Country, Theme
from observatoire.support.tests.factories import make_session
from observatoire.surveys import services as survey_services
from observatoire.surveys.models import Choice, SurveyInvitation
from observatoire.surveys.tests.factories import ensure_default_template, make_training

QUALIFIED = Organization.Status.QUALIFIED


def _tag(record, *, sdgs=(), themes=(), countries=(), action_kinds=()):
    record.sdgs.set(SDG.objects.filter(number__in=sdgs))
    record.themes.set(themes)
    record.countries.set(Country.objects.filter(iso2__in=countries))
    if action_kinds:
        record.action_kinds.set(action_kinds)


def _answer(invitation, key):
    first, remarks = invitation.survey.template.questions.all()
    values = {first.pk: Choice.objects.get(question=first, key=key).pk, remarks.pk: ""}
    survey_services.response_submit(invitation=invitation, values=values)


@pytest.fixture
def network(staff):
    ensure_default_template()
    today = timezone.localdate()
    year = today.year
    bordeaux = Commune.objects.get(insee_code="33063")
    poitiers = Commune.objects.get(insee_code="86194")
    water, education = Theme.objects.order_by("position", "pk")[:2]
    projects_kind, ecsi = ActionKind.objects.order_by("position", "pk")[:2]

    eau_vive = make_organization("Eau Vive Gironde", commune=bordeaux, status=QUALIFIED)
    _tag(eau_vive, sdgs=[6], themes=[water], countries=["BF"], action_kinds=[projects_kind])
    solidarite = make_organization("Solidarité Vienne", commune=poitiers, status=QUALIFIED)
    _tag(solidarite, sdgs=[4, 6], themes=[education, water], countries=["SN", "BF"])
    poitiers_city = make_organization(
        "Ville de Poitiers", kind_slug="commune", commune=poitiers, status=QUALIFIED
    )
    _tag(poitiers_city, sdgs=[11], themes=[water], countries=["BF"], action_kinds=[ecsi])
    draft = make_organization("Brouillon Bordelais", commune=bordeaux)  # not listed
    _tag(draft, sdgs=[6], countries=["BF"])
    ouaga = make_organization(
        "Commune de Ouahigouya",
        kind_slug="commune",
        seat_country=Country.objects.get(iso2="BF"),
        status=QUALIFIED,
    )

    # Members of the year: two up to date, one unpaid; last year's fee does not count.
    Membership.objects.create(
        organization=eau_vive,
        year=year,
        college=eau_vive.kind.default_college,
        fee_amount=Decimal("50"),
        paid_on=datetime.date(year, 1, 1),
    )
    Membership.objects.create(
        organization=poitiers_city,
        year=year,
        college=poitiers_city.kind.default_college,
        fee_amount=Decimal("200"),
        paid_on=datetime.date(year, 1, 1),
    )
    Membership.objects.create(
        organization=solidarite,
        year=year,
        college=solidarite.kind.default_college,
        fee_amount=Decimal("30"),
    )
    Membership.objects.create(
        organization=solidarite,
        year=year - 1,
        college=solidarite.kind.default_college,
        fee_amount=Decimal("30"),
        paid_on=datetime.date(year - 1, 3, 1),
    )

    # A training of 4 participants: 2 very satisfied, 1 satisfied, 1 not very satisfied.
    training = make_training("Écrire un dossier de subvention AFD", people=4)
    survey_services.surveys_send_due()
    keys = ["very_satisfied", "very_satisfied", "satisfied", "not_very_satisfied"]
    for invitation, key in zip(
        SurveyInvitation.objects.filter(survey__event=training).order_by("pk"), keys, strict=True
    ):
        _answer(invitation, key)

    # A meeting: two people of Eau Vive and one of the city; a cancelled one does not count.
    meeting = make_event("Groupe pays Burkina Faso", kind=Event.Kind.MEETING, days=-5)
    register(meeting, "Awa", organization=eau_vive)
    register(meeting, "Jean", "Martin", organization=eau_vive)
    register(meeting, "Marie", "Durand", organization=poitiers_city)
    cancelled = make_event(
        "Réunion annulée", kind=Event.Kind.MEETING, days=-3, status=Event.Status.CANCELLED
    )
    register(cancelled, "Paul", "Girard", organization=eau_vive)

    # Support: two sessions for Eau Vive, one for the city, one two years ago.
    make_session(eau_vive, staff, days_ago=10, themes=[water], countries=[_bf()])
    make_session(eau_vive, staff, days_ago=20, themes=[water, education])
    make_session(poitiers_city, staff, days_ago=30, countries=[_bf()])
    make_session(poitiers_city, staff, occurred_on=today - datetime.timedelta(days=800))

    # Projects: both recorded now; one led by Eau Vive, one by the city.
    well = Project.objects.create(
        title="Puits à Kaya", slug="puits-kaya", phase=Phase.IMPLEMENTATION
    )
    _tag(well, sdgs=[6], countries=["BF"])
    ProjectPartner.objects.create(project=well, organization=eau_vive, role="lead")
    school = Project.objects.create(
        title="École de Louga", slug="ecole-louga", phase=Phase.COMPLETED
    )
    _tag(school, sdgs=[4], countries=["SN"])
    ProjectPartner.objects.create(project=school, organization=poitiers_city, role="lead")

    Partnership.objects.create(
        french_authority=poitiers_city, foreign_authority=ouaga, is_public=True
    )
    make_request("Association Kalo Diarra")
    NewsItem.objects.create(
        title="Assemblée générale", slug="ag", is_published=True, published_at=timezone.now()
    )
    return {
        "eau_vive": eau_vive,
        "solidarite": solidarite,
        "poitiers": poitiers_city,
        "water": water,
        "education": education,
        "training": training,
        "meeting": meeting,
    }


def _bf():
    return Country.objects.get(iso2="BF")
