import pytest
from django.template import Context, Template
from django.test import RequestFactory
from django.urls import reverse

from observatoire.accounts.models import Role
from observatoire.core.testing import make_user

from .register import project, qualified


def test_map_page_has_every_map_and_its_table(client, register):
    response = client.get(reverse("maps:index"))
    assert response.status_code == 200
    html = response.content.decode()
    for kind in ["organizations", "projects", "countries", "partnerships", "departements"]:
        assert f'data-map="{kind}"' in html
    # The text alternatives: lists and tables, readable without JavaScript.
    assert "Ville de Poitiers" in html and "Eau potable à Dédougou" in html
    assert "Brouillon Caché" not in html and "Projet brouillon" not in html
    assert "Commune urbaine d&#x27;Oujda" in html
    assert html.count("<table>") == 4
    assert response.headers["X-Frame-Options"] == "DENY"


def test_map_page_filters_its_tables(client, register):
    response = client.get(reverse("maps:index"), {"country": "MA"})
    assert response.context["organization_total"] == 1
    assert response.context["departements"][0][2] >= 0
    assert "Association Bordeaux Solidarité" not in response.content.decode()
    # The embed snippet carries the filters.
    assert "/widget/carte/?country=MA" in response.content.decode()


@pytest.mark.parametrize(
    "query",
    [
        {"country": "ZZ", "sdg": "99", "theme": "<script>", "zoom": "-3", "bbox": "1,2"},
        {"q": "'\" OR 1=1 --", "kind": "x" * 500, "departement": "2A", "unknown": "1"},
        {"sdg": "1e9", "zoom": "99999999999", "bbox": "nan,nan,inf,inf", "subject": "x"},
    ],
)
def test_bad_parameters_give_a_normal_answer(client, register, query):
    assert client.get(reverse("maps:index"), query).status_code == 200
    for name in [
        "organizations_data",
        "projects_data",
        "countries_data",
        "departements_data",
        "partnerships_data",
    ]:
        response = client.get(reverse(f"maps:{name}"), query)
        assert response.status_code == 200, name
        assert response.headers["Content-Type"] == "application/json"
    assert client.get(reverse("maps:widget_map"), query).status_code == 200
    assert client.get(reverse("maps:widget_directory"), query).status_code == 200


def test_data_endpoints_answer_compact_public_data(client, register):
    data = client.get(reverse("maps:organizations_data"), {"country": "BF"}).json()
    assert data["total"] == 2
    assert sorted(point[2] for point in data["points"]) == [
        "Association Bordeaux Solidarité",
        "Ville de Poitiers",
    ]
    counts = client.get(reverse("maps:countries_data"), {"subject": "projects"}).json()
    assert counts == {"counts": {"BF": 1, "SN": 1}}
    departements = client.get(reverse("maps:departements_data")).json()
    assert departements["counts"] == {"86": 2, "33": 1}
    assert "86" in departements["codes"] and "75" not in departements["codes"]
    lines = client.get(reverse("maps:partnerships_data")).json()["lines"]
    assert [(line[2], line[6]) for line in lines] == [
        ("Ville de Poitiers", "Commune urbaine d'Oujda")
    ]


def test_widgets_may_be_framed_and_open_links_in_the_top_window(client, register):
    for name in ["widget_map", "widget_directory"]:
        response = client.get(reverse(f"maps:{name}"), {"country": "BF"})
        assert response.status_code == 200
        assert "X-Frame-Options" not in response.headers
    html = client.get(reverse("maps:widget_directory"), {"country": "BF"}).content.decode()
    assert f'href="/annuaire/{register.poitiers.slug}/" target="_top"' in html
    assert "Association Discrète" not in html
    assert 'target="_top">' in html.split("</ul>")[1]  # the link to the full directory
    projects = client.get(reverse("maps:widget_map"), {"layer": "projects"}).content.decode()
    assert 'data-map="projects"' in projects


def test_map_page_is_public_for_every_persona(client, register):
    for role in [Role.STAFF, Role.ORGANIZATION_EDITOR]:
        client.force_login(make_user(role, organization=register.poitiers))
        assert client.get(reverse("maps:index")).status_code == 200
        client.logout()


def render(source: str, **context) -> str:
    request = RequestFactory().get("/")
    return Template(source).render(Context({"request": request, **context}))


def test_home_map_include_renders_the_region_figures(register):
    html = render('{% include "maps/_home_map.html" %}')
    assert 'data-map="organizations"' in html
    assert "3 structures" in html or "3 organisations" in html
    assert "Vienne 2" in html and "Gironde 1" in html
    assert "maps/maps.js" in html


def test_mini_map_include_renders_countries_and_points(register):
    html = render(
        '{% include "maps/_mini_map.html" %}',
        map_countries=["BF", "MA"],
        map_points=[{"lat": 12.37, "lon": -1.52, "label": "Dédougou"}],
    )
    assert 'data-map="mini"' in html
    assert "Burkina Faso" in html and "Maroc" in html and "Dédougou" in html
    assert '"lat": 12.37' in html
    assert (
        render('{% include "maps/_mini_map.html" %}', map_countries=[], map_points=[]).strip() == ""
    )


def test_map_page_queries_do_not_grow_with_the_rows(
    client, register, django_assert_max_num_queries
):
    with django_assert_max_num_queries(30) as queries:
        client.get(reverse("maps:index"))
    first = len(queries)
    for index in range(5):
        qualified(f"Association Numéro {index}", "33063", countries=["BF", "ML"])
        project(f"Projet {index}", f"projet-{index}", countries=["ML"])
    with django_assert_max_num_queries(first):
        client.get(reverse("maps:index"))
