"""Events back office in a browser: check-in on a tablet, a sitting typed in Dakar time."""

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from observatoire.events.models import Attendance
from observatoire.events.selectors import participations
from observatoire.events.tests.backoffice_factories import make_event, register

pytestmark = pytest.mark.browser


def test_staff_check_in_two_people_and_record_the_rest_as_no_shows(staff_page):
    page = staff_page
    page.set_viewport_size({"width": 800, "height": 1100})  # a tablet held upright
    event = make_event("Le cadre logique pas à pas", days=0)
    sitting = event.sittings.get()
    awa = register(event, "Awa", "Traoré")
    jean = register(event, "Jean", "Martin")
    register(event, "Fatou", "Sawadogo")
    register(event, "Léa", "Petit")

    page.goto(reverse("admin:events_sitting_checkin", args=[sitting.pk]))
    expect(page.get_by_role("heading", name="Le cadre logique pas à pas")).to_be_visible()
    expect(page.locator('[data-count="expected"]')).to_have_text("4")

    # Search as you type: accents and case do not matter.
    page.get_by_placeholder("Chercher un nom ou une structure").fill("trao")
    expect(page.locator(".checkin-row:visible")).to_have_count(1)
    page.get_by_role("button", name="TRAORÉ Awa : présent·e").click()
    expect(page.locator(f"#r-{awa.pk}")).to_have_class("checkin-row is-present", timeout=5000)
    expect(page.locator('[data-count="present"]')).to_have_text("1")

    page.get_by_placeholder("Chercher un nom ou une structure").fill("martin")
    page.get_by_role("button", name="MARTIN Jean : présent·e").click()
    expect(page.locator('[data-count="present"]')).to_have_text("2")
    page.get_by_placeholder("Chercher un nom ou une structure").fill("")
    expect(page.locator(".checkin-row:visible")).to_have_count(4)

    page.get_by_role("button", name="Noter tous les autres absents").click()
    expect(page.locator(".messages")).to_contain_text("2 personne(s) notée(s) absente(s)")
    expect(page.locator('[data-count="absent"]')).to_have_text("2")
    expect(page.locator(".checkin-row.is-absent")).to_have_count(2)

    assert Attendance.objects.filter(sitting=sitting, present=True).count() == 2
    assert Attendance.objects.filter(sitting=sitting, present=False).count() == 2
    assert set(participations(event.registrations.all())) == {awa, jean}


def test_staff_type_a_sitting_in_dakar_time_and_see_the_paris_time(staff_page):
    from observatoire.events.models import Event

    page = staff_page
    page.goto(reverse("admin:events_event_add"))
    page.get_by_label("Titre").first.fill("Webinaire avec nos partenaires de Dakar")
    page.get_by_label("Type").select_option(label="Webinaire")
    row = (
        page.locator("tr.dynamic-sittings, tr.form-row")
        .filter(has=page.locator("select[name$='-time_zone']"))
        .first
    )
    row.locator("select[name$='-time_zone']").select_option("Africa/Dakar")
    row.locator("input[name$='-starts_local_0']").fill("15/01/2027")
    row.locator("input[name$='-starts_local_1']").fill("15:00")
    row.locator("input[name$='-ends_local_0']").fill("15/01/2027")
    row.locator("input[name$='-ends_local_1']").fill("14:00")
    row.locator("input[name$='-ends_local_1']").press("Tab")
    # Dakar is one hour behind Paris in January.
    expect(row.locator(".field-paris_time")).to_contain_text("15/01/2027 16:00")

    page.get_by_role("button", name="Enregistrer", exact=True).click()
    expect(page.locator(".errorlist")).to_contain_text("avant de commencer")
    expect(page.get_by_label("Titre").first).to_have_value(
        "Webinaire avec nos partenaires de Dakar"
    )
    row = page.locator("tr.form-row").filter(has=page.locator("select[name$='-time_zone']")).first
    row.locator("input[name$='-ends_local_1']").fill("17:00")
    page.get_by_role("button", name="Enregistrer", exact=True).click()
    expect(page.locator(".messagelist")).to_be_visible()
    sitting = Event.objects.get().sittings.get()
    assert sitting.starts_at.isoformat() == "2027-01-15T15:00:00+00:00"
