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
