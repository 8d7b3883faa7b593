import pytest
from django.http import QueryDict

from observatoire.organizations.models import Organization
from observatoire.portal.index import index_rebuild
from observatoire.portal.search import (
    ORGANIZATIONS,
    PROJECTS,
    filtered_organizations,
    filtered_projects,
    search_page,
)

from .conftest import listed

pytestmark = pytest.mark.django_db


def names(queryset):
    return sorted(queryset.values_list("name", flat=True))


def directory(query: str):
    return filtered_organizations(QueryDict(query))


def test_plural_finds_singular_whatever_the_accents_and_case(network):
    # "Éducation et formation" is the name of a theme of the two others.
    assert names(directory("q=FORMATIONS")) == [
        "Eau Vive Gironde",
        "Ville de Pessac",
        "Écoles du Sahel",
    ]
    assert names(directory("q=techniciens")) == names(directory("q=Technicien"))
    assert names(directory("q=ecoles")) == ["Écoles du Sahel"]
    assert names(directory("q=senégal")) == ["Ville de Pessac", "Écoles du Sahel"]
    assert names(directory("q=Coopération+DÉCENTRALISÉE")) == ["Ville de Pessac"]


def test_every_word_must_match_and_the_last_one_may_be_a_prefix(network):
    assert names(directory("q=eau+burkina")) == ["Eau Vive Gironde", "Écoles du Sahel"]
    assert names(directory("q=eau+senegal")) == ["Ville de Pessac", "Écoles du Sahel"]
    assert names(directory("q=pess")) == ["Ville de Pessac"]


def test_name_matches_come_before_description_matches(network):
    page = search_page(ORGANIZATIONS, QueryDict("q=eau"))
    assert page["search"].sort == "relevance"
    assert [r["name"] for r in page["results"]][0] == "Eau Vive Gironde"
    page = search_page(ORGANIZATIONS, QueryDict("q=ecole"))
    assert [r["name"] for r in page["results"]] == ["Écoles du Sahel"]


def test_unlisted_organisations_and_unpublished_projects_are_absent(network):
    assert "Formation Brouillon" not in names(directory("q=formation"))
    assert "Formation Brouillon" not in names(directory(""))
    titles = filtered_projects(QueryDict("q=formations")).values_list("title", flat=True)
    assert list(titles) == ["Cantines scolaires"]  # its theme: « Éducation et formation »
    assert filtered_projects(QueryDict("")).count() == 2


def test_hidden_fields_are_neither_searchable_nor_filterable(network):
    eau = network["eau"]
    eau.field_visibility = {"description": "staff", "countries": "members"}
    eau.save()
    assert names(directory("q=forages")) == []
    assert "Eau Vive Gironde" not in names(directory("country=BF"))
    assert "Eau Vive Gironde" in names(directory("q=eau+vive"))


def test_facets_are_or_inside_and_across(network):
    assert names(directory("country=BF&country=SN")) == [
        "Eau Vive Gironde",
        "Ville de Pessac",
        "Écoles du Sahel",
    ]
    assert names(directory("country=SN&departement=33")) == ["Écoles du Sahel"]
    assert names(directory("country=SN&kind=commune")) == ["Ville de Pessac"]


def test_facet_counts_equal_a_plain_count(network):
    params = QueryDict("country=SN")
    page = search_page(ORGANIZATIONS, params)
    for facet in page["facets"]:
        for item in facet["values"]:
            query = params.copy()
            if facet["name"] != "country":
                query.appendlist(facet["name"], item["value"])
            else:
                query.setlist("country", [item["value"]])
            assert directory(query.urlencode()).count() == item["count"], (facet, item)
    assert page["total"] == directory("country=SN").count() == 2


def test_project_facets(network):
    by_lead = filtered_projects(QueryDict(f"lead={network['eau'].slug}"))
    assert list(by_lead.values_list("title", flat=True)) == ["Forages à Dédougou"]
    funded = filtered_projects(QueryDict("funder_type=commune&phase=implementation"))
    assert list(funded.values_list("title", flat=True)) == ["Forages à Dédougou"]
    page = search_page(PROJECTS, QueryDict("q=dedougou"))
    assert [r["name"] for r in page["results"]] == ["Forages à Dédougou"]
    assert page["results"][0]["lead"] == ["Eau Vive Gironde"]


def test_index_follows_an_edit_and_a_merge(network):
    ville = network["ville"]
    ville.name = "Mairie de Talence"
    ville.save()
    assert names(directory("q=talence")) == ["Mairie de Talence"]
    assert names(directory("q=pessac")) == []
    # A merged record leaves the directory; the survivor stays.
    ville.merged_into = network["ecole"]
    ville.save()
    assert names(directory("q=talence")) == []
    assert "Écoles du Sahel" in names(directory(""))


