"""Rows of the permission matrix: accounts (sign-up, sign-in, tokens, password reset) and its
API. Format: tests/security/README.md."""

from django.contrib.auth.tokens import default_token_generator
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from ekraf.accounts import services as account_services
from ekraf.accounts.models import UserSession
from tests import factories

from . import table

WORLD_ORDER = 5

ROWS = table("""
route                                                anon      creator   org_a     org_b     staff     editor    space     comm      admin
accounts:signup                                      ok        redirect  redirect  redirect  redirect  redirect  redirect  redirect  redirect
accounts:signup_done                                 ok        ok        ok        ok        ok        ok        ok        ok        ok
accounts:resend_verification                         ok        ok        ok        ok        ok        ok        ok        ok        ok
accounts:verify                                      redirect  redirect  redirect  redirect  redirect  redirect  redirect  redirect  redirect
accounts:login                                       ok        redirect  redirect  redirect  redirect  redirect  redirect  redirect  redirect
accounts:logout                                      method    method    method    method    method    method    method    method    method
accounts:account                                     login     ok        ok        ok        ok        ok        ok        ok        ok
accounts:tokens                                      login     forbidden ok        ok        ok        ok        ok        ok        ok
accounts:revoke_token                                login     method    method    method    method    method    method    method    method
accounts:sessions                                    login     ok        ok        ok        ok        ok        ok        ok        ok
accounts:end_session                                 login     method    method    method    method    method    method    method    method
# Two-factor sign-in is for staff; every signed-in role here has passed the second step
# (force_login), so the verification step sends them on.
accounts:two_factor                                  login     forbidden ok        ok        ok        ok        ok        ok        ok
accounts:two_factor_verify                           login     redirect  redirect  redirect  redirect  redirect  redirect  redirect  redirect
accounts:password_reset                              ok        ok        ok        ok        ok        ok        ok        ok        ok
accounts:password_reset_done                         ok        ok        ok        ok        ok        ok        ok        ok        ok
accounts:password_reset_confirm                       redirect  redirect  redirect  redirect  redirect  redirect  redirect  redirect  redirect
accounts:password_reset_complete                     ok        ok        ok        ok        ok        ok        ok        ok        ok
POST /api/v1/auth/token                              ok        ok        ok        ok        ok        ok        ok        ok        ok
GET /api/v1/me                                       login     ok        ok        ok        ok        ok        ok        ok        ok
""")


def world(w):
    w.verify_token = account_services.verification_token(w.creator)
    w.reset_uid = urlsafe_base64_encode(force_bytes(w.creator.pk))
    w.creator_token_id = w.creator.api_tokens.get().pk
    w.creator_session_id = UserSession.objects.create(
        user=w.creator, session_key="matriks" + "0" * 33
    ).pk


ARGS = {
    "accounts:end_session": lambda w: {"session_id": w.creator_session_id},
    "accounts:verify": lambda w: {"token": w.verify_token},
    "accounts:revoke_token": lambda w: {"token_id": w.creator_token_id},
    # Made when the URL is built, after every role signed in (a sign-in changes the token).
    "accounts:password_reset_confirm": lambda w: {
        "uidb64": w.reset_uid,
        "token": default_token_generator.make_token(w.creator),
    },
}
BODIES = {
    "POST /api/v1/auth/token": lambda w: {
        "username": w.creator.username,
        "password": factories.PASSWORD,
    },
}
