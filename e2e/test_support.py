"""Staff log a support session with a follow-up in a real browser, then mark it done."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from observatoire.core.testing import make_organization, make_person
from observatoire.organizations.models import Affiliation
from observatoire.support.models import FollowUpAction, SupportSession

pytestmark = pytest.mark.browser


def test_staff_log_a_support_session_and_mark_its_follow_up_done(staff_page):
    page = staff_page
    organization = make_organization("Association Eau Vive Charente")
    awa = make_person()
    Affiliation.objects.create(person=awa, organization=organization, role="Présidente")
    today = timezone.localdate()

    page.goto(reverse("admin:organizations_organization_change", args=[organization.pk]))
    panel = page.locator(".record-panel", has_text="Accompagnements")
    expect(panel).to_contain_text("Aucun accompagnement enregistré")
    panel.get_by_role("link", name="Enregistrer un accompagnement").click()

    page.fill("input[name=duration_minutes]", "90")
    page.get_by_label("Visioconférence").check()
    page.fill("input[name=subject]", "Dossier pour l'appel à projets de la Région")
    page.get_by_label("Awa Traoré").check()
    page.get_by_label("Recherche de financements").check()
    page.fill("input[name=follow_ups-0-description]", "Relire le dossier avant dépôt")
    yesterday = today - datetime.timedelta(days=1)
    page.fill("input[name=follow_ups-0-due_on]", yesterday.strftime("%d/%m/%Y"))
    page.click("input[name=_save]")

    # A due date before the session is explained, and nothing typed is lost.
    expect(page.locator(".errorlist").first).to_contain_text("avant la séance")
    expect(page.locator("input[name=subject]")).to_have_value(
        "Dossier pour l'appel à projets de la Région"
    )
    expect(page.locator("input[name=follow_ups-0-description]")).to_have_value(
        "Relire le dossier avant dépôt"
    )
    assert not SupportSession.objects.exists()
    due = today + datetime.timedelta(days=7)
    page.fill("input[name=follow_ups-0-due_on]", due.strftime("%d/%m/%Y"))
    page.click("input[name=_save]")
    expect(page.locator(".messagelist")).to_contain_text("ajouté")

    session = SupportSession.objects.get()
    assert session.organization == organization and session.mode == "video"
    assert list(session.people.all()) == [awa]

    page.get_by_role("link", name="Mes suivis : 1 à faire").click()
    row = page.locator("tr.follow-up", has_text="Relire le dossier avant dépôt")
    expect(row).to_contain_text("Association Eau Vive Charente")
    row.get_by_role("button", name="Marquer comme fait").click()
    expect(page.locator(".messagelist")).to_contain_text("est fait")
    done = page.locator(".module", has_text="Faits ces 14 derniers jours")
    expect(done.locator("tr.follow-up")).to_contain_text("Relire le dossier avant dépôt")

    follow_up = FollowUpAction.objects.get()
    assert follow_up.done_at is not None
    assert follow_up.done_by.email == "claire.martin@example.org"

    page.goto(reverse("admin:organizations_organization_change", args=[organization.pk]))
    expect(page.locator(".support-timeline")).to_contain_text("fait le")
