import pytest

from tests.talent import factories as tf


@pytest.fixture
def staff(diskominfo):
    return tf.staff(diskominfo)


@pytest.fixture
def other_staff(diskopindag):
    return tf.staff(diskopindag)
