"""The services of projects: phases and checklists, DAC proposal, shares, dates, partners."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from observatoire.core.testing import make_organization
from observatoire.projects import services
from observatoire.projects.models import (
    ChecklistItem,
    ChecklistTemplateItem,
    ExpectedResult,
    Indicator,
    IndicatorValue,
    Objective,
    Phase,
    Project,
    ProjectPartner,
)
from observatoire.referentials.models import Country, OrganizationKind, Theme

pytestmark = pytest.mark.django_db


def test_a_new_project_copies_the_checklist_of_its_phase_and_gets_its_lead(project, organization):
    titles = [item.title for item in services.checklist_for_phase(project, Phase.EMERGENCE)]
    template = ChecklistTemplateItem.objects.filter(phase=Phase.EMERGENCE, is_active=True)
    assert titles == [entry.title for entry in template]
    assert project.lead_partner == organization
    assert project.slug == "eau-potable-a-dedougou"
    assert not ChecklistItem.objects.filter(project=project, phase=Phase.CONSTRUCTION).exists()


def test_checklist_for_phase_adds_only_the_missing_entries(project):
    first = services.checklist_for_phase(project, Phase.EMERGENCE)
    again = services.checklist_for_phase(project, Phase.EMERGENCE)
    assert [item.pk for item in first] == [item.pk for item in again]
    entry = ChecklistTemplateItem.objects.create(
        phase=Phase.EMERGENCE, title="Visite de terrain", position=99
    )
    assert services.checklist_for_phase(project, Phase.EMERGENCE)[-1].template_item == entry
    ChecklistTemplateItem.objects.filter(pk=entry.pk).update(is_active=False)
    other = services.project_save(project=Project(title="Autre projet"))
    assert "Visite de terrain" not in [i.title for i in other.checklist.all()]


def test_lacking_items_are_those_not_ticked(project, staff):
    items = services.checklist_for_phase(project, Phase.EMERGENCE)
    services.checklist_item_tick(item=items[0], user=staff)
    lacking = services.checklist_lacking(project)
    assert items[0] not in lacking and len(lacking) == len(items) - 1
    assert items[0].done_by == staff and items[0].done_on == timezone.localdate()
    services.checklist_item_tick(item=items[0], user=staff, done=False)
    assert len(services.checklist_lacking(project)) == len(items)


def test_moving_on_with_entries_missing_warns_then_goes_when_forced(project, staff):
    with pytest.raises(services.ChecklistIncomplete) as raised:
        services.project_change_phase(project, Phase.CONSTRUCTION, user=staff)
    assert len(raised.value.lacking) == 4
    project.refresh_from_db()
    assert project.phase == Phase.EMERGENCE

    services.project_change_phase(project, Phase.CONSTRUCTION, user=staff, force=True)
    project.refresh_from_db()
    assert project.phase == Phase.CONSTRUCTION
    assert ChecklistItem.objects.filter(project=project, phase=Phase.CONSTRUCTION).count() == 5
    change = project.history.first()
    assert change.history_change_reason == "phase: emergence → construction (forced)"
    assert change.history_user == staff


def test_a_complete_phase_moves_on_without_confirmation(project, staff):
    for item in services.checklist_for_phase(project, Phase.EMERGENCE):
        services.checklist_item_tick(item=item, user=staff)
    services.project_change_phase(project, Phase.CONSTRUCTION, user=staff)
    for item in services.checklist_for_phase(project, Phase.CONSTRUCTION):
        services.checklist_item_tick(item=item, user=staff)
    services.project_change_phase(project, Phase.IMPLEMENTATION, user=staff)
    project.refresh_from_db()
    assert project.phase == Phase.IMPLEMENTATION
    assert project.actual_start == timezone.localdate()
    assert project.iati_activity_status == "2"


def test_suspending_or_going_back_needs_no_confirmation(project):
    services.project_change_phase(project, Phase.SUSPENDED)
    assert project.phase == Phase.SUSPENDED
    services.project_change_phase(project, Phase.EMERGENCE)
    assert project.phase == Phase.EMERGENCE
    with pytest.raises(ValidationError):
        services.project_change_phase(project, "nowhere")


def test_dac_sectors_are_proposed_from_the_themes_crosswalk():
    water = Theme.objects.get(slug="water-sanitation")
    proposed = list(services.proposed_dac_sectors([water]))
    assert proposed and all(sector.code.startswith("14") for sector in proposed)
    assert list(services.proposed_dac_sectors([water.pk])) == proposed
    assert not services.proposed_dac_sectors([]).exists()


@pytest.mark.parametrize(
    ("shares", "refused"),
    [
        ([Decimal("60"), Decimal("40")], False),
        ([Decimal("60"), None, Decimal("40")], False),
        ([Decimal("60"), Decimal("40.5")], True),
    ],
)
def test_shares_of_the_budget_over_100_percent_are_refused(shares, refused):
    if refused:
        with pytest.raises(ValidationError) as raised:
            services.check_budget_shares(shares)
        assert "100,5 %" in raised.value.messages[0]
    else:
        services.check_budget_shares(shares)


def test_a_project_ending_before_it_starts_is_refused():
    project = Project(
        title="À rebours",
        planned_start=datetime.date(2026, 6, 1),
        planned_end=datetime.date(2026, 1, 1),
    )
    with pytest.raises(ValidationError) as raised:
        services.project_save(project=project)
    assert "planned_end" in raised.value.message_dict
    assert not Project.objects.filter(title="À rebours").exists()


def test_one_lead_partner_and_one_entry_per_role(project, organization):
    other = make_organization("Ville de Tulle", kind_slug="commune")
    with pytest.raises(ValidationError):
        services.project_partner_add(
            project=project, organization=other, role=ProjectPartner.Role.LEAD
        )
    services.project_partner_add(
        project=project, organization=other, role=ProjectPartner.Role.FUNDER
    )
    with pytest.raises(ValidationError):
        services.project_partner_add(
            project=project, organization=other, role=ProjectPartner.Role.FUNDER
        )
    funder = project.partners.get(organization=other)
    assert funder.iati_role == ProjectPartner.IatiRole.FUNDING


def test_a_partner_with_transactions_is_not_removed(project, organization):
    from observatoire.finance.models import Transaction

    lead = project.partners.get()
    Transaction.objects.create(
        project=project,
        kind=Transaction.Kind.EXPENDITURE,
        date=datetime.date(2026, 1, 15),
        amount=Decimal("1200"),
        partner=lead,
    )
    with pytest.raises(ValidationError) as raised:
        services.project_partner_remove(partner=lead)
    assert "ne peut pas être retiré" in raised.value.messages[0]
    assert project.partners.filter(pk=lead.pk).exists()


def test_a_partner_abroad_is_created_lightly():
    organization = services.foreign_partner_create(
        name="Commune urbaine de Berkane",
        kind=OrganizationKind.objects.get(slug="commune"),
        seat_country=Country.objects.get(iso2="MA"),
        seat_locality="Berkane",
        latitude=Decimal("34.92"),
        longitude=Decimal("-2.32"),
    )
    assert organization.legal_form == "foreign"
    assert organization.seat_country.iso2 == "MA" and organization.commune is None
    assert organization.coordinates_overridden


def test_one_value_per_period_and_periods_in_order(project):
    objective = Objective.objects.create(project=project, level="specific", title="Accès à l'eau")
    result = ExpectedResult.objects.create(objective=objective, title="Bornes posées")
    indicator = Indicator.objects.create(result=result, name="Bornes en service", target=20)
    value = IndicatorValue(
        indicator=indicator,
        period_start=datetime.date(2026, 1, 1),
        period_end=datetime.date(2026, 6, 30),
        value=Decimal("8"),
    )
    services.indicator_value_record(value=value)
    again = IndicatorValue(
        indicator=indicator,
        period_start=datetime.date(2026, 1, 1),
        period_end=datetime.date(2026, 3, 31),
        value=Decimal("3"),
    )
    with pytest.raises(ValidationError) as raised:
        services.indicator_value_record(value=again)
    assert "period_start" in raised.value.message_dict
    backwards = IndicatorValue(
        indicator=indicator,
        period_start=datetime.date(2026, 7, 1),
        period_end=datetime.date(2026, 6, 1),
        value=Decimal("3"),
    )
    with pytest.raises(ValidationError) as raised:
        services.indicator_value_record(value=backwards)
    assert "period_end" in raised.value.message_dict
