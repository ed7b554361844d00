"""Rows of the permission matrix: newsroom (the public portal, the reporters' pages, the
editors' desk) and its API. Format: tests/security/README.md.

The world's creator is a citizen reporter (granted by an editor) with a draft, a story waiting
for review (submitted) and a published story with a photo and a complaint. API writes go to
the submitted story: the editor's review is legal (ok), the other editor steps are illegal
from `submitted` (409), and the author may not take editor steps (403)."""

from ekraf.newsroom import services
from tests.newsroom import factories as nf

from . import table

WORLD_ORDER = 65

ROWS = table("""
route                                             anon      creator   org_a     org_b     staff     editor    space     comm      admin
newsroom:portal                                   ok        ok        ok        ok        ok        ok        ok        ok        ok
newsroom:feed                                     ok        ok        ok        ok        ok        ok        ok        ok        ok
newsroom:corrections                              ok        ok        ok        ok        ok        ok        ok        ok        ok
newsroom:tag                                      ok        ok        ok        ok        ok        ok        ok        ok        ok
newsroom:region                                   ok        ok        ok        ok        ok        ok        ok        ok        ok
newsroom:region_feed                              ok        ok        ok        ok        ok        ok        ok        ok        ok
newsroom:photo                                    ok        ok        ok        ok        ok        ok        ok        ok        ok
newsroom:story                                    ok        ok        ok        ok        ok        ok        ok        ok        ok
newsroom:complain                                 ok        ok        ok        ok        ok        ok        ok        ok        ok
newsroom:mine                                     login     ok        forbidden forbidden forbidden ok        forbidden forbidden ok
newsroom:write                                    login     ok        not_found not_found not_found ok        not_found not_found ok
# POST-only pages: a GET is refused before anything is decided.
newsroom:new                                      method    method    method    method    method    method    method    method    method
newsroom:autosave                                 method    method    method    method    method    method    method    method    method
newsroom:add_photo                                method    method    method    method    method    method    method    method    method
newsroom:remove_photo                             method    method    method    method    method    method    method    method    method
newsroom:submit                                   method    method    method    method    method    method    method    method    method
newsroom:act                                      method    method    method    method    method    method    method    method    method
newsroom:desk                                     login     forbidden forbidden forbidden forbidden ok        forbidden forbidden ok
newsroom:complaints                               login     forbidden forbidden forbidden forbidden ok        forbidden forbidden ok
newsroom:complaint                                login     forbidden forbidden forbidden forbidden ok        forbidden forbidden ok
newsroom:reporters                                login     forbidden forbidden forbidden forbidden ok        forbidden forbidden ok
newsroom:review                                   login     forbidden forbidden forbidden forbidden ok        forbidden forbidden ok
newsroom:compare                                  login     forbidden forbidden forbidden forbidden ok        forbidden forbidden ok
GET /api/v1/stories                               ok        ok        ok        ok        ok        ok        ok        ok        ok
POST /api/v1/stories                              login     ok        forbidden forbidden forbidden ok        forbidden forbidden ok
GET /api/v1/stories/{story_id}                    not_found ok        not_found not_found not_found ok        not_found not_found ok
PUT /api/v1/stories/{story_id}                    login     ok        not_found not_found not_found ok        not_found not_found ok
POST /api/v1/stories/{story_id}/submit            login     conflict  not_found not_found not_found conflict  not_found not_found conflict
POST /api/v1/stories/{story_id}/review            login     forbidden not_found not_found not_found ok        not_found not_found ok
POST /api/v1/stories/{story_id}/request-changes   login     forbidden not_found not_found not_found conflict  not_found not_found conflict
POST /api/v1/stories/{story_id}/approve           login     forbidden not_found not_found not_found conflict  not_found not_found conflict
POST /api/v1/stories/{story_id}/publish           login     forbidden not_found not_found not_found conflict  not_found not_found conflict
POST /api/v1/stories/{story_id}/reject            login     forbidden not_found not_found not_found ok        not_found not_found ok
POST /api/v1/stories/{story_id}/correct           login     forbidden not_found not_found not_found conflict  not_found not_found conflict
POST /api/v1/stories/{story_id}/retract           login     forbidden not_found not_found not_found conflict  not_found not_found conflict
""")


def world(w):
    editor = w.users["editor"]
    reporter = w.users["creator"]
    services.grant_reporter(editor, reporter)
    w.story_draft = nf.draft(reporter, title="Draf pasar Oro-oro Dowo")
    w.story_submitted = nf.draft(reporter, title="Menunggu ditinjau")
    services.submit(w.story_submitted, reporter)
    story = nf.draft(reporter, title="Festival Kampung Biru")
    w.story_photo = services.add_photo(
        story, reporter, nf.upload(nf.jpeg((64, 48))), caption="a", credit="b", licence="cc-by-4.0"
    )
    services.submit(story, reporter)
    services.review(story, editor)
    services.approve(story, editor)
    w.story_published = services.publish(story, editor)
    w.complaint = services.file_complaint(
        w.story_published,
        reason="inaccurate",
        detail="Tanggalnya salah.",
        name="Budi",
        contact="budi@contoh.id",
    )


def _published(w):
    return {"public_id": w.story_published.public_id}


def _draft(w):
    return {"public_id": w.story_draft.public_id}


def _submitted(w):
    return {"public_id": w.story_submitted.public_id}


ARGS = {
    "newsroom:tag": lambda w: {"tag": "wisata"},
    "newsroom:region": lambda w: {"code": w.story_published.district.code},
    "newsroom:region_feed": lambda w: {"code": w.story_published.district.code},
    "newsroom:photo": lambda w: {"public_id": w.story_photo.public_id},
    "newsroom:story": _published,
    "newsroom:complain": _published,
    "newsroom:write": _draft,
    "newsroom:autosave": _draft,
    "newsroom:add_photo": _draft,
    "newsroom:remove_photo": lambda w: {"public_id": w.story_draft.public_id, "photo_id": "X"},
    "newsroom:submit": _draft,
    "newsroom:act": lambda w: {"public_id": w.story_submitted.public_id, "action": "review"},
    "newsroom:complaint": lambda w: {"public_id": w.complaint.public_id},
    "newsroom:review": _submitted,
    "newsroom:compare": _submitted,
    **{
        f"/api/v1/stories/{{story_id}}{tail}": lambda w: {"story_id": w.story_submitted.public_id}
        for tail in (
            "",
            "/submit",
            "/review",
            "/request-changes",
            "/approve",
            "/publish",
            "/reject",
            "/correct",
            "/retract",
        )
    },
}
BODIES = {
    "POST /api/v1/stories/{story_id}/reject": lambda w: {"reason": "Bukan berita warga."},
}
