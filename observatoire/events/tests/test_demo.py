"""The demo year of events: the figures of the annual report come out exactly."""

import zoneinfo

from django.urls import reverse
from django.utils import timezone

from observatoire.core.testing import make_user
from observatoire.events import figures
from observatoire.events.models import Attendance, Event, Registration
from observatoire.events.selectors import participations
from observatoire.groups.models import Group
from observatoire.organizations.testing import DemoNetworkTestCase


class DemoYearTests(DemoNetworkTestCase):
    @classmethod
    def setUpTestData(cls):
        cls.figures = figures.period_figures(figures.Period.last_twelve_months())

    def test_nine_group_meetings_with_191_participants(self):
        assert self.figures.meetings == 9
        assert self.figures.meeting_participants == 191
        assert sum(row.participants for row in self.figures.by_group) == 191
        assert all(row.group is not None for row in self.figures.by_group)

    def test_nine_trainings_some_in_several_online_sittings(self):
        lines = self.figures.training_table
        assert len(lines) == 9
        assert any(line.sittings >= 2 and line.online for line in lines)
        assert any(line.place and not line.online for line in lines)
        assert all(2 <= line.participants <= 34 for line in lines)

    def test_attendance_was_taken_with_some_no_shows(self):
        assert Attendance.objects.filter(present=False).exists()
        past = Event.objects.filter(sittings__starts_at__lt=timezone.now()).distinct()
        confirmed = Registration.objects.filter(event__in=past).confirmed().count()
        assert participations(Registration.objects.filter(event__in=past)).count() < confirmed

    def test_partners_abroad_take_part(self):
        countries = {row.label for row in self.figures.foreign_by_country}
        assert {"Sénégal", "Burkina Faso", "Madagascar"} <= countries

    def test_groups_and_upcoming_events(self):
        assert Group.objects.filter(kind=Group.Kind.COUNTRY).count() == 4
        # The calls' demo adds the community of its laureates, a thematic group too.
        thematic = Group.objects.filter(kind=Group.Kind.THEMATIC)
        assert thematic.exclude(name__startswith="Communauté des lauréats").count() == 2
        assert Group.objects.published().count() == 5
        upcoming = Event.objects.published().filter(sittings__starts_at__gt=timezone.now())
        dakar = upcoming.filter(sittings__time_zone="Africa/Dakar").distinct().get()
        start = dakar.sittings.first().starts_at.astimezone(zoneinfo.ZoneInfo("Africa/Dakar"))
        assert start.hour == 15
        almost_full = [
            e
            for e in upcoming.filter(capacity__isnull=False).distinct()
            if 0 < e.capacity - e.registrations.confirmed().count() <= 2
        ]
        assert almost_full

    def test_the_staff_pages_of_the_demo_render(self):
        user = make_user("staff", email="demo-test@personas.test")
        self.client.force_login(user)
        response = self.client.get(reverse("admin:events_event_figures"))
        assert response.status_code == 200
        assert response.context["figures"].meeting_participants == 191
        response = self.client.get(reverse("groups:detail", args=["senegal"]))
        assert response.status_code == 200
