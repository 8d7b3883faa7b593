"""The demo network gets last year's report published and this year's as a draft."""

import pytest
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape

from observatoire.reports.models import AnnualReport

pytestmark = pytest.mark.django_db


def test_the_demo_publishes_last_years_report_and_drafts_this_years(client, demo_network):
    year = timezone.localdate().year
    published = AnnualReport.objects.get(year=year - 1)
    assert published.is_published and published.snapshot is not None
    assert published.introduction.startswith(f"En {year - 1}, le réseau")
    assert published.sections.exclude(text="").count() == published.sections.count()
    assert published.snapshot.figures["organizations"]["listed"] > 0
    draft = AnnualReport.objects.get(year=year)
    assert not draft.is_published and draft.snapshot is None
    response = client.get(reverse("annual_report:public", args=[year - 1]))
    assert response.status_code == 200 and escape(published.title) in response.text
