"""Whether a person takes part in the platform's activities — has a training registration or a
certificate — known without a query of its own.

The navigation shows creator entries ("Pelatihan saya", "Sertifikat saya") to people who hold the
creator role or who actually have such records (an organiser who attended another agency's
training, say). The nav is on every page, so the answer rides on the query that already loads
the signed-in user on every request: the authentication backend annotates the user row with an
EXISTS per registered kind of record (UsernameOrEmailBackend.get_user).

Apps register, in AppConfig.ready(), a function returning their rows of one person, filtered by
`OuterRef("pk")` of the user (accounts knows nothing of trainings or certificates).
"""

from __future__ import annotations

from collections.abc import Callable

from django.db.models import Exists, QuerySet

_SOURCES: dict[str, Callable[[], QuerySet]] = {}
_PREFIX = "_ekraf_takes_part_"
_CACHE = "_ekraf_takes_part"


def register(name: str, rows_of_user: Callable[[], QuerySet]) -> None:
    """`rows_of_user()` → e.g. Registration.objects.filter(user=OuterRef("pk"))."""
    _SOURCES[name] = rows_of_user


def annotate(users: QuerySet) -> QuerySet:
    """The users, each carrying whether they have records of each registered kind."""
    return users.annotate(
        **{f"{_PREFIX}{name}": Exists(rows()) for name, rows in sorted(_SOURCES.items())}
    )


def takes_part(user) -> bool:
    """Has registrations or certificates. Free for a user loaded by the backend; otherwise one
    query, remembered on the user object."""
    if not getattr(user, "is_authenticated", False):
        return False
    cached = getattr(user, _CACHE, None)
    if cached is None:
        names = [f"{_PREFIX}{name}" for name in sorted(_SOURCES)]
        if names and all(hasattr(user, n) for n in names):
            cached = any(getattr(user, n) for n in names)
        else:
            row = annotate(type(user)._default_manager.filter(pk=user.pk)).values(*names).first()
            cached = bool(row and any(row.values()))
        setattr(user, _CACHE, cached)
    return cached
