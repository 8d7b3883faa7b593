"""The dashboard, its CSV and the barometers: who may see them, what they show, bad input."""

import pytest
from django.urls import reverse
from django.utils import timezone

from observatoire.referentials.models import Departement

pytestmark = pytest.mark.django_db

DASHBOARD = reverse("observatory:dashboard")
BAROMETERS = reverse("observatory:barometers")
CSV = reverse("observatory:dashboard_csv")


@pytest.mark.parametrize("url", [DASHBOARD, BAROMETERS, CSV])
def test_anonymous_visitors_are_sent_to_log_in(client, url):
    response = client.get(url)
    assert response.status_code == 302 and reverse("accounts:login") in response.url


@pytest.mark.parametrize("url", [DASHBOARD, BAROMETERS, CSV, reverse("observatory:countries_data")])
def test_organisation_editors_may_not_see_the_observatory(client, editor, url):
    client.force_login(editor)
    assert client.get(url).status_code == 403


@pytest.mark.parametrize("persona", ["staff", "observatory", "administrator"])
def test_the_back_office_sees_the_dashboard(client, persona, request):
    client.force_login(request.getfixturevalue(persona))
    response = client.get(DASHBOARD)
    assert response.status_code == 200
    assert "Tableau de bord de l’observatoire" in response.content.decode()


def test_the_dashboard_shows_figures_beside_the_previous_period_with_links(
    client, staff, network, django_assert_max_num_queries
):
    client.force_login(staff)
    year = timezone.localdate().year
    # Two collect() for the two periods, the links' keys, the form's choices: not per row.
    with django_assert_max_num_queries(150):
        response = client.get(DASHBOARD, {"period": str(year), "departement": "86"})
    assert response.status_code == 200
    board = response.context["board"]
    assert board.period.label == str(year) and board.previous_period.label == str(year - 1)
    listed = next(f for s in board.sections for f in s.figures if f.key == "organizations.listed")
    assert (listed.current, listed.previous, listed.change) == (2, 2, "0 %")
    sessions = next(f for s in board.sections for f in s.figures if f.key == "support.sessions")
    assert sessions.previous == 0 and sessions.change in {"nouveau", "—"}
    vienne = Departement.objects.get(code="86").pk
    assert f"status=qualified&amp;departement={vienne}" in response.content.decode()
    assert listed.link.startswith(reverse("admin:organizations_organization_changelist"))
    content = response.content.decode()
    assert "<caption>" in content and "Structures référencées par type" in content


def test_the_links_lead_to_lists_that_understand_them(client, staff, network):
    client.force_login(staff)
    response = client.get(DASHBOARD, {"period": "last12", "kind": "association"})
    links = [
        item.link
        for section in response.context["board"].sections
        for item in section.figures
        if item.link
    ] + [
        line.link
        for section in response.context["board"].sections
        for item in section.breakdowns
        for line in item.rows
        if line.link
    ]
    assert len(links) > 20
    for link in set(links):
        answer = client.get(link)
        # The admin redirects with ?e=1 when it does not understand a parameter.
        assert answer.status_code == 200, link


def test_bad_dates_keep_what_was_typed_and_fall_back_to_the_default_period(client, staff):
    client.force_login(staff)
    response = client.get(
        DASHBOARD,
        {"period": "custom", "start": "2026-02-30", "end": "", "departement": "zz", "utm": "x"},
    )
    assert response.status_code == 200
    content = response.content.decode()
    assert "Saisissez une date valide." in content
    assert 'aria-describedby="id_start_error' in content
    assert 'value="2026-02-30"' in content
    assert response.context["board"].period.parameter == "last12"
    assert response.context["board"].filters.departement == ""


def test_dates_in_the_wrong_order_say_so(client, staff):
    client.force_login(staff)
    response = client.get(DASHBOARD, {"start": "2026-03-10", "end": "2026-03-01"})
    assert "Le dernier jour vient avant le premier." in response.content.decode()


def test_dates_of_ones_choice(client, staff):
    client.force_login(staff)
    response = client.get(
        DASHBOARD, {"period": "custom", "start": "2025-01-01", "end": "2025-03-31"}
    )
    board = response.context["board"]
    assert (board.period.start.isoformat(), board.period.end.isoformat()) == (
        "2025-01-01",
        "2025-03-31",
    )
    assert board.previous_period.end.isoformat() == "2024-12-31"


def test_the_csv_has_every_figure_and_line(client, staff, network):
    client.force_login(staff)
    response = client.get(CSV, {"period": "last12"})
    assert response.status_code == 200 and "text/csv" in response["Content-Type"]
    text = response.content.decode("utf-8-sig")
    assert "organizations.listed" in text and "support.by_departement" in text
    assert "Eau Vive Gironde" not in text  # figures, not names of organisations


def test_the_barometers_show_every_block_with_its_definition(
    client, observatory, network, django_assert_max_num_queries
):
    client.force_login(observatory)
    with django_assert_max_num_queries(90):
        response = client.get(BAROMETERS, {"departement": "86"})
    content = response.content.decode()
    assert response.status_code == 200
    for title in [
        "Couverture des ODD par les structures",
        "Couverture des ODD par les projets",
        "Thématiques par pays",
        "Types d’action",
        "Pays d’intervention des structures",
        "Adhérents par département",
        "Partenariats",
    ]:
        assert title in content, title
    assert content.count("Définition :") >= 7
    assert "background: #26BDE2" in content or "background: #26bde2" in content.lower()
    assert 'data-map="countries"' in content and "departement=86" in content


def test_the_map_data_follow_the_filters(client, staff, network):
    client.force_login(staff)
    countries = client.get(reverse("observatory:countries_data"), {"departement": "86"}).json()
    assert countries == {"counts": {"BF": 2, "SN": 1}}
    projects = client.get(
        reverse("observatory:countries_data"), {"departement": "86", "subject": "projects"}
    ).json()
    assert projects == {"counts": {"SN": 1}}
    members = client.get(reverse("observatory:departements_data")).json()
    assert members["counts"] == {"33": 1, "86": 1}
    lines = client.get(reverse("observatory:partnerships_data"), {"kind": "association"}).json()
    assert lines == {"lines": []}
