"""/kelola/pelatihan/baru/ answered 500 for administrators and for anyone organising for more
than one agency (issue 9, point 12): the agency choice was built from a list, not a queryset."""

import pytest
from django.urls import reverse

from ekraf.core.models import Space
from ekraf.trainings.models import Training
from tests import factories
from tests.trainings.test_lifecycle import training_post

pytestmark = pytest.mark.django_db


def test_an_administrator_opens_the_page_and_chooses_the_agency(client, admin_user, diskopindag):
    client.force_login(admin_user)
    page = client.get(reverse("trainings:manage_create"))
    assert page.status_code == 200
    assert 'name="agency"' in page.content.decode()
    data = training_post(Space.objects.get(code="ruang-workshop"), agency=diskopindag.pk)
    response = client.post(reverse("trainings:manage_create"), data)
    assert response.status_code == 302
    assert Training.objects.get().agency == diskopindag


def test_an_organiser_of_two_agencies_opens_it_too(client, diskominfo, diskopindag):
    from ekraf.accounts import services as account_services

    person = factories.user("dua", role="organiser", agency=diskominfo)
    account_services.grant_role(person, "organiser", diskopindag)
    client.force_login(person)
    page = client.get(reverse("trainings:manage_create")).content.decode()
    assert diskominfo.short_name in page and diskopindag.short_name in page
    data = training_post(Space.objects.get(code="ruang-workshop"), agency=diskopindag.pk)
    assert client.post(reverse("trainings:manage_create"), data).status_code == 302
    assert Training.objects.get().agency == diskopindag
