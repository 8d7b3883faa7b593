"""The shared demo network of the tests: each test gets it intact, and the others never see it."""

import pytest

from observatoire.organizations.models import Organization
from observatoire.organizations.testing import DemoNetworkTestCase

RENAMED = "Renommée par un test"


class SharedDemoTests(DemoNetworkTestCase):
    def test_1_a_test_may_change_the_demo(self):
        assert Organization.objects.update(name=RENAMED) >= 140

    def test_2_the_next_test_finds_it_intact(self):
        assert Organization.objects.count() >= 140
        assert not Organization.objects.filter(name=RENAMED).exists()


@pytest.mark.django_db
def test_a_test_without_the_demo_finds_an_empty_register():
    assert not Organization.objects.exists()


@pytest.mark.django_db
def test_the_fixture_installs_the_demo_intact_too(demo_network):
    assert Organization.objects.count() >= 140
    assert not Organization.objects.filter(name=RENAMED).exists()
