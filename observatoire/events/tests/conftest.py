import pytest

from observatoire.events.staff_views import services_available

# The registration services come with the public side of events (another branch).
needs_services = pytest.mark.skipif(
    not services_available(), reason="needs the eventspublic branch"
)
