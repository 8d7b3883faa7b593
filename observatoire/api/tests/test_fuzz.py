"""The API fuzzed by schemathesis against its own OpenAPI schema: no 500, answers as described.

Every read operation gets a bounded number of generated requests (query parameters, slugs,
page numbers, page sizes) on a small network, anonymous; writes are exercised without a token,
so they end on the documented 401. About a minute in all.
"""

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

pytestmark = pytest.mark.django_db

EXAMPLES_PER_OPERATION = 15
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
]


@pytest.fixture
def wsgi_app():
    """The WSGI application, keeping the test's database connection between requests.

    As Django's test client does: after each request the handler closes the connections, which
    on PostgreSQL would end the test's transaction."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        yield get_wsgi_application()
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)


def test_the_api_holds_to_its_schema(network, settings, wsgi_app):
    settings.API_ANON_RATE = "100000/minute"
    schema = schemathesis.openapi.from_wsgi("/api/v1/schema/", wsgi_app)
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) > 20
    statuses: list[int] = []
    for operation in operations:
        _fuzz(operation, statuses)
    # Requests were really made, and both answers and errors were met.
    assert len(statuses) >= len(operations) * 5
    assert {200, 401, 404} <= set(statuses)


def _fuzz(operation, statuses: list[int]) -> None:
    @given(case=operation.as_strategy())
    @hypothesis_settings(
        max_examples=EXAMPLES_PER_OPERATION,
        deadline=None,
        database=None,
        derandomize=True,
        suppress_health_check=list(HealthCheck),
    )
    def check(case):
        statuses.append(case.call_and_validate(checks=CHECKS).status_code)

    check()
