"""Reads of the city's reference data, shared by every app."""

from django.db.models import Prefetch

from .models import Agency, City, Region, Subsector


def current_city() -> City | None:
    """The installation's city, or None before `load_city` has run."""
    return City.objects.first()


def districts():
    return Region.objects.filter(level=Region.Level.DISTRICT).order_by("name")


def villages():
    """Kelurahan with their kecamatan, for pickers and filters (one query)."""
    return (
        Region.objects.filter(level=Region.Level.VILLAGE)
        .select_related("parent")
        .order_by("parent__name", "name")
    )


def districts_with_villages():
    return districts().prefetch_related(
        Prefetch("children", queryset=Region.objects.order_by("name"))
    )


def subsectors():
    return Subsector.objects.all()


def agencies(kind: str | None = Agency.Kind.AGENCY):
    qs = Agency.objects.filter(is_active=True)
    return qs.filter(kind=kind) if kind else qs
