import datetime
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from observatoire.accounts.models import Role
from observatoire.calls import services
from observatoire.calls.models import Application, Call, FormField
from observatoire.calls.selectors import applications_for, call_figures
from observatoire.calls.testing import PDF_BYTES, listed_organization, make_call
from observatoire.core.periods import Period
from observatoire.core.testing import make_user
from observatoire.referentials.models import OrganizationKind

pytestmark = pytest.mark.django_db


def _submitted(call, organization, amount="12000"):
    application = services.application_start(
        call=call,
        organization=organization,
        contact_name="Marie Dupont",
        contact_email="marie@test.fr",
        project_title=f"Projet de {organization.name}",
    )
    fields = {field.kind: field for field in call.first_stage().fields.all()}
    upload = SimpleUploadedFile("dossier.pdf", PDF_BYTES)
    services.application_save(
        application=application,
        stage=call.first_stage(),
        answers={str(fields["text"].pk): "Un résumé", str(fields["amount"].pk): amount},
        uploads={fields["attachment"]: upload},
        amount=Decimal(amount),
        submit=True,
    )
    application.refresh_from_db()
    return application


def _login(client, user):
    client.force_login(user)


@pytest.mark.parametrize(
    "name", ["calls_staff:list", "calls_staff:call_create"], ids=["list", "create"]
)
def test_anonymous_visitors_go_to_the_sign_in(client, name):
    response = client.get(reverse(name))
    assert response.status_code == 302
    assert "connexion" in response["Location"] or "login" in response["Location"]


def test_organisation_editors_are_refused(client, editor):
    call = make_call()
    application = _submitted(call, listed_organization())
    attachment = application.submissions.get().attachments.get()
    _login(client, editor)
    for url in (
        reverse("calls_staff:list"),
        reverse("calls_staff:applications", args=[call.pk]),
        reverse("calls_staff:application", args=[application.pk]),
        reverse("calls_staff:attachment", args=[attachment.pk]),
    ):
        assert client.get(url).status_code == 403, url


def test_the_observatory_reads_but_does_not_write(client, observatory):
    call = make_call()
    _login(client, observatory)
    assert client.get(reverse("calls_staff:call", args=[call.pk])).status_code == 200
    assert client.get(reverse("calls_staff:call_edit", args=[call.pk])).status_code == 403
    assert client.post(reverse("calls_staff:call_publish", args=[call.pk])).status_code == 403


def test_staff_creates_a_two_stage_call_in_paris_time(client, staff):
    _login(client, staff)
    response = client.post(
        reverse("calls_staff:call_create"),
        {
            "title": "Incubateur ODD 2027",
            "summary": "Pour les projets qui font avancer les ODD.",
            "status": "draft",
            "budget": "120000",
            "max_amount_per_application": "30000",
            "eligible_kinds": [OrganizationKind.objects.get(slug="association").pk],
            "stage1_name": "Note d'intention",
            "stage1_opens_at": "2027-01-10T09:00",
            "stage1_closes_at": "2027-03-15T12:00",
            "two_stages": "on",
            "stage2_name": "Dossier complet",
            "stage2_opens_at": "2027-04-01T09:00",
            "stage2_closes_at": "2027-05-31T12:00",
        },
    )
    call = Call.objects.get()
    assert response.status_code == 302
    assert call.slug == "incubateur-odd-2027"
    assert call.created_by == staff
    stage1, stage2 = call.stages.order_by("number")
    assert stage1.closes_at == datetime.datetime(2027, 3, 15, 11, 0, tzinfo=datetime.UTC)
    assert stage2.by_invitation
    assert list(call.eligible_kinds.values_list("slug", flat=True)) == ["association"]


