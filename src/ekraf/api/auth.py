"""API authentication: personal access tokens (Bearer) or the browser's session (with CSRF)."""

from ninja.security import HttpBearer, django_auth

from ekraf.accounts import services as account_services


class TokenAuth(HttpBearer):
    """`Authorization: Bearer ekraf_…` with a personal access token."""

    def authenticate(self, request, token):
        user = account_services.user_for_token(token)
        if user is not None:
            request.user = user
        return user


token_auth = TokenAuth()
# Token first, then the logged-in browser session (ninja checks CSRF for session auth).
authenticated = [token_auth, django_auth]


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
