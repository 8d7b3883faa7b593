"""The matcher on fixtures: what fits an organisation, in which order, and why."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from observatoire.matching import selectors
from observatoire.organizations.models import InterventionPlace
from observatoire.referentials.models import Country
from observatoire.watch.models import WatchItem

from .factories import TODAY, make_item, make_profiled_organization, water_in_senegal

pytestmark = pytest.mark.django_db


def titles(matches):
    return [match.item.title for match in matches]


@pytest.fixture
def calls():
    return {
        "general": make_item("Fonds général pour la solidarité internationale", days_left=10),
        "africa_water": make_item(
            "Agence de l'eau : appel Afrique",
            themes=["water-sanitation"],
            sdgs=[6],
            zones=["AF"],
            kinds=["association", "ngo"],
            needs=["funding"],
            days_left=40,
        ),
        "senegal_water": make_item(
            "Eau potable au Sénégal", themes=["water-sanitation"], countries=["SN"], days_left=60
        ),
        "authorities": make_item(
            "Appel DAECT coopération décentralisée",
            themes=["water-sanitation"],
            countries=["SN"],
            kinds=["commune", "region"],
        ),
        "expired": make_item(
            "Appel eau clos hier", themes=["water-sanitation"], countries=["SN"], days_left=-1
        ),
        "health_senegal": make_item("Santé au Sénégal", themes=["health"], countries=["SN"]),
        "water_asia": make_item("Eau au Vietnam", themes=["water-sanitation"], countries=["VN"]),
        "gironde": make_item("Appel girondin", themes=["water-sanitation"], departements=["33"]),
        "news": make_item(
            "Actualité de l'eau", kind=WatchItem.Kind.NEWS, themes=["water-sanitation"]
        ),
        "to_qualify": make_item(
            "Appel à qualifier", status=WatchItem.Status.TO_QUALIFY, themes=["water-sanitation"]
        ),
    }


def test_an_association_on_water_in_senegal_gets_the_calls_that_fit_it_best_first(calls):
    organization = water_in_senegal()

    matches = selectors.opportunities_for(organization=organization, today=TODAY)

    assert titles(matches) == [
        "Agence de l'eau : appel Afrique",
        "Eau potable au Sénégal",
        "Fonds général pour la solidarité internationale",
    ]
    assert [match.score for match in matches] == [9.0, 7.0, 0.0]


def test_reasons_say_why_heaviest_first(calls):
    organization = water_in_senegal()

    africa, senegal, general = selectors.opportunities_for(organization=organization, today=TODAY)

    assert africa.reasons == [
        "Thème : Eau, assainissement et hygiène",
        "Zone : Afrique",
        "Répond au besoin : Recherche de financements",
        "Ouvert à : Association",
        "ODD 6",
    ]
    assert senegal.reasons == [
        "Pays : Sénégal",
        "Thème : Eau, assainissement et hygiène",
        "Ouvert à toutes les structures",
    ]
    assert general.reasons == ["Ouvert à toutes les structures"]


def test_a_call_for_the_very_country_ranks_above_one_for_its_continent():
    organization = water_in_senegal()
    make_item("Afrique", themes=["water-sanitation"], zones=["AF"], days_left=5)
    make_item("Sénégal", themes=["water-sanitation"], countries=["SN"], days_left=50)

    assert titles(selectors.opportunities_for(organization=organization, today=TODAY)) == [
        "Sénégal",
        "Afrique",
    ]


def test_equal_scores_go_to_the_soonest_deadline_and_items_without_one_last():
    organization = water_in_senegal()
    make_item("Sans date limite", days_left=None)
    make_item("Dans vingt jours", days_left=20)
    make_item("Dans cinq jours", days_left=5)

    assert titles(selectors.opportunities_for(organization=organization, today=TODAY)) == [
        "Dans cinq jours",
        "Dans vingt jours",
        "Sans date limite",
    ]


def test_the_kind_of_organisation_and_the_departement_are_hard_filters(calls):
    commune = make_profiled_organization(
        "Ville de Bordeaux",
        kind_slug="commune",
        departement="33",
        themes=["water-sanitation"],
        countries=["SN"],
    )

    found = titles(selectors.opportunities_for(organization=commune, today=TODAY))

    assert "Appel DAECT coopération décentralisée" in found
    assert "Appel girondin" in found
    assert "Agence de l'eau : appel Afrique" not in found  # reserved to associations and NGOs


def test_places_of_intervention_count_as_countries_where_the_organisation_acts():
    organization = make_profiled_organization("Amitiés Maroc", themes=["water-sanitation"])
    InterventionPlace.objects.create(
        organization=organization, name="Oujda", country=Country.objects.get(iso2="MA")
    )
    make_item("Eau au Maroc", themes=["water-sanitation"], countries=["MA"])
    make_item("Eau au Vietnam", themes=["water-sanitation"], countries=["VN"])

    matches = selectors.opportunities_for(organization=organization, today=TODAY)

    assert titles(matches) == ["Eau au Maroc"]
    assert "Pays : Maroc" in matches[0].reasons


def test_an_organisation_recording_no_country_is_not_excluded_by_geography():
    organization = make_profiled_organization("Collectif ECSI", themes=["water-sanitation"])
    make_item("Eau au Vietnam", themes=["water-sanitation"], countries=["VN"])

    matches = selectors.opportunities_for(organization=organization, today=TODAY)

    assert titles(matches) == ["Eau au Vietnam"]
    assert not any(reason.startswith("Pays") for reason in matches[0].reasons)


def test_the_kind_filter_and_the_limit(calls):
    organization = water_in_senegal()
    make_item("Formation eau", kind=WatchItem.Kind.TRAINING, themes=["water-sanitation"])

    trainings = selectors.opportunities_for(
        organization=organization, today=TODAY, kinds=[WatchItem.Kind.TRAINING]
    )
    assert titles(trainings) == ["Formation eau"]
    assert len(selectors.opportunities_for(organization=organization, today=TODAY, limit=2)) == 2


def test_the_bulk_matcher_gives_each_organisation_what_it_gets_alone(calls):
    organizations = [
        water_in_senegal(),
        make_profiled_organization(
            "Ville de Bordeaux",
            kind_slug="commune",
            departement="33",
            themes=["water-sanitation"],
            countries=["SN"],
        ),
        make_profiled_organization("Santé Sud", themes=["health"], sdgs=[3], countries=["SN"]),
        make_profiled_organization("Sans profil"),
    ]

    bulk = selectors.matches_for_organizations(
        organization_ids=[o.pk for o in organizations], today=TODAY, per_organization=None
    )

    for organization in organizations:
        alone = selectors.opportunities_for(organization=organization, today=TODAY, limit=None)
        assert [(m.item.pk, m.score, m.reasons) for m in bulk[organization.pk]] == [
            (m.item.pk, m.score, m.reasons) for m in alone
        ]
    assert bulk[organizations[0].pk]


def _queries(organization_ids) -> int:
    with CaptureQueriesContext(connection) as context:
        selectors.matches_for_organizations(organization_ids=organization_ids, today=TODAY)
    return len(context.captured_queries)


def test_the_bulk_matcher_reads_the_same_number_of_queries_for_2_or_12_organisations(
    calls, django_assert_max_num_queries
):
    organizations = [
        make_profiled_organization(
            f"Association {number}",
            themes=["water-sanitation"],
            countries=["SN", "ML"],
            needs=["funding"],
            sdgs=[6],
        )
        for number in range(12)
    ]
    ids = [o.pk for o in organizations]
    few = _queries(ids[:2])

    with django_assert_max_num_queries(few):
        result = selectors.matches_for_organizations(organization_ids=ids, today=TODAY)

    assert all(result[pk] for pk in ids)


def test_an_item_whose_deadline_is_today_is_still_open():
    organization = water_in_senegal()
    make_item("Dernier jour", deadline=TODAY)
    make_item("Clos", deadline=TODAY - datetime.timedelta(days=1))

    assert titles(selectors.opportunities_for(organization=organization, today=TODAY)) == [
        "Dernier jour"
    ]


def test_organisations_far_apart_are_read_by_id_and_matched_as_alone(calls):
    first = water_in_senegal()
    for number in range(20):
        make_profiled_organization(f"Remplissage {number}", themes=["health"])
    last = make_profiled_organization("Ville de Bordeaux", kind_slug="commune", departement="33")
    assert [dense for _chunk, dense in selectors._chunks([first.pk, last.pk])] == [False]

    bulk = selectors.matches_for_organizations(
        organization_ids=[first.pk, last.pk], today=TODAY, per_organization=None
    )

    assert set(bulk) == {first.pk, last.pk}
    for organization in (first, last):
        alone = selectors.opportunities_for(organization=organization, today=TODAY, limit=None)
        assert [m.item.pk for m in bulk[organization.pk]] == [m.item.pk for m in alone]
