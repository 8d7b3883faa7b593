import pytest

from observatoire.referencing.models import ReferencingContact, ReferencingRequest
from observatoire.referencing.services import referencing_requests_purge_unconfirmed
from observatoire.referencing.tasks import purge_unconfirmed_requests

from .factories import make_request


@pytest.mark.django_db
def test_requests_never_confirmed_are_deleted_once_their_link_expired(settings):
    settings.REFERENCING_CONFIRMATION_DAYS = 14
    expired = make_request("Association Oubliée", confirmed=False, days_ago=15)
    still_valid = make_request(
        "Association Patiente", confirmed=False, days_ago=13, email="awa@example.org"
    )
    confirmed_long_ago = make_request(
        "Association Confirmée", confirmed=True, days_ago=40, email="ali@example.org"
    )

    assert referencing_requests_purge_unconfirmed() == 1

    remaining = set(ReferencingRequest.objects.values_list("pk", flat=True))
    assert remaining == {still_valid.pk, confirmed_long_ago.pk}
    assert not ReferencingContact.objects.filter(request_id=expired.pk).exists()


@pytest.mark.django_db
def test_the_clock_runs_the_purge_through_the_worker(settings):
    make_request("Association Oubliée", confirmed=False, days_ago=30)

    result = purge_unconfirmed_requests.enqueue()

    assert result.return_value == 1
    assert not ReferencingRequest.objects.exists()
