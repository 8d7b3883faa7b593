"""The staff queue in the back office, as each persona meets it."""

import pytest
from django.core import mail
from django.urls import reverse

from observatoire.core.testing import make_organization, make_person
from observatoire.organizations.models import Consent, Organization, Source
from observatoire.referencing.models import ReferencingRequest
from observatoire.referentials.models import Need, Theme

from .factories import make_request

pytestmark = pytest.mark.django_db

CHANGELIST = reverse("admin:referencing_referencingrequest_changelist")


def review_url(referencing_request):
    return reverse("admin:referencing_referencingrequest_change", args=[referencing_request.pk])


def action_url(referencing_request, action):
    return reverse(f"admin:referencing_referencingrequest_{action}", args=[referencing_request.pk])


@pytest.mark.parametrize("persona", ["administrator", "staff", "observatory"])
def test_the_back_office_sees_the_queue_and_its_figures(client, persona, request):
    make_request()
    client.force_login(request.getfixturevalue(persona))
    response = client.get(CHANGELIST)
    assert response.status_code == 200
    html = response.content.decode()
    assert "Association Kalo Diarra" in html
    assert "referencing-figures" in html
    assert response.context["figures"][0][1]["received"] == 1
    index = client.get(reverse("admin:index")).content.decode()
    assert CHANGELIST in index


@pytest.mark.parametrize("persona", ["editor", None])
def test_editors_and_visitors_get_nothing(client, persona, request):
    referencing_request = make_request()
    if persona:
        client.force_login(request.getfixturevalue(persona))
    for url in (CHANGELIST, review_url(referencing_request)):
        response = client.get(url)
        assert response.status_code == 302
        assert "/login/" in response["Location"]
    response = client.post(action_url(referencing_request, "qualify"), {"mode": "create"})
    assert response.status_code == 302 and "/login/" in response["Location"]
    referencing_request.refresh_from_db()
    assert referencing_request.state == ReferencingRequest.State.NEW


def test_the_queue_filters(client, staff, settings):
    settings.REFERENCING_STALE_DAYS = 30
    new = make_request("Nouvelle association")
    stale = make_request("Vieille association", days_ago=40)
    unconfirmed = make_request("Association pressée", confirmed=False)
    waiting = make_request("Association attendue")
    ReferencingRequest.objects.filter(pk=waiting.pk).update(state=ReferencingRequest.State.WAITING)
    done = make_request("Association rejetée")
    ReferencingRequest.objects.filter(pk=done.pk).update(state=ReferencingRequest.State.REJECTED)
    client.force_login(staff)

    def listed(query=""):
        response = client.get(CHANGELIST + query)
        assert response.status_code == 200
        return {r.pk for r in response.context["cl"].result_list}

    assert listed() == {new.pk, stale.pk, waiting.pk, done.pk}
    assert listed("?queue=new") == {new.pk, stale.pk}
    assert listed("?queue=stale") == {stale.pk}
    assert listed("?queue=waiting") == {waiting.pk}
    assert listed("?queue=done") == {done.pk}
    assert listed("?queue=unconfirmed") == {unconfirmed.pk}
    assert listed("?q=vieille") == {stale.pk}
    assert listed("?q=diallo") == {new.pk, stale.pk, waiting.pk, done.pk}
    settings.REFERENCING_STALE_DAYS = 60
    assert listed("?queue=stale") == set()


def test_the_queue_query_count_does_not_grow_with_the_rows(
    client, staff, django_assert_max_num_queries
):
    for number in range(12):
        make_request(f"Association numéro {number}")
    client.force_login(staff)
    with django_assert_max_num_queries(30):
        assert client.get(CHANGELIST).status_code == 200


def test_the_request_opens_beside_its_possible_duplicates(client, staff):
    existing = make_organization(
        "Kalo Diarra", acronym="AKD", phone="05 49 00 00 00", rna="W332001234"
    )
    referencing_request = make_request()
    client.force_login(staff)
    response = client.get(review_url(referencing_request))
    assert response.status_code == 200
    assert response.context["compared"] == existing
    html = response.content.decode()
    assert "same RNA number" in html or "même numéro RNA" in html
    assert 'name="take_phone"' in html
    assert "05 49 00 00 00" in html and "05 56 00 00 00" in html
    assert "Qualify as an update" in html or "Qualifier comme mise à jour" in html
    # Comparing with nothing, or with an organisation that does not exist, still works.
    assert client.get(review_url(referencing_request) + "?compare=none").status_code == 200
    assert client.get(review_url(referencing_request) + "?compare=999999").status_code == 200
    assert client.get(review_url(referencing_request) + "?compare=abc").status_code == 200
    missing = reverse("admin:referencing_referencingrequest_change", args=[999999])
    assert client.get(missing).status_code == 404


def test_the_observatory_reads_but_does_not_act(client, observatory):
    referencing_request = make_request()
    client.force_login(observatory)
    response = client.get(review_url(referencing_request))
    assert response.status_code == 200
    assert 'name="mode"' not in response.content.decode()
    for action, data in (
        ("qualify", {"mode": "create"}),
        ("ask", {"ask-message": "?"}),
        ("reject", {"reject-message": "non"}),
    ):
        assert client.post(action_url(referencing_request, action), data).status_code == 403
    referencing_request.refresh_from_db()
    assert referencing_request.state == ReferencingRequest.State.NEW


