import datetime
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from observatoire.calls import services
from observatoire.calls.models import Application, Attachment, FormField
from observatoire.calls.notifications import application_path
from observatoire.calls.testing import PDF_BYTES, listed_organization, make_call
from observatoire.referencing.models import ReferencingRequest
from observatoire.referentials.models import OrganizationKind

pytestmark = pytest.mark.django_db


def _start(client, call, organization, email="marie@eauvive.test"):
    return client.post(
        reverse("calls:apply", args=[call.slug]),
        {
            "structure": organization.pk,
            "contact_name": "Marie Dupont",
            "contact_email": email,
            "project_title": "Forages solaires à Koudougou",
        },
    )


def _fields(call):
    return {field.kind: field for field in call.first_stage().fields.all()}


def _complete_answers(call, **extra):
    fields = _fields(call)
    data = {
        f"field_{fields['text'].pk}": "Des forages pour trois villages",
        f"field_{fields['amount'].pk}": "12 000,50",
        f"field_{fields['choice'].pk}": "Afrique",
        f"field_{fields['date'].pk}": "2027-03-01",
        f"field_{fields['budget_table'].pk}_0": "Forage",
        f"field_{fields['budget_table'].pk}_1": "9000",
        f"field_{fields['budget_table'].pk}_2": "Formation",
        f"field_{fields['budget_table'].pk}_3": "3000,50",
    }
    data.update(extra)
    return data


def test_search_finds_a_listed_organisation_by_name_and_siren(client):
    call = make_call()
    organization = listed_organization(siren="552100554")
    url = reverse("calls:apply", args=[call.slug])
    assert organization.name in client.get(url, {"q": "eau vive"}).content.decode()
    assert organization.name in client.get(url, {"q": "552 100 554"}).content.decode()


def test_starting_sends_the_link_and_opens_the_draft(client, smtp_server):
    call = make_call()
    organization = listed_organization()
    response = _start(client, call, organization)
    application = Application.objects.get()
    assert response.status_code == 302
    assert response["Location"] == application_path(application)
    assert application.status == Application.Status.DRAFT
    assert application.organization == organization
    [mail] = smtp_server.messages
    assert mail["To"] == "marie@eauvive.test"
    assert application_path(application) in mail.get_content()
    page = client.get(response["Location"])
    assert "Forages solaires" in page.content.decode()


def test_a_tampered_link_shows_a_french_error_page(client):
    call = make_call()
    _start(client, call, listed_organization())
    path = application_path(Application.objects.get())
    response = client.get(path[:-3] + "xy/")
    assert response.status_code == 404
    assert "Ce lien ne fonctionne pas" in response.content.decode()


