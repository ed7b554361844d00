import pytest

from ekraf.trainings.models import Training
from tests.trainings import factories as tf


@pytest.fixture
def training(diskominfo):
    """Journey 1's training: 30 seats, two sessions in an MCC room, completion = all sessions
    attended and post-test ≥ 70."""
    return tf.training(
        diskominfo,
        title="Bimtek Konten Kreator: Branding Kota",
        categories=(("Umum", 30),),
        completion_min_attendance=100,
        completion_min_post_test=70,
        hours=16,
    )


@pytest.fixture
def other_training(diskopindag):
    return tf.training(diskopindag, title="Pelatihan Foto Produk UMKM")


@pytest.fixture
def draft(diskominfo):
    return tf.training(diskominfo, status=Training.Status.DRAFT)


@pytest.fixture(autouse=True)
def _fast_passwords(settings):
    """Hundreds of test people: hash their passwords cheaply (production keeps PBKDF2)."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
