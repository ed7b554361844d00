"""The newsroom's API: a story from draft to published through /api/v1/stories; illegal steps
and another editor's lock answer 409 with a code; who may create, edit and read."""

import pytest
from django.test import Client

from ekraf.accounts import services as account_services
from ekraf.newsroom.models import Story
from tests import factories
from tests.newsroom import factories as nf

pytestmark = pytest.mark.django_db

JSON = "application/json"


def api(user) -> Client:
    _record, token = account_services.create_api_token(user, "uji")
    return Client(HTTP_AUTHORIZATION=f"Bearer {token}")


def _story_payload() -> dict:
    return {
        "title": "Kampung Kayutangan Bersolek",
        "lead": "Warga menata ulang lorong-lorong kampung heritage.",
        "body": "Warga **bergotong royong**.\n\nFestival digelar Minggu.",
        "kelurahan": factories.village("Dinoyo").code,
        "tags": ["wisata", "budaya"],
        "sources": [{"name": "Pak RW", "how": "wawancara langsung"}],
    }


def test_a_story_from_draft_to_published_through_the_api(reporter, editor):
    writer, desk = api(reporter), api(editor)
    created = writer.post("/api/v1/stories", _story_payload(), JSON)
    assert created.status_code == 201, created.content
    story_id = created.json()["id"]
    assert created.json()["status"] == "draft"

    step = writer.post(f"/api/v1/stories/{story_id}/submit")
    assert step.status_code == 200 and step.json()["status"] == "submitted"
    step = desk.post(f"/api/v1/stories/{story_id}/review")
    assert step.status_code == 200 and step.json()["status"] == "in_review"
    step = desk.post(
        f"/api/v1/stories/{story_id}/request-changes",
        {"notes": "Sebutkan nama komunitasnya."},
        JSON,
    )
    assert step.status_code == 200 and step.json()["status"] == "changes_requested"

    edited = writer.put(
        f"/api/v1/stories/{story_id}",
        {"body": "Komunitas Kayutangan Kreatif **bergotong royong**."},
        JSON,
    )
    assert edited.status_code == 200 and "Kayutangan Kreatif" in edited.json()["body"]
    assert writer.post(f"/api/v1/stories/{story_id}/submit").json()["status"] == "submitted"
    assert desk.post(f"/api/v1/stories/{story_id}/review").json()["status"] == "in_review"
    assert desk.post(f"/api/v1/stories/{story_id}/approve").json()["status"] == "approved"
    published = desk.post(f"/api/v1/stories/{story_id}/publish")
    assert published.status_code == 200 and published.json()["status"] == "published"
    assert published.json()["published_at"]

    public = Client().get(f"/api/v1/stories/{story_id}")
    assert public.status_code == 200 and public.json()["status"] == "published"
    assert [s["id"] for s in Client().get("/api/v1/stories").json()] == [story_id]


def test_an_illegal_transition_answers_409_with_its_code(reporter, editor):
    story = nf.draft(reporter)
    answer = api(editor).post(f"/api/v1/stories/{story.public_id}/approve")
    assert answer.status_code == 409
    assert answer.json()["code"] == "illegal_transition"
    published = nf.published(reporter, editor, title="Pasar Seni Minggu Pagi")
    again = api(editor).post(f"/api/v1/stories/{published.public_id}/submit")
    assert again.status_code == 409 and again.json()["code"] == "illegal_transition"
    edit = api(reporter).put(f"/api/v1/stories/{published.public_id}", {"title": "Baru"}, JSON)
    assert edit.status_code == 409 and edit.json()["code"] == "illegal_transition"
    assert Story.objects.get(pk=published.pk).title == "Pasar Seni Minggu Pagi"


def test_another_editors_lock_answers_409_locked(reporter, editor):
    other = factories.user("editor", role="editor", full_name="Rina Editor")
    story = nf.draft(reporter)
    api(reporter).post(f"/api/v1/stories/{story.public_id}/submit")
    assert api(editor).post(f"/api/v1/stories/{story.public_id}/review").status_code == 200
    for path in ("review", "approve", "request-changes"):
        answer = api(other).post(f"/api/v1/stories/{story.public_id}/{path}", {"notes": "x"}, JSON)
        assert answer.status_code == 409, path
        assert answer.json()["code"] == "locked"
    assert Story.objects.get(pk=story.pk).locked_by_id == editor.pk


def test_a_non_reporter_cannot_create(city):
    plain = factories.user("warga", role="creator")
    answer = api(plain).post("/api/v1/stories", _story_payload(), JSON)
    assert answer.status_code == 403
    assert Client().post("/api/v1/stories", _story_payload(), JSON).status_code == 401
    assert not Story.objects.exists()


def test_another_writer_can_neither_see_nor_edit_a_draft(reporter):
    story = nf.draft(reporter)
    other = nf.reporter("Budi Pewarta")
    client = api(other)
    assert client.get(f"/api/v1/stories/{story.public_id}").status_code == 404
    edit = client.put(f"/api/v1/stories/{story.public_id}", {"title": "Diambil alih"}, JSON)
    assert edit.status_code == 404
    assert client.post(f"/api/v1/stories/{story.public_id}/submit").status_code == 404
    assert Story.objects.get(pk=story.pk).title == "Kampung Warna-warni Jodipan"


def test_anonymous_readers_see_only_published_stories(reporter, editor):
    draft = nf.draft(reporter, title="Draf Rahasia")
    submitted = nf.draft(reporter, title="Sudah Dikirim")
    api(reporter).post(f"/api/v1/stories/{submitted.public_id}/submit")
    published = nf.published(reporter, editor, title="Sudah Terbit")
    anonymous = Client()
    listed = anonymous.get("/api/v1/stories")
    assert listed.status_code == 200
    assert [s["id"] for s in listed.json()] == [published.public_id]
    for hidden in (draft, submitted):
        assert anonymous.get(f"/api/v1/stories/{hidden.public_id}").status_code == 404
    assert anonymous.get(f"/api/v1/stories/{published.public_id}").status_code == 200
    for action in ("submit", "review", "publish"):
        assert anonymous.post(f"/api/v1/stories/{draft.public_id}/{action}").status_code == 401
