import pytest

from ekraf.credentials import keys
from ekraf.credentials.models import Certificate
from tests import factories
from tests.credentials import factories as cf


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


@pytest.fixture
def cert(diskominfo):
    """Budi Hartono's certificate of a photography bimtek, issued (a module may define its own)."""
    training = cf.training(diskominfo, title="Bimtek Fotografi Produk")
    cf.registration(training, factories.user("a", full_name="Budi Hartono"))
    cf.issue(training)
    return Certificate.objects.get()
