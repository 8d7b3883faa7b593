"""A NUL character in a search or a filter gives a normal answer (PostgreSQL refuses NUL in
strings: without the middleware, these were server errors there)."""

import pytest
from django.urls import reverse

from observatoire.core.testing import ensure_reference_data, make_organization

pytestmark = pytest.mark.django_db

NUL_PARAMS = (
    "q=eau%00&kind=%00&departement=3%003&theme=%00x&sdg=%00&country=%00&lead=a%00b"
    "&funder_type=%00&phase=%00&action=%00&page=%00"
)


@pytest.mark.parametrize(
    "url_name",
    ["portal:directory", "portal:panorama", "api:organization-list", "api:project-list"],
)
def test_nul_characters_in_the_query_string_give_a_normal_page(client, url_name):
    ensure_reference_data()
    make_organization(name="Eau Vive Charente", status="qualified")
    response = client.get(f"{reverse(url_name)}?{NUL_PARAMS}")
    assert response.status_code == 200


def test_the_cleaned_parameters_still_search(client):
    ensure_reference_data()
    make_organization(name="Eau Vive Charente", status="qualified")
    make_organization(name="Jumelage Poitiers Kaya", status="qualified")
    response = client.get(f"{reverse('portal:directory')}?q=Eau%00&format=json")
    names = [result["name"] for result in response.json()["results"]]
    assert names == ["Eau Vive Charente"]
