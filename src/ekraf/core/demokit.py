"""Shared pieces of the demo city: a seeded Faker, the demo password, printing the logins.

Each app that has demo data has a `demo.py` with `build(ctx)`; `load_demo` runs them in the
order of INSTALLED_APPS, once each.
"""

import random
import secrets
from dataclasses import dataclass, field

from django.conf import settings
from faker import Faker

from ekraf.settings import secret_from_env_or_file


def demo_password() -> str:
    """One password for every demo login, random per installation (never committed)."""
    return secret_from_env_or_file(
        "EKRAF_DEMO_PASSWORD", "demo-password", lambda: "demo-" + secrets.token_urlsafe(6)
    )


@dataclass
class DemoContext:
    seed: int
    out: object
    rng: random.Random = field(init=False)
    faker: Faker = field(init=False)
    password: str = field(init=False)

    def __post_init__(self):
        self.rng = random.Random(self.seed)  # noqa: S311 - demo data, not security
        self.faker = Faker("id_ID")
        self.faker.seed_instance(self.seed)
        self.password = demo_password()


def print_logins(out) -> None:
    from ekraf.accounts.demo import demo_logins

    rows = demo_logins()
    if not rows:
        return
    out.write("")
    out.write("Login demo (kata sandi sama untuk semua): " + demo_password())
    width = max(len(role) for role, _ in rows)
    for role, username in rows:
        out.write(f"  {role.ljust(width)}  {username}")
    out.write(f"Buka {settings.BASE_URL}/")
