"""The public referencing form, as an anonymous visitor (or a robot) meets it."""

import pytest
from django.core import mail
from django.urls import reverse

from observatoire.core.testing import make_organization
from observatoire.organizations.models import Consent, Organization
from observatoire.referencing.models import ReferencingRequest
from observatoire.referentials.models import Commune

from .conftest import form_data, old_stamp

pytestmark = pytest.mark.django_db

FORM = reverse("referencing:form")


def submit(client, django_capture_on_commit_callbacks, **overrides):
    with django_capture_on_commit_callbacks(execute=True):
        return client.post(FORM, form_data(**overrides))


def test_the_form_is_public_and_accessible(client):
    response = client.get(FORM)
    assert response.status_code == 200
    html = response.content.decode()
    assert "novalidate" in html
    assert 'for="id_commune_query"' in html
    assert 'aria-describedby="id_commune_query_help"' in html
    assert 'name="nickname"' in html and 'tabindex="-1"' in html
    assert 'type="checkbox" name="themes"' in html
    assert 'name="contacts-0-consent_directory"' in html


def test_a_valid_request_is_recorded_and_the_address_must_be_confirmed(
    client, django_capture_on_commit_callbacks
):
    response = submit(client, django_capture_on_commit_callbacks)
    assert response.status_code == 302
    assert response["Location"] == reverse("referencing:sent")
    referencing_request = ReferencingRequest.objects.get()
    assert referencing_request.name == "Association Kalo Diarra"
    assert referencing_request.commune == Commune.objects.get(insee_code="33063")
    assert referencing_request.postal_code == "33000"
    assert referencing_request.requester_email == "mariam.diallo@example.org"
    assert referencing_request.website == "https://kalo-diarra.example.org"
    assert referencing_request.email_confirmed_at is None
    assert referencing_request.state == ReferencingRequest.State.NEW
    assert list(referencing_request.themes.values_list("slug", flat=True)) == ["water-sanitation"]
    contact = referencing_request.contacts.get()
    assert contact.email == "mariam.diallo@example.org"
    assert set(contact.granted_purposes) == {"directory", "newsletter"}
    wording = {c["purpose"]: c["wording"] for c in contact.consents}
    assert "annuaire" in wording[Consent.Purpose.DIRECTORY]  # the French text shown
    assert all(c["given_at"] for c in contact.consents)
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["mariam.diallo@example.org"]
    assert "/referencement/confirmer/" in mail.outbox[0].body
    assert not ReferencingRequest.objects.confirmed().exists()
    page = client.get(response["Location"])
    assert "mariam.diallo@example.org" in page.content.decode()


def test_bad_input_is_explained_next_to_each_field_and_nothing_is_lost(
    client, django_capture_on_commit_callbacks
):
    response = submit(
        client,
        django_capture_on_commit_callbacks,
        siren="123 456 789",
        commune_query="Zzyzx-sur-Mer",
        **{"contacts-0-email": "pas-une-adresse"},
    )
    assert response.status_code == 200
    assert not ReferencingRequest.objects.exists()
    assert mail.outbox == []
    html = response.content.decode()
    assert 'id="error-summary"' in html
    assert 'href="#id_siren"' in html
    assert 'aria-invalid="true"' in html
    assert 'aria-describedby="id_siren_error id_siren_help"' in html
    assert 'id="id_siren_error"' in html
    assert "clé de contrôle" in html or "check digit" in html
    assert "Zzyzx-sur-Mer" in html
    assert 'value="Association Kalo Diarra"' in html
    assert 'value="pas-une-adresse"' in html
    assert 'id="id_contacts-0-email_error"' in html
    # The ticked boxes stay ticked.
    assert (
        'name="contacts-0-consent_directory" id="id_contacts-0-consent_directory" checked' in html
    )


def test_an_ambiguous_commune_lists_the_candidates(client, django_capture_on_commit_callbacks):
    response = submit(client, django_capture_on_commit_callbacks, commune_query="Saint-Aubin")
    assert response.status_code == 200
    html = response.content.decode()
    assert "Saint-Aubin (" in html
    assert not ReferencingRequest.objects.exists()


def test_a_commune_typed_as_name_and_postal_code_in_brackets_is_found(
    client, django_capture_on_commit_callbacks
):
    response = submit(client, django_capture_on_commit_callbacks, commune_query="Angoulême (16000)")
    assert response.status_code == 302
    assert ReferencingRequest.objects.get().commune.insee_code == "16015"


