"""Signed-in requests without signing in: a session written straight into the session store
for a bench user, so the scenarios measure pages, not password hashing. Shared by the
dashboard, search and talent scenarios."""

from __future__ import annotations


def session_cookie(user) -> str:
    """A logged-in session for `user`, made directly (the benchmark measures pages, not
    password hashing)."""
    from importlib import import_module

    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY

    store = import_module(settings.SESSION_ENGINE).SessionStore()
    store[SESSION_KEY] = str(user.pk)
    # The backend that holds users: the first is axes's lockout, which only guards sign-ins.
    store[BACKEND_SESSION_KEY] = "ekraf.accounts.backends.UsernameOrEmailBackend"
    store[HASH_SESSION_KEY] = user.get_session_auth_hash()
    store.create()
    return f"{settings.SESSION_COOKIE_NAME}={store.session_key}"
