import datetime
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import Workbook

from observatoire.core.testing import make_organization
from observatoire.events import services
from observatoire.events.importers import registrations_import
from observatoire.events.models import Registration
from observatoire.organizations.models import Organization, Person

from .factories import make_event, make_person

CSV = (
    "Prénom;Nom;Courriel;Structure;Pays\n"
    "Awa;Diallo;awa.diallo@example.org;Association Eau Vive Charente;Sénégal\n"
    "Kossi;Mensah;kossi@example.org;Comité inconnu;TG\n"
    ";Sow;sow@example.org;;\n"
    "Jean;Martin;jean.martin@;;\n"
    "Awa;Diallo;AWA.DIALLO@example.org;;\n"
    "Paul;Durand;paul@example.org;;Atlantide\n"
    "Claire;Roux;claire@example.org;;France\n"
)


@pytest.mark.django_db
def test_an_attendee_list_registers_the_valid_rows_and_reports_the_others():
    event = make_event(capacity=1, starts_in=datetime.timedelta(days=-2))
    organization = make_organization(
        "Association Eau Vive Charente", status=Organization.Status.QUALIFIED
    )
    already = make_person("Claire", "Roux", email="claire@example.org")
    services.registration_create(
        event=event, person=already, email="claire@example.org", enforce_rules=False, notify=False
    )

    checked = registrations_import(event=event, file=io.BytesIO(CSV.encode("utf-8")), dry_run=True)
    assert (checked.rows, checked.created) == (7, 2)
    assert Registration.objects.count() == 1

    result = registrations_import(event=event, file=io.BytesIO(CSV.encode("utf-8")))
    reasons = {o.number: (o.action, o.reason) for o in result.outcomes}
    assert reasons[2][0] == "created"
    assert reasons[3] == (
        "created",
        "« Comité inconnu » n'est pas dans le répertoire : conservée telle quelle.",
    )
    assert "Le prénom manque" in reasons[4][1]
    assert "n’est pas une adresse e-mail valide" in reasons[5][1]
    assert reasons[6] == ("skipped", "Même personne qu'à la ligne 2 du fichier.")
    assert "Pays inconnu" in reasons[7][1]
    assert reasons[8][0] == "skipped" and "déjà inscrit" in reasons[8][1]

    awa = Registration.objects.get(email="awa.diallo@example.org")
    assert awa.organization == organization
    assert awa.country.iso2 == "SN"
    assert awa.source == Registration.Source.IMPORT
    assert awa.status == Registration.Status.CONFIRMED  # staff import past the capacity
    kossi = Registration.objects.get(email="kossi@example.org")
    assert (kossi.organization, kossi.organization_name) == (None, "Comité inconnu")
    assert Person.objects.filter(last_name="Mensah").count() == 1


@pytest.mark.django_db
def test_the_import_screen_checks_then_registers(client, staff, observatory):
    event = make_event()
    url = reverse("events_import:attendees", args=[event.pk])
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["First name", "Last name", "E-mail", "Organisation"])
    sheet.append(["Mariam", "Traoré", "mariam@example.org", ""])
    content = io.BytesIO()
    workbook.save(content)

    assert client.get(url).status_code == 302  # to the login page
    client.force_login(observatory)
    assert client.get(url).status_code == 403
    client.force_login(staff)
    assert client.get(url).status_code == 200

    upload = SimpleUploadedFile("inscrits.xlsx", content.getvalue())
    response = client.post(url, {"file": upload})
    page = response.content.decode()
    assert "Mariam Traoré" in page
    assert Registration.objects.count() == 0
    token = response.context["token"]
    response = client.post(url, {"token": token})
    assert Registration.objects.get().email == "mariam@example.org"
    assert client.post(url, {"token": token}).status_code == 302  # the file is gone

    wrong = SimpleUploadedFile("liste.csv", b"Nom;Ville\nDiallo;Dakar\n")
    page = client.post(url, {"file": wrong}).content.decode()
    assert "Aucune colonne trouvée pour" in page