def test_a_listed_organisation_is_proposed_before_submitting(
    client, django_capture_on_commit_callbacks
):
    listed = make_organization(
        "Association Kalo Diarra",
        status=Organization.Status.QUALIFIED,
        commune=Commune.objects.get(insee_code="33063"),
    )
    response = submit(client, django_capture_on_commit_callbacks)
    assert response.status_code == 200
    html = response.content.decode()
    assert 'id="matches"' in html
    assert f'value="{listed.pk}"' in html
    assert "Bordeaux" in html
    assert not ReferencingRequest.objects.exists()

    response = submit(client, django_capture_on_commit_callbacks, match=str(listed.pk))
    assert response.status_code == 302
    assert ReferencingRequest.objects.get().target_organization == listed


def test_none_of_these_makes_a_request_for_a_new_organisation(
    client, django_capture_on_commit_callbacks
):
    make_organization("Association Kalo Diarra", status=Organization.Status.QUALIFIED)
    response = submit(client, django_capture_on_commit_callbacks, match="none")
    assert response.status_code == 302
    assert ReferencingRequest.objects.get().target_organization is None


def test_unlisted_organisations_are_not_shown_to_the_public(
    client, django_capture_on_commit_callbacks
):
    draft = make_organization("Association Kalo Diarra", status=Organization.Status.DRAFT)
    response = submit(client, django_capture_on_commit_callbacks, match=str(draft.pk))
    assert response.status_code == 302
    assert ReferencingRequest.objects.get().target_organization is None


def test_a_match_chosen_outside_the_proposals_is_asked_again(
    client, django_capture_on_commit_callbacks
):
    make_organization("Association Kalo Diarra", status=Organization.Status.QUALIFIED)
    other = make_organization("Ville de Poitiers", kind_slug="commune")
    response = submit(client, django_capture_on_commit_callbacks, match=str(other.pk))
    assert response.status_code == 200
    assert 'id="matches"' in response.content.decode()
    assert not ReferencingRequest.objects.exists()


def test_the_honeypot_pretends_success_and_keeps_nothing(
    client, django_capture_on_commit_callbacks
):
    response = submit(client, django_capture_on_commit_callbacks, nickname="buy now")
    assert response.status_code == 302
    assert not ReferencingRequest.objects.exists()
    assert mail.outbox == []


def test_a_form_sent_too_fast_is_refused_with_a_message_and_kept(
    client, django_capture_on_commit_callbacks
):
    response = submit(client, django_capture_on_commit_callbacks, started=old_stamp(1))
    assert response.status_code == 200
    assert not ReferencingRequest.objects.exists()
    html = response.content.decode()
    assert 'value="Association Kalo Diarra"' in html
    assert 'class="warning"' in html


@pytest.mark.parametrize("started", ["", "forged:stamp", None])
def test_a_missing_or_forged_stamp_is_replaced(client, django_capture_on_commit_callbacks, started):
    response = submit(client, django_capture_on_commit_callbacks, started=started)
    assert response.status_code == 200
    assert not ReferencingRequest.objects.exists()
    stamp = response.context["form"].data["started"]
    assert stamp and stamp != started


def test_submissions_are_limited_per_address(client, django_capture_on_commit_callbacks, settings):
    settings.REFERENCING_RATE_LIMIT = 2
    for number in range(2):
        response = submit(
            client, django_capture_on_commit_callbacks, name=f"Association numéro {number}"
        )
        assert response.status_code == 302
    response = submit(client, django_capture_on_commit_callbacks, name="Association en trop")
    assert response.status_code == 429
    assert ReferencingRequest.objects.count() == 2
    assert 'value="Association en trop"' in response.content.decode()
    # Another address is not concerned.
    response = client.post(FORM, form_data(name="Autre"), REMOTE_ADDR="10.1.2.3")
    assert response.status_code == 302


def test_another_contact_can_be_added_without_javascript(client):
    response = client.post(FORM, form_data(add_contact="1"))
    assert response.status_code == 200
    html = response.content.decode()
    assert 'name="contacts-1-first_name"' in html
    assert 'value="Mariam"' in html
    assert not ReferencingRequest.objects.exists()


