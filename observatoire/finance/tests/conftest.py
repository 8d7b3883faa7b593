import pytest


@pytest.fixture(autouse=True)
def _finance_urls(settings):
    settings.ROOT_URLCONF = "observatoire.finance.tests.urls"