def test_staff_qualify_a_new_organisation_with_completed_tags(
    client, staff, django_capture_on_commit_callbacks
):
    referencing_request = make_request()
    mail.outbox.clear()
    health = Theme.objects.get(slug="health")
    client.force_login(staff)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            action_url(referencing_request, "qualify"),
            {
                "mode": "create",
                "themes": [t.pk for t in referencing_request.themes.all()] + [health.pk],
                "sdgs": [s.pk for s in referencing_request.sdgs.all()],
                "countries": [c.pk for c in referencing_request.countries.all()],
                "needs": [Need.objects.first().pk],
            },
        )
    assert response.status_code == 302
    referencing_request.refresh_from_db()
    organization = referencing_request.organization
    assert response["Location"] == reverse(
        "admin:organizations_organization_change", args=[organization.pk]
    )
    assert referencing_request.state == ReferencingRequest.State.QUALIFIED
    assert referencing_request.handled_by == staff
    assert organization.status == Organization.Status.QUALIFIED
    assert organization.source == Source.FORM
    assert organization.name == "Association Kalo Diarra"
    assert organization.departement.code == "33"
    assert set(organization.themes.values_list("slug", flat=True)) == {
        "water-sanitation",
        "health",
    }
    assert organization.needs.count() == 1
    affiliation = organization.affiliations.get()
    assert affiliation.is_main_contact and affiliation.role == "Présidente"
    person = affiliation.person
    assert person.primary_email == "mariam.diallo@example.org"
    assert person.source == Source.FORM
    consents = {c.purpose: c for c in person.consents.all()}
    assert set(consents) == {Consent.Purpose.DIRECTORY, Consent.Purpose.NEWSLETTER}
    assert consents["directory"].source == Consent.ConsentSource.FORM
    assert consents["directory"].wording
    reasons = set(organization.history.values_list("history_change_reason", flat=True))
    assert any(r and str(referencing_request.pk) in r for r in reasons)
    assert [m.to for m in mail.outbox] == [["mariam.diallo@example.org"]]
    assert "référencée" in mail.outbox[0].subject or "referenced" in mail.outbox[0].subject


def test_staff_update_an_existing_organisation_field_by_field(
    client, staff, django_capture_on_commit_callbacks
):
    existing = make_organization(
        "Kalo Diarra", phone="05 49 00 00 00", rna="W332001234", website="https://old.example.org"
    )
    known = make_person("Mariam", "Diallo", email="mariam.diallo@example.org")
    existing.themes.add(Theme.objects.get(slug="health"))
    referencing_request = make_request(target_organization=existing)
    client.force_login(staff)
    page = client.get(review_url(referencing_request))
    assert page.context["compared"] == existing
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            action_url(referencing_request, "qualify"),
            {
                "mode": "update",
                "organization": existing.pk,
                "take_name": "current",
                "take_phone": "request",
                "take_website": "current",
                "take_address_line1": "request",
                "take_commune": "request",
                "themes": [Theme.objects.get(slug=s).pk for s in ("health", "water-sanitation")],
            },
        )
    assert response.status_code == 302
    existing.refresh_from_db()
    assert existing.name == "Kalo Diarra"
    assert existing.phone == "05 56 00 00 00"
    assert existing.website == "https://old.example.org"
    assert existing.commune.insee_code == "33063"
    assert existing.status == Organization.Status.QUALIFIED
    assert existing.themes.count() == 2
    assert Organization.objects.count() == 1
    # The contact already in the register is linked, not duplicated.
    assert list(existing.people.all()) == [known]
    latest = existing.history.first()
    assert str(referencing_request.pk) in latest.history_change_reason
    referencing_request.refresh_from_db()
    assert referencing_request.organization == existing


def test_staff_ask_for_information_then_reject_with_a_reason(
    client, staff, django_capture_on_commit_callbacks
):
    referencing_request = make_request()
    mail.outbox.clear()
    client.force_login(staff)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            action_url(referencing_request, "ask"), {"ask-message": "Quels sont vos projets ?"}
        )
    assert response.status_code == 302
    referencing_request.refresh_from_db()
    assert referencing_request.state == ReferencingRequest.State.WAITING
    assert "Quels sont vos projets ?" in mail.outbox[-1].body
    assert "/referencement/demande/" in mail.outbox[-1].body

    response = client.post(action_url(referencing_request, "reject"), {"reject-message": "  "})
    assert response.status_code == 302
    referencing_request.refresh_from_db()
    assert referencing_request.state == ReferencingRequest.State.WAITING

    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            action_url(referencing_request, "reject"),
            {"reject-message": "Aucune activité à l'international."},
        )
    referencing_request.refresh_from_db()
    assert referencing_request.state == ReferencingRequest.State.REJECTED
    assert referencing_request.decided_at is not None
    assert "Aucune activité à l'international." in mail.outbox[-1].body


def test_a_handled_request_cannot_be_handled_again(client, staff):
    referencing_request = make_request()
    client.force_login(staff)
    client.post(action_url(referencing_request, "reject"), {"reject-message": "Doublon."})
    response = client.post(action_url(referencing_request, "qualify"), {"mode": "create"})
    assert response.status_code == 302
    assert not Organization.objects.exists()
    response = client.get(review_url(referencing_request))
    assert 'name="mode"' not in response.content.decode()


def test_bad_staff_input_is_explained(client, staff):
    referencing_request = make_request()
    client.force_login(staff)
    for data in (
        {"mode": "update"},
        {"mode": "update", "organization": "abc"},
        {"mode": "update", "organization": "999999"},
        {"mode": "create", "themes": ["x"]},
    ):
        response = client.post(action_url(referencing_request, "qualify"), data, follow=True)
        assert response.status_code == 200
        assert list(response.context["messages"])
    assert client.get(action_url(referencing_request, "qualify")).status_code == 302
    referencing_request.refresh_from_db()
    assert referencing_request.state == ReferencingRequest.State.NEW