def test_two_contacts_with_the_same_address_are_refused(client, django_capture_on_commit_callbacks):
    response = submit(
        client,
        django_capture_on_commit_callbacks,
        **{
            "contacts-TOTAL_FORMS": "2",
            "contacts-1-first_name": "Julien",
            "contacts-1-last_name": "Moreau",
            "contacts-1-email": "MARIAM.DIALLO@example.org",
        },
    )
    assert response.status_code == 200
    assert not ReferencingRequest.objects.exists()


def test_a_request_needs_a_contact(client, django_capture_on_commit_callbacks):
    response = submit(
        client,
        django_capture_on_commit_callbacks,
        **{f"contacts-0-{name}": "" for name in ("first_name", "last_name", "email", "phone")},
    )
    assert response.status_code == 200
    assert not ReferencingRequest.objects.exists()


@pytest.mark.parametrize(
    "overrides",
    [
        {"contacts-TOTAL_FORMS": "abc"},
        {"contacts-TOTAL_FORMS": None, "contacts-INITIAL_FORMS": None},
        {"contacts-TOTAL_FORMS": "100000"},
        {"kind": "not-a-number", "themes": ["999999", "x"], "countries": ["-1"]},
        {"name": "x" * 5000, "commune_query": "9" * 500, "website": "javascript:alert(1)"},
        {"name": "\x00", "rna": "W" * 30, "siret": "12345678901234"},
        {"match": "'; DROP TABLE"},
        {"legal_form": "pirate"},
    ],
)
def test_nothing_a_visitor_sends_breaks_the_form(
    client, django_capture_on_commit_callbacks, overrides
):
    response = submit(client, django_capture_on_commit_callbacks, **overrides)
    assert response.status_code in (200, 302)
    if response.status_code == 200:
        assert 'id="error-summary"' in response.content.decode() or "matches" in response.context


def test_the_suggestions_endpoint_gives_public_data_of_listed_organisations(client):
    make_organization(
        "Association Kalo Diarra",
        status=Organization.Status.QUALIFIED,
        commune=Commune.objects.get(insee_code="33063"),
        phone="05 56 11 22 33",
    )
    make_organization("Kalo Diarra brouillon", status=Organization.Status.DRAFT)
    response = client.get(reverse("referencing:matches"), {"name": "Kalo Diarra"})
    assert response.status_code == 200
    matches = response.json()["matches"]
    assert matches == [
        {"name": "Association Kalo Diarra", "town": "Bordeaux", "kind": matches[0]["kind"]}
    ]
    assert client.get(reverse("referencing:matches"), {"name": "ab"}).json() == {"matches": []}
    assert client.post(reverse("referencing:matches")).status_code == 405


def test_the_home_page_and_the_header_lead_to_the_form(client):
    html = client.get(reverse("core:home")).content.decode()
    assert html.count(f'href="{FORM}"') == 2


def test_a_refusal_by_the_service_is_shown_above_the_form(client, monkeypatch):
    from django.core.exceptions import ValidationError

    from observatoire.referencing import services

    def refuse(**kwargs):
        raise ValidationError({"commune": ["Commune refusée par le modèle."]})

    monkeypatch.setattr(services, "referencing_request_submit", refuse)
    response = client.post(FORM, form_data())
    assert response.status_code == 200
    assert "Commune refusée par le modèle." in response.content.decode()


def test_several_contacts_are_recorded_and_a_removed_one_is_not(
    client, django_capture_on_commit_callbacks
):
    second = {
        "contacts-1-first_name": "Julien",
        "contacts-1-last_name": "Moreau",
        "contacts-1-email": "julien.moreau@example.org",
        "contacts-1-consent_mailings": "on",
    }
    third = {
        "contacts-2-first_name": "Léa",
        "contacts-2-last_name": "Petit",
        "contacts-2-email": "lea.petit@example.org",
        "contacts-2-DELETE": "on",
    }
    response = submit(
        client,
        django_capture_on_commit_callbacks,
        **{"contacts-TOTAL_FORMS": "4"},
        **second,
        **third,
    )
    assert response.status_code == 302
    contacts = list(ReferencingRequest.objects.get().contacts.all())
    assert [c.email for c in contacts] == [
        "mariam.diallo@example.org",
        "julien.moreau@example.org",
    ]
    assert contacts[1].granted_purposes == ["mailings"]
