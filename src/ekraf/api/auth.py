"""API authentication: personal access tokens (Bearer) or the browser's session (with CSRF)."""

from ninja.security import HttpBearer
from ninja.security.session import SessionAuth

from ekraf.accounts import services as account_services


class TokenAuth(HttpBearer):
    """`Authorization: Bearer ekraf_…` with a personal access token."""

    def authenticate(self, request, token):
        user = account_services.user_for_token(token)
        if user is not None:
            request.user = user
        return user


class SignedInSession(SessionAuth):
    """The browser's session, with ninja's CSRF check — but only for a session that is signed
    in. An anonymous request has no session to ride on, so there is nothing for CSRF to
    protect: it falls through to "not authenticated" and answers 401 (with `code`), not a
    CSRF 403 that tells a client nothing about what it lacks."""

    def _get_key(self, request):
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated:
            return None
        return super()._get_key(request)


token_auth = TokenAuth()
session_auth = SignedInSession()
# Token first, then the logged-in browser session (CSRF checked for a signed-in session).
authenticated = [token_auth, session_auth]


def viewer(request):
    """The caller of a public endpoint (auth=None): a valid token's user, the session's user,
    or None — for answers that show more to some callers (e.g. a room's bookings with details
    for the space manager)."""
    header = request.headers.get("Authorization", "")
    if header.lower().startswith("bearer "):
        user = account_services.user_for_token(header[7:].strip())
        if user is not None:
            return user
    user = getattr(request, "user", None)
    return user if user is not None and user.is_authenticated else None
