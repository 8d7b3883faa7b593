import pytest
from django.core.cache import cache

from observatoire.core.public_cache import (
    bump_public_version,
    cached_public,
    cached_public_local,
)
from observatoire.core.testing import make_organization


def counting():
    calls = []

    def compute():
        calls.append(1)
        return len(calls)

    return compute, calls


@pytest.mark.django_db
def test_a_value_is_computed_once_until_the_public_data_changes():
    compute, calls = counting()
    assert cached_public("figures", compute) == 1
    assert cached_public("figures", compute) == 1
    bump_public_version()
    assert cached_public("figures", compute) == 2
    assert len(calls) == 2


@pytest.mark.django_db
def test_saving_a_public_record_or_its_links_makes_cached_values_stale():
    from observatoire.referentials.models import Theme

    compute, calls = counting()
    cached_public("directory", compute)
    organization = make_organization("Eau Vive")
    assert cached_public("directory", compute) == 2

    organization.themes.add(Theme.objects.first())
    assert cached_public("directory", compute) == 3

    organization.delete()
    assert cached_public("directory", compute) == 4
    assert cached_public("directory", compute) == 4


@pytest.mark.django_db
def test_a_value_kept_in_memory_follows_the_public_data():
    compute, calls = counting()
    assert cached_public_local("labels", compute) == 1
    assert cached_public_local("labels", compute) == 1
    assert cached_public("labels", compute) == 1  # the shared cache holds it too

    bump_public_version()
    assert cached_public_local("labels", compute) == 2
    assert cached_public_local("labels", compute) == 2
    assert len(calls) == 2


@pytest.mark.django_db
def test_a_lost_version_number_never_brings_back_older_values():
    compute, calls = counting()
    assert cached_public_local("labels", compute) == 1

    cache.clear()  # the version key evicted with everything else: a new version starts

    assert cached_public_local("labels", compute) == 2
