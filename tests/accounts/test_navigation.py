"""Creator entries in the navigation ("Pelatihan saya", "Sertifikat saya") are for creators and
for anyone who actually has a registration or a certificate — not for every organiser or staff
member — and deciding costs no query beyond the roles already read for the page."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from ekraf.accounts import permissions
from ekraf.accounts.backends import UsernameOrEmailBackend
from ekraf.core import nav
from ekraf.core.selectors import clear_city_memo
from tests import factories
from tests.credentials import factories as cred_factories
from tests.trainings import factories as tf

pytestmark = pytest.mark.django_db

CREATOR_ENTRIES = ("Pelatihan saya", "Sertifikat saya")


def main_labels(client, user) -> set[str]:
    client.force_login(user)
    response = client.get("/")
    return {str(item["label"]) for item in response.context["nav_main"]}


@pytest.fixture
def agency_staff(city):
    return factories.user("staf", role="agency_staff", agency=factories.agency("disporapar"))


def test_staff_without_the_creator_role_see_no_creator_entries(
    client, organiser, agency_staff, admin_user
):
    for user in (organiser, agency_staff, admin_user):
        labels = main_labels(client, user)
        assert not labels & set(CREATOR_ENTRIES), (user, labels)
        assert "Profil saya" not in labels and "Sertifikasi profesi" not in labels


def test_creators_see_them(client, creator_user):
    assert set(CREATOR_ENTRIES) <= main_labels(client, creator_user)


def test_an_organiser_who_took_a_training_sees_them(client, organiser, other_organiser):
    # Diskopindag's training, attended by Diskominfo's organiser, who got a certificate.
    training = cred_factories.training(other_organiser.role_grants.get().agency)
    cred_factories.registration(training, organiser)
    assert "Pelatihan saya" in main_labels(client, organiser)
    cred_factories.issue(training)
    assert set(CREATOR_ENTRIES) <= main_labels(client, organiser)
    assert "Profil saya" not in main_labels(client, organiser)  # still not a creator


def test_a_registration_alone_is_enough(client, agency_staff, diskominfo):
    training = tf.training(diskominfo)
    tf.register(training, user=agency_staff)
    assert "Pelatihan saya" in main_labels(client, agency_staff)


@pytest.mark.parametrize("has_records", [False, True])
def test_deciding_costs_no_query_beyond_the_roles(organiser, diskopindag, has_records):
    if has_records:
        training = cred_factories.training(diskopindag)
        cred_factories.registration(training, organiser)
    # The user as each request loads it (the session's backend), roles read once for the page.
    user = UsernameOrEmailBackend().get_user(organiser.pk)
    permissions.roles(user)
    with CaptureQueriesContext(connection) as ctx:
        labels = {str(i["label"]) for i in nav.items_for(user, "main")}
    assert len(ctx) == 0, [q["sql"] for q in ctx.captured_queries]
    assert ("Pelatihan saya" in labels) is has_records


def test_the_page_costs_the_same_with_or_without_records(client, organiser, diskopindag):
    def count():
        client.force_login(organiser)
        clear_city_memo()  # each count includes reading the city (memoised per process)
        with CaptureQueriesContext(connection) as ctx:
            assert client.get("/").status_code == 200
        return len(ctx)

    without = count()
    training = cred_factories.training(diskopindag)
    cred_factories.registration(training, organiser)
    cred_factories.issue(training)
    assert count() == without
