import pytest

from ekraf.credentials import keys


@pytest.fixture(autouse=True)
def _signing_keys(request, settings, tmp_path):
    """Fresh signing keys per database test, in a temporary directory (never var/keys)."""
    if not request.node.get_closest_marker("django_db"):
        yield
        return
    settings.CREDENTIAL_KEYS_DIR = tmp_path / "keys"
    settings.PDF_SIGNER = "local"
    keys.forget()
    keys.init()
    yield
    keys.forget()


@pytest.fixture(autouse=True)
def _fresh_ratelimit():
    from django.core.cache import caches

    caches["ratelimit"].clear()


@pytest.fixture(autouse=True)
def _fast_passwords(settings):
    """Many participants per test: a fast hasher (password strength is not under test here)."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
