"""Pathways after a training: the organiser ticks the whole class in one grid, evidence (the
training and its scores) is kept, unticking removes, other agencies are refused, and the
creator sees assessed pathways beside declared ones."""

import pytest
from django.urls import reverse

from ekraf.core.errors import NotAllowed
from ekraf.creators.models import PathwayInterest
from ekraf.talent import services
from ekraf.talent.models import AssessedPathway
from tests.credentials import factories as credf
from tests.talent import factories as tf

pytestmark = pytest.mark.django_db


@pytest.fixture
def klass(diskominfo):
    training = credf.training(diskominfo)
    people = [tf.talent(f"Peserta {i}") for i in range(3)]
    regs = [credf.registration(training, p.user) for p in people]
    regs[0].post_test_score = 88
    regs[0].save()
    return training, people, regs


def test_grid_assesses_the_class_with_evidence(client, organiser, klass):
    training, people, regs = klass
    client.force_login(organiser)
    url = reverse("talent:pathway_grid", args=[training.public_id])
    page = client.get(url)
    assert page.status_code == 200 and "Peserta 0" in page.text
    response = client.post(
        url,
        {
            f"p-{regs[0].pk}": ["narasumber", "motivator"],
            f"n-{regs[0].pk}": "Presentasi sangat baik",
            f"p-{regs[1].pk}": ["content_creator"],
        },
    )
    assert response.status_code == 302
    rows = AssessedPathway.objects.filter(training=training)
    assert sorted(rows.values_list("creator__full_name", "pathway")) == [
        ("Peserta 0", "motivator"),
        ("Peserta 0", "narasumber"),
        ("Peserta 1", "content_creator"),
    ]
    first = rows.filter(creator=people[0]).first()
    assert first.evidence["post_test"] == 88.0 and first.evidence["training"] == training.public_id
    assert first.note == "Presentasi sangat baik" and first.assessed_by == organiser
    client.post(url, {f"p-{regs[0].pk}": ["narasumber"]})
    assert rows.filter(creator=people[0]).count() == 1


def test_other_agency_organiser_is_refused(other_organiser, klass):
    training, _people, regs = klass
    with pytest.raises(NotAllowed):
        services.assess_class(other_organiser, training, {regs[0].pk: {"narasumber"}})


def test_the_grid_reaches_the_directory_search_when_it_commits(
    klass, organiser, django_capture_on_commit_callbacks
):
    from ekraf.talent.models import DirectoryEntry

    training, people, regs = klass
    with django_capture_on_commit_callbacks(execute=True):
        services.assess_class(organiser, training, {regs[0].pk: {"narasumber"}})
    assert " pwa=narasumber " in DirectoryEntry.objects.get(creator=people[0]).facets
    with django_capture_on_commit_callbacks(execute=True):
        services.assess_class(organiser, training, {regs[0].pk: set()})
    assert " pwa=narasumber " not in DirectoryEntry.objects.get(creator=people[0]).facets


def test_creator_sees_assessed_beside_declared(client, klass, organiser):
    training, people, regs = klass
    PathwayInterest.objects.create(profile=people[0], pathway="content_creator")
    services.assess_class(organiser, training, {regs[0].pk: {"narasumber"}})
    client.force_login(people[0].user)
    page = client.get(reverse("talent:my_speaking"))
    assert "✔ Narasumber" in page.text and "Konten kreator" in page.text


def test_creators_find_talenta_saya_in_the_menu(client, creator_user, organiser):
    """Journey 7: an assessed creator reaches the page from the menu (it was linked nowhere),
    even before ever opening their profile; staff do not see the entry."""
    client.force_login(creator_user)
    home = client.get("/")
    assert reverse("talent:my_speaking") in {item["url"] for item in home.context["nav_main"]}
    page = client.get(reverse("talent:my_speaking"))
    assert page.status_code == 200 and "Anda tidak tampil di direktori talenta." in page.text
    client.force_login(organiser)
    staff_home = client.get("/")
    assert reverse("talent:my_speaking") not in {i["url"] for i in staff_home.context["nav_main"]}
    assert client.get(reverse("talent:my_speaking")).status_code == 404
