import pytest
from django.urls import reverse

from observatoire.core.testing import make_user

pytestmark = pytest.mark.django_db


@pytest.fixture(params=["anonymous", "staff", "organization_editor"])
def visitor(request, client, db):
    if request.param != "anonymous":
        client.force_login(make_user(request.param))
    return client


def test_directory_for_each_persona(visitor, network, django_assert_max_num_queries):
    with django_assert_max_num_queries(30):
        response = visitor.get(reverse("portal:directory"), {"q": "eau", "country": "BF"})
    assert response.status_code == 200
    content = response.content.decode()
    assert "Eau Vive Gironde" in content
    assert "Ville de Pessac" not in content
    assert "Formation Brouillon" not in content
    assert f'href="{reverse("portal:organization", args=[network["eau"].slug])}"' in content
    # The active filter can be removed, and the checkbox stays ticked.
    assert 'value="BF" checked' in content
    assert "?q=eau" in content


def test_panorama_for_each_persona(visitor, network, django_assert_max_num_queries):
    with django_assert_max_num_queries(30):
        response = visitor.get(reverse("portal:panorama"), {"theme": "education"})
    assert response.status_code == 200
    content = response.content.decode()
    assert "Cantines scolaires" in content
    assert "Forages à Dédougou" not in content
    assert "Formations cachées" not in content


def test_query_count_does_not_grow_with_the_results(client, network, django_assert_max_num_queries):
    from .conftest import listed

    for number in range(15):
        listed(f"Association {number}", themes=["health"], countries=["MG"], sdgs=[3])
    with django_assert_max_num_queries(30):
        assert client.get(reverse("portal:directory")).status_code == 200


def test_json_gives_results_facets_and_total(client, network):
    response = client.get(reverse("portal:directory"), {"format": "json", "country": "SN"})
    data = response.json()
    assert data["total"] == 2
    assert sorted(r["name"] for r in data["results"]) == ["Ville de Pessac", "Écoles du Sahel"]
    kinds = next(f for f in data["facets"] if f["name"] == "kind")
    assert {v["value"]: v["count"] for v in kinds["values"]} == {"association": 1, "commune": 1}
    projects = client.get(reverse("portal:panorama"), {"format": "json"}).json()
    assert projects["total"] == 2


@pytest.mark.parametrize(
    "params",
    [
        {"q": '"'},
        {"q": "AND OR NOT NEAR * ^ -"},
        {"q": "'; DROP TABLE organizations_organization; --"},
        {"q": "<script>alert(1)</script>"},
        {"q": "x" * 5000},
        {"kind": "nothing", "sdg": "99", "country": "ZZ", "departement": "<b>"},
        {"page": "999999"},
        {"page": "abc"},
        {"sort": "evil"},
    ],
)
def test_bad_input_gives_a_normal_page(client, network, params):
    for name in ("portal:directory", "portal:panorama"):
        response = client.get(reverse(name), params)
        assert response.status_code == 200
        assert b"<script>alert(1)</script>" not in response.content


def test_a_page_past_the_end_shows_the_last_page(client, network):
    response = client.get(reverse("portal:directory"), {"page": "999999"})
    assert "Eau Vive Gironde" in response.content.decode()


def test_an_empty_search_says_so(client, network):
    response = client.get(reverse("portal:directory"), {"q": "zzzzyx"})
    assert "Nothing matches this search" in response.content.decode() or (
        "Aucun résultat" in response.content.decode()
    )


def test_home_shows_figures_latest_projects_and_a_search_box(client, network):
    response = client.get(reverse("core:home"))
    content = response.content.decode()
    assert response.context["figures"]["organizations"] == 3
    assert response.context["figures"]["projects"] == 2
    assert "Cantines scolaires" in content
    assert f'action="{reverse("portal:directory")}"' in content


def test_home_counts_listed_members_and_countries_once(client, network):
    import datetime

    from django.utils import timezone

    from observatoire.organizations.models import Membership
    from observatoire.referentials.models import College

    year = timezone.localdate().year
    paid = datetime.date(year, 1, 15)
    college = College.objects.first()
    for organization, paid_on in [(network["eau"], paid), (network["draft"], paid)]:
        Membership.objects.create(
            organization=organization, year=year, college=college, paid_on=paid_on
        )
    Membership.objects.create(organization=network["ville"], year=year, college=college)
    Membership.objects.create(
        organization=network["ecole"], year=year - 1, college=college, paid_on=paid
    )
    figures = client.get(reverse("core:home")).context["figures"]
    # The draft is not listed, la ville has not paid, l'école paid for last year only.
    assert figures["members"] == 1
    assert figures["countries"] == 2  # BF and SN, in organisations and projects alike
