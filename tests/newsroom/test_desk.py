"""The editors' desk (/kelola/redaksi/): filters by status, kecamatan, assignee and complaint
deadline, counts per status, and a query count that does not grow with the queue."""

from datetime import timedelta

import pytest
from django.utils import timezone

from ekraf.core.models import Region
from ekraf.newsroom import services
from ekraf.newsroom.models import Complaint, Story
from tests import factories
from tests.newsroom import factories as nf

pytestmark = pytest.mark.django_db

URL = "/kelola/redaksi/"


def _other_village() -> Region:
    dinoyo = factories.village("Dinoyo")
    return (
        Region.objects.filter(level=Region.Level.VILLAGE)
        .exclude(parent=dinoyo.parent)
        .order_by("code")
        .first()
    )


@pytest.fixture
def queue(reporter, editor):
    other_editor = factories.user("editor", role="editor", full_name="Rina Editor")
    submitted = nf.draft(reporter, title="Berita Dikirim")
    services.submit(submitted, reporter)
    mine = nf.draft(reporter, title="Berita Saya Tinjau")
    services.submit(mine, reporter)
    services.review(mine, editor)
    theirs = nf.draft(reporter, village=_other_village().name, title="Berita Rina")
    services.submit(theirs, reporter)
    services.review(theirs, other_editor)
    nf.draft(reporter, title="Draf Belum Dikirim")
    complained = nf.published(reporter, editor, title="Berita Diadukan")
    services.file_complaint(
        complained,
        reason=Complaint.Reason.values[0],
        detail="Nama keliru.",
        name="Warga",
        contact="warga@contoh.id",
    )
    Complaint.objects.update(due_at=timezone.now() - timedelta(hours=1))
    return {"submitted": submitted, "mine": mine, "theirs": theirs, "complained": complained}


def _titles(client, **params) -> list[str]:
    response = client.get(URL, params)
    assert response.status_code == 200
    return sorted(s.title for s in response.context["rows"])


def test_the_desk_filters_and_counts(client, editor, queue):
    client.force_login(editor)
    assert _titles(client) == ["Berita Dikirim", "Berita Rina", "Berita Saya Tinjau"]
    assert _titles(client, status="submitted") == ["Berita Dikirim"]
    assert _titles(client, status="in_review") == ["Berita Rina", "Berita Saya Tinjau"]
    district = queue["theirs"].district.code
    assert _titles(client, district=district) == ["Berita Rina"]
    assert _titles(client, assignee="saya") == ["Berita Saya Tinjau"]
    assert _titles(client, assignee="bebas") == ["Berita Dikirim"]
    assert _titles(client, due="pengaduan") == ["Berita Diadukan"]
    assert _titles(client, due="terlambat") == ["Berita Diadukan"]
    counts = {value: n for value, _label, n in client.get(URL).context["counts"]}
    assert counts["submitted"] == 1 and counts["in_review"] == 2
    assert counts["draft"] == 1 and counts["published"] == 1
    assert Story.objects.count() == 5


def test_the_desk_is_for_editors_only(client, reporter):
    assert client.get(URL).status_code in (302, 403)
    client.force_login(reporter)
    assert client.get(URL).status_code in (403, 404)


def test_the_desk_query_count_does_not_grow(client, reporter, editor, django_assert_num_queries):
    client.force_login(editor)
    services.submit(nf.draft(reporter, title="Satu"), reporter)
    client.get(URL)
    with django_assert_num_queries(1000, exact=False) as few:
        client.get(URL)
    for n in range(6):
        story = nf.draft(reporter, title=f"Berita {n}", village=_other_village().name)
        services.submit(story, reporter)
        if n % 2:
            services.review(story, editor)
    with django_assert_num_queries(len(few.captured_queries)):
        response = client.get(URL)
    assert len(response.context["rows"]) == 7
