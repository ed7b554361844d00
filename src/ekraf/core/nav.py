"""The navigation each role sees, assembled from what every app registers at start-up.

An app adds entries in its AppConfig.ready(); each entry carries the permission check that
decides whether a user sees it, so the menu never offers what the user cannot do.
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.urls import reverse


@dataclass(frozen=True)
class NavItem:
    label: str
    url_name: str
    visible: Callable  # (user) -> bool
    section: str = "main"  # "main" (top bar) or "staff" (Kelola menu)
    order: int = 100


_ITEMS: list[NavItem] = []


def register(item: NavItem) -> None:
    if item not in _ITEMS:
        _ITEMS.append(item)


def items_for(user, section: str) -> list[dict]:
    out = []
    for item in sorted(_ITEMS, key=lambda i: (i.order, str(i.label))):
        if item.section == section and item.visible(user):
            out.append({"label": item.label, "url": reverse(item.url_name)})
    return out
