"""Public reads: only listed records, only their public fields, the directory's filters."""

import pytest
from django.http import QueryDict

from observatoire.core.testing import make_organization
from observatoire.events.models import Event
from observatoire.news.models import NewsItem
from observatoire.organizations.models import Organization
from observatoire.partnerships.models import Partnership
from observatoire.portal.search import ORGANIZATIONS, PROJECTS, search_page
from observatoire.portal.tests.factories import add_contact
from observatoire.referentials.models import Country

pytestmark = pytest.mark.django_db


def slugs(response) -> list[str]:
    return [item["slug"] for item in response.json()["results"]]


def test_organisations_lists_only_listed_ones(api, network):
    response = api.get("/api/v1/organisations/")
    assert response.status_code == 200
    body = response.json()
    assert body["count"] == 3
    assert sorted(slugs(response)) == sorted(
        [network["eau"].slug, network["ecole"].slug, network["ville"].slug]
    )
    assert api.get(f"/api/v1/organisations/{network['eau'].slug}/").status_code == 200
    draft = network["draft"]
    draft.slug = "formation-brouillon"
    draft.save()
    assert api.get("/api/v1/organisations/formation-brouillon/").status_code == 404


def test_a_field_the_organisation_hid_never_appears(api, network):
    eau = network["eau"]
    eau.field_visibility = {"description": "staff", "countries": "members"}
    eau.siren = "552100554"
    eau.field_visibility["siren"] = "members"
    eau.save()
    for url in ("/api/v1/organisations/", f"/api/v1/organisations/{eau.slug}/"):
        text = api.get(url).content.decode()
        assert "Forages et formation" not in text
        assert "552100554" not in text
    record = api.get(f"/api/v1/organisations/{eau.slug}/").json()
    assert record["description"] == ""
    assert record["countries"] == []
    assert {"description", "countries", "siren"} <= set(record["hidden_fields"])
    shown = api.get(f"/api/v1/organisations/{network['ecole'].slug}/").json()
    assert shown["description"].startswith("Nous soutenons")
    assert shown["countries"] == ["BF", "SN"]


def test_phones_and_emails_never_appear(api, network):
    eau = network["eau"]
    eau.phone = "05 56 00 00 00"
    eau.public_email = "contact@eauvive.example"
    eau.field_visibility = {"phone": "public"}
    eau.save()
    add_contact(eau, "Awa", "Traoré", consent=True, email="awa@eauvive.example")
    text = api.get(f"/api/v1/organisations/{eau.slug}/").content.decode()
    assert "05 56" not in text
    assert "@" not in text


def test_contacts_only_with_a_directory_consent(api, network):
    eau = network["eau"]
    add_contact(eau, "Awa", "Traoré", role="Présidente", consent=True)
    add_contact(eau, "Jean", "Sanconsent", role="Trésorier")
    add_contact(eau, "Paul", "Retiré", consent=False)
    record = api.get(f"/api/v1/organisations/{eau.slug}/").json()
    assert record["contacts"] == [
        {"first_name": "Awa", "last_name": "Traoré", "role": "Présidente", "is_main_contact": False}
    ]
    assert "Sanconsent" not in str(record) and "Retiré" not in str(record)


@pytest.mark.parametrize(
    "query",
    [
        "q=ecoles",
        "theme=water-sanitation",
        "country=SN",
        "country=BF&country=SN",
        "sdg=4&theme=water-sanitation",
        "kind=commune",
        "departement=33",
        "country=ZZ&unknown=1",
    ],
)
def test_filters_answer_as_the_directory_does(api, network, query):
    directory = search_page(ORGANIZATIONS, QueryDict(query))
    response = api.get(f"/api/v1/organisations/?{query}&page_size=100")
    assert response.json()["count"] == directory["total"]
    assert sorted(slugs(response)) == sorted(r["slug"] for r in directory["results"])


@pytest.mark.parametrize("query", ["theme=education", "country=BF", "q=forages", "sdg=6"])
def test_project_filters_answer_as_the_panorama_does(api, network, query):
    panorama = search_page(PROJECTS, QueryDict(query))
    response = api.get(f"/api/v1/projets/?{query}")
    assert sorted(slugs(response)) == sorted(r["slug"] for r in panorama["results"])
    assert response.json()["count"] == panorama["total"]


def test_pagination_counts_and_caps_the_page_size(api, network, settings):
    settings.API_MAX_PAGE_SIZE = 2
    first = api.get("/api/v1/organisations/?page_size=50").json()
    assert first["count"] == 3
    assert len(first["results"]) == 2
    assert first["previous"] is None
    second = api.get(first["next"]).json()
    assert len(second["results"]) == 1
    assert second["next"] is None
    assert api.get("/api/v1/organisations/?page=9").status_code == 404
    assert len(api.get("/api/v1/organisations/?page_size=abc").json()["results"]) == 3


