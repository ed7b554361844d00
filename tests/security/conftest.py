import pytest

from ekraf.credentials import keys


@pytest.fixture
def matrix_settings(settings, tmp_path):
    """What the world needs: signing keys of its own, a fast hasher, limits out of the way
    (they are tested elsewhere), mail kept in memory."""
    settings.CREDENTIAL_KEYS_DIR = tmp_path / "keys"
    settings.PDF_SIGNER = "local"
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.VERIFY_RATE_PER_MINUTE = 1_000_000
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    keys.forget()
    keys.init()
    from django.core.cache import caches

    for alias in settings.CACHES:
        caches[alias].clear()
    yield settings
    keys.forget()


@pytest.fixture
def world(db, matrix_settings):
    from .world import build

    return build()
