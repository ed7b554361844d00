"""Small factories: readable test setup without fixtures dumped from a database."""

import itertools

from django.conf import settings
from django.utils import timezone

from ekraf.accounts import services as account_services
from ekraf.accounts.models import User
from ekraf.core.models import Agency, City, Region
from ekraf.core.services import load_city

_seq = itertools.count(1)
PASSWORD = "Sandi-Uji-2024!"


def ensure_city() -> City:
    if not City.objects.exists():
        load_city(settings.EKRAF_CITY_DATA_DIR)
    return City.objects.get()


def agency(code: str) -> Agency:
    ensure_city()
    return Agency.objects.get(code=code)


def village(name: str = "Dinoyo") -> Region:
    ensure_city()
    return Region.objects.get(level=Region.Level.VILLAGE, name=name)


def user(
    prefix: str = "user", *, role: str | None = "creator", agency=None, verified=True, **extra
) -> User:
    n = next(_seq)
    username = f"{prefix}{n}"
    obj = User.objects.create_user(
        username=username,
        email=extra.pop("email", f"{username}@contoh.id"),
        password=extra.pop("password", PASSWORD),
        full_name=extra.pop("full_name", f"Pengguna {n}"),
        **extra,
    )
    if verified:
        obj.email_verified_at = timezone.now()
        obj.save(update_fields=["email_verified_at"])
    if role:
        account_services.grant_role(obj, role, agency)
    return obj
