"""Errors under /api/ are JSON in the caller's language; anonymous callers are rate limited."""

import pytest
from drf_spectacular.drainage import GENERATOR_STATS
from drf_spectacular.generators import SchemaGenerator

pytestmark = pytest.mark.django_db


def error_of(response, status: int) -> dict:
    assert response.status_code == status
    assert response["Content-Type"] == "application/json"
    return response.json()["error"]


def test_not_found_is_json_in_french_by_default(api):
    error = error_of(api.get("/api/v1/organisations/inconnue/"), 404)
    assert error["code"] == "not_found"
    assert error["message"] and error["fields"] == {}
    error = error_of(api.get("/api/v1/nulle-part/"), 404)
    assert error["message"] == "Il n’y a pas de point d’accès à cette adresse."
    english = api.get("/api/v1/nulle-part/", HTTP_ACCEPT_LANGUAGE="en")
    assert error_of(english, 404)["message"] == "There is no endpoint at this address."


def test_method_not_allowed_is_json(api, staff_api):
    assert error_of(api.delete("/api/v1/odd/1/"), 401)["code"] == "not_authenticated"
    client, _user = staff_api
    error = error_of(client.delete("/api/v1/odd/1/"), 405)
    assert error["code"] == "method_not_allowed"
    assert "DELETE" in error["message"]


def test_malformed_json_is_a_400(staff_api):
    client, _user = staff_api
    response = client.generic(
        "POST", "/api/v1/registre/personnes/", "{nope", content_type="application/json"
    )
    assert error_of(response, 400)["code"] == "parse_error"


def test_anonymous_callers_get_a_429_past_the_rate(api, settings):
    settings.API_ANON_RATE = "3/minute"
    for _ in range(3):
        assert api.get("/api/v1/odd/").status_code == 200
    error = error_of(api.get("/api/v1/odd/"), 429)
    assert error["code"] == "throttled"
    assert error["message"].startswith("Trop de requêtes")
    english = api.get("/api/v1/odd/", HTTP_ACCEPT_LANGUAGE="en")
    assert error_of(english, 429)["message"].startswith("Too many requests")


def test_the_schema_is_generated_without_warnings(api):
    GENERATOR_STATS.reset()
    schema = SchemaGenerator(api_version="v1").get_schema(request=None, public=True)
    assert not GENERATOR_STATS, "drf-spectacular emitted warnings or errors"
    assert "/api/v1/organisations/" in schema["paths"]
    parameters = {p["name"] for p in schema["paths"]["/api/v1/organisations/"]["get"]["parameters"]}
    assert {"q", "kind", "departement", "theme", "sdg", "country", "action", "member"} <= parameters
    assert api.get("/api/v1/schema/").status_code == 200


def test_the_documentation_page_uses_no_cdn(api):
    page = api.get("/api/v1/docs/")
    assert page.status_code == 200
    html = page.content.decode()
    assert "drf_spectacular_sidecar" in html
    assert "cdn" not in html.lower()