def test_rebuild_gives_an_address_to_qualified_organisations_without_one(network):
    Organization.objects.filter(pk=network["ville"].pk).update(slug="")
    index_rebuild()
    ville = Organization.objects.get(pk=network["ville"].pk)
    assert ville.slug == "ville-de-pessac"
    assert names(directory("q=pessac")) == ["Ville de Pessac"]


@pytest.mark.parametrize(
    "query",
    [
        'q="',
        "q=AND OR NOT NEAR * ^ -",
        "q='; DROP TABLE organizations_organization; --",
        "q=<script>alert(1)</script>",
        "q=" + "eau " * 1250,
        "q=NEAR(eau burkina)",
        "q=:*&|!",
        "kind=nothing&sdg=99&country=ZZ&member=2",
        "page=999999&sort=evil",
        "page=abc",
        "page=-3",
    ],
)
def test_bad_input_gives_a_normal_page(network, query):
    for engine in (ORGANIZATIONS, PROJECTS):
        page = search_page(engine, QueryDict(query))
        assert page["page"] >= 1
        assert page["total"] >= 0


def test_unknown_values_are_ignored_and_a_page_out_of_range_is_the_last(network):
    everything = directory("").count()
    assert directory("kind=nothing&country=ZZ").count() == everything
    page = search_page(ORGANIZATIONS, QueryDict("page=999999"))
    assert page["page"] == page["pages"] == 1
    assert len(page["results"]) == everything


def test_member_facet(network):
    import datetime

    from django.utils import timezone

    from observatoire.organizations.models import Membership
    from observatoire.referentials.models import College

    year = timezone.localdate().year
    Membership.objects.create(
        organization=network["eau"],
        year=year,
        college=College.objects.first(),
        paid_on=datetime.date(year, 1, 15),
    )
    assert names(directory("member=1")) == ["Eau Vive Gironde"]
    facet = next(
        f for f in search_page(ORGANIZATIONS, QueryDict(""))["facets"] if f["name"] == "member"
    )
    assert facet["values"][0]["count"] == 1


def test_a_new_organisation_appears_at_once(db):
    listed("Association Solidarité Madagascar", countries=["MG"])
    assert names(directory("q=madagascar")) == ["Association Solidarité Madagascar"]


@pytest.mark.parametrize(
    "query",
    [
        "q=eau&theme=water-sanitation",
        "q=formations&country=SN&country=BF",
        "q=eau&kind=association&sort=name",
        "theme=education&sort=updated",
        "country=BF&sdg=6&sort=name",
    ],
)
def test_pages_ranked_among_the_facet_index_keys_equal_those_filtered_in_sql(
    network, query, monkeypatch
):
    from observatoire.portal import search

    def results(engine):
        return [r["slug"] for r in search_page(engine, QueryDict(query))["results"]]

    through_keys = {engine.key: results(engine) for engine in (ORGANIZATIONS, PROJECTS)}
    assert any(through_keys.values())
    # No set is small enough: the filters go into the SQL as subqueries.
    monkeypatch.setattr(search, "SMALL_SET", -1)
    assert {engine.key: results(engine) for engine in (ORGANIZATIONS, PROJECTS)} == through_keys


@pytest.mark.parametrize("filtered", [None, "keys", "sql"])
def test_ranked_pages_follow_one_order_score_then_name_ties_included(db, filtered):
    from observatoire.portal.fulltext import ranked_keys
    from observatoire.portal.models import OrganizationEntry
    from observatoire.portal.text import query_terms

    # Same words, same length: equal scores, so the name orders them.
    for name in ["Puits Delta", "Puits Alpha", "Puits Echo", "Puits Bravo", "Puits Golf"]:
        listed(name, themes=["water-sanitation"])
    listed("Puits", description="Des puits creusés au village avec les puits anciens.")
    listed("Comité des puits du Sahel et de la vallée", themes=["water-sanitation"])
    terms = query_terms("puits")
    among = {
        None: None,
        "keys": list(OrganizationEntry.objects.values_list("pk", flat=True)),
        "sql": OrganizationEntry.objects.values("pk"),
    }[filtered]

    whole = ranked_keys(OrganizationEntry, terms, among, offset=0, limit=100)
    pages = [
        key
        for offset in range(0, 8, 2)
        for key in ranked_keys(OrganizationEntry, terms, among, offset=offset, limit=2)
    ]

    assert pages == whole
    names = [dict(Organization.objects.values_list("pk", "name"))[key] for key in whole]
    assert len(names) == 7
    assert names[0] == "Puits"  # the word in the name and twice in the description
    # Scores differ between the databases (bm25, ts_rank); the ties are in name order on both.
    tied = ["Puits Alpha", "Puits Bravo", "Puits Delta", "Puits Echo", "Puits Golf"]
    assert [name for name in names if name in tied] == tied
