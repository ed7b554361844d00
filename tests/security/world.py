"""The world every route is requested in: a person in each role, and objects owned by agency A.

The base is built here (agencies A and B, one user per role, an API token each, the creator's
profile); each app's matrix module adds its own objects in `world(w)`. The world's creator
withholds consent to be contacted (no talent-directory consent), so the same world serves the
consent walk (test_contact_consent_everywhere.py).
"""

from __future__ import annotations

from types import SimpleNamespace

from ekraf.accounts import services as account_services
from ekraf.creators import services as creator_services
from tests import factories

from .matrix import ROLES, load

HIDDEN_PHONE = "+6281299990001"
HIDDEN_EMAIL = "tertutup.rahasia@contoh.id"


class World(SimpleNamespace):
    """Attributes set by the builders; `users[role]`, `tokens[role]`."""


def build() -> World:
    factories.ensure_city()
    w = World()
    w.agency_a = factories.agency("diskominfo")
    w.agency_b = factories.agency("diskopindag")
    w.creator = factories.user(
        "kreator", role="creator", full_name="Kirana Tertutup", email=HIDDEN_EMAIL
    )
    w.profile = creator_services.ensure_profile(w.creator)
    creator_services.update_profile(
        w.creator,
        w.profile,
        creator_services.ProfileInput(full_name="Kirana Tertutup", phone=HIDDEN_PHONE),
    )
    w.users = {
        "anon": None,
        "creator": w.creator,
        "org_a": factories.user("orga", role="organiser", agency=w.agency_a),
        "org_b": factories.user("orgb", role="organiser", agency=w.agency_b),
        "staff": factories.user("staf", role="agency_staff", agency=w.agency_a),
        "editor": factories.user("editor", role="editor"),
        "space": factories.user("ruang", role="space_manager"),
        "comm": factories.user("komite", role="committee"),
        "admin": factories.user("admin", role="admin"),
    }
    assert tuple(w.users) == ROLES
    w.tokens = {
        role: account_services.create_api_token(user, "matriks")[1]
        for role, user in w.users.items()
        if user is not None
    }
    for _order, _name, builder in load().builders:
        builder(w)
    return w