def test_a_draft_keeps_what_is_valid_and_the_errors_keep_what_was_typed(client):
    call = make_call()
    _start(client, call, listed_organization())
    application = Application.objects.get()
    fields = _fields(call)
    too_long = "un deux trois quatre cinq six sept huit neuf dix onze"
    response = client.post(
        application_path(application),
        {
            f"field_{fields['text'].pk}": too_long,
            f"field_{fields['amount'].pk}": "-5",
            f"field_{fields['choice'].pk}": "Afrique",
            "save": "1",
        },
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "11 mots ; la limite est de 10" in page
    assert "montant positif" in page
    assert too_long in page
    submission = application.submissions.get()
    assert submission.answers == {str(fields["choice"].pk): "Afrique"}
    assert submission.submitted_at is None


def test_required_fields_are_checked_at_submission_only(client):
    call = make_call()
    _start(client, call, listed_organization())
    application = Application.objects.get()
    path = application_path(application)
    assert client.post(path, {"save": "1"}).status_code == 302
    response = client.post(path, {"submit": "1"})
    assert "Ce champ est obligatoire" in response.content.decode()
    application.refresh_from_db()
    assert application.status == Application.Status.DRAFT


def test_submission_confirms_by_mail_with_a_summary(client, smtp_server):
    call = make_call()
    _start(client, call, listed_organization())
    application = Application.objects.get()
    fields = _fields(call)
    data = _complete_answers(call)
    data[f"field_{fields['attachment'].pk}"] = SimpleUploadedFile("presentation.pdf", PDF_BYTES)
    data["submit"] = "1"
    response = client.post(application_path(application), data)
    assert response.status_code == 302, response.content.decode()
    application.refresh_from_db()
    assert application.status == Application.Status.SUBMITTED
    assert application.amount_requested == Decimal("12000.50")
    assert application.is_eligible is True
    submission = application.submissions.get()
    assert submission.answers[str(fields["budget_table"].pk)]["total"] == "12000.50"
    assert Attachment.objects.get().original_name == "presentation.pdf"
    confirmation = smtp_server.messages[-1]
    body = confirmation.get_content()
    assert "Candidature reçue" in confirmation["Subject"]
    assert "Des forages pour trois villages" in body
    assert "12 000,50 EUR" in body.replace("\u202f", " ").replace("\xa0", " ")
    assert "presentation.pdf" in body


def test_a_wrong_type_attachment_is_refused_and_the_rest_kept(client):
    call = make_call()
    _start(client, call, listed_organization())
    application = Application.objects.get()
    fields = _fields(call)
    data = _complete_answers(call)
    data[f"field_{fields['attachment'].pk}"] = SimpleUploadedFile(
        "presentation.pdf", b"PK\x03\x04 a zip renamed pdf"
    )
    data["submit"] = "1"
    response = client.post(application_path(application), data)
    assert "pas un fichier PDF" in response.content.decode()
    application.refresh_from_db()
    assert application.status == Application.Status.DRAFT
    assert application.submissions.get().answers[str(fields["text"].pk)].startswith("Des forages")
    assert not Attachment.objects.exists()


def test_resubmission_before_the_deadline_updates_and_says_so(client, smtp_server):
    call = make_call()
    _start(client, call, listed_organization())
    application = Application.objects.get()
    path = application_path(application)
    client.post(path, {**_complete_answers(call), "submit": "1"})
    fields = _fields(call)
    response = client.post(
        path,
        {**_complete_answers(call), f"field_{fields['amount'].pk}": "15000", "submit": "1"},
        follow=True,
    )
    assert "a été mise à jour" in response.content.decode()
    application.refresh_from_db()
    assert application.amount_requested == Decimal("15000.00")
    assert "mise à jour" in smtp_server.messages[-1]["Subject"]


def test_a_form_opened_before_the_deadline_and_sent_after_is_refused(client):
    call = make_call()
    _start(client, call, listed_organization())
    application = Application.objects.get()
    path = application_path(application)
    assert client.get(path).status_code == 200
    stage = call.first_stage()
    stage.closes_at = datetime.datetime(2026, 3, 15, 11, 0, tzinfo=datetime.UTC)
    stage.save()
    response = client.post(path, {**_complete_answers(call), "submit": "1"})
    page = response.content.decode()
    assert "La date limite est passée depuis le 15 mars 2026 à 12 h 00 (heure de Paris)" in page
    application.refresh_from_db()
    assert application.status == Application.Status.DRAFT
    # The draft keeps what was typed.
    fields = _fields(call)
    assert application.submissions.get().answers[str(fields["choice"].pk)] == "Afrique"


def test_a_submitted_application_cannot_change_after_the_deadline(client):
    call = make_call()
    _start(client, call, listed_organization())
    application = Application.objects.get()
    path = application_path(application)
    client.post(path, {**_complete_answers(call), "submit": "1"})
    stage = call.first_stage()
    stage.closes_at = timezone.now() - datetime.timedelta(minutes=1)
    stage.save()
    fields = _fields(call)
    client.post(path, {f"field_{fields['choice'].pk}": "Asie", "save": "1"})
    assert application.submissions.get().answers[str(fields["choice"].pk)] == "Afrique"
    assert "ne peut plus être modifiée" in client.get(path).content.decode()


def test_withdraw_then_apply_again(client, smtp_server):
    call = make_call()
    organization = listed_organization()
    _start(client, call, organization)
    application = Application.objects.get()
    withdraw_url = reverse("calls:withdraw", args=[application_path(application).split("/")[-2]])
    page = client.post(withdraw_url, {})
    assert page.status_code == 200  # confirmation needed
    client.post(withdraw_url, {"confirm": "on"})
    application.refresh_from_db()
    assert application.status == Application.Status.WITHDRAWN
    assert _start(client, call, organization).status_code == 302
    assert Application.objects.count() == 2


def test_applying_twice_resends_the_link_to_the_first_contact(client, smtp_server):
    call = make_call()
    organization = listed_organization()
    _start(client, call, organization)
    response = _start(client, call, organization, email="someone.else@test.fr")
    assert response.status_code == 302
    assert response["Location"] == call.get_absolute_url()
    assert Application.objects.count() == 1
    assert smtp_server.messages[-1]["To"] == "marie@eauvive.test"
    page = client.get(response["Location"]).content.decode()
    assert "déjà candidaté" in page


def test_an_unknown_organisation_becomes_a_referencing_request(client):
    call = make_call()
    response = client.post(
        reverse("calls:apply_new", args=[call.slug]),
        {
            "name": "Les Amis de Bobo-Dioulasso",
            "kind": OrganizationKind.objects.get(slug="association").pk,
            "postal_code": "33000",
            "first_name": "Awa",
            "last_name": "Traoré",
            "contact_email": "awa@amis-bobo.test",
            "project_title": "Jardins scolaires",
        },
    )
    assert response.status_code == 302
    application = Application.objects.get()
    request = ReferencingRequest.objects.get()
    assert application.referencing_request == request
    assert application.organization is None
    assert request.name == "Les Amis de Bobo-Dioulasso"


def test_an_ineligible_kind_cannot_start_or_submit(client):
    call = make_call()
    call.eligible_kinds.set([OrganizationKind.objects.get(slug="commune")])
    organization = listed_organization()
    page = client.get(reverse("calls:apply", args=[call.slug]), {"structure": organization.pk})
    assert "ne peut pas candidater" in page.content.decode()
    with pytest.raises(Exception, match="ouvert"):
        application = services.application_start(
            call=call,
            organization=organization,
            contact_name="Marie",
            contact_email="m@test.fr",
            project_title="P",
        )
        services.application_save(
            application=application, stage=call.first_stage(), answers={}, uploads={}, submit=True
        )


def test_a_closed_call_takes_no_new_application(client):
    call = make_call(open_now=False)
    response = client.get(reverse("calls:apply", args=[call.slug]))
    assert response.status_code == 302


def test_stage_two_only_for_invited_applications(client, staff, smtp_server):
    call = make_call(two_stages=True)
    _start(client, call, listed_organization())
    application = Application.objects.get()
    path = application_path(application)
    client.post(path, {**_complete_answers(call), "submit": "1"})
    stage2 = call.stages.get(number=2)
    FormField.objects.create(stage=stage2, label="Plan d action détaillé", kind="long_text")
    assert "Plan d action détaillé" not in client.get(path).content.decode()
    services.application_invite(application=application, by=staff)
    assert "Invitation" in smtp_server.messages[-1]["Subject"]
    stage2.opens_at = timezone.now() - datetime.timedelta(hours=1)
    stage2.save()
    page = client.get(path).content.decode()
    assert "Plan d action détaillé" in page
    assert "Dossier complet" in page


def test_an_applicant_never_sees_another_application(client):
    call = make_call()
    _start(client, call, listed_organization())
    _start(client, call, listed_organization("Comité de jumelage Pessac–Ouahigouya"), "b@x.fr")
    first, second = Application.objects.order_by("pk")
    page = client.get(application_path(first)).content.decode()
    assert "Pessac" not in page
    assert client.get(reverse("calls_staff:application", args=[second.pk])).status_code == 302


def test_a_lost_link_is_sent_again_to_the_contact_only(client, smtp_server):
    call = make_call()
    _start(client, call, listed_organization())
    url = reverse("calls:lost_link", args=[call.slug])
    response = client.post(url, {"email": "MARIE@eauvive.test"})
    assert response.status_code == 302
    assert smtp_server.messages[-1]["To"] == "marie@eauvive.test"
    count = len(smtp_server.messages)
    client.post(url, {"email": "intrus@test.fr"})
    assert len(smtp_server.messages) == count
    assert (
        "adresse de courriel valide"
        in client.post(url, {"email": "pas-une-adresse"}).content.decode()
    )


def test_the_lost_link_form_cannot_flood_a_contact(client, smtp_server):
    call = make_call()
    _start(client, call, listed_organization())
    sent_before = len(smtp_server.messages)
    url = reverse("calls:lost_link", args=[call.slug])
    for _ in range(8):
        response = client.post(url, {"email": "marie@eauvive.test"})
        assert response.status_code == 302  # the same answer past the limit
    assert len(smtp_server.messages) - sent_before == 5


def test_a_contacts_applications_are_in_their_export_and_gone_from_them_on_erasure(client):
    from observatoire.core.testing import make_person
    from observatoire.organizations.models import PersonEmail
    from observatoire.organizations.privacy import person_erase, person_personal_data

    call = make_call()
    _start(client, call, listed_organization(), email="marie@eauvive.test")
    marie = make_person("Marie", "Dupont")
    PersonEmail.objects.create(person=marie, address="Marie@EauVive.test", is_primary=True)

    exported = person_personal_data(marie)["calls"]
    assert [row["project"] for row in exported] == ["Forages solaires à Koudougou"]

    person_erase(person=marie)
    application = Application.objects.get()
    assert "Marie" not in application.contact_name
    assert "eauvive" not in application.contact_email
    assert application.project_title == "Forages solaires à Koudougou"
