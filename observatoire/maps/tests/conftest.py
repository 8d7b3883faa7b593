import pytest

from .register import Register, build_register


@pytest.fixture
def register(db) -> Register:
    return build_register()
