"""The figures the observatory takes from referencing, per period."""

import datetime

import pytest
from django.utils import timezone

from observatoire.core.periods import Period
from observatoire.core.testing import make_organization
from observatoire.organizations.models import Organization
from observatoire.organizations.services import organization_save
from observatoire.referencing import services
from observatoire.referencing.demo import load_demo_referencing
from observatoire.referencing.models import ReferencingRequest
from observatoire.referencing.selectors import referencing_figures

from .factories import make_request

pytestmark = pytest.mark.django_db


def test_figures_count_what_happened_in_the_period(staff):
    now = timezone.now()
    qualified = make_request("Association qualifiée")
    services.referencing_request_qualify(referencing_request=qualified, by=staff)
    rejected = make_request("Association rejetée")
    services.referencing_request_reject(referencing_request=rejected, reason="Non.", by=staff)
    make_request("Association en attente")
    make_request("Association non confirmée", confirmed=False)
    old = make_request("Association de l'an dernier", days_ago=400)
    services.referencing_request_qualify(referencing_request=old, by=staff)
    ReferencingRequest.objects.filter(pk=old.pk).update(
        decided_at=now - datetime.timedelta(days=390)
    )
    # Qualified by staff without a request: counted among the organisations qualified.
    by_hand = make_organization("Ville de Poitiers", kind_slug="commune")
    by_hand.status = Organization.Status.QUALIFIED
    organization_save(organization=by_hand)
    # Already qualified before the period and edited in it: not counted again.
    before = make_organization("Déjà qualifiée", status=Organization.Status.QUALIFIED)
    before.history.update(history_date=now - datetime.timedelta(days=60))
    before.phone = "05 49 00 00 00"
    organization_save(organization=before)

    today = timezone.localdate()
    figures = referencing_figures(period=Period.custom(today - datetime.timedelta(days=30), today))
    assert figures == {
        "received": 3,
        "qualified": 1,
        "rejected": 1,
        "organizations_qualified": 3,  # the request's, the old request's (history now), by hand
    }
    last_year = referencing_figures(
        period=Period.custom(
            today - datetime.timedelta(days=500), today - datetime.timedelta(days=31)
        )
    )
    assert last_year["received"] == 1
    assert last_year["qualified"] == 1


def test_year_bounds_are_local_calendar_years():
    start, end = Period.year(2025).bounds()
    assert timezone.localtime(start).date() == datetime.date(2025, 1, 1)
    assert timezone.localtime(end).date() == datetime.date(2026, 1, 1)


def test_the_demo_fills_every_queue_state(staff, django_capture_on_commit_callbacks):
    from django.core import mail

    make_organization("Association Eau Vive Charente", status=Organization.Status.QUALIFIED)
    with django_capture_on_commit_callbacks(execute=True):
        requests = load_demo_referencing(seed=1901)
    assert mail.outbox == []
    queryset = ReferencingRequest.objects.all()
    assert queryset.new().count() >= 2
    assert queryset.waiting().count() == 1
    assert queryset.stale().count() >= 1
    assert queryset.unconfirmed().count() == 1
    assert queryset.filter(state=ReferencingRequest.State.QUALIFIED).count() == 2
    assert queryset.filter(state=ReferencingRequest.State.REJECTED).count() == 1
    assert queryset.filter(target_organization__isnull=False).count() == 1
    assert len(requests) == 8
    assert all(c.email.endswith("@example.org") for r in requests for c in r.contacts.all())


def test_make_run_demo_includes_the_referencing_queue(demo_network):
    assert demo_network.sent_mail == []  # the load, its on-commit work included
    assert ReferencingRequest.objects.new().exists()
    assert ReferencingRequest.objects.filter(target_organization__isnull=False).exists()
