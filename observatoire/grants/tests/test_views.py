import pytest
from django.urls import reverse

from observatoire.core.testing import ensure_reference_data, make_organization, make_user
from observatoire.grants import services
from observatoire.grants.models import Grant
from observatoire.grants.testing import make_application, make_call

pytestmark = pytest.mark.django_db


@pytest.fixture
def application():
    ensure_reference_data()
    return make_application(make_call(), amount="10000")


@pytest.fixture
def staff_client(client):
    client.force_login(make_user("staff"))
    return client


def laureate_url(application) -> str:
    return reverse("grants:laureate", args=[application.pk])


@pytest.mark.parametrize(
    ("role", "status"),
    [("administrator", 200), ("staff", 200), ("observatory", 200), ("organization_editor", 403)],
)
def test_who_may_read_the_follow_up(client, application, role, status):
    organization = make_organization("Autre structure") if role == "organization_editor" else None
    client.force_login(make_user(role, organization=organization))
    for url in (
        reverse("grants:calls"),
        reverse("grants:call", args=[application.call.slug]),
        laureate_url(application),
    ):
        assert client.get(url).status_code == status


def test_anonymous_visitors_are_sent_to_sign_in(client, application):
    response = client.get(laureate_url(application))
    assert response.status_code == 302
    assert not Grant.objects.exists()


def test_the_observatory_reads_but_does_not_write(client, application):
    client.force_login(make_user("observatory"))
    response = client.post(laureate_url(application), {"action": "open"})
    assert response.status_code == 403
    assert not Grant.objects.exists()


def test_staff_follow_a_laureate_from_the_list(staff_client, application):
    page = staff_client.get(reverse("grants:call", args=[application.call.slug]))
    assert application.project_title in page.content.decode()
    staff_client.post(laureate_url(application), {"action": "open"})
    grant = Grant.objects.get(application=application)
    response = staff_client.post(
        laureate_url(application),
        {"action": "payment", "payment-paid_on": "2026-06-01", "payment-amount": "4000"},
    )
    assert response.status_code == 302
    assert services.grant_totals(grant)["paid"] == 4000


def test_a_payment_over_the_remainder_keeps_the_form_with_a_french_error(staff_client, application):
    grant = services.grant_open(application=application)
    services.payment_record(grant=grant, paid_on="2026-05-01", amount=9000)
    response = staff_client.post(
        laureate_url(application),
        {"action": "payment", "payment-paid_on": "2026-06-01", "payment-amount": "1500"},
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "dépasse le reste à verser" in html
    assert 'value="1500"' in html
    assert 'aria-describedby="id_payment-amount_error"' in html
    assert grant.payments.count() == 1


def test_bad_input_gives_errors_not_a_500(staff_client, application):
    services.grant_open(application=application)
    for data in (
        {"action": "payment", "payment-paid_on": "hier", "payment-amount": "beaucoup"},
        {"action": "instalment", "instalment-expected_on": "", "instalment-amount": "-3"},
        {"action": "report", "report-kind": "autre", "report-due_on": "2026-13-40"},
        {"action": "received", "received-report": "999"},
        {"action": "inconnue"},
    ):
        assert staff_client.post(laureate_url(application), data).status_code == 200


def test_create_the_project_twice_opens_the_same_project(staff_client, application):
    services.grant_open(application=application)
    first = staff_client.post(laureate_url(application), {"action": "project"})
    second = staff_client.post(laureate_url(application), {"action": "project"})
    grant = Grant.objects.get(application=application)
    assert (
        first["Location"]
        == second["Location"]
        == reverse("projects:detail", args=[grant.project.pk])
    )
    assert grant.project.lead_partner == application.organization


def test_the_community_button_fills_the_group(staff_client, application):
    response = staff_client.post(reverse("grants:community", args=[application.call.slug]))
    assert response.status_code == 302
    group = services.community_join(call=application.call)[0]
    assert group.members.filter(organization=application.organization).count() == 1


def test_the_list_of_laureates_does_not_query_per_laureate(staff_client, application):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    call = application.call
    url = reverse("grants:call", args=[call.slug])

    def follow(count: int) -> None:
        for number in range(count):
            other = make_application(
                call,
                organization=make_organization(f"Lauréat {call.applications.count()} {number}"),
                email=f"l{call.applications.count()}@asso.test",
            )
            grant = services.grant_open(application=other)
            services.payment_record(grant=grant, paid_on="2026-06-01", amount=1000)
            services.report_due_add(grant=grant, kind="interim", due_on="2026-09-01")

    follow(2)
    with CaptureQueriesContext(connection) as few:
        assert staff_client.get(url).status_code == 200
    follow(4)
    with CaptureQueriesContext(connection) as more:
        assert staff_client.get(url).status_code == 200
    assert len(more) == len(few)
