"""Tokens for integrations, and who the caller is."""

from ninja import Router, Schema, Status
from ninja.throttling import AnonRateThrottle

from ekraf.api.auth import authenticated

from . import permissions, services

router = Router(tags=["Akun"])


class TokenIn(Schema):
    username: str
    password: str
    # Accounts with two-factor sign-in: the current code of the authenticator app (or a
    # recovery code); administrators must have enrolled first.
    otp: str | None = None


class TokenOut(Schema):
    token: str
    token_type: str = "Bearer"


class GrantOut(Schema):
    role: str
    agency: str | None


class MeOut(Schema):
    username: str
    email: str
    full_name: str
    roles: list[GrantOut]


@router.post(
    "/auth/token",
    response={201: TokenOut},
    auth=None,
    throttle=[AnonRateThrottle("10/m")],
    summary="Tukar nama pengguna dan kata sandi dengan token API (berlaku 90 hari)",
)
def obtain_token(request, payload: TokenIn):
    token = services.token_for_credentials(
        request, payload.username, payload.password, otp=payload.otp
    )
    return Status(201, TokenOut(token=token))


@router.get("/me", response=MeOut, auth=authenticated, summary="Pengguna yang sedang masuk")
def me(request):
    user = request.auth
    grants = user.role_grants.select_related("agency")
    roles = [GrantOut(role=g.role, agency=g.agency.code if g.agency else None) for g in grants]
    if permissions.is_admin(user) and not any(g.role == "admin" for g in roles):
        roles.append(GrantOut(role="admin", agency=None))
    return MeOut(username=user.username, email=user.email, full_name=user.display_name, roles=roles)
