"""Template context every page needs: the city, and the navigation for this user."""

from django.conf import settings
from django.utils.functional import SimpleLazyObject

from . import nav
from .selectors import current_city


def platform(request):
    user = getattr(request, "user", None)
    return {
        "city": SimpleLazyObject(current_city),
        "nav_main": SimpleLazyObject(lambda: nav.items_for(user, "main")),
        "nav_staff": SimpleLazyObject(lambda: nav.items_for(user, "staff")),
        "base_url": settings.BASE_URL,
    }
