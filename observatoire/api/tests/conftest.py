import pytest
from django.core.cache import cache
from knox.models import AuthToken
from rest_framework.test import APIClient

from observatoire.core.testing import make_user
from observatoire.portal.tests.conftest import build_network


@pytest.fixture(autouse=True)
def _fresh_cache():
    # Throttling counts requests in the cache: each test starts with none counted.
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def api():
    return APIClient()


@pytest.fixture
def network(db):
    return build_network()


def token_client(role: str, **fields) -> tuple[APIClient, object]:
    """A client sending the token of a new user with `role`."""
    user = make_user(role, **fields)
    _record, token = AuthToken.objects.create(user=user)
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    return client, user


@pytest.fixture
def staff_api(db):
    return token_client("staff")