def test_a_bad_call_form_keeps_what_was_typed(client, staff):
    _login(client, staff)
    response = client.post(
        reverse("calls_staff:call_create"),
        {
            "title": "Fonds micro-projets",
            "status": "draft",
            "stage1_name": "Dossier",
            "stage1_opens_at": "2027-03-15T12:00",
            "stage1_closes_at": "2027-01-10T09:00",
            "two_stages": "on",
        },
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "La date limite doit suivre" in page
    assert "Obligatoire pour une deuxième étape" in page
    assert "Fonds micro-projets" in page
    assert not Call.objects.exists()


def test_form_builder_adds_moves_and_removes_fields(client, staff):
    call = make_call(fields=False)
    _login(client, staff)
    url = reverse("calls_staff:stage_form", args=[call.pk, 1])
    for label, kind in (("Résumé", "long_text"), ("Zone", "choice")):
        response = client.post(
            url,
            {
                "field-label": label,
                "field-kind": kind,
                "field-required": "on",
                "field-max_words": "300",
                "field-choices_text": "Afrique\nAsie" if kind == "choice" else "",
            },
        )
        assert response.status_code == 302
    summary, zone = call.first_stage().fields.all()
    assert zone.choices == ["Afrique", "Asie"]
    client.post(reverse("calls_staff:field_move", args=[call.pk, 1, zone.pk]), {"move": "up"})
    assert [field.label for field in call.first_stage().fields.all()] == ["Zone", "Résumé"]
    client.post(reverse("calls_staff:field_delete", args=[call.pk, 1, zone.pk]))
    assert [field.label for field in call.first_stage().fields.all()] == ["Résumé"]
    preview = client.get(reverse("calls_staff:stage_preview", args=[call.pk, 1]))
    assert "Résumé" in preview.content.decode()


def test_a_choice_field_needs_choices(client, staff):
    call = make_call(fields=False)
    _login(client, staff)
    response = client.post(
        reverse("calls_staff:stage_form", args=[call.pk, 1]),
        {"field-label": "Zone", "field-kind": "choice", "field-choices_text": "Afrique"},
    )
    assert "au moins deux choix" in response.content.decode()
    assert not FormField.objects.exists()


def test_an_answered_field_cannot_be_removed(client, staff):
    call = make_call()
    _submitted(call, listed_organization())
    _login(client, staff)
    field = call.first_stage().fields.get(kind="text")
    client.post(reverse("calls_staff:field_delete", args=[call.pk, 1, field.pk]))
    assert FormField.objects.filter(pk=field.pk).exists()


def test_publish_and_unpublish(client, staff):
    call = make_call()
    call.is_published = False
    call.status = Call.Status.DRAFT
    call.save()
    assert client.get(call.get_absolute_url()).status_code == 404
    _login(client, staff)
    client.post(reverse("calls_staff:call_publish", args=[call.pk]), {"publish": "1"})
    assert client.get(call.get_absolute_url()).status_code == 200
    client.post(reverse("calls_staff:call_publish", args=[call.pk]), {"publish": "0"})
    assert client.get(call.get_absolute_url()).status_code == 404


def test_applications_list_export_and_page(client, staff, django_assert_max_num_queries):
    call = make_call()
    first = _submitted(call, listed_organization())
    _submitted(call, listed_organization("Comité de jumelage Pessac–Ouahigouya"), "8000")
    services.application_start(
        call=call,
        organization=listed_organization("Lycée agricole de Blanquefort"),
        contact_name="Paul",
        contact_email="paul@test.fr",
        project_title="Brouillon",
    )
    _login(client, staff)
    with django_assert_max_num_queries(12):
        page = client.get(reverse("calls_staff:applications", args=[call.pk]), {"etape": "1"})
    text = page.content.decode()
    assert "Pessac" in text and "Brouillon" not in text
    export = client.get(reverse("calls_staff:applications_export", args=[call.pk]))
    content = export.content.decode("utf-8-sig")
    assert export["Content-Type"].startswith("text/csv")
    assert "Eau Vive" in content and "8000" in content and "Blanquefort" in content
    detail = client.get(reverse("calls_staff:application", args=[first.pk])).content.decode()
    assert "Un résumé" in detail and "dossier.pdf" in detail
    download = client.get(
        reverse("calls_staff:attachment", args=[first.submissions.get().attachments.get().pk])
    )
    assert b"".join(download.streaming_content) == PDF_BYTES
    assert "attachment" in download["Content-Disposition"]


def test_staff_marks_eligibility_with_a_note(client, staff):
    call = make_call()
    application = _submitted(call, listed_organization())
    _login(client, staff)
    client.post(
        reverse("calls_staff:application", args=[application.pk]),
        {"is_eligible": "0", "notes": "Statuts non fournis"},
    )
    application.refresh_from_db()
    assert application.is_eligible is False
    assert application.eligibility_notes == "Statuts non fournis"
    assert "Statuts non fournis" in application.events.last().action


def test_applications_for_and_figures(staff):
    call = make_call(two_stages=True)
    invited = _submitted(call, listed_organization())
    other = _submitted(call, listed_organization("Comité de jumelage Pessac–Ouahigouya"), "8000")
    services.application_withdraw(application=other)
    services.application_invite(application=invited, by=staff)
    invited.refresh_from_db()
    assert invited.status == Application.Status.INVITED
    assert list(applications_for(call=call)) == [invited]
    assert list(applications_for(call=call, stage_number=2)) == []
    figures = call_figures(period=Period.year(timezone.localdate().year))
    assert figures["received"] == 1
    assert figures["amount_requested"] == Decimal("12000.00")


def test_staff_list_counts_per_stage(client, staff, django_assert_max_num_queries):
    call = make_call()
    _submitted(call, listed_organization())
    make_user(Role.STAFF, email="autre@personas.test")
    _login(client, staff)
    with django_assert_max_num_queries(8):
        response = client.get(reverse("calls_staff:list"))
    assert call.title in response.content.decode()
    assert response.context["calls"][0].stage_1 == 1
