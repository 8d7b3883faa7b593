import pytest

from .factories import ensure_default_template


@pytest.fixture(autouse=True)
def _default_template(request):
    if "db" in request.fixturenames or "transactional_db" in request.fixturenames:
        ensure_default_template()
