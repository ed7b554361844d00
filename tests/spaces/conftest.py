import pytest

from tests.spaces import factories as sf


@pytest.fixture
def workshop(city):
    """Ruang Workshop: 40 people, 30 minutes' buffer after every use."""
    return sf.room("ruang-workshop", buffer_minutes=30)


@pytest.fixture
def space_manager(city):
    return sf.manager()


@pytest.fixture
def day():
    return sf.monday(1)


@pytest.fixture(autouse=True)
def _fast_passwords(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
