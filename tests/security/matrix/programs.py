"""Rows of the permission matrix: programs (open calls for everyone, a creator's engagements,
agency staff's programmes, recommendations and reviews, the administrators' exposure report)
and its API. Format: tests/security/README.md.

The world: agency A's open call "Kampanye Matriks" with two roles (content creator, narasumber);
the world's creator is invited to the first role."""

import datetime

from django.utils import timezone

from ekraf.programs import services

from . import table

WORLD_ORDER = 70

ROWS = table("""
route                                                  anon      creator   org_a     org_b     staff     editor    space     comm      admin
programs:open_calls                                    ok        ok        ok        ok        ok        ok        ok        ok        ok
programs:open_call                                     ok        ok        ok        ok        ok        ok        ok        ok        ok
programs:mine                                          login     ok        ok        ok        ok        ok        ok        ok        ok
programs:engagement                                    login     ok        ok        not_found ok        not_found not_found not_found ok
programs:deliver                                       login     ok        ok        not_found ok        not_found not_found not_found ok
# POST-only pages: a GET is refused before anything is decided.
programs:engagement_action                             method    method    method    method    method    method    method    method    method
programs:manage_status                                 method    method    method    method    method    method    method    method    method
programs:invite                                        method    method    method    method    method    method    method    method    method
programs:manage_list                                   login     forbidden ok        ok        ok        forbidden forbidden forbidden ok
programs:manage_create                                 login     forbidden ok        ok        ok        forbidden forbidden forbidden ok
programs:manage_detail                                 login     forbidden ok        not_found ok        forbidden forbidden forbidden ok
programs:recommendations                               login     forbidden ok        not_found ok        forbidden forbidden forbidden ok
programs:exposure                                      login     forbidden forbidden forbidden forbidden forbidden forbidden forbidden ok
GET /api/v1/programmes                                 ok        ok        ok        ok        ok        ok        ok        ok        ok
POST /api/v1/programmes                                login     forbidden ok        forbidden ok        forbidden forbidden forbidden ok
GET /api/v1/programmes/{programme_id}                  ok        ok        ok        ok        ok        ok        ok        ok        ok
GET /api/v1/programmes/{programme_id}/recommendations  login     not_found ok        not_found ok        not_found not_found not_found ok
POST /api/v1/programmes/{programme_id}/invitations     login     not_found ok        not_found ok        not_found not_found not_found ok
POST /api/v1/programmes/{programme_id}/applications    login     ok        forbidden forbidden forbidden forbidden forbidden forbidden forbidden
GET /api/v1/engagements/{engagement_id}                login     ok        ok        not_found ok        not_found not_found not_found ok
POST /api/v1/engagements/{engagement_id}/accept        login     ok        forbidden not_found forbidden not_found not_found not_found forbidden
# Declining an invitation needs a reason; the matrix sends none.
POST /api/v1/engagements/{engagement_id}/decline       login     bad       forbidden not_found forbidden not_found not_found not_found forbidden
POST /api/v1/engagements/{engagement_id}/withdraw      login     forbidden ok        not_found ok        not_found not_found not_found ok
# An invitation cannot be submitted, approved, revised or completed: 409 for both sides.
POST /api/v1/engagements/{engagement_id}/submit        login     conflict  conflict  not_found conflict  not_found not_found not_found conflict
POST /api/v1/engagements/{engagement_id}/approve       login     conflict  conflict  not_found conflict  not_found not_found not_found conflict
POST /api/v1/engagements/{engagement_id}/request-revision login  conflict  conflict  not_found conflict  not_found not_found not_found conflict
POST /api/v1/engagements/{engagement_id}/complete      login     conflict  conflict  not_found conflict  not_found not_found not_found conflict
# The matrix's body has no content link: 422 for everyone signed in.
POST /api/v1/engagements/{engagement_id}/deliverables  login     bad       bad       bad       bad       bad       bad       bad       bad
""")


def world(w):
    staff = w.users["staff"]
    start = timezone.localdate() + datetime.timedelta(days=20)
    p = services.create_programme(
        staff,
        services.ProgrammeInput(
            agency_id=w.agency_a.pk,
            title="Kampanye Matriks",
            objective="Citra kota",
            starts_on=start,
            ends_on=start + datetime.timedelta(days=10),
            roles=[services.RoleInput("content_creator", 3), services.RoleInput("narasumber", 1)],
        ),
    )
    services.set_status(staff, p, "open")
    w.programme = p
    w.programme_roles = list(p.roles.order_by("pk"))
    w.engagement = services.invite(staff, p, w.programme_roles[0], w.profile)


def _programme(w):
    return {"public_id": w.programme.public_id}


def _engagement(w):
    return {"public_id": w.engagement.public_id}


ARGS = {
    "programs:open_call": _programme,
    "programs:manage_detail": _programme,
    "programs:manage_status": _programme,
    "programs:invite": _programme,
    "programs:recommendations": lambda w: {
        "public_id": w.programme.public_id,
        "role_id": w.programme_roles[0].pk,
    },
    "programs:engagement": _engagement,
    "programs:deliver": _engagement,
    "programs:engagement_action": lambda w: {**_engagement(w), "action": "terima"},
    "/api/v1/programmes/{programme_id}": lambda w: {"programme_id": w.programme.public_id},
    "/api/v1/programmes/{programme_id}/recommendations": lambda w: (
        f"/api/v1/programmes/{w.programme.public_id}/recommendations?role={w.programme_roles[0].pk}"
    ),
    "/api/v1/programmes/{programme_id}/invitations": lambda w: {
        "programme_id": w.programme.public_id
    },
    "/api/v1/programmes/{programme_id}/applications": lambda w: {
        "programme_id": w.programme.public_id
    },
    **{
        f"/api/v1/engagements/{{engagement_id}}{tail}": lambda w: {
            "engagement_id": w.engagement.public_id
        }
        for tail in (
            "",
            "/accept",
            "/decline",
            "/withdraw",
            "/submit",
            "/approve",
            "/request-revision",
            "/complete",
            "/deliverables",
        )
    },
}


def _new_programme(w):
    start = timezone.localdate() + datetime.timedelta(days=40)
    return {
        "agency": w.agency_a.code,
        "title": "Program Baru",
        "objective": "Uji",
        "starts_on": start.isoformat(),
        "ends_on": (start + datetime.timedelta(days=5)).isoformat(),
        "roles": [{"pathway": "motivator", "seats": 1}],
    }


BODIES = {
    "POST /api/v1/programmes": _new_programme,
    "POST /api/v1/programmes/{programme_id}/invitations": lambda w: {
        "role": w.programme_roles[1].pk,
        "creator": w.profile.public_id,
    },
    "POST /api/v1/programmes/{programme_id}/applications": lambda w: {
        "role": w.programme_roles[1].pk,
        "pitch": "Saya siap",
    },
}