def _more_organisations(count: int, start: int = 0) -> None:
    country = Country.objects.get(iso2="BF")
    for number in range(start, start + count):
        org = make_organization(
            f"Association numéro {number}", status=Organization.Status.QUALIFIED
        )
        org.countries.add(country)


@pytest.mark.parametrize(
    ("url", "size_param"),
    [
        ("/api/v1/organisations/", "page_size"),
        ("/api/v1/organisations/?country=BF&q=association", "page_size"),
        ("/api/v1/projets/", "page_size"),
        ("/api/v1/evenements/", "page_size"),
        ("/api/v1/partenariats/", "page_size"),
        ("/api/v1/actualites/", "page_size"),
    ],
)
def test_list_queries_do_not_grow_with_the_page_size(
    api, network, django_assert_max_num_queries, url, size_param
):
    _more_organisations(12)
    separator = "&" if "?" in url else "?"
    api.get(f"{url}{separator}{size_param}=2")  # warm the caches of labels
    with django_assert_max_num_queries(12) as small:
        assert api.get(f"{url}{separator}{size_param}=2").status_code == 200
    with django_assert_max_num_queries(len(small.captured_queries)):
        assert api.get(f"{url}{separator}{size_param}=100").status_code == 200


def test_projects_respect_their_visibility(api, network):
    project = network["forages"]
    project.summary = "Un résumé réservé à l'équipe"
    project.field_visibility = {"summary": "staff", "partners": "members"}
    project.save()
    record = api.get(f"/api/v1/projets/{project.slug}/").json()
    assert record["summary"] == ""
    assert record["partners"] == []
    assert "réservé" not in str(api.get("/api/v1/projets/").json())
    assert api.get(f"/api/v1/projets/{network['hidden'].slug}/").status_code == 404


def test_events_partnerships_and_news_are_the_published_ones(api, network):
    Event.objects.create(
        title="Formation ODD", slug="formation-odd", kind="training", status=Event.Status.PUBLISHED
    )
    Event.objects.create(
        title="Brouillon", slug="brouillon", kind="training", status=Event.Status.DRAFT
    )
    assert slugs(api.get("/api/v1/evenements/")) == ["formation-odd"]
    assert api.get("/api/v1/evenements/brouillon/").status_code == 404
    foreign = make_organization("Commune de Ziguinchor", kind_slug="commune")
    Partnership.objects.create(
        french_authority=network["ville"], foreign_authority=foreign, kind="cooperation"
    )
    Partnership.objects.create(
        french_authority=network["ville"],
        foreign_authority=make_organization("Ville de Bobo-Dioulasso", kind_slug="commune"),
        kind="twinning",
        is_public=False,
    )
    partnerships = api.get("/api/v1/partenariats/").json()["results"]
    assert [p["kind"] for p in partnerships] == ["cooperation"]
    assert partnerships[0]["foreign_authority"]["slug"] == ""  # not listed: no page to link
    NewsItem.objects.create(title="Publiée", slug="publiee", body="Texte", is_published=True)
    NewsItem.objects.create(title="Cachée", slug="cachee", body="Texte", is_published=False)
    news = api.get("/api/v1/actualites/").json()["results"]
    assert "cachee" not in [n["slug"] for n in news]


def test_referentials(api, db):
    sdgs = api.get("/api/v1/odd/").json()
    assert [s["number"] for s in sdgs] == list(range(1, 18))
    assert sdgs[0]["color"].startswith("#")
    assert api.get("/api/v1/departements/").json()
    countries = api.get("/api/v1/pays/", HTTP_ACCEPT_LANGUAGE="en").json()
    assert {"iso2": "BF", "name": "Burkina Faso"}.items() <= next(
        c for c in countries if c["iso2"] == "BF"
    ).items()
    assert any(t["slug"] == "water-sanitation" for t in api.get("/api/v1/thematiques/").json())


def test_a_merged_organisations_address_leads_to_the_one_it_was_merged_into(api, network, db):
    from observatoire.core.testing import make_user
    from observatoire.deduplication.services import organization_merge

    eau, ville = network["eau"], network["ville"]
    old_slug = ville.slug
    organization_merge(survivor=eau, merged=ville, field_choices={}, user=make_user("staff"))

    response = api.get(f"/api/v1/organisations/{old_slug}/")
    assert response.status_code == 301
    assert response["Location"] == f"/api/v1/organisations/{eau.slug}/"
    assert api.get(response["Location"]).json()["slug"] == eau.slug
    # An address nobody ever had is still a 404 in JSON.
    missing = api.get("/api/v1/organisations/jamais-existe/")
    assert missing.status_code == 404
    assert "error" in missing.json()
