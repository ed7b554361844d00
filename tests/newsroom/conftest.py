import pytest

from . import factories as nf


@pytest.fixture(autouse=True)
def _fast_passwords(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def reporter(city):
    return nf.reporter()


@pytest.fixture
def editor(city):
    return nf.editor()
