import random

import pytest
from django.utils import timezone

from observatoire.calls.demo import INCUBATOR_SLUG, MICRO_SLUG, fill_full_application, load_demo
from observatoire.calls.models import Application, Call
from observatoire.calls.selectors import applications_for, public_calls
from observatoire.calls.testing import listed_organization

pytestmark = pytest.mark.django_db


def test_the_demo_builds_the_three_calls():
    for index in range(40):
        listed_organization(f"Association de solidarité n° {index}")
    load_demo(seed=7)
    incubator = Call.objects.get(slug=INCUBATOR_SLUG)
    assert applications_for(call=incubator, stage_number=1).count() == 25
    first, second = incubator.stages.order_by("number")
    assert first.closes_at < second.closes_at < timezone.now()
    micro = Call.objects.get(slug=MICRO_SLUG)
    assert micro.is_open()
    assert micro.applications.filter(status=Application.Status.DRAFT).count() == 3
    assert applications_for(call=micro).count() == 2
    assert [call.slug for call in public_calls()][0] == MICRO_SLUG
    invited = incubator.applications.first()
    assert fill_full_application(invited, rng=random.Random(1)).submitted_at is not None
    load_demo(seed=7)  # a second run adds nothing
    assert Call.objects.count() == 3


def test_the_demo_without_a_register_still_makes_the_calls():
    load_demo(seed=7)
    assert Call.objects.count() == 3
    assert not Application.objects.exists()
